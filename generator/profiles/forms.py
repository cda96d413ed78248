"""The three profile issue forms, generated from the ``Mentor`` and ``Program`` models and the
vocabulary: "Add a mentor", "Update my profile" and "Add a program".

``.github/ISSUE_TEMPLATE/profile-*.yml`` are written by ``mentormemed issue-form --write`` and
checked by ``--check`` (with the request form); nobody edits them by hand. The same field lists
(:func:`form_fields`) drive :mod:`generator.profiles.parser`, so the headings the parser accepts
are exactly the labels the forms show.

Every field of the models is either asked (:data:`MENTOR_TEXT`, :data:`PROGRAM_TEXT`: our label
and help text, in a coordinator's words) or deliberately not (:data:`NOT_ASKED`, with the
reason): adding a field to a model without deciding fails :func:`form_fields`, so the forms
cannot drift from the models. ``private_affinities`` is never asked: everything typed into a
public issue is public (docs/contributing-mentors.md says how to add them in a private content
repository). ``last_confirmed`` is not asked either: the bot writes the date the consent box was
ticked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import annotated_types
import yaml
from pydantic import BaseModel

from generator.content.models import Contact, Mentor, Program
from generator.content.vocabulary import Vocabulary, vocabulary
from generator.core.defaults import DEFAULT_REPOSITORY_URL
from generator.requests.issue_form import COMMON_LANGUAGES, EMPTY_ANSWERS

FormName = Literal["add-mentor", "update-mentor", "add-program"]
FORMS: tuple[FormName, ...] = ("add-mentor", "update-mentor", "add-program")
#: The template file of each form, in .github/ISSUE_TEMPLATE.
FORM_FILES: dict[FormName, str] = {
    "add-mentor": "profile-add-mentor.yml",
    "update-mentor": "profile-update.yml",
    "add-program": "profile-add-program.yml",
}
#: The label each form puts on its issue; the profile bot acts only on issues with one of them.
FORM_LABELS: dict[FormName, str] = {
    "add-mentor": "profile-add-mentor",
    "update-mentor": "profile-update",
    "add-program": "profile-add-program",
}
FORM_TITLES: dict[FormName, str] = {
    "add-mentor": "Add a mentor",
    "update-mentor": "Update my profile",
    "add-program": "Add a program",
}
#: The id of the free-text companion of the ``languages`` dropdown.
OTHER_LANGUAGES_ID = "languages-other"
#: The consent checkbox every form ends with.
CONSENT_ID = "consent"
#: The "remove these answers" checkboxes of the update form.
CLEAR_ID = "clear"
YES, NO = "Yes", "No"

FieldKind = Literal["input", "textarea", "dropdown", "checkboxes"]


class ProfileFormConfigError(ValueError):
    """The models or the vocabulary cannot be turned into valid profile forms."""


@dataclass(frozen=True)
class ProfileField:
    """One question of a profile form and the field of the record its answer fills.

    ``key`` is the path in the YAML record (``("contact", "github")``); ``()`` for the form's
    own questions (consent, answers to remove). ``options`` are the labels shown, ``values``
    the ids (or values) they stand for, in the same order.
    """

    id: str
    key: tuple[str, ...]
    kind: FieldKind
    label: str
    description: str
    options: tuple[str, ...] = ()
    values: tuple[Any, ...] = ()
    multiple: bool = False
    required: bool = False
    placeholder: str = ""
    max_items: int | None = None
    max_chars: int = 400
    vocabulary_kind: str | None = None
    #: a comma-separated list typed into an input (degrees, maintainers)
    typed_list: bool = False

    def value_of(self, option: str) -> Any:
        """The value an option label stands for, or ``None`` when it is not an option."""
        try:
            return self.values[self.options.index(option)]
        except ValueError:
            return None


@dataclass(frozen=True)
class FieldText:
    """Our words for one model field: its question, its help text, and an input's example."""

    label: str
    help: str
    placeholder: str = ""


#: The mentor form's questions, by model field (``contact.github`` for a nested one).
MENTOR_TEXT: dict[str, FieldText] = {
    "program": FieldText(
        "Program id",
        "The id of the mentor's program, as in the address of its page in the directory "
        "(for …/programs/lakeshore-som/ write lakeshore-som).",
        "lakeshore-som",
    ),
    "id": FieldText(
        "Mentor id",
        "A short id for the mentor's page address: the name in lower case with hyphens, such as "
        "jordan-sample. Lower-case letters, digits and single hyphens.",
        "jordan-sample",
    ),
    "name": FieldText("Name", "The name as the mentor wants it shown, with degrees if they like.", ""),
    "pronouns": FieldText("Pronouns", "Only if the mentor wants them shown.", "they/them"),
    "title": FieldText("Position or title", "The mentor's position, in one line.", ""),
    "profession": FieldText("Profession", "The mentor's profession."),
    "stage": FieldText("Career stage", "Where the mentor is in their career."),
    "degrees": FieldText("Degrees", "Separate several with commas, up to 8.", "MD, MPH"),
    "specialties": FieldText("Specialties", "Up to 8."),
    "areas": FieldText("Areas the mentor can help with", "Choose at least one, up to 15."),
    "affinities": FieldText(
        "Identities the mentor shares publicly",
        "Only identities the mentor has agreed to show on the public site (up to 15). Never "
        "choose one without their consent.",
    ),
    "languages": FieldText(
        "Languages the mentor can mentor in",
        "Not in this list? Write it under **Other languages** below. At least one language in all.",
    ),
    "meeting": FieldText("Ways to meet", "How the mentor can meet mentees (one or both)."),
    "state": FieldText("State or territory", "Where the mentor works."),
    "timezone": FieldText("Time zone", "An IANA time zone name, such as America/Chicago.", "America/Chicago"),
    "capacity": FieldText("How many mentees at once", "How many mentees the mentor can take at a time."),
    "accepting": FieldText("Accepting new mentees", "Whether the mentor takes new mentees now."),
    "contact.github": FieldText(
        "GitHub user name",
        "The mentor's GitHub user name, without @. The request bot invites the mentor with it, "
        "and the mentor can then update this profile with the **Update my profile** form.",
        "jordan-sample",
    ),
    "contact.url": FieldText(
        "Profile page", "https:// address of an institutional profile page.", "https://…"
    ),
    "contact.booking": FieldText(
        "Booking page",
        "https:// address of a page where a mentee books a first meeting and gives an email "
        "privately, such as an institution's appointment scheduler.",
        "https://…",
    ),
    "contact.orcid": FieldText(
        "ORCID iD", "Used only to spot the same person listed twice.", "0000-0002-1825-0097"
    ),
    "recognition": FieldText(
        "Mentoring record",
        "Public: the mentor's page shows a record of their mentoring (mentees mentored, areas "
        "helped with, thank-you notes; never a mentee's name) for a promotion dossier. Private "
        "(the default): the record is kept off the site, and the mentor or their coordinator can "
        "still print it with the CLI.",
    ),
    "bio": FieldText(
        "Short bio",
        "Plain text or simple Markdown (*emphasis*, lists, https links); no HTML, no email "
        "addresses. Up to 1,500 characters.",
    ),
}

PROGRAM_TEXT: dict[str, FieldText] = {
    "id": FieldText(
        "Program id",
        "A short id for the program's page address, such as lakeshore-som. Lower-case letters, "
        "digits and single hyphens; hard to change later.",
        "lakeshore-som",
    ),
    "name": FieldText("Program name", "The name of the mentoring program."),
    "institution": FieldText("Institution", "The institution the program belongs to."),
    "profession": FieldText("Main profession", "The main profession of the program."),
    "state": FieldText("State or territory", "Where the program is."),
    "website": FieldText("Program website", "https:// address of the program's web page.", "https://…"),
    "maintainers": FieldText(
        "Maintainers",
        "GitHub user names of the coordinators who will approve changes to this program's "
        "mentors, without @, separated by commas (at least one; two is safer).",
        "lakeshore-coord, lakeshore-dean",
    ),
    "coordinator_url": FieldText(
        "Coordinator contact page",
        "https:// address of a page where mentees reach the coordinator privately (a contact "
        "form). The request bot sends a mentee there to be introduced to a mentor who has no "
        "booking page.",
        "https://…",
    ),
    "requests": FieldText(
        "Where mentees send requests",
        "https:// address of the institution's page or form where the program receives mentor "
        "requests from students who have no GitHub account (never an email address). The "
        "private team page lists it beside the program.",
        "https://…",
    ),
    "introduction_days": FieldText(
        "Days to introduce a mentee",
        "Within how many days the coordinator introduces a mentee to a mentor who accepted.",
    ),
    "description": FieldText("Description", "One or two sentences about the program, in plain text."),
}

#: Model fields no form asks, and why.
NOT_ASKED: dict[str, str] = {
    "mentor.private_affinities": "anything typed in a public issue is public",
    "mentor.last_confirmed": "the bot writes the date the consent box was ticked",
}

_MENTOR_CONSENT = (
    "The mentor has agreed to publish everything above, including the identities they share, "
    "and confirmed it is correct"
)
_SELF_CONSENT = "I agree to publish everything in my profile, and it is correct"
_PROGRAM_CONSENT = "Everything above may be published, and the maintainers agreed to be listed"


def _meta(model: type[BaseModel], name: str) -> dict[str, int]:
    """The bounds of a model field: max_length, ge, le."""
    out: dict[str, int] = {}
    for item in model.model_fields[name].metadata:
        if isinstance(item, annotated_types.MaxLen):
            out["max"] = int(item.max_length)
        if isinstance(item, annotated_types.Ge):
            out["ge"] = int(item.ge)  # type: ignore[call-overload]
        if isinstance(item, annotated_types.Le):
            out["le"] = int(item.le)  # type: ignore[call-overload]
    return out


def _terms(vocab: Vocabulary, kind: str, only: Sequence[str] | None = None) -> tuple[tuple[str, ...], ...]:
    terms = vocab.terms[kind]
    if only is not None:
        chosen = sorted(
            (terms[t] for t in only if t in terms and not terms[t].deprecated),
            key=lambda t: t.label.casefold(),
        )
    else:
        chosen = [t for t in terms.values() if not t.deprecated]
    return tuple(t.label for t in chosen), tuple(t.id for t in chosen)


#: Coded fields: model field → vocabulary, and whether it takes several ids.
_CODED: dict[str, tuple[str, bool]] = {
    "profession": ("professions", False),
    "stage": ("stages", False),
    "state": ("states", False),
    "specialties": ("specialties", True),
    "areas": ("areas", True),
    "affinities": ("affinities", True),
    "languages": ("languages", True),
    "meeting": ("meeting", True),
}
_TEXTAREAS = frozenset({"bio", "description"})
_TYPED_LISTS = frozenset({"degrees", "maintainers"})


def _field_id(key: str) -> str:
    return key.replace(".", "-").replace("_", "-")


def _model_fields(model: type[BaseModel], prefix: str = "") -> list[tuple[str, type[BaseModel], str]]:
    """(dotted key, model, field name) of every field, nested models flattened (``contact.github``)."""
    out: list[tuple[str, type[BaseModel], str]] = []
    for name, info in model.model_fields.items():
        if name == "contact" and model is Mentor:
            out += _model_fields(Contact, prefix=f"{prefix}contact.")
            continue
        del info
        out.append((prefix + name, model, name))
    return out


def _question(
    vocab: Vocabulary, key: str, model: type[BaseModel], name: str, text: FieldText, *, update: bool
) -> list[ProfileField]:
    info = model.model_fields[name]
    required = info.is_required() and not update
    meta = _meta(model, name)
    lead = (
        "Optional: leave empty to keep what the profile says now. "
        if update
        else ("Required. " if required else "Optional. ")
    )
    path = tuple(key.split("."))
    common: dict[str, Any] = {"id": _field_id(key), "key": path, "label": text.label}
    if name in _CODED:
        kind, multiple = _CODED[name]
        labels, ids = _terms(vocab, kind, COMMON_LANGUAGES if name == "languages" else None)
        fields = [
            ProfileField(
                **common,
                kind="dropdown",
                description=lead + text.help,
                options=labels,
                values=ids,
                multiple=multiple,
                # languages may all be typed under "Other languages": the parser checks there is one
                required=required and name != "languages",
                max_items=meta.get("max") if multiple else 1,
                vocabulary_kind=kind,
            )
        ]
        if name == "languages":
            fields.append(
                ProfileField(
                    id=OTHER_LANGUAGES_ID,
                    key=path,
                    kind="input",
                    label="Other languages",
                    description="Optional. Languages that are not in the list above: their names in "
                    "English or their two-letter ISO 639-1 codes, separated by commas.",
                    placeholder="Zulu, ln",
                    max_items=meta.get("max"),
                    vocabulary_kind="languages",
                )
            )
        return fields
    if name == "accepting":
        return [
            ProfileField(
                **common,
                kind="dropdown",
                description=lead + text.help,
                options=(YES, NO),
                values=(True, False),
                required=required,
                max_items=1,
            )
        ]
    if name == "recognition":
        return [
            ProfileField(
                **common,
                kind="dropdown",
                description=lead + text.help,
                options=("Private", "Public"),
                values=("private", "public"),
                required=required,
                max_items=1,
            )
        ]
    if "ge" in meta and "le" in meta:
        numbers = tuple(range(meta["ge"], meta["le"] + 1))
        return [
            ProfileField(
                **common,
                kind="dropdown",
                description=lead + text.help,
                options=tuple(str(n) for n in numbers),
                values=numbers,
                required=required,
                max_items=1,
            )
        ]
    textarea = name in _TEXTAREAS
    max_chars = meta.get("max", 300) if name not in _TYPED_LISTS else 1000
    return [
        ProfileField(
            **common,
            kind="textarea" if textarea else "input",
            description=lead + text.help,
            required=required,
            placeholder=text.placeholder,
            max_items=meta.get("max") if name in _TYPED_LISTS else None,
            max_chars=max_chars,
            typed_list=name in _TYPED_LISTS,
        )
    ]


def _questions(
    vocab: Vocabulary, model: type[BaseModel], texts: dict[str, FieldText], prefix: str, *, update: bool
) -> list[ProfileField]:
    keys = _model_fields(model)
    known = {key for key, _, _ in keys}
    unknown = set(texts) - known
    undecided = [k for k in known if k not in texts and f"{prefix}.{k}" not in NOT_ASKED]
    if unknown or undecided:
        raise ProfileFormConfigError(
            f"the {prefix} form and the {model.__name__} model disagree: fields asked but not in the "
            f"model {sorted(unknown)}, fields in the model neither asked nor in NOT_ASKED {sorted(undecided)}"
        )
    fields: list[ProfileField] = []
    for key in texts:  # the order the form shows
        entry = next(item for item in keys if item[0] == key)
        if update and key == "program":
            continue  # the program of an existing profile is the folder it is in
        fields += _question(vocab, key, entry[1], entry[2], texts[key], update=update)
    return fields


def _clear_field(questions: Sequence[ProfileField]) -> ProfileField:
    """The update form's "remove these answers": one box per optional field."""
    optional = [
        f for f in questions if f.id != OTHER_LANGUAGES_ID and not Mentor.model_fields[f.key[0]].is_required()
    ]
    return ProfileField(
        id=CLEAR_ID,
        key=(),
        kind="checkboxes",
        label="Answers to remove",
        description="Optional. Tick a box to remove that answer from the profile (an empty answer "
        "above keeps it as it is).",
        options=tuple(f"Remove: {f.label}" for f in optional),
        values=tuple(f.key for f in optional),
        multiple=True,
        max_chars=4000,
    )


def _consent(label: str) -> ProfileField:
    return ProfileField(
        id=CONSENT_ID,
        key=(),
        kind="checkboxes",
        label="Consent",
        description="Required. Everything in this issue is public, and so is the profile.",
        options=(label,),
        values=(True,),
        required=True,
        max_chars=400,
    )


def form_fields(form: FormName, vocab: Vocabulary | None = None) -> list[ProfileField]:
    """The questions of FORM, in the order it shows them."""
    vocab = vocab or vocabulary()
    if form == "add-program":
        fields = _questions(vocab, Program, PROGRAM_TEXT, "program", update=False)
        fields.append(_consent(_PROGRAM_CONSENT))
    elif form == "add-mentor":
        fields = _questions(vocab, Mentor, MENTOR_TEXT, "mentor", update=False)
        fields.append(_consent(_MENTOR_CONSENT))
    else:
        questions = _questions(vocab, Mentor, MENTOR_TEXT, "mentor", update=True)
        mentor_id = next(f for f in questions if f.id == "id")
        mentor_id = ProfileField(
            id="id",
            key=("id",),
            kind="input",
            label=mentor_id.label,
            description="Required. The id of the profile to update: the last part of the address "
            "of its page in the directory (for …/mentors/jordan-sample/ write jordan-sample).",
            required=True,
            placeholder="jordan-sample",
            max_chars=64,
        )
        rest = [f for f in questions if f.id != "id"]
        fields = [mentor_id, *rest, _clear_field(rest), _consent(_SELF_CONSENT)]
    _check(fields)
    return fields


def _check(fields: Sequence[ProfileField]) -> None:
    """GitHub's rules for issue forms, and the parser's needs."""
    problems: list[str] = []
    ids = [f.id for f in fields]
    labels = [f.label.casefold() for f in fields]
    if len(set(ids)) != len(ids) or len(set(labels)) != len(labels):
        problems.append("field ids and labels must be unique")
    for f in fields:
        if not f.id.replace("-", "").replace("_", "").isalnum():
            problems.append(f"id {f.id!r} may contain only letters, digits, - and _")
        for option in f.options:
            if option.strip() != option or not option or "\n" in option or option in EMPTY_ANSWERS:
                problems.append(f"{f.id}: option {option!r} is not usable")
            if f.kind == "dropdown" and "," in option:
                problems.append(f"{f.id}: option {option!r} must not contain a comma")
    if problems:
        raise ProfileFormConfigError("; ".join(problems))


# --------------------------------------------------------------------------- the files


def vocabulary_url(repository_url: str = DEFAULT_REPOSITORY_URL) -> str:
    return f"{repository_url.rstrip('/')}/blob/main/docs/vocabulary.md"


def guide_url(repository_url: str = DEFAULT_REPOSITORY_URL) -> str:
    return f"{repository_url.rstrip('/')}/blob/main/docs/contributing-mentors.md"


def _intro(form: FormName, repository_url: str) -> str:
    who = {
        "add-mentor": "Only a maintainer of the mentor's program (listed in its program file) can "
        "add a mentor to it.",
        "update-mentor": "The mentor themself (the GitHub user name in the profile) or a maintainer "
        "of the mentor's program can update a profile.",
        "add-program": "Anyone can propose a program; the network's core maintainers review it.",
    }[form]
    return (
        "## This issue is public, forever\n"
        "\n"
        "**Anything you type here is public**: anyone on the internet can read this issue and "
        "every edit of it, and GitHub keeps the earlier versions. Type only what may be published "
        "in the directory. Never an email address. Identities a mentor wants to use for matching "
        "only (private affinities) do not belong here: the "
        f"[guide]({guide_url(repository_url)}#private-affinities) says how a program adds them.\n"
        "\n"
        f"{who} A bot checks every answer, comments here with anything to fix (edit this issue "
        "to fix it), and then opens a pull request that a maintainer reviews. The ids in the "
        f"lists are explained in the [vocabulary]({vocabulary_url(repository_url)})."
    )


def form_document(form: FormName, repository_url: str = DEFAULT_REPOSITORY_URL) -> dict[str, Any]:
    """The issue form as data (GitHub's form schema)."""
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": _intro(form, repository_url)}}]
    for f in form_fields(form):
        attributes: dict[str, Any] = {"label": f.label, "description": f.description}
        if f.kind in ("input", "textarea") and f.placeholder:
            attributes["placeholder"] = f.placeholder
        elif f.kind == "dropdown":
            attributes["multiple"] = f.multiple
            attributes["options"] = list(f.options)
        elif f.kind == "checkboxes":
            attributes["options"] = [{"label": o, "required": f.required} for o in f.options]
        item: dict[str, Any] = {"type": f.kind, "id": f.id, "attributes": attributes}
        if f.required and f.kind != "checkboxes":
            item["validations"] = {"required": True}
        body.append(item)
    return {
        "name": FORM_TITLES[form],
        "description": {
            "add-mentor": "For program maintainers: add a mentor to your program. Public.",
            "update-mentor": "For mentors and their program maintainers: change a profile. Public.",
            "add-program": "Add a mentoring program to the network. Public.",
        }[form],
        "title": FORM_TITLES[form],
        "labels": [FORM_LABELS[form]],
        "body": body,
    }


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, so the generated form reads like a hand-written one."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)

_HEADER = (
    "# Generated by `mentormemed issue-form --write` from schemas/vocabulary.yml and the Mentor and\n"
    "# Program models (generator/profiles/forms.py): do not edit by hand; `make test` fails when stale.\n"
)


def render_files(repository_url: str = DEFAULT_REPOSITORY_URL) -> dict[str, str]:
    """File name (in .github/ISSUE_TEMPLATE) → text of every profile form."""
    return {
        FORM_FILES[form]: _HEADER
        + yaml.dump(
            form_document(form, repository_url),
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            width=100,
        )
        for form in FORMS
    }


def stale_files(directory: Path, repository_url: str = DEFAULT_REPOSITORY_URL) -> list[Path]:
    """Profile forms that are missing or differ from what the models and vocabulary give."""
    return [
        directory / name
        for name, text in render_files(repository_url).items()
        if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != text
    ]


def write_files(directory: Path, repository_url: str = DEFAULT_REPOSITORY_URL) -> list[Path]:
    """Write the profile forms; returns those that changed."""
    changed = stale_files(directory, repository_url)
    directory.mkdir(parents=True, exist_ok=True)
    texts = render_files(repository_url)
    for path in changed:
        path.write_text(texts[path.name], encoding="utf-8")
    return changed


# --------------------------------------------------------------------------- issue bodies


def render_issue_body(form: FormName, answers: dict[str, str]) -> str:
    """The issue body GitHub writes when FORM is submitted with ANSWERS (field id → the text
    GitHub writes for it; missing answers are ``_No response_``, the consent box is ticked
    unless ``answers`` says otherwise). For tests and the docs."""
    parts = []
    for f in form_fields(form):
        if f.kind == "checkboxes":
            ticked = answers.get(f.id)
            if ticked is None:
                ticked_labels = set(f.options) if f.id == CONSENT_ID else set()
            else:
                ticked_labels = {o.strip() for o in ticked.split("\n") if o.strip()}
            text = "\n".join(f"- [{'X' if o in ticked_labels else ' '}] {o}" for o in f.options)
        else:
            text = answers.get(f.id) or "_No response_"
        parts.append(f"### {f.label}\n\n{text}")
    return "\n\n".join(parts)

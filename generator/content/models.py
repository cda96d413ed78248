"""The data model: the one source of truth for content files and the generated schemas.

``Network`` (``content/network.yml``), ``Program`` (``content/programs/<id>.yml``), ``Mentor``
(``content/mentors/<program>/<id>.yml``) and ``Request`` (a mentee's request) are
pydantic models with ``extra="forbid"``. Coded fields are plain text ids; the models do not
read the vocabulary when they are defined. A coded field is checked against the vocabulary
given in the validation context (``Model.model_validate(data,
context=validation_context(vocab))``; without one, the project's ``schemas/vocabulary.yml``),
and :func:`json_schema` lists the ids of a given vocabulary as the field's ``enum``.
Errors raised here carry a short code (the error ``type``) and a message that says
how to fix the value; :mod:`generator.content.validation` adds file and line.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from generator.content.textrules import (
    UNSAFE_MULTILINE_TEXT_PATTERN,
    UNSAFE_TEXT_PATTERN,
    email_contact_problem,
    name_problem,
    text_problem,
)
from generator.content.urls import HTTPS_PATTERN, url_character_problem
from generator.content.vocabulary import KINDS, Vocabulary, vocabulary

SCHEMA_BASE = "https://mentormemed.github.io/directory/schemas/"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
GITHUB_PATTERN = r"^[A-Za-z0-9](-?[A-Za-z0-9])*$"
#: A team's slug, the part after ``organization/``.
TEAM_SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
#: A GitHub user name, or a team written ``organization/team``.
GITHUB_OWNER_PATTERN = r"^[A-Za-z0-9](-?[A-Za-z0-9])*(/[A-Za-z0-9][A-Za-z0-9_-]*)?$"
ORCID_PATTERN = r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"
TIMEZONE_PATTERN = r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$"
MUST_FIELDS = ("affinities", "languages", "meeting", "profession", "state")
#: A profile whose last_confirmed is older than this many months is stale (docs/freshness.md).
DEFAULT_STALE_AFTER_MONTHS = 12


# --------------------------------------------------------------------------- helpers


#: The key of the validation context that holds the vocabulary coded fields are checked against.
VOCABULARY_CONTEXT = "vocabulary"
#: The key of a coded field's core schema metadata that names its vocabulary.
_VOCABULARY_KIND = "mentormemed_vocabulary"


def validation_context(vocab: Vocabulary | None) -> dict[str, Vocabulary] | None:
    """The ``context`` of ``model_validate`` that checks coded fields against ``vocab``
    (``None``: no context, so the project's vocabulary)."""
    return None if vocab is None else {VOCABULARY_CONTEXT: vocab}


def _context_vocabulary(info: ValidationInfo) -> Vocabulary:
    """The vocabulary of the validation context, else the project's."""
    context = info.context
    if isinstance(context, Mapping) and VOCABULARY_CONTEXT in context:
        vocab = context[VOCABULARY_CONTEXT]
        if not isinstance(vocab, Vocabulary):
            raise TypeError(f"the validation context's {VOCABULARY_CONTEXT!r} must be a Vocabulary")
        return vocab
    return vocabulary()


@dataclass(frozen=True)
class _Coded:
    """Makes a ``str`` an id of the vocabulary ``kind``: checked against the validation
    context's vocabulary; :class:`VocabularyJsonSchema` lists the ids as its ``enum``."""

    kind: str
    description: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        text = core_schema.str_schema(metadata={_VOCABULARY_KIND: self.kind})
        return core_schema.with_info_after_validator_function(self._check, text)

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(schema), "description": self.description}

    def _check(self, value: str, info: ValidationInfo) -> str:
        kind, noun, vocab = self.kind, KINDS[self.kind], _context_vocabulary(info)
        term = vocab.terms[kind].get(value)
        if term is None:
            hint = ""
            suggestions = vocab.suggest(kind, value)
            if suggestions:
                hint = (
                    " Did you mean "
                    + " or ".join(f"'{s}' ({vocab.label(kind, s)})" for s in suggestions)
                    + "?"
                )
            raise PydanticCustomError(
                "unknown-term",
                "'{value}' is not a known {noun}.{hint} Use an id from the {kind} list in "
                "docs/vocabulary.md.",
                {"value": value, "noun": noun, "hint": hint, "kind": kind},
            )
        if term.deprecated:
            raise PydanticCustomError(
                "retired-term",
                "the {noun} '{value}' is retired; use '{new}' instead.",
                {"value": value, "noun": noun, "new": term.replaced_by or "another term"},
            )
        return value


class VocabularyJsonSchema(GenerateJsonSchema):
    """A JSON Schema generator that lists the ids of :attr:`vocab` as each coded field's ``enum``
    (none when the vocabulary has no list of that kind).

    pydantic instantiates the generator class itself, so :func:`json_schema` makes a subclass
    that holds the vocabulary.
    """

    vocab: ClassVar[Vocabulary | None] = None

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        out = super().str_schema(schema)
        kind = schema.get("metadata", {}).get(_VOCABULARY_KIND)
        if kind is not None:
            vocab = vocabulary() if self.vocab is None else self.vocab
            if kind in vocab.terms:
                out["enum"] = vocab.ids(kind)
        return out


def json_schema(model: type[BaseModel], vocab: Vocabulary | None = None) -> dict[str, Any]:
    """The JSON Schema of ``model``, coded fields listing the ids of ``vocab`` (default: the
    project's vocabulary) as ``enum``. ``model.model_json_schema()`` leaves the ``enum`` out."""
    given = vocabulary() if vocab is None else vocab

    class _WithVocabulary(VocabularyJsonSchema):
        vocab = given

    return model.model_json_schema(schema_generator=_WithVocabulary)


def _unique(items: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    for item in items:
        if item in seen:
            raise PydanticCustomError("duplicate-item", "'{item}' is listed twice: keep one.", {"item": item})
        seen.add(item)
    return items


def _raise(problem: tuple[str, str] | None) -> None:
    if problem:
        raise PydanticCustomError(problem[0], problem[1].replace("{", "{{").replace("}", "}}"))


def _safe_text(value: str) -> str:
    """One line of published text (pronouns, a title, a degree)."""
    _raise(text_problem(value))
    return value


def _safe_multiline_text(value: str) -> str:
    """Published text that may have line breaks (a bio, a program's description)."""
    _raise(text_problem(value, multiline=True))
    return value


def _safe_name(value: str) -> str:
    _raise(text_problem(value, noun="name"))
    _raise(name_problem(value))
    return value


def _https(value: str) -> str:
    _raise(url_character_problem(value))
    parts = urlsplit(value)
    if parts.username or parts.password:
        raise PydanticCustomError(
            "not-https", "the address must not contain a user name or password: remove the part before @."
        )
    _raise(text_problem(value, noun="address"))
    if parts.scheme != "https" or not re.match(HTTPS_PATTERN, value):
        raise PydanticCustomError(
            "not-https",
            "'{value}' is not an https:// web address. Copy the full address from the "
            "browser's address bar; it must start with https://. If the page has no https "
            "version, link one that has.",
            {"value": value},
        )
    return value


def _requests_contact(value: Any) -> Any:
    """A program's ``requests`` contact: a web page or form, never an email address (checked
    first, for its own message; then the https rule)."""
    if not isinstance(value, str):
        return value
    _raise(
        email_contact_problem(
            value,
            field="this contact",
            instead="the address of the institution's web page or form where it receives mentor "
            "requests, such as https://lakeshore.example.edu/mentoring/request",
        )
    )
    return value


def _github(value: str) -> str:
    if value.startswith("@") or "github.com" in value:
        handle = value.rstrip("/").rsplit("/", 1)[-1].lstrip("@")
        raise PydanticCustomError(
            "bad-github-handle",
            "write only the GitHub user name, without @ or a web address: '{handle}'.",
            {"handle": handle},
        )
    if len(value) > 39 or not re.match(GITHUB_PATTERN, value):
        raise PydanticCustomError(
            "bad-github-handle",
            "'{value}' is not a GitHub user name (letters, digits and single hyphens, "
            "at most 39 characters).",
            {"value": value},
        )
    return value


def _github_owner(value: str) -> str:
    """A GitHub user name, or a team as ``organization/team`` (CODEOWNERS accepts both)."""
    if value.startswith("@") or "github.com" in value:
        handle = value.rstrip("/").removeprefix("https://").removeprefix("github.com/")
        if "/orgs/" in value and "/teams/" in value:
            handle = value.rstrip("/").split("/orgs/", 1)[1].replace("/teams/", "/")
        raise PydanticCustomError(
            "bad-github-handle",
            "write only the GitHub user name, or organization/team for a team, without @ or a "
            "web address: '{handle}'.",
            {"handle": handle.lstrip("@")},
        )
    if "/" not in value:
        return _github(value)
    organization, _, team = value.partition("/")
    if len(organization) > 39 or not re.match(GITHUB_PATTERN, organization):
        raise PydanticCustomError(
            "bad-github-team",
            "'{value}' is not a GitHub team: write organization/team, where the organization is "
            "a GitHub organization name (letters, digits and single hyphens).",
            {"value": value},
        )
    if len(team) > 100 or not re.match(TEAM_SLUG_PATTERN, team):
        raise PydanticCustomError(
            "bad-github-team",
            "'{value}' is not a GitHub team: after organization/ write the team's short name as "
            "it appears in the team's web address (letters, digits, - and _).",
            {"value": value},
        )
    return value


def _orcid(value: str) -> str:
    if not re.match(ORCID_PATTERN, value):
        raise PydanticCustomError(
            "bad-orcid",
            "'{value}' is not an ORCID iD: write it as 0000-0002-1825-0097.",
            {"value": value},
        )
    digits = value.replace("-", "")
    total = 0
    for digit in digits[:-1]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    if digits[-1] != ("X" if check == 10 else str(check)):
        raise PydanticCustomError(
            "bad-orcid",
            "the ORCID iD '{value}' has a wrong check digit: copy it again from orcid.org.",
            {"value": value},
        )
    return value


def _timezone(value: str) -> str:
    if not re.match(TIMEZONE_PATTERN, value) or value not in _timezones():
        raise PydanticCustomError(
            "unknown-timezone",
            "'{value}' is not an IANA time zone: write one such as America/Chicago, "
            "America/New_York, America/Denver, America/Los_Angeles or Pacific/Honolulu.",
            {"value": value},
        )
    return value


_TZ_CACHE: set[str] = set()


def _timezones() -> set[str]:
    if not _TZ_CACHE:
        _TZ_CACHE.update(zoneinfo.available_timezones())
    return _TZ_CACHE


def _date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        raise PydanticCustomError(
            "bad-date",
            "'{value}' is not a date: write it as YYYY-MM-DD, e.g. 2025-09-01.",
            {"value": str(value)},
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "bad-date",
            "'{value}' is not a real calendar date: check the month and day.",
            {"value": value},
        ) from None


def _not_future(value: dt.date) -> dt.date:
    if value > dt.date.today():
        raise PydanticCustomError(
            "future-date",
            "the date {value} is in the future: write the day the mentor last confirmed the profile.",
            {"value": value.isoformat()},
        )
    return value


def _no_html_schema(*, multiline: bool = False, **extra: Any) -> dict[str, Any]:
    pattern = UNSAFE_MULTILINE_TEXT_PATTERN if multiline else UNSAFE_TEXT_PATTERN
    return {"not": {"type": "string", "pattern": pattern}, **extra}


# --------------------------------------------------------------------------- field types

Profession = Annotated[str, _Coded("professions", "A profession id from the vocabulary.")]
Stage = Annotated[str, _Coded("stages", "A career stage id from the vocabulary.")]
Specialty = Annotated[str, _Coded("specialties", "A specialty id from the vocabulary.")]
Affinity = Annotated[str, _Coded("affinities", "An affinity id from the vocabulary.")]
Area = Annotated[str, _Coded("areas", "An area-of-need id from the vocabulary.")]
Language = Annotated[str, _Coded("languages", "An ISO 639-1 language code.")]
Meeting = Annotated[str, _Coded("meeting", "A meeting mode id from the vocabulary.")]
State = Annotated[str, _Coded("states", "A USPS state or territory code.")]
Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=2, max_length=64)]
Text = Annotated[str, AfterValidator(_safe_text), Field(json_schema_extra=_no_html_schema())]
MultilineText = Annotated[
    str, AfterValidator(_safe_multiline_text), Field(json_schema_extra=_no_html_schema(multiline=True))
]
Name = Annotated[
    str,
    AfterValidator(_safe_name),
    Field(min_length=2, max_length=100, json_schema_extra=_no_html_schema()),
]
HttpsUrl = Annotated[
    str,
    AfterValidator(_https),
    Field(max_length=300, json_schema_extra={"pattern": HTTPS_PATTERN, "format": "uri"}),
]
GitHubHandle = Annotated[
    str,
    AfterValidator(_github),
    Field(json_schema_extra={"pattern": GITHUB_PATTERN, "maxLength": 39}),
]
GitHubOwner = Annotated[
    str,
    AfterValidator(_github_owner),
    Field(json_schema_extra={"pattern": GITHUB_OWNER_PATTERN, "maxLength": 140}),
]
Orcid = Annotated[str, AfterValidator(_orcid), Field(json_schema_extra={"pattern": ORCID_PATTERN})]
TimeZone = Annotated[str, AfterValidator(_timezone), Field(json_schema_extra={"pattern": TIMEZONE_PATTERN})]
ConfirmedDate = Annotated[
    dt.date,
    BeforeValidator(_date),
    AfterValidator(_not_future),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]


def _list(item: Any, *, min_items: int = 0, max_items: int, description: str, examples: list[Any]) -> Any:
    """A list field; a list that needs at least one item is required."""
    default: dict[str, Any] = {} if min_items else {"default_factory": list}
    return Field(
        **default,
        min_length=min_items,
        max_length=max_items,
        description=description,
        examples=examples,
        json_schema_extra={"uniqueItems": True},
    )


UniqueList = Annotated[list[Any], AfterValidator(_unique)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=False)


# --------------------------------------------------------------------------- models


class Contact(_Model):
    """How mentees and the bot reach a mentor, without an email address."""

    model_config = ConfigDict(title="Contact")

    github: GitHubHandle | None = Field(
        None,
        description="GitHub user name; the request bot mentions it (optional).",
        examples=["mmm-sample-ana-example"],
    )
    url: HttpsUrl | None = Field(
        None,
        description="https:// address of an institutional profile page (optional).",
        examples=["https://medicine.example.edu/faculty/ana-example"],
    )
    booking: HttpsUrl | None = Field(
        None,
        description="https:// address of a booking page where a mentee books a first meeting and "
        "gives an email privately, such as an institution's appointment scheduler; the request "
        "bot sends mentees there when the mentor accepts (optional).",
        examples=["https://calendar.example.edu/book/ana-example"],
    )
    orcid: Orcid | None = Field(
        None,
        description="ORCID iD, used only to spot the same person listed twice (optional).",
        examples=["0000-0002-1825-0097"],
    )


class Network(_Model):
    """The network's own settings (``content/network.yml``): its name, addresses and the core
    maintainers who own everything that is not a program's folder (see ``.github/CODEOWNERS``)."""

    model_config = ConfigDict(
        title="Network",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_BASE + "network.schema.json",
        },
    )

    name: Name = Field(description="Name of the network.", examples=["MentorMeMed Sample Network"])
    site_url: HttpsUrl = Field(
        description="https:// address of the network's directory site.",
        examples=["https://mentormemed.github.io/directory"],
    )
    repository_url: HttpsUrl | None = Field(
        None,
        description="https:// address of the network's content repository (optional).",
        examples=["https://github.com/mentormemed/directory"],
    )
    core_maintainers: Annotated[list[GitHubOwner], AfterValidator(_unique)] = Field(
        min_length=1,
        max_length=20,
        description="Who approves every change outside the programs' own folders (the workflows, "
        "the site's code, the schemas, new programs, .github/CODEOWNERS itself): GitHub user names, "
        "or teams written organization/team.",
        examples=[["mmm-sample-core-lead", "mmm-sample-network/core-maintainers"]],
        json_schema_extra={"uniqueItems": True},
    )
    stale_after_months: int = Field(
        DEFAULT_STALE_AFTER_MONTHS,
        ge=3,
        le=36,
        description="Months after a mentor's last_confirmed date at which the profile is stale: "
        "marked on the site, left out of new matches and listed on its program's reminder issue "
        "(validation warns a month earlier; 3–36, default 12).",
        examples=[DEFAULT_STALE_AFTER_MONTHS],
    )


class Program(_Model):
    """A program or institution that contributes mentors (``content/programs/<id>.yml``)."""

    model_config = ConfigDict(
        title="Program",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_BASE + "program.schema.json",
        },
    )

    id: Id = Field(description="Short id, equal to the file name without .yml.", examples=["lakeshore-som"])
    name: Name = Field(
        description="Name of the program.",
        examples=["Lakeshore School of Medicine Mentoring Program"],
    )
    institution: Name = Field(description="The institution it belongs to.", examples=["Lakeshore University"])
    profession: Profession = Field(description="Main profession of the program.", examples=["md"])
    state: State = Field(description="USPS code of the state or territory.", examples=["IL"])
    website: HttpsUrl = Field(
        description="https:// address of the program's web page.",
        examples=["https://lakeshore.example.edu/mentoring"],
    )
    maintainers: Annotated[list[GitHubHandle], AfterValidator(_unique)] = Field(
        min_length=1,
        max_length=20,
        description="GitHub user names of the coordinators who approve changes to this program's mentors.",
        examples=[["mmm-sample-lakeshore-coord"]],
        json_schema_extra={"uniqueItems": True},
    )
    coordinator_url: HttpsUrl | None = Field(
        None,
        description="https:// address of a contact page where mentees reach the program's "
        "coordinator privately; the request bot sends a mentee there to be introduced to a "
        "mentor who has no booking page (optional).",
        examples=["https://lakeshore.example.edu/mentoring/contact"],
    )
    requests: Annotated[HttpsUrl, BeforeValidator(_requests_contact)] | None = Field(
        None,
        description="https:// address of the institution's web page or form where the program "
        "receives mentor requests from its students, who may have no GitHub account; its "
        "coordinator then files the request for them. The private team page lists it. Never an "
        "email address (optional).",
        examples=["https://lakeshore.example.edu/mentoring/request"],
    )
    introduction_days: int = Field(
        7,
        ge=1,
        le=30,
        description="Days within which the coordinator introduces a mentee to a mentor who "
        "accepted; the request bot gives the date (1–30, default 7).",
        examples=[7],
    )
    description: Annotated[MultilineText, Field(max_length=1000)] = Field(
        description="One or two sentences about the program (plain text).",
        examples=["A mentoring program for students of Lakeshore School of Medicine."],
    )


class Mentor(_Model):
    """One mentor's public profile (``content/mentors/<program>/<id>.yml``)."""

    model_config = ConfigDict(
        title="Mentor",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_BASE + "mentor.schema.json",
        },
    )

    id: Id = Field(
        description="Short id, equal to the file name without .yml; used in web addresses.",
        examples=["ana-example"],
    )
    name: Name = Field(description="Name as the mentor wants it shown.", examples=["Ana Example, MD"])
    pronouns: Annotated[Text, Field(max_length=40)] | None = Field(
        None, description="Pronouns, if the mentor wants them shown.", examples=["she/her"]
    )
    title: Annotated[Text, Field(max_length=120)] | None = Field(
        None,
        description="Position or title (optional).",
        examples=["Assistant Professor of Emergency Medicine"],
    )
    program: Id = Field(description="Program id, equal to the folder name.", examples=["lakeshore-som"])
    profession: Profession = Field(description="Profession id.", examples=["md"])
    stage: Stage = Field(description="Career stage id.", examples=["early-faculty"])
    degrees: Annotated[list[Annotated[Text, Field(min_length=1, max_length=20)]], AfterValidator(_unique)] = (
        _list(
            str,
            max_items=8,
            description="Degrees, free text (MD, DO, DNP, PharmD, MPH…).",
            examples=[["MD", "MPH"]],
        )
    )
    specialties: Annotated[list[Specialty], AfterValidator(_unique)] = _list(
        str, max_items=8, description="Specialty ids.", examples=[["emergency-medicine"]]
    )
    areas: Annotated[list[Area], AfterValidator(_unique)] = _list(
        str,
        min_items=1,
        max_items=15,
        description="Area-of-need ids the mentor can help with.",
        examples=[["residency-application", "wellness"]],
    )
    affinities: Annotated[list[Affinity], AfterValidator(_unique)] = _list(
        str,
        max_items=15,
        description="Affinity ids the mentor consents to show publicly.",
        examples=[["first-generation", "hispanic-latino"]],
    )
    private_affinities: Annotated[list[Affinity], AfterValidator(_unique)] = _list(
        str,
        max_items=15,
        description="Affinity ids used for matching only: never published by the site or the bot. "
        "Private only while the content repository is private.",
        examples=[["lgbtq"]],
    )
    languages: Annotated[list[Language], AfterValidator(_unique)] = _list(
        str,
        min_items=1,
        max_items=10,
        description="ISO 639-1 codes of languages the mentor can mentor in.",
        examples=[["en", "es"]],
    )
    meeting: Annotated[list[Meeting], AfterValidator(_unique)] = _list(
        str,
        min_items=1,
        max_items=2,
        description="How the mentor can meet.",
        examples=[["virtual", "in-person"]],
    )
    state: State | None = Field(None, description="USPS code of where the mentor works.", examples=["IL"])
    timezone: TimeZone | None = Field(None, description="IANA time zone.", examples=["America/Chicago"])
    capacity: int = Field(ge=0, le=20, description="How many mentees at once (0–20).", examples=[3])
    accepting: bool = Field(description="true when accepting new mentees, false when not.", examples=[True])
    contact: Contact | None = Field(
        None, description="GitHub user name, profile page or ORCID; never an email."
    )
    bio: Annotated[MultilineText, Field(max_length=1500)] | None = Field(
        None,
        description="Short bio: plain text or simple Markdown (*emphasis*, lists, https links); no HTML.",
        examples=["I grew up in a farming town and was the first in my family to go to college."],
    )
    recognition: Literal["public", "private"] = Field(
        "private",
        description="public: the mentor's page shows a Mentoring record (mentees mentored, teams, "
        "check-ins, thank-you notes, per academic year) with a printable page per year; private "
        "(default): nothing of it is published, and the mentor or a coordinator can still make "
        "the record with `mentormemed recognition`.",
        examples=["public"],
    )
    last_confirmed: ConfirmedDate = Field(
        description="Date (YYYY-MM-DD) the mentor last confirmed the whole profile, including consent "
        "to publish the listed affinities.",
        examples=["2025-09-01"],
    )

    @field_validator("private_affinities")
    @classmethod
    def _private_not_public(cls, private: list[str], info: ValidationInfo) -> list[str]:
        both = sorted(set(info.data.get("affinities") or ()) & set(private))
        if both:
            raise PydanticCustomError(
                "affinity-public-and-private",
                "{both} is listed in both affinities and private_affinities: keep it in one.",
                {"both": ", ".join(both)},
            )
        return private


class Request(_Model):
    """A mentee's request for a mentor team (from the issue form or the matching page)."""

    model_config = ConfigDict(
        title="Request",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_BASE + "request.schema.json",
        },
    )

    needs: Annotated[list[Area], AfterValidator(_unique)] = _list(
        str,
        min_items=1,
        max_items=10,
        description="Areas the mentee wants help with, most important first.",
        examples=[["residency-application", "belonging"]],
    )
    affinities: Annotated[list[Affinity], AfterValidator(_unique)] = _list(
        str,
        max_items=10,
        description="Identities the mentee would like to share with a mentor, most important first.",
        examples=[["first-generation"]],
    )
    specialties: Annotated[list[Specialty], AfterValidator(_unique)] = _list(
        str, max_items=5, description="Specialties of interest.", examples=[["emergency-medicine"]]
    )
    stage: Stage | None = Field(None, description="The mentee's career stage.", examples=["ms3"])
    profession: Profession | None = Field(None, description="The mentee's profession.", examples=["md"])
    languages: Annotated[list[Language], AfterValidator(_unique)] = _list(
        str,
        max_items=5,
        description="Languages the mentee would like to meet in.",
        examples=[["es"]],
    )
    meeting: Annotated[list[Meeting], AfterValidator(_unique)] = _list(
        str, max_items=2, description="Meeting modes the mentee can use.", examples=[["virtual"]]
    )
    state: State | None = Field(None, description="USPS code of where the mentee is.", examples=["TX"])
    team_size: int = Field(3, ge=1, le=5, description="How many mentors in the team (1–5).", examples=[3])
    mentors: Annotated[list[Id], AfterValidator(_unique)] = _list(
        str,
        max_items=5,
        description="Ids of mentors asked for by name.",
        examples=[["ana-example"]],
    )
    must: Annotated[
        list[Literal["affinities", "languages", "meeting", "profession", "state"]],
        AfterValidator(_unique),
    ] = _list(
        str,
        max_items=5,
        description="Which of affinities, languages, meeting, profession, state are requirements, "
        "not preferences.",
        examples=[["languages"]],
    )

    @field_validator("must")
    @classmethod
    def _must_has_values(cls, must: list[str], info: ValidationInfo) -> list[str]:
        for name in must:
            if name in info.data and not info.data[name]:
                raise PydanticCustomError(
                    "must-without-value",
                    "'{name}' is marked as a must, but no {name} are given: fill it in or untick it.",
                    {"name": name},
                )
        return must


MODELS: dict[str, type[BaseModel]] = {
    "network": Network,
    "program": Program,
    "mentor": Mentor,
    "request": Request,
}

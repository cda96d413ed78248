"""Reading a mentee's request from an issue body written by the request form.

GitHub writes a submitted issue form as Markdown: ``### <label>``, a blank line, the answer,
a blank line, the next ``### <label>``… An empty answer is ``_No response_`` (``None`` for a
dropdown's empty choice), a multi-select answer lists the chosen options separated by
commas, and checkboxes are ``- [X] <label>`` / ``- [ ] <label>`` lines. Anyone can edit the
body afterwards, so :func:`parse_issue_body` trusts nothing in it:

* headings are matched exactly against the form's labels (:func:`generator.requests.issue_form.form_fields`,
  the same source that generates the form); an unknown ``### `` heading, text above the first
  question, or a question given twice (field spoofing) is refused;
* code fences are not special: a line that is a heading counts as one wherever it stands, so
  a heading cannot be hidden inside (or escape from) a code block, and an unclosed fence cannot
  swallow the rest of the form;
* every answer must be one of the form's options (or, for typed fields, a mentor id or a known
  language); lengths are capped (the whole body at GitHub's 65,536 characters, each answer at
  the longest the form can produce);
* the result is a validated :class:`~generator.content.models.Request`, which holds only vocabulary
  ids, mentor ids and a number: no text from the body reaches it.

Everything wrong is reported at once in an :class:`IssueFormError`, in words a mentee
understands; a body that is not the form at all gets :class:`NotARequestForm` with a link to
the form. Nothing from the body is ever logged, and ``str()`` of the errors holds none of it;
the messages quote the mentee's answers (cleaned and shortened) only in
:attr:`IssueProblem.message` and :attr:`IssueProblem.markdown`.
"""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from generator.content.models import ID_PATTERN, Request, validation_context
from generator.content.vocabulary import Vocabulary, vocabulary
from generator.core.defaults import DEFAULT_REPOSITORY_URL
from generator.requests.issue_form import (
    EMPTY_ANSWERS,
    MAIN_NEED_ID,
    MAX_BODY_CHARS,
    ON_BEHALF_ID,
    ON_BEHALF_PROGRAM_ID,
    OTHER_LANGUAGES_ID,
    Filing,
    FormField,
    form_fields,
    form_url,
)

log = logging.getLogger(__name__)

#: At most this many problems are listed; the rest are counted in a last one.
MAX_PROBLEMS = 25
#: Quoted answers are shortened to this many characters.
ECHO_CHARS = 40

_ID = re.compile(ID_PATTERN)
_HEADING = "### "
_CHECKBOX = re.compile(r"[-*]\s+\[([ xX])\]\s+(.*?)\s*")
_MENTOR_URL = re.compile(r"/mentors/([a-z0-9]+(?:-[a-z0-9]+)*)/?(?:index\.html)?$")


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class IssueProblem:
    """One thing wrong with a request, said to the mentee.

    ``template`` is our own text; ``{value}`` in it marks where the mentee's answer is
    quoted. ``value`` is that answer, cleaned (no line breaks, invisible characters shown
    as ``[U+200B]``) and shortened. Use :attr:`message` for plain text and
    :attr:`markdown` for a GitHub comment: it puts the answer in a code span, where
    Markdown, HTML, links and @-mentions are inert.
    """

    code: str
    template: str
    field: str | None = None
    value: str | None = None

    @property
    def message(self) -> str:
        if self.value is None:
            return self.template
        return self.template.replace("{value}", f"'{self.value}'")

    @property
    def markdown(self) -> str:
        if self.value is None:
            return self.template
        return self.template.replace("{value}", code_span(self.value))

    def as_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "code": self.code, "message": self.message}


class IssueFormError(ValueError):
    """The body is a request form with answers that cannot be used; ``problems`` says why."""

    def __init__(self, problems: Sequence[IssueProblem]) -> None:
        self.problems = list(problems)
        codes = ", ".join(dict.fromkeys(p.code for p in self.problems))
        # no answer text here: exceptions end up in logs
        super().__init__(f"{len(self.problems)} problem(s) in the request form ({codes})")

    @property
    def messages(self) -> list[str]:
        return [p.message for p in self.problems]


class NotARequestForm(IssueFormError):
    """The body did not come from the request form (or is empty, or too long to be one)."""


def code_span(text: str) -> str:
    """``text`` as a Markdown code span that its own backticks cannot close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def echo(text: str) -> str:
    """An answer (a mentee's, or a profile form's) as it may be quoted back: one line,
    invisible characters shown as code points, short."""
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\n\r":
            out.append(" ")
        elif category in {"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"}:
            out.append(f"[U+{ord(char):04X}]")
        else:
            out.append(char)
    cleaned = re.sub(r"\s+", " ", "".join(out)).strip()
    return cleaned if len(cleaned) <= ECHO_CHARS else cleaned[: ECHO_CHARS - 1].rstrip() + "…"


# --------------------------------------------------------------------------- the body


@dataclass
class Sections:
    """A form body cut at its headings: the answer under each known question (by field id), the
    problems with the headings themselves, and how many known questions there were."""

    answers: dict[str, str]
    problems: list[IssueProblem]
    known: int


@dataclass(frozen=True)
class HeadingFixes:
    """What a form's reader tells the writer to do about a heading problem (the request form and
    the profile forms word it for their own readers)."""

    unknown: str
    repeated: str
    preamble: str


REQUEST_FIXES = HeadingFixes(
    unknown="Keep the headings exactly as the form wrote them, and remove any you added.",
    repeated="Keep it once, with one answer.",
    preamble="There is text above the first question of the form. A request holds only the "
    "form's questions and answers: remove the extra text.",
)


def split_sections(
    text: str, questions: Mapping[str, tuple[str, str]], fixes: HeadingFixes, strip: str | None = None
) -> Sections:
    """The answer under each known heading, and the problems with the headings themselves.

    ``questions``: each form label → (field id, label). A heading that is not one of them, a
    question given twice (said once) and text above the first question are problems; the
    answers are stripped of ``strip`` (default: white space) at both ends.
    """
    by_heading = {_HEADING + label: (field_id, name) for label, (field_id, name) in questions.items()}
    answers: dict[str, list[str]] = {}
    problems: list[IssueProblem] = []
    repeated: set[str] = set()
    current: list[str] | None = None
    preamble = False
    known = 0
    for line in text.split("\n"):
        stripped = line.rstrip(" \t")
        if stripped.startswith(_HEADING) or stripped == _HEADING.strip():
            question = by_heading.get(stripped)
            if question is None:
                problems.append(
                    IssueProblem(
                        "unknown-heading",
                        "The heading {value} is not one of the form's questions. " + fixes.unknown,
                        None,
                        echo(stripped),
                    )
                )
                current = None
                continue
            field_id, label = question
            if field_id in answers:
                if field_id not in repeated:
                    repeated.add(field_id)
                    problems.append(
                        IssueProblem(
                            "repeated-question",
                            f"The question '{label}' appears more than once. " + fixes.repeated,
                            field_id,
                        )
                    )
                current = None
            else:
                known += 1
                current = answers[field_id] = []
            continue
        if current is not None:
            current.append(line)
        elif not answers and not problems and line.strip():
            preamble = True
    if preamble and known:
        problems.insert(0, IssueProblem("text-before-form", fixes.preamble))
    return Sections({k: "\n".join(v).strip(strip) for k, v in answers.items()}, problems, known)


def _pieces(answer: str, separators: str) -> list[str]:
    return [p.strip() for p in re.split(separators, answer) if p.strip()]


def _suggest(field: FormField, piece: str, vocab: Vocabulary) -> str:
    """' Did you mean …?' for an answer that is not an option, or ''."""
    candidates: list[str] = []
    if field.vocabulary_kind:
        candidates = [
            field.option_of(term_id)
            for term_id in vocab.suggest(field.vocabulary_kind, piece)
            if term_id in field.values
        ]
    if not candidates:
        folded = {o.casefold(): o for o in field.options}
        candidates = [
            folded[m] for m in difflib.get_close_matches(piece.casefold(), list(folded), n=2, cutoff=0.75)
        ]
    if not candidates:
        return ""
    return " Did you mean " + " or ".join(f"'{c}'" for c in candidates[:2]) + "?"


class _Reader:
    """Turns each answer into Request data, collecting problems."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.problems: list[IssueProblem] = []

    def add(self, code: str, field: FormField, template: str, value: str | None = None) -> None:
        self.problems.append(IssueProblem(code, f"'{field.label}': {template}", field.id, value))

    @property
    def busy(self) -> bool:
        """Enough problems to report: skip the (slow) suggestions for the rest."""
        return len(self.problems) >= MAX_PROBLEMS

    def not_an_option(self, field: FormField, piece: str) -> None:
        hint = "" if self.busy else _suggest(field, piece, self.vocab)
        if not hint and field.id == "languages" and self._language(piece):
            hint = " Write it under 'Other languages' instead."
        self.add("not-an-option", field, "{value} is not one of the choices." + hint, echo(piece))

    def _language(self, piece: str) -> str | None:
        """The code of a language named by code, label or synonym (any case), else None."""
        folded = piece.casefold()
        for term in self.vocab.terms["languages"].values():
            if term.deprecated:
                continue
            if folded in {term.id, term.label.casefold(), *(s.casefold() for s in term.synonyms)}:
                return term.id
        return None

    def _unique(self, field: FormField, values: list[str], shown: list[str]) -> list[str]:
        seen: set[str] = set()
        out: list[str] = []
        for value, piece in zip(values, shown, strict=True):
            if value in seen:
                self.add("repeated-choice", field, "{value} is given twice: keep it once.", echo(piece))
            else:
                seen.add(value)
                out.append(value)
        return out

    def count(self, field: FormField, values: list[str], noun: str = "") -> bool:
        if field.max_items is not None and len(values) > field.max_items:
            self.add(
                "too-many",
                field,
                f"choose at most {field.max_items}{noun} (there are {len(values)}).",
            )
            return False
        return True

    def choices(self, field: FormField, answer: str) -> list[str]:
        pieces = _pieces(answer, r"[,\n]")
        values: list[str] = []
        shown: list[str] = []
        for piece in pieces:
            value = field.value_of(piece)
            if value is None:
                self.not_an_option(field, piece)
            else:
                values.append(value)
                shown.append(piece)
        values = self._unique(field, values, shown)
        if field.id != "languages":  # counted with "Other languages"
            self.count(field, values)
        return values

    def choice(self, field: FormField, answer: str) -> str | None:
        value = field.value_of(answer)
        if value is not None:
            return value
        pieces = _pieces(answer, r"[,\n]")
        if len(pieces) > 1 and all(field.value_of(p) is not None for p in pieces):
            self.add("one-choice", field, "choose only one.")
        elif field.id == "team_size" and answer.isascii() and answer.isdigit():
            low, high = field.options[0], field.options[-1]
            self.add(
                "team-size-range", field, f"{{value}} is not possible: choose {low} to {high}.", echo(answer)
            )
        else:
            self.not_an_option(field, answer)
        return None

    def mentors(self, field: FormField, answer: str) -> list[str]:
        values: list[str] = []
        for piece in _pieces(answer, r"[\s,;]+"):
            if _ID.match(piece) and 2 <= len(piece) <= 64:
                values.append(piece)
                continue
            hint = ""
            url = _MENTOR_URL.search(piece)
            if url:
                hint = " Write only the id: the part after /mentors/."
            elif piece.startswith("@"):
                hint = " Write the mentor's id from the directory, not a GitHub user name."
            elif _ID.match(piece.lower()) and 2 <= len(piece) <= 64:
                hint = " Ids are written in lower case."
            self.add(
                "bad-mentor-id",
                field,
                "{value} is not a mentor id. Copy the id from the end of the address of the mentor's "
                "page in the directory, such as ana-example (lower-case letters, digits and hyphens)." + hint,
                echo(piece),
            )
        values = self._unique(field, values, values)
        self.count(field, values)
        return values

    def other_languages(self, field: FormField, answer: str) -> list[str]:
        values: list[str] = []
        for piece in _pieces(answer, r"[,;\n]"):
            code = self._language(piece)
            if code is not None:
                values.append(code)
                continue
            suggestions = (
                []
                if self.busy
                else [self.vocab.label("languages", c) for c in self.vocab.suggest("languages", piece)]
            )
            hint = (
                (" Did you mean " + " or ".join(f"'{s}'" for s in suggestions[:2]) + "?")
                if suggestions
                else ""
            )
            self.add(
                "unknown-language",
                field,
                "{value} is not a language we know. Write its name in English or its two-letter "
                "ISO 639-1 code (such as 'so' for Somali)." + hint,
                echo(piece),
            )
        return values

    def program_id(self, field: FormField, answer: str) -> str | None:
        """A program id as typed (one id; whether it names a program is the bot's question)."""
        if _ID.match(answer) and 2 <= len(answer) <= 64:
            return answer
        hint = " Ids are written in lower case." if _ID.match(answer.lower()) else ""
        self.add(
            "bad-program-id",
            field,
            "{value} is not a program id. Write the id of your program, the file name of its page "
            "in content/programs without .yml, such as lakeshore-som." + hint,
            echo(answer),
        )
        return None

    def checkboxes(self, field: FormField, answer: str) -> list[str]:
        ticked: list[str] = []
        seen: set[str] = set()
        for line in answer.split("\n"):
            if not line.strip():
                continue
            match = _CHECKBOX.fullmatch(line.strip())
            if match is None:
                self.add(
                    "not-a-checkbox",
                    field,
                    "{value} is not a checkbox. Each line here is '- [X] …' (ticked) or '- [ ] …' "
                    "(not ticked), as the form wrote it.",
                    echo(line),
                )
                continue
            mark, label = match.groups()
            value = field.value_of(label)
            if value is None:
                self.not_an_option(field, label)
            elif value in seen:
                self.add("repeated-choice", field, "{value} is given twice: keep it once.", echo(label))
            else:
                seen.add(value)
                if mark in "xX":
                    ticked.append(value)
        return ticked


def parse_issue_body(
    body: str | None,
    *,
    repository_url: str = DEFAULT_REPOSITORY_URL,
    vocab: Vocabulary | None = None,
) -> Request:
    """The :class:`Request` in an issue body written by the request form (see
    :func:`parse_request_issue`, which also reads how it was filed)."""
    return parse_request_issue(body, repository_url=repository_url, vocab=vocab)[0]


def parse_request_issue(
    body: str | None,
    *,
    repository_url: str = DEFAULT_REPOSITORY_URL,
    vocab: Vocabulary | None = None,
) -> tuple[Request, Filing]:
    """The :class:`Request` in an issue body written by the request form, and the
    :class:`Filing` (whether a coordinator filed it for a mentee; who may do so is the bot's
    question, not the form's).

    Raises :class:`NotARequestForm` when the body is empty, too long, or has none of the
    form's questions (its one problem links to the form at ``repository_url``), and
    :class:`IssueFormError` listing every problem when some answers cannot be used.
    Never raises anything else for any text.
    """
    vocab = vocab or vocabulary()
    link = form_url(repository_url)
    text = "" if body is None else body
    if len(text) > MAX_BODY_CHARS:
        log.info("issue body refused: longer than %d characters", MAX_BODY_CHARS)
        raise NotARequestForm(
            [
                IssueProblem(
                    "body-too-long",
                    f"This issue is longer than GitHub allows ({MAX_BODY_CHARS:,} characters), so it "
                    f"did not come from the mentor request form. Please open a new request from {link}",
                )
            ]
        )
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        log.info("issue body refused: empty")
        raise NotARequestForm(
            [
                IssueProblem(
                    "empty-body",
                    f"This issue has no text, so it is not a mentor request yet. Please open a new "
                    f"request from {link}",
                )
            ]
        )
    fields = form_fields(vocab)
    sections = split_sections(text, {f.label: (f.id, f.label) for f in fields}, REQUEST_FIXES)
    if not sections.known:
        log.info("issue body refused: none of the form's questions")
        raise NotARequestForm(
            [
                IssueProblem(
                    "not-a-form",
                    "This issue does not look like the mentor request form: none of the form's "
                    f"questions are in it. Please open a new request from {link} and fill it in there.",
                )
            ]
        )
    reader = _Reader(vocab)
    reader.problems.extend(sections.problems)
    data = _read_answers(reader, fields, sections.answers)
    filing = Filing(on_behalf=bool(data.pop("on_behalf", None)), program=data.pop("program", None))
    problems = reader.problems
    log.info("issue body read: %d question(s), %d problem(s)", sections.known, len(problems))
    if problems:
        raise IssueFormError(_capped(problems))
    try:
        return Request.model_validate(data, context=validation_context(vocab)), filing
    except ValidationError as exc:  # the checks above should leave nothing for the model
        raise IssueFormError(_capped(_model_problems(exc, fields))) from None


def _read_answers(reader: _Reader, fields: Sequence[FormField], answers: Mapping[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    by_id = {f.id: f for f in fields}
    for field in fields:
        answer = answers.get(field.id)
        if answer is None:
            if field.required:
                reader.add(
                    "missing-question",
                    field,
                    "this question is missing. Keep every heading of the form; this one needs an answer.",
                )
            continue
        if len(answer) > field.max_chars:
            reader.add(
                "answer-too-long",
                field,
                f"the answer is too long ({len(answer):,} characters; at most {field.max_chars:,}).",
            )
            continue
        if answer in EMPTY_ANSWERS or not answer:
            if field.required:
                reader.add("required", field, "choose at least one.")
            continue
        if field.id == ON_BEHALF_PROGRAM_ID:
            program = reader.program_id(field, answer)
            if program is not None:
                data["program"] = program
        elif field.kind == "checkboxes":
            data[field.request_field] = reader.checkboxes(field, answer)
        elif field.id == "mentors":
            data["mentors"] = reader.mentors(field, answer)
        elif field.id == OTHER_LANGUAGES_ID:
            data.setdefault("languages", [])
            data["languages"] += [
                c for c in reader.other_languages(field, answer) if c not in data["languages"]
            ]
        elif field.id == MAIN_NEED_ID:
            main = reader.choice(field, answer)
            if main is not None:  # first of the needs, whether or not it was ticked above
                data["needs"] = [main, *(n for n in data.get("needs", []) if n != main)]
        elif field.multiple:
            data[field.request_field] = reader.choices(field, answer) + data.get(field.request_field, [])
        else:
            value = reader.choice(field, answer)
            if value is not None:
                data[field.request_field] = int(value) if field.id == "team_size" else value
    if "languages" in data:
        reader.count(by_id["languages"], data["languages"], " languages in all, with 'Other languages'")
    if "program" in data and not data.get("on_behalf"):
        reader.add(
            "program-without-filing",
            by_id[ON_BEHALF_PROGRAM_ID],
            f"this is only for a coordinator filing for a mentee. Tick '{by_id[ON_BEHALF_ID].options[0]}', "
            "or leave this empty.",
        )
    answered_wrongly = {p.field for p in reader.problems}
    for name in data.get("must", []):
        asked_ids = {f.id for f in fields if f.request_field == name}
        if not data.get(name) and not asked_ids & answered_wrongly:
            must = by_id["must"]
            asked = next(
                f
                for f in fields
                if f.request_field == name and f.id not in (OTHER_LANGUAGES_ID, MAIN_NEED_ID)
            )
            reader.add(
                "must-without-answer",
                must,
                f"'{must.option_of(name)}' is ticked, but '{asked.label}' has no answer. "
                "Answer it or untick the box.",
            )
    return data


def _capped(problems: list[IssueProblem]) -> list[IssueProblem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - (MAX_PROBLEMS - 1)
    return [
        *problems[: MAX_PROBLEMS - 1],
        IssueProblem("more-problems", f"… and {rest} more problems like these."),
    ]


def _model_problems(exc: ValidationError, fields: Sequence[FormField]) -> list[IssueProblem]:
    labels = {f.request_field: f.label for f in fields if f.id not in (OTHER_LANGUAGES_ID, MAIN_NEED_ID)}
    out: list[IssueProblem] = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        label = labels.get(name, name)
        # the model's own message may quote the value: keep it out of the template
        out.append(IssueProblem(str(error["type"]), f"'{label}': this answer cannot be used.", name or None))
    return out


# --------------------------------------------------------------------------- mentors


def unknown_mentor_problems(
    mentor_ids: Iterable[str],
    known_ids: Iterable[str],
    *,
    vocab: Vocabulary | None = None,
) -> list[IssueProblem]:
    """A problem for each asked-for mentor id that is not in the network, with close ids.

    ``known_ids`` is the network's mentor ids (e.g. ``network.mentors.keys()``). The
    suggestions are ids from the network, never text from the issue.
    """
    known = sorted(set(known_ids))
    field = next(f for f in form_fields(vocab) if f.id == "mentors")
    problems: list[IssueProblem] = []
    known_set = set(known)
    for mentor_id in mentor_ids:
        if mentor_id in known_set:
            continue
        close = difflib.get_close_matches(mentor_id, known, n=3, cutoff=0.6)
        hint = (" Did you mean " + " or ".join(f"'{c}'" for c in close) + "?") if close else ""
        problems.append(
            IssueProblem(
                "unknown-mentor",
                f"'{field.label}': there is no mentor with the id {{value}} in the directory.{hint}",
                field.id,
                echo(mentor_id),
            )
        )
    return problems

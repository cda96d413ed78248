"""Reading a profile form's answers from an issue body.

The body is Markdown as GitHub writes a submitted issue form (``### <label>``, the answer,
``_No response_`` for an empty one, multi-select answers separated by commas, checkboxes as
``- [X] <label>``), and anyone who can edit the issue can change it, so nothing in it is
trusted: headings must be exactly the form's labels (an unknown heading, a question given twice
or text above the first question is a problem), a dropdown's answer must be one of its options,
every answer has a length cap, and the whole body GitHub's 65,536 characters. The answers become
plain data keyed by the form's own field names (:class:`Submission`); the text answers are kept
as they are and checked later by the same validator as a content file
(:mod:`generator.profiles.records`). Problems are :class:`~generator.requests.issue_parser.IssueProblem`
s naming the form's question; an answer is only ever quoted through their ``value``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.content.vocabulary import Vocabulary, vocabulary
from generator.profiles.forms import (
    CLEAR_ID,
    CONSENT_ID,
    OTHER_LANGUAGES_ID,
    FormName,
    ProfileField,
    form_fields,
)
from generator.requests.issue_form import EMPTY_ANSWERS, MAX_BODY_CHARS
from generator.requests.issue_parser import HeadingFixes, IssueProblem, echo, split_sections

_CHECKBOX = re.compile(r"[-*]\s+\[([ xX])\]\s+(.*?)\s*")
#: At most this many problems are listed.
MAX_PROBLEMS = 25


@dataclass
class Submission:
    """What a profile form's body says: the record's answered fields (nested like the YAML
    record: ``{"contact": {"github": …}}``), the fields to remove (update form), whether the
    consent box is ticked, and every problem found."""

    form: FormName
    data: dict[str, Any] = field(default_factory=dict)
    cleared: list[tuple[str, ...]] = field(default_factory=list)
    consent: bool = False
    problems: list[IssueProblem] = field(default_factory=list)


def _put(data: dict[str, Any], key: tuple[str, ...], value: Any) -> None:
    *parents, last = key
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


#: What the profile forms tell a writer to do about a heading problem.
PROFILE_FIXES = HeadingFixes(
    unknown="Keep the headings exactly as the form wrote them, and do not start a line of an answer "
    "with ###.",
    repeated="Keep it once.",
    preamble="There is text above the first question of the form: remove it.",
)


class _Reader:
    def __init__(self, vocab: Vocabulary, submission: Submission) -> None:
        self.vocab = vocab
        self.sub = submission

    def add(self, code: str, f: ProfileField, template: str, value: str | None = None) -> None:
        self.sub.problems.append(IssueProblem(code, f"'{f.label}': {template}", f.id, value))

    def language(self, piece: str) -> str | None:
        folded = piece.casefold()
        for term in self.vocab.terms["languages"].values():
            if not term.deprecated and folded in {
                term.id,
                term.label.casefold(),
                *(s.casefold() for s in term.synonyms),
            }:
                return term.id
        return None

    def read(self, f: ProfileField, answer: str) -> Any:
        """The value of one answer, or ``None`` (left empty, or a problem was added)."""
        if len(answer) > f.max_chars:
            self.add(
                "answer-too-long",
                f,
                f"the answer is too long ({len(answer):,} characters; at most {f.max_chars:,}).",
            )
            return None
        if f.kind == "checkboxes":
            return self.checkboxes(f, answer)
        if answer.strip() in EMPTY_ANSWERS or not answer.strip():
            return None
        if f.kind == "textarea":
            return "\n".join(line.rstrip() for line in answer.strip().split("\n"))
        if f.kind == "input":
            text = answer.strip()
            if "\n" in text:
                self.add("one-line", f, "write the answer on one line.")
                return None
            if f.id == OTHER_LANGUAGES_ID:
                return self.other_languages(f, text)
            if f.typed_list:
                pieces = [p.strip() for p in text.split(",") if p.strip()]
                if f.max_items is not None and len(pieces) > f.max_items:
                    self.add("too-many", f, f"give at most {f.max_items} (there are {len(pieces)}).")
                    return None
                return pieces
            return text
        pieces = [p.strip() for p in answer.split(",") if p.strip()] if f.multiple else [answer.strip()]
        values = []
        for piece in pieces:
            value = f.value_of(piece)
            if value is None:
                self.add("not-an-option", f, "{value} is not one of the choices.", echo(piece))
            elif value in values:
                self.add("repeated-choice", f, "{value} is given twice: keep it once.", echo(piece))
            else:
                values.append(value)
        if len(values) != len(pieces):
            return None
        if f.max_items is not None and len(values) > f.max_items:
            self.add("too-many", f, f"choose at most {f.max_items} (there are {len(values)}).")
            return None
        return values if f.multiple else values[0]

    def other_languages(self, f: ProfileField, text: str) -> list[str] | None:
        codes: list[str] = []
        ok = True
        for piece in (p.strip() for p in re.split(r"[,;]", text)):
            if not piece:
                continue
            code = self.language(piece)
            if code is None:
                ok = False
                self.add(
                    "unknown-language",
                    f,
                    "{value} is not a language we know. Write its name in English or its two-letter "
                    "ISO 639-1 code (such as 'so' for Somali).",
                    echo(piece),
                )
            elif code not in codes:
                codes.append(code)
        return codes if ok else None

    def checkboxes(self, f: ProfileField, answer: str) -> list[Any]:
        ticked: list[Any] = []
        for line in answer.split("\n"):
            if not line.strip():
                continue
            match = _CHECKBOX.fullmatch(line.strip())
            if match is None:
                self.add("not-a-checkbox", f, "{value} is not one of the form's boxes.", echo(line))
                continue
            mark, label = match.groups()
            value = f.value_of(label)
            if value is None:
                self.add("not-an-option", f, "{value} is not one of the form's boxes.", echo(label))
            elif mark in "xX" and value not in ticked:
                ticked.append(value)
        return ticked


def parse_profile_body(form: FormName, body: str | None, vocab: Vocabulary | None = None) -> Submission:
    """The answers of FORM in an issue body. Never raises for any text: everything wrong is in
    ``problems``."""
    vocab = vocab or vocabulary()
    sub = Submission(form)
    text = "" if body is None else body
    if len(text) > MAX_BODY_CHARS:
        sub.problems.append(IssueProblem("body-too-long", "This issue is longer than GitHub allows."))
        return sub
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    fields = form_fields(form, vocab)
    sections = split_sections(text, {f.label: (f.id, f.label) for f in fields}, PROFILE_FIXES, strip="\n")
    sub.problems.extend(sections.problems)
    answers = sections.answers
    if not answers:
        sub.problems = [
            IssueProblem(
                "not-a-form",
                "This issue does not look like the form: none of its questions are in it. Open a "
                "new issue from the form and fill it in there.",
            )
        ]
        return sub
    reader = _Reader(vocab, sub)
    for f in fields:
        answer = answers.get(f.id)
        if answer is None:
            if f.required:
                reader.add(
                    "missing-question", f, "this question is missing: keep every question of the form."
                )
            continue
        value = reader.read(f, answer)
        if f.id == CONSENT_ID:
            sub.consent = bool(value)
            continue
        if f.id == CLEAR_ID:
            sub.cleared = list(value or [])
            continue
        if value is None or value == []:
            if f.required and f.kind != "checkboxes" and not any(p.field == f.id for p in sub.problems):
                reader.add("required", f, "this question needs an answer.")
            continue
        if f.id == OTHER_LANGUAGES_ID or f.id == "languages":
            merged = sub.data.get("languages", [])
            sub.data["languages"] = merged + [c for c in value if c not in merged]
            continue
        _put(sub.data, f.key, value)
    if not sub.consent:
        consent = next(f for f in fields if f.id == CONSENT_ID)
        reader.add("no-consent", consent, "tick the box: nothing is published without it.")
    if (
        form == "add-mentor"
        and not sub.data.get("languages")
        and not any(p.field in {"languages", OTHER_LANGUAGES_ID} for p in sub.problems)
    ):
        languages = next(f for f in fields if f.id == "languages")
        reader.add("required", languages, "choose at least one language, here or under 'Other languages'.")
    if len(sub.problems) > MAX_PROBLEMS:
        rest = len(sub.problems) - (MAX_PROBLEMS - 1)
        sub.problems = [
            *sub.problems[: MAX_PROBLEMS - 1],
            IssueProblem("more-problems", f"… and {rest} more."),
        ]
    return sub

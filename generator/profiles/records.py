"""A form's answers as a content file, checked by the same validator as any pull request.

:func:`prepare` turns a :class:`~generator.profiles.parser.Submission` into the one file it
adds or changes (``content/mentors/<program>/<id>.yml`` or ``content/programs/<id>.yml``):
the keys come only from the models' field names, never from the issue, and the values are
written by PyYAML's safe dumper, which quotes whatever would read as something else, so no
answer can add a key, a list item or a YAML tag. The file is then validated inside a copy of
the content folder with :func:`generator.content.validation.validate_content` (the rules
across files included: ids, duplicate people, the program exists), and each problem is told
against the form's question the line belongs to instead of a line number.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import yaml

from generator.content.models import ID_PATTERN, Contact, Mentor, Program
from generator.content.validation import ValidationResult, validate_content
from generator.content.vocabulary import Vocabulary
from generator.profiles.forms import FormName, ProfileField, form_fields
from generator.profiles.parser import Submission

ChangeKind = Literal["add", "update"]


@dataclass(frozen=True)
class FormProblem:
    """One thing to fix, said against a question of the form (``question`` ``None``: the
    submission as a whole). ``message`` may quote the submitter: it is shown only through
    :func:`generator.profiles.comments.inert`."""

    question: str | None
    message: str
    code: str = "problem"


@dataclass(frozen=True)
class Proposal:
    """The one content file a valid submission adds or changes."""

    form: FormName
    kind: ChangeKind
    path: str  # relative to the repository root, e.g. content/mentors/lakeshore-som/jordan-sample.yml
    text: str
    record_id: str
    program_id: str
    name: str


class _Dumper(yaml.SafeDumper):
    """Literal blocks for multi-line text (as people write bios), flow lists of ids."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)

_SCHEMA_LINE = {
    "mentor": "# yaml-language-server: $schema=../../../schemas/mentor.schema.json\n",
    "program": "# yaml-language-server: $schema=../../schemas/program.schema.json\n",
}


def render_yaml(kind: Literal["mentor", "program"], record: Mapping[str, Any]) -> str:
    """The file's text: the fields in the model's order, values through the safe dumper."""
    model = Mentor if kind == "mentor" else Program
    ordered: dict[str, Any] = {}
    for name in model.model_fields:
        if name not in record:
            continue
        value = record[name]
        if name == "contact" and isinstance(value, Mapping):
            value = {k: value[k] for k in Contact.model_fields if k in value}
            if not value:
                continue
        ordered[name] = value
    body = yaml.dump(
        ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return _SCHEMA_LINE[kind] + body


def _line_keys(text: str) -> list[tuple[int, tuple[str, ...]]]:
    """(first line, key) of every field of a file written by :func:`render_yaml`."""
    out: list[tuple[int, tuple[str, ...]]] = []
    for number, line in enumerate(text.split("\n"), 1):
        top = re.match(r"([a-z_]+):", line)
        nested = re.match(r"  ([a-z_]+):", line)
        if top:
            out.append((number, (top.group(1),)))
        elif nested and out and out[-1][1][0] == "contact":
            out.append((number, ("contact", nested.group(1))))
    return out


def _question_of(key: tuple[str, ...], fields: list[ProfileField]) -> str | None:
    for f in fields:
        if f.key == key and f.kind != "checkboxes":
            return f.label
    for f in fields:  # contact: → its first question
        if f.key[: len(key)] == key:
            return f.label
    return None


@dataclass(frozen=True)
class _Planned:
    kind: ChangeKind
    record: dict[str, Any]
    path: PurePosixPath  # below the content folder
    model: Literal["mentor", "program"]


_ID = re.compile(ID_PATTERN)


def _id_problems(sub: Submission) -> list[FormProblem]:
    """The ids that name the file must be ids before any path is made of them."""
    names = {"id": "Program id" if sub.form == "add-program" else "Mentor id", "program": "Program id"}
    wanted = ["id"] + (["program"] if sub.form == "add-mentor" else [])
    problems = []
    for name in wanted:
        value = sub.data.get(name)
        if not isinstance(value, str) or not _ID.match(value) or not 2 <= len(value) <= 64:
            problems.append(
                FormProblem(
                    names[name],
                    "write an id: 2 to 64 lower-case letters, digits and single hyphens, such as "
                    + ("lakeshore-som." if names[name] == "Program id" else "jordan-sample."),
                    "bad-id",
                )
            )
    return problems


def _plan(
    sub: Submission, network: ValidationResult, today: dt.date
) -> tuple[_Planned | None, list[FormProblem]]:
    bad = _id_problems(sub)
    if bad:
        return None, bad
    data = dict(sub.data)
    if sub.form == "add-program":
        program_id = str(data.get("id", ""))
        if program_id in network.programs:
            return None, [
                FormProblem(
                    "Program id",
                    f"a program with the id {program_id} is already in the directory: choose another id, "
                    "or ask its maintainers to change it.",
                    "program-exists",
                )
            ]
        return _Planned("add", data, PurePosixPath("programs", f"{program_id}.yml"), "program"), []
    mentor_id = str(data.get("id", ""))
    if sub.form == "add-mentor":
        if mentor_id in network.mentors:
            return None, [
                FormProblem(
                    "Mentor id",
                    f"a mentor with the id {mentor_id} is already in the directory. To change that "
                    "profile use the form 'Update my profile'; for another person choose another id "
                    f"(such as {mentor_id}-2).",
                    "mentor-exists",
                )
            ]
        data["last_confirmed"] = today
        program = str(data.get("program", ""))
        return _Planned("add", data, PurePosixPath("mentors", program, f"{mentor_id}.yml"), "mentor"), []
    current = network.mentors.get(mentor_id)
    if current is None:
        return None, [
            FormProblem(
                "Mentor id",
                f"there is no mentor with the id {mentor_id} in the directory: copy the id from the "
                "end of the address of the profile's page.",
                "unknown-mentor",
            )
        ]
    record = current.model_dump(mode="json", exclude_unset=True)
    for key in sub.cleared:
        parent: Any = record
        for part in key[:-1]:
            parent = parent.get(part, {}) if isinstance(parent, dict) else {}
        if isinstance(parent, dict):
            parent.pop(key[-1], None)
    for name, value in data.items():
        if name == "contact" and isinstance(value, dict):
            record["contact"] = {**(record.get("contact") or {}), **value}
        else:
            record[name] = value
    if not record.get("contact"):
        record.pop("contact", None)
    record["last_confirmed"] = today
    path = PurePosixPath("mentors", current.program, f"{mentor_id}.yml")
    return _Planned("update", record, path, "mentor"), []


def prepare(
    sub: Submission,
    content: Path,
    network: ValidationResult,
    *,
    today: dt.date,
    content_prefix: str = "content",
    vocab: Vocabulary | None = None,
) -> tuple[Proposal | None, list[FormProblem]]:
    """The file SUB adds or changes, checked in a copy of CONTENT with NETWORK (CONTENT's
    validation result); or every problem, against the form's questions. ``content_prefix``
    is the content folder's path in the repository."""
    fields = form_fields(sub.form, vocab)
    planned, problems = _plan(sub, network, today)
    if planned is None:
        return None, problems
    text = render_yaml(planned.model, planned.record)
    with tempfile.TemporaryDirectory(prefix="mentormemed-profile-") as tmp:
        copy = Path(tmp) / "content"
        shutil.copytree(content, copy, symlinks=True)
        target = copy / planned.path
        if not _inside(target, copy):
            return None, [FormProblem(None, "the ids give a file outside the content folder.", "bad-path")]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        result = validate_content(copy, only=[target], vocab=vocab)
        shown = target.as_posix()
        lines = _line_keys(text)
        for problem in result.problems:
            key: tuple[str, ...] = ()
            for first, field_key in lines:
                if first <= problem.line:
                    key = field_key
            message = problem.message
            # a model error starts with the field it is about: the surest way to its question
            named = [k for _, k in lines if message.startswith(".".join(k) + ": ")]
            if named:
                key = max(named, key=len)
            dotted = ".".join(key)
            if dotted and message.startswith(dotted + ": "):
                message = message[len(dotted) + 2 :]
            message = message.replace(copy.as_posix(), content_prefix)
            if problem.path != shown:
                message = f"({problem.path.replace(copy.as_posix(), content_prefix)}) {message}"
            problems.append(FormProblem(_question_of(key, fields) if key else None, message, problem.code))
    if problems:
        return None, problems
    program_id = str(planned.record.get("program", planned.record.get("id", "")))
    return (
        Proposal(
            sub.form,
            planned.kind,
            f"{content_prefix}/{planned.path.as_posix()}",
            text,
            str(planned.record["id"]),
            program_id,
            str(planned.record.get("name", "")),
        ),
        [],
    )


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True

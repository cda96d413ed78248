"""Read a peer's ``directory.json`` as untrusted input.

1. **JSON**: the bytes must be one UTF-8 JSON object (a truncated file is refused here).
2. **Version**: ``version`` states the export's format; its major version (``1``, or ``"1.3"``
   for a minor revision of 1) must be the one ``federation.yml`` expects for the peer and one
   whose schema is published here (:data:`PUBLISHED_SCHEMAS`). A minor version only adds
   fields, so a field this code does not know is ignored (dropped, never stored).
3. **Schema**: the export is checked against the published schema of its major version.
4. **Rules**: every mentor and program is checked again with the models local content is
   checked with (:class:`~generator.content.models.Mentor`, ``Program``): the same text rules
   (no HTML, no e-mail address, no invisible or direction-changing characters…), the same
   address rules (https only), the same vocabulary. Every id must be an id, every mentor's
   program must be in the export, no id may appear twice, and each page address must be https.

Any failure refuses the whole export (:class:`ExportRefused`, naming the first problems): a
snapshot is all of a peer's directory or the previous one, never a silently thinned copy.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

from generator.content.export import DirectoryExport, PublicContact, PublicMentor, PublicProgram
from generator.content.models import ID_PATTERN, Mentor, Program, validation_context
from generator.content.peers import READABLE_EXPORT_VERSIONS, Peer
from generator.content.textrules import text_problem
from generator.content.urls import is_https_url, url_character_problem
from generator.content.vocabulary import Vocabulary, vocabulary
from generator.core.paths import project_root
from generator.federation.errors import ExportRefused

#: major version → the published schema of ``directory.json`` (when the format changes, the
#: old schema stays published under a versioned name and is listed here).
PUBLISHED_SCHEMAS: dict[int, str] = {1: "directory.schema.json"}
#: how many problems a refusal names (the count of the rest is given)
SHOWN_PROBLEMS = 12

_MENTOR_FIELDS = tuple(PublicMentor.model_fields)
_PROGRAM_FIELDS = tuple(PublicProgram.model_fields)
_CONTACT_FIELDS = tuple(PublicContact.model_fields)
_TOP_FIELDS = tuple(DirectoryExport.model_fields)


def major_version(value: Any) -> int | None:
    """The major version of an export's ``version`` (``1``, ``"1"``, ``"1.2"``), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        head = value.split(".", 1)[0]
        if head.isdigit() and len(value) <= 16 and all(p.isdigit() for p in value.split(".")):
            return int(head)
    return None


def _lenient(schema: Any) -> Any:
    """The schema without ``additionalProperties: false``: a minor version may add fields."""
    if isinstance(schema, dict):
        return {
            key: _lenient(value)
            for key, value in schema.items()
            if not (key == "additionalProperties" and value is False)
        }
    if isinstance(schema, list):
        return [_lenient(item) for item in schema]
    return schema


@functools.cache
def _validator(major: int) -> Draft202012Validator:
    path = project_root() / "schemas" / PUBLISHED_SCHEMAS[major]
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft202012Validator(_lenient(copy.deepcopy(schema)))


def _pruned(data: dict[str, Any]) -> dict[str, Any]:
    """The fields this version of the format has (unknown ones dropped), as plain data."""
    out = {key: data[key] for key in _TOP_FIELDS if key in data}
    out["programs"] = [{k: p[k] for k in _PROGRAM_FIELDS if k in p} for p in data.get("programs", [])]
    mentors = []
    for mentor in data.get("mentors", []):
        kept = {k: mentor[k] for k in _MENTOR_FIELDS if k in mentor}
        if isinstance(kept.get("contact"), dict):
            kept["contact"] = {k: kept["contact"][k] for k in _CONTACT_FIELDS if k in kept["contact"]}
        mentors.append(kept)
    out["mentors"] = mentors
    return out


_ID = re.compile(ID_PATTERN)


def printable(text: str, limit: int = 300) -> str:
    """``text`` safe to print in a terminal or a log: control, format and other unprintable
    characters written as escapes (``\\u202e``), cut at ``limit`` characters."""
    out = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return out if len(out) <= limit else out[:limit] + "…"


def _where(kind: str, index: int, record: dict[str, Any]) -> str:
    record_id = record.get("id")
    named = f" '{record_id}'" if isinstance(record_id, str) and _ID.match(record_id) else ""
    return f"{kind}[{index}]{named}"


def _errors_of(model: type[BaseModel], data: dict[str, Any], where: str, vocab: Vocabulary) -> list[str]:
    try:
        model.model_validate(data, context=validation_context(vocab))
    except ValidationError as exc:
        return [f"{where}.{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)]
    return []


def _page_url_problem(value: str, where: str) -> str | None:
    problem = url_character_problem(value) or text_problem(value, noun="address")
    if problem or not is_https_url(value):
        return f"{where}: '{printable(value, 80)}' is not an https:// address"
    return None


def rule_problems(export: DirectoryExport, vocab: Vocabulary) -> list[str]:
    """Every value of ``export`` that local content could not hold: the same models, rules and
    vocabulary, plus what holds the export together (unique ids, known programs)."""
    problems: list[str] = []
    site_problem = _page_url_problem(export.site, "site")
    if site_problem:
        problems.append(site_problem)
    for kind, labels in export.vocabulary.items():
        for term, label in labels.items():
            found = text_problem(label) or text_problem(term)
            if found:
                problems.append(f"vocabulary.{kind}.{term[:40]}: {found[1]}")
    program_ids: set[str] = set()
    for i, program in enumerate(export.programs):
        where = _where("programs", i, {"id": program.id})
        data = program.model_dump(exclude={"url"})
        problems += _errors_of(Program, data, where, vocab)
        if (bad_url := _page_url_problem(program.url, f"{where}.url")) is not None:
            problems.append(bad_url)
        if program.id in program_ids:
            problems.append(f"{where}: the program id '{program.id}' is listed twice")
        program_ids.add(program.id)
    mentor_ids: set[str] = set()
    for i, mentor in enumerate(export.mentors):
        where = _where("mentors", i, {"id": mentor.id})
        data = mentor.model_dump(exclude={"url"})
        if data.get("contact") is not None:
            data["contact"] = {k: v for k, v in data["contact"].items() if v is not None}
        problems += _errors_of(Mentor, data, where, vocab)
        if (bad_url := _page_url_problem(mentor.url, f"{where}.url")) is not None:
            problems.append(bad_url)
        if mentor.id in mentor_ids:
            problems.append(f"{where}: the mentor id '{mentor.id}' is listed twice")
        mentor_ids.add(mentor.id)
        if _ID.match(mentor.program) and mentor.program not in program_ids:
            problems.append(f"{where}.program: '{mentor.program}' is not a program of the export")
    return problems


def _refuse(peer: str, message: str, problems: Iterable[str]) -> ExportRefused:
    found = [printable(p) for p in problems]
    shown = found[:SHOWN_PROBLEMS]
    more = len(found) - len(shown)
    details = shown + ([f"… and {more} more problem(s)"] if more else [])
    return ExportRefused(peer, message.format(count=len(found)), details)


def check_export(
    data: Any, peer: Peer, vocab: Vocabulary | None = None, *, as_published: bool = True
) -> DirectoryExport:
    """The export ``data`` (parsed JSON) as a :class:`DirectoryExport` of the fields this
    version knows, or :class:`ExportRefused`.

    ``as_published=False`` is for a committed snapshot, which holds exactly the fields of the
    model: the model (which generates the published schema) checks it without the JSON Schema
    pass and without dropping unknown fields (one is refused), a few seconds less per build at
    50,000 peer mentors."""
    vocab = vocab or vocabulary()
    if not isinstance(data, dict):
        raise ExportRefused(peer.id, "the export is not a JSON object: is directory_url the directory.json?")
    major = major_version(data.get("version"))
    if major is None:
        raise ExportRefused(peer.id, 'the export states no version (a number such as 1, or "1.2").')
    if major != peer.export_version or major not in PUBLISHED_SCHEMAS:
        readable = ", ".join(map(str, READABLE_EXPORT_VERSIONS))
        raise ExportRefused(
            peer.id,
            f"the export is version {major} of directory.json, but federation.yml expects version "
            f"{peer.export_version} from this peer (this mentormemed reads version {readable}). "
            "Nothing was changed: when mentormemed reads the new version, update export_version "
            "in federation.yml.",
        )
    data = {**data, "version": major}
    if not as_published:
        try:
            export = DirectoryExport.model_validate(data)
        except ValidationError as exc:
            raise _refuse(
                peer.id,
                "the snapshot does not match the export model ({count} problem(s)).",
                (f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)),
            ) from None
        return _checked(export, peer, vocab)
    schema_errors = sorted(
        _validator(major).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]
    )
    if schema_errors:
        raise _refuse(
            peer.id,
            f"the export does not follow the published schema of version {major} ({{count}} problem(s)).",
            (f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}" for e in schema_errors),
        )
    try:
        export = DirectoryExport.model_validate(_pruned(data))
    except ValidationError as exc:  # the schema and the model agree; a second line of defence
        raise _refuse(
            peer.id,
            "the export does not match the export model ({count} problem(s)).",
            (f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)),
        ) from None
    return _checked(export, peer, vocab)


def _checked(export: DirectoryExport, peer: Peer, vocab: Vocabulary) -> DirectoryExport:
    problems = rule_problems(export, vocab)
    if problems:
        raise _refuse(
            peer.id,
            "the export breaks the rules every mentor profile here follows ({count} problem(s)); "
            "a peer's data is checked like a pull request's.",
            problems,
        )
    return export


def read_export(raw: bytes, peer: Peer, vocab: Vocabulary | None = None) -> DirectoryExport:
    """The export in ``raw`` (the downloaded bytes), checked (:func:`check_export`)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ExportRefused(peer.id, "the export is not UTF-8 text.") from None
    except RecursionError:
        raise ExportRefused(peer.id, "the export nests too deeply to be a directory.") from None
    except ValueError as exc:
        raise ExportRefused(
            peer.id,
            f"the export is not complete JSON ({exc.args[0] if exc.args else 'invalid'}): "
            "it may have been cut off.",
        ) from None
    return check_export(data, peer, vocab)


def schema_path(major: int) -> Path:
    """The published schema of ``major`` (for the docs)."""
    return project_root() / "schemas" / PUBLISHED_SCHEMAS[major]

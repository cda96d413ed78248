"""Validate a content folder: every file, every problem, and the rules across files.

``validate_content`` never stops at the first problem and never raises for bad
content: it returns a :class:`ValidationResult` whose ``problems`` the reporters
print, and whose ``programs``/``mentors`` hold only records that passed every rule.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from generator.content.build_output import build_output_problems
from generator.content.construct import NotConstructible, construct
from generator.content.models import ID_PATTERN, Mentor, Network, Program, validation_context
from generator.content.peers import FEDERATION_FILE, Federation
from generator.content.schema_errors import problems_from_validation_error
from generator.content.textrules import name_key
from generator.content.vocabulary import Vocabulary, vocabulary
from generator.content.yamlload import Loaded, load_file
from generator.core.cache import (
    CacheFile,
    Fingerprinter,
    UnsafeCacheDir,
    cache_secret,
    check_cache_dir,
    code_fingerprint,
    load_cache,
    save_cache,
    seal,
)
from generator.core.parallel import parallel_map
from generator.core.problems import ContentError, Problem

log = logging.getLogger(__name__)

YAML_SUFFIX = ".yml"
_ID = re.compile(ID_PATTERN)
# fields only one kind of file has: a mentor file in programs/ is one problem, not fifteen
_ONLY = {
    "mentor": {"stage", "areas", "capacity", "accepting", "program"},
    "program": {"institution", "maintainers", "website"},
}
ModelT = TypeVar("ModelT", bound=BaseModel)
#: The model of each kind of content file.
_MODEL_OF: dict[str, type[BaseModel]] = {
    "network": Network,
    "federation": Federation,
    "program": Program,
    "mentor": Mentor,
}


@dataclass
class Record:
    """One content file: what was read, and the validated model if it passed."""

    kind: str  # "network" | "federation" | "program" | "mentor"
    path: str
    loaded: Loaded
    model: BaseModel | None = None
    problems: list[Problem] = field(default_factory=list)
    #: a valid mentor's :func:`rest_digest` (what a bio edit leaves as it was)
    rest: str | None = None
    #: the file's cache key (:func:`file_key`), when validated with a build cache
    key: str | None = None


@dataclass(frozen=True)
class FileCheck:
    """What a build with a cache remembers of one content file to tell, next time, whether
    only a bio changed (:mod:`generator.site.patch`)."""

    kind: str
    path: str
    key: str
    #: a valid mentor's id and :func:`rest_digest`; ``None`` for other files
    id: str | None
    rest: str | None


def rest_digest(data: dict[str, Any]) -> str:
    """A hash of a mentor file's data (as parsed) but its bio: equal for two versions of a file
    when at most the bio differs."""
    rest = {key: value for key, value in data.items() if key != "bio"}
    text = json.dumps(rest, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass
class ValidationResult:
    files_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    network: Network | None = None
    #: the peers of ``federation.yml``; ``None`` when there is no such file
    federation: Federation | None = None
    programs: dict[str, Program] = field(default_factory=dict)
    mentors: dict[str, Mentor] = field(default_factory=dict)
    #: every file's :class:`FileCheck`, when validated with a build cache and without problems
    checks: list[FileCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_for_problems(self) -> None:
        if self.problems:
            raise ContentError(self.problems)


def _display(path: Path) -> str:
    return path.as_posix()


#: The network's settings file, in the content folder.
NETWORK_FILE = "network.yml"


def _symlink_problem(path: Path) -> Problem:
    """The one problem of a symbolic link: named by the link's own path, never its target."""
    return Problem(
        _display(path),
        1,
        1,
        "symlink",
        "this is a symbolic link; content files must be real files in this folder: replace the "
        "link with the file itself (or, for a folder, with a real folder holding the files).",
    )


def discover(content: Path) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """The network, program and mentor files under ``content``, and files that are misplaced.

    A symbolic link anywhere below ``content`` (a file, a program's folder, ``programs/`` or
    ``mentors/`` themselves) is one ``symlink`` problem and is never followed: what it points
    at is neither read nor listed, so nothing outside the content folder can be published or
    echoed in a report. ``content`` itself may be a link (a checkout can live behind one).
    """
    files: list[tuple[str, Path]] = []
    problems: list[Problem] = []
    programs_dir, mentors_dir = content / "programs", content / "mentors"
    folders = [d for d in (programs_dir, mentors_dir) if d.is_symlink() or d.is_dir()]
    if not folders:
        problems.append(
            Problem(
                _display(content),
                1,
                1,
                "no-content",
                f"'{_display(content)}' has no programs/ or mentors/ folder: give the content "
                "folder with --content (default: content).",
            )
        )
        return files, problems
    _discover_network(content / NETWORK_FILE, files, problems)
    _discover_federation(content / FEDERATION_FILE, files, problems)
    for folder in folders:
        if folder.is_symlink():
            problems.append(_symlink_problem(folder))
    if programs_dir.is_dir() and not programs_dir.is_symlink():
        for path in sorted(programs_dir.iterdir()):
            _classify(path, "program", files, problems, depth_ok=True)
    if mentors_dir.is_dir() and not mentors_dir.is_symlink():
        for entry in sorted(mentors_dir.iterdir()):
            if entry.is_dir() and not entry.is_symlink():
                for path in sorted(entry.iterdir()):
                    _classify(path, "mentor", files, problems, depth_ok=not path.is_dir())
            else:
                _classify(entry, "mentor", files, problems, depth_ok=False)
    return files, problems


def _discover_network(path: Path, files: list[tuple[str, Path]], problems: list[Problem]) -> None:
    if path.is_symlink():
        problems.append(_symlink_problem(path))
    elif path.is_file():
        files.append(("network", path))
    elif path.exists():
        problems.append(
            Problem(
                _display(path),
                1,
                1,
                "misplaced-file",
                f"{NETWORK_FILE} must be a file: replace this folder with the network's settings file.",
            )
        )
    else:
        problems.append(
            Problem(
                _display(path),
                1,
                1,
                "no-network",
                f"the network's settings file is missing: create {_display(path)} with the network's "
                "name, site_url and core_maintainers (the GitHub users or organization/team who own "
                "everything outside the programs' folders); see docs/bot-runbook.md.",
            )
        )


def _discover_federation(path: Path, files: list[tuple[str, Path]], problems: list[Problem]) -> None:
    """``federation.yml`` is optional: a network without it has no peers."""
    if path.is_symlink():
        problems.append(_symlink_problem(path))
    elif path.is_file():
        files.append(("federation", path))
    elif path.exists():
        problems.append(
            Problem(
                _display(path),
                1,
                1,
                "misplaced-file",
                f"{FEDERATION_FILE} must be a file: replace this folder with the list of peers "
                "(see docs/federation.md).",
            )
        )


def _classify(
    path: Path, kind: str, files: list[tuple[str, Path]], problems: list[Problem], *, depth_ok: bool
) -> None:
    name = path.name
    if path.is_symlink():
        problems.append(_symlink_problem(path))
        return
    if name.startswith(".") or name.lower() in {"readme.md", "readme"}:
        return
    where = (
        "content/programs/<program-id>.yml"
        if kind == "program"
        else "content/mentors/<program-id>/<mentor-id>.yml"
    )
    if path.is_dir() or not depth_ok:
        problems.append(
            Problem(
                _display(path),
                1,
                1,
                "misplaced-file",
                f"this is not where a {kind} file goes: move it to {where}.",
            )
        )
    elif path.suffix.lower() in {".yaml", ".yml"} and path.suffix != YAML_SUFFIX:
        problems.append(
            Problem(
                _display(path),
                1,
                1,
                "wrong-extension",
                f"rename the file to {path.stem}.yml (the network uses .yml).",
            )
        )
    elif path.suffix != YAML_SUFFIX:
        problems.append(
            Problem(
                _display(path),
                1,
                1,
                "misplaced-file",
                f"only .yml files belong here: move or delete this file ({where}).",
            )
        )
    else:
        files.append((kind, path))


def check_file(kind: str, path: Path, vocab: Vocabulary | None = None) -> Record:
    """One file's own checks (not the rules across files), as a build runs them; the record
    keeps of the parse what the rules across files read."""
    record = _check_file(kind, path, vocab)
    _slim(record)
    return record


def _check_file(kind: str, path: Path, vocab: Vocabulary | None) -> Record:
    display = _display(path)
    loaded = load_file(path, display=display)
    record = Record(kind, display, loaded, problems=list(loaded.problems))
    if not isinstance(loaded.data, dict):
        return record
    other = "program" if kind == "mentor" else "mentor"
    if (
        kind in {"program", "mentor"}
        and len(_ONLY[other] & set(loaded.data)) >= 2
        and not _ONLY[kind] & set(loaded.data)
    ):
        where = "content/programs/" if other == "program" else "content/mentors/<program-id>/"
        record.problems.append(
            Problem(display, 1, 1, "wrong-folder", f"this looks like a {other} file: move it to {where}.")
        )
        return record
    model_cls = _MODEL_OF[kind]
    schema_problems: list[Problem] = []
    try:
        model = model_cls.model_validate(loaded.data, context=validation_context(vocab))
    except ValidationError as exc:
        model = None
        schema_problems = problems_from_validation_error(exc, model_cls, loaded)
    # A YAML hazard (e.g. `no`) and the schema error it causes are one mistake: report it once.
    hazard_lines = {(p.line, p.col) for p in loaded.problems}
    record.problems += [p for p in schema_problems if (p.line, p.col) not in hazard_lines]
    data = loaded.data
    stem = path.stem
    if (
        kind in {"program", "mentor"}
        and isinstance(data.get("id"), str)
        and _ID.match(data["id"])
        and data["id"] != stem
    ):
        line, col = loaded.where(("id",))
        record.problems.append(
            Problem(
                display,
                line,
                col,
                "id-mismatch",
                f"id '{data['id']}' differs from the file name '{path.name}': make them equal: "
                f"write `id: {stem}` (or rename the file to {data['id']}.yml).",
            )
        )
    if (
        kind == "mentor"
        and isinstance(data.get("program"), str)
        and _ID.match(data["program"])
        and data["program"] != path.parent.name
    ):
        line, col = loaded.where(("program",))
        record.problems.append(
            Problem(
                display,
                line,
                col,
                "program-mismatch",
                f"program '{data['program']}' differs from the folder '{path.parent.name}': write "
                f"`program: {path.parent.name}` (or, if the mentor belongs to '{data['program']}', "
                f"move the file to mentors/{data['program']}/).",
            )
        )
    record.model = model if not record.problems else None
    if record.model is not None and kind == "mentor":
        record.rest = rest_digest(data)
    return record


#: What the rules across files read of a file (:func:`_cross_file`): only text values matter.
_CROSS_FILE_PATHS: tuple[tuple[str, ...], ...] = (
    ("id",),
    ("program",),
    ("name",),
    ("contact", "github"),
    ("contact", "orcid"),
)


def _slim(record: Record) -> None:
    """Keep of the parse only what the rules across files read, the text values of
    :data:`_CROSS_FILE_PATHS` and where they are (a national network has 50,000 files: every
    value's position would take half a gigabyte). Those rules ignore a value that is not text,
    and treat a file that is not a mapping as an empty one."""
    loaded = record.loaded
    data: dict[str, Any] = {}
    positions: dict[tuple[str | int, ...], tuple[int, int]] = {}
    for path in _CROSS_FILE_PATHS:
        value = _get(loaded.data, *path) if isinstance(loaded.data, dict) else None
        if isinstance(value, str):
            _put(data, path, value)
            positions[path] = loaded.where(path)
    record.loaded = Loaded(loaded.path, data, positions, {}, [])


def _put(data: dict[str, Any], path: tuple[str, ...], value: str) -> None:
    *parents, last = path
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _duplicates(
    records: Iterable[Record], key_of: Any, loc: tuple[str, ...], code: str, describe: Any
) -> list[Problem]:
    """Problems for every record whose key was already seen in an earlier one of ``records``:
    the later record is blamed, and the message names the earlier one."""
    first: dict[Any, Record] = {}
    out: list[Problem] = []
    for record in records:
        data = record.loaded.data if isinstance(record.loaded.data, dict) else {}
        key = key_of(data)
        if key is None:
            continue
        if key in first:
            line, col = record.loaded.where(loc)
            out.append(Problem(record.path, line, col, code, describe(data, first[key].path)))
        else:
            first[key] = record
    return out


def _get(data: dict[str, Any], *loc: str) -> Any:
    value: Any = data
    for part in loc:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _cross_file(records: Sequence[Record], selected: Callable[[str], bool] | None = None) -> list[Problem]:
    """The rules across files. Of two files that clash (same id, same person, same name), the
    one later in path order is blamed; with ``selected`` (the files a pull request changed),
    a selected file is blamed before one that is not, so a new file that clashes with an
    untouched one is reported on the new file, naming the untouched one."""
    if selected is not None:
        # sorted() is stable: path order within the unselected files and within the selected
        records = sorted(records, key=lambda r: selected(r.path))
    programs = [r for r in records if r.kind == "program"]
    mentors = [r for r in records if r.kind == "mentor"]
    program_ids = {r.loaded.data.get("id") for r in programs if isinstance(r.loaded.data, dict)}
    program_ids |= {Path(r.path).stem for r in programs}
    problems: list[Problem] = []
    for record in mentors:
        data = record.loaded.data
        if not isinstance(data, dict):
            continue
        program = data.get("program")
        folder = Path(record.path).parent.name
        if isinstance(program, str) and program == folder and program not in program_ids:
            line, col = record.loaded.where(("program",))
            problems.append(
                Problem(
                    record.path,
                    line,
                    col,
                    "unknown-program",
                    f"program '{program}' does not exist: add content/programs/{program}.yml "
                    "first (see docs/contributing-mentors.md) or fix the spelling.",
                )
            )

    def text_key(*loc: str) -> Any:
        def key(data: dict[str, Any]) -> Any:
            value = _get(data, *loc)
            return value.casefold() if isinstance(value, str) else None

        return key

    problems += _duplicates(
        mentors,
        text_key("id"),
        ("id",),
        "duplicate-id",
        lambda d, other: (
            f"the mentor id '{d['id']}' is already used by {other}: ids are web "
            "addresses and must be unique; add a middle initial or number, e.g. "
            f"'{d['id']}-2', and rename the file to match."
        ),
    )
    problems += _duplicates(
        mentors,
        lambda d: name_key(d["name"]) if isinstance(d.get("name"), str) else None,
        ("name",),
        "duplicate-name",
        lambda d, other: (
            f"a mentor named '{d['name']}' is already listed in {other}. If it is the "
            "same person, keep one file; if not, add a middle name or initial to tell them apart."
        ),
    )
    problems += _duplicates(
        mentors,
        text_key("contact", "github"),
        ("contact", "github"),
        "duplicate-person",
        lambda d, other: (
            f"the GitHub user '{_get(d, 'contact', 'github')}' is already listed in "
            f"{other}: one person has one profile. Keep one file."
        ),
    )
    problems += _duplicates(
        mentors,
        text_key("contact", "orcid"),
        ("contact", "orcid"),
        "duplicate-person",
        lambda d, other: (
            f"the ORCID iD {_get(d, 'contact', 'orcid')} is already listed in "
            f"{other}: one person has one profile. Keep one file."
        ),
    )
    problems += _duplicates(
        programs,
        lambda d: name_key(d["name"]) if isinstance(d.get("name"), str) else None,
        ("name",),
        "duplicate-name",
        lambda d, other: (
            f"a program named '{d['name']}' is already listed in {other}: choose a distinct name."
        ),
    )
    return problems


VALIDATION_CACHE_FILE = "validation.json.gz"


StoredKind = Literal["network", "federation", "program", "mentor"]
_STORED_KINDS: dict[str, StoredKind] = {
    "network": "network",
    "federation": "federation",
    "program": "program",
    "mentor": "mentor",
}


class StoredRecord(BaseModel):
    """One file's own checks as the build cache holds them: plain data, rebuilt into a
    :class:`Record` by :func:`_restore`, sealed to the file's key (:func:`_seal`)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    kind: StoredKind
    path: str
    #: the text values the rules across files read: (path in the file, value, line, column)
    fields: list[tuple[tuple[str, ...], str, int, int]]
    #: the file's problems: (line, column, code, message)
    problems: list[tuple[int, int, str, str]]
    #: a valid file's model as JSON data; ``None`` when the file has problems
    model: dict[str, Any] | None
    #: a valid mentor's :func:`rest_digest`
    rest: str | None = None
    #: the HMAC of the file's key and of everything above under the cache folder's secret
    seal: str = ""


class ValidationCache(CacheFile[dict[str, StoredRecord]]):
    """The cache file: a file's key (:func:`file_key`) → its stored checks."""


def _seal(secret: bytes, key: str, entry: StoredRecord) -> str:
    """The seal of ``entry`` stored under ``key``: what proves, when the entry is read back,
    that this code wrote it for that key in this cache folder (not edited, not moved, not
    another folder's), so its model is used without being validated again."""
    body = json.dumps([entry.kind, entry.path, entry.fields, entry.problems, entry.model, entry.rest])
    return seal(secret, key, body)


def _store(record: Record, sealed: tuple[bytes, str] | None = None) -> StoredRecord | None:
    """``record`` as plain data (``None``: it does not fit, do not cache it); with ``sealed``
    (the cache folder's secret and the file's key), sealed to that key."""
    fields: list[tuple[tuple[str, ...], str, int, int]] = []
    for path in _CROSS_FILE_PATHS:
        value = _get(record.loaded.data, *path)
        if isinstance(value, str):
            line, col = record.loaded.where(path)
            fields.append((path, value, line, col))
    kind = _STORED_KINDS.get(record.kind)
    if kind is None or any(p.path != record.path for p in record.problems):
        return None
    stored = StoredRecord(
        kind=kind,
        path=record.path,
        fields=fields,
        problems=[(p.line, p.col, p.code, p.message) for p in record.problems],
        model=None if record.model is None else record.model.model_dump(mode="json", exclude_unset=True),
        rest=record.rest,
    )
    if sealed is not None:
        # through JSON and back, as the next build reads it: the seal is of what is read
        stored = StoredRecord.model_validate_json(stored.model_dump_json())
        stored = stored.model_copy(update={"seal": _seal(*sealed, stored)})
    return stored


#: A problem that may be gone tomorrow with the same bytes (a date in the future): a file with
#: one is not cached, it is checked again on every build.
_DATED_PROBLEMS = frozenset({"future-date"})


def _dated(entry: StoredRecord) -> bool:
    return any(code in _DATED_PROBLEMS for _, _, code, _ in entry.problems)


def _restore(
    stored: StoredRecord,
    kind: str,
    display: str,
    vocab: Vocabulary | None,
    sealed: tuple[bytes, str] | None = None,
) -> Record | None:
    """The record ``stored`` describes, or ``None`` when it does not describe this file
    consistently (then the file is checked again).

    With ``sealed`` (the cache folder's secret and the file's key, which hashes the file's
    bytes, its place, the vocabulary and the code), only an entry whose seal matches is used:
    it was written by this code for these very bytes, so its model is rebuilt without running
    the validators again (:func:`generator.content.construct.construct`). Without ``sealed``
    the model is validated again. Either way it must agree with the file's name, its folder
    and the values the rules across files read."""
    if stored.kind != kind or stored.path != display or (stored.model is not None and stored.problems):
        return None
    trusted = sealed is not None and hmac.compare_digest(stored.seal, _seal(*sealed, stored))
    if sealed is not None and not trusted:
        return None  # edited, moved, or another folder's: the file is checked again
    data: dict[str, Any] = {}
    positions: dict[tuple[str | int, ...], tuple[int, int]] = {}
    for path, value, line, col in stored.fields:
        if path not in _CROSS_FILE_PATHS or path in positions:
            return None
        _put(data, path, value)
        positions[path] = (line, col)
    model: BaseModel | None = None
    if stored.model is not None:
        model_cls = _MODEL_OF[kind]
        try:
            if not trusted:
                raise NotConstructible("not sealed for this file")
            model = construct(model_cls, stored.model)
        except NotConstructible:
            try:
                model = model_cls.model_validate(stored.model, context=validation_context(vocab))
            except ValidationError:
                return None
        folder, _, name = display.rpartition("/")
        if (
            (kind in {"program", "mentor"} and name != f"{getattr(model, 'id', None)}{YAML_SUFFIX}")
            or (kind == "mentor" and folder.rpartition("/")[2] != getattr(model, "program", None))
            or _model_values(model) != {path: value for path, value, _, _ in stored.fields}
        ):
            return None
    problems = [Problem(display, line, col, code, message) for line, col, code, message in stored.problems]
    rest = stored.rest if model is not None and kind == "mentor" else None
    return Record(kind, display, Loaded(display, data, positions, {}, []), model, problems, rest)


def _model_values(model: BaseModel) -> dict[tuple[str, ...], str]:
    """What :func:`_slim` keeps of a valid file, from its model: the values of
    :data:`_CROSS_FILE_PATHS` that are text."""
    values: dict[tuple[str, ...], str] = {}
    for path in _CROSS_FILE_PATHS:
        value: Any = model
        for part in path:
            value = getattr(value, part, None)
        if isinstance(value, str):
            values[path] = value
    return values


def file_key(rules: bytes, kind: str, path: Path) -> str | None:
    """The hash of what decides a file's own checks: the code, the vocabulary (``rules``:
    :func:`rules_digest`), the file's kind and path, and its bytes (``None``: unreadable,
    never cached); a build with a cache records it in :class:`FileCheck`."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None  # check_file reports the unreadable file
    head = f"{code_fingerprint()}\0".encode() + rules + f"\0{kind}\0{_display(path)}\0".encode()
    return hashlib.sha256(head + raw).hexdigest()


def rules_digest(vocab: Vocabulary | None = None) -> bytes:
    """What, besides the code, decides every file's own checks: the vocabulary."""
    return Fingerprinter().digest(vocabulary() if vocab is None else vocab)


def _validate_records(
    files: Sequence[tuple[str, Path]], cache_dir: Path | None, vocab: Vocabulary | None
) -> list[Record]:
    """Every file's own checks; with ``cache_dir``, files whose bytes, place and rules did not
    change since the last run are not parsed again (their stored result is used)."""
    if cache_dir is None:
        return parallel_map(partial(_validate_file, vocab=vocab), files)
    rules = rules_digest(vocab)
    stored = load_cache(cache_dir / VALIDATION_CACHE_FILE, ValidationCache)
    secret = cache_secret(cache_dir)
    before = stored.data if stored is not None else {}
    after: dict[str, StoredRecord] = {}
    keys = [file_key(rules, kind, path) for kind, path in files]
    records: list[Record | None] = []
    for (kind, path), key in zip(files, keys, strict=True):
        entry = before.get(key) if key is not None else None
        record = None
        if entry is not None and key is not None and not _dated(entry):
            record = _restore(entry, kind, _display(path), vocab, (secret, key))
            if record is not None:
                record.key = key
                after[key] = entry
        records.append(record)
    missing = [i for i, record in enumerate(records) if record is None]
    fresh = parallel_map(partial(_validate_file, vocab=vocab), [files[i] for i in missing])
    for i, record in zip(missing, fresh, strict=True):
        records[i] = record
        key = keys[i]
        record.key = key
        entry = _store(record, (secret, key)) if key is not None else None
        if key is not None and entry is not None and not _dated(entry):
            after[key] = entry
    if missing or after.keys() != before.keys():
        save_cache(cache_dir / VALIDATION_CACHE_FILE, ValidationCache, after)
    log.info("validation cache: %d of %d files unchanged", len(files) - len(missing), len(files))
    return [record for record in records if record is not None]


def _validate_file(item: tuple[str, Path], vocab: Vocabulary | None) -> Record:
    return check_file(*item, vocab)


def _usable_cache_dir(cache_dir: Path | None, content: Path, output_problems: list[Problem]) -> Path | None:
    """``cache_dir``, unless it may not be used: then ``None``, and the reason is logged."""
    if cache_dir is None:
        return None
    if output_problems:
        log.warning("not using the build cache: build output is committed or inside the content folder")
        return None
    try:
        check_cache_dir(cache_dir, content)
    except UnsafeCacheDir as exc:
        log.warning("not using the build cache: %s", exc)
        return None
    return cache_dir


def validate_content(
    content: Path | str,
    only: Sequence[Path | str] | None = None,
    *,
    cache_dir: Path | None = None,
    vocab: Vocabulary | None = None,
) -> ValidationResult:
    """Check the network file and every program and mentor file under ``content``, coded
    fields against ``vocab`` (default: the project's vocabulary).

    With ``only``, problems are reported for those files (or folders) alone, while the
    whole content still serves the rules across files (program exists, ids unique); a clash
    between a given file and another is reported on the given file.
    With ``cache_dir`` (see :mod:`generator.core.cache`), unchanged files are not parsed again;
    the rules across files always run on everything. A build cache or built site committed to
    the content's repository, or inside ``content``, is a problem whatever ``only`` says
    (:mod:`generator.content.build_output`), and while there is one no cache is used.
    """
    content = Path(content)
    output_problems = build_output_problems(content)
    files, problems = discover(content)
    records = _validate_records(files, _usable_cache_dir(cache_dir, content, output_problems), vocab)
    selected = [Path(p) for p in only] if only else []

    def chosen(path: str) -> bool:
        """A problem of ``path`` concerns the selection: it is a selected file, lies in a
        selected folder, or is a folder (or link) a selected path lies in."""
        p = Path(path)
        return any(p == s or s in p.parents or p in s.parents for s in selected)

    cross = _cross_file(records, chosen if selected else None)
    by_path: dict[str, Record] = {r.path: r for r in records}
    for problem in cross:
        by_path[problem.path].problems.append(problem)
        by_path[problem.path].model = None
    result = ValidationResult(files_checked=len(records))
    all_problems = problems + [p for r in records for p in r.problems]
    if selected:
        known = {Path(r.path) for r in records}
        reported = {Path(p.path) for p in problems}
        for path in selected:
            if path in reported or any(parent in reported for parent in path.parents):
                continue  # a link, or a file in a refused folder: already said, never followed
            if not path.exists():
                all_problems.append(Problem(_display(path), 1, 1, "not-found", "no such file or folder."))
            elif path.is_file() and path not in known and path.suffix in {".yml", ".yaml"}:
                all_problems.append(
                    Problem(
                        _display(path),
                        1,
                        1,
                        "outside-content",
                        f"this file is not under {_display(content)}/programs or "
                        f"{_display(content)}/mentors/<program>/, so it is not part of the directory. "
                        "Move it there, or give --content.",
                    )
                )
        all_problems = [p for p in all_problems if chosen(p.path)]
        result.files_checked = sum(1 for r in records if chosen(r.path))
    result.problems = sorted(set(all_problems + output_problems))
    for record in records:
        if record.model is None or record.problems:
            continue
        if isinstance(record.model, Network):
            result.network = record.model
        elif isinstance(record.model, Federation):
            result.federation = record.model
        elif isinstance(record.model, Program):
            result.programs[record.model.id] = record.model
        elif isinstance(record.model, Mentor):
            result.mentors[record.model.id] = record.model
    if not result.problems and all(r.key is not None for r in records):
        result.checks = [
            FileCheck(r.kind, r.path, r.key, getattr(r.model, "id", None) if r.rest else None, r.rest)
            for r in records
            if r.key is not None
        ]
    log.info("checked %d files: %d problem(s)", result.files_checked, len(result.problems))
    return result


def load_network(content: Path | str, vocab: Vocabulary | None = None) -> ValidationResult:
    """The validated network; raises :class:`ContentError` if any file has a problem."""
    result = validate_content(content, vocab=vocab)
    result.raise_for_problems()
    return result


def load_record(path: Path | str, model_cls: type[ModelT], vocab: Vocabulary | None = None) -> ModelT:
    """Strictly read one YAML (or JSON) file as ``model_cls`` (coded fields checked against
    ``vocab``, default: the project's vocabulary).

    Raises :class:`ContentError` with every problem (file, line, fix) when it is invalid.
    """
    display = _display(Path(path))
    loaded = load_file(path, display=display)
    problems = list(loaded.problems)
    if isinstance(loaded.data, dict) and not problems:
        try:
            return model_cls.model_validate(loaded.data, context=validation_context(vocab))
        except ValidationError as exc:
            problems += problems_from_validation_error(exc, model_cls, loaded)
    raise ContentError(problems)

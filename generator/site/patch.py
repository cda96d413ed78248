"""A bio edit patched onto the previous output, without a build.

Most pull requests to a network edit one mentor's bio. A bio reaches four things in the output:
the mentor's page (its "About" section), ``directory.json`` (the mentor's entry), the people
index's shards that hold the bio's old and new words, and the files derived from those (the term
files, ``search/terms.json``'s list of them, ``search/version.json``). Every other file's bytes
are independent of it. So when the only change since the build that made the output is in bios,
:func:`try_patch` writes those files and nothing else, in well under the second a build's
imports alone take with Pelican: no validation of the other files, no export, no views, no page
keys.

It only patches when it can prove that the result is the bytes a build would write, and
otherwise hands over to the build (returning :class:`Refused`, the reason also logged):

- the build cache holds a :class:`PatchState` of the very output being replaced (its build id),
  written by a build or a patch with the same code (the cache's code fingerprint), the same
  settings (site and repository addresses, the day freshness is judged on, the ledger's and the
  peers' snapshots' bytes, lunr.js, the vocabulary and the matching settings) —
  :func:`patch_settings`;
- every file of the output has the size and time the last build or patch left it with;
- the content folder has the same entries (no file added, removed, renamed or turned into a
  link), and every file whose size or time changed has the same bytes, or is a mentor file whose
  data, parsed, differs only in ``bio`` (:func:`generator.content.validation.rest_digest`), has
  no problem of its own, and had and still has a bio (the rules across files read no bio);
- the old bio's HTML is found once in the mentor's page and the mentor's entry once in
  ``directory.json``, equal to the new one but for the bio;
- the people index's state can be updated (:func:`generator.search.people_state.patch_people_shards`).

The files are written into a folder beside the output, then moved over their old copies with the
overlay's marker in place (:mod:`generator.site.overlay`): a patch stopped half-way leaves the
marker, and the next build trusts nothing of that output. The build id stays, and so do the
caches keyed by it: the page manifest trusts a page only while its size and time are what it
wrote (the patched page's are not), the validation and bio caches are keyed by content, and the
people index's state is updated with the shards. A test compares a patched output with a clean
build of the same content, file by file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import hashlib
import json
import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from generator.content.export import EXPORT_FILE, public_mentor
from generator.content.models import Mentor
from generator.content.render import render_bio
from generator.content.validation import FileCheck, check_file, file_key
from generator.core.cache import CacheFile, Fingerprinter, load_cache, save_cache
from generator.search.people_state import (
    STATE_DIR,
    PeopleCache,
    PeopleUpdateRefused,
    patch_people_shards,
    shard_name,
)
from generator.search.shards import (
    SHARD_DIR,
    SHARD_TARGET_BYTES,
    TERM_DIR,
    TERMS_FILE,
    compact_json,
    term_file,
    term_file_keys,
    term_files_payload,
    term_key,
)
from generator.site.overlay import applying, load_files, move_staged, save_files, staged_files
from generator.site.versions import (
    LUNR_FILE,
    SEARCH_DIR,
    SEARCH_VERSION_FILE,
    index_version,
    index_version_text,
    sha256_of,
)

log = logging.getLogger(__name__)

#: in the cache folder: what the last build or patch knew of the content (:class:`PatchState`)
PATCH_STATE_FILE = "patch-state.json.gz"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


@dataclass(frozen=True)
class StoredFile:
    kind: str
    key: str
    size: int
    mtime_ns: int
    #: a mentor file's id and rest digest
    id: str | None
    rest: str | None


#: how :class:`PatchState` holds a :class:`StoredFile` (a tuple: 10,000 of them load in 10 ms)
FileRow = tuple[str, str, int, int, str | None, str | None]


class PatchState(_Strict):
    """The content an output was built from, as a patch needs to know it."""

    build_id: str
    settings: str
    #: the content folder as the build was given it (the files below are named from it)
    content: str
    #: every entry under the content folder: "d path", "f path" (a regular file) or "o path"
    tree: list[str]
    #: by the path the validation names the file with: :class:`StoredFile`'s fields
    files: dict[str, FileRow]
    #: every file of the output as the build or patch left it: path in it → (size, mtime_ns)
    output: dict[str, tuple[int, int]]
    mentors: int
    programs: int
    peer_mentors: int
    peers: int


class PatchStateCache(CacheFile[PatchState]):
    """``patch-state.json.gz``."""


class PatchRefused(Exception):
    """The edit cannot be patched: a build is needed (the message says why)."""


@dataclass(frozen=True)
class Refused:
    """Why :func:`try_patch` did not patch: a build is needed."""

    reason: str


@dataclass(frozen=True)
class ContentTree:
    """The entries under a content folder and each regular file's (size, mtime_ns), by the
    path the validation names it with."""

    entries: list[str]
    stats: dict[str, tuple[int, int]]


@dataclass(frozen=True)
class Patched:
    """What a patch published (the counts of the build it patched)."""

    mentors: int
    programs: int
    peer_mentors: int
    peers: int
    bios: int


def content_tree(content: Path) -> ContentTree:
    """Walk ``content`` (links are listed, never followed)."""
    entries: list[str] = []
    stats: dict[str, tuple[int, int]] = {}
    top = content.as_posix()
    folders = [(top, "")]
    while folders:
        folder, rel = folders.pop()
        with os.scandir(folder) as found:
            for entry in found:
                where = f"{rel}{entry.name}"
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode):
                    entries.append(f"d {where}")
                    folders.append((_join(folder, entry.name), f"{where}/"))
                elif stat.S_ISREG(info.st_mode):
                    entries.append(f"f {where}")
                    stats[_join(folder, entry.name)] = (info.st_size, info.st_mtime_ns)
                else:
                    entries.append(f"o {where}")
    entries.sort()
    return ContentTree(entries, stats)


def _join(folder: str, name: str) -> str:
    """``(Path(folder) / name).as_posix()``, as the validation names a file."""
    if folder == ".":
        return name
    return f"{folder.rstrip('/')}/{name}"


def _file_digest(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def patch_settings(
    *,
    site_url: str,
    repository_url: str,
    as_of: dt.date,
    ledger: Path | None,
    federation: Path | None,
    node_modules: Path,
    rules: bytes,
) -> str:
    """A hash of everything but the content and the code that decides the output: the
    addresses, the day, the ledger, the peers' snapshots, lunr.js, and the vocabulary (``rules``:
    :func:`generator.content.validation.rules_digest`) and the matching settings
    (``$MENTORMEMED_VOCABULARY`` and ``$MENTORMEMED_MATCHING`` may name files outside the
    code)."""
    from generator.matching.config import matching_config

    parts = [
        site_url,
        repository_url,
        as_of.isoformat(),
        _file_digest(ledger),
        rules.hex(),
        Fingerprinter().digest(matching_config()).hex(),
    ]
    if federation is not None and federation.is_dir():
        for path in sorted(federation.rglob("*")):
            if path.is_file():
                parts.append(f"{path.relative_to(federation).as_posix()}={_file_digest(path)}")
    else:
        parts.append(f"federation {federation is not None}")
    parts.append(_file_digest(node_modules / LUNR_FILE))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _output_stats(output: Path, names: Iterable[str]) -> dict[str, tuple[int, int]] | None:
    """(size, mtime_ns) of each of the output's files ``names``; ``None`` if one is missing or
    not a regular file."""
    stats: dict[str, tuple[int, int]] = {}
    top = output.as_posix()
    for name in names:
        try:
            info = os.lstat(f"{top}/{name}")
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        stats[name] = (info.st_size, info.st_mtime_ns)
    return stats


def pack_content(tree: ContentTree, checks: Sequence[FileCheck]) -> bytes | None:
    """What the record keeps of the content, packed (gzip-compressed JSON) for the length of the
    build: at 50,000 mentors the lists weigh 30 MB, which the build's peak would carry, the
    packed form 2 MB. ``None`` when a checked file's size and time were not seen (it changed
    while the build read it): then nothing is recorded, and the next run builds."""
    files: dict[str, FileRow] = {}
    for check in checks:
        seen = tree.stats.get(check.path)
        if seen is None:
            return None
        files[check.path] = (check.kind, check.key, seen[0], seen[1], check.id, check.rest)
    text = json.dumps([tree.entries, files], ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8", "surrogatepass"), compresslevel=1, mtime=0)


def save_patch_state(
    cache_dir: Path,
    output: Path,
    *,
    build_id: str,
    settings: str,
    content_dir: Path,
    content: bytes,
    counts: tuple[int, int, int, int],
) -> None:
    """Record what the build ``build_id`` made ``output`` of: ``content`` from
    :func:`pack_content` (of the folder ``content_dir``), and each of the output's files' size
    and time."""
    entries, files = json.loads(gzip.decompress(content).decode("utf-8", "surrogatepass"))
    written = load_files(cache_dir, build_id)
    stats = _output_stats(output, written) if written is not None else None
    if stats is None:
        forget_patch_state(cache_dir)
        return
    mentors, programs, peer_mentors, peers = counts
    state = PatchState(
        build_id=build_id,
        settings=settings,
        content=content_dir.as_posix(),
        tree=entries,
        files={path: tuple(row) for path, row in files.items()},
        output=stats,
        mentors=mentors,
        programs=programs,
        peer_mentors=peer_mentors,
        peers=peers,
    )
    save_cache(cache_dir / PATCH_STATE_FILE, PatchStateCache, state)


def forget_patch_state(cache_dir: Path) -> None:
    """After a build that records no state: the old one must not describe the new output."""
    (cache_dir / PATCH_STATE_FILE).unlink(missing_ok=True)


def try_patch(
    content: Path,
    output: Path,
    cache_dir: Path,
    *,
    build_id: str | None,
    settings: str,
    site_url: str,
    rules: bytes,
) -> Patched | Refused:
    """Patch the bios edited since the build ``build_id`` made ``output``, or say why a build is
    needed instead (also logged at INFO). A refused patch wrote nothing into the output, but
    for one stopped by an error while moving files, which leaves the overlay's marker."""
    if build_id is None:
        return Refused("no build made the output, or one stopped half-way")
    staging: Path | None = None
    try:
        state = _usable_state(cache_dir, build_id, settings)
        if state.content != content.as_posix():
            # the record names each file as the validation did, from the folder's name
            raise PatchRefused(
                f"the content folder was given as {state.content!r} to the last build and "
                f"as {content.as_posix()!r} now (a patch needs it given the same way)"
            )
        tree = content_tree(content)
        if tree.entries != state.tree:
            raise PatchRefused("files were added, removed or renamed")
        if _output_stats(output, state.output) != state.output:
            raise PatchRefused("files of the output were changed, added or removed since it was built")
        edited, seen = _edited_mentors(state, tree, rules)
        if not edited and not seen:
            log.info("nothing changed since the last build")
            return _patched(state, 0)
        files = dict(state.files)
        for path, stored in seen.items():
            files[path] = dataclasses.astuple(stored)
        written = dict(state.output)
        if edited:
            staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.patching-", dir=output.parent))
            removed = _stage(output, staging, edited, cache_dir, build_id, site_url)
            written = _apply(staging, output, removed, written)
            if written.keys() != state.output.keys():
                save_files(cache_dir, build_id, written)  # term files came or went
        save_cache(
            cache_dir / PATCH_STATE_FILE,
            PatchStateCache,
            state.model_copy(update={"files": files, "output": written}),
        )
        if edited:
            log.info("patched %d edited bio(s) into %s (nothing else changed)", len(edited), output)
        else:
            log.info("nothing changed since the last build")
        return _patched(state, len(edited))
    except PatchRefused as reason:
        log.info("a build, not a patch: %s", reason)
        return Refused(str(reason))
    except (OSError, ValueError) as exc:  # an unreadable file, a folder gone: the build says what
        log.warning("a build, not a patch: %s", exc)
        return Refused(str(exc))
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _patched(state: PatchState, bios: int) -> Patched:
    return Patched(state.mentors, state.programs, state.peer_mentors, state.peers, bios)


def _usable_state(cache_dir: Path, build_id: str, settings: str) -> PatchState:
    stored = load_cache(cache_dir / PATCH_STATE_FILE, PatchStateCache)
    if stored is None:
        raise PatchRefused("no record of the last build's content")
    state = stored.data
    if state.build_id != build_id:
        raise PatchRefused("the record is not of the output's build")
    if state.settings != settings:
        raise PatchRefused("another site address, day, ledger, peer snapshot or lunr.js")
    return state


@dataclass(frozen=True)
class _Edit:
    path: str
    mentor: Mentor
    stored: StoredFile


def _edited_mentors(
    state: PatchState, tree: ContentTree, rules: bytes
) -> tuple[list[_Edit], dict[str, StoredFile]]:
    """The mentor files whose bio changed, and the new record of every file seen changed
    (``rules``: :func:`generator.content.validation.rules_digest`, for their keys)."""
    edited: list[_Edit] = []
    seen: dict[str, StoredFile] = {}
    for path, row in state.files.items():
        now = tree.stats.get(path)
        if now is None:
            raise PatchRefused(f"{path} is no longer a regular file")
        if now == (row[2], row[3]):
            continue
        stored = StoredFile(*row)
        key = file_key(rules, stored.kind, Path(path))
        if key is None:
            raise PatchRefused(f"{path} cannot be read")
        seen[path] = dataclasses.replace(stored, key=key, size=now[0], mtime_ns=now[1])
        if key == stored.key:
            continue  # touched, not changed
        if stored.kind != "mentor" or stored.id is None or stored.rest is None:
            raise PatchRefused(f"{path} is not a mentor file")
        record = check_file("mentor", Path(path))
        if record.problems or not isinstance(record.model, Mentor):
            raise PatchRefused(f"{path} has problems")
        if record.rest != stored.rest or record.model.id != stored.id:
            raise PatchRefused(f"more than the bio changed in {path}")
        edited.append(_Edit(path, record.model, stored))
    return edited, seen


def _stage(
    output: Path, staging: Path, edited: Sequence[_Edit], cache_dir: Path, build_id: str, site_url: str
) -> list[Path]:
    """Write the changed files into ``staging`` (paths as in the output); returns the output's
    files to delete. The checks that may refuse come first: the people index's state is
    updated last."""
    export_path = output / EXPORT_FILE
    try:
        data = export_path.read_bytes()
    except OSError as exc:
        raise PatchRefused(f"{EXPORT_FILE} cannot be read: {exc}") from None
    pages: dict[str, str] = {}
    for edit in edited:
        new_entry = public_mentor(edit.mentor, site_url).model_dump_json()
        data, old_bio = _replace_entry(data, edit.mentor.id, new_entry)
        if not old_bio or not edit.mentor.bio:
            raise PatchRefused(f"a bio was added or removed in {edit.path}")
        page = f"mentors/{edit.mentor.id}/index.html"
        html = pages.get(page)
        if html is None:
            try:
                html = (output / page).read_text(encoding="utf-8")
            except OSError as exc:
                raise PatchRefused(f"{page} cannot be read: {exc}") from None
        old_html, new_html = str(render_bio(old_bio)), str(render_bio(edit.mentor.bio))
        if html.count(old_html) != 1:
            raise PatchRefused(f"the old bio is not once in {page}")
        pages[page] = html.replace(old_html, new_html)
    (staging / EXPORT_FILE).write_bytes(data)
    for page, html in pages.items():
        target = staging / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    mentors = [e.mentor for e in edited]
    return _stage_search(output / SEARCH_DIR, staging / SEARCH_DIR, mentors, cache_dir, build_id)


def _replace_entry(data: bytes, mentor_id: str, new_entry: str) -> tuple[bytes, str | None]:
    """``data`` (``directory.json``) with the mentor's entry replaced by ``new_entry``, and the
    old entry's bio; refused unless the two entries differ at most in the bio.

    In the compact JSON a build writes, ``{"id":`` opens an object only where one starts: in a
    text it would be ``{\\"id\\":``. So the entry runs from its own ``{"id":"<id>",`` to the
    next mentor's ``,{"id":`` or to the list's end, and that span must parse as one object."""
    marker = b'"mentors":['
    if data.count(marker) != 1:
        raise PatchRefused(f"{EXPORT_FILE} is not as a build writes it")
    head = f'{{"id":{json.dumps(mentor_id, ensure_ascii=False)},'.encode()
    start = data.find(head, data.index(marker))
    if start < 0 or data.find(head, start + 1) >= 0:
        raise PatchRefused(f"mentor '{mentor_id}' is not once in {EXPORT_FILE}")
    end = data.find(b',{"id":', start + 1)
    if end < 0:
        end = data.rfind(b"]}")
    try:
        old = json.loads(data[start:end])
    except ValueError:
        raise PatchRefused(f"{EXPORT_FILE} is not as a build writes it") from None
    new = json.loads(new_entry)
    old_bio = old.pop("bio", None) if isinstance(old, dict) else None
    new.pop("bio", None)
    if old != new:
        raise PatchRefused(f"mentor '{mentor_id}' changed in more than the bio")
    return data[:start] + new_entry.encode() + data[end:], old_bio if isinstance(old_bio, str) else None


def _stage_search(
    search: Path, staged: Path, edited: Sequence[Mentor], cache_dir: Path, build_id: str
) -> list[Path]:
    """The people shards the edits change, the term files of the terms they change,
    ``terms.json`` if there are term files of other keys now, and ``version.json``; returns the
    output's term files to delete."""
    cache = PeopleCache(cache_dir / STATE_DIR, build_id, search / SHARD_DIR, build_id)
    try:
        people = patch_people_shards(staged / SHARD_DIR, edited, SHARD_TARGET_BYTES, cache)
    except PeopleUpdateRefused as reason:
        raise PatchRefused(f"the people index: {reason}") from None
    old_keys = term_file_keys(search)
    # a term file lists its terms' shards and frequencies: only those of changed terms move
    dirty = {term_key(t) for t in people.changed_terms or ()}
    found: set[str] = set()
    entries: list[tuple[str, int, int]] = []
    for term in people.terms:
        key = term_key(term)
        found.add(key)
        if key in dirty:
            entries.append((term, people.shard_of(term), people.frequencies[term]))
    keys = sorted(found)
    (staged / TERM_DIR).mkdir(parents=True, exist_ok=True)
    for key, payload in term_files_payload(entries).items():
        (staged / term_file(key)).write_text(compact_json(payload), encoding="utf-8")
    if keys != old_keys:
        terms = json.loads((search / TERMS_FILE).read_text(encoding="utf-8"))
        terms["termFiles"] = keys
        (staged / TERMS_FILE).write_text(compact_json(terms), encoding="utf-8")

    def current(name: str) -> Path:
        return staged / name if (staged / name).exists() else search / name

    # the version write_index_version gives, with the shards' hashes from the index's state
    version = index_version(
        [
            (TERMS_FILE, sha256_of(current(TERMS_FILE))),
            *((f"{key}.json", sha256_of(current(term_file(key)))) for key in keys),
            *((shard_name(n), sha256) for n, sha256 in enumerate(people.shard_hashes)),
        ]
    )
    (staged / SEARCH_VERSION_FILE).write_text(index_version_text(version), encoding="utf-8")
    return [search / term_file(key) for key in old_keys if key not in keys]


def _apply(
    staging: Path, output: Path, removed: Sequence[Path], written: dict[str, tuple[int, int]]
) -> dict[str, tuple[int, int]]:
    """Move the staged files over the output's (the same bytes: left as they are) and delete
    ``removed``, under the overlay's marker; ``written`` (the output's files, see
    :class:`PatchState`) updated."""
    written = dict(written)
    with applying(output, "A patch"):
        moved = move_staged(staging, staged_files(staging), lambda name: output / name)
        for name in moved:
            info = (output / name).stat()
            written[name] = (info.st_size, info.st_mtime_ns)
        for path in removed:
            path.unlink(missing_ok=True)
            written.pop(path.relative_to(output).as_posix(), None)
    log.info("patched %d file(s) of %s", len(moved), output)
    return written

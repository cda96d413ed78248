"""The people index's shard files, written whole or updated for the bios that changed.

**Full build** (:func:`write_people_shards` without a usable state): every mentor's name and
plain-text bio, in ref order (:func:`generator.search.order.ref_order`), go into a
term-partitioned index (:class:`generator.search.people_shards.PeopleTerms`), cut into shards
as :func:`generator.search.shards.split_index` cuts lunr.py's index, and each shard is rendered
and written — byte for byte what ``lunr.lunr(...)`` serialized and split gives (a test checks
it) — in the worker processes of :mod:`generator.core.parallel`.

**State** (only with a build cache): in ``<cache>/people-index/``, gzip-compressed JSON read
back through strict pydantic models (:func:`generator.core.cache.load_cache`, never pickle),
each file written atomically and keyed by the code fingerprint (the generator's source, the
vocabulary, lunr.py's and every package's version: any change means a full build):

- ``meta.json.gz``: the build it describes, the shard target, every mentor's id (in ref order),
  a hash of its name and bio Markdown and its field lengths, the **frozen statistics** (the
  average field lengths the vectors were scored with; the document count is the number of
  ids), the next term ``_index``, the shard boundaries (the lowest term each shard covers),
  each shard file's size, mtime and SHA-256, and every term's document frequency;
- ``shard-<n>.json.gz``: the postings of shard *n*'s terms with their term frequencies;
- ``docs-<k>.json.gz``: the term frequencies of mentors ``k*256 … k*256+255`` (what an edit
  takes out of the postings).

**Rebuild** (:func:`write_people_shards` with the state of the build that made the previous
output): mentors whose hash changed are the edited ones; their old terms come from their docs
file, their new ones from their bio. It is a full build instead when a mentor was added or
removed (refs shift), when the state is not the previous output's, or when the statistics
drifted: an average field length now more than :data:`MAX_AVERAGE_DRIFT` (2 %) away from the
frozen one. Otherwise the postings of the terms an edit touched are updated (a term that
appears gets the next ``_index``; one no mentor has any more is dropped), and only the shards
holding those terms are rendered again: every vector element of a term lives in its term's
shard, the idf of a term changes only with its own document frequency, and with frozen
averages an element changes only when its term's postings or its document change. The other
shard files are hard links to the previous output's (checked against the recorded size and
mtime, or SHA-256). Shard boundaries stay: a new term goes to the shard whose range covers it;
a shard grown past :data:`RESPLIT_FACTOR` × the target means a full build (which cuts anew).

**The bound.** Incrementally built scores are those of a full build of the same content except
that documents are scored with the frozen averages. BM25's denominator ``k1 (1 - b + b L/avg) +
tf`` then moves by at most the averages' relative drift ``d`` (≤ 2 %), so every vector element,
and every query score (a positive combination of elements), is within ``d / (1 - d)`` (≈ 2.04 %)
of the full build's, plus the rounding of elements to 3 decimals; rankings differ only between
mentors whose scores are that close. Why 2 %: at 10,000 mentors one rewritten 150-word bio moves
the bio average by about 0.01 %, so the bound is reached only after hundreds of rewritten bios,
and any added or removed mentor already means a full build that resets it. ``mentormemed build
--no-cache`` is the full build on demand.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from generator.core.cache import CacheFile, gc_paused, load_cache, save_cache
from generator.core.parallel import parallel_map
from generator.search.people_shards import (
    FIELDS,
    PeopleTerms,
    build_terms,
    document_frequency,
    field_terms,
    layout,
    render_shard,
    shard_size,
)

log = logging.getLogger(__name__)

STATE_DIR = "people-index"
META_FILE = "meta.json.gz"
#: Mentors per docs file of the state.
DOCS_PER_FILE = 256
#: The most an average field length may drift from the frozen one before a full build.
MAX_AVERAGE_DRIFT = 0.02
#: A shard estimated past this many times the target means a full build (which cuts anew).
RESPLIT_FACTOR = 2


class _Mentor(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def bio(self) -> str | None: ...


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ShardFileInfo(_Strict):
    size: int
    mtime_ns: int
    sha256: str


class PeopleMeta(_Strict):
    build_id: str
    target_bytes: int
    ids: list[str]
    hashes: list[str]
    #: per field, per ref
    lengths: list[list[int]]
    #: the frozen average field lengths
    averages: list[float]
    next_index: int
    boundaries: list[str]
    files: list[ShardFileInfo]
    #: every term → lunr's document frequency
    frequencies: dict[str, int]


class MetaCache(CacheFile[PeopleMeta]):
    """``meta.json.gz``."""


class ShardState(CacheFile[dict[str, list[list[int]]]]):
    """``shard-<n>.json.gz``: term → ``[[_index], [ref, tf, …] per field]``."""


class DocsState(CacheFile[list[list[dict[str, int]]]]):
    """``docs-<k>.json.gz``: per mentor, per field, term → frequency."""


@dataclass(frozen=True)
class PeopleCache:
    """Where the state lives and which build it must describe to be used."""

    folder: Path
    build_id: str
    #: the previous output's shard folder (``search/people``)
    previous: Path | None = None
    previous_build_id: str | None = None


@dataclass
class PeopleFiles:
    """What :func:`write_people_shards` wrote."""

    #: every term, sorted
    terms: list[str]
    #: term → lunr's document frequency (its documents, counted once per field)
    frequencies: dict[str, int]
    #: per shard, the lowest term it covers (the first term it had when it was cut)
    boundaries: list[str]
    shard_bytes: list[int]
    #: the shards whose file this build rendered (every one on a full build)
    rendered: set[int]
    #: the terms whose postings changed; ``None``: a full build (all of them)
    changed_terms: set[str] | None
    full: bool = True
    fields: list[str] = field(default_factory=lambda: list(FIELDS))

    def shard_of(self, term: str) -> int:
        return max(bisect.bisect_right(self.boundaries, term) - 1, 0)


def shard_name(number: int) -> str:
    return f"{number}.json"


def mentor_hash(mentor: _Mentor) -> str:
    """A hash of what the people index reads of a mentor: the name and the bio's Markdown."""
    digest = hashlib.sha256(mentor.name.encode("utf-8", "surrogatepass") + b"\0")
    digest.update((mentor.bio or "").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


def _texts(mentor: _Mentor) -> tuple[str, str]:
    from generator.content.render import plain_text

    return mentor.name, plain_text(mentor.bio)


def _file_info(path: Path, data: bytes) -> ShardFileInfo:
    info = path.stat()
    return ShardFileInfo(size=info.st_size, mtime_ns=info.st_mtime_ns, sha256=hashlib.sha256(data).hexdigest())


# --------------------------------------------------------------------------- full build


class _FullWork:
    """What each worker process needs (inherited by fork, not pickled)."""

    def __init__(self, terms: PeopleTerms, groups: list[list[str]], out: Path, state: Path | None) -> None:
        self.terms, self.groups, self.out, self.state = terms, groups, out, state

    def __call__(self, number: int) -> tuple[int, int, str]:
        shard_terms = self.groups[number]
        data = render_shard(self.terms, shard_terms)
        path = self.out / shard_name(number)
        path.unlink(missing_ok=True)  # never write through a link to the previous output
        path.write_bytes(data)
        if self.state is not None:
            postings = self.terms.postings
            save_cache(
                self.state / f"shard-{number}.json.gz",
                ShardState,
                {t: [[postings[t][0]], *postings[t][1:]] for t in shard_terms},
            )
        info = _file_info(path, data)
        return info.size, info.mtime_ns, info.sha256


def _full_build(
    out: Path, mentors: Sequence[_Mentor], target_bytes: int, cache: PeopleCache | None, hashes: list[str]
) -> PeopleFiles:
    with gc_paused():
        terms, per_doc = build_terms(_texts(m) for m in mentors)
        groups = layout(terms, target_bytes)
    state = cache.folder if cache is not None else None
    if state is not None:
        state.mkdir(parents=True, exist_ok=True)
        for stale in state.glob("*.json.gz"):
            stale.unlink()
    results = parallel_map(_FullWork(terms, groups, out, state), list(range(len(groups))))
    files = [ShardFileInfo(size=s, mtime_ns=m, sha256=h) for s, m, h in results]
    frequencies = {t: document_frequency(terms.postings[t]) for t in sorted(terms.postings)}
    boundaries = [g[0] for g in groups]
    if cache is not None:
        for k in range(0, len(per_doc), DOCS_PER_FILE):
            save_cache(cache.folder / f"docs-{k // DOCS_PER_FILE}.json.gz", DocsState, per_doc[k : k + DOCS_PER_FILE])
        _save_meta(cache, target_bytes, mentors, hashes, terms, boundaries, files, frequencies)
    return PeopleFiles(
        terms=list(frequencies),
        frequencies=frequencies,
        boundaries=boundaries,
        shard_bytes=[f.size for f in files],
        rendered=set(range(len(groups))),
        changed_terms=None,
    )


def _save_meta(
    cache: PeopleCache,
    target_bytes: int,
    mentors: Sequence[_Mentor],
    hashes: list[str],
    terms: PeopleTerms,
    boundaries: list[str],
    files: list[ShardFileInfo],
    frequencies: dict[str, int],
) -> None:
    meta = PeopleMeta(
        build_id=cache.build_id,
        target_bytes=target_bytes,
        ids=[m.id for m in mentors],
        hashes=hashes,
        lengths=terms.lengths,
        averages=terms.averages,
        next_index=terms.next_index,
        boundaries=boundaries,
        files=files,
        frequencies=frequencies,
    )
    save_cache(cache.folder / META_FILE, MetaCache, meta)


# --------------------------------------------------------------------------- rebuild


class _FullBuildNeeded(Exception):
    """The state cannot be updated: build everything (the message says why)."""


def _drift(terms: PeopleTerms) -> float:
    count = terms.document_count
    return max(
        abs(total / count - average) / average if average else float(total != 0)
        for total, average in zip(terms.totals(), terms.averages, strict=True)
    )


def _remove(flat: list[int], ref: int) -> None:
    refs = flat[::2]
    position = bisect.bisect_left(refs, ref)
    if position < len(refs) and refs[position] == ref:
        del flat[2 * position : 2 * position + 2]


def _insert(flat: list[int], ref: int, tf: int) -> None:
    position = bisect.bisect_left(flat[::2], ref)
    flat[2 * position : 2 * position] = [ref, tf]


def _linked(source_dir: Path, out: Path, name: str, info: ShardFileInfo) -> bool:
    """Put the previous output's shard file in ``out`` (a hard link) if it is the one the
    state describes; False when it is not (missing, changed, not a regular file)."""
    source = source_dir / name
    target = out / name
    try:
        stat = os.stat(source, follow_symlinks=False)
        if not os.path.isfile(source) or os.path.islink(source) or stat.st_size != info.size:
            return False
        if stat.st_mtime_ns != info.mtime_ns:
            if hashlib.sha256(source.read_bytes()).hexdigest() != info.sha256:
                return False
        if target.exists() and os.path.samefile(source, target):
            return True
        target.unlink(missing_ok=True)
        os.link(source, target)
    except OSError:
        return False
    return True


def _rebuild(
    out: Path, mentors: Sequence[_Mentor], target_bytes: int, cache: PeopleCache, hashes: list[str]
) -> PeopleFiles:
    if cache.previous is None or cache.previous_build_id is None:
        raise _FullBuildNeeded("no previous output")
    stored = load_cache(cache.folder / META_FILE, MetaCache)
    if stored is None:
        raise _FullBuildNeeded("no usable state")
    meta = stored.data
    if meta.build_id != cache.previous_build_id:
        raise _FullBuildNeeded("the state is not the previous output's")
    if meta.target_bytes != target_bytes:
        raise _FullBuildNeeded("another shard size")
    if meta.ids != [m.id for m in mentors]:
        raise _FullBuildNeeded("mentors were added or removed")
    if len(meta.files) != len(meta.boundaries) or len(meta.lengths) != len(FIELDS):
        raise _FullBuildNeeded("an inconsistent state")
    terms = PeopleTerms(
        document_count=len(mentors),
        lengths=[list(lengths) for lengths in meta.lengths],
        next_index=meta.next_index,
        averages=list(meta.averages),
    )
    frequencies = dict(meta.frequencies)
    changed = [ref for ref, (old, new) in enumerate(zip(meta.hashes, hashes, strict=True)) if old != new]
    # the edits: per ref, old and new term frequencies per field
    edits: dict[int, tuple[list[dict[str, int]], list[dict[str, int]]]] = {}
    docs_files: dict[int, list[list[dict[str, int]]]] = {}
    for ref in changed:
        k = ref // DOCS_PER_FILE
        if k not in docs_files:
            docs = load_cache(cache.folder / f"docs-{k}.json.gz", DocsState)
            if docs is None:
                raise _FullBuildNeeded(f"docs file {k} is missing")
            docs_files[k] = list(docs.data)
        chunk = docs_files[k]
        if ref % DOCS_PER_FILE >= len(chunk) or len(chunk[ref % DOCS_PER_FILE]) != len(FIELDS):
            raise _FullBuildNeeded(f"docs file {k} is inconsistent")
        old = chunk[ref % DOCS_PER_FILE]
        analysed = [field_terms(text) for text in _texts(mentors[ref])]
        new = [tf for tf, _ in analysed]
        chunk[ref % DOCS_PER_FILE] = new
        for position, (_, length) in enumerate(analysed):
            terms.lengths[position][ref] = length
        if new != old:
            edits[ref] = (old, new)
    drift = _drift(terms)
    if drift > MAX_AVERAGE_DRIFT:
        raise _FullBuildNeeded(f"the average field lengths drifted by {drift:.1%}")
    touched = {term for old, new in edits.values() for tfs in (*old, *new) for term in tfs}
    boundaries = list(meta.boundaries)

    def shard_of(term: str) -> int:
        return max(bisect.bisect_right(boundaries, term) - 1, 0)

    affected = sorted({shard_of(term) for term in touched})
    shard_terms: dict[int, list[str]] = {}
    for number in affected:
        state = load_cache(cache.folder / f"shard-{number}.json.gz", ShardState)
        if state is None:
            raise _FullBuildNeeded(f"the state of shard {number} is missing")
        for term, entry in state.data.items():
            if len(entry) != len(FIELDS) + 1 or len(entry[0]) != 1:
                raise _FullBuildNeeded(f"the state of shard {number} is inconsistent")
            terms.postings[term] = [entry[0][0], *entry[1:]]
        shard_terms[number] = list(state.data)
    for ref, (old, new) in edits.items():
        for position in range(len(FIELDS)):
            for term in old[position]:
                _remove(terms.postings[term][position + 1], ref)
            for term, tf in new[position].items():
                posting = terms.postings.get(term)
                if posting is None:
                    posting = terms.postings[term] = [terms.next_index, *([] for _ in FIELDS)]
                    terms.next_index += 1
                    shard_terms[shard_of(term)].append(term)
                _insert(posting[position + 1], ref, tf)
    for term in touched:
        count = document_frequency(terms.postings[term])
        if count:
            frequencies[term] = count
        else:
            del terms.postings[term]
            frequencies.pop(term, None)
    for number, names in shard_terms.items():
        names[:] = sorted(t for t in set(names) if t in terms.postings)
        if shard_size(terms, names) > RESPLIT_FACTOR * target_bytes:
            raise _FullBuildNeeded(f"shard {number} grew past {RESPLIT_FACTOR}× the target")
    files = list(meta.files)
    rendered = set(affected)
    for number in range(len(boundaries)):
        if number in rendered:
            continue
        if _linked(cache.previous, out, shard_name(number), files[number]):
            continue
        state = load_cache(cache.folder / f"shard-{number}.json.gz", ShardState)
        if state is None:
            raise _FullBuildNeeded(f"the state of shard {number} is missing")
        for term, entry in state.data.items():
            terms.postings[term] = [entry[0][0], *entry[1:]]
        shard_terms[number] = sorted(state.data)
        rendered.add(number)
    for number in sorted(rendered):
        names = shard_terms[number]
        data = render_shard(terms, names)
        path = out / shard_name(number)
        path.unlink(missing_ok=True)  # never write through a link to the previous output
        path.write_bytes(data)
        files[number] = _file_info(path, data)
        if number in affected:
            postings = terms.postings
            save_cache(
                cache.folder / f"shard-{number}.json.gz",
                ShardState,
                {t: [[postings[t][0]], *postings[t][1:]] for t in names},
            )
    for k, chunk in docs_files.items():
        save_cache(cache.folder / f"docs-{k}.json.gz", DocsState, chunk)
    frequencies = dict(sorted(frequencies.items()))
    _save_meta(cache, target_bytes, mentors, hashes, terms, boundaries, files, frequencies)
    log.info(
        "people index: %d edited mentor(s), %d term(s) touched, %d of %d shards rendered again",
        len(edits),
        len(touched),
        len(rendered),
        len(boundaries),
    )
    return PeopleFiles(
        terms=list(frequencies),
        frequencies=frequencies,
        boundaries=boundaries,
        shard_bytes=[f.size for f in files],
        rendered=rendered,
        changed_terms=touched,
        full=False,
    )


def write_people_shards(
    out: Path, mentors: Sequence[_Mentor], target_bytes: int, cache: PeopleCache | None = None
) -> PeopleFiles:
    """Write the people index's shards ``<n>.json`` into ``out`` for ``mentors`` in ref order,
    updating the previous build's (``cache``) when it can, else building them all."""
    out.mkdir(parents=True, exist_ok=True)
    hashes = [mentor_hash(m) for m in mentors]
    files: PeopleFiles | None = None
    if not mentors:
        # no shard at all (lunr.py cannot build an index without documents)
        if cache is not None:
            (cache.folder / META_FILE).unlink(missing_ok=True)
        files = PeopleFiles([], {}, [], [], set(), None)
    elif cache is not None:
        try:
            files = _rebuild(out, mentors, target_bytes, cache, hashes)
        except _FullBuildNeeded as reason:
            log.info("people index: a full build (%s)", reason)
        except (KeyError, IndexError) as exc:  # a state that passed its checks but does not add up
            log.warning("people index: a full build (the state does not add up: %r)", exc)
    if files is None:
        files = _full_build(out, mentors, target_bytes, cache, hashes)
    expected = {shard_name(n) for n in range(len(files.boundaries))}
    for path in out.glob("*.json"):
        if path.name not in expected:
            path.unlink()
    return files

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
  average field lengths the vectors are scored with; the document count is the number of
  ids), every term with its ``_index`` and document frequency and the next ``_index``, the
  shard boundaries (the lowest term each shard covers), each shard file's size, mtime and
  SHA-256 and its size when it was cut;
- ``docs-<k>.json.gz``: the term frequencies of mentors ``k*256 … k*256+255`` (what an edit
  takes out of the postings, and the frequencies a new idf is scored with).

**Rebuild** (:func:`write_people_shards` with the state of the build that made the previous
output): mentors whose hash changed are the edited ones; their old terms come from their docs
file, their new ones from their bio. It is a full build instead when a mentor was added or
removed (refs shift), when the state is not the previous output's (another build id, a shard
file not as recorded), or when the statistics drifted: an average field length now more than
:data:`MAX_AVERAGE_DRIFT` (2 %) away from the frozen one. Otherwise only the shards holding a
term the edited mentors have or had are written again, each patched from the previous
output's file: every vector element of a term lives in its term's shard, a term's idf changes
only with its own postings, and with frozen averages an element changes only when its term's
postings or its mentor change. A shard whose postings keep the same mentors gets only the
edited mentors' vectors replaced in its text; one where an edit adds or removes a mentor from
a term's postings is parsed, those postings updated (a new term gets the next ``_index``, one
no mentor has any more is dropped) and those terms' elements scored again with their new idf.
The other shard files are hard links to the previous output's. Shard boundaries stay: a new
term goes to the shard whose range covers it; a shard grown past :data:`RESPLIT_FACTOR` × its
size when cut (or the target) means a full build, which cuts anew. So the files differ from a
clean build's (term numbers, averages, boundaries), their postings do not, their scores only
within the bound below. What changed is in :class:`PeopleFiles` (``rendered``,
``changed_terms``), for files derived from the terms.

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
import gzip
import hashlib
import json
import logging
import math
import os
import shutil
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from generator.core.cache import CACHE_FORMAT, CacheFile, code_fingerprint, gc_paused, load_cache
from generator.core.files import write_atomically
from generator.core.parallel import parallel_map
from generator.search.people_shards import (
    BOOSTS,
    FIELDS,
    K1,
    B,
    PeopleTerms,
    build_terms,
    compact_json,
    document_frequency,
    field_terms,
    layout,
    render_shard,
)

log = logging.getLogger(__name__)

STATE_DIR = "people-index"
META_FILE = "meta.json.gz"
#: Mentors per docs file of the state.
DOCS_PER_FILE = 256
#: The most an average field length may drift from the frozen one before a full build.
MAX_AVERAGE_DRIFT = 0.02
#: A shard grown past this many times its size when cut (or the target) means a full build.
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
    #: each shard's size when it was cut (a full build)
    cut_sizes: list[int]
    #: every term (sorted), its ``_index`` and lunr's document frequency
    terms: list[str]
    indexes: list[int]
    frequencies: list[int]


class MetaCache(CacheFile[PeopleMeta]):
    """``meta.json.gz``."""


class DocsState(CacheFile[list[str]]):
    """``docs-<k>.json.gz``: per mentor, the JSON text of its fields' term → frequency maps
    (parsed, and checked, only for the mentors an update reads: :class:`_Docs`)."""


#: what one mentor's entry of a docs file holds once parsed
_MENTOR_DOCS = TypeAdapter(list[dict[str, int]], config=ConfigDict(strict=True))


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
    #: per shard, the SHA-256 of its file (hex)
    shard_hashes: list[str]
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
    digest = hashlib.sha256(data).hexdigest()
    return ShardFileInfo(size=info.st_size, mtime_ns=info.st_mtime_ns, sha256=digest)


# --------------------------------------------------------------------------- full build


class _FullWork:
    """What each worker process does, given what it needs (inherited by fork, not pickled):
    items below ``len(groups)`` are shards to render and write, the others docs files of the
    state to save (``None``: no state)."""

    def __init__(
        self, terms: PeopleTerms, groups: list[list[str]], out: Path, per_doc: list[str], state: Path | None
    ) -> None:
        self.terms, self.groups, self.out, self.per_doc, self.state = terms, groups, out, per_doc, state

    def items(self) -> list[int]:
        chunks = -(-len(self.per_doc) // DOCS_PER_FILE) if self.state is not None else 0
        return list(range(len(self.groups) + chunks))

    def __call__(self, number: int) -> tuple[int, int, str] | None:
        if number >= len(self.groups):
            assert self.state is not None
            k = number - len(self.groups)
            chunk = self.per_doc[k * DOCS_PER_FILE : (k + 1) * DOCS_PER_FILE]
            _save_json(self.state / f"docs-{k}.json.gz", json.dumps(chunk, ensure_ascii=False))
            return None
        data = render_shard(self.terms, self.groups[number])
        path = self.out / shard_name(number)
        path.unlink(missing_ok=True)  # never write through a link to the previous output
        path.write_bytes(data)
        info = _file_info(path, data)
        return info.size, info.mtime_ns, info.sha256


def _full_build(
    out: Path, mentors: Sequence[_Mentor], target_bytes: int, cache: PeopleCache | None, hashes: list[str]
) -> PeopleFiles:
    with gc_paused():
        terms, per_doc = build_terms(_texts(m) for m in mentors)
        groups = layout(terms, target_bytes)
        terms.bases()  # once, before the workers fork
    state = cache.folder if cache is not None else None
    if state is not None:
        state.mkdir(parents=True, exist_ok=True)
        for stale in state.glob("*.json.gz"):
            stale.unlink()
    work = _FullWork(terms, groups, out, per_doc, state)
    results = parallel_map(work, work.items())[: len(groups)]
    files = [ShardFileInfo(size=r[0], mtime_ns=r[1], sha256=r[2]) for r in results if r is not None]
    sorted_terms = sorted(terms.postings)
    frequencies = {t: document_frequency(terms.postings[t]) for t in sorted_terms}
    boundaries = [g[0] for g in groups]
    if cache is not None:
        _save_meta(
            cache,
            PeopleMeta(
                build_id=cache.build_id,
                target_bytes=target_bytes,
                ids=[m.id for m in mentors],
                hashes=hashes,
                lengths=terms.lengths,
                averages=terms.averages,
                next_index=terms.next_index,
                boundaries=boundaries,
                files=files,
                cut_sizes=[f.size for f in files],
                terms=sorted_terms,
                indexes=[terms.postings[t][0] for t in sorted_terms],
                frequencies=list(frequencies.values()),
            ),
        )
    return PeopleFiles(
        terms=sorted_terms,
        frequencies=frequencies,
        boundaries=boundaries,
        shard_bytes=[f.size for f in files],
        shard_hashes=[f.sha256 for f in files],
        rendered=set(range(len(groups))),
        changed_terms=None,
    )


def _save(path: Path, data: Any) -> None:
    """A cache file as :func:`generator.core.cache.save_cache` writes it (read back by
    :func:`load_cache` through its strict model), without validating data built right here."""
    _save_json(path, compact_json(data))


def _save_json(path: Path, data: str) -> None:
    """:func:`_save` of data already serialized."""
    text = f'{{"format":{CACHE_FORMAT},"code":{json.dumps(code_fingerprint())},"data":{data}}}'
    write_atomically(path, gzip.compress(text.encode(), compresslevel=1, mtime=0))


def _save_meta(cache: PeopleCache, meta: PeopleMeta) -> None:
    _save(cache.folder / META_FILE, meta.model_dump())


# --------------------------------------------------------------------------- rebuild


class _FullBuildNeeded(Exception):
    """The state cannot be updated: build everything (the message says why)."""


def _verified(path: Path, info: ShardFileInfo) -> bool:
    """Whether ``path`` is the regular file the state describes (size, then mtime or SHA-256)."""
    try:
        stat = os.stat(path, follow_symlinks=False)
        if not S_ISREG(stat.st_mode) or stat.st_size != info.size:
            return False
        if stat.st_mtime_ns == info.mtime_ns:
            return True
        return hashlib.sha256(path.read_bytes()).hexdigest() == info.sha256
    except OSError:
        return False


def _link(source: Path, target: Path) -> None:
    """``target`` becomes a hard link to ``source`` (a copy where links cannot be made)."""
    if target.exists() and os.path.samefile(source, target):
        return
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


class _Docs:
    """The docs files of the state, loaded when first needed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        #: per docs file, per mentor: its JSON text as stored, or parsed once read
        self.chunks: dict[int, list[str | list[dict[str, int]]]] = {}
        self.dirty: set[int] = set()

    def _chunk(self, ref: int) -> list[str | list[dict[str, int]]]:
        k = ref // DOCS_PER_FILE
        chunk = self.chunks.get(k)
        if chunk is None:
            stored = load_cache(self.folder / f"docs-{k}.json.gz", DocsState)
            if stored is None:
                raise _FullBuildNeeded(f"docs file {k} is missing")
            chunk = self.chunks[k] = list(stored.data)
        if ref % DOCS_PER_FILE >= len(chunk):
            raise _FullBuildNeeded(f"docs file {k} is inconsistent")
        return chunk

    def get(self, ref: int) -> list[dict[str, int]]:
        chunk = self._chunk(ref)
        entry = chunk[ref % DOCS_PER_FILE]
        if isinstance(entry, str):
            try:
                entry = _MENTOR_DOCS.validate_json(entry)
            except ValidationError:
                raise _FullBuildNeeded(f"docs file {ref // DOCS_PER_FILE} is inconsistent") from None
            chunk[ref % DOCS_PER_FILE] = entry
        if len(entry) != len(FIELDS):
            raise _FullBuildNeeded(f"docs file {ref // DOCS_PER_FILE} is inconsistent")
        return entry

    def set(self, ref: int, fields: list[dict[str, int]]) -> None:
        self._chunk(ref)[ref % DOCS_PER_FILE] = fields
        self.dirty.add(ref // DOCS_PER_FILE)

    def save(self) -> None:
        for k in sorted(self.dirty):
            texts = [e if isinstance(e, str) else compact_json(e) for e in self.chunks[k]]
            _save_json(self.folder / f"docs-{k}.json.gz", json.dumps(texts, ensure_ascii=False))


@dataclass
class _Update:
    """What the edits change, and how to score an element now."""

    count: int
    lengths: list[list[int]]
    averages: list[float]
    index_of: dict[str, int]
    frequency: dict[str, int]
    docs: _Docs
    #: edited ref → its new term frequencies per field
    edited: dict[int, list[dict[str, int]]]
    #: term → the (ref, field position) the edits added to / removed from its postings
    added: dict[str, list[tuple[int, int]]]
    removed: dict[str, list[tuple[int, int]]]

    def score(self, term: str, ref: int, position: int, tf: int) -> float:
        x = (self.count - self.frequency[term] + 0.5) / (self.frequency[term] + 0.5)
        idf = math.log(1 + abs(x))
        length = self.lengths[position][ref]
        average = self.averages[position]
        # exactly render_shard's expression (lunr.py's Builder's)
        score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / average)) + tf)
        score *= BOOSTS[position]
        return round(score, 3)

    def vector(self, ref: int, position: int, shard_terms: Callable[[str], bool]) -> list[Any]:
        """An edited mentor's vector elements in one shard, as render_shard orders them."""
        tfs = self.edited[ref][position]
        pairs = sorted(
            (self.index_of[t], self.score(t, ref, position, tf)) for t, tf in tfs.items() if shard_terms(t)
        )
        return [x for pair in pairs for x in pair]


def _vector_entry(key: str, elements: list[Any]) -> str:
    return compact_json([key, elements])


def _patch_text(text: str, update: _Update, in_shard: Callable[[str], bool], refs: list[int]) -> str:
    """A shard whose postings do not change: only the edited mentors' vectors are replaced."""
    for ref in refs:
        for position, name in enumerate(FIELDS):
            if not any(in_shard(t) for t in update.edited[ref][position]):
                continue
            key = f"{name}/{ref}"
            start = text.find(f'["{key}",[')
            if start < 0:
                raise _FullBuildNeeded(f"vector {key} not where the state says")
            end = text.index("]]", start) + 2
            text = text[:start] + _vector_entry(key, update.vector(ref, position, in_shard)) + text[end:]
    return text


def _patch_parsed(
    text: str, update: _Update, in_shard: Callable[[str], bool], refs: list[int], structural: list[str]
) -> str:
    """A shard where the edits add or remove mentors from some terms' postings: those terms'
    postings and elements (their idf changed) and the edited mentors' vectors are redone."""
    shard = json.loads(text)
    inverted: dict[str, dict[str, Any]] = dict(shard["invertedIndex"])
    vectors: dict[str, list[Any]] = dict(shard["fieldVectors"])
    edited = set(refs)
    for term in structural:
        posting = inverted.get(term)
        if posting is None:
            posting = inverted[term] = {name: {} for name in FIELDS}
            posting["_index"] = update.index_of[term]
        for ref, position in update.added.get(term, ()):
            posting[FIELDS[position]][str(ref)] = {}
        for ref, position in update.removed.get(term, ()):
            posting[FIELDS[position]].pop(str(ref), None)
        if term not in update.frequency:
            del inverted[term]
            continue
        index = posting["_index"]
        for position, name in enumerate(FIELDS):
            refs_of = sorted(int(r) for r in posting[name])
            posting[name] = {str(r): {} for r in refs_of}
            for ref in refs_of:
                if ref in edited:
                    continue  # its whole vector is redone below
                tf = update.docs.get(ref)[position].get(term)
                if tf is None:
                    raise _FullBuildNeeded(f"mentor {ref} has no frequency for a term of its postings")
                key = f"{name}/{ref}"
                scores = dict(zip(vectors[key][::2], vectors[key][1::2], strict=True))
                scores[index] = update.score(term, ref, position, tf)
                vectors[key] = [x for pair in sorted(scores.items()) for x in pair]
    for ref in refs:
        for position, name in enumerate(FIELDS):
            elements = update.vector(ref, position, in_shard)
            if elements:
                vectors[f"{name}/{ref}"] = elements
            else:
                vectors.pop(f"{name}/{ref}", None)

    def order(key: str) -> tuple[int, int]:
        name, ref = key.split("/", 1)
        return int(ref), FIELDS.index(name)

    shard["fieldVectors"] = [[key, vectors[key]] for key in sorted(vectors, key=order)]
    shard["invertedIndex"] = [[term, inverted[term]] for term in sorted(inverted)]
    return compact_json(shard)


def _load_meta(cache: PeopleCache) -> PeopleMeta:
    stored = load_cache(cache.folder / META_FILE, MetaCache)
    if stored is None:
        raise _FullBuildNeeded("no usable state")
    return stored.data


def _rebuild(
    out: Path,
    mentors: Sequence[_Mentor],
    target_bytes: int,
    cache: PeopleCache,
    hashes: list[str],
    meta: PeopleMeta | None = None,
    *,
    link: bool = True,
) -> PeopleFiles:
    """Update the previous output's shards for the mentors whose hash changed (see the module's
    docstring); ``link``: hard-link the unchanged shards into ``out`` (else ``out`` gets only
    the shards written again)."""
    previous = cache.previous
    if previous is None or cache.previous_build_id is None:
        raise _FullBuildNeeded("no previous output")
    if meta is None:
        meta = _load_meta(cache)
    if meta.build_id != cache.previous_build_id:
        raise _FullBuildNeeded("the state is not the previous output's")
    if meta.target_bytes != target_bytes:
        raise _FullBuildNeeded("another shard size")
    if meta.ids != [m.id for m in mentors]:
        raise _FullBuildNeeded("mentors were added or removed")
    shards = len(meta.boundaries)
    if (
        len(meta.files) != shards
        or len(meta.cut_sizes) != shards
        or len(meta.lengths) != len(FIELDS)
        or any(len(lengths) != len(mentors) for lengths in meta.lengths)
        or not len(meta.terms) == len(meta.indexes) == len(meta.frequencies)
    ):
        raise _FullBuildNeeded("an inconsistent state")
    docs = _Docs(cache.folder)
    update = _Update(
        count=len(mentors),
        lengths=[list(lengths) for lengths in meta.lengths],
        averages=list(meta.averages),
        index_of=dict(zip(meta.terms, meta.indexes, strict=True)),
        frequency=dict(zip(meta.terms, meta.frequencies, strict=True)),
        docs=docs,
        edited={},
        added=defaultdict(list),
        removed=defaultdict(list),
    )
    next_index = meta.next_index
    touched: dict[str, set[int]] = defaultdict(set)  # term → the edited refs that have or had it
    for ref, (old_hash, new_hash) in enumerate(zip(meta.hashes, hashes, strict=True)):
        if old_hash == new_hash:
            continue
        old = docs.get(ref)
        analysed = [field_terms(text) for text in _texts(mentors[ref])]
        new = [tf for tf, _ in analysed]
        docs.set(ref, new)
        for position, (_, length) in enumerate(analysed):
            update.lengths[position][ref] = length
        if new == old and all(update.lengths[p][ref] == meta.lengths[p][ref] for p in range(len(FIELDS))):
            continue  # the same terms: nothing in the index changes
        update.edited[ref] = new
        for position in range(len(FIELDS)):
            for term in (*old[position], *new[position]):
                touched[term].add(ref)
            for term in old[position]:
                if term not in new[position]:
                    update.removed[term].append((ref, position))
            for term in new[position]:
                if term not in old[position]:
                    update.added[term].append((ref, position))
    drift = max(
        abs(sum(lengths) / update.count - average) / average if average else float(any(lengths))
        for lengths, average in zip(update.lengths, update.averages, strict=True)
    )
    if drift > MAX_AVERAGE_DRIFT:
        raise _FullBuildNeeded(f"the average field lengths drifted by {drift:.1%}")
    for term, places in update.added.items():
        update.frequency[term] = update.frequency.get(term, 0) + len(places)
        if term not in update.index_of:
            update.index_of[term] = next_index
            next_index += 1
    for term, places in update.removed.items():
        update.frequency[term] -= len(places)
        if update.frequency[term] <= 0:
            del update.frequency[term], update.index_of[term]
    boundaries = list(meta.boundaries)

    def shard_of(term: str) -> int:
        return max(bisect.bisect_right(boundaries, term) - 1, 0)

    by_shard: dict[int, set[str]] = defaultdict(set)
    for term in touched:
        by_shard[shard_of(term)].add(term)
    files = list(meta.files)
    rewritten: set[int] = set()
    structural_terms = set(update.added) | set(update.removed)
    for number in range(shards):
        source = previous / shard_name(number)
        if not _verified(source, files[number]):
            raise _FullBuildNeeded(f"the previous {shard_name(number)} is not the one the state describes")
        if number not in by_shard:
            if link:
                _link(source, out / shard_name(number))
            continue
        terms_here = by_shard[number]
        refs = sorted({ref for term in terms_here for ref in touched[term]})

        def in_shard(term: str, number: int = number) -> bool:
            return shard_of(term) == number

        original = source.read_text(encoding="utf-8")
        structural = sorted(terms_here & structural_terms)
        if structural:
            text = _patch_parsed(original, update, in_shard, refs, structural)
        else:
            text = _patch_text(original, update, in_shard, refs)
        if text == original:
            # the scores rounded as before: the file stays (and stays the one the state describes)
            if link:
                _link(source, out / shard_name(number))
            continue
        data = text.encode()
        if len(data) > RESPLIT_FACTOR * max(target_bytes, meta.cut_sizes[number]):
            raise _FullBuildNeeded(f"shard {number} grew past {RESPLIT_FACTOR}× its size")
        path = out / shard_name(number)
        path.unlink(missing_ok=True)  # never write through a link to the previous output
        path.write_bytes(data)
        files[number] = _file_info(path, data)
        rewritten.add(number)
    docs.save()
    sorted_terms = sorted(update.frequency)
    _save_meta(
        cache,
        meta.model_copy(
            update={
                "build_id": cache.build_id,
                "hashes": hashes,
                "lengths": update.lengths,
                "next_index": next_index,
                "files": files,
                "terms": sorted_terms,
                "indexes": [update.index_of[t] for t in sorted_terms],
                "frequencies": [update.frequency[t] for t in sorted_terms],
            }
        ),
    )
    log.info(
        "people index: %d edited mentor(s), %d term(s) touched, %d of %d shards written again",
        len(update.edited),
        len(touched),
        len(rewritten),
        shards,
    )
    return PeopleFiles(
        terms=sorted_terms,
        frequencies={t: update.frequency[t] for t in sorted_terms},
        boundaries=boundaries,
        shard_bytes=[f.size for f in files],
        shard_hashes=[f.sha256 for f in files],
        rendered=rewritten,
        changed_terms=set(touched),
        full=False,
    )


class PeopleUpdateRefused(Exception):
    """:func:`patch_people_shards` cannot update the shards: a full build is needed (why)."""


@dataclass(frozen=True)
class _Unread:
    """A mentor whose name and bio did not change: only the id is read."""

    id: str
    name: str = ""
    bio: str | None = None


def patch_people_shards(
    out: Path, edited: Sequence[_Mentor], target_bytes: int, cache: PeopleCache
) -> PeopleFiles:
    """Write into ``out`` only the shards that ``edited`` mentors' new names and bios change,
    every other mentor being as the state of the previous output records it; the state is
    updated. For a bio patched onto the previous output (:mod:`generator.site.patch`).

    Raises :class:`PeopleUpdateRefused` when :func:`write_people_shards` would build everything."""
    out.mkdir(parents=True, exist_ok=True)
    try:
        meta = _load_meta(cache)
        ref_of = {mentor_id: ref for ref, mentor_id in enumerate(meta.ids)}
        if len(ref_of) != len(meta.ids) or len(meta.hashes) != len(meta.ids):
            raise _FullBuildNeeded("an inconsistent state")
        mentors: list[_Mentor] = [_Unread(mentor_id) for mentor_id in meta.ids]
        hashes = list(meta.hashes)
        for mentor in edited:
            ref = ref_of.get(mentor.id)
            if ref is None:
                raise _FullBuildNeeded(f"mentor '{mentor.id}' is not in the index")
            mentors[ref] = mentor
            hashes[ref] = mentor_hash(mentor)
        return _rebuild(out, mentors, target_bytes, cache, hashes, meta, link=False)
    except _FullBuildNeeded as reason:
        raise PeopleUpdateRefused(str(reason)) from None
    except (KeyError, IndexError) as exc:
        raise PeopleUpdateRefused(f"the state does not add up: {exc!r}") from None


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
        files = PeopleFiles([], {}, [], [], [], set(), None)
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

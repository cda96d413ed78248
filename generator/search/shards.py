"""The search files: ``search/terms.json`` and the people index cut into shards.

Why shards: the people index (names and bios, :mod:`generator.search.index`) grows with the
network — at 10,000 mentors it is megabytes, too much for a phone to fetch and parse before
the first result. So its serialized form is cut into shards of contiguous sorted terms of
roughly :data:`SHARD_TARGET_BYTES` of JSON each (a term with a huge posting can make one
shard bigger), written as ``search/people/<n>.json``. Each shard is itself a valid serialized
lunr index: the postings of its terms (with their original ``_index``), and the field
vectors restricted to the elements of those terms (refs left without elements are dropped).

``search/terms.json`` is loaded first and is the only file needed before a query; it holds
only what every query needs: the separator and pipeline, the whole (small) catalog index with
``catalogRefs``, the ``"<param>:<id>"`` each of its numeric refs stands for, the vocabulary's
search stop words (``stopWords``), the catalog's exact names (``exact``: a query's words
joined by spaces → catalog positions), the keys of the term files (``termFiles``) and the
number of shards (``shardCount``). No mentor ids (``ids.json``, for Python and the tests: no
page needs them) and no people term.

The people terms are in **term files** ``search/terms/<key>.json``, one per first character
(:func:`term_key`: the character if ``[a-z0-9]``, else ``u`` and its code point in hex): the
terms sorted, and in parallel arrays the shard holding each and its document frequency
(:func:`write_term_files`). Every expansion of a query word starts with the word's first
character (:mod:`generator.search.expansion`), so the browser loads that one term file,
chooses the word's terms by the query rules, then loads only the shards holding them.

Why a small index of the chosen terms gives the unsharded scores: lunr scores a document
field as ``dot(query vector, field vector) / |query vector|``. A word's query has one clause
per chosen term, each a term of the index, so the query vector (its elements and magnitude) is
the same in any index holding those terms with their ``_index``; the dot product only reads
the field vector's elements of those terms, and the postings of those terms say which
documents match. So search.js builds, per word, a lunr index of just the chosen terms'
postings and field-vector elements (taken from their shards) and gets the unsharded scores.

:func:`load_search` reassembles the shards into the unsharded index for Python
(:func:`generator.search.index.search`, the tests).

How they are written: :func:`write_search_files` has the shards written by
:mod:`generator.search.people_state` — term by term straight into their files (the same bytes
as :func:`split_index` cutting lunr.py's serialized index, which stays the reference the tests
compare with), and on a rebuild with the build cache only the shards holding terms of edited
bios (the others are the previous output's files). What it wrote — every term, its shard and
document frequency, the shards rendered and the terms changed — is in
:attr:`SearchFiles.people`, for files derived from the terms (rewritten only when they change).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lunr.index import Index

from generator.content.export import DirectoryExport
from generator.content.vocabulary import Vocabulary
from generator.search.expansion import document_frequency
from generator.search.index import (
    PEOPLE_FIELD_BOOSTS,
    SEPARATOR_CHARS,
    SearchData,
    _empty_index,
    build_catalog_index,
    catalog_documents,
    exact_names,
    word_expansions,
)
from generator.search.order import ref_order
from generator.search.people_shards import PIPELINE
from generator.search.people_shards import compact_json as compact_json  # where it has always been
from generator.search.people_state import PeopleCache, PeopleFiles, write_people_shards

log = logging.getLogger(__name__)

#: Version of the terms.json / shard layout.
SEARCH_FILES_VERSION = 4
TERMS_FILE = "terms.json"
TERM_DIR = "terms"
#: The mentor id of each people-index ref (ref order), for Python (:func:`load_search`) and the
#: tests: no page needs it (search.js answers refs).
IDS_FILE = "ids.json"
SHARD_DIR = "people"
#: Aimed-at size of one shard's JSON.
SHARD_TARGET_BYTES = 40_000


def shard_file(number: int) -> str:
    """A shard's path, relative to the search directory."""
    return f"{SHARD_DIR}/{number}.json"


# --------------------------------------------------------------------------- split


def _term_sizes(serialized: dict[str, Any]) -> list[int]:
    """About how many bytes each term adds to a shard: its posting and its vector elements."""
    sizes: list[int] = []
    for term, posting in serialized["invertedIndex"]:
        index_size = len(str(posting["_index"]))
        size = len(term.encode()) + index_size + 16
        for field, refs in posting.items():
            if field != "_index":
                # '"field":{' + per ref '"ref":{},' in the posting, '[index,0.123],' in its vector
                size += len(field) + 4 + sum(len(ref) + 6 for ref in refs) + len(refs) * (index_size + 8)
        sizes.append(size)
    return sizes


def split_index(serialized: dict[str, Any], target_bytes: int = SHARD_TARGET_BYTES) -> list[dict[str, Any]]:
    """Cut a serialized lunr index into shards of contiguous sorted terms (see the module doc).

    Takes ``serialized["fieldVectors"]`` away, freeing each vector once it is shared out, so
    that the index is never in memory twice (at 50,000 mentors that is 150 MB).
    """
    inverted = serialized["invertedIndex"]
    groups: list[list[Any]] = []
    size = 0
    for entry, term_size in zip(inverted, _term_sizes(serialized), strict=True):
        if not groups or (size and size + term_size > target_bytes):
            groups.append([])
            size = 0
        groups[-1].append(entry)
        size += term_size
    shard_of_index = [0] * len(inverted)
    for number, group in enumerate(groups):
        for _, posting in group:
            shard_of_index[posting["_index"]] = number
    vectors: list[dict[str, list[Any]]] = [{} for _ in groups]
    field_vectors: list[Any] = serialized.pop("fieldVectors")
    for position, (ref, elements) in enumerate(field_vectors):
        field_vectors[position] = None
        for term_index, score in zip(elements[::2], elements[1::2], strict=True):
            shard = vectors[shard_of_index[term_index]]
            if ref in shard:
                shard[ref] += (term_index, score)
            else:
                shard[ref] = [term_index, score]
    return [
        {
            "version": serialized["version"],
            "fields": serialized["fields"],
            "fieldVectors": list(shard_vectors.items()),
            "invertedIndex": group,
            "pipeline": serialized["pipeline"],
        }
        for group, shard_vectors in zip(groups, vectors, strict=True)
    ]


def terms_payload(
    data: SearchData, people: dict[str, Any], keys: Sequence[str], shard_count: int
) -> dict[str, Any]:
    """``search/terms.json``: what every query needs, and nothing per mentor or per people term.

    ``people`` is ``data.people`` serialized, ``keys`` the keys of the term files written
    (:func:`write_term_files`), ``shard_count`` the number of people shards. The mentor ids
    are in ``ids.json`` (:data:`IDS_FILE`, for Python); a program's mentors come from the
    page's ``mentorsWith("program", id)``.
    """
    return {
        "version": SEARCH_FILES_VERSION,
        "separator": SEPARATOR_CHARS,
        "fields": people["fields"],
        "pipeline": people["pipeline"],
        "catalog": data.catalog.serialize(),
        "catalogRefs": data.catalog_refs,
        "stopWords": list(data.stop_words),
        "exact": {key: list(positions) for key, positions in data.exact.items()},
        "termFiles": list(keys),
        "shardCount": shard_count,
    }


# --------------------------------------------------------------------------- term files


def term_key(term: str) -> str:
    """The key of the term file holding ``term`` (or a query word's expansions): its first
    character if it is ``[a-z0-9]``, else ``u`` and the character's code point in hex."""
    first = term[0]
    return first if first in _PLAIN_KEYS else f"u{ord(first):x}"


_PLAIN_KEYS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def term_file(key: str) -> str:
    """A term file's path, relative to the search directory."""
    return f"{TERM_DIR}/{key}.json"


def term_files_payload(entries: Iterable[tuple[str, int, int]]) -> dict[str, dict[str, Any]]:
    """Per key (:func:`term_key`), the people terms it holds, sorted, and in parallel arrays
    the shard holding each and its document frequency (:func:`expansion.document_frequency`);
    ``entries``: every people term as ``(term, shard, document frequency)``."""
    rows_of: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for entry in entries:
        rows_of[term_key(entry[0])].append(entry)
    files: dict[str, dict[str, Any]] = {}
    for key in sorted(rows_of):
        rows = sorted(rows_of[key])
        files[key] = {
            "terms": [t for t, _, _ in rows],
            "shard": [n for _, n, _ in rows],
            "df": [f for _, _, f in rows],
        }
    return files


def shard_entries(shards: Sequence[dict[str, Any]], fields: Sequence[str]) -> Iterator[tuple[str, int, int]]:
    """``(term, shard, document frequency)`` of every term of serialized shards."""
    for number, shard in enumerate(shards):
        for term, posting in shard["invertedIndex"]:
            yield term, number, document_frequency(posting, fields)


def write_term_files(search_dir: Path, entries: Iterable[tuple[str, int, int]]) -> list[int]:
    """Write ``terms/<key>.json`` (:func:`term_files_payload`; stale term files removed);
    returns their sizes in bytes, in key order."""
    term_dir = search_dir / TERM_DIR
    if term_dir.is_dir():
        for stale in term_dir.glob("*.json"):
            stale.unlink()
    term_dir.mkdir(parents=True, exist_ok=True)
    sizes: list[int] = []
    for key, payload in term_files_payload(entries).items():
        text = compact_json(payload).encode()
        (search_dir / term_file(key)).write_bytes(text)
        sizes.append(len(text))
    return sizes


def term_file_keys(search_dir: Path) -> list[str]:
    """The keys of the term files under ``search_dir``, sorted."""
    return sorted(p.stem for p in (search_dir / TERM_DIR).glob("*.json"))


# --------------------------------------------------------------------------- files


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: building creates millions of small objects and no
    cycles, and its passes over the growing heap made the build superlinear (50,000 mentors)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class SearchFiles:
    """What :func:`write_search_files` wrote (sizes in bytes of UTF-8 JSON)."""

    terms_bytes: int
    shard_bytes: list[int]
    seconds: float
    #: each term file's size, in key order
    term_file_bytes: list[int] = dataclasses.field(default_factory=list)
    #: the people shards: terms, layout, which shards and terms changed
    people: PeopleFiles | None = None


def write_search_files(
    search_dir: Path,
    export: DirectoryExport,
    vocab: Vocabulary,
    target_bytes: int = SHARD_TARGET_BYTES,
    cache: PeopleCache | None = None,
) -> SearchFiles:
    """Write ``terms.json`` and ``people/<n>.json`` under ``search_dir``.

    The people shards are written by :func:`generator.search.people_state.write_people_shards`:
    with ``cache`` (the build cache's state of the previous output) only the shards holding
    terms of edited bios are rendered, the others are hard links to the previous output's.
    Shards of an earlier build beyond this one's count, and the old single ``index.json``,
    are removed.
    """
    started = time.perf_counter()
    mentors = ref_order(export.mentors)
    # The collector paused throughout: millions of small objects and no cycles (its passes
    # over the build's whole heap took longer than the work).
    with _no_gc():
        catalog_docs = catalog_documents(export, vocab)
        data = SearchData(
            _empty_index(PEOPLE_FIELD_BOOSTS),
            [m.id for m in mentors],
            build_catalog_index(catalog_docs),
            [d.ref for d in catalog_docs],
            tuple(vocab.search_stop_words),
            exact_names(catalog_docs, vocab.search_stop_words),
        )
        search_dir.mkdir(parents=True, exist_ok=True)
        (search_dir / "index.json").unlink(missing_ok=True)
        people_files = write_people_shards(search_dir / SHARD_DIR, mentors, target_bytes, cache)
        (search_dir / IDS_FILE).write_text(compact_json(data.ids), encoding="utf-8")
        term_bytes = write_term_files(
            search_dir,
            ((t, people_files.shard_of(t), people_files.frequencies[t]) for t in people_files.terms),
        )
        people = {"fields": people_files.fields, "pipeline": PIPELINE}
        payload = terms_payload(data, people, term_file_keys(search_dir), len(people_files.shard_bytes))
        terms = compact_json(payload).encode()
        (search_dir / TERMS_FILE).write_bytes(terms)
    seconds = time.perf_counter() - started
    shard_bytes = people_files.shard_bytes
    log.info(
        "search: %d mentors, %d catalog entries, terms.json %d bytes, %d shards (%d written, "
        "largest %d bytes) in %.1f s",
        len(data.ids),
        len(data.catalog.field_vectors) // 2,
        len(terms),
        len(shard_bytes),
        len(people_files.rendered),
        max(shard_bytes, default=0),
        seconds,
    )
    return SearchFiles(len(terms), shard_bytes, seconds, term_bytes, people_files)


# --------------------------------------------------------------------------- read back


def reassemble(terms: dict[str, Any], shards: Sequence[dict[str, Any]], count: int) -> dict[str, Any]:
    """The unsharded serialized people index of ``count`` mentors, exactly as lunr.py
    serialized it (terms sorted, whatever the shards' layout)."""
    inverted = sorted((entry for shard in shards for entry in shard["invertedIndex"]), key=lambda e: e[0])
    merged: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for shard in shards:
        for ref, elements in shard["fieldVectors"]:
            merged[ref].extend(zip(elements[::2], elements[1::2], strict=True))
    vectors: list[list[Any]] = []
    for position in range(count):
        for name in terms["fields"]:
            ref = f"{name}/{position}"
            vectors.append([ref, [x for pair in sorted(merged.get(ref, [])) for x in pair]])
    version = shards[0]["version"] if shards else terms["catalog"]["version"]
    return {
        "version": version,
        "fields": terms["fields"],
        "fieldVectors": vectors,
        "invertedIndex": inverted,
        "pipeline": terms["pipeline"],
    }


def read_search_files(search_dir: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``terms.json`` and every shard, parsed."""
    terms: dict[str, Any] = json.loads((search_dir / TERMS_FILE).read_text(encoding="utf-8"))
    shards = [
        json.loads((search_dir / shard_file(n)).read_text(encoding="utf-8"))
        for n in range(terms["shardCount"])
    ]
    return terms, shards


def read_term_files(search_dir: Path) -> dict[str, dict[str, Any]]:
    """Every term file named by ``terms.json``, parsed, by key."""
    terms = json.loads((search_dir / TERMS_FILE).read_text(encoding="utf-8"))
    return {
        key: json.loads((search_dir / term_file(key)).read_text(encoding="utf-8"))
        for key in terms["termFiles"]
    }


def term_shards(search_dir: Path) -> dict[str, int]:
    """The shard of every people term, from the term files."""
    return {
        term: shard
        for payload in read_term_files(search_dir).values()
        for term, shard in zip(payload["terms"], payload["shard"], strict=True)
    }


def read_ids(search_dir: Path) -> list[str]:
    """``ids.json``: the mentor id of each ref."""
    ids: list[str] = json.loads((search_dir / IDS_FILE).read_text(encoding="utf-8"))
    return ids


def load_search(search_dir: Path) -> SearchData:
    """Both indexes from the files under ``search_dir``, the people index reassembled."""
    terms, shards = read_search_files(search_dir)
    ids = read_ids(search_dir)
    return SearchData(
        Index.load(reassemble(terms, shards, len(ids))),
        ids,
        Index.load(terms["catalog"]),
        list(terms["catalogRefs"]),
        tuple(terms["stopWords"]),
        {key: list(positions) for key, positions in terms["exact"].items()},
    )


def files_for(
    data: SearchData, shard_of: Mapping[str, int], words: Iterable[str]
) -> tuple[set[str], set[int]]:
    """The term files (keys) and shards a query with these words needs, as search.js loads
    them: the term file of each word's first character, the shards of its people expansions."""
    keys: set[str] = set()
    needed: set[int] = set()
    for word in words:
        keys.add(term_key(word))
        people, _ = word_expansions(data, word)
        needed.update(shard_of[e.term] for e in people)
    return keys, needed

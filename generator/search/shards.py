"""The search files: ``search/terms.json`` and the people index cut into shards.

Why shards: the people index (names and bios, :mod:`generator.search.index`) grows with the
network — at 10,000 mentors it is megabytes, too much for a phone to fetch and parse before
the first result. So its serialized form is cut into shards of contiguous sorted terms of
roughly :data:`SHARD_TARGET_BYTES` of JSON each (a term with a huge posting can make one
shard bigger), written as ``search/people/<n>.json``. Each shard is itself a valid serialized
lunr index: the postings of its terms (with their original ``_index``), and the field
vectors restricted to the elements of those terms (refs left without elements are dropped).

``search/terms.json`` is loaded first and is the only file needed before a query: the mentor
ids the people refs point to, every people-index term (sorted), the first term of each shard,
the separator and pipeline, and the whole (small) catalog index with ``catalogRefs``, the
``"<param>:<id>"`` each of its numeric refs stands for, the vocabulary's search stop words
(``stopWords``) and the catalog's exact names (``exact``: a query's words joined by spaces →
catalog positions). For each query word the
browser expands the word over the term list exactly as lunr's ``Index.query`` would (exact
stemmed term, prefix, typo), loads only the shards holding those terms, merges the loaded
shards into one serialized index and queries it with lunr.

Why the merge gives the unsharded scores: lunr scores a document field as
``dot(query vector, field vector) / |query vector|``. The query vector has one element per
expanded term; the expansions are the word's token set intersected with the index's terms,
and the merged index holds every expansion (its shards were loaded for that), so the
expansions, the postings, the query vector, its magnitude and the dot product (which only
reads the query's elements of the field vector) are all those of the unsharded index. The
field vectors' other elements — terms of shards not loaded — never enter the score.

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

import bisect
import contextlib
import gc
import json
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lunr.index import Index

from generator.content.export import DirectoryExport
from generator.content.vocabulary import Vocabulary
from generator.search.index import (
    PEOPLE_FIELD_BOOSTS,
    PROGRAM_PARAM,
    SEPARATOR_CHARS,
    SearchData,
    _empty_index,
    build_catalog_index,
    catalog_documents,
    exact_names,
    typos_allowed,
    word_expansions,
)
from generator.search.order import ref_order
from generator.search.people_shards import PIPELINE
from generator.search.people_shards import compact_json as compact_json  # where it has always been
from generator.search.people_state import PeopleCache, PeopleFiles, write_people_shards

log = logging.getLogger(__name__)

#: Version of the terms.json / shard layout.
SEARCH_FILES_VERSION = 3
TERMS_FILE = "terms.json"
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
    data: SearchData,
    people: dict[str, Any],
    shards: Sequence[dict[str, Any]],
    mentor_programs: Sequence[str] = (),
) -> dict[str, Any]:
    """``search/terms.json``: ids, people terms, each shard's first term, the catalog index.

    ``people`` is ``data.people`` serialized, ``shards`` what :func:`split_index` made of it,
    ``mentor_programs`` the program id of each mentor of ``data.ids``: ``programOf`` gives,
    per mentor, the catalog position of its program (-1: none), so that the browser knows a
    program's mentors (``facets.json`` has no program group).
    """
    position = {ref: i for i, ref in enumerate(data.catalog_refs)}
    return {
        "version": SEARCH_FILES_VERSION,
        "separator": SEPARATOR_CHARS,
        "ids": data.ids,
        "fields": people["fields"],
        "pipeline": people["pipeline"],
        "terms": [term for term, _ in people["invertedIndex"]],
        "shards": [shard["invertedIndex"][0][0] for shard in shards],
        "catalog": data.catalog.serialize(),
        "catalogRefs": data.catalog_refs,
        "programOf": [position.get(f"{PROGRAM_PARAM}:{p}", -1) for p in mentor_programs],
        "stopWords": list(data.stop_words),
        "exact": {key: list(positions) for key, positions in data.exact.items()},
    }


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
        # terms_payload reads the people index's fields, pipeline and terms, and each shard's
        # first term: here they come from the shards' layout, without the index itself.
        people = {
            "fields": people_files.fields,
            "pipeline": PIPELINE,
            "invertedIndex": [[t, None] for t in people_files.terms],
        }
        shards = [{"invertedIndex": [[first, None]]} for first in people_files.boundaries]
        terms = compact_json(terms_payload(data, people, shards, [m.program for m in mentors])).encode()
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
    return SearchFiles(len(terms), shard_bytes, seconds, people_files)


# --------------------------------------------------------------------------- read back


def reassemble(terms: dict[str, Any], shards: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The unsharded serialized people index, exactly as lunr.py serialized it."""
    inverted = [entry for shard in shards for entry in shard["invertedIndex"]]
    merged: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for shard in shards:
        for ref, elements in shard["fieldVectors"]:
            merged[ref].extend(zip(elements[::2], elements[1::2], strict=True))
    vectors: list[list[Any]] = []
    for position in range(len(terms["ids"])):
        for field in terms["fields"]:
            ref = f"{field}/{position}"
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
        for n in range(len(terms["shards"]))
    ]
    return terms, shards


def load_search(search_dir: Path) -> SearchData:
    """Both indexes from the files under ``search_dir``, the people index reassembled."""
    terms, shards = read_search_files(search_dir)
    return SearchData(
        Index.load(reassemble(terms, shards)),
        list(terms["ids"]),
        Index.load(terms["catalog"]),
        list(terms["catalogRefs"]),
        tuple(terms["stopWords"]),
        {key: list(positions) for key, positions in terms["exact"].items()},
    )


def shard_of(first_terms: Sequence[str], term: str) -> int:
    """The shard holding ``term``: the last whose first term is not after it."""
    return max(bisect.bisect_right(first_terms, term) - 1, 0)


def shards_for(data: SearchData, first_terms: Sequence[str], words: Iterable[str]) -> set[int]:
    """The shards a query with these words needs (as the browser computes it)."""
    needed: set[int] = set()
    for word in words:
        typos = typos_allowed(data, word)
        needed.update(shard_of(first_terms, term) for term in word_expansions(data.people, word, typos=typos))
    return needed

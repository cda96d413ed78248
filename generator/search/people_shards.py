"""The people index built term by term, straight into its shard files.

:func:`generator.search.index.build_people_index` builds the people index with lunr.py's
``Builder`` and :func:`generator.search.shards.split_index` then cuts its serialized form into
shards. This module makes the same shard files (byte for byte: a test checks it) without the
whole-index detour, from a **term-partitioned** index (:class:`PeopleTerms`): per term its
``_index`` and, per field, its documents and term frequencies; per field, each document's
length. Every element of a lunr field vector belongs to one term (``[term _index, BM25
score]``), so a shard — the postings of a range of sorted terms and the vector elements of
those terms — is computed from those terms' postings alone (:func:`render_shard`), with
lunr.py's BM25 expression in lunr.py's order of operations. That is what lets a rebuild after
an edit compute and write only the shards holding the terms that changed
(:mod:`generator.search.people_state`).

Where the time went with lunr.py (10,000 realistic bios): tokenizing each token through
:func:`generator.search.index.index_terms`, ``Builder.add`` creating a metadata dict per term
and document, the field vectors of the whole index, then splitting them again by shard and
``json.dumps`` of nested dicts. Here a field's text is split once and its parts counted by
``collections.Counter`` (C), each *distinct* part goes through trimming and lunr's pipeline once
per build (:func:`part_term`), and a shard's JSON is written as text from the postings.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lunr import __TARGET_JS_VERSION__
from lunr.builder import Builder

from generator.search.index import (
    _SEPARATORS,
    PEOPLE_FIELD_BOOSTS,
    fold,
    pipeline_term,
    trim,
)

#: The people index's fields, in lunr's order (name, bio).
FIELDS: tuple[str, ...] = tuple(PEOPLE_FIELD_BOOSTS)
BOOSTS: tuple[int, ...] = tuple(PEOPLE_FIELD_BOOSTS.values())
#: What lunr.py's Builder serializes as the pipeline of an index it built (its search pipeline).
PIPELINE: list[str] = ["stemmer"]
VERSION: str = __TARGET_JS_VERSION__
_DEFAULTS = Builder()
K1: float = _DEFAULTS._k1
B: float = _DEFAULTS._b
del _DEFAULTS


def compact_json(data: Any) -> str:
    """JSON without spaces, non-ASCII kept as is: how every data file of the site is written."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class _PartTerms(dict[str, str | None]):
    """Each part of a text split on the separators → the term lunr indexes for it (None: none),
    worked out once per distinct part (trim, lunr's pipeline) and looked up by C code after."""

    def __missing__(self, part: str) -> str | None:
        token = trim(part)
        term = pipeline_term(token) if token else None
        self[part] = term
        return term


_PART_TERMS = _PartTerms()


def part_term(part: str) -> str | None:
    """The term lunr indexes for one part of a text split on the separators (None: none)."""
    return _PART_TERMS[part]


def field_terms(text: str) -> tuple[dict[str, int], int]:
    """A field's terms with their frequencies (in order of first appearance, as lunr meets
    them) and the field's length in terms: what lunr.py's Builder computes from
    :func:`generator.search.index.index_terms`."""
    frequencies: dict[str | None, int] = Counter(map(_PART_TERMS.__getitem__, _SEPARATORS.split(fold(text))))
    frequencies.pop(None, None)
    return frequencies, sum(frequencies.values())  # type: ignore[return-value]  # None is gone


#: One term's entry: ``[_index, [ref, tf, ref, tf, …] per field]``, refs ascending.
Posting = list[Any]


@dataclass
class PeopleTerms:
    """The people index by term: postings with term frequencies, field lengths, statistics.

    ``averages`` are the average field lengths the vectors are scored with: lunr's (the mean)
    after :meth:`freeze`; an incremental update keeps them (:mod:`people_state`).
    """

    document_count: int = 0
    postings: dict[str, Posting] = field(default_factory=dict)
    #: per field, per ref: the field's length in terms
    lengths: list[list[int]] = field(default_factory=lambda: [[] for _ in FIELDS])
    next_index: int = 0
    averages: list[float] = field(default_factory=list)
    _bases: list[list[float]] | None = field(default=None, repr=False, compare=False)

    def add(self, ref: int, fields: Sequence[dict[str, int]], lengths: Sequence[int]) -> None:
        """Add the document ``ref`` (the next one: refs are added in order)."""
        postings = self.postings
        for position, frequencies in enumerate(fields):
            self.lengths[position].append(lengths[position])
            slot = position + 1
            for term, tf in frequencies.items():
                posting = postings.get(term)
                if posting is None:
                    posting = postings[term] = [self.next_index, *([] for _ in FIELDS)]
                    self.next_index += 1
                posting[slot] += (ref, tf)
        self.document_count += 1

    def freeze(self) -> None:
        """Set the averages to the mean field lengths (lunr.py's, same arithmetic)."""
        self.averages = [sum(lengths) / self.document_count for lengths in self.lengths]
        self._bases = None

    def bases(self) -> list[list[float]]:
        """Per field, per ref: ``k1 * (1 - b + b * (length / average))``, the part of BM25's
        denominator that depends on the document (computed as lunr.py computes it), once."""
        if self._bases is None:
            # (a field empty in every document has no term to score: no base needed)
            self._bases = [
                [K1 * (1 - B + B * (length / average)) for length in lengths] if average else []
                for lengths, average in zip(self.lengths, self.averages, strict=True)
            ]
        return self._bases


def build_terms(docs: Iterable[tuple[str, str]]) -> tuple[PeopleTerms, list[str]]:
    """The term-partitioned index of ``(name, plain-text bio)`` documents (refs: positions),
    and each document's per-field term frequencies as compact JSON (a string holds them in a
    tenth of the memory of the dicts: at 50,000 mentors, 170 MB less)."""
    terms = PeopleTerms()
    per_doc: list[str] = []
    for ref, texts in enumerate(docs):
        analysed = [field_terms(text) for text in texts]
        frequencies = [tf for tf, _ in analysed]
        terms.add(ref, frequencies, [length for _, length in analysed])
        per_doc.append(compact_json(frequencies))
    if terms.document_count:
        terms.freeze()
    return terms, per_doc


# --------------------------------------------------------------------------- layout


def _digits(ref: int) -> int:
    return len(str(ref))


def term_size(term: str, posting: Posting, ref_digits: Sequence[int]) -> int:
    """About how many bytes a term adds to a shard (the estimate of ``shards._term_sizes``)."""
    index_size = len(str(posting[0]))
    size = len(term.encode()) + index_size + 16
    for name, flat in zip(FIELDS, posting[1:], strict=True):
        refs = flat[::2]
        digits = sum(ref_digits[r] for r in refs)
        size += len(name) + 4 + digits + 6 * len(refs) + len(refs) * (index_size + 8)
    return size


def layout(terms: PeopleTerms, target_bytes: int) -> list[list[str]]:
    """The sorted terms cut into shards as :func:`generator.search.shards.split_index` cuts them."""
    ref_digits = [_digits(ref) for ref in range(terms.document_count)]
    groups: list[list[str]] = []
    size = 0
    postings = terms.postings
    for term in sorted(postings):
        term_bytes = term_size(term, postings[term], ref_digits)
        if not groups or (size and size + term_bytes > target_bytes):
            groups.append([])
            size = 0
        groups[-1].append(term)
        size += term_bytes
    return groups


# --------------------------------------------------------------------------- render


@functools.cache
def _ref_entry(ref: int) -> str:
    return f'"{ref}":{{}}'


def document_frequency(posting: Posting) -> int:
    """lunr's count of a term's documents: per field, summed (a name and a bio count twice)."""
    return sum(len(flat) for flat in posting[1:]) // 2


def idf_of(documents_with_term: int, document_count: int) -> float:
    """lunr.py's ``idf`` (lunr.idf.idf) from the counts."""
    x = (document_count - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def render_shard(terms: PeopleTerms, shard_terms: Sequence[str]) -> bytes:
    """One shard's JSON: a serialized lunr index of these (sorted) terms' postings and vector
    elements, exactly as ``split_index`` cuts it from lunr.py's serialized index."""
    postings = terms.postings
    count = terms.document_count
    width = len(FIELDS)
    bases = terms.bases()
    # Terms in _index order: each vector's elements come out sorted, as lunr.py sorts them.
    vectors: dict[int, list[str]] = {}
    for term in sorted(shard_terms, key=lambda t: postings[t][0]):
        posting = postings[term]
        idf = idf_of(document_frequency(posting), count)
        prefix = f"{posting[0]},"
        for position, flat in enumerate(posting[1:]):
            base = bases[position]
            boost = BOOSTS[position]
            pairs = iter(flat)
            for ref, tf in zip(pairs, pairs, strict=True):
                # lunr.py's idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / average)) + tf),
                # the same operations in the same order (bases: the k1 * (…) part)
                score = idf * ((K1 + 1) * tf) / (base[ref] + tf)
                score *= boost  # (times lunr's document boost, 1: the same float)
                key = ref * width + position
                element = prefix + repr(round(score, 3))
                vector = vectors.get(key)
                if vector is None:
                    vectors[key] = [element]
                else:
                    vector.append(element)
    inverted: list[str] = []
    for term in shard_terms:
        posting = postings[term]
        parts = [
            f'"{name}":{{{",".join([_ref_entry(r) for r in flat[::2]])}}}'
            for name, flat in zip(FIELDS, posting[1:], strict=True)
        ]
        name = json.dumps(term, ensure_ascii=False)
        inverted.append(f'[{name},{{{",".join(parts)},"_index":{posting[0]}}}]')
    field_vectors = [
        f'["{FIELDS[key % width]}/{key // width}",[{",".join(vectors[key])}]]' for key in sorted(vectors)
    ]
    return (
        f'{{"version":{json.dumps(VERSION)},"fields":{compact_json(list(FIELDS))},'
        f'"fieldVectors":[{",".join(field_vectors)}],"invertedIndex":[{",".join(inverted)}],'
        f'"pipeline":{compact_json(PIPELINE)}}}'
    ).encode()

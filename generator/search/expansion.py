"""Which index terms one query word looks up: the query rules, shared with search.js.

A query word (folded, tokenized, not a stop word: :func:`generator.search.index.query_words`)
is expanded, in each index (people, catalog), into an explicit, ranked, capped list of index
terms; the word's lunr query is then one clause per term (``use_pipeline=False``, no wildcard,
no edit distance) with the boost of its kind. lunr.py here and lunr.js in the browser thus
score the very same query vector, and the browser knows before loading anything which shards
it needs (those of the chosen terms).

The rules, per word ``w`` (its *stem* is what lunr's search pipeline, the stemmer, makes of
it; lengths are in characters of the typed word):

1. **exact** — the stem, if the index has it (boost :data:`EXACT_BOOST`);
2. **prefix** — if ``w`` has at least :data:`PREFIX_MIN_LENGTH` characters, the index terms
   starting with the *typed* word (not its stem: "wellness" is not expanded from "well"),
   the exact term aside, most frequent first (document frequency descending, then term)
   (boost :data:`PREFIX_BOOST`);
3. **typo** — only when ``w`` has neither an exact nor a prefix match in *either* index (a
   typo match never competes with a real one: "pediatrics" does not find "geriatrics"):
   words of :data:`FUZZY_MIN_LENGTH` characters or more allow one edit, of
   :data:`FUZZY_TWO_EDITS_LENGTH` or more two edits (insertion, deletion, substitution or
   transposition of neighbours: optimal string alignment distance, as lunr's own fuzzy
   match counts them); a candidate must keep the word's first character (like Lucene's and
   Elasticsearch's fuzzy ``prefix_length: 1``) and is within the distance of the typed word
   or of its stem; ranked by distance, then document frequency descending, then term
   (boost :data:`FUZZY_BOOST`).

The kinds rank exact > prefix > typo, and a word keeps at most :data:`MAX_EXPANSIONS`
terms per index. A term's *document frequency* is lunr's count for its idf: the documents
having it, once per field. Terms are compared by code point (Python's ``str`` order;
search.js compares the same way). Terms holding lunr's wildcard ``*`` are never expansions
(a clause cannot name them exactly).

Every expansion starts with the word's first character, so the browser needs only that
character's term file (:mod:`generator.search.shards`) to expand a word in the people index.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lunr.index import Index
from lunr.query import Query

EXACT = "exact"
PREFIX = "prefix"
TYPO = "typo"

#: Boost of a clause by the kind of its term.
EXACT_BOOST = 10
PREFIX_BOOST = 3
FUZZY_BOOST = 1
BOOSTS: dict[str, int] = {EXACT: EXACT_BOOST, PREFIX: PREFIX_BOOST, TYPO: FUZZY_BOOST}

PREFIX_MIN_LENGTH = 2
#: Typos scale with the word's length: none below 5 characters ("peds" is not "beds"), one
#: edit from 5, two from 9.
FUZZY_MIN_LENGTH = 5
FUZZY_TWO_EDITS_LENGTH = 9

#: At most this many terms per word and index. Measured on 10,000 mentors with realistic bios
#: over 16 short prefixes ("re", "ca", "st", "med", "psych", "cardio", "fam", "ped"…), per
#: query: uncapped 5.2 shards / 76 KB gzip; cap 24: 5.1 / 73 KB, 98 % of the mentors found;
#: 16: 4.6 / 68 KB, 96 %; **12: 4.4 / 65 KB, 95 % (worst prefix 79 %)**; 10: 4.1 / 60 KB,
#: 94 % (75 %); 8: 3.6 / 55 KB, 92 % (69 %). Completions of a prefix are contiguous in the
#: sorted shards, so the cap saves less in bytes than in terms merged; 12 keeps nearly all of
#: a prefix's mentors (the dozen most frequent completions hold them) and drops the long tail
#: of rare words (names, places, misspellings). Exact words and typos seldom reach it.
MAX_EXPANSIONS = 12


@dataclass(frozen=True)
class Expansion:
    term: str
    kind: str

    @property
    def boost(self) -> int:
        return BOOSTS[self.kind]


class Lexicon:
    """An index's terms, sorted, with their document frequencies."""

    def __init__(self, terms: Sequence[str], frequencies: Sequence[int]) -> None:
        self.terms = list(terms)
        self.frequencies = list(frequencies)
        self._position = {term: i for i, term in enumerate(self.terms)}

    @classmethod
    def of_index(cls, index: Index) -> Lexicon:
        return cls.of_postings(index.inverted_index.items(), index.fields)

    @classmethod
    def of_postings(cls, postings: Iterable[tuple[str, Mapping[str, Any]]], fields: Sequence[str]) -> Lexicon:
        """From ``(term, posting)`` pairs of a (serialized) lunr index."""
        pairs = sorted((term, document_frequency(posting, fields)) for term, posting in postings)
        return cls([t for t, _ in pairs], [f for _, f in pairs])

    def __contains__(self, term: str) -> bool:
        return term in self._position

    def frequency(self, term: str) -> int:
        return self.frequencies[self._position[term]]

    def starting_with(self, prefix: str) -> range:
        """Positions of the terms starting with ``prefix``."""
        start = bisect.bisect_left(self.terms, prefix)
        end = start
        while end < len(self.terms) and self.terms[end].startswith(prefix):
            end += 1
        return range(start, end)


def document_frequency(posting: Mapping[str, Any], fields: Sequence[str]) -> int:
    """The term's document frequency as lunr counts it for its idf: documents having it, once
    per field (a name and a bio both holding it count twice). It is the figure the people
    index's build keeps anyway (:mod:`generator.search.people_state`), so the term files are
    written from it without reopening the postings."""
    return sum(len(posting.get(field, {})) for field in fields)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance of ``a`` and ``b`` (insertions, deletions,
    substitutions, transpositions of neighbours), or ``limit + 1`` if it is more than
    ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[len(b)], limit + 1)


def typo_edits(word: str) -> int:
    """How many edits a word allows (0: none)."""
    if len(word) >= FUZZY_TWO_EDITS_LENGTH:
        return 2
    return 1 if len(word) >= FUZZY_MIN_LENGTH else 0


def _usable(term: str) -> bool:
    return Query.WILDCARD not in term


def known(lexicon: Lexicon, word: str, stem: str) -> list[Expansion]:
    """The exact and prefix expansions of ``word`` (stemmed: ``stem``), ranked, capped."""
    found: list[Expansion] = []
    if stem in lexicon and _usable(stem):
        found.append(Expansion(stem, EXACT))
    if len(word) >= PREFIX_MIN_LENGTH:
        prefixed = [
            (-lexicon.frequencies[i], lexicon.terms[i])
            for i in lexicon.starting_with(word)
            if lexicon.terms[i] != stem and _usable(lexicon.terms[i])
        ]
        prefixed.sort()
        found.extend(Expansion(term, PREFIX) for _, term in prefixed[: MAX_EXPANSIONS - len(found)])
    return found


def typos(lexicon: Lexicon, word: str, stem: str) -> list[Expansion]:
    """The typo expansions of ``word`` (stemmed: ``stem``), ranked, capped."""
    edits = typo_edits(word)
    if not edits:
        return []
    candidates: list[tuple[int, int, str]] = []
    for i in lexicon.starting_with(word[0]):
        term = lexicon.terms[i]
        distance = min(edit_distance(word, term, edits), edit_distance(stem, term, edits))
        if distance <= edits and _usable(term):
            candidates.append((distance, -lexicon.frequencies[i], term))
    candidates.sort()
    return [Expansion(term, TYPO) for _, _, term in candidates[:MAX_EXPANSIONS]]


def expand(lexicons: Sequence[Lexicon], word: str, stem: str) -> list[list[Expansion]]:
    """The expansions of one word in each of ``lexicons`` (people, catalog): exact and prefix
    terms, or typos when no lexicon has any exact or prefix term (see the module doc)."""
    found = [known(lexicon, word, stem) for lexicon in lexicons]
    if any(found):
        return found
    return [typos(lexicon, word, stem) for lexicon in lexicons]


def expansion_query(index: Index, expansions: Sequence[Expansion]) -> Query:
    """The lunr query of one word: one clause per expansion, with its kind's boost."""
    query = index.create_query()
    for expansion in expansions:
        query.term(expansion.term, use_pipeline=False, boost=expansion.boost)
    return query

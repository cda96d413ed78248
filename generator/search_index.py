"""The directory's client-side search: the lunr index and the facet payload.

Two files are written under ``search/``:

- ``facets.json`` — small, loaded first: for every mentor its id, whether it is accepting,
  and the positions of its filter values (affinity, area, specialty, …). Filters and their
  counts are computed from it in the browser; they are not text in lunr.
- ``index.json`` — the lunr index (built here by lunr.py, read in the browser by lunr.js
  2.3.9), loaded only when someone types a query, with the token separator both sides use.

Text is folded (accents removed, lower case) and split on :data:`SEPARATOR_CHARS` here, and
the same is done to queries by ``theme/static/js/directory.js``, which reads the separator
from ``index.json`` so the two cannot drift ("USMLE/COMLEX" is two tokens). :func:`search`
is the Python twin of the browser's ``search()``; a Node test checks they agree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from lunr import lunr
from lunr.index import Index
from lunr.query import Query
from lunr.stop_word_filter import WORDS as STOP_WORDS

from .export import DirectoryExport, PublicProgram
from .vocabulary import Vocabulary

INDEX_VERSION = 1

#: Characters that separate tokens, in the index and in queries (lunr's default is only
#: white space and "-"; "/" must split too, or "USMLE/COMLEX" is one token).
SEPARATOR_CHARS = ' \t\n\r\f\v\u00a0\u2009\u202f-\u2010\u2011\u2013\u2014/\\,;:()[]{}<>&+|"!?'

#: Indexed fields and their boosts.
FIELD_BOOSTS: dict[str, int] = {
    "name": 10,
    "specialties": 5,
    "affinities": 4,
    "areas": 3,
    "program": 2,
    "institution": 2,
    "bio": 1,
}

#: Per query word: exact (stemmed) match, prefix match, and a typo-tolerant match.
EXACT_BOOST = 10
PREFIX_BOOST = 3
FUZZY_BOOST = 1
PREFIX_MIN_LENGTH = 2
FUZZY_MIN_LENGTH = 4
FUZZY_TWO_EDITS_LENGTH = 8


# --------------------------------------------------------------------------- text


def fold(text: str) -> str:
    """Lower case without accents: "José" and "jose" are the same word."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


def trim(token: str) -> str:
    """Strip everything but letters and digits from both ends of a token."""
    start, end = 0, len(token)
    while start < end and not _is_word_char(token[start]):
        start += 1
    while end > start and not _is_word_char(token[end - 1]):
        end -= 1
    return token[start:end]


def tokenize(text: str) -> list[str]:
    """Folded, split on :data:`SEPARATOR_CHARS`, trimmed, empty tokens dropped."""
    tokens: list[str] = []
    current: list[str] = []
    for char in fold(text) + " ":
        if char in SEPARATOR_CHARS:
            if current:
                token = trim("".join(current))
                if token:
                    tokens.append(token)
                current = []
        else:
            current.append(char)
    return tokens


# --------------------------------------------------------------------------- documents


def _labels(vocab: Vocabulary, kind: str, ids: Iterable[str], *, synonyms: bool = True) -> str:
    words: list[str] = []
    for term_id in ids:
        term = vocab.terms[kind].get(term_id)
        if term is None:
            words.append(term_id)
            continue
        words.append(term.label)
        if synonyms:
            words.extend(term.synonyms)
    return " ".join(words)


def documents(export: DirectoryExport, vocab: Vocabulary) -> list[dict[str, str]]:
    """One search document per published mentor, from public fields only."""
    from .render import plain_text

    programs: dict[str, PublicProgram] = {p.id: p for p in export.programs}
    docs: list[dict[str, str]] = []
    for mentor in export.mentors:
        program = programs.get(mentor.program)
        docs.append(
            {
                "id": mentor.id,
                "name": mentor.name,
                "specialties": _labels(vocab, "specialties", mentor.specialties),
                "affinities": _labels(vocab, "affinities", mentor.affinities),
                "areas": _labels(vocab, "areas", mentor.areas),
                "program": program.name if program else mentor.program,
                "institution": program.institution if program else "",
                "bio": plain_text(mentor.bio),
            }
        )
    return docs


def _extractor(name: str) -> Callable[[dict[str, str]], list[str]]:
    def extract(doc: dict[str, str]) -> list[str]:
        # A list is not split again by lunr: the tokens are ours, with our separator.
        return tokenize(doc[name])

    return extract


@dataclass
class SearchIndex:
    """A lunr index whose refs are positions in ``ids`` (short refs keep the file small)."""

    index: Index
    ids: list[str]


def build_index(docs: Sequence[dict[str, str]]) -> SearchIndex:
    fields = [
        {"field_name": name, "boost": boost, "extractor": _extractor(name)}
        for name, boost in FIELD_BOOSTS.items()
    ]
    numbered = [{**doc, "ref": str(position)} for position, doc in enumerate(docs)]
    return SearchIndex(lunr(ref="ref", fields=fields, documents=numbered), [doc["id"] for doc in docs])


def index_payload(search_index: SearchIndex) -> dict[str, Any]:
    """``search/index.json``: the serialised lunr index, the ids its refs point to, the separator."""
    return {
        "version": INDEX_VERSION,
        "separator": SEPARATOR_CHARS,
        "ids": search_index.ids,
        "index": search_index.index.serialize(),
    }


def load_index(payload: dict[str, Any]) -> SearchIndex:
    return SearchIndex(Index.load(payload["index"]), list(payload["ids"]))


# --------------------------------------------------------------------------- queries


def query_words(text: str) -> list[str]:
    """The words of a query that can match: tokens that are not stop words, in order, once each."""
    words: list[str] = []
    for token in tokenize(text):
        if token not in STOP_WORDS and token not in words:
            words.append(token)
    return words


def _word_query(index: Index, word: str) -> list[dict[str, Any]]:
    query = index.create_query()
    query.term(word, use_pipeline=True, boost=EXACT_BOOST)
    if len(word) >= PREFIX_MIN_LENGTH:
        query.term(word, use_pipeline=False, wildcard=Query.WILDCARD_TRAILING, boost=PREFIX_BOOST)
    if len(word) >= FUZZY_MIN_LENGTH:
        distance = 2 if len(word) >= FUZZY_TWO_EDITS_LENGTH else 1
        query.term(word, use_pipeline=True, edit_distance=distance, boost=FUZZY_BOOST)
    results: list[dict[str, Any]] = index.query(query)
    return results


def search(search_index: SearchIndex, text: str) -> list[tuple[str, float]]:
    """Mentors matching every word of ``text`` (exactly, by prefix or with a typo), best first.

    Each word is one lunr query; a mentor must match all words and its score is the sum.
    Returns ``[(mentor id, score)]``, ties broken by id; ``[]`` for a query without words.
    """
    words = query_words(text)
    if not words:
        return []
    scores: dict[str, float] | None = None
    ids = search_index.ids
    for word in words:
        hits = {ids[int(r["ref"])]: float(r["score"]) for r in _word_query(search_index.index, word)}
        if scores is None:
            scores = hits
        else:
            scores = {ref: score + hits[ref] for ref, score in scores.items() if ref in hits}
        if not scores:
            return []
    assert scores is not None
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))

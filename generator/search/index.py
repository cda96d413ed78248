"""The directory's text search: a small catalog index and a people index, both lunr.

Two lunr indexes (built here by lunr.py, read in the browser by lunr.js 2.3.9):

- the **catalog** — one document per vocabulary term that some published mentor has in a
  text-searchable filter group (specialties, *public* affinities, areas, languages) and one
  per program, each named ``"<param>:<id>"`` (the filter's URL parameter, or
  ``program:<program id>``; its lunr ref is its position in the list of those names). Its
  fields are the label and synonyms (programs: name and institution), and a per-document
  boost (:data:`CATALOG_BOOSTS`) keeps each kind's weight.
  It is small: its size grows with the vocabulary, not with the number of mentors.
- the **people** index — per-mentor text only: name (``n``) and plain-text bio (``b``), refs
  are positions in a list of mentor ids. It grows with the network, so
  :mod:`generator.search.shards` cuts it into shards a phone loads only when a query needs them.

A query is split into words (:func:`query_words`); each word is one lunr query (exact,
prefix and typo-tolerant clauses, :func:`word_query`) run on both indexes. A mentor matches a
word if the people index finds it, or if the catalog finds a term or program it has (it then
gets that hit's score; ``mentors_with(param, value)`` says who has it). Every word is
preferred, half of them required; a mentor's score is the number of words it matches plus
``sum / (sum + 1)``, plus one when the query is exactly a label or synonym of a term or
program it has (:func:`exact_names`: "peds" is a synonym of *Pediatrics*, only part of
*Internal Medicine-Pediatrics*' "med-peds"). A word known to an index gets no typo clause
(:func:`typos_allowed`). Stop words are lunr's English ones and the vocabulary's
``search_stop_words`` ("mentor", "help", "need"…).
:func:`search` is the reference the browser's
``theme/static/js/search.js`` must agree with (a Node test checks it).

Text is folded (accents removed, lower case) and split on :data:`SEPARATOR_CHARS` here and in
search.js, which reads the separator from ``terms.json`` so the two cannot drift
("USMLE/COMLEX" is two tokens).

The people index is built by :class:`PeopleBuilder`, a lunr.py ``Builder`` fed with terms that
are already tokenized and run through lunr's pipeline (trimmer, stop-word filter, stemmer),
once per distinct token (:func:`pipeline_term` is memoized: the stemmer is the hot spot), with
a faster but equivalent field-vector step. A test checks it serializes exactly like
``lunr.lunr(...)``.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lunr import lunr
from lunr.builder import Builder
from lunr.idf import idf as lunr_idf
from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.query import Query
from lunr.stemmer import stemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.token_set import TokenSet
from lunr.trimmer import trimmer
from lunr.vector import Vector

from generator.content.export import DirectoryExport
from generator.content.vocabulary import Vocabulary
from generator.search.facets import FACET_GROUPS, mentor_values
from generator.search.order import ref_order

log = logging.getLogger(__name__)

#: Characters that separate tokens, in the index and in queries (lunr's default is only
#: white space and "-"; "/" must split too, or "USMLE/COMLEX" is one token).
SEPARATOR_CHARS = ' \t\n\r\f\v\u00a0\u2009\u202f-\u2010\u2011\u2013\u2014/\\,;:()[]{}<>&+|"!?'

#: The people index's fields (one letter keeps the files small) and their boosts.
NAME_FIELD = "n"
BIO_FIELD = "b"
PEOPLE_FIELD_BOOSTS: dict[str, int] = {NAME_FIELD: 10, BIO_FIELD: 1}

#: The catalog's fields.
LABEL_FIELD = "label"
SYNONYMS_FIELD = "synonyms"
PROGRAM_PARAM = "program"

#: Catalog document boost of each kind: the weight each had as a field of the old index.
CATALOG_BOOSTS: dict[str, int] = {
    "specialty": 5,
    "affinity": 4,
    "area": 3,
    PROGRAM_PARAM: 2,
    "language": 2,
}

#: Per query word: exact (stemmed) match, prefix match, and a typo-tolerant match.
EXACT_BOOST = 10
PREFIX_BOOST = 3
FUZZY_BOOST = 1
PREFIX_MIN_LENGTH = 2
#: Typos are scaled to the word's length: none below 5 letters ("peds" is not "beds"), one
#: from 5, two from 9. And a word that the indexes know (exactly or as a prefix) gets no typo
#: clause at all, so that a typo match never outranks an exact one: "pediatrics" does not
#: find "geriatrics" when some mentor has pediatrics (:func:`typos_allowed`).
FUZZY_MIN_LENGTH = 5
FUZZY_TWO_EDITS_LENGTH = 9

#: Added to the score of a mentor having a term or program whose label or synonym is exactly
#: the query: more than any score of a mentor matching the same words only in part.
EXACT_NAME_BONUS = 1

#: ``mentors_with(param, value)``: the ids of the mentors having a catalog value.
MentorsWith = Callable[[str, str], Iterable[str]]


# --------------------------------------------------------------------------- text


def fold(text: str) -> str:
    """Lower case without accents: "José" and "jose" are the same word."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


_ASCII_NON_WORD = "".join(chr(c) for c in range(128) if not chr(c).isalnum())
_SEPARATORS = re.compile("[" + re.escape(SEPARATOR_CHARS) + "]+")


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


def trim(token: str) -> str:
    """Strip everything but letters and digits from both ends of a token."""
    if token.isascii():
        return token.strip(_ASCII_NON_WORD)
    start, end = 0, len(token)
    while start < end and not _is_word_char(token[start]):
        start += 1
    while end > start and not _is_word_char(token[end - 1]):
        end -= 1
    return token[start:end]


def tokenize(text: str) -> list[str]:
    """Folded, split on :data:`SEPARATOR_CHARS`, trimmed, empty tokens dropped."""
    trimmed = (trim(part) for part in _SEPARATORS.split(fold(text)))
    return [token for token in trimmed if token]


_INDEX_PIPELINE = Pipeline()
_INDEX_PIPELINE.add(trimmer, stop_word_filter, stemmer)


@functools.cache
def pipeline_term(token: str) -> str | None:
    """What lunr's indexing pipeline makes of one token (None: a stop word)."""
    # Exactly what Builder.add does to a token from a list: lower case, then the pipeline.
    terms = _INDEX_PIPELINE.run([Token(token.lower())])
    return str(terms[0]) if terms else None


def index_terms(text: str) -> list[str]:
    """The terms lunr would index for ``text`` (tokenized by :func:`tokenize`)."""
    terms = [pipeline_term(token) for token in tokenize(text)]
    return [term for term in terms if term is not None]


# --------------------------------------------------------------------------- people index


_NO_METADATA: dict[str, Any] = {}


class PeopleBuilder(Builder):  # type: ignore[misc]  # lunr.py is untyped
    """A lunr.py Builder whose documents hold already pipelined terms.

    ``add({ref: "0", field: [term, ...], ...})``: each field is the list of terms lunr's
    pipeline made of its tokens (:func:`index_terms`). The rest — field lengths, postings,
    the BM25 field vectors, ``build()`` — is lunr.py's, with :meth:`_create_field_vectors`
    rewritten to sort each vector once instead of inserting element by element.
    """

    def __init__(self) -> None:
        super().__init__()
        self.search_pipeline.add(stemmer)

    def add(self, doc: dict[str, Any], attributes: dict[str, Any] | None = None) -> None:
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        inverted_index: dict[str, dict[str, Any]] = self.inverted_index
        for field_name in self._fields:
            terms: list[str] = doc[field_name]
            field_ref = f"{field_name}/{doc_ref}"
            field_terms: dict[str, int] = defaultdict(int)
            self.field_term_frequencies[field_ref] = field_terms
            self.field_lengths[field_ref] = len(terms)
            for term in terms:
                field_terms[term] += 1
                posting = inverted_index.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    inverted_index[term] = posting
                if doc_ref not in posting[field_name]:
                    # lunr keeps metadata per term and document; none is whitelisted, so one
                    # shared, never written, empty mapping stands for all (50,000 mentors make
                    # three million of them).
                    posting[field_name][doc_ref] = _NO_METADATA

    def _create_field_vectors(self) -> None:
        k1: float = self._k1
        b: float = self._b
        inverted_index: dict[str, dict[str, Any]] = self.inverted_index
        idfs: dict[str, float] = {}
        field_vectors: dict[str, Vector] = {}
        for field_ref, term_frequencies in self.field_term_frequencies.items():
            field_name, doc_ref = field_ref.split("/", 1)
            field_length = self.field_lengths[field_ref]
            average = self.average_field_length[field_name]
            field_boost = self._fields[field_name].boost
            doc_boost = self._documents[doc_ref].get("boost", 1)
            pairs: list[tuple[int, float]] = []
            for term, tf in term_frequencies.items():
                posting = inverted_index[term]
                idf = idfs.get(term)
                if idf is None:
                    idf = idfs[term] = lunr_idf(posting, self.document_count)
                # The same expression, in the same order, as lunr.py's Builder.
                score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (field_length / average)) + tf)
                score *= field_boost
                score *= doc_boost
                pairs.append((posting["_index"], round(score, 3)))
            pairs.sort()
            field_vectors[field_ref] = Vector([x for pair in pairs for x in pair])
        self.field_vectors = field_vectors


@dataclass
class PeopleDocument:
    id: str
    name: str
    bio: str


def people_documents(export: DirectoryExport) -> list[PeopleDocument]:
    """Name and plain-text bio of every published mentor, in ref order (a mentor's people-index
    ref is its position in :func:`generator.search.order.ref_order`)."""
    from generator.content.render import plain_text

    return [PeopleDocument(m.id, m.name, plain_text(m.bio)) for m in ref_order(export.mentors)]


def _empty_index(fields: Iterable[str]) -> Index:
    """An index without documents (lunr.py's Builder divides by zero on none)."""
    pipeline = Pipeline()
    pipeline.add(stemmer)
    return Index(
        inverted_index={},
        field_vectors={},
        token_set=TokenSet.from_list([]),
        fields=list(fields),
        pipeline=pipeline,
    )


def build_people_index(docs: Sequence[PeopleDocument]) -> Index:
    """The people index; its refs are positions in ``docs``."""
    if not docs:
        return _empty_index(PEOPLE_FIELD_BOOSTS)
    builder = PeopleBuilder()
    builder.ref("ref")
    for name, boost in PEOPLE_FIELD_BOOSTS.items():
        builder.field(name, boost=boost)
    for position, doc in enumerate(docs):
        builder.add(
            {"ref": str(position), NAME_FIELD: index_terms(doc.name), BIO_FIELD: index_terms(doc.bio)}
        )
    return builder.build()


# --------------------------------------------------------------------------- catalog


@dataclass
class CatalogDocument:
    ref: str  # "<param>:<id>"
    label: str
    synonyms: str
    #: Each name a query may equal exactly: the label and every synonym, whole.
    names: tuple[str, ...] = ()

    @property
    def boost(self) -> int:
        return CATALOG_BOOSTS[self.ref.split(":", 1)[0]]


#: Filter groups whose terms are searched as text, by URL parameter.
CATALOG_GROUPS = tuple(g for g in FACET_GROUPS if g.param in CATALOG_BOOSTS)


def catalog_documents(export: DirectoryExport, vocab: Vocabulary) -> list[CatalogDocument]:
    """The catalog: every term some published mentor has, and every program with mentors.

    Affinities come from the export's vocabulary, which lists only public ones: an affinity
    held only privately is never a catalog document.
    """
    programs = {p.id: p for p in export.programs}
    present: dict[str, set[str]] = {g.param: set() for g in CATALOG_GROUPS}
    with_mentors: set[str] = set()
    for mentor in export.mentors:
        with_mentors.add(mentor.program)
        for group in CATALOG_GROUPS:
            present[group.param].update(mentor_values(mentor, group, programs.get(mentor.program)))
    docs: list[CatalogDocument] = []
    for group in CATALOG_GROUPS:
        labels = export.vocabulary.get(group.kind, {})
        if group.kind == "affinities":
            present[group.param] &= set(labels)
        known = vocab.terms.get(group.kind, {})
        ordered = [i for i in known if i in present[group.param]]
        ordered += sorted(present[group.param] - set(known))
        for term_id in ordered:
            term = known.get(term_id)
            label = labels.get(term_id) or (term.label if term else term_id)
            synonyms = term.synonyms if term else ()
            docs.append(
                CatalogDocument(f"{group.param}:{term_id}", label, " ".join(synonyms), (label, *synonyms))
            )
    for program in export.programs:
        if program.id in with_mentors:
            docs.append(
                CatalogDocument(
                    f"{PROGRAM_PARAM}:{program.id}",
                    program.name,
                    program.institution,
                    (program.name, program.institution),
                )
            )
    return docs


def _extractor(name: str) -> Callable[[dict[str, str]], list[str]]:
    def extract(doc: dict[str, str]) -> list[str]:
        # A list is not split again by lunr: the tokens are ours, with our separator.
        return tokenize(doc[name])

    return extract


def build_catalog_index(docs: Sequence[CatalogDocument]) -> Index:
    """The catalog index; its refs are positions in ``docs`` (their refs are ``catalog_refs``)."""
    if not docs:
        return _empty_index((LABEL_FIELD, SYNONYMS_FIELD))
    fields = [{"field_name": name, "extractor": _extractor(name)} for name in (LABEL_FIELD, SYNONYMS_FIELD)]
    documents = [
        ({"ref": str(i), LABEL_FIELD: d.label, SYNONYMS_FIELD: d.synonyms}, {"boost": d.boost})
        for i, d in enumerate(docs)
    ]
    return lunr(ref="ref", fields=fields, documents=documents)


def mentors_with_export(export: DirectoryExport) -> MentorsWith:
    """``mentors_with(param, value)`` for a directory export: who has a filter value or program."""
    programs = {p.id: p for p in export.programs}
    having: dict[tuple[str, str], list[str]] = defaultdict(list)
    for mentor in export.mentors:
        having[(PROGRAM_PARAM, mentor.program)].append(mentor.id)
        for group in CATALOG_GROUPS:
            for value in mentor_values(mentor, group, programs.get(mentor.program)):
                having[(group.param, value)].append(mentor.id)

    def mentors_with(param: str, value: str) -> list[str]:
        return having.get((param, value), [])

    return mentors_with


# --------------------------------------------------------------------------- queries


@dataclass
class SearchData:
    """Both indexes, unsharded.

    ``ids[int(ref)]`` is the mentor of a people-index ref, ``catalog_refs[int(ref)]`` the
    ``"<param>:<id>"`` of a catalog ref (numbers keep the files small).
    """

    people: Index
    ids: list[str]
    catalog: Index
    catalog_refs: list[str]
    #: The vocabulary's ``search_stop_words`` (lunr's own are always ignored).
    stop_words: tuple[str, ...] = ()
    #: :func:`exact_names` of the catalog: a query's words joined by spaces → catalog positions.
    exact: Mapping[str, Sequence[int]] = field(default_factory=dict)


def search_data(
    people_docs: Sequence[PeopleDocument], catalog_docs: Sequence[CatalogDocument], stop_words: Sequence[str]
) -> SearchData:
    """Both indexes and the exact names of the catalog, from their documents."""
    return SearchData(
        build_people_index(people_docs),
        [d.id for d in people_docs],
        build_catalog_index(catalog_docs),
        [d.ref for d in catalog_docs],
        tuple(stop_words),
        exact_names(catalog_docs, stop_words),
    )


def build_search(export: DirectoryExport, vocab: Vocabulary) -> SearchData:
    return search_data(people_documents(export), catalog_documents(export, vocab), vocab.search_stop_words)


def query_words(text: str, stop_words: Collection[str] = ()) -> list[str]:
    """The words of a query that can match: tokens that are not stop words (lunr's, and
    ``stop_words``), in order, once each."""
    words: list[str] = []
    for token in tokenize(text):
        if token not in STOP_WORDS and token not in stop_words and token not in words:
            words.append(token)
    return words


def exact_key(text: str, stop_words: Collection[str] = ()) -> str:
    """What a query and a name are compared by: their words, joined by spaces."""
    return " ".join(query_words(text, stop_words))


def exact_names(docs: Sequence[CatalogDocument], stop_words: Collection[str] = ()) -> dict[str, list[int]]:
    """Each catalog name (a label or a synonym, whole) → the positions of the documents it
    names, keyed by :func:`exact_key` ("Med-Peds" and "med peds" are both ``"med peds"``)."""
    exact: dict[str, list[int]] = {}
    for position, doc in enumerate(docs):
        for name in doc.names:
            key = exact_key(name, stop_words)
            if key and position not in exact.setdefault(key, []):
                exact[key].append(position)
    return exact


def word_query(index: Index, word: str, typos: bool = True) -> Query:
    """One word's query: exact (stemmed), prefix (length ≥ 2) and, if ``typos``, typo clauses
    (length ≥ 5: one edit, ≥ 9: two)."""
    query = index.create_query()
    query.term(word, use_pipeline=True, boost=EXACT_BOOST)
    if len(word) >= PREFIX_MIN_LENGTH:
        query.term(word, use_pipeline=False, wildcard=Query.WILDCARD_TRAILING, boost=PREFIX_BOOST)
    if typos and len(word) >= FUZZY_MIN_LENGTH:
        distance = 2 if len(word) >= FUZZY_TWO_EDITS_LENGTH else 1
        query.term(word, use_pipeline=True, edit_distance=distance, boost=FUZZY_BOOST)
    return query


def word_expansions(
    index: Index, word: str, token_set: TokenSet | None = None, typos: bool = True
) -> set[str]:
    """The index terms one word's query looks up, expanded as lunr's ``Index.query`` does."""
    token_set = token_set if token_set is not None else index.token_set
    expanded: set[str] = set()
    for clause in word_query(index, word, typos).clauses:
        terms = index.pipeline.run_string(clause.term) if clause.use_pipeline else [clause.term]
        for term in terms:
            clause.term = term
            expanded.update(token_set.intersect(TokenSet.from_clause(clause)).to_list())
    return expanded


def typos_allowed(data: SearchData, word: str) -> bool:
    """Whether a word may match with typos: only when neither index knows it exactly or as a
    prefix of a term (search.js decides the same from terms.json)."""
    return not any(word_expansions(index, word, typos=False) for index in (data.people, data.catalog))


def _run(index: Index, word: str, typos: bool) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = index.query(word_query(index, word, typos))
    return results


def search(data: SearchData, text: str, mentors_with: MentorsWith) -> list[tuple[str, float]]:
    """Mentors matching the words of ``text`` (exactly, by prefix or with a typo), best first.

    Per word: the people index's hits, plus for every catalog hit ``param:value`` its score
    to each mentor in ``mentors_with(param, value)``. Every word is preferred, none is
    required: a mentor must match at least half of the words (:func:`words_needed`), and ranks
    by how many it matches, then by the sum of its scores — its score is ``matched +
    sum / (sum + 1)``, so one more word always counts for more than any score — plus
    :data:`EXACT_NAME_BONUS` when the query is exactly the name of a term or program it has
    (such a mentor matches every word, so it ranks above any that matches them in part). Returns
    ``[(mentor id, score)]``, ties broken by id; ``[]`` for a query without words.
    """
    words = query_words(text, data.stop_words)
    if not words:
        return []
    sums: dict[str, float] = {}
    matched: dict[str, int] = {}
    for word in words:
        typos = typos_allowed(data, word)
        hits = {data.ids[int(r["ref"])]: float(r["score"]) for r in _run(data.people, word, typos)}
        for result in _run(data.catalog, word, typos):
            param, value = data.catalog_refs[int(result["ref"])].split(":", 1)
            for mentor in mentors_with(param, value):
                hits[mentor] = hits.get(mentor, 0.0) + float(result["score"])
        for ref, score in hits.items():
            sums[ref] = sums.get(ref, 0.0) + score
            matched[ref] = matched.get(ref, 0) + 1
    needed = words_needed(len(words))
    exact: set[str] = set()
    for position in data.exact.get(" ".join(words), ()):
        param, value = data.catalog_refs[position].split(":", 1)
        exact.update(mentors_with(param, value))
    scores = {
        ref: matched[ref] + (EXACT_NAME_BONUS if ref in exact else 0) + total / (total + 1)
        for ref, total in sums.items()
        if matched[ref] >= needed
    }
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def words_needed(count: int) -> int:
    """How many of a query's ``count`` words a mentor must match: half, rounded up."""
    return (count + 1) // 2

"""Search as a mentee types it (issue 14): plain words, typos, stop words, several words.

The catalog is built from the whole vocabulary (every term a mentor could have); each catalog
document stands for one "mentor" named by its ref, so a query's results are the terms it
finds, best first. Precision: the intended term ranks first. Recall: it is found at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.vocabulary import load_vocabulary, vocabulary
from generator.core.problems import ContentError
from generator.search.index import (
    CATALOG_GROUPS,
    CatalogDocument,
    PeopleDocument,
    SearchData,
    search,
    search_data,
    tokenize,
)


@pytest.fixture(scope="module")
def catalog() -> SearchData:
    vocab = vocabulary()
    docs = [
        CatalogDocument(
            f"{group.param}:{term.id}", term.label, " ".join(term.synonyms), (term.label, *term.synonyms)
        )
        for group in CATALOG_GROUPS
        for term in vocab.terms.get(group.kind, {}).values()
    ]
    return search_data([], docs, vocab.search_stop_words)


def _found(data: SearchData, query: str) -> list[str]:
    return [ref for ref, _ in search(data, query, lambda param, value: [f"{param}:{value}"])]


#: The plain words of the vocabulary's synonym table, and the term each must find first.
PLAIN_WORDS = {
    "first gen": "affinity:first-generation",
    "firstgen": "affinity:first-generation",
    "first generation": "affinity:first-generation",
    "paying for school": "area:financial-literacy",
    "loans": "area:financial-literacy",
    "student loans": "area:financial-literacy",
    "tuition": "area:financial-literacy",
    "MCAT": "area:med-school-application",
    "premed": "area:med-school-application",
    "boards": "area:board-exams",
    "Step 1": "area:board-exams",
    "burnout": "area:wellness",
    "imposter": "area:belonging",
}


def test_peds_finds_the_pediatric_specialties(catalog: SearchData) -> None:
    found = _found(catalog, "peds")
    assert all("pediatric" in ref for ref in found), found
    assert set(found) == {
        "specialty:pediatrics",
        "specialty:internal-medicine-pediatrics",
        "specialty:pediatric-emergency-medicine",
    }


#: A query that is exactly a label or synonym finds that term first, before terms that have its
#: words only as part of a longer name ("peds" is a synonym of Pediatrics, part of "med-peds").
EXACT_NAMES = {
    "peds": "specialty:pediatrics",
    "med peds": "specialty:internal-medicine-pediatrics",
    "Med-Peds": "specialty:internal-medicine-pediatrics",
    "peds EM": "specialty:pediatric-emergency-medicine",
    "pediatrics": "specialty:pediatrics",
    "internal medicine": "specialty:internal-medicine",
    "medicine": "specialty:internal-medicine",
    "emergency medicine": "specialty:emergency-medicine",
    "neurology": "specialty:neurology",
    "child neurology": "specialty:child-neurology",
    "research": "area:research",
}


@pytest.mark.parametrize(("query", "term"), EXACT_NAMES.items())
def test_an_exact_name_outranks_a_partial_one(catalog: SearchData, query: str, term: str) -> None:
    found = _found(catalog, query)
    assert found and found[0] == term, (query, found[:5])


@pytest.mark.parametrize(("query", "term"), PLAIN_WORDS.items())
def test_plain_words_find_their_term_first(catalog: SearchData, query: str, term: str) -> None:
    found = _found(catalog, query)
    assert found and found[0] == term, (query, found[:5])


TYPOS = {
    "pediatrcs": "specialty:pediatrics",
    "dermatolgy": "specialty:dermatology",
    "cardiolgy": "specialty:cardiology",
    "resarch": "area:research",
    "scholarshps": "area:financial-literacy",
}


@pytest.mark.parametrize(("query", "term"), TYPOS.items())
def test_a_typo_finds_the_term(catalog: SearchData, query: str, term: str) -> None:
    # "resarch" finds the Biomedical Research specialty and the Research area: both near the top
    assert term in _found(catalog, query)[:2]


def test_an_exact_term_is_never_outranked_by_a_typo(catalog: SearchData) -> None:
    assert "specialty:geriatrics" not in _found(catalog, "pediatrics")
    assert "specialty:pediatrics" not in _found(catalog, "geriatrics")
    assert _found(catalog, "pediatrics")[0] == "specialty:pediatrics"


def test_stop_words_are_ignored(catalog: SearchData) -> None:
    assert _found(catalog, "help with my loans") == _found(catalog, "loans")
    assert _found(catalog, "the") == []


#: What mentees write, with the words around what they want, and the term each must find first
#: (precision) — the same as the bare words give (recall: nothing lost to the filler).
MENTEE_SENTENCES = {
    "I need a mentor to help with loans": ("loans", "area:financial-literacy"),
    "looking for a mentor in peds": ("peds", "specialty:pediatrics"),
    "need help with the MCAT please": ("MCAT", "area:med-school-application"),
    "mentorship for first gen students": ("first gen students", "affinity:first-generation"),
    "want someone who can help with burnout": ("burnout", "area:wellness"),
    "Mentors with advice on boards": ("boards", "area:board-exams"),
    "hi! interested in finding a dermatology mentor": ("dermatology", "specialty:dermatology"),
    "needing guidance: paying for school": ("paying for school", "area:financial-literacy"),
}


@pytest.mark.parametrize(("sentence", "expected"), MENTEE_SENTENCES.items())
def test_mentee_stop_words_are_ignored(catalog: SearchData, sentence: str, expected: tuple[str, str]) -> None:
    bare, term = expected
    found = _found(catalog, sentence)
    assert found and found[0] == term, (sentence, found[:5])
    assert found == _found(catalog, bare)


def test_a_query_of_only_stop_words_finds_nothing(catalog: SearchData) -> None:
    for query in ("mentor", "I need help", "looking for a mentor please", "Mentorship with someone"):
        assert _found(catalog, query) == [], query


def test_stop_words_are_data_and_no_label_or_synonym_uses_one() -> None:
    """In schemas/vocabulary.yml, not code; a stop word inside a name would make that word
    unfindable (so "get", of "getting into med school", is not one)."""
    vocab = vocabulary()
    stop = set(vocab.search_stop_words)
    assert {"mentor", "help", "with", "need"} <= stop
    for group in CATALOG_GROUPS:
        for term in vocab.terms.get(group.kind, {}).values():
            for name in (term.label, *term.synonyms):
                assert not stop & set(tokenize(name)), (term.id, name)


def test_a_stop_word_a_person_is_named_by_is_still_ignored_only_in_the_query() -> None:
    """Stop words leave the index alone: a bio's "mentor" is indexed, the query's is not."""
    data = search_data([PeopleDocument("ana", "Ana Help", "")], [], ["help"])
    assert search(data, "ana help", lambda p, v: []) == search(data, "ana", lambda p, v: [])
    assert search(data, "help", lambda p, v: []) == []


def test_bad_stop_words_are_reported_with_their_line(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "schemas" / "vocabulary.yml").read_text(encoding="utf-8")
    head, _, _ = text.partition("search_stop_words:")
    bad = tmp_path / "vocabulary.yml"
    bad.write_text(head + "search_stop_words:\n  - mentor\n  - Med Peds\n  - mentor\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_vocabulary(bad)
    lines = head.count("\n") + 1
    found = {(p.line, p.message.split(" must")[0].split(" is")[0]) for p in caught.value.problems}
    assert found == {(lines + 2, "search stop word 'Med Peds'"), (lines + 3, "search stop word 'mentor'")}


def test_most_words_are_enough_and_all_words_rank_first(catalog: SearchData) -> None:
    # "pediatrics" and "research": no term has both; each is found, ranked by its own score
    found = _found(catalog, "pediatrics research")
    assert {"specialty:pediatrics", "area:research"} <= set(found)
    # three words, two match the same term: it comes before terms matching one
    found = _found(catalog, "student loans zzzqqq")
    assert found[0] == "area:financial-literacy"

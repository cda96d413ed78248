"""Search as a mentee types it (issue 14): plain words, typos, stop words, several words.

The catalog is built from the whole vocabulary (every term a mentor could have); each catalog
document stands for one "mentor" named by its ref, so a query's results are the terms it
finds, best first. Precision: the intended term ranks first. Recall: it is found at all.
"""

from __future__ import annotations

import pytest

from generator.content.vocabulary import vocabulary
from generator.search.index import (
    CATALOG_GROUPS,
    CatalogDocument,
    SearchData,
    build_catalog_index,
    build_people_index,
    search,
)


@pytest.fixture(scope="module")
def catalog() -> SearchData:
    vocab = vocabulary()
    docs = [
        CatalogDocument(f"{group.param}:{term.id}", term.label, " ".join(term.synonyms))
        for group in CATALOG_GROUPS
        for term in vocab.terms.get(group.kind, {}).values()
    ]
    return SearchData(build_people_index([]), [], build_catalog_index(docs), [d.ref for d in docs])


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
    assert "specialty:pediatrics" in found[:3]
    assert all("pediatric" in ref for ref in found), found


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


def test_most_words_are_enough_and_all_words_rank_first(catalog: SearchData) -> None:
    # "pediatrics" and "research": no term has both; each is found, ranked by its own score
    found = _found(catalog, "pediatrics research")
    assert {"specialty:pediatrics", "area:research"} <= set(found)
    # three words, two match the same term: it comes before terms matching one
    found = _found(catalog, "student loans zzzqqq")
    assert found[0] == "area:financial-literacy"

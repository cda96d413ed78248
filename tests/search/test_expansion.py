"""The query rules (generator/search/expansion.py): which terms a word looks up, ranked and capped."""

from __future__ import annotations

import pytest

from generator.search.expansion import (
    EXACT,
    MAX_EXPANSIONS,
    PREFIX,
    TYPO,
    Expansion,
    Lexicon,
    edit_distance,
    expand,
    known,
    typos,
)
from generator.search.index import (
    PeopleDocument,
    SearchData,
    build_catalog_index,
    build_people_index,
    search,
    stem,
    word_expansions,
)


def _lexicon(frequencies: dict[str, int]) -> Lexicon:
    terms = sorted(frequencies)
    return Lexicon(terms, [frequencies[t] for t in terms])


def _terms(expansions: list[Expansion]) -> list[tuple[str, str]]:
    return [(e.term, e.kind) for e in expansions]


EMPTY = _lexicon({})


def test_edit_distance_counts_a_transposition_as_one_edit() -> None:
    assert edit_distance("pediatr", "pediatr", 2) == 0
    assert edit_distance("pedaitr", "pediatr", 2) == 1  # ai <-> ia
    assert edit_distance("cardiology", "cardiolgy", 2) == 1
    assert edit_distance("dermatolgy", "dermatolog", 2) == 2
    assert edit_distance("abc", "xyzabc", 2) == 3  # more than the limit: limit + 1
    assert edit_distance("kitten", "sitting", 3) == 3


def test_exact_first_then_prefixes_by_document_frequency_then_term() -> None:
    lex = _lexicon({"card": 3, "cardiac": 5, "cardiolog": 9, "cardio": 2, "cardigan": 5, "care": 50})
    # the exact term first (the stem of "cardio" is "cardio"), then prefixes of the typed word
    found = known(lex, "cardio", "cardio")
    assert _terms(found) == [("cardio", EXACT), ("cardiolog", PREFIX)]
    found = known(lex, "card", "card")
    assert _terms(found) == [
        ("card", EXACT),
        ("cardiolog", PREFIX),
        ("cardiac", PREFIX),
        ("cardigan", PREFIX),
        ("cardio", PREFIX),
    ]
    assert [e.boost for e in found] == [10, 3, 3, 3, 3]
    # prefixes of the typed word, not of its stem: "wellness" (stem "well") is not expanded to "wellington"
    assert _terms(known(_lexicon({"well": 3, "wellington": 9}), "wellness", "well")) == [("well", EXACT)]
    # one letter: no prefix
    assert known(lex, "c", "c") == []


def test_a_short_prefix_keeps_the_most_frequent_completions_up_to_the_cap() -> None:
    frequencies = {f"re{chr(97 + i)}{chr(97 + j)}": 100 - i * 5 - j for i in range(6) for j in range(6)}
    frequencies["re"] = 1
    found = known(_lexicon(frequencies), "re", "re")
    assert len(found) == MAX_EXPANSIONS
    assert found[0] == Expansion("re", EXACT)
    ranked = sorted(frequencies.items(), key=lambda item: (-item[1], item[0]))
    assert [e.term for e in found[1:]] == [t for t, _ in ranked if t != "re"][: MAX_EXPANSIONS - 1]


def test_typos_keep_the_first_character_and_rank_by_distance_then_frequency() -> None:
    lex = _lexicon({"pediatr": 4, "pediatrist": 1, "geriatr": 30, "pedicur": 2, "bediatr": 50})
    # 10 letters: two edits; "geriatr" and "bediatr" change the first character
    found = typos(lex, "pediatrcis", stem("pediatrcis"))
    assert found[0].term == "pediatr"
    assert all(e.term.startswith("p") and e.kind == TYPO and e.boost == 1 for e in found)
    # 7 letters: one edit ("surgeon" is two away)
    assert [e.term for e in typos(_lexicon({"surgeon": 3, "surgery": 8}), "surgerx", "surgerx")] == [
        "surgery"
    ]
    # nearer first, then the more frequent
    lex = _lexicon({"abcdefghx": 1, "abcdefgxx": 9, "abcdefghy": 5})
    assert [e.term for e in typos(lex, "abcdefghi", "abcdefghi")] == ["abcdefghy", "abcdefghx", "abcdefgxx"]
    assert [e.term for e in typos(_lexicon({"ab1cd": 1, "abxcd": 5}), "abzcd", "abzcd")] == ["abxcd", "ab1cd"]
    # under five letters: no typo; five to eight: one edit; nine and more: two
    assert typos(_lexicon({"beds": 9}), "peds", "peds") == []
    assert typos(_lexicon({"rurxl": 1}), "rural", "rural") != []
    assert typos(_lexicon({"ruxxl": 1}), "rural", "rural") == []
    assert typos(_lexicon({"radiologxx": 1}), "radiology", "radiolog") != []


def test_the_cap_applies_to_typos_too() -> None:
    # 25 terms one edit away from "mentora" (its last letter changed), frequencies 1..25
    lex = _lexicon({f"mentor{chr(98 + i)}": i + 1 for i in range(25)})
    found = typos(lex, "mentora", "mentora")
    assert [e.term for e in found] == [f"mentor{chr(98 + i)}" for i in range(24, 24 - MAX_EXPANSIONS, -1)]


def test_no_typo_for_a_word_either_index_knows() -> None:
    people = _lexicon({"geriatr": 5})
    catalog = _lexicon({"pediatr": 1})
    # the catalog knows "pediatrics" exactly: no typo in the people index either
    assert expand([people, catalog], "pediatrics", "pediatr") == [[], [Expansion("pediatr", EXACT)]]
    # nobody knows "pediatrcs": typos in both
    assert expand([people, _lexicon({})], "geriatrcs", "geriatrc") == [[Expansion("geriatr", TYPO)], []]
    # a prefix match is enough to rule typos out
    assert expand([_lexicon({"psychiatr": 2, "psychiatri": 1}), EMPTY], "psych", "psych")[0][0].kind == PREFIX


def test_a_typo_on_the_first_character_finds_nothing() -> None:
    docs = [PeopleDocument("wes", "Wes Wellness", "")]
    data = SearchData(build_people_index(docs), ["wes"], build_catalog_index([]), [])
    assert [m for m, _ in search(data, "welness", lambda p, v: [])] == ["wes"]
    assert search(data, "qellness", lambda p, v: []) == []
    assert word_expansions(data, "qellness") == ([], [])


@pytest.mark.parametrize("term", ["a*b"])
def test_a_term_with_lunrs_wildcard_is_never_an_expansion(term: str) -> None:
    assert known(_lexicon({term: 1, "ab": 1}), "a", "a") == []
    assert _terms(known(_lexicon({term: 1, "abc": 1}), "ab", "ab")) == [("abc", PREFIX)]

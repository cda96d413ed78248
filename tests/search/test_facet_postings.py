"""The postings of the directory's facet files (``generator/search/facets.py``): gaps or a
base64 bitset, whichever is shorter, read back to the same refs (directory-state.js decodes
the same two forms: tests/site/directory_state.test.js)."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.search import index
from generator.search.facets import PROGRAM_PARAM, decode_group, decode_refs, encode_group, encode_refs


@st.composite
def ref_sets(draw: st.DrawFn) -> tuple[list[int], int]:
    total = draw(st.integers(min_value=0, max_value=3000))
    refs = sorted(draw(st.sets(st.integers(min_value=0, max_value=max(total - 1, 0)), max_size=total)))
    return refs if total else [], total


@given(ref_sets())
def test_round_trip(case: tuple[list[int], int]) -> None:
    refs, total = case
    encoded = encode_refs(refs, total)
    assert decode_refs(json.loads(json.dumps(encoded)), total) == refs


def test_the_shorter_form_is_written() -> None:
    # a few refs far apart: gaps; most of the network: a bitset
    assert encode_refs([5, 900, 1800], 2000) == [5, 895, 900]
    dense = list(range(0, 2000, 2))
    bitset = encode_refs(dense, 2000)
    assert isinstance(bitset, str)
    assert base64.b64decode(bitset)[:2] == bytes([0b01010101, 0b01010101])  # bit r % 8 of byte r // 8
    assert len(json.dumps(bitset)) < len(json.dumps([dense[0]] + [2] * (len(dense) - 1)))
    assert encode_refs([], 10) == []


@pytest.mark.parametrize("refs", [[3, 2], [1, 1], [-1], [10]])
def test_refs_out_of_order_or_range_are_refused(refs: list[int]) -> None:
    with pytest.raises(ValueError, match="ascending"):
        encode_refs(refs, 10)


def test_program_param_is_the_search_s() -> None:
    assert PROGRAM_PARAM == index.PROGRAM_PARAM


def test_a_group_with_one_value_a_mentor_is_a_column() -> None:
    assert encode_group([[0, 3], [2], []], 5) == {"column": "A.BA."}
    assert decode_group({"column": "A.BA."}, 5) == [[0, 3], [2]]
    assert decode_group(encode_group([[1], [0]], 2) or {}, 2) == [[1], [0]]
    assert encode_group([[0, 1], [1]], 2) is None  # ref 1 has two values: postings
    assert encode_group([[0]] * 65, 1) is None  # more values than characters
    assert decode_group([[0, 2], "Bg=="], 8) == [[0, 2], [1, 2]]


@given(st.lists(st.integers(min_value=-1, max_value=63), max_size=300))
def test_column_round_trip(values: list[int]) -> None:
    postings = [[r for r, v in enumerate(values) if v == i] for i in range(64)]
    encoded = encode_group(postings, len(values))
    assert encoded is not None
    decoded = decode_group(encoded, len(values))
    assert decoded + [[] for _ in range(64 - len(decoded))] == postings


def test_the_page_loads_a_group_file_from_the_same_count_of_values() -> None:
    from generator.search.facets import GROUP_FILE_AT
    from tests.support.paths import ROOT

    script = (ROOT / "theme" / "static" / "js" / "directory.js").read_text(encoding="utf-8")
    assert f"var GROUP_FILE_AT = {GROUP_FILE_AT};" in script

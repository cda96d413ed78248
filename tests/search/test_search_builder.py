"""PeopleBuilder (pre-pipelined terms, fast field vectors) serializes exactly like lunr.lunr(),
and the shards written term by term (generator.search.people_shards) are exactly lunr.lunr()'s
index cut by split_index."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunr import lunr

from generator.content.export import build_export
from generator.content.validation import validate_content
from generator.content.vocabulary import vocabulary
from generator.search.index import (
    BIO_FIELD,
    NAME_FIELD,
    PEOPLE_FIELD_BOOSTS,
    PeopleDocument,
    build_people_index,
    people_documents,
    tokenize,
)
from generator.search.people_shards import build_terms, layout, render_shard
from generator.search.shards import compact_json, split_index
from tests.support.paths import ROOT


def _plain_lunr(docs: Sequence[PeopleDocument]) -> dict[str, Any]:
    """The same index the straightforward way: lunr.lunr with our tokenizer as extractor."""
    fields = [
        {
            "field_name": NAME_FIELD,
            "boost": PEOPLE_FIELD_BOOSTS[NAME_FIELD],
            "extractor": lambda d: tokenize(d["name"]),
        },
        {
            "field_name": BIO_FIELD,
            "boost": PEOPLE_FIELD_BOOSTS[BIO_FIELD],
            "extractor": lambda d: tokenize(d["bio"]),
        },
    ]
    documents = [{"ref": str(i), "name": d.name, "bio": d.bio} for i, d in enumerate(docs)]
    serialized: dict[str, Any] = lunr(ref="ref", fields=fields, documents=documents).serialize()
    return serialized


def _assert_identical(docs: Sequence[PeopleDocument], target_bytes: int = 400) -> None:
    ours = json.dumps(build_people_index(docs).serialize())
    plain = _plain_lunr(docs)
    assert ours == json.dumps(plain)
    terms, _ = build_terms((d.name, d.bio) for d in docs)
    shards = [render_shard(terms, group) for group in layout(terms, target_bytes)]
    assert shards == [compact_json(shard).encode() for shard in split_index(plain, target_bytes)]


def test_identical_on_the_sample_network() -> None:
    result = validate_content(ROOT / "content")
    vocab = vocabulary()
    docs = people_documents(build_export(result.programs, result.mentors, "https://site.invalid/", vocab))
    assert len(docs) > 50 and any(d.bio for d in docs)
    _assert_identical(docs)
    _assert_identical(docs, target_bytes=40_000)


WORDS = st.sampled_from(
    [
        "the",
        "and",
        "Cardiology",
        "cardiologist",
        "USMLE/COMLEX",
        "José",
        "Núñez",
        "O'Brien",
        "run",
        "running",
        "runs",
        "med-peds",
        "(she/her)",
        "12",
        "3.5",
        "喜欢",
        "résumé",
        "…",
        "--",
        "ICU",
        "a",
        "generalization",
    ]
)
TEXT = st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=12).map(" ".join)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=8))
def test_identical_on_generated_documents(pairs: list[tuple[str, str]]) -> None:
    _assert_identical([PeopleDocument(f"m{i}", name, bio) for i, (name, bio) in enumerate(pairs)])

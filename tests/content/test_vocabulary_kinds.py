"""The vocabularies' names, as a type and as data, are the same list."""

from __future__ import annotations

from typing import get_args

from generator.content.vocabulary import KINDS, VocabularyKind, vocabulary


def test_vocabulary_kind_names_every_vocabulary() -> None:
    assert get_args(VocabularyKind) == tuple(KINDS)
    assert set(vocabulary().terms) == set(get_args(VocabularyKind))

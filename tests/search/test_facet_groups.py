"""The filter groups' types name what exists: each param once, a vocabulary, a PublicMentor field."""

from __future__ import annotations

from typing import get_args

from generator.content.export import PublicMentor
from generator.search.facets import FACET_GROUPS, FacetField, FacetParam


def test_every_filter_param_and_field_is_a_group_and_a_public_field() -> None:
    assert [g.param for g in FACET_GROUPS] == list(get_args(FacetParam))
    assert sorted(g.field for g in FACET_GROUPS) == sorted(get_args(FacetField))
    assert set(get_args(FacetField)) <= set(PublicMentor.model_fields)

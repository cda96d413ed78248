"""The directory page's filter panel: each filter group's options, labels and counts, with
affinities under the headings of their groups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from generator.content.export import DirectoryExport
from generator.content.vocabulary import Vocabulary
from generator.search.facets import FACET_GROUPS, FacetParam, facet_counts, facet_values


@dataclass
class FilterOption:
    id: str
    label: str
    count: int


class OptionGroup(NamedTuple):
    """Options under one sub-heading (affinities by group; templates unpack it)."""

    label: str
    options: list[FilterOption]


@dataclass
class FilterGroup:
    param: FacetParam
    label: str
    options: list[FilterOption]
    subgroups: list[OptionGroup]


def filter_groups(export: DirectoryExport, vocab: Vocabulary) -> list[FilterGroup]:
    """One group per filter (:data:`~generator.search.facets.FACET_GROUPS`), with the values
    some published mentor has and how many have each."""
    values = facet_values(export, vocab)
    counts = facet_counts(export, vocab)
    groups: list[FilterGroup] = []
    for group in FACET_GROUPS:
        options = [
            FilterOption(v, vocab.label(group.kind, v), counts[group.param].get(v, 0))
            for v in values[group.param]
        ]
        subgroups: list[OptionGroup] = []
        if group.kind == "affinities":
            by_group: dict[str, list[FilterOption]] = {}
            for option in options:
                term = vocab.terms["affinities"].get(option.id)
                key = term.group if term and term.group else ""
                by_group.setdefault(key, []).append(option)
            for key in [*vocab.ids("affinity_groups"), ""]:
                if key in by_group:
                    label = vocab.label("affinity_groups", key) if key else "Other"
                    subgroups.append(OptionGroup(label, by_group[key]))
        groups.append(FilterGroup(group.param, group.label, options, subgroups))
    return groups

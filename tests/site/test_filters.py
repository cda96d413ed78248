"""The directory's filter panel: every value some mentor has, with its count, once."""

from __future__ import annotations

from generator.content.export import DirectoryExport
from generator.content.vocabulary import vocabulary
from generator.search.facets import FACET_GROUPS, facet_counts
from generator.site.filters import filter_groups


def test_filter_groups_count_and_group_every_value_once(sample_export: DirectoryExport) -> None:
    vocab = vocabulary()
    groups = filter_groups(sample_export, vocab)
    assert [g.param for g in groups] == [g.param for g in FACET_GROUPS]
    counts = facet_counts(sample_export, vocab)
    for group in groups:
        assert {o.id: o.count for o in group.options} == counts[group.param]
        assert all(o.count > 0 for o in group.options)
        if group.param != "affinity":
            assert group.subgroups == []
            continue
        assert group.subgroups, "affinities are shown under their groups"
        grouped = [o for _, options in group.subgroups for o in options]
        assert sorted(o.id for o in grouped) == sorted(o.id for o in group.options)
        labels = [label for label, _ in group.subgroups]
        known = [vocab.label("affinity_groups", g) for g in vocab.ids("affinity_groups")]
        assert labels == [label for label in [*known, "Other"] if label in labels], "vocabulary order"
        for label, options in group.subgroups:
            for option in options:
                term = vocab.terms["affinities"].get(option.id)
                expected = vocab.label("affinity_groups", term.group) if term and term.group else "Other"
                assert label == expected

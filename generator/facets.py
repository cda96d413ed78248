"""The directory's filters: the groups a mentee filters on, each mentor's values, the counts.

``search/facets.json`` (:func:`facets_payload`) is loaded by the directory page to filter and
count in the browser; the same functions give the counts printed in the page itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .export import DirectoryExport, PublicMentor, PublicProgram
from .vocabulary import Vocabulary

FACETS_VERSION = 1


@dataclass(frozen=True)
class FacetGroup:
    """One filter: the URL parameter, its heading, and where its values come from."""

    param: str
    label: str
    kind: str  # vocabulary kind
    field: str  # PublicMentor field


FACET_GROUPS: tuple[FacetGroup, ...] = (
    FacetGroup("affinity", "Shared affinity", "affinities", "affinities"),
    FacetGroup("area", "Can help with", "areas", "areas"),
    FacetGroup("specialty", "Specialty", "specialties", "specialties"),
    FacetGroup("stage", "Career stage", "stages", "stage"),
    FacetGroup("profession", "Profession", "professions", "profession"),
    FacetGroup("language", "Language", "languages", "languages"),
    FacetGroup("meeting", "Meets", "meeting", "meeting"),
    FacetGroup("state", "State", "states", "state"),
)
ACCEPTING_PARAM = "accepting"


# --------------------------------------------------------------------------- facets


def mentor_values(mentor: PublicMentor, group: FacetGroup, program: PublicProgram | None) -> list[str]:
    """The values of one filter group for one mentor (its state falls back to the program's)."""
    value: Any = getattr(mentor, group.field)
    if group.param == "state" and value is None and program is not None:
        value = program.state
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def facet_values(export: DirectoryExport, vocab: Vocabulary) -> dict[str, list[str]]:
    """For each group, the values some published mentor has, in vocabulary order."""
    programs = {p.id: p for p in export.programs}
    present: dict[str, set[str]] = {g.param: set() for g in FACET_GROUPS}
    for mentor in export.mentors:
        for group in FACET_GROUPS:
            present[group.param].update(mentor_values(mentor, group, programs.get(mentor.program)))
    return {
        g.param: [i for i in vocab.ids(g.kind) if i in present[g.param]]
        + sorted(present[g.param] - set(vocab.ids(g.kind)))
        for g in FACET_GROUPS
    }


def facets_payload(
    export: DirectoryExport, vocab: Vocabulary, order: Sequence[PublicMentor]
) -> dict[str, Any]:
    """``search/facets.json``: groups with their values, and per mentor the value positions.

    ``mentors`` is ``[id, accepting (0/1), [[value positions of group 0], …]]`` in the
    directory's default order.
    """
    programs = {p.id: p for p in export.programs}
    values = facet_values(export, vocab)
    position = {param: {v: i for i, v in enumerate(vals)} for param, vals in values.items()}
    rows: list[list[Any]] = []
    for mentor in order:
        program = programs.get(mentor.program)
        rows.append(
            [
                mentor.id,
                1 if mentor.accepting else 0,
                [
                    sorted(position[g.param][v] for v in mentor_values(mentor, g, program))
                    for g in FACET_GROUPS
                ],
            ]
        )
    return {
        "version": FACETS_VERSION,
        "accepting": ACCEPTING_PARAM,
        "groups": [{"param": g.param, "values": values[g.param]} for g in FACET_GROUPS],
        "mentors": rows,
    }


def facet_counts(export: DirectoryExport, vocab: Vocabulary) -> dict[str, dict[str, int]]:
    """How many published mentors have each value (the counts with no filter set)."""
    programs = {p.id: p for p in export.programs}
    counts: dict[str, dict[str, int]] = {g.param: {} for g in FACET_GROUPS}
    for mentor in export.mentors:
        for group in FACET_GROUPS:
            for value in mentor_values(mentor, group, programs.get(mentor.program)):
                counts[group.param][value] = counts[group.param].get(value, 0) + 1
    return counts

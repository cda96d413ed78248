"""The directory's filters: the groups a mentee filters on, each mentor's values, the counts.

``search/facets.json`` (:func:`facets_payload`, version 2) is loaded by the directory page to
filter, count and render mentor cards in the browser; the same functions give the counts
printed in the page itself. Only public values are in it (``private_affinities`` never is).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from generator.content.export import DirectoryExport, PublicMentor, PublicProgram
from generator.content.vocabulary import Vocabulary, VocabularyKind

FACETS_VERSION = 2
#: The file's name in the site's search folder.
FACETS_FILE = "facets.json"

#: Mentor cards per server-rendered directory page, and per "Show more mentors" click.
PAGE_SIZE = 24


FacetParam = Literal["affinity", "area", "specialty", "stage", "profession", "language", "meeting", "state"]
#: The PublicMentor fields the filters read.
FacetField = Literal[
    "affinities", "areas", "specialties", "stage", "profession", "languages", "meeting", "state"
]


@dataclass(frozen=True)
class FacetGroup:
    """One filter: the URL parameter, its heading, and where its values come from."""

    param: FacetParam
    label: str
    kind: VocabularyKind
    field: FacetField


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
    value: str | list[str] | None = getattr(mentor, group.field)
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
    export: DirectoryExport,
    vocab: Vocabulary,
    order: Sequence[PublicMentor],
    stale: Mapping[str, str] | None = None,
    provenance: Mapping[str, tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """``search/facets.json`` version 2: enough to filter, count and render a card.

    - ``groups``: ``{param, label, values: [ids], labels: [labels]}``, values in vocabulary
      order, only those some published mentor has (public affinities only);
    - ``programs``: ``[[id, name], …]``; a peer network's program (in ``provenance``: program
      id → (network name, date of its snapshot)) is ``[id, name, network, date]``, which its
      mentors' cards show ("From <network>, as of <date>");
    - ``mentors``: ``[id, name, pronouns or "", accepting 0/1, program position (-1: none),
      [[value positions of group 0], …]]`` in the directory's default order. Positions keep the
      order of the mentor's own record, so a card built from them lists terms as the page does,
      then the month of the last confirmation of a stale profile, or "" (``stale``: id → month,
      docs/freshness.md), so a card says "Not confirmed since …" as the page does.
    """
    stale = stale or {}
    programs = {p.id: p for p in export.programs}
    program_position = {p.id: i for i, p in enumerate(export.programs)}
    values = facet_values(export, vocab)
    position = {param: {v: i for i, v in enumerate(vals)} for param, vals in values.items()}
    rows: list[list[Any]] = []
    for mentor in order:
        program = programs.get(mentor.program)
        rows.append(
            [
                mentor.id,
                mentor.name,
                mentor.pronouns or "",
                1 if mentor.accepting else 0,
                program_position.get(mentor.program, -1),
                [
                    list(dict.fromkeys(position[g.param][v] for v in mentor_values(mentor, g, program)))
                    for g in FACET_GROUPS
                ],
                stale.get(mentor.id, ""),
            ]
        )
    return {
        "version": FACETS_VERSION,
        "accepting": ACCEPTING_PARAM,
        "pageSize": PAGE_SIZE,
        "groups": [
            {
                "param": g.param,
                "label": g.label,
                "values": values[g.param],
                "labels": [vocab.label(g.kind, v) for v in values[g.param]],
            }
            for g in FACET_GROUPS
        ],
        "programs": [[p.id, p.name, *(provenance or {}).get(p.id, ())] for p in export.programs],
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

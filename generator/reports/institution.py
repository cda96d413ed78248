"""Institution reports: a page per program and one for the network, built at deploy time.

For each academic year of the ledger: mentees mentored, mentors active, requests served by
stage and need, and the **minority-tax indicator** — URiM mentors' share of the program's
mentoring load against their share of its mentor pool, with the network's figure beside it.
And, as of the build: mentors listed, accepting and stale, pledged places (the capacities of
accepting mentors) and places in use.

Who counts as a URiM mentor (docs/reports.md): a mentor who lists, in their *published*
``affinities``, one of the ``urim`` affinities of ``schemas/matching.yml``. Private affinities
are never used here: the published URiM count of a program minus what its mentor pages show
would be the number of its mentors with a private URiM identity, which no suppression rule
can hide (the public count is on the site).

Every figure taken from the ledger is a count of mentees or of mentors' activity, so the
small-cell rule applies (:mod:`generator.reports.cells`), and more: a group's load is shown only
when the part of it carried by mentors with private recognition is itself 11 or more (or the
group has none), so no private record is the difference between a group's load and the public
records; and a figure hidden in one program only is protected by hiding it in a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.content.freshness import FreshnessPolicy
from generator.content.models import Mentor, Program
from generator.content.vocabulary import Vocabulary
from generator.reports.cells import Cell, cell, protect_partition
from generator.reports.outcomes import NOT_GIVEN
from generator.reports.years import AcademicYear, active_in, ledger_years, pair_span
from generator.requests.ledger import SMALL_CELL, Ledger

NETWORK = "network"


def is_urim(mentor: Mentor, urim: Collection[str]) -> bool:
    """A URiM mentor, for the reports: a URiM affinity in the *published* affinities only."""
    return any(a in urim for a in mentor.affinities)


@dataclass(frozen=True)
class Load:
    """The true load (accepted places active in a year) of a group of mentors."""

    total: int = 0
    private_part: int = 0
    private_members: int = 0

    def published(self) -> Cell:
        """The load, unless it is small or would give away the private records within it."""
        if self.private_members and self.private_part < SMALL_CELL:
            return None
        return cell(self.total)


@dataclass
class YearFigures:
    """One scope's figures for one academic year."""

    year: AcademicYear
    mentees_mentored: Cell
    mentors_active: Cell
    requests_served: Cell
    by_stage: list[tuple[str, str, Cell]]
    by_need: list[tuple[str, str, Cell]]
    urim_load: Cell
    other_load: Cell
    urim_pool_share: float | None
    #: kept for secondary suppression, never published
    _true: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def urim_load_share(self) -> float | None:
        if self.urim_load is None or self.other_load is None:
            return None
        total = self.urim_load + self.other_load
        return self.urim_load / total if total else None

    @property
    def indicator(self) -> float | None:
        """URiM load share ÷ URiM pool share: 1 is a fair share, above 1 more than theirs."""
        share = self.urim_load_share
        if share is None or not self.urim_pool_share:
            return None
        return share / self.urim_pool_share

    def as_dict(self) -> dict[str, Any]:
        return {
            "academic_year": self.year.label,
            "mentees_mentored": self.mentees_mentored,
            "mentors_active": self.mentors_active,
            "requests_served": self.requests_served,
            "requests_served_by_stage": {k: v for k, _, v in self.by_stage},
            "requests_served_by_need": {k: v for k, _, v in self.by_need},
            "minority_tax": {
                "urim_mentors_load": self.urim_load,
                "other_mentors_load": self.other_load,
                "urim_share_of_pool": _round(self.urim_pool_share),
                "urim_share_of_load": _round(self.urim_load_share),
                "indicator": _round(self.indicator),
            },
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass
class Roster:
    """The scope's mentors as listed at build time: public facts of the directory."""

    mentors: int
    accepting: int
    stale: int
    urim_mentors: int
    pledged_places: int
    places_in_use: Cell

    def as_dict(self) -> dict[str, Any]:
        return {
            "mentors": self.mentors,
            "accepting": self.accepting,
            "stale": self.stale,
            "urim_mentors": self.urim_mentors,
            "pledged_places": self.pledged_places,
            "places_in_use": self.places_in_use,
        }


@dataclass
class Report:
    """A program's report (``scope`` its id) or the network's (``scope`` = ``network``)."""

    scope: str
    name: str
    institution: str | None
    as_of: str
    ledger_date: str
    roster: Roster
    years: list[YearFigures]

    def as_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "name": self.name,
            "institution": self.institution,
            "as_of": self.as_of,
            "ledger_generated_at": self.ledger_date,
            "small_cell": SMALL_CELL,
            "roster": self.roster.as_dict(),
            "years": [y.as_dict() for y in self.years],
        }

    def csv_rows(self) -> list[list[str]]:
        """``scope, academic_year, figure, key, value`` rows (empty value: suppressed)."""
        rows: list[list[str]] = []

        def add(year: str, figure: str, key: str, value: float | int | None) -> None:
            rows.append([self.scope, year, figure, key, "" if value is None else str(value)])

        for name, value in self.roster.as_dict().items():
            add("", name, "", value)
        for year in self.years:
            data = year.as_dict()
            label = year.year.label
            for name in ("mentees_mentored", "mentors_active", "requests_served"):
                add(label, name, "", data[name])
            for key, _, value in year.by_stage:
                add(label, "requests_served_by_stage", key, value)
            for key, _, value in year.by_need:
                add(label, "requests_served_by_need", key, value)
            for name, value in data["minority_tax"].items():
                add(label, "minority_tax", name, value)
        return rows


CSV_HEADER = ["scope", "academic_year", "figure", "key", "value"]


def _year_figures(
    ledger: Ledger,
    members: Mapping[str, Mentor],
    year: AcademicYear,
    urim: Collection[str],
    vocab: Vocabulary,
) -> YearFigures:
    day = ledger.generated_at.date()
    load: dict[str, int] = {}
    served: dict[int, str | None] = {}
    needs: dict[int, list[str]] = {}
    for request in ledger.requests:
        for pair in request.pairs:
            if pair.mentor in members and active_in(pair_span(request, pair, day), year):
                load[pair.mentor] = load.get(pair.mentor, 0) + 1
                served[request.number] = request.stage
                needs[request.number] = list(request.needs)

    def group(ids: Iterable[str]) -> Load:
        chosen = [members[i] for i in ids]
        private = [m for m in chosen if m.recognition == "private"]
        return Load(
            sum(load.get(m.id, 0) for m in chosen),
            sum(load.get(m.id, 0) for m in private),
            len(private),
        )

    everyone = group(members)
    urim_ids = [i for i, m in members.items() if is_urim(m, urim)]
    other_ids = [i for i in members if i not in set(urim_ids)]
    urim_load, other_load = group(urim_ids), group(other_ids)
    stage_counts: dict[str, int] = {}
    for stage in served.values():
        key = stage or NOT_GIVEN
        stage_counts[key] = stage_counts.get(key, 0) + 1
    stage_keys = [k for k in [*vocab.ids("stages"), NOT_GIVEN] if k in stage_counts]
    stage_cells = protect_partition(
        [cell(stage_counts[k]) for k in stage_keys], [stage_counts[k] for k in stage_keys]
    )
    need_counts: dict[str, int] = {}
    for request_needs in needs.values():
        for need in dict.fromkeys(request_needs):
            need_counts[need] = need_counts.get(need, 0) + 1
    need_keys = [k for k in vocab.ids("areas") if k in need_counts]
    urim_cell, other_cell = urim_load.published(), other_load.published()
    if urim_cell is None or other_cell is None:  # the total would give the other away
        urim_cell = other_cell = None
    return YearFigures(
        year=year,
        mentees_mentored=everyone.published(),
        mentors_active=cell(len(load)),
        requests_served=cell(len(served)),
        by_stage=[
            (k, "Not given" if k == NOT_GIVEN else vocab.label("stages", k), c)
            for k, c in zip(stage_keys, stage_cells, strict=True)
        ],
        by_need=[(k, vocab.label("areas", k), cell(need_counts[k])) for k in need_keys],
        urim_load=urim_cell,
        other_load=other_cell,
        urim_pool_share=len(urim_ids) / len(members) if members else None,
        _true={
            "mentees_mentored": everyone.total,
            "urim_load": urim_load.total,
            "other_load": other_load.total,
        },
    )


def _roster(
    ledger: Ledger,
    members: Mapping[str, Mentor],
    urim: Collection[str],
    as_of: dt.date,
    policy: FreshnessPolicy,
) -> Roster:
    day = ledger.generated_at.date()
    in_use = 0
    for request in ledger.requests:
        for pair in request.pairs:
            if pair.mentor in members and pair.status == "accepted" and request.closed_on is None:
                span = pair_span(request, pair, day)
                in_use += span is not None
    return Roster(
        mentors=len(members),
        accepting=sum(1 for m in members.values() if m.accepting),
        stale=sum(1 for m in members.values() if policy.is_stale(m.last_confirmed, as_of)),
        urim_mentors=sum(1 for m in members.values() if is_urim(m, urim)),
        pledged_places=sum(m.capacity for m in members.values() if m.accepting),
        places_in_use=cell(in_use),
    )


def _protect_across(reports: list[Report]) -> None:
    """Secondary suppression of the per-program loads: the network's figure is published, so a
    figure hidden in exactly one program is hidden in the next smallest one too."""
    if not reports:
        return
    for index in range(len(reports[0].years)):
        for name in ("mentees_mentored", "urim_load", "other_load"):
            figures = [r.years[index] for r in reports]
            cells: list[Cell] = [getattr(f, name) for f in figures]
            protected = protect_partition(cells, [f._true[name] for f in figures])
            for figure, value in zip(figures, protected, strict=True):
                setattr(figure, name, value)
        for figure in (r.years[index] for r in reports):
            if figure.urim_load is None or figure.other_load is None:
                figure.urim_load = figure.other_load = None


def institution_reports(
    ledger: Ledger,
    programs: Mapping[str, Program],
    mentors: Mapping[str, Mentor],
    vocab: Vocabulary,
    urim: Collection[str],
    as_of: dt.date,
    policy: FreshnessPolicy,
) -> tuple[Report, list[Report]]:
    """The network's report and each program's (in id order), for every year of the ledger."""
    years = ledger_years(ledger)
    ledger_date = ledger.generated_at.date().isoformat()

    def report(scope: str, name: str, institution: str | None, members: Mapping[str, Mentor]) -> Report:
        return Report(
            scope,
            name,
            institution,
            as_of.isoformat(),
            ledger_date,
            _roster(ledger, members, urim, as_of, policy),
            [_year_figures(ledger, members, year, urim, vocab) for year in years],
        )

    network = report(NETWORK, "The whole network", None, mentors)
    per_program = [
        report(pid, program.name, program.institution, {i: m for i, m in mentors.items() if m.program == pid})
        for pid, program in sorted(programs.items())
    ]
    _protect_across(per_program)
    return network, per_program

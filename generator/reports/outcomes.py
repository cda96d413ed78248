"""The outcomes page's figures: what became of the network's requests, from the ledger.

For all requests, then by stage, by need and by the identity group asked for: requests,
teams suggested, offers accepted, pairs that met, pairs ended, thank-you notes and the median
days from the request to its first accepted offer. Every count under 11 is suppressed, and a
row of fewer than 11 requests is suppressed whole (its pairs are those few mentees'); stage
rows (one stage per request) are protected against subtraction from the total; a median over
fewer than 11 accepted requests is not shown. Nothing here names a person.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.content.vocabulary import Vocabulary
from generator.reports.cells import Cell, cell, protect_partition
from generator.reports.years import ACCEPTED
from generator.requests.ledger import SMALL_CELL, Ledger, RequestRecord

#: The counted columns, in the page's order, and what each counts.
COLUMNS: dict[str, str] = {
    "requests": "Requests",
    "suggested": "Teams suggested",
    "accepted": "Offers accepted",
    "met": "Pairs that met",
    "ended": "Pairs ended",
    "thanks": "Thank-you notes",
}
MEDIAN_COLUMN = "days_to_first_accept"
NOT_GIVEN = "not-given"
NONE_ASKED = "none-asked"


@dataclass(frozen=True)
class Counts:
    """The true counts of one row (never published as such)."""

    requests: int = 0
    suggested: int = 0
    accepted: int = 0
    met: int = 0
    ended: int = 0
    thanks: int = 0
    first_accept_days: tuple[int, ...] = ()

    def value(self, column: str) -> int:
        return int(getattr(self, column))


def count(requests: Iterable[RequestRecord]) -> Counts:
    totals: dict[str, int] = dict.fromkeys(COLUMNS, 0)
    days: list[int] = []
    for request in requests:
        totals["requests"] += 1
        totals["suggested"] += request.suggested > 0 or bool(request.pairs)
        accepted = [p for p in request.pairs if p.status in ACCEPTED]
        totals["accepted"] += len(accepted)
        totals["met"] += sum(1 for p in accepted if any("met" in (c.mentee, c.mentor) for c in p.checkins))
        totals["ended"] += sum(1 for p in accepted if p.status == "ended")
        totals["thanks"] += sum(len(p.thanks) for p in request.pairs)
        answered = [p.answered_on for p in accepted if p.answered_on is not None]
        if answered:
            days.append((min(answered) - request.opened_on).days)
    return Counts(**totals, first_accept_days=tuple(days))


@dataclass
class Row:
    """One published row: each column a count or None (suppressed)."""

    key: str
    label: str
    cells: dict[str, Cell]
    median_days: float | None

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, **self.cells, MEDIAN_COLUMN: self.median_days}


def _median(counts: Counts) -> float | None:
    if len(counts.first_accept_days) < SMALL_CELL:
        return None
    return float(statistics.median(counts.first_accept_days))


def _rows(groups: list[tuple[str, str, Counts]], partition: bool) -> list[Row]:
    rows = [
        Row(key, label, {c: cell(counts.value(c)) for c in COLUMNS}, _median(counts))
        for key, label, counts in groups
    ]
    for row in rows:  # fewer than 11 requests: every figure of the row is about them
        if row.cells["requests"] is None:
            row.cells = dict.fromkeys(COLUMNS)
            row.median_days = None
    if partition:
        for column in COLUMNS:
            protected = protect_partition(
                [r.cells[column] for r in rows], [g[2].value(column) for g in groups]
            )
            for row, value in zip(rows, protected, strict=True):
                row.cells[column] = value
    return rows


@dataclass
class Table:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "rows": [r.as_dict() for r in self.rows]}


@dataclass
class Outcomes:
    """Every table of the outcomes page, and when the ledger was made."""

    generated_at: str
    source: str
    tables: list[Table]

    def as_dict(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at,
            "source": self.source,
            "small_cell": SMALL_CELL,
            "columns": {**COLUMNS, MEDIAN_COLUMN: "Median days to first accept"},
            "tables": [t.as_dict() for t in self.tables],
        }


def _grouped(
    requests: list[RequestRecord], keys: Callable[[RequestRecord], list[str]], order: list[str]
) -> list[tuple[str, list[RequestRecord]]]:
    by: dict[str, list[RequestRecord]] = {}
    for request in requests:
        for key in keys(request):
            by.setdefault(key, []).append(request)
    return [(k, by[k]) for k in order if k in by]


def outcomes(ledger: Ledger, vocab: Vocabulary) -> Outcomes:
    """The outcomes page's tables of ``ledger``, small cells suppressed."""
    requests = list(ledger.requests)
    total = Table("all", "All requests", _rows([("all", "All requests", count(requests))], partition=False))
    stage_order = [*vocab.ids("stages"), NOT_GIVEN]
    stages = _grouped(requests, lambda r: [r.stage or NOT_GIVEN], stage_order)
    by_stage = Table(
        "stage",
        "By the mentee's stage",
        _rows(
            [(k, "Not given" if k == NOT_GIVEN else vocab.label("stages", k), count(rs)) for k, rs in stages],
            partition=True,
        ),
    )
    needs = _grouped(requests, lambda r: list(dict.fromkeys(r.needs)), vocab.ids("areas"))
    by_need = Table(
        "need",
        "By need asked for (a request counts once for each of its needs)",
        _rows([(k, vocab.label("areas", k), count(rs)) for k, rs in needs], partition=False),
    )
    group_labels = {g: vocab.label("affinity_groups", g) for g in vocab.ids("affinity_groups")}
    groups = _grouped(
        requests,
        lambda r: list(dict.fromkeys(r.identity_groups)) or [NONE_ASKED],
        [*group_labels, NONE_ASKED],
    )
    by_group = Table(
        "identity-group",
        "By identity group asked for (a request counts once for each group)",
        _rows(
            [
                (k, "No identity asked for" if k == NONE_ASKED else group_labels[k], count(rs))
                for k, rs in groups
            ],
            partition=False,
        ),
    )
    return Outcomes(
        ledger.generated_at.date().isoformat(), ledger.source, [total, by_stage, by_need, by_group]
    )

"""The outcomes page's figures: counted right, small cells suppressed, rows not traceable."""

from __future__ import annotations

import datetime as dt

from generator.content.vocabulary import vocabulary
from generator.reports.outcomes import Outcomes, Row, outcomes
from generator.requests.ledger import CheckIn, Pair, RequestRecord, Thanks
from tests.support.ledgers import D, accepted, ledger, request


def many(
    count: int, stage: str, start: int, groups: list[str] | None = None, thanks: bool = False
) -> list[RequestRecord]:
    out = []
    for i in range(count):
        number = start + i
        met = [CheckIn(period="week-2", asked_on=D("2025-10-20"), mentee="met")]
        notes = [Thanks(on=D("2025-12-01"), text="Thank you.")] if thanks else []
        pairs = [
            accepted("ana-example", "2025-10-05", ended="2025-12-01", checkins=met, thanks=notes),
            Pair(
                mentor="ben-test", status="declined", offered_on=D("2025-10-01"), answered_on=D("2025-10-02")
            ),
        ]
        out.append(request(number, "2025-10-01", pairs, stage=stage, identity_groups=groups or []))
    return out


def table(result: Outcomes, key: str) -> dict[str, Row]:
    return {r.key: r for r in next(t for t in result.tables if t.key == key).rows}


def test_counts_are_right_and_small_cells_are_suppressed() -> None:
    data = ledger(
        many(30, "ms3", 1, ["race-ethnicity"], thanks=True) + many(12, "ms1", 100) + many(4, "premed", 200)
    )
    result = outcomes(data, vocabulary())
    everything = table(result, "all")["all"]
    assert everything.cells == {
        "requests": 46,
        "suggested": 46,
        "accepted": 46,
        "met": 46,
        "ended": 46,
        "thanks": 30,
    }
    assert everything.median_days == 4.0  # opened 1 October, accepted 5 October
    stages = table(result, "stage")
    assert stages["ms3"].cells["requests"] == 30
    # premed has 4 requests: the whole row is suppressed, and so is ms1 (the smallest other
    # row), or premed would be 46 - 30 - 12
    assert all(v is None for v in stages["premed"].cells.values())
    assert stages["premed"].median_days is None
    assert stages["ms1"].cells["requests"] is None
    assert stages["ms1"].cells["thanks"] is None  # 0 is "fewer than 11" too
    groups = table(result, "identity-group")
    assert groups["race-ethnicity"].cells["requests"] == 30
    assert groups["none-asked"].cells["requests"] == 16


def test_no_column_of_a_partition_has_exactly_one_hidden_cell() -> None:
    data = ledger(many(30, "ms3", 1) + many(25, "ms2", 100) + many(14, "ms1", 200) + many(3, "premed", 300))
    stages = next(t for t in outcomes(data, vocabulary()).tables if t.key == "stage")
    for column in stages.rows[0].cells:
        hidden = [r.key for r in stages.rows if r.cells[column] is None]
        assert len(hidden) != 1, (column, hidden)


def test_the_ledger_date_and_source_are_given() -> None:
    result = outcomes(ledger(many(11, "ms3", 1), generated="2026-02-01"), vocabulary())
    assert result.as_dict()["generated_at"] == "2026-02-01"
    assert result.as_dict()["small_cell"] == 11
    assert dt.date.fromisoformat(result.generated_at)

"""The minority-tax indicator on a fixture checked by hand, and the rules that keep private
affinities and private records out of it."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.content.freshness import FreshnessPolicy
from generator.content.models import Mentor, Program
from generator.content.vocabulary import vocabulary
from generator.matching.config import matching_config
from generator.reports.institution import Report, institution_reports
from tests.support.ledgers import ledger, loads, mentor


def program(pid: str) -> Program:
    return Program.model_validate(
        {
            "id": pid,
            "name": f"{pid.title()} Mentoring",
            "institution": f"{pid.title()} University",
            "profession": "md",
            "state": "IL",
            "website": f"https://{pid}.example.edu/",
            "maintainers": [f"{pid}-coord"],
            "description": "A fictional program.",
        }
    )


PROGRAMS = {"pine": program("pine"), "quay": program("quay")}
#: pine: a and b list a URiM identity publicly; d holds one only privately (not counted).
#: quay: e is URiM; f and g are not. g was confirmed long ago (stale on 2026-01-15).
MENTORS = {
    m.id: m
    for m in [
        mentor("a-pine", "pine", affinities=["black"]),
        mentor("b-pine", "pine", affinities=["hispanic-latino", "first-generation"]),
        mentor("c-pine", "pine", affinities=["first-generation"]),
        mentor("d-pine", "pine", private_affinities=["black"]),
        mentor("e-quay", "quay", affinities=["american-indian-alaska-native"]),
        mentor("f-quay", "quay"),
        mentor("g-quay", "quay", last_confirmed="2024-10-01", capacity=2),
    ]
}
LOAD = [("a-pine", 12), ("b-pine", 12), ("c-pine", 6), ("d-pine", 6), ("e-quay", 11), ("f-quay", 11)]


def reports(
    mentors: dict[str, Mentor] = MENTORS, load: list[tuple[str, int]] = LOAD
) -> tuple[Report, list[Report]]:
    return institution_reports(
        ledger(loads(load)),
        PROGRAMS,
        mentors,
        vocabulary(),
        matching_config().urim,
        dt.date(2026, 1, 15),
        FreshnessPolicy(),
    )


def test_the_indicator_is_right_on_a_hand_checked_fixture() -> None:
    network, (pine, quay) = reports()
    year = pine.years[0]
    assert year.year.label == "2025-26"
    # pine: URiM a, b carry 24 of 36 mentees; they are 2 of its 4 mentors (d's identity is private)
    assert (year.urim_load, year.other_load) == (24, 12)
    assert year.urim_pool_share == pytest.approx(2 / 4)
    assert year.urim_load_share == pytest.approx(24 / 36)
    assert year.indicator == pytest.approx((24 / 36) / (2 / 4))  # 1.333
    # quay: e carries 11 of 22; 1 of 3 mentors
    assert quay.years[0].indicator == pytest.approx((11 / 22) / (1 / 3))  # 1.5
    # the network: a, b, e are 3 of 7 mentors and carry 35 of 58 mentees
    whole = network.years[0]
    assert (whole.urim_load, whole.other_load) == (35, 23)
    assert whole.indicator == pytest.approx((35 / 58) / (3 / 7))  # 1.408
    assert network.as_dict()["years"][0]["minority_tax"]["indicator"] == 1.408


def test_a_private_affinity_never_counts_and_cannot_be_inferred() -> None:
    """Moving d's URiM identity from private to nothing changes no published figure."""
    _, (pine, _) = reports()
    without = dict(MENTORS)
    without["d-pine"] = mentor("d-pine", "pine")
    _, (pine_without, _) = reports(without)
    assert pine.as_dict() == pine_without.as_dict()
    assert pine.roster.urim_mentors == 2


def test_the_roster_counts_accepting_stale_and_pledged_places() -> None:
    network, (_, quay) = reports()
    assert quay.roster.as_dict() == {
        "mentors": 3,
        "accepting": 3,
        "stale": 1,
        "urim_mentors": 1,
        "pledged_places": 8,
        "places_in_use": 22,
    }
    assert network.roster.stale == 1


def test_a_group_load_under_11_hides_both_groups() -> None:
    _, (pine, _) = reports(
        load=[("a-pine", 5), ("b-pine", 5), ("c-pine", 20), ("e-quay", 11), ("f-quay", 11)]
    )
    year = pine.years[0]
    assert (year.urim_load, year.other_load, year.indicator) == (None, None, None)
    assert year.mentees_mentored == 30


def test_a_private_record_is_never_the_difference_between_a_load_and_the_public_records() -> None:
    """c's load (6) would be the group's 36 minus a and b's public records: the groups are hidden."""
    public = dict(MENTORS)
    for mid in ("a-pine", "b-pine", "d-pine"):
        m = MENTORS[mid]
        public[mid] = m.model_copy(update={"recognition": "public"})
    _, (pine, _) = reports(public)
    year = pine.years[0]
    assert year.other_load is None and year.urim_load is None
    assert year.mentees_mentored is None  # 36 - 30 public = 6, c's alone


def test_a_figure_hidden_in_one_program_only_is_hidden_in_a_second() -> None:
    """The network's total is published, so one hidden program would be the total minus the rest."""
    network, (pine, quay) = reports(
        load=[("a-pine", 12), ("b-pine", 12), ("c-pine", 12), ("e-quay", 3), ("f-quay", 4)]
    )
    assert quay.years[0].mentees_mentored is None
    assert pine.years[0].mentees_mentored is None  # hidden with it
    assert network.years[0].mentees_mentored == 43


def test_the_csv_rows_match_the_json() -> None:
    network, _ = reports()
    rows = network.csv_rows()
    indicator = next(r for r in rows if r[2] == "minority_tax" and r[3] == "indicator")
    assert indicator == ["network", "2025-26", "minority_tax", "indicator", "1.408"]

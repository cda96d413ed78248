"""A mentor's record counts the right things in the right academic year."""

from __future__ import annotations

import hashlib
import json

from generator.content.vocabulary import vocabulary
from generator.reports.recognition import mentor_years, recognition_record
from generator.reports.years import AcademicYear
from generator.requests.ledger import CheckIn, Ledger, Thanks
from tests.support.ledgers import D, accepted, ledger, mentor, request

SITE = "https://site.invalid/directory"
X = mentor("xochitl-sample", "lakeshore-som", recognition="public")


def two_years() -> Ledger:
    return ledger(
        [
            # 2024-25: a team of two (x and another mentor), ended in March with a thank-you
            request(
                1,
                "2024-10-01",
                [
                    accepted(
                        "xochitl-sample",
                        "2024-10-05",
                        ended="2025-03-01",
                        covers=["residency-application"],
                        checkins=[
                            CheckIn(period="week-2", asked_on=D("2024-10-19"), mentee="met", mentor="met"),
                            CheckIn(period="week-4", asked_on=D("2024-11-02"), mentee="met", mentor=None),
                        ],
                        thanks=[Thanks(on=D("2025-03-01"), text="Thank you for every draft.")],
                    ),
                    accepted("other-sample", "2024-10-06"),
                ],
                stage="ms4",
            ),
            # spans the two years: May 2025 to August 2025
            request(
                2,
                "2025-04-28",
                [
                    accepted(
                        "xochitl-sample",
                        "2025-05-01",
                        ended="2025-08-15",
                        covers=["wellness"],
                        checkins=[CheckIn(period="month-2", asked_on=D("2025-07-01"), mentor="met")],
                    )
                ],
                stage="ms2",
                needs=["wellness"],
            ),
            # 2025-26: still running on the ledger's date
            request(3, "2025-09-28", [accepted("xochitl-sample", "2025-10-01")], stage="premed"),
            # a place x declined is not mentoring
            request(
                4,
                "2025-11-01",
                [accepted("other-sample", "2025-11-02")],
            ),
        ],
        generated="2026-01-15",
    )


def test_a_mentor_with_two_years_of_pairs_gets_the_right_counts_per_year() -> None:
    data, vocab = two_years(), vocabulary()
    assert [y.label for y in mentor_years(data, "xochitl-sample")] == ["2025-26", "2024-25"]
    first = recognition_record(data, X, None, AcademicYear.parse("2024-25"), vocab, SITE).content
    assert first["mentees_mentored"] == 2
    assert first["teams_served_on"] == 1  # request 1 had two accepted mentors
    assert first["checkins_answered"] == 1  # week-2 answered; week-4 not; month-2 is in 2025-26
    # Oct, Nov, Dec, Jan, Feb, Mar (request 1) and May, Jun (request 2)
    assert first["months_active"] == 8
    assert first["stages"] == [vocab.label("stages", "ms2"), vocab.label("stages", "ms4")]
    assert first["areas_covered"] == [
        vocab.label("areas", a) for a in vocab.ids("areas") if a in {"residency-application", "wellness"}
    ]
    assert first["thanks"] == [{"month": "March 2025", "text": "Thank you for every draft."}]
    assert first["complete"] is True
    second = recognition_record(data, X, None, AcademicYear.parse("2025-26"), vocab, SITE).content
    assert second["mentees_mentored"] == 2  # request 2 (Jul-Aug) and request 3
    assert second["teams_served_on"] == 0
    assert second["checkins_answered"] == 1
    assert second["months_active"] == 6  # Jul, Aug, Oct, Nov, Dec, Jan
    assert second["thanks"] == []
    assert second["complete"] is False
    assert second["period"] == {"from": "2025-07-01", "to": "2026-01-15"}
    assert second["url"] == SITE + "/mentors/xochitl-sample/record/2025-26/"


def test_the_record_names_no_mentee_and_its_checksum_is_that_of_its_json() -> None:
    record = recognition_record(two_years(), X, None, AcademicYear.parse("2024-25"), vocabulary(), SITE)
    text = record.json_bytes.decode()
    assert json.loads(text) == record.content
    assert record.checksum == "sha256:" + hashlib.sha256(record.json_bytes).hexdigest()
    assert "number" not in text and '"1"' not in text  # no request number, no login
    # the same inputs give the same bytes (a committee's checksum stays valid)
    again = recognition_record(two_years(), X, None, AcademicYear.parse("2024-25"), vocabulary(), SITE)
    assert again.checksum == record.checksum


def test_a_year_without_mentoring_is_all_zeros() -> None:
    record = recognition_record(two_years(), X, None, AcademicYear.parse("2022-23"), vocabulary(), SITE)
    assert (record.mentees, record.content["months_active"], record.content["thanks"]) == (0, 0, [])

"""Academic years run July to June and are written 2025-26."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.reports.years import AcademicYear, YearError


def test_july_starts_a_year_and_june_ends_it() -> None:
    assert AcademicYear.of(dt.date(2025, 7, 1)).label == "2025-26"
    assert AcademicYear.of(dt.date(2025, 6, 30)).label == "2024-25"
    year = AcademicYear.parse("2025-26")
    assert (year.first, year.last) == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert AcademicYear.parse("1999-00").last == dt.date(2000, 6, 30)


@pytest.mark.parametrize("text", ["2025", "2025-2026", "2025-27", "25-26", "2025/26"])
def test_a_year_not_written_as_2025_26_is_refused_with_the_fix(text: str) -> None:
    with pytest.raises(YearError, match="write it as 2025-26"):
        AcademicYear.parse(text)

"""Academic years, July to June, written ``2025-26``; and when a pair was active."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator.requests.ledger import Ledger, Pair, RequestRecord

#: An accepted place: the mentor's answer started it; it ends with ended_on, or when its
#: request closed, or (still running) on the ledger's date.
ACCEPTED = frozenset({"accepted", "ended"})


class YearError(ValueError):
    """An academic year not written as 2025-26."""


@dataclass(frozen=True, order=True)
class AcademicYear:
    """The academic year that starts on 1 July of ``start``."""

    start: int

    @classmethod
    def parse(cls, text: str) -> AcademicYear:
        match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
        if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            raise YearError(
                f"'{text}' is not an academic year: write it as 2025-26 (July 2025 to June 2026)."
            )
        return cls(int(match.group(1)))

    @classmethod
    def of(cls, day: dt.date) -> AcademicYear:
        return cls(day.year if day.month >= 7 else day.year - 1)

    @property
    def first(self) -> dt.date:
        return dt.date(self.start, 7, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.start + 1, 6, 30)

    @property
    def label(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label


def pair_span(request: RequestRecord, pair: Pair, ledger_day: dt.date) -> tuple[dt.date, dt.date] | None:
    """The days an accepted pair was active (first, last), or None for a place never accepted."""
    if pair.status not in ACCEPTED or pair.answered_on is None:
        return None
    end = pair.ended_on or request.closed_on or ledger_day
    return pair.answered_on, max(end, pair.answered_on)


def active_in(span: tuple[dt.date, dt.date] | None, year: AcademicYear) -> bool:
    return span is not None and span[0] <= year.last and span[1] >= year.first


def ledger_years(ledger: Ledger) -> list[AcademicYear]:
    """Every academic year in which some pair was active, newest first."""
    day = ledger.generated_at.date()
    years: set[AcademicYear] = set()
    for request in ledger.requests:
        for pair in request.pairs:
            span = pair_span(request, pair, day)
            if span is not None:
                years.update(
                    AcademicYear(y)
                    for y in range(AcademicYear.of(span[0]).start, AcademicYear.of(span[1]).start + 1)
                )
    return sorted(years, reverse=True)

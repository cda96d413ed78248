"""A mentor's recognition record for one academic year (July–June), from the ledger.

What it holds: mentees mentored (accepted places active in the year), the stages they were at
and the areas of need the mentor was placed for (distinct lists, never a mentee's name, login
or identity, and no count per stage), teams served on (requests where the mentor was one of
two or more accepted mentors), check-ins the mentor answered, months with at least one active
pair, and the thank-you notes mentees chose to make public with ``/thanks``.

The record's *content* is canonical JSON (:func:`record_json`: sorted keys, no spaces); its
checksum is the SHA-256 of those bytes. The site publishes them at
``mentors/<id>/record/<year>.json`` for mentors with ``recognition: public``, so a committee
holding a printed record can fetch that file and compare (docs/recognition.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.content.freshness import month_label
from generator.content.models import Mentor, Program
from generator.content.vocabulary import Vocabulary
from generator.reports.years import ACCEPTED, AcademicYear, active_in, pair_span
from generator.requests.ledger import Ledger

RECORD_VERSION = 1


class RecognitionError(ValueError):
    """No such mentor, or nothing to record for that year."""


@dataclass(frozen=True)
class RecognitionRecord:
    """One mentor's record for one academic year; :attr:`content` is what the checksum covers."""

    mentor_id: str
    year: AcademicYear
    content: dict[str, Any]

    @property
    def json_bytes(self) -> bytes:
        return record_json(self.content)

    @property
    def checksum(self) -> str:
        return "sha256:" + hashlib.sha256(self.json_bytes).hexdigest()

    @property
    def mentees(self) -> int:
        return int(self.content["mentees_mentored"])


def record_json(content: Mapping[str, Any]) -> bytes:
    """The canonical bytes of a record: the file the site publishes and the checksum covers."""
    return (json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def record_path(mentor_id: str, year: AcademicYear) -> str:
    """The record page's path in the site (its JSON is the same path with ``.json``)."""
    return f"mentors/{mentor_id}/record/{year.label}/"


def recognition_record(
    ledger: Ledger,
    mentor: Mentor,
    program: Program | None,
    year: AcademicYear,
    vocab: Vocabulary,
    site_url: str,
) -> RecognitionRecord:
    """The record of ``mentor`` in ``year`` (zeros when the ledger has nothing for them)."""
    ledger_day = ledger.generated_at.date()
    stages: set[str] = set()
    areas: set[str] = set()
    mentees = teams = checkins = 0
    months: set[tuple[int, int]] = set()
    thanks: list[tuple[dt.date, str]] = []
    for request in ledger.requests:
        for pair in request.pairs:
            if pair.mentor != mentor.id:
                continue
            thanks += [(t.on, t.text) for t in pair.thanks if year.first <= t.on <= year.last]
            span = pair_span(request, pair, ledger_day)
            if not active_in(span, year):
                continue
            assert span is not None
            mentees += 1
            accepted = sum(1 for p in request.pairs if p.status in ACCEPTED)
            teams += accepted >= 2
            if request.stage:
                stages.add(request.stage)
            areas.update(pair.covers)
            checkins += sum(
                1 for c in pair.checkins if c.mentor is not None and year.first <= c.asked_on <= year.last
            )
            day = max(span[0], year.first)
            end = min(span[1], year.last)
            while day <= end:
                months.add((day.year, day.month))
                day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    stage_ids, area_ids = vocab.ids("stages"), vocab.ids("areas")
    base = site_url.rstrip("/") + "/"
    content: dict[str, Any] = {
        "version": RECORD_VERSION,
        "mentor": {"id": mentor.id, "name": mentor.name, "title": mentor.title},
        "program": (
            {"id": program.id, "name": program.name, "institution": program.institution} if program else None
        ),
        "academic_year": year.label,
        "period": {"from": year.first.isoformat(), "to": min(year.last, ledger_day).isoformat()},
        "complete": ledger_day > year.last,
        "mentees_mentored": mentees,
        "stages": [vocab.label("stages", s) for s in stage_ids if s in stages],
        "areas_covered": [vocab.label("areas", a) for a in area_ids if a in areas],
        "teams_served_on": teams,
        "checkins_answered": checkins,
        "months_active": len(months),
        "thanks": [{"month": month_label(on), "text": text} for on, text in sorted(thanks)],
        "ledger": {"generated_at": ledger.generated_at.isoformat(), "source": ledger.source},
        "url": base + record_path(mentor.id, year),
    }
    return RecognitionRecord(mentor.id, year, content)


def mentor_years(ledger: Ledger, mentor_id: str) -> list[AcademicYear]:
    """The academic years in which ``mentor_id`` had an active pair or a thank-you, newest first."""
    ledger_day = ledger.generated_at.date()
    years: set[AcademicYear] = set()
    for request in ledger.requests:
        for pair in request.pairs:
            if pair.mentor != mentor_id:
                continue
            years.update(AcademicYear.of(t.on) for t in pair.thanks)
            span = pair_span(request, pair, ledger_day)
            if span is not None:
                years.update(
                    AcademicYear(y)
                    for y in range(AcademicYear.of(span[0]).start, AcademicYear.of(span[1]).start + 1)
                )
    return sorted(years, reverse=True)

"""Small hand-made request ledgers and mentor files for the tests of the pages built from a
ledger (all fictional)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from generator.content.models import Mentor
from generator.requests.ledger import CheckIn, Ledger, Pair, RequestRecord, Thanks

D = dt.date.fromisoformat


def mentor(
    mentor_id: str,
    program: str,
    *,
    affinities: Sequence[str] = (),
    private_affinities: Sequence[str] = (),
    recognition: str = "private",
    last_confirmed: str = "2025-09-01",
    capacity: int = 3,
    github: str | None = None,
) -> Mentor:
    data: dict[str, Any] = {
        "id": mentor_id,
        "name": f"Sample {mentor_id.title().replace('-', ' ')}",
        "program": program,
        "profession": "md",
        "stage": "early-faculty",
        "areas": ["residency-application", "wellness"],
        "affinities": list(affinities),
        "private_affinities": list(private_affinities),
        "languages": ["en"],
        "meeting": ["virtual"],
        "capacity": capacity,
        "accepting": True,
        "recognition": recognition,
        "last_confirmed": D(last_confirmed),
    }
    if github:
        data["contact"] = {"github": github}
    return Mentor.model_validate(data)


def accepted(
    mentor_id: str,
    answered: str,
    *,
    ended: str | None = None,
    covers: Iterable[str] = ("residency-application",),
    checkins: Iterable[CheckIn] = (),
    thanks: Iterable[Thanks] = (),
) -> Pair:
    return Pair(
        mentor=mentor_id,
        status="ended" if ended else "accepted",
        offered_on=D(answered) - dt.timedelta(days=1),
        answered_on=D(answered),
        ended_on=D(ended) if ended else None,
        covers=list(covers),
        checkins=list(checkins),
        thanks=list(thanks),
    )


def request(number: int, opened: str, pairs: Iterable[Pair], **fields: Any) -> RequestRecord:
    pairs = list(pairs)
    data: dict[str, Any] = {
        "number": number,
        "opened_on": D(opened),
        "phase": "matched",
        "stage": "ms3",
        "needs": ["residency-application"],
        "suggested": len(pairs),
        "pairs": pairs,
    }
    data.update(fields)
    return RequestRecord.model_validate(data)


def ledger(requests: Iterable[RequestRecord], generated: str = "2026-01-15") -> Ledger:
    return Ledger(
        generated_at=dt.datetime.fromisoformat(generated + "T06:00:00+00:00"),
        source="fixture",
        requests=list(requests),
    )


def loads(
    assignments: Iterable[tuple[str, int]], opened: str = "2025-09-01", start: int = 1
) -> list[RequestRecord]:
    """One request with one accepted place per unit of load: (mentor id, how many)."""
    out: list[RequestRecord] = []
    number = start
    for mentor_id, count in assignments:
        for _ in range(count):
            out.append(request(number, opened, [accepted(mentor_id, opened)]))
            number += 1
    return out

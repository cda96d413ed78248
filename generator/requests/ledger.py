"""The request ledger: what became of every request, derived from the request issues.

One shared shape between the bot (which derives it from the issues and its own state
comments: ``generator.bot``), and the pages and records built from it (the outcomes page,
institution reports and mentors' recognition records: ``generator.site`` and friends). The
request issues stay the source of truth; a ledger is a snapshot of them, rebuilt from them at
any time, and never read back into the issues.

Privacy: a ledger names mentors (by id: their place and their thanks are theirs to show or
not, see ``recognition`` in the mentor file) but never a mentee — no login, no name, no text
they wrote except the thank-you notes they chose to make public with ``/thanks``. The identities
a mentee asked for are kept only as their *group* (``race-ethnicity``, ``background``…, the
``affinity_groups`` of the vocabulary), which is what the outcomes page counts, and every
published figure is aggregated with cells under :data:`SMALL_CELL` suppressed.

Loading is strict (unknown fields, wrong shapes and duplicate request numbers are refused
with :class:`LedgerError`), because the deploy workflow reads a ledger written by another job.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.content.models import ID_PATTERN
from generator.core.files import write_atomically

LEDGER_VERSION: Literal[1] = 1
#: Published figures about people: a count under this is shown as "fewer than 11".
SMALL_CELL = 11

MentorId = Annotated[str, Field(pattern=ID_PATTERN, max_length=100)]
Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
#: What became of one place offered to a mentor.
#: offered: waiting for the mentor's answer; accepted: the pair is on; declined: the mentor said
#: no; expired: no answer in time, the place was re-offered (never shown per mentor in public);
#: released: the mentee replaced the mentor (`/rematch`) or withdrew before an answer;
#: ended: an accepted pair finished (`/done`, or the request closed after acceptance).
PairStatus = Literal["offered", "accepted", "declined", "expired", "released", "ended"]
CheckInAnswer = Literal["met", "not-yet", "need-help"]
Health = Literal["on-track", "needs-check-in", "too-early"]
RequestPhase = Literal["needs-info", "matched", "no-match", "withdrawn", "closed"]


class LedgerError(ValueError):
    """A ledger file that cannot be read (missing, not JSON, wrong shape)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckIn(_Model):
    """One check-in period of an accepted pair and the two answers to it (None: not answered)."""

    period: Annotated[str, Field(pattern=r"^(week-[0-9]+|month-[0-9]+)$")]
    asked_on: date
    mentee: CheckInAnswer | None = None
    mentor: CheckInAnswer | None = None


class Thanks(_Model):
    """A public thank-you a mentee wrote to one mentor with `/thanks` (sanitised plain text)."""

    on: date
    text: Annotated[str, Field(max_length=500)]


class Pair(_Model):
    """One mentor offered a place on one request, and what became of it."""

    mentor: MentorId
    status: PairStatus
    offered_on: date
    answered_on: date | None = None
    ended_on: date | None = None
    #: The areas of need (vocabulary codes) this mentor was placed for.
    covers: Annotated[list[Code], Field(max_length=10)] = []
    checkins: Annotated[list[CheckIn], Field(max_length=60)] = []
    health: Health | None = None
    thanks: Annotated[list[Thanks], Field(max_length=20)] = []


class RequestRecord(_Model):
    """One request issue, without its mentee."""

    number: Annotated[int, Field(ge=1)]
    opened_on: date
    closed_on: date | None = None
    phase: RequestPhase
    stage: Code | None = None
    needs: Annotated[list[Code], Field(max_length=10)] = []
    #: The groups (``affinity_groups``) of the identities asked for, never the identities.
    identity_groups: Annotated[list[Code], Field(max_length=10)] = []
    #: Filed by a program coordinator for a mentee without a GitHub account.
    on_behalf: bool = False
    #: How many mentors the bot suggested in all (first team and re-offers).
    suggested: Annotated[int, Field(ge=0)] = 0
    pairs: Annotated[list[Pair], Field(max_length=40)] = []


class Ledger(_Model):
    """Every request of a network as of `generated_at`."""

    version: Literal[1] = LEDGER_VERSION
    generated_at: datetime
    #: Where it was read from: ``github:owner/name``, or ``fixture`` for local builds.
    source: Annotated[str, Field(max_length=200)]
    requests: list[RequestRecord] = []


def load_ledger(path: Path) -> Ledger:
    """The ledger in a JSON file; LedgerError names the file and what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LedgerError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise LedgerError(f"{path}: not a JSON file ({exc.__class__.__name__})") from None
    try:
        ledger = Ledger.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LedgerError(
            f"{path}: {exc.error_count()} problem(s), first at {where}: {first['msg']}"
        ) from None
    numbers = [r.number for r in ledger.requests]
    if len(set(numbers)) != len(numbers):
        raise LedgerError(f"{path}: a request number appears twice")
    return ledger


def dump_ledger(ledger: Ledger, path: Path) -> None:
    """Write the ledger whole or not at all (a temporary file renamed over the old one)."""
    text = json.dumps(ledger.model_dump(mode="json"), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomically(path, text)

"""The snapshot of request states and loads carried from one scheduled run to the next.

So that a scheduled run does not read every request issue's comments to count the mentors'
load and to find what is due, it carries, per request issue: when GitHub last saw it change
(`updated_at`), whether it is open, and the bot's state as its main comment holds it (no
mentee identity: the state has none). The scheduled workflow keeps it as an Actions artifact
(`bot-snapshot`, docs/bot-runbook.md) and gives it to the next run as a file.

The issues stay the source of truth: an issue whose `updated_at` differs from the snapshot's
is read again; a snapshot that is missing, unreadable, of another version, made for another
repository or older than ``snapshot_max_age_days`` is rebuilt from the issues (a few hundred
issues per run, see ``rebuild_issues_per_run``; the bot writes nothing until it is complete,
so no team is made from a partial load count). Loading is strict (pydantic, bounded): a file
that is not exactly a snapshot is not used, and is rebuilt.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.bot.state import BotState
from generator.core.files import write_atomically

log = logging.getLogger(__name__)

SNAPSHOT_VERSION: Literal[1] = 1
#: The largest snapshot file read (bytes).
MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024


class SnapshotError(ValueError):
    """A snapshot file that cannot be used (it is rebuilt from the issues)."""


class Entry(BaseModel):
    """One request issue as the last run left it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    updated_at: datetime
    open: bool
    #: The bot's state; None before the bot's first comment, or when it cannot be read (`held`).
    state: BotState | None = None
    held: bool = False


class Snapshot(BaseModel):
    """Every request issue the scheduled run knows, as of `made_at`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = SNAPSHOT_VERSION
    repository: Annotated[str, Field(max_length=140)]
    made_at: datetime
    #: True once every request issue (open or closed) was read since the last rebuild began.
    complete: bool = False
    issues: dict[int, Entry] = {}

    def loads(self, *, exclude: int | None = None) -> dict[str, int]:
        """Mentees per mentor: the accepted places on every request issue but EXCLUDE."""
        counts: dict[str, int] = {}
        for number, entry in self.issues.items():
            if number == exclude or entry.state is None:
                continue
            for mentor in entry.state.accepted_places():
                counts[mentor] = counts.get(mentor, 0) + 1
        return counts


def load_snapshot(path: Path) -> Snapshot:
    """The snapshot in PATH; SnapshotError says why it cannot be used."""
    try:
        if path.stat().st_size > MAX_SNAPSHOT_BYTES:
            raise SnapshotError(f"{path}: larger than {MAX_SNAPSHOT_BYTES} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SnapshotError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SnapshotError(f"{path}: not a JSON file ({type(exc).__name__})") from None
    try:
        return Snapshot.model_validate(data)
    except ValidationError as exc:
        raise SnapshotError(f"{path}: not a snapshot ({exc.error_count()} problem(s))") from None


def usable(snapshot: Snapshot | None, repository: str, now: datetime, max_age_days: int) -> str | None:
    """Why SNAPSHOT must be rebuilt (None: it can be used)."""
    if snapshot is None:
        return "there is none"
    if snapshot.repository.lower() != repository.lower():
        return f"it was made for {snapshot.repository}"
    if now - snapshot.made_at > timedelta(days=max_age_days):
        return f"it is older than {max_age_days} days"
    if snapshot.made_at > now + timedelta(hours=1):
        return "it was made in the future"
    return None


def dump_snapshot(snapshot: Snapshot, path: Path) -> None:
    """Write the snapshot whole or not at all."""
    text = json.dumps(snapshot.model_dump(mode="json"), separators=(",", ":"), sort_keys=True)
    write_atomically(path, text + "\n")


def with_entries(snapshot: Snapshot, entries: Mapping[int, Entry], **changes: object) -> Snapshot:
    return snapshot.model_copy(update={"issues": dict(sorted(entries.items())), **changes})

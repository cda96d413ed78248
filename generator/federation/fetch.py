"""``mentormemed federation fetch``: every peer's export into its snapshot, one peer at a time.

For each peer listed in ``federation.yml``: download (:mod:`.download`), check
(:mod:`.peer_export`), compare with the committed snapshot (:mod:`.changes`) and write the new
snapshot atomically (:mod:`.snapshots`). A peer that fails in any way (unreachable, slow, too
big, not JSON, another major version, a value that breaks the rules) keeps its last good
snapshot, and the outcome says why; a peer whose export lists fewer than half the mentors of the
committed snapshot is written to ``federation/held/`` for a maintainer to accept
(``mentormemed federation accept``), and its committed snapshot stays. A snapshot of a peer no
longer listed is removed. One peer's failure never stops the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from generator.content.peers import Federation, Peer
from generator.content.vocabulary import Vocabulary, vocabulary
from generator.federation.changes import LISTED_IDS, Changes, compare, shrinks_too_much
from generator.federation.download import Limits, download
from generator.federation.errors import DownloadError, ExportRefused, FederationError, SnapshotError
from generator.federation.peer_export import read_export
from generator.federation.snapshots import (
    Snapshot,
    held_path,
    read_snapshot,
    snapshot_path,
    write_snapshot,
)

log = logging.getLogger(__name__)


class Status(Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    HELD = "held for review"
    FAILED = "failed"
    REMOVED = "removed"


@dataclass(frozen=True)
class PeerOutcome:
    """What happened to one peer's snapshot, and why."""

    peer: str
    name: str
    status: Status
    message: str = ""
    details: list[str] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    mentors: int = 0
    kept_as_of: dt.date | None = None
    #: for a failure: what went wrong, in fixed words (the message may quote the peer's server)
    reason: str = ""

    @property
    def failed(self) -> bool:
        return self.status is Status.FAILED


@dataclass(frozen=True)
class FetchOptions:
    limits: Limits = field(default_factory=Limits)
    allow_loopback_http: bool = False
    #: peer id → an address to fetch instead of its directory_url (a mirror, a local test server)
    sources: Mapping[str, str] = field(default_factory=dict)
    today: dt.date | None = None


def _previous(folder: Path, peer: Peer, vocab: Vocabulary) -> tuple[Snapshot | None, str]:
    path = snapshot_path(folder, peer.id)
    if not path.exists() and not path.is_symlink():
        return None, ""
    try:
        return read_snapshot(path, peer, vocab), ""
    except SnapshotError as exc:
        return None, exc.message


def fetch_peer(folder: Path, peer: Peer, options: FetchOptions, vocab: Vocabulary) -> PeerOutcome:
    """Fetch one peer; never raises for anything the peer or its server does."""
    previous, unreadable = _previous(folder, peer, vocab)
    kept = previous.as_of if previous else None
    url = options.sources.get(peer.id, peer.directory_url)
    try:
        raw = download(peer.id, url, options.limits, allow_loopback_http=options.allow_loopback_http)
        export = read_export(raw, peer, vocab)
    except FederationError as exc:
        details = exc.details if isinstance(exc, ExportRefused) else []
        keep = (
            f"the snapshot of {kept.isoformat()} stays in place."
            if kept
            else "there is no previous snapshot, so the peer is not in the directory yet."
        )
        return PeerOutcome(
            peer.id,
            peer.name,
            Status.FAILED,
            f"{exc.message} Nothing was changed: {keep}",
            details,
            kept_as_of=kept,
            reason="the export could not be downloaded"
            if isinstance(exc, DownloadError)
            else "the export was refused",
        )
    snapshot = Snapshot(
        peer=peer.id,
        as_of=options.today or dt.date.today(),
        source=url,
        sha256=hashlib.sha256(raw).hexdigest(),
        export=export,
    )
    old = previous.export if previous else None
    changes = compare(old, export)
    if shrinks_too_much(old, export):
        assert previous is not None
        write_snapshot(held_path(folder, peer.id), snapshot)
        return PeerOutcome(
            peer.id,
            peer.name,
            Status.HELD,
            f"the export lists {len(export.mentors)} mentor(s), fewer than half of the "
            f"{len(previous.export.mentors)} in the snapshot of {previous.as_of.isoformat()}, which "
            f"stays in place. The new export is held in {held_path(folder, peer.id)}: check with the "
            f"peer's maintainers, then `mentormemed federation accept {peer.id}` to use it.",
            changes=changes,
            mentors=len(export.mentors),
            kept_as_of=previous.as_of,
        )
    write_snapshot(snapshot_path(folder, peer.id), snapshot)
    held_path(folder, peer.id).unlink(missing_ok=True)
    if previous is None:
        status = Status.NEW
        message = f"first snapshot ({unreadable} It was replaced.)" if unreadable else "first snapshot"
    else:
        status = Status.UPDATED if changes.any else Status.UNCHANGED
        message = ""
    return PeerOutcome(peer.id, peer.name, status, message, changes=changes, mentors=len(export.mentors))


def fetch_all(
    federation: Federation,
    folder: Path,
    options: FetchOptions = FetchOptions(),
    *,
    only: Sequence[str] = (),
    vocab: Vocabulary | None = None,
) -> list[PeerOutcome]:
    """Fetch every peer (or those in ``only``); remove the snapshots of peers no longer listed
    (unless ``only`` is given)."""
    vocab = vocab or vocabulary()
    unknown = sorted(set(only) - {p.id for p in federation.peers})
    if unknown:
        raise FederationError(", ".join(unknown), "not a peer of federation.yml.")
    outcomes: list[PeerOutcome] = []
    for peer in federation.peers:
        if only and peer.id not in only:
            continue
        outcome = fetch_peer(folder, peer, options, vocab)
        log.info("%s: %s %s", peer.id, outcome.status.value, outcome.message)
        outcomes.append(outcome)
    if not only and folder.is_dir():
        listed = {p.id for p in federation.peers}
        for path in sorted(folder.glob("*.json")) + sorted((folder / "held").glob("*.json")):
            if path.stem not in listed:
                path.unlink()
                if path.parent == folder:
                    outcomes.append(
                        PeerOutcome(path.stem, path.stem, Status.REMOVED, "no longer in federation.yml")
                    )
    return outcomes


def accept_held(folder: Path, peer: Peer, vocab: Vocabulary | None = None) -> Snapshot:
    """Make the held snapshot of ``peer`` its snapshot (after checking it again)."""
    held = held_path(folder, peer.id)
    if not held.exists():
        raise SnapshotError(peer.id, f"no snapshot is held for review ({held} does not exist).")
    snapshot = read_snapshot(held, peer, vocab)
    write_snapshot(snapshot_path(folder, peer.id), snapshot)
    held.unlink()
    return snapshot


def _ids(title: str, ids: list[str]) -> list[str]:
    if not ids:
        return []
    shown = ", ".join(f"`{i}`" for i in ids[:LISTED_IDS])
    more = f" and {len(ids) - LISTED_IDS} more" if len(ids) > LISTED_IDS else ""
    return [f"  - {title}: {shown}{more}"]


def summary_markdown(outcomes: Sequence[PeerOutcome]) -> str:
    """The pull request's description: one entry per peer, with what changed or why it failed.

    It quotes no value from a peer's export (only the ids, which are checked to be ids, and
    counts): an export's text could mention people or hold links."""
    lines = ["## Federation snapshots", ""]
    if not outcomes:
        lines.append("No peers are listed in content/federation.yml.")
    for o in outcomes:
        head = f"- **{o.name}** (`{o.peer}`): {o.status.value}"
        if o.status in {Status.NEW, Status.UPDATED, Status.UNCHANGED, Status.HELD}:
            head += f", {o.mentors} mentor(s); {o.changes.counts()}"
        lines.append(head)
        if o.status is Status.FAILED:
            kept = (
                f"the snapshot of {o.kept_as_of.isoformat()} is kept" if o.kept_as_of else "no snapshot yet"
            )
            lines.append(f"  - {o.reason}; {kept} (the workflow's log says why).")
        elif o.status is Status.HELD:
            lines.append(
                f"  - fewer than half the mentors of the snapshot of {o.kept_as_of}, which is kept; the new "
                f"export waits in `federation/held/{o.peer}.json`: `mentormemed federation accept {o.peer}`."
            )
        if o.status is not Status.FAILED:
            lines += _ids("added", o.changes.added)
            lines += _ids("removed", o.changes.removed)
            lines += _ids("changed", o.changes.changed)
    lines += [
        "",
        "Review each peer's changes before merging: the build publishes exactly these snapshots.",
        "Probable duplicates with local mentors: `mentormemed federation duplicates`.",
    ]
    return "\n".join(lines) + "\n"


def summary_text(outcomes: Sequence[PeerOutcome]) -> str:
    """The same for a terminal, with every problem of a refused export."""
    lines: list[str] = []
    for o in outcomes:
        line = f"{o.peer}: {o.status.value}"
        if o.status in {Status.NEW, Status.UPDATED, Status.UNCHANGED, Status.HELD}:
            line += f" ({o.mentors} mentors; {o.changes.counts()})"
        if o.message:
            line += f": {o.message}"
        lines.append(line)
        lines += [f"  - {d}" for d in o.details]
    return "\n".join(lines)

"""The committed snapshots of peers' exports: ``federation/<peer>.json``.

A snapshot is what a build reads of a peer (offline, reproducible): the checked export, the
day it was fetched (``as_of``, shown on every one of its mentors), the address it came from
and the SHA-256 of the bytes downloaded. It is written one program and one mentor per line, so
a pull request's diff shows which mentors changed. A snapshot held for review (it shrank by
more than half) waits in ``federation/held/<peer>.json`` until a maintainer accepts it.

Snapshots are written atomically (a temporary file in the same folder, then a rename): a run cut
short leaves the previous snapshot whole. Reading one checks it again with the rules of
:mod:`generator.federation.peer_export`, since a pull request could have edited it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content.export import DirectoryExport
from generator.content.peers import Federation, Peer
from generator.content.vocabulary import Vocabulary
from generator.core.files import write_atomically
from generator.federation.errors import ExportRefused, SnapshotError
from generator.federation.peer_export import check_export

SNAPSHOT_FORMAT = 1
HELD_DIR = "held"
_KEYS = ("format", "peer", "as_of", "source", "sha256", "export")


@dataclass(frozen=True)
class Snapshot:
    """One peer's export as committed."""

    peer: str
    as_of: dt.date
    source: str
    sha256: str
    export: DirectoryExport


@dataclass(frozen=True)
class PeerDirectory:
    """A peer (from ``federation.yml``) and its snapshot: what the build merges."""

    peer: Peer
    snapshot: Snapshot


def snapshot_path(folder: Path, peer_id: str) -> Path:
    return folder / f"{peer_id}.json"


def held_path(folder: Path, peer_id: str) -> Path:
    return folder / HELD_DIR / f"{peer_id}.json"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def render_snapshot(snapshot: Snapshot) -> str:
    """The snapshot as JSON text: a few header lines, then one program or mentor per line."""
    export = snapshot.export
    lines = [
        "{",
        f'"format":{SNAPSHOT_FORMAT},',
        f'"peer":{_dumps(snapshot.peer)},',
        f'"as_of":{_dumps(snapshot.as_of.isoformat())},',
        f'"source":{_dumps(snapshot.source)},',
        f'"sha256":{_dumps(snapshot.sha256)},',
        f'"export":{{"version":{export.version},"site":{_dumps(export.site)},',
        f'"vocabulary":{_dumps(export.vocabulary)},',
        '"programs":[',
    ]
    programs = [_dumps(p.model_dump(mode="json")) for p in export.programs]
    lines += [p + ("," if i < len(programs) - 1 else "") for i, p in enumerate(programs)]
    lines.append('],"mentors":[')
    mentors = [_dumps(m.model_dump(mode="json")) for m in export.mentors]
    lines += [m + ("," if i < len(mentors) - 1 else "") for i, m in enumerate(mentors)]
    lines.append("]}}")
    return "\n".join(lines) + "\n"


def write_snapshot(path: Path, snapshot: Snapshot) -> None:
    write_atomically(path, render_snapshot(snapshot))


def read_snapshot(path: Path, peer: Peer, vocab: Vocabulary | None = None) -> Snapshot:
    """The snapshot at ``path``, checked again; :class:`SnapshotError` names the file and what
    is wrong with it."""
    if path.is_symlink() or not path.is_file():
        raise SnapshotError(peer.id, f"{path} is not a file (a snapshot is never a link or a folder).")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SnapshotError(
            peer.id, f"{path} cannot be read as JSON ({type(exc).__name__}): fetch the peer again."
        ) from None
    if not isinstance(data, dict) or sorted(data) != sorted(_KEYS) or data.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotError(
            peer.id,
            f"{path} is not a snapshot of format {SNAPSHOT_FORMAT} (keys {', '.join(_KEYS)}): "
            "fetch the peer again with `mentormemed federation fetch`.",
        )
    if data["peer"] != peer.id:
        raise SnapshotError(peer.id, f"{path} is the snapshot of another peer: fetch this peer again.")
    try:
        as_of = dt.date.fromisoformat(str(data["as_of"]))
    except ValueError:
        raise SnapshotError(peer.id, f"{path}: as_of is not a date (YYYY-MM-DD).") from None
    if not isinstance(data["source"], str) or not isinstance(data["sha256"], str):
        raise SnapshotError(peer.id, f"{path}: source and sha256 must be text.")
    try:
        export = check_export(data["export"], peer, vocab, as_published=False)
    except ExportRefused as exc:
        details = "".join(f"\n  - {d}" for d in exc.details)
        raise SnapshotError(peer.id, f"{path}: {exc.message}{details}") from None
    return Snapshot(peer.id, as_of, data["source"], data["sha256"], export)


@dataclass(frozen=True)
class LoadedPeers:
    """What the build reads of ``federation/``: every listed peer that has a snapshot, and what
    is left out (a listed peer with no snapshot yet, a snapshot of a peer no longer listed)."""

    peers: list[PeerDirectory]
    missing: list[str]
    unlisted: list[str]


def load_peers(folder: Path, federation: Federation | None, vocab: Vocabulary | None = None) -> LoadedPeers:
    """Every listed peer's snapshot in ``folder``, checked. Raises :class:`SnapshotError` for a
    snapshot that breaks the rules: the build stops rather than publish it."""
    peers: list[PeerDirectory] = []
    missing: list[str] = []
    listed = federation.peers if federation is not None else []
    for peer in listed:
        path = snapshot_path(folder, peer.id)
        if not path.exists() and not path.is_symlink():
            missing.append(peer.id)
            continue
        peers.append(PeerDirectory(peer, read_snapshot(path, peer, vocab)))
    known = {p.id for p in listed}
    unlisted = sorted(p.stem for p in folder.glob("*.json") if p.stem not in known) if folder.is_dir() else []
    return LoadedPeers(peers, missing, unlisted)

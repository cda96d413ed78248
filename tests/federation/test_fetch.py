"""`federation fetch` per peer: a good export becomes the snapshot; every fault leaves the
previous snapshot byte for byte, with a message that says what happened and what stays."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.content.export import DirectoryExport, export_json
from generator.content.peers import Federation
from generator.federation.download import Limits
from generator.federation.errors import SnapshotError
from generator.federation.fetch import FetchOptions, Status, accept_held, fetch_all, summary_markdown
from generator.federation.snapshots import held_path, read_snapshot, snapshot_path
from tests.support.peers import PeerServer, body, endless, export_body, peer_entry, stalls

DAY_ONE = dt.date(2026, 3, 1)
DAY_TWO = dt.date(2026, 3, 8)
LIMITS = Limits(max_bytes=4 << 20, connect_timeout=5, read_timeout=2, deadline=20)
FEDERATION = Federation.model_validate(
    {"peers": [peer_entry("river", "River Network"), peer_entry("hill", "Hill Consortium")]}
)


def _options(server: PeerServer, today: dt.date) -> FetchOptions:
    return FetchOptions(
        limits=LIMITS,
        allow_loopback_http=True,
        sources={"river": server.url("river.json"), "hill": server.url("hill.json")},
        today=today,
    )


@pytest.fixture
def first_fetch(
    peer_server: PeerServer, river_export: DirectoryExport, hill_export: DirectoryExport, tmp_path: Path
) -> Path:
    """Both peers fetched once, on DAY_ONE; returns the snapshots' folder."""
    peer_server.routes["/river.json"] = export_body(river_export)
    peer_server.routes["/hill.json"] = export_body(hill_export)
    folder = tmp_path / "federation"
    outcomes = fetch_all(FEDERATION, folder, _options(peer_server, DAY_ONE))
    assert [(o.peer, o.status) for o in outcomes] == [("river", Status.NEW), ("hill", Status.NEW)]
    return folder


def test_a_first_fetch_writes_checked_snapshots(first_fetch: Path, river_export: DirectoryExport) -> None:
    peer = FEDERATION.peers[0]
    snapshot = read_snapshot(snapshot_path(first_fetch, "river"), peer)
    assert snapshot.export == river_export and snapshot.as_of == DAY_ONE
    lines = snapshot_path(first_fetch, "river").read_text(encoding="utf-8").splitlines()
    assert sum(1 for line in lines if line.startswith('{"id":')) == len(river_export.mentors) + len(
        river_export.programs
    )  # one record per line: a pull request's diff shows who changed


def test_a_changed_export_updates_and_summarises(
    first_fetch: Path, peer_server: PeerServer, river_export: DirectoryExport
) -> None:
    data = json.loads(export_json(river_export))
    removed = data["mentors"].pop(0)["id"]
    data["mentors"][0]["capacity"] = 1 if data["mentors"][0]["capacity"] != 1 else 2
    changed = data["mentors"][0]["id"]
    peer_server.routes["/river.json"] = export_body(data)
    outcomes = fetch_all(FEDERATION, first_fetch, _options(peer_server, DAY_TWO))
    river, hill = outcomes
    assert river.status is Status.UPDATED and hill.status is Status.UNCHANGED
    assert river.changes.removed == [removed] and river.changes.changed == [changed]
    assert river.changes.added == []
    assert read_snapshot(snapshot_path(first_fetch, "hill"), FEDERATION.peers[1]).as_of == DAY_TWO
    summary = summary_markdown(outcomes)
    assert f"`{removed}`" in summary and "0 added, 1 removed, 1 changed" in summary


def _truncated(export: DirectoryExport) -> Callable[[], object]:
    raw = export_json(export).encode()
    return lambda: body(raw[: len(raw) * 2 // 3])


def _hostile(export: DirectoryExport) -> dict[str, object]:
    data: dict[str, Any] = json.loads(export_json(export))
    for mentor in data["mentors"]:
        for key, value in mentor.items():
            if isinstance(value, str):
                mentor[key] = f"<script>alert('{key}')</script>"
    return data


FAULTS: dict[str, tuple[Callable[[DirectoryExport, list[int]], object], str]] = {
    "timeout": (lambda e, sent: stalls(4), "did not answer within 2 s"),
    "http-500": (lambda e, sent: body(b"Internal error", status=500), "answered HTTP 500"),
    "truncated-json": (lambda e, sent: _truncated(e)(), "not complete JSON"),
    "major-version-2": (
        lambda e, sent: export_body({**json.loads(export_json(e)), "version": 2}),
        "version 2 of directory.json",
    ),
    "hostile-strings": (lambda e, sent: export_body(_hostile(e)), "breaks the rules"),
    "200-mb-body": (
        lambda e, sent: endless(200 * 1024 * 1024, declare_length=False, sent=sent),
        "over the limit of 4,194,304 bytes",
    ),
    "200-mb-declared": (
        lambda e, sent: endless(200 * 1024 * 1024, declare_length=True, sent=sent),
        "209,715,200 bytes, over the limit",
    ),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_fault_keeps_the_previous_snapshot(
    fault: str, first_fetch: Path, peer_server: PeerServer, river_export: DirectoryExport
) -> None:
    make, expected = FAULTS[fault]
    before = snapshot_path(first_fetch, "river").read_bytes()
    sent: list[int] = []
    peer_server.routes["/river.json"] = make(river_export, sent)  # type: ignore[assignment]
    river, hill = fetch_all(FEDERATION, first_fetch, _options(peer_server, DAY_TWO))
    assert river.status is Status.FAILED and expected in river.message
    assert "Nothing was changed: the snapshot of 2026-03-01 stays in place." in river.message
    assert hill.status is Status.UNCHANGED  # one peer's failure never stops another
    assert snapshot_path(first_fetch, "river").read_bytes() == before
    assert sorted(p.name for p in first_fetch.iterdir()) == ["hill.json", "river.json"]  # no leftovers
    assert "the snapshot of 2026-03-01 is kept" in summary_markdown([river])
    if fault == "hostile-strings":
        assert "<script>" not in summary_markdown([river])  # the description quotes nothing of it


def test_an_export_that_drops_90_percent_is_held_for_review(
    first_fetch: Path, peer_server: PeerServer, river_export: DirectoryExport
) -> None:
    before = snapshot_path(first_fetch, "river").read_bytes()
    data = json.loads(export_json(river_export))
    data["mentors"] = data["mentors"][: len(data["mentors"]) // 10]
    peer_server.routes["/river.json"] = export_body(data)
    river, _ = fetch_all(FEDERATION, first_fetch, _options(peer_server, DAY_TWO))
    assert river.status is Status.HELD
    assert f"lists 2 mentor(s), fewer than half of the {len(river_export.mentors)}" in river.message
    assert "federation accept river" in river.message
    assert snapshot_path(first_fetch, "river").read_bytes() == before
    held = read_snapshot(held_path(first_fetch, "river"), FEDERATION.peers[0])
    assert len(held.export.mentors) == 2
    accepted = accept_held(first_fetch, FEDERATION.peers[0])
    assert accepted == held and not held_path(first_fetch, "river").exists()
    assert len(read_snapshot(snapshot_path(first_fetch, "river"), FEDERATION.peers[0]).export.mentors) == 2
    with pytest.raises(SnapshotError, match="no snapshot is held"):
        accept_held(first_fetch, FEDERATION.peers[0])


def test_a_peer_no_longer_listed_loses_its_snapshot(first_fetch: Path, peer_server: PeerServer) -> None:
    only_river = Federation.model_validate({"peers": [peer_entry("river", "River Network")]})
    outcomes = fetch_all(only_river, first_fetch, _options(peer_server, DAY_TWO))
    assert [(o.peer, o.status) for o in outcomes] == [("river", Status.UNCHANGED), ("hill", Status.REMOVED)]
    assert not snapshot_path(first_fetch, "hill").exists()


def test_a_failed_first_fetch_says_the_peer_is_not_listed_yet(
    peer_server: PeerServer, tmp_path: Path
) -> None:
    peer_server.routes["/river.json"] = body(b"", status=500)
    (river,) = fetch_all(FEDERATION, tmp_path, _options(peer_server, DAY_ONE), only=["river"])
    assert "there is no previous snapshot, so the peer is not in the directory yet" in river.message
    assert not snapshot_path(tmp_path, "river").exists()

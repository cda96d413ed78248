"""Snapshots are written atomically and checked again when read; the merge namespaces peers'
records; probable duplicates are listed, never merged."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from generator.content.export import DirectoryExport, PublicContact
from generator.content.peers import Peer
from generator.content.vocabulary import vocabulary
from generator.federation.duplicates import duplicates_text, probable_duplicates
from generator.federation.errors import SnapshotError
from generator.federation.merge import merge, peer_request_url
from generator.federation.snapshots import (
    PeerDirectory,
    Snapshot,
    read_snapshot,
    render_snapshot,
    write_snapshot,
)
from tests.support.peers import peer_entry

RIVER = Peer.model_validate(peer_entry("river", "River Network"))
HILL = Peer.model_validate(peer_entry("hill", "Hill Consortium"))
AS_OF = dt.date(2026, 3, 1)


def _snapshot(peer: Peer, export: DirectoryExport) -> Snapshot:
    return Snapshot(peer.id, AS_OF, peer.directory_url, "0" * 64, export)


def test_a_snapshot_round_trips(tmp_path: Path, river_export: DirectoryExport) -> None:
    path = tmp_path / "river.json"
    write_snapshot(path, _snapshot(RIVER, river_export))
    assert read_snapshot(path, RIVER) == _snapshot(RIVER, river_export)
    assert oct(path.stat().st_mode & 0o777) == "0o644"


def test_a_failed_write_leaves_the_old_snapshot_and_no_temporary_file(
    tmp_path: Path, river_export: DirectoryExport, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "river.json"
    write_snapshot(path, _snapshot(RIVER, river_export))
    before = path.read_bytes()

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    smaller = river_export.model_copy(update={"mentors": river_export.mentors[:3]})
    with pytest.raises(OSError, match="disk full"):
        write_snapshot(path, _snapshot(RIVER, smaller))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["river.json"]


def test_a_hand_edited_snapshot_is_refused_with_its_file(
    tmp_path: Path, river_export: DirectoryExport
) -> None:
    path = tmp_path / "river.json"
    write_snapshot(path, _snapshot(RIVER, river_export))
    name = river_export.mentors[4].name
    path.write_text(path.read_text(encoding="utf-8").replace(name, "<b>Injected</b>"), encoding="utf-8")
    with pytest.raises(SnapshotError) as caught:
        read_snapshot(path, RIVER)
    assert str(path) in caught.value.message and "mentors[4]" in caught.value.message


@pytest.mark.parametrize(
    "text",
    ["", "{", '{"format": 1}', '{"format":1,"peer":"hill","as_of":"x","source":"","sha256":"","export":{}}'],
)
def test_a_broken_snapshot_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "river.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"river\.json"):
        read_snapshot(path, RIVER)


def test_a_snapshot_that_is_a_link_is_refused(tmp_path: Path, river_export: DirectoryExport) -> None:
    real = tmp_path / "elsewhere.json"
    write_snapshot(real, _snapshot(RIVER, river_export))
    (tmp_path / "river.json").symlink_to(real)
    with pytest.raises(SnapshotError, match="not a file"):
        read_snapshot(tmp_path / "river.json", RIVER)


def test_render_is_stable(river_export: DirectoryExport) -> None:
    assert render_snapshot(_snapshot(RIVER, river_export)) == render_snapshot(_snapshot(RIVER, river_export))


def test_the_merge_namespaces_every_peer_record(
    river_export: DirectoryExport, hill_export: DirectoryExport
) -> None:
    # the same export twice, as two peers, and as the local network: every id still unique
    peers = [
        PeerDirectory(RIVER, _snapshot(RIVER, river_export)),
        PeerDirectory(HILL, _snapshot(HILL, river_export)),
    ]
    merged = merge(river_export, peers, "https://agg.invalid/dir", vocabulary())
    ids = [m.id for m in merged.export.mentors]
    assert len(ids) == len(set(ids)) == 3 * len(river_export.mentors)
    first = river_export.mentors[0]
    assert {first.id, f"river--{first.id}", f"hill--{first.id}"} <= set(ids)
    peer_mentor = next(m for m in merged.export.mentors if m.id == f"river--{first.id}")
    assert peer_mentor.program == f"river--{first.program}"
    assert peer_mentor.url == f"https://agg.invalid/dir/mentors/river--{first.id}/"
    origin = merged.mentor_origins[peer_mentor.id]
    assert origin.network == "River Network" and origin.as_of == AS_OF and origin.profile_url == first.url
    assert origin.request_url == (
        "https://github.com/mmm-sample-river/directory/issues/new?template=mentor-request.yml&mentors="
        + first.id
    )
    assert first.id not in merged.mentor_origins  # the local mentor has no origin
    assert {p.id for p in merged.export.programs} >= {f"hill--{p.id}" for p in river_export.programs}


def test_the_request_url_replaces_a_mentors_parameter() -> None:
    assert peer_request_url("https://github.com/o/r/issues/new?mentors=x&template=t.yml", "ana") == (
        "https://github.com/o/r/issues/new?template=t.yml&mentors=ana"
    )


def test_probable_duplicates_are_listed_not_merged(
    river_export: DirectoryExport, hill_export: DirectoryExport
) -> None:
    local = hill_export
    same_person = local.mentors[0]
    river_mentors = list(river_export.mentors)
    # the same GitHub user name, under another name and id
    river_mentors[0] = river_mentors[0].model_copy(
        update={
            "contact": PublicContact(
                github=(
                    same_person.contact.github
                    if same_person.contact and same_person.contact.github
                    else "mmm-sample-dup"
                ).upper()
            )
        }
    )
    if not (same_person.contact and same_person.contact.github):
        local_mentors = list(local.mentors)
        local_mentors[0] = same_person.model_copy(update={"contact": PublicContact(github="mmm-sample-dup")})
        local = local.model_copy(update={"mentors": local_mentors})
    # the same name (with other credentials, other case) at the same institution
    other = local.mentors[1]
    institution = next(p.institution for p in local.programs if p.id == other.program)
    programs = [
        river_export.programs[0].model_copy(update={"institution": institution}),
        *river_export.programs[1:],
    ]
    river_mentors[1] = river_mentors[1].model_copy(
        update={"name": other.name.split(",")[0].upper() + ", PhD", "program": programs[0].id}
    )
    river = river_export.model_copy(update={"mentors": river_mentors, "programs": programs})
    merged = merge(
        local, [PeerDirectory(RIVER, _snapshot(RIVER, river))], "https://agg.invalid", vocabulary()
    )
    found = probable_duplicates(merged.export)
    pairs = {(d.reason, tuple(item.id for item in d.listings)) for d in found}
    assert (
        "the same GitHub user name",
        tuple(sorted([local.mentors[0].id, f"river--{river_mentors[0].id}"])),
    ) in {(r, tuple(sorted(ids))) for r, ids in pairs}
    assert any(
        r == "the same name at the same institution"
        and set(ids) == {other.id, f"river--{river_mentors[1].id}"}
        for r, ids in pairs
    )
    assert len(merged.export.mentors) == len(local.mentors) + len(river.mentors)  # nothing merged away
    assert "probable duplicate(s) between networks" in duplicates_text(found)


def test_duplicates_within_one_network_are_not_this_reports_business(river_export: DirectoryExport) -> None:
    assert probable_duplicates(river_export) == []

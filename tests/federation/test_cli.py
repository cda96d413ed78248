"""`mentormemed federation fetch | accept | duplicates` and `build --federation`: messages and
exit statuses, without a traceback, and the build's own check of the committed snapshots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.content.export import DirectoryExport, export_json
from generator.content.validation import validate_content
from generator.site.build import SiteBuildError, build, load_federation
from tests.support.peers import PeerServer, body, export_body, peer_entry, write_federation


def _fetch(content: Path, server: PeerServer, *extra: str) -> tuple[int, str]:
    args = [
        "federation",
        "fetch",
        "--content",
        str(content),
        "--federation",
        str(content.parent / "federation"),
    ]
    args += ["--allow-loopback-http", "--timeout", "1", "--deadline", "5"]
    args += ["--source", f"river={server.url('river.json')}", "--source", f"hill={server.url('hill.json')}"]
    result = CliRunner().invoke(cli, [*args, *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def aggregator(base_content: Path) -> Path:
    write_federation(
        base_content, [peer_entry("river", "River Network"), peer_entry("hill", "Hill Consortium")]
    )
    return base_content


def test_fetch_writes_snapshots_and_the_summary(
    aggregator: Path,
    peer_server: PeerServer,
    river_export: DirectoryExport,
    hill_export: DirectoryExport,
    tmp_path: Path,
) -> None:
    peer_server.routes["/river.json"] = export_body(river_export)
    peer_server.routes["/hill.json"] = export_body(hill_export)
    summary = tmp_path / "summary.md"
    code, output = _fetch(aggregator, peer_server, "--summary", str(summary))
    assert code == 0, output
    assert f"river: new ({len(river_export.mentors)} mentors; {len(river_export.mentors)} added" in output
    assert summary.read_text(encoding="utf-8").startswith("## Federation snapshots")
    snapshots = aggregator.parent / "federation"
    assert sorted(p.name for p in snapshots.iterdir()) == ["hill.json", "river.json"]


def test_a_failing_peer_exits_2_and_names_the_reason(
    aggregator: Path, peer_server: PeerServer, river_export: DirectoryExport
) -> None:
    peer_server.routes["/river.json"] = export_body(river_export)
    peer_server.routes["/hill.json"] = body(b"{", status=200)
    code, output = _fetch(aggregator, peer_server)
    assert code == 3
    assert "hill: failed: the export is not complete JSON" in output
    assert "Some peers were not updated: their previous snapshots stay in place" in output


def test_without_the_option_a_loopback_source_is_refused(aggregator: Path, peer_server: PeerServer) -> None:
    args = ["federation", "fetch", "--content", str(aggregator), "--federation", str(aggregator.parent / "f")]
    args += ["--source", f"river={peer_server.url('river.json')}", "--peer", "river"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 3 and "only https:// addresses are fetched" in result.output
    assert peer_server.seen == []


def test_an_invalid_federation_file_exits_1_with_its_line(base_content: Path) -> None:
    (base_content / "federation.yml").write_text("peers:\n  - id: X\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["federation", "fetch", "--content", str(base_content)])
    assert result.exit_code == 1 and "federation.yml:2:" in result.output


def test_no_federation_file_is_a_clear_error(base_content: Path) -> None:
    result = CliRunner().invoke(cli, ["federation", "fetch", "--content", str(base_content)])
    assert result.exit_code == 1 and "federation.yml: no such file" in result.output


def test_an_unknown_peer_is_refused(aggregator: Path) -> None:
    result = CliRunner().invoke(
        cli, ["federation", "fetch", "--content", str(aggregator), "--peer", "nobody"]
    )
    assert result.exit_code == 2 and "nobody: not a peer of federation.yml" in result.output
    result = CliRunner().invoke(cli, ["federation", "accept", "--content", str(aggregator), "nobody"])
    assert result.exit_code == 2 and "'nobody' is not a peer" in result.output


def test_accept_without_a_held_snapshot_says_so(aggregator: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "federation",
            "accept",
            "--content",
            str(aggregator),
            "--federation",
            str(aggregator.parent),
            "river",
        ],
    )
    assert result.exit_code == 1 and "no snapshot is held for review" in result.output


def test_duplicates_reports_a_person_listed_twice(
    aggregator: Path,
    peer_server: PeerServer,
    river_export: DirectoryExport,
    hill_export: DirectoryExport,
    caplog: pytest.LogCaptureFixture,
) -> None:
    local = validate_content(aggregator)
    (mentor,) = local.mentors.values()
    program = local.programs[mentor.program]
    data = json.loads(export_json(river_export))
    data["programs"][0]["institution"] = program.institution
    data["mentors"][0]["name"] = mentor.name
    data["mentors"][0]["program"] = data["programs"][0]["id"]
    peer_server.routes["/river.json"] = export_body(data)
    peer_server.routes["/hill.json"] = export_body(hill_export)
    assert _fetch(aggregator, peer_server)[0] == 0
    args = [
        "federation",
        "duplicates",
        "--content",
        str(aggregator),
        "--federation",
        str(aggregator.parent / "federation"),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"the same name at the same institution: {mentor.id} (local)" in result.output
    assert f"river--{data['mentors'][0]['id']} (river)" in result.output
    as_json = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    assert as_json[0]["reason"] == "the same name at the same institution"
    # the build says so too, and publishes both profiles
    output = aggregator.parent / "site"
    with caplog.at_level("WARNING"):
        build(aggregator, output, federation=aggregator.parent / "federation")
    assert "1 probable duplicate(s) between this network and its peers (listed, not merged)" in caplog.text
    assert (output / "mentors" / mentor.id).is_dir()
    assert (output / "mentors" / f"river--{data['mentors'][0]['id']}").is_dir()


def test_the_build_refuses_a_tampered_snapshot_and_warns_of_a_missing_one(
    aggregator: Path, peer_server: PeerServer, river_export: DirectoryExport, caplog: pytest.LogCaptureFixture
) -> None:
    peer_server.routes["/river.json"] = export_body(river_export)
    code, _ = _fetch(aggregator, peer_server, "--peer", "river")
    assert code == 0
    federation = validate_content(aggregator).federation
    folder = aggregator.parent / "federation"
    with caplog.at_level("WARNING"):
        peers = load_federation(folder, federation)
    assert [p.peer.id for p in peers] == ["river"]
    assert "peer 'hill' has no snapshot" in caplog.text
    snapshot = folder / "river.json"
    text = snapshot.read_text(encoding="utf-8")
    snapshot.write_text(text.replace('"capacity":', '"extra":1,"capacity":', 1), encoding="utf-8")
    with pytest.raises(SiteBuildError, match=r"peer 'river': .*river.json: the snapshot does not match"):
        load_federation(folder, federation)
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--content",
            str(aggregator),
            "--federation",
            str(folder),
            "--output",
            str(aggregator.parent / "out"),
        ],
    )
    assert result.exit_code == 1 and "error[build-failed]: peer 'river'" in result.output
    assert not (aggregator.parent / "out").exists()

"""demo-data: a valid synthetic network of any size, the same for the same seed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from generator.content.validation import validate_content


def _digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*.yml")):
        sha.update(path.relative_to(folder).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def test_demo_network_is_valid_and_deterministic(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["demo-data", "--mentors", "400", "--programs", "30", "--seed", "5"]
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert runner.invoke(cli, [*args, "--output", str(first)]).exit_code == 0
    assert runner.invoke(cli, [*args, "--output", str(second)]).exit_code == 0
    assert runner.invoke(cli, [*args[:-1], "6", "--output", str(other)]).exit_code == 0
    assert _digest(first) == _digest(second)
    assert _digest(first) != _digest(other)

    result = validate_content(first)
    assert result.problems == []
    assert len(result.programs) == 30
    assert len(result.mentors) == 400
    mentors = list(result.mentors.values())
    assert any(m.private_affinities for m in mentors)
    assert any(not m.accepting for m in mentors)
    assert any(m.capacity == 0 for m in mentors)
    assert all(m.contact is None or (m.contact.github or "").startswith("mmm-demo-") for m in mentors)


def test_demo_data_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "net"
    out.mkdir()
    keep = out / "keep.txt"
    keep.write_text("mine")
    runner = CliRunner()
    result = runner.invoke(cli, ["demo-data", "--mentors", "5", "--programs", "2", "--output", str(out)])
    assert result.exit_code == 2
    assert "--force" in result.output
    assert keep.read_text() == "mine"
    forced = runner.invoke(
        cli, ["demo-data", "--mentors", "5", "--programs", "2", "--output", str(out), "--force"]
    )
    assert forced.exit_code == 0
    assert not keep.exists()
    assert len(list((out / "mentors").rglob("*.yml"))) == 5

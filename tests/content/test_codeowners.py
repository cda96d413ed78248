"""CODEOWNERS: each program's maintainers own its folder and program file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli


def test_codeowners_written_and_checked(base_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "CODEOWNERS"
    runner = CliRunner()
    result = runner.invoke(cli, ["codeowners", "--content", str(base_content), "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    prefix = base_content.as_posix().strip("/")
    assert f"/{prefix}/mentors/lakeshore-som/ @mmm-sample-lakeshore-coord" in text
    assert f"/{prefix}/programs/lakeshore-som.yml @mmm-sample-lakeshore-coord" in text
    check = ["codeowners", "--content", str(base_content), "--output", str(out), "--check"]
    assert runner.invoke(cli, check).exit_code == 0

    # a new maintainer makes the committed file stale
    program = base_content / "programs" / "lakeshore-som.yml"
    program.write_text(program.read_text().replace("[mmm-sample-lakeshore-coord]", "[mmm-sample-new-coord]"))
    stale = runner.invoke(cli, check)
    assert stale.exit_code == 1
    assert "out of date" in stale.output


def test_codeowners_refuses_invalid_programs(base_content: Path, tmp_path: Path) -> None:
    program = base_content / "programs" / "lakeshore-som.yml"
    program.write_text(program.read_text().replace("[mmm-sample-lakeshore-coord]", "['@bad handle']"))
    out = tmp_path / "CODEOWNERS"
    result = CliRunner().invoke(cli, ["codeowners", "--content", str(base_content), "--output", str(out)])
    assert result.exit_code == 1
    assert "lakeshore-som.yml:8:" in result.output
    assert not out.exists()


def test_repository_codeowners_is_current() -> None:
    result = CliRunner().invoke(cli, ["codeowners", "--check"])
    assert result.exit_code == 0, result.output

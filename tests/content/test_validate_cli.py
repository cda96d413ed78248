"""`mentormemed validate`: every problem, every file, formats, paths and exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

MENTOR = Path("mentors/lakeshore-som/ana-example.yml")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_clean_content_exits_zero(base_content: Path) -> None:
    code, out = run("--content", str(base_content))
    assert code == 0
    assert out.strip() == "All 3 file(s) are valid."  # network.yml, the program, the mentor


def test_every_problem_in_every_file_is_reported(base_content: Path) -> None:
    mentor = base_content / MENTOR
    mentor.write_text(
        mentor.read_text()
        .replace("stage: early-faculty", "stage: Resident")
        .replace("capacity: 3", "capacity: 30")
        .replace("accepting: true", "accepting: yes")
    )
    other = base_content / "mentors/lakeshore-som/broken.yml"
    other.write_text("id: broken\nname: [unclosed\n")
    code, out = run("--content", str(base_content))
    assert code == 1
    lines = out.splitlines()
    prefix = (base_content / MENTOR).as_posix()
    assert lines[:-1] == [
        f"{prefix}:7:8: error[unknown-term]: stage: 'Resident' is not a known career stage. Did you mean "
        "'resident' (Resident)? Use an id from the stages list in docs/vocabulary.md.",
        f"{prefix}:17:11: error[out-of-range]: 'capacity' is the number 30; it must be between 0 and 20.",
        f"{prefix}:18:12: error[yaml11-boolean]: `yes` is read as true/false by some YAML tools and as text "
        'by others. For a yes/no field write true or false; for text write it in quotes: "yes".',
        f"{base_content.as_posix()}/mentors/lakeshore-som/broken.yml:2:7: error[yaml-syntax]: "
        "YAML syntax error: the [ list that starts here is not closed: did not find expected ',' or "
        "']' (line 3). Check the indentation and that each line is `field: value`; put text with a "
        'colon, # or quotes inside "double quotes".',
    ]
    assert lines[-1].startswith("4 problem(s) in 2 of 4 file(s).")


def test_paths_are_relative_to_the_working_directory_as_given(
    base_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (base_content / MENTOR).write_text((base_content / MENTOR).read_text().replace("md\n", "MD\n", 1))
    monkeypatch.chdir(base_content.parent)
    code, out = run("--content", "content")
    assert code == 1
    assert out.startswith("content/mentors/lakeshore-som/ana-example.yml:6:13: error[unknown-term]")


def test_only_the_given_paths_are_reported_but_rules_across_files_still_apply(base_content: Path) -> None:
    twin = base_content / "mentors/lakeshore-som/ana-twin.yml"
    twin.write_text((base_content / MENTOR).read_text().replace("id: ana-example", "id: ana-twin"))
    code, out = run("--content", str(base_content), str(twin))
    assert code == 1
    assert "ana-twin.yml:3:7: error[duplicate-name]" in out
    assert "ana-example.yml" in out  # named as the first listing, not reported on
    assert not any(line.startswith(str(base_content / MENTOR)) for line in out.splitlines())
    # the clash involves the given file too: reported on it, naming the other
    code, out = run("--content", str(base_content), str(base_content / MENTOR))
    assert code == 1
    assert out.startswith(f"{base_content / MENTOR}:3:7: error[duplicate-name]")
    assert "already listed in " + str(twin) in out
    assert "ana-twin.yml:3:7" not in out


def test_json_and_github_formats(base_content: Path) -> None:
    mentor = base_content / MENTOR
    mentor.write_text(mentor.read_text() + "email: someone@example.edu\n")
    code, out = run("--content", str(base_content), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert [p["code"] for p in report["problems"]] == ["email-not-allowed"]
    assert report["problems"][0]["line"] == 25
    code, out = run("--content", str(base_content), "--format", "github")
    assert code == 1
    assert out.startswith(f"::error file={mentor.as_posix()},line=25,col=1,title=error[email-not-allowed]::")


def test_missing_content_folder_is_a_clear_error(tmp_path: Path) -> None:
    code, out = run("--content", str(tmp_path / "nope"))
    assert code == 1
    assert "has no programs/ or mentors/ folder" in out


def test_unreadable_file_is_reported_and_others_still_checked(base_content: Path) -> None:
    if os.geteuid() == 0:
        # root reads everything; use a directory with a .yml name instead
        (base_content / "mentors/lakeshore-som/odd.yml").mkdir()
        code, out = run("--content", str(base_content))
        assert code == 1
        assert "odd.yml:1:1: error[misplaced-file]" in out
    else:  # pragma: no cover - CI runs as root
        bad = base_content / "mentors/lakeshore-som/locked.yml"
        bad.write_text("id: locked\n")
        bad.chmod(0)
        code, out = run("--content", str(base_content))
        assert "locked.yml:1:1: error[unreadable]" in out


def test_missing_vocabulary_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "MENTORMEMED_ROOT": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", "from generator.cli import main; main()", "validate"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "error[no-vocabulary]" in proc.stderr
    assert "MENTORMEMED_ROOT" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_project_root_follows_the_environment(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "schemas").mkdir()
    code = "from generator.core.paths import project_root; print(project_root())"
    env = {**os.environ, "MENTORMEMED_ROOT": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(tmp_path.resolve())

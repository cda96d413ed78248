"""Validating only the files a pull request changed still reports every clash between a changed
file and the rest, on the changed file (issue 12, item 5)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from generator.content.validation import validate_content

EXISTING = Path("mentors/lakeshore-som/ana-example.yml")
ORCID = "0000-0002-1825-0097"


def _run(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output.splitlines()


def _new_institution(content: Path) -> tuple[Path, Path]:
    """Another institution's new program, and its new mentor reusing the existing mentor's id,
    name, GitHub user and ORCID iD. Its folder sorts before the existing one's."""
    existing = content / EXISTING
    existing.write_text(
        existing.read_text().replace(
            "  github: mmm-sample-ana-example\n", f"  github: mmm-sample-ana-example\n  orcid: {ORCID}\n"
        )
    )
    program = content / "programs" / "aardvark-som.yml"
    program.write_text(
        (content / "programs" / "lakeshore-som.yml")
        .read_text()
        .replace("lakeshore-som", "aardvark-som")
        .replace("Lakeshore", "Aardvark")
        .replace("mmm-sample-lakeshore-coord", "mmm-sample-aardvark-coord")
    )
    (content / "mentors" / "aardvark-som").mkdir()
    mentor = content / "mentors" / "aardvark-som" / "ana-example.yml"
    mentor.write_text(existing.read_text().replace("program: lakeshore-som", "program: aardvark-som"))
    return program, mentor


def _clashes(mentor: str, other: str) -> list[str]:
    return [
        f"{mentor}:2:5: error[duplicate-id]: the mentor id 'ana-example' is already used by {other}: ids "
        "are web addresses and must be unique; add a middle initial or number, e.g. 'ana-example-2', and "
        "rename the file to match.",
        f"{mentor}:3:7: error[duplicate-name]: a mentor named 'Ana Example, MD' is already listed in "
        f"{other}. If it is the same person, keep one file; if not, add a middle name or initial to tell "
        "them apart.",
        f"{mentor}:20:11: error[duplicate-person]: the GitHub user 'mmm-sample-ana-example' is already "
        f"listed in {other}: one person has one profile. Keep one file.",
        f"{mentor}:21:10: error[duplicate-person]: the ORCID iD {ORCID} is already listed in {other}: one "
        "person has one profile. Keep one file.",
    ]


def test_a_new_file_reusing_another_institutions_mentor_is_reported_on_the_new_file(
    base_content: Path,
) -> None:
    program, mentor = _new_institution(base_content)
    existing = (base_content / EXISTING).as_posix()
    for given in ([program, mentor], [mentor], [mentor.parent], [mentor, base_content / "programs"]):
        code, lines = _run("--content", str(base_content), *map(str, given))
        assert code == 1, given
        assert lines[:-1] == _clashes(mentor.as_posix(), existing), given


def test_the_github_annotations_point_at_the_new_file(base_content: Path) -> None:
    program, mentor = _new_institution(base_content)
    code, lines = _run("--content", str(base_content), "--format", "github", "--", str(program), str(mentor))
    assert code == 1
    assert len(lines) == 4
    assert all(line.startswith(f"::error file={mentor.as_posix()},") for line in lines)


def test_without_a_selection_the_later_file_in_path_order_is_blamed(base_content: Path) -> None:
    """The whole content has no 'new' file: of two that clash, the one later in path order is
    reported (every run the same), naming the other."""
    _, mentor = _new_institution(base_content)
    first = validate_content(base_content)
    assert first.problems == validate_content(base_content).problems
    existing = (base_content / EXISTING).as_posix()
    assert {p.path for p in first.problems} == {existing}
    assert [p.code for p in first.problems] == [
        "duplicate-id",
        "duplicate-name",
        "duplicate-person",
        "duplicate-person",
    ]
    assert all(mentor.as_posix() in p.message for p in first.problems)


def test_every_clash_of_every_given_file_is_kept(base_content: Path) -> None:
    """Two new files that clash with an untouched one and with each other: each is reported,
    naming the untouched file."""
    _, mentor = _new_institution(base_content)
    other = base_content / "mentors" / "lakeshore-som" / "ana-example-2.yml"
    other.write_text(
        mentor.read_text()
        .replace("program: aardvark-som", "program: lakeshore-som")
        .replace("id: ana-example", "id: ana-example-2")
    )
    existing = (base_content / EXISTING).as_posix()
    code, lines = _run("--content", str(base_content), str(mentor), str(other))
    assert code == 1
    assert [line.split(": error")[0].rsplit(":", 2)[0] for line in lines[:-1]] == [mentor.as_posix()] * 4 + [
        other.as_posix()
    ] * 3
    assert all(existing in line for line in lines[:-1])


def test_a_new_program_reusing_a_program_name_is_reported_on_the_new_program(base_content: Path) -> None:
    program = base_content / "programs" / "aardvark-som.yml"
    program.write_text(
        (base_content / "programs" / "lakeshore-som.yml")
        .read_text()
        .replace("lakeshore-som", "aardvark-som")
        .replace("mmm-sample-lakeshore-coord", "mmm-sample-aardvark-coord")
    )
    existing = (base_content / "programs" / "lakeshore-som.yml").as_posix()
    code, lines = _run("--content", str(base_content), str(program))
    assert code == 1
    assert lines[:-1] == [
        f"{program.as_posix()}:3:7: error[duplicate-name]: a program named 'Lakeshore School of Medicine "
        f"Mentoring Network' is already listed in {existing}: choose a distinct name."
    ]

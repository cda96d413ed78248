"""Symbolic links in the content folder are refused, one problem each, and never followed: what
they point at is neither validated, published nor named in the report (issue 12, item 4)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.content.validation import validate_content

MENTOR = Path("mentors/lakeshore-som/ana-example.yml")
PROGRAM = Path("programs/lakeshore-som.yml")
FIX = (
    "error[symlink]: this is a symbolic link; content files must be real files in this folder: "
    "replace the link with the file itself (or, for a folder, with a real folder holding the files)."
)


def _report(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output.splitlines()


def _outside(tmp_path: Path) -> Path:
    """A folder beside the content folder holding a valid mentor of another program."""
    outside = tmp_path / "outside"
    outside.mkdir()
    text = (tmp_path / "content" / MENTOR).read_text()
    (outside / "eve-outside.yml").write_text(
        text.replace("ana-example", "eve-outside").replace("Ana Example", "Eve Outside")
    )
    return outside


def test_a_symlinked_mentor_file_is_refused(base_content: Path, tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    link = base_content / "mentors" / "lakeshore-som" / "eve-outside.yml"
    link.symlink_to(outside / "eve-outside.yml")
    code, lines = _report("--content", str(base_content))
    assert code == 1
    assert lines[:-1] == [f"{link.as_posix()}:1:1: {FIX}"]
    result = validate_content(base_content)
    assert "eve-outside" not in result.mentors
    assert list(result.mentors) == ["ana-example"]


def test_a_symlinked_program_folder_is_refused_and_not_read(base_content: Path, tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    (outside / "broken.yml").write_text("id: [unclosed\n")
    (outside / "notes.txt").write_text("private\n")
    link = base_content / "mentors" / "lakeshore-extra"
    link.symlink_to(outside, target_is_directory=True)
    code, lines = _report("--content", str(base_content))
    assert code == 1
    assert lines[:-1] == [f"{link.as_posix()}:1:1: {FIX}"]
    assert not any("broken" in line or "notes" in line or "outside" in line for line in lines)


@pytest.mark.parametrize("where", ["mentors/lakeshore-som/etc", "mentors/etc", "programs/etc"])
def test_a_link_to_a_system_folder_echoes_nothing_of_it(base_content: Path, where: str) -> None:
    link = base_content / where
    link.symlink_to("/etc", target_is_directory=True)
    code, lines = _report("--content", str(base_content))
    assert code == 1
    assert lines[:-1] == [f"{link.as_posix()}:1:1: {FIX}"]
    names = {name for name in os.listdir("/etc") if len(name) > 3}
    assert not any(name in line for line in lines for name in names if name not in link.as_posix())


@pytest.mark.parametrize("folder", ["mentors", "programs"])
def test_a_symlinked_mentors_or_programs_folder_is_refused(
    base_content: Path, tmp_path: Path, folder: str
) -> None:
    real = tmp_path / f"real-{folder}"
    shutil.move(base_content / folder, real)
    (base_content / folder).symlink_to(real, target_is_directory=True)
    result = validate_content(base_content)
    # the program the mentor names is not in the directory now: that is said on the mentor
    follow_on = [((base_content / MENTOR).as_posix(), "unknown-program")] if folder == "programs" else []
    assert sorted((p.path, p.code) for p in result.problems) == sorted(
        [((base_content / folder).as_posix(), "symlink"), *follow_on]
    )
    assert not result.mentors
    assert list(result.programs) == ([] if folder == "programs" else ["lakeshore-som"])


def test_a_symlinked_program_or_network_file_is_refused(base_content: Path, tmp_path: Path) -> None:
    for rel in (PROGRAM, Path("network.yml")):
        real = tmp_path / rel.name
        shutil.move(base_content / rel, real)
        (base_content / rel).symlink_to(real)
    result = validate_content(base_content)
    assert sorted((p.path, p.code) for p in result.problems) == [
        ((base_content / MENTOR).as_posix(), "unknown-program"),
        ((base_content / "network.yml").as_posix(), "symlink"),
        ((base_content / PROGRAM).as_posix(), "symlink"),
    ]
    assert result.network is None and not result.programs


def test_a_dangling_link_and_a_link_inside_the_folder_are_refused(base_content: Path) -> None:
    dangling = base_content / "mentors" / "lakeshore-som" / "gone.yml"
    dangling.symlink_to(base_content / "nowhere.yml")
    twin = base_content / "mentors" / "lakeshore-som" / "ana-twin.yml"
    twin.symlink_to("ana-example.yml")
    result = validate_content(base_content)
    assert sorted((p.path, p.code) for p in result.problems) == [
        (twin.as_posix(), "symlink"),
        (dangling.as_posix(), "symlink"),
    ]


def test_a_given_link_is_one_problem(base_content: Path, tmp_path: Path) -> None:
    """As the pull-request job gives it: the link itself, and a path through a linked folder."""
    outside = _outside(tmp_path)
    link = base_content / "mentors" / "lakeshore-som" / "eve-outside.yml"
    link.symlink_to(outside / "eve-outside.yml")
    folder = base_content / "mentors" / "etc"
    folder.symlink_to("/etc", target_is_directory=True)
    code, lines = _report("--content", str(base_content), str(link))
    assert (code, lines[:-1]) == (1, [f"{link.as_posix()}:1:1: {FIX}"])
    code, lines = _report("--content", str(base_content), str(folder / "passwd"))
    assert (code, lines[:-1]) == (1, [f"{folder.as_posix()}:1:1: {FIX}"])
    dangling = base_content / "mentors" / "lakeshore-som" / "gone.yml"
    dangling.symlink_to(tmp_path / "nowhere.yml")
    code, lines = _report("--content", str(base_content), str(dangling))
    assert (code, lines[:-1]) == (1, [f"{dangling.as_posix()}:1:1: {FIX}"])


def test_the_content_folder_itself_may_be_a_link(base_content: Path, tmp_path: Path) -> None:
    """A checkout can live behind a link (a home folder on another disk): only links inside the
    content folder are refused."""
    link = tmp_path / "content-link"
    link.symlink_to(base_content, target_is_directory=True)
    result = validate_content(link)
    assert result.problems == []
    assert list(result.mentors) == ["ana-example"]

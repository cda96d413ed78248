"""Build output where content comes from: a cache or a built site committed to the repository
that holds the content, or lying inside the content folder, fails validation (and so the build)
with the path and the fix, and the build then reads no cache at all."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.content.build_output import CODE_COMMITTED, CODE_IN_CONTENT, build_output_problems
from generator.content.validation import VALIDATION_CACHE_FILE, validate_content
from generator.core import cache
from generator.core.cache import BUILD_MARKER, CACHE_DIR_NAME, default_cache_dir
from generator.core.problems import ContentError, Problem
from generator.site.bios import BIO_CACHE_FILE
from generator.site.build import build
from generator.site.page_writer import MANIFEST_FILE
from generator.site.patch import PATCH_STATE_FILE
from tests.core.test_cache import poison
from tests.support.paths import CASES

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MENTOR = Path("content/mentors/lakeshore-som/ana-example.yml")


def git(repo: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose content folder (tests/cases/base) is committed, and which
    ignores build output as the project's .gitignore does."""
    root = tmp_path / "repo"
    shutil.copytree(CASES / "base", root / "content")
    (root / ".gitignore").write_text("output/\n.mentormemed-cache/\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "content")
    return root


def commit_forced(repo: Path, *paths: str) -> None:
    git(repo, "add", "-f", "--", *paths)
    git(repo, "commit", "-q", "-m", "build output")


def codes(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in problems if p.code in {CODE_COMMITTED, CODE_IN_CONTENT}]


def test_a_clean_repository_with_ignored_build_output_passes(repo: Path) -> None:
    build(repo / "content", repo / "output", cache_dir=default_cache_dir(repo / "output"))
    assert (repo / CACHE_DIR_NAME / "output" / VALIDATION_CACHE_FILE).is_file()
    assert build_output_problems(repo / "content") == []
    assert validate_content(repo / "content").ok


def test_a_committed_cache_fails_validation_with_the_path_and_the_fix(repo: Path) -> None:
    cached = repo / CACHE_DIR_NAME / "output" / VALIDATION_CACHE_FILE
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"anything")
    commit_forced(repo, str(cached.relative_to(repo)))
    result = validate_content(repo / "content")
    assert not result.ok
    where = (repo / CACHE_DIR_NAME).as_posix()
    assert codes(result.problems) == [(where, CODE_COMMITTED)]
    (problem,) = [p for p in result.problems if p.code == CODE_COMMITTED]
    assert f"git rm -r --cached -- {where}" in problem.message and "never committed" in problem.message
    # reported whatever files are asked about: it is not a problem of one content file
    assert codes(validate_content(repo / "content", only=[repo / MENTOR]).problems) == [
        (where, CODE_COMMITTED)
    ]


def test_the_cli_reports_it_relative_to_where_it_runs(repo: Path) -> None:
    cached = repo / "content" / ".." / "site" / CACHE_DIR_NAME / "x"
    cached.parent.mkdir(parents=True)
    cached.write_text("x", encoding="utf-8")
    commit_forced(repo, "site")
    with contextlib.chdir(repo):
        done = CliRunner().invoke(cli, ["validate", "--content", "content", "--", str(MENTOR)])
    assert done.exit_code == 1, done.output
    assert f"site/{CACHE_DIR_NAME}:1:1: error[{CODE_COMMITTED}]" in done.output
    assert f"git rm -r --cached -- site/{CACHE_DIR_NAME}" in done.output


def test_committed_built_sites_and_stamps_are_reported_once_per_folder(repo: Path) -> None:
    for name in (
        "output/index.html",
        "output/mentors/a/index.html",
        f"docs/site/{BUILD_MARKER}",
        "outputs/x",
    ):
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    commit_forced(repo, "output", "docs", "outputs")
    problems = build_output_problems(repo / "content")
    assert codes(problems) == [
        ((repo / "docs/site" / BUILD_MARKER).as_posix(), CODE_COMMITTED),
        ((repo / "output").as_posix(), CODE_COMMITTED),
    ]


def test_a_committed_link_in_place_of_the_cache_is_reported(repo: Path) -> None:
    (repo / CACHE_DIR_NAME).symlink_to(repo / "content", target_is_directory=True)
    commit_forced(repo, CACHE_DIR_NAME)
    assert codes(build_output_problems(repo / "content")) == [
        ((repo / CACHE_DIR_NAME).as_posix(), CODE_COMMITTED)
    ]


def test_build_output_inside_the_content_folder_is_refused_whatever_git_says(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CASES / "base", content)
    (content / CACHE_DIR_NAME / "site").mkdir(parents=True)
    (content / "mentors" / "lakeshore-som" / BUILD_MARKER).write_text("x", encoding="utf-8")
    result = validate_content(content)
    assert codes(result.problems) == [
        ((content / CACHE_DIR_NAME).as_posix(), CODE_IN_CONTENT),
        ((content / "mentors" / "lakeshore-som" / BUILD_MARKER).as_posix(), CODE_IN_CONTENT),
    ]
    assert all("rm -r" in p.message for p in result.problems)


def test_a_poisoned_cache_committed_to_the_repository_is_never_loaded(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case: a pull request commits a cache where `mentormemed build` looks for it
    (pickles whose loading would run code, at the names the build used and uses), and makes a
    mentor file invalid. The build fails on the committed cache, reports the invalid file, runs
    nothing and reads no cache file."""
    output = repo / "output"
    cache_dir = default_cache_dir(output)
    build(repo / "content", output, cache_dir=cache_dir)  # an honest cache of the valid content
    markers = []
    for name in (
        VALIDATION_CACHE_FILE,
        MANIFEST_FILE,
        BIO_CACHE_FILE,
        PATCH_STATE_FILE,
        "validation.pickle",
        "pages.pickle",
    ):
        markers.append(repo.parent / f"ran-{name}")
        poison(cache_dir / name, markers[-1])
    commit_forced(repo, CACHE_DIR_NAME)
    mentor = repo / MENTOR
    mentor.write_text(
        mentor.read_text(encoding="utf-8").replace("accepting: true", "accepting: maybe"), "utf-8"
    )
    read: list[Path] = []
    real_read = cache._read_regular_file

    def recording_read(path: Path) -> bytes:
        read.append(path)
        return real_read(path)

    monkeypatch.setattr(cache, "_read_regular_file", recording_read)
    with pytest.raises(ContentError) as caught:
        build(repo / "content", output, cache_dir=cache_dir)
    reported = {(p.path, p.code) for p in caught.value.problems}
    assert ((repo / CACHE_DIR_NAME).as_posix(), CODE_COMMITTED) in reported
    assert any(path == mentor.as_posix() for path, _ in reported), "the invalid file is reported"
    assert read == [], "no cache file was opened"
    assert not [m for m in markers if m.exists()], "nothing in the cache ran"

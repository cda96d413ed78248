"""The pull-request summary comment and the preview (generator.profiles.feedback): the real
`mentormemed pr-comment` process against the local GitHub, fed the files a Validate run writes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.profiles.feedback import SUMMARY_MARKER, collect_preview
from generator.profiles.github import ProfileGitHub
from tests.support.fake_github import FakeGitHub
from tests.support.fake_github.git import git_data, seed_files

BIN = Path(sys.executable).parent / "mentormemed"


def open_pull(fake: FakeGitHub, author: str = "editor") -> tuple[int, str]:
    """A pull request changing one mentor file, as someone editing YAML would open it."""
    repo = fake.repo()
    seed_files(fake, repo, {"content/network.yml": "name: x\n"})
    gh = ProfileGitHub.from_env(fake.env())
    base = gh.default_branch()
    gh.create_branch("edit-ana", gh.branch_sha(base) or "")
    gh.write_file("content/mentors/lakeshore-som/ana-example.yml", "id: ana-example\n", "Edit", "edit-ana")
    pull = gh.create_pull(title="Edit", head="edit-ana", base=base, body="Editing a profile.")
    del author
    return pull.number, git_data(fake, repo).branches["edit-ana"]


def report(
    tmp_path: Path, number: int, sha: str, problems: list[dict[str, object]], name: str = "r"
) -> tuple[Path, Path]:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "report.json").write_text(
        json.dumps({"version": 1, "ok": not problems, "files_checked": 1, "problems": problems}),
        encoding="utf-8",
    )
    (folder / "pull.json").write_text(json.dumps({"number": number, "head_sha": sha}), encoding="utf-8")
    return folder / "report.json", folder / "pull.json"


def pr_comment(fake: FakeGitHub, files: tuple[Path, Path], head_sha: str) -> subprocess.CompletedProcess[str]:
    environ = {**{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}, **fake.env()}
    return subprocess.run(
        [str(BIN), "pr-comment", "--report", str(files[0]), "--pull", str(files[1]), "--head-sha", head_sha],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def summaries(fake: FakeGitHub, number: int) -> list[str]:
    return [c.body for c in fake.comments(fake.repo(), number) if c.user is fake.bot]


PROBLEM = {
    "path": "content/mentors/lakeshore-som/ana-example.yml",
    "line": 4,
    "col": 13,
    "code": "unknown-term",
    "message": "profession: 'MD' is not a known profession. Did you mean 'md'?",
}


def test_one_sticky_summary_updated_never_duplicated(fake_github: FakeGitHub, tmp_path: Path) -> None:
    number, sha = open_pull(fake_github)
    result = pr_comment(fake_github, report(tmp_path, number, sha, [PROBLEM]), sha)
    assert result.returncode == 0, result.stderr
    (text,) = summaries(fake_github, number)
    assert text.startswith(SUMMARY_MARKER + "\n") and "1 problem(s) to fix" in text
    assert "line 4" in text and "Did you mean" in text and "ana\\-example.yml" in text

    result = pr_comment(fake_github, report(tmp_path, number, sha, [], name="fixed"), sha)
    assert result.returncode == 0, result.stderr
    (text,) = summaries(fake_github, number)  # the same comment, updated
    assert "all valid" in text and "preview" in text


def test_a_report_aimed_at_another_commit_or_pull_request_is_not_posted(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    number, sha = open_pull(fake_github)
    other = "f" * 40
    # the artifact names this pull request, but the run was for another commit (a fork's run)
    result = pr_comment(fake_github, report(tmp_path, number, sha, [PROBLEM]), other)
    assert result.returncode == 1 and "not posted" in result.stderr
    # the artifact and the run agree, but the pull request is not at that commit
    result = pr_comment(fake_github, report(tmp_path, number, other, [PROBLEM], name="b"), other)
    assert result.returncode == 1 and "not posted" in result.stderr
    assert summaries(fake_github, number) == []


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps({"version": 1, "ok": True}),
        json.dumps([1, 2]),
        json.dumps({"version": "1", "ok": 1, "files_checked": 0, "problems": []}),
    ],
)
def test_a_report_of_another_shape_is_refused(fake_github: FakeGitHub, tmp_path: Path, text: str) -> None:
    number, sha = open_pull(fake_github)
    files = report(tmp_path, number, sha, [])
    files[0].write_text(text, encoding="utf-8")
    result = pr_comment(fake_github, files, sha)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert summaries(fake_github, number) == []


def test_hostile_report_text_stays_inert(fake_github: FakeGitHub, tmp_path: Path) -> None:
    number, sha = open_pull(fake_github)
    hostile = {
        **PROBLEM,
        "path": "content/<!-- mentormemed-pr-summary:v1 -->.yml",
        "code": "@octocat",
        "message": "x\n\n## Heading <img src=x onerror=alert(1)> [link](https://evil.example) @everyone ```",
    }
    result = pr_comment(fake_github, report(tmp_path, number, sha, [hostile]), sha)
    assert result.returncode == 0, result.stderr
    (text,) = summaries(fake_github, number)
    assert text.count("<!--") == 1  # the marker only: the path's cannot be read as one
    assert not re.search(r"(?<!\\)<img", text) and "](https" not in text  # escaped: shown, inert
    assert not re.search(r"(?<![\w\\])@[A-Za-z]", text)  # no @-mention GitHub would ping
    assert "\n## " not in text and not re.search(
        r"(?<!\\)`", text.split("\n", 1)[1].replace("`mentormemed", "")
    )


def test_preview_copies_only_the_changed_pages(tmp_path: Path) -> None:
    output = tmp_path / "output"
    for page in (
        "mentors/ana-example/index.html",
        "mentors/ben-test/index.html",
        "programs/lakeshore-som/index.html",
        "theme/css/site.css",
    ):
        (output / page).parent.mkdir(parents=True, exist_ok=True)
        (output / page).write_text(page, encoding="utf-8")
    changed = [
        "content/mentors/lakeshore-som/ana-example.yml",
        "content/programs/lakeshore-som.yml",
        "content/mentors/lakeshore-som/../../../etc.yml",
        "README.md",
    ]
    copied = collect_preview(output, changed, tmp_path / "preview")
    assert copied == ["mentors/ana-example/index.html", "programs/lakeshore-som/index.html"]
    assert (tmp_path / "preview" / "theme" / "css" / "site.css").is_file()
    assert not (tmp_path / "preview" / "mentors" / "ben-test").exists()

"""The reminder job (`mentormemed reminders`, the real process) against the local GitHub: one
issue per program with profiles due, opened once, updated, `/confirm` recorded, closed when
nothing is due, reopened (never a second one) when a profile is due again."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.bot.reminders import REMINDER_LABEL, marker
from generator.cli import cli
from tests.support.bot import write_bot_content
from tests.support.fake_github import FakeGitHub, Fault
from tests.support.fake_github.server import FakeIssue

pytestmark = [pytest.mark.e2e]

BIN = Path(sys.executable).parent / "mentormemed"
#: 11 months and a half after the fixtures' last_confirmed (2025-09-01): due, not yet stale.
DUE_DAY = "2026-08-15"


def run(fake: FakeGitHub, content: Path, today: str) -> subprocess.CompletedProcess[str]:
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
        **fake.env(),
        "MENTORMEMED_RETRY_BACKOFF": "0.05",
        "MENTORMEMED_TODAY": today,
    }
    result = subprocess.run(
        [str(BIN), "reminders", "--content", str(content)],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def reminders(fake: FakeGitHub) -> dict[str, FakeIssue]:
    """Program id → its reminder issue."""
    out: dict[str, FakeIssue] = {}
    for issue in fake.repo().issues.values():
        for program in ("lakeshore-som", "riverside-som"):
            if (issue.body or "").startswith(marker(program)):
                assert program not in out, f"two reminder issues for {program}"
                out[program] = issue
    return out


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_bot_content(
        tmp_path / "content",
        [("ben-test", "Ben Test", "ben-gh", 1), ("cara-test", "Cara Test", "cara-gh", 2)],
    )


def confirm_file(content: Path, mentor_id: str, day: str) -> None:
    result = CliRunner().invoke(cli, ["confirm", mentor_id, "--on", day, "--content", str(content)])
    assert result.exit_code == 0, result.output


def test_nothing_is_opened_before_a_profile_is_due(fake_github: FakeGitHub, content: Path) -> None:
    out = run(fake_github, content, "2026-07-31")
    assert fake_github.repo().issues == {}
    assert "opened" not in out.stdout


def test_one_issue_per_program_opened_once_updated_confirmed_closed_and_reopened(
    fake_github: FakeGitHub, content: Path
) -> None:
    fake = fake_github
    fake.now = datetime(2026, 8, 14, 9, 0, tzinfo=UTC)
    run(fake, content, DUE_DAY)
    issues = reminders(fake)
    assert set(issues) == {"lakeshore-som", "riverside-som"}
    riverside = issues["riverside-som"]
    assert REMINDER_LABEL.name in riverside.labels and riverside.user.login == fake.bot.login
    text = riverside.body or ""
    assert "@riverside-coord" in text  # the program's maintainers
    assert "@ben-gh" in text and "@cara-gh" in text
    assert "Ana Example" not in text  # another program's mentor

    # a second run changes nothing and opens nothing
    before = {n: (i.body, i.state) for n, i in fake.repo().issues.items()}
    run(fake, content, DUE_DAY)
    assert {n: (i.body, i.state) for n, i in fake.repo().issues.items()} == before

    # Ben confirms; someone else's /confirm for Cara counts for nothing
    fake.tick(86400)
    ben = fake.add_comment(fake.repo(), riverside.number, "/confirm all still right", author="ben-gh")
    mallory = fake.add_comment(fake.repo(), riverside.number, "/confirm (for cara)", author="mallory-gh")
    run(fake, content, DUE_DAY)
    body = fake.repo().issues[riverside.number].body or ""
    ben_line = next(line for line in body.splitlines() if "ben-test" in line)
    cara_line = next(line for line in body.splitlines() if "cara-test" in line)
    assert "confirmed by ben-gh on 2026-08-15" in ben_line
    assert "confirmed" not in cara_line
    assert [r[1] for r in fake.repo().comments[ben.id].reactions] == ["+1"]
    assert fake.repo().comments[mallory.id].reactions == []
    assert fake.repo().issues[riverside.number].state == "open"

    # the maintainers write the dates in a content pull request: riverside closes, lakeshore stays
    confirm_file(content, "ben-test", "2026-08-15")
    confirm_file(content, "cara-test", "2026-08-16")
    run(fake, content, "2026-08-20")
    assert fake.repo().issues[riverside.number].state == "closed"
    assert reminders(fake)["lakeshore-som"].state == "open"
    assert len(fake.repo().issues) == 2

    # eleven months after his new date Ben is due again (Cara, a day later, not yet): the same
    # issue reopens, no second one;
    # his old /confirm (before his new date) does not count again
    run(fake, content, "2027-07-15")
    again = fake.repo().issues[riverside.number]
    assert again.state == "open" and len(fake.repo().issues) == 2
    again_body = again.body or ""
    ben_line = next(line for line in again_body.splitlines() if "ben-test" in line)
    assert "confirmed" not in ben_line and "cara-test" not in again_body


def test_an_open_whose_answer_is_lost_is_not_repeated(fake_github: FakeGitHub, content: Path) -> None:
    fake = fake_github
    fake.inject("POST", "/repos/{owner}/{repo}/issues", Fault.server_error(502, apply=True))
    fake.inject("POST", "/repos/{owner}/{repo}/issues", Fault.dropped(apply=True))
    run(fake, content, DUE_DAY)
    assert set(reminders(fake)) == {"lakeshore-som", "riverside-som"}  # one each, not three
    assert len(fake.repo().issues) == 2


def test_confirm_keeps_the_file_and_refuses_an_unknown_mentor(content: Path) -> None:
    path = content / "mentors" / "riverside-som" / "ben-test.yml"
    before = path.read_text().splitlines()
    confirm_file(content, "ben-test", "2026-01-02")
    after = path.read_text().splitlines()
    assert [a for a, b in zip(before, after, strict=True) if a != b] == ["last_confirmed: 2025-09-01"]
    assert "last_confirmed: 2026-01-02" in after
    result = CliRunner().invoke(cli, ["confirm", "nobody-here", "--content", str(content)])
    assert result.exit_code == 1 and "no mentor file nobody-here.yml" in result.output

"""The scheduled run's API budget at 2,000 open requests, counted on the local GitHub: at most
2 × (open / 100) + (issues changed since the last run) × a small constant calls, well inside
GITHUB_TOKEN's 1,000 an hour; and it waits as GitHub's Retry-After and secondary limits ask.
(The figures are printed by benchmarks/bench_bot_schedule.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.bot.settings import BotSettings
from generator.bot.sweep import sweep
from tests.support.bot_scale import budget, client, context, fill, scale_content
from tests.support.fake_github import FakeGitHub, Fault

OPEN = 2000
CHANGED = 25


def test_budget_formula() -> None:
    assert budget(2000, 0) == 42 and budget(2000, 25) == 242 and budget(150, 1) == 14
    assert budget(OPEN, CHANGED) < 1000 // 2  # two runs an hour fit in GITHUB_TOKEN's limit


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scale_content(tmp_path_factory.mktemp("scale"))


@pytest.mark.slow
def test_2000_open_requests_within_budget(fake_github: FakeGitHub, content: Path) -> None:
    fake = fake_github
    numbers = fill(fake, OPEN)
    ctx = context(content, fake)
    settings = BotSettings(rebuild_issues_per_run=OPEN)
    gh = client(fake)

    # no snapshot: rebuilt from the issues (every state read once), nothing written
    start = len(fake.calls)
    snapshot, report = sweep(gh, ctx, fake.now, None, settings=settings)
    assert snapshot.complete and len(snapshot.issues) == OPEN and not report.written
    rebuild = len(fake.calls) - start
    assert rebuild <= OPEN + budget(OPEN, 0)
    assert snapshot.loads()["m000-test"] == len(range(0, OPEN, 60))

    # nothing changed: the open issues are listed, nothing else
    start = len(fake.calls)
    snapshot, report = sweep(gh, ctx, fake.now, snapshot, settings=settings)
    steady = len(fake.calls) - start
    assert report.read == 0 and not report.written and steady <= budget(OPEN, 0)
    assert all(c.method == "GET" for c in fake.calls[start:])

    # 25 issues changed (an answer on each): only they are read and written
    repo = fake.repo()
    for number in numbers[:CHANGED]:
        fake.add_comment(repo, number, "/met", author=f"mentee-{number - numbers[0]}")
    fake.advance(hours=1)
    start = len(fake.calls)
    snapshot, report = sweep(gh, ctx, fake.now, snapshot, settings=settings)
    changed = len(fake.calls) - start
    assert report.read == CHANGED and set(report.written) == set(numbers[:CHANGED])
    assert changed <= budget(OPEN, CHANGED), changed
    # and the run after it reads nothing again
    start = len(fake.calls)
    snapshot, report = sweep(gh, ctx, fake.now, snapshot, settings=settings)
    assert report.read == 0 and len(fake.calls) - start <= budget(OPEN, 0)


def test_retry_after_and_secondary_limits_are_waited(fake_github: FakeGitHub, content: Path) -> None:
    fake = fake_github
    fill(fake, 150)
    ctx = context(content, fake)
    sleeps: list[float] = []
    gh = client(fake, sleeps)
    route = "/repos/{owner}/{repo}/issues"
    fake.inject("GET", route, Fault.retry_after(7, status=429))
    secondary = Fault(403, {"message": "You have exceeded a secondary rate limit."}, {})
    fake.inject("GET", route, secondary, when=lambda call: call.query.get("page") == ["2"])
    snapshot, report = sweep(gh, ctx, fake.now, None, settings=BotSettings(rebuild_issues_per_run=500))
    assert snapshot.complete and len(snapshot.issues) == 150 and not report.failed
    assert 7 in sleeps  # Retry-After: 7, as GitHub asked
    assert 60 in sleeps  # a secondary limit without Retry-After: a minute


def test_a_rate_limit_longer_than_allowed_stops_the_run_and_keeps_what_was_done(
    fake_github: FakeGitHub, content: Path
) -> None:
    fake = fake_github
    numbers = fill(fake, 120)
    ctx = context(content, fake)
    gh = client(fake)
    route = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
    fake.inject(
        "GET",
        route,
        Fault.retry_after(3600, status=429),
        when=lambda c: c.path.endswith(f"/{numbers[50]}/comments"),
    )
    snapshot, report = sweep(gh, ctx, fake.now, None, settings=BotSettings(rebuild_issues_per_run=500))
    assert not snapshot.complete and report.stopped is not None and "rate limited" in report.stopped
    kept = len(snapshot.issues)
    assert 0 < kept < 120
    again, report = sweep(gh, ctx, fake.now, snapshot, settings=BotSettings(rebuild_issues_per_run=500))
    assert again.complete and len(again.issues) == 120 and report.read == 120 - kept

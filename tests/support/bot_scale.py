"""A request repository at scale on the local GitHub, for the scheduled run's API budget
(tests/bot/test_schedule_budget.py and benchmarks/bench_bot_schedule.py)."""

from __future__ import annotations

import math
from datetime import UTC, timedelta
from pathlib import Path

from generator.bot.github import GitHubClient, RetryPolicy
from generator.bot.plan import Context
from generator.bot.run import make_context
from generator.bot.state import MARKER, BotState, Placement, dump_state
from generator.content.models import Request
from generator.requests.issue_form import REQUEST_LABEL, render_issue_body
from tests.support.bot import write_bot_content
from tests.support.fake_github import FakeGitHub

MENTORS = [(f"m{i:03d}-test", f"Mentor {i:03d} Test", f"m{i:03d}-gh", 20) for i in range(60)]


def budget(open_requests: int, changed: int, *, per_issue: int = 8, fixed: int = 2) -> int:
    """The issue's budget: 2 × (open requests / 100) + changed × a small constant."""
    return 2 * math.ceil(open_requests / 100) + changed * per_issue + fixed


def scale_content(root: Path) -> Path:
    return write_bot_content(root, MENTORS)


def fill(fake: FakeGitHub, count: int) -> list[int]:
    """COUNT open request issues, each with the bot's main comment: one mentor accepted a day
    ago (nothing is due for two weeks). Made directly in the fake (no HTTP)."""
    repo = fake.repo()
    body = render_issue_body(Request(needs=["residency-application"], team_size=1))
    day = (fake.now - timedelta(days=1)).astimezone(UTC).date().isoformat()
    numbers = []
    for index in range(count):
        issue = fake.open_issue(repo, body=body, author=f"mentee-{index}", labels=[REQUEST_LABEL, "accepted"])
        mentor = MENTORS[index % len(MENTORS)][0]
        state = BotState(
            phase="matched",
            team_size=1,
            team=[
                Placement(
                    mentor=mentor, status="accepted", offered_on=day, answered_on=day, health="too-early"
                )
            ],
        )
        fake.add_comment(
            repo, issue.number, f"{MARKER}\nYour team.\n\n{dump_state(state)}\n", author=fake.bot
        )
        numbers.append(issue.number)
    return numbers


def client(fake: FakeGitHub, sleeps: list[float] | None = None) -> GitHubClient:
    env = fake.env()
    record = sleeps if sleeps is not None else []
    return GitHubClient(
        env["GITHUB_TOKEN"],
        env["GITHUB_REPOSITORY"],
        env["GITHUB_API_URL"],
        retry=RetryPolicy(backoff=0.01, max_wait=120),
        sleep=record.append,
    )


def context(content: Path, fake: FakeGitHub) -> Context:
    return make_context(content, "https://example.org/dir", f"{fake.server_url}/{fake.repo().full_name}")

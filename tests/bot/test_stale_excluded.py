"""The request bot offers no place to a mentor whose profile is stale (docs/freshness.md),
even one the mentee names; the same request with the profile confirmed does."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.bot.github import Actor, GitHubIssue
from generator.bot.plan import PostComment, plan
from generator.bot.run import make_context
from generator.content.models import Request
from generator.requests.issue_form import REQUEST_LABEL, render_issue_body
from tests.support.bot import write_bot_content

T0 = datetime(2024, 11, 20, 9, 0, tzinfo=UTC)


def _issue(body: str) -> GitHubIssue:
    return GitHubIssue(
        number=7,
        title="Mentor request",
        body=body,
        state="open",
        state_reason=None,
        locked=False,
        lock_reason=None,
        labels=(REQUEST_LABEL,),
        author=Actor("mentee", "User"),
        author_association="NONE",
        is_pull_request=False,
        html_url="https://github.com/o/r/issues/7",
        created_at=T0,
        updated_at=T0,
    )


def _suggested(root: Path) -> str:
    ctx = make_context(root, "https://example.org/dir", "https://github.com/o/r")
    body = render_issue_body(
        Request.model_validate({"needs": ["residency-application"], "mentors": ["ben-test"], "team_size": 1})
    )
    planned = plan(_issue(body), [], me="github-actions[bot]", ctx=ctx, load=lambda: {})
    return "\n".join(a.body for a in planned.actions if isinstance(a, PostComment))


@pytest.mark.parametrize(("confirmed", "offered"), [("2024-06-01", True), ("2023-06-01", False)])
def test_a_named_mentor_gets_a_place_only_while_their_profile_is_fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, confirmed: str, offered: bool
) -> None:
    monkeypatch.setenv("MENTORMEMED_TODAY", "2024-12-01")  # 2023-06-01 + 12 months is past
    root = write_bot_content(
        tmp_path / "content",
        [("ben-test", "Ben Test", "ben-gh", 2), ("cara-test", "Cara Test", "cara-gh", 2)],
    )
    ben = root / "mentors" / "riverside-som" / "ben-test.yml"
    ben.write_text(ben.read_text().replace("last_confirmed: 2025-09-01", f"last_confirmed: {confirmed}"))
    comments = _suggested(root)
    assert comments, "the bot answered the request"
    assert ("@ben-gh" in comments) is offered
    if not offered:
        assert "Cara Test" in comments or "@cara-gh" in comments or "Ana Example" in comments

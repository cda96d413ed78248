"""Opening and editing whole issues (the reminder job's), through the client's retrying
session. Kept apart from :mod:`generator.bot.github`, whose operations the request bot uses.

:func:`create_issue` may raise :class:`~generator.bot.github.AmbiguousWriteError` when GitHub
may or may not have made the issue: the caller looks for it before opening another.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from generator.bot.github import GitHubClient, GitHubIssue, _issue


def create_issue(gh: GitHubClient, title: str, body: str, labels: Iterable[str] = ()) -> GitHubIssue:
    """``POST /repos/{owner}/{repo}/issues``."""
    payload = {"title": title, "body": body, "labels": list(labels)}
    with gh._operation("open an issue", create=True):
        return _issue(gh._send("POST", gh._url("issues"), 201, payload))


def edit_issue(
    gh: GitHubClient,
    number: int,
    *,
    body: str | None = None,
    state: Literal["open", "closed"] | None = None,
) -> GitHubIssue:
    """``PATCH`` the body and/or the state of an issue (closed as completed)."""
    payload: dict[str, object] = {}
    if body is not None:
        payload["body"] = body
    if state is not None:
        payload["state"] = state
        if state == "closed":
            payload["state_reason"] = "completed"
    with gh._operation(f"edit issue #{number}"):
        return _issue(gh._send("PATCH", gh._url("issues", number), 200, payload))

"""Carry out a :class:`~generator.bot.plan.Plan` through the GitHub client, in its order.

Each action is one client call, and the client keeps the writes safe to repeat: a new comment
goes through :meth:`GitHubClient.upsert_comment`, which looks for the comment's marker first
and again after a POST that may or may not have been carried out (a comment is never posted
twice); reactions and labels are safe to send again. If a call fails, the writes before it
stand and the next run plans from them (the issue as it is then). Logs name the issue, the
comment ids and the kinds of write, never a comment's text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import assert_never

from generator.bot.github import GitHubClient
from generator.bot.plan import (
    Action,
    AddLabels,
    CloseIssue,
    EditComment,
    EnsureLabels,
    LockIssue,
    Plan,
    PostComment,
    React,
    RemoveLabel,
)

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a run wrote (for the log and the tests)."""

    issue: int
    written: list[str] = field(default_factory=list)


def _perform(gh: GitHubClient, number: int, action: Action) -> list[str]:
    """Carry out one action; what it wrote, in words for the job's log."""
    match action:
        case PostComment(kind=kind, marker=marker, body=body):
            comment, result = gh.upsert_comment(number, marker, body)
            log.info("issue #%d: %s comment %d %s", number, kind, comment.id, result)
            return [] if result == "unchanged" else [f"{kind} comment {result}"]
        case EditComment(kind=kind, comment_id=comment_id, body=body):
            gh.update_comment(comment_id, body)
            log.info("issue #%d: %s comment %d updated", number, kind, comment_id)
            return [f"{kind} comment updated"]
        case React(comment_id=comment_id, content=content):
            gh.add_reaction(comment_id, content)
            return [f"reaction to {comment_id}"]
        case EnsureLabels(labels=labels):
            return [f"label {name} created" for name in gh.ensure_labels(labels)]
        case RemoveLabel(name=name):
            gh.remove_label(number, name)
            return [f"label {name} removed"]
        case AddLabels(names=names):
            gh.add_labels(number, names)
            return [f"label {name}" for name in names]
        case CloseIssue(reason=reason):
            gh.close_issue(number, reason)
            return ["closed"]
        case LockIssue(reason=reason):
            gh.lock_issue(number, reason)
            return ["locked"]
        case _:
            assert_never(action)


def execute(gh: GitHubClient, plan: Plan) -> Outcome:
    """Make every write of PLAN, in order; a GitHubError stops at the failed one."""
    outcome = Outcome(plan.number)
    for action in plan.actions:
        outcome.written += _perform(gh, plan.number, action)
    return outcome

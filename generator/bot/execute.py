"""Carry out a :class:`~generator.bot.plan.Plan` through the GitHub client, in its order.

Each action is one client call, and the client keeps the writes safe to repeat: a new comment
goes through :meth:`GitHubClient.upsert_comment`, which looks for the comment's marker first
and again after a POST that may or may not have been carried out (a comment is never posted
twice); reactions and labels are safe to send again. If a call fails, the run stops there:
the writes before it stand, one error line says which write failed and what was written,
and the next run on the issue plans from the issue as it is then, so it makes the rest (and
nothing twice). Logs name the issue, the comment ids and the kinds of write, never a
comment's text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import assert_never

from generator.bot.github import GitHubClient, GitHubError
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


def describe(action: Action) -> str:
    """One write, in words for the log (no text of the issue)."""
    match action:
        case PostComment(kind=kind):
            return f"post the {kind} comment"
        case EditComment(kind=kind, comment_id=comment_id):
            return f"update the {kind} comment {comment_id}"
        case React(comment_id=comment_id):
            return f"react to comment {comment_id}"
        case EnsureLabels():
            return "create the missing labels"
        case RemoveLabel(name=name):
            return f"remove the label {name}"
        case AddLabels(names=names):
            return "add the label " + ", ".join(names)
        case CloseIssue():
            return "close the issue"
        case LockIssue():
            return "lock the issue"
        case _:
            assert_never(action)


def execute(gh: GitHubClient, plan: Plan) -> Outcome:
    """Make every write of PLAN, in order; a GitHubError stops at the failed one (logged,
    then raised: the writes before it stand, and the next run makes the rest)."""
    outcome = Outcome(plan.number)
    for index, action in enumerate(plan.actions, 1):
        try:
            outcome.written += _perform(gh, plan.number, action)
        except GitHubError:
            log.error(
                "issue #%d: stopped at write %d of %d (%s); written before it: %s. The issue is "
                "part-way: the next run on it (re-run this job, or any new event) makes the rest",
                plan.number,
                index,
                len(plan.actions),
                describe(action),
                ", ".join(outcome.written) or "nothing",
            )
            raise
    return outcome

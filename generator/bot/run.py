"""The request bot's entry point: one GitHub Actions event in, the issue brought up to date.

`triage` reads the event payload only to decide whether to act and which issue; everything
else comes from the API as it is now (a concurrency group keeps one pending run per issue,
so intermediate events may be dropped). `run_issue` reads the issue and its comments,
`generator.bot.plan` works out every write that brings it up to date without calling GitHub,
and `generator.bot.execute` makes those writes. A second run of the same event plans nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.bot.execute import Outcome, execute
from generator.bot.github import GitHubClient
from generator.bot.plan import Context, is_request_issue, plan, saved_state
from generator.bot.snapshot import Snapshot
from generator.requests.issue_form import REQUEST_LABEL

log = logging.getLogger(__name__)

ISSUE_ACTIONS = frozenset({"opened", "edited", "reopened", "labeled", "closed"})


class EventError(ValueError):
    """The event payload is not what Actions writes."""


class IssueHeld(RuntimeError):
    """The plan for an issue is held (its `hold` says why): nothing was written."""

    def __init__(self, number: int, reason: str) -> None:
        super().__init__(
            f"{reason}; nothing was written. A maintainer must repair or delete that comment "
            "(docs/bot-runbook.md, 'When the bot holds an issue')"
        )
        self.number = number


@dataclass(frozen=True)
class Target:
    """The issue an event is about, or why it is skipped."""

    number: int | None
    skip: str | None = None


def triage(event_name: str, payload: Mapping[str, Any]) -> Target:
    """Which issue to bring up to date, from the payload alone (no API call)."""
    issue = payload.get("issue")
    sender = payload.get("sender")
    if not isinstance(issue, Mapping) or not isinstance(issue.get("number"), int):
        raise EventError("the event has no issue number")
    number = int(issue["number"])
    action = payload.get("action")
    if event_name not in ("issues", "issue_comment"):
        return Target(None, f"event {event_name!r} is not handled")
    if isinstance(sender, Mapping) and (
        sender.get("type") == "Bot" or str(sender.get("login", "")).endswith("[bot]")
    ):
        return Target(None, "sent by a bot")
    if issue.get("pull_request"):
        return Target(None, "a pull request")
    labels = {str(lb.get("name", "")).lower() for lb in issue.get("labels") or () if isinstance(lb, Mapping)}
    if REQUEST_LABEL not in labels:
        return Target(None, f"no {REQUEST_LABEL!r} label")
    if event_name == "issues":
        if action not in ISSUE_ACTIONS:
            return Target(None, f"issues.{action} is not handled")
        label = payload.get("label")
        if action == "labeled" and (
            not isinstance(label, Mapping) or str(label.get("name", "")).lower() != REQUEST_LABEL
        ):
            return Target(None, "another label was added")
    else:
        if action != "created":
            return Target(None, f"issue_comment.{action} is not handled")
        comment = payload.get("comment")
        user = comment.get("user") if isinstance(comment, Mapping) else None
        if isinstance(user, Mapping) and (
            user.get("type") == "Bot" or str(user.get("login", "")).endswith("[bot]")
        ):
            return Target(None, "a comment by a bot")
    return Target(number)


def accepted_load(
    gh: GitHubClient, me: str, current: int, snapshot: Snapshot | None = None
) -> dict[str, int]:
    """Mentees per mentor: the places recorded as accepted on every request issue but CURRENT.

    The request issues are listed (one call per 100); with a complete ``snapshot`` of the
    scheduled run (:mod:`generator.bot.snapshot`), an issue GitHub says is unchanged since
    (same ``updated_at``) is counted from the snapshot, and only the others have their comments
    read — the issues stay the source of truth, the snapshot only saves reading them again."""
    counts: dict[str, int] = {}
    known = snapshot.issues if snapshot is not None and snapshot.complete else {}
    read = 0
    for issue in gh.list_issues(labels=[REQUEST_LABEL], state="all"):
        if issue.number == current:
            continue
        entry = known.get(issue.number)
        if entry is not None and entry.updated_at == issue.updated_at and not entry.held:
            for mentor_id in entry.state.accepted_places() if entry.state else ():
                counts[mentor_id] = counts.get(mentor_id, 0) + 1
            continue
        read += 1
        saved = saved_state(gh.list_comments(issue.number), me)
        if saved.problem is not None:
            log.warning(
                "load: issue #%d: the bot's state cannot be read (%s); its places are not counted",
                issue.number,
                saved.problem,
            )
        state = saved.state
        for mentor_id in state.accepted_places() if state else ():
            counts[mentor_id] = counts.get(mentor_id, 0) + 1
    log.info(
        "load: %d accepted place(s) on other requests; %d issue(s) read, the rest from the snapshot",
        sum(counts.values()),
        read,
    )
    return counts


def run_issue(gh: GitHubClient, ctx: Context, number: int, snapshot: Snapshot | None = None) -> Outcome:
    """Bring issue NUMBER up to date: read it, plan, execute. Raises GitHubError (some writes
    may stand: the next run makes the rest), or IssueHeld (nothing was written). ``snapshot``:
    the scheduled run's, to count the load without reading every issue (:func:`accepted_load`)."""
    issue = gh.get_issue(number)
    if not is_request_issue(issue):
        log.info("issue #%d: skipped (not a request issue now)", number)
        return Outcome(number)
    me = gh.own_login()
    comments = gh.list_comments(number)
    planned = plan(issue, comments, me=me, ctx=ctx, load=lambda: accepted_load(gh, me, number, snapshot))
    if planned.hold is not None:
        raise IssueHeld(number, planned.hold)
    return execute(gh, planned)


def make_context(content: Path, site_url: str, repository_url: str) -> Context:
    """Load and validate the network once; raises ContentError."""
    from generator.content.vocabulary import vocabulary
    from generator.matching.network import load_matchable

    vocab = vocabulary()
    return Context(load_matchable(content, vocab=vocab), vocab, site_url, repository_url)

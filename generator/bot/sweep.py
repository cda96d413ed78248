"""The scheduled run: every open request issue brought up to date with what time changed.

`sweep` lists the open request issues (one call per 100), compares each with the snapshot
carried from the last run (generator.bot.snapshot) and reads the comments only of the issues
that changed since (their `updated_at` differs), that left the open list (closed since), or
that something is due on now (an offer expired, a check-in, the `/keep` question), according
to the state the snapshot holds. Those it plans with the clock (generator.bot.plan, with
generator.bot.schedule) and writes (generator.bot.execute); the mentors' load comes from the
snapshot, so no other issue is read. API calls: about ``ceil(open / 100)`` to list, plus a
small constant per issue read (its comments, the writes, one read of the issue after them).

A snapshot that cannot be used is rebuilt first (see generator.bot.snapshot): the request
issues, open and closed, are listed and their states read, at most ``rebuild_issues_per_run``
per run; nothing is written until it is complete.

Errors: a rate limit (GitHub says wait longer than the retry policy allows) stops the run at
once, and the snapshot keeps what was done; any other GitHub failure on one issue is logged,
the issue is read again next run, and the run goes on with the others. Either way the snapshot
is returned for saving, and `Report.failed` says which issues failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from generator.bot.execute import execute
from generator.bot.github import GitHubClient, GitHubError, GitHubIssue, RateLimitedError
from generator.bot.plan import (
    Clock,
    Context,
    EditComment,
    Plan,
    PostComment,
    is_request_issue,
    plan,
    saved_state,
)
from generator.bot.schedule import is_due
from generator.bot.settings import BotSettings
from generator.bot.snapshot import Entry, Snapshot, usable, with_entries
from generator.bot.state import BotState, load_state
from generator.requests.issue_form import REQUEST_LABEL

log = logging.getLogger(__name__)


@dataclass
class Report:
    """What one scheduled run did (for the log, the job summary and the tests)."""

    listed: int = 0
    read: int = 0
    written: dict[int, list[str]] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    rebuilding: bool = False
    rebuild_reason: str | None = None
    stopped: str | None = None  # why the run stopped early (a rate limit)


#: An `updated_at` no issue has: the issue is read again by the next run.
UNKNOWN = datetime.min.replace(tzinfo=UTC)


def _planned_state(planned: Plan, fallback: BotState | None) -> BotState | None:
    """The state the plan's main comment holds, if it writes one."""
    for action in planned.actions:
        if isinstance(action, PostComment | EditComment) and action.kind == "main":
            return load_state(action.body)
    return fallback


def _read(gh: GitHubClient, issue: GitHubIssue, me: str) -> Entry:
    saved = saved_state(gh.list_comments(issue.number), me)
    held = saved.problem is not None
    return Entry(updated_at=issue.updated_at, open=issue.state == "open", state=saved.state, held=held)


def sweep(
    gh: GitHubClient,
    ctx: Context,
    now: datetime,
    snapshot: Snapshot | None,
    *,
    settings: BotSettings | None = None,
    dry_run: bool = False,
    on_progress: Callable[[Snapshot], None] | None = None,
) -> tuple[Snapshot, Report]:
    """One scheduled run at NOW; the snapshot to keep, and what was done."""
    settings = settings or ctx.settings or BotSettings()
    report = Report()
    me = gh.own_login()
    why = usable(snapshot, gh.repository, now, settings.snapshot_max_age_days)
    if snapshot is None or why is not None:
        report.rebuild_reason = why
        log.info("snapshot: rebuilt from the issues (%s)", why)
        snapshot = Snapshot(repository=gh.repository, made_at=now, complete=False)
    entries = dict(snapshot.issues)

    if not snapshot.complete:
        report.rebuilding = True
        every = [i for i in gh.list_issues(labels=[REQUEST_LABEL], state="all") if is_request_issue(i)]
        report.listed = len(every)
        todo = [i for i in every if i.number not in entries or entries[i.number].updated_at != i.updated_at]
        for issue in todo[: settings.rebuild_issues_per_run]:
            try:
                entries[issue.number] = _read(gh, issue, me)
                report.read += 1
            except RateLimitedError as exc:
                report.stopped = str(exc)
                break
            except GitHubError as exc:
                report.failed[issue.number] = str(exc)
        done = report.stopped is None and not report.failed and len(todo) <= settings.rebuild_issues_per_run
        numbers = {i.number for i in every}
        entries = {n: e for n, e in entries.items() if n in numbers}
        snapshot = with_entries(snapshot, entries, complete=done, made_at=now)
        log.info(
            "snapshot: %d of %d request issue(s) read%s",
            len(entries),
            len(every),
            "; complete" if done else "; the next run goes on",
        )
        if not done or dry_run:
            return snapshot, report
        report.rebuilding = False

    listed = [i for i in gh.list_issues(labels=[REQUEST_LABEL], state="open") if is_request_issue(i)]
    report.listed = len(listed)
    open_now = {i.number: i for i in listed}
    # issues the snapshot has open that are not open now: closed (or no longer requests) since
    gone: list[GitHubIssue] = []
    for number, entry in sorted(entries.items()):
        if entry.open and number not in open_now:
            try:
                gone.append(gh.get_issue(number))
            except GitHubError as exc:
                report.failed[number] = str(exc)
                if isinstance(exc, RateLimitedError):
                    report.stopped = str(exc)
                    return with_entries(snapshot, entries, made_at=now), report
    for issue in gone:
        if not is_request_issue(issue):
            entries.pop(issue.number, None)
            continue
        try:
            entries[issue.number] = _read(gh, issue, me)
            report.read += 1
        except GitHubError as exc:
            report.failed[issue.number] = str(exc)

    clock = Clock(now)
    for issue in sorted(listed, key=lambda i: i.number):
        known = entries.get(issue.number)
        changed = known is None or known.updated_at != issue.updated_at or not known.open
        if (
            not changed
            and known is not None
            and (known.held or not is_due(issue, known.state, now, settings))
        ):
            continue
        try:
            comments = gh.list_comments(issue.number)
            report.read += 1
            planned = plan(
                issue,
                comments,
                me=me,
                ctx=ctx,
                load=partial(snapshot.loads, exclude=issue.number),
                clock=clock,
            )
            if planned.hold is not None:
                log.warning("issue #%d: held (%s)", issue.number, planned.hold)
                entries[issue.number] = Entry(updated_at=issue.updated_at, open=True, held=True)
                continue
            saved = saved_state(comments, me)
            if not planned.actions or dry_run:
                entries[issue.number] = Entry(updated_at=issue.updated_at, open=True, state=saved.state)
                continue
            # until the writes are all made, the issue is read again by the next run
            entries[issue.number] = Entry(updated_at=UNKNOWN, open=True, state=saved.state)
            outcome = execute(gh, planned)
            report.written[issue.number] = outcome.written
            fresh = gh.get_issue(issue.number)  # its new updated_at: unchanged next run unless touched
            entries[issue.number] = Entry(
                updated_at=fresh.updated_at,
                open=fresh.state == "open",
                state=_planned_state(planned, saved.state),
            )
        except RateLimitedError as exc:
            report.failed[issue.number] = str(exc)
            report.stopped = str(exc)
            break
        except GitHubError as exc:
            report.failed[issue.number] = str(exc)
            log.error("issue #%d: %s; it is read again next run", issue.number, exc)
        snapshot = with_entries(snapshot, entries)
        if on_progress is not None:
            on_progress(snapshot)
    return with_entries(snapshot, entries, made_at=now, complete=True), report

"""The reminder job: one issue per program listing its profiles due for confirmation.

Run on a schedule (``.github/workflows/reminders.yml``, ``mentormemed reminders``). For each
program with profiles due (``last_confirmed`` older than ``stale_after_months`` minus one
month: :mod:`generator.content.freshness`), it opens, or updates, or reopens the program's one
reminder issue: labelled ``profile-reminder``, its body's first line a marker naming the
program, written by the job's own login. It mentions the program's maintainers and each due
mentor's GitHub account. When no profile of the program is due any more (the files were
updated), it closes the issue. It never opens a second one: an existing issue, open or
closed, is found by its marker first, and an open whose answer was lost is looked for again
before another is tried.

A mentor confirms by commenting ``/confirm`` on their program's reminder, from the GitHub
account in their file's ``contact.github``. The job records it: a 👍 on the comment and a line
in the issue's body ("confirmed by @login on <date>"). It does not change the file: the job's
token may not write content, and a profile reaches the site only through a reviewed pull
request (CODEOWNERS, validation). The program's maintainers set ``last_confirmed`` to that
date in their next content pull request (``mentormemed confirm`` does the edit); the issue
closes on the next run after that pull request is merged. docs/freshness.md says why.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generator.bot.github import (
    AmbiguousWriteError,
    GitHubClient,
    GitHubComment,
    GitHubIssue,
    LabelSpec,
    first_line,
)
from generator.bot.issue_writes import create_issue, edit_issue
from generator.content.freshness import FreshnessPolicy
from generator.content.models import Mentor, Program

log = logging.getLogger(__name__)

REMINDER_LABEL = LabelSpec(
    "profile-reminder", "c5def5", "Mentor profiles due for confirmation (opened by the reminder job)"
)
_CONFIRM = re.compile(r"^\s*/confirm\b", re.IGNORECASE)


def marker(program_id: str) -> str:
    return f"<!-- mentormemed:profile-reminder program={program_id} -->"


@dataclass(frozen=True)
class DueProfile:
    mentor_id: str
    name: str
    github: str | None
    last_confirmed: dt.date
    stale_on: dt.date
    stale: bool


@dataclass(frozen=True)
class Confirmation:
    mentor_id: str
    login: str
    on: dt.date
    url: str


@dataclass
class ReminderOutcome:
    """What the run did for one program: opened, updated, reopened, closed or unchanged."""

    program: str
    action: str
    number: int | None = None
    due: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)


def due_profiles(
    mentors: Iterable[Mentor], as_of: dt.date, policy: FreshnessPolicy
) -> dict[str, list[DueProfile]]:
    """Program id → its profiles due on ``as_of`` (oldest confirmation first)."""
    out: dict[str, list[DueProfile]] = {}
    for m in sorted(mentors, key=lambda m: (m.last_confirmed, m.id)):
        if policy.is_due(m.last_confirmed, as_of):
            github = m.contact.github if m.contact else None
            out.setdefault(m.program, []).append(
                DueProfile(
                    m.id,
                    m.name,
                    github,
                    m.last_confirmed,
                    policy.stale_on(m.last_confirmed),
                    policy.is_stale(m.last_confirmed, as_of),
                )
            )
    return out


def confirmations(
    comments: Iterable[GitHubComment], due: Iterable[DueProfile], me: str
) -> dict[str, Confirmation]:
    """Mentor id → the first ``/confirm`` from their own account, made after their file's date.

    A comment counts only when its first word is ``/confirm`` and its author's login is the
    mentor's ``contact.github`` (without case); anyone else's is ignored.
    """
    by_login = {d.github.lower(): d for d in due if d.github}
    found: dict[str, Confirmation] = {}
    for comment in sorted(comments, key=lambda c: (c.created_at, c.id)):
        if comment.author.login == me or not _CONFIRM.match(comment.body or ""):
            continue
        profile = by_login.get(comment.author.login.lower())
        if profile is None or profile.mentor_id in found:
            continue
        day = comment.created_at.date()
        if day > profile.last_confirmed:
            found[profile.mentor_id] = Confirmation(
                profile.mentor_id, comment.author.login, day, comment.html_url
            )
    return found


def _mention(login: str) -> str:
    return f"@{login}"


def reminder_title(program: Program) -> str:
    return f"Mentor profiles to confirm: {program.name}"


def reminder_body(
    program: Program,
    due: list[DueProfile],
    confirmed: Mapping[str, Confirmation],
    policy: FreshnessPolicy,
) -> str:
    """The issue's body: the marker, who is asked, and each due profile's state."""
    lines = [
        marker(program.id),
        f"{' '.join(_mention(m) for m in program.maintainers)}: these profiles of **{program.name}** "
        f"were last confirmed more than {policy.warn_after_months} months ago. A profile not confirmed "
        f"within {policy.stale_after_months} months is marked on the site and gets no new mentees "
        "until it is confirmed.",
        "",
        "**Mentors:** if your profile is listed, check it on the site (every field, and that you still "
        "agree to show the identities listed), then comment `/confirm` here from the GitHub account in "
        "your profile. Ask a maintainer to change anything that is out of date.",
        "",
        "| Profile | Last confirmed | State |",
        "| --- | --- | --- |",
    ]
    for d in due:
        who = f"{d.name} (`{d.mentor_id}`" + (
            f", {_mention(d.github)})" if d.github else ", no GitHub account: a maintainer confirms)"
        )
        c = confirmed.get(d.mentor_id)
        if c is not None:
            state = f"✅ confirmed by {c.login} on {c.on.isoformat()}: to be written to the file"
        elif d.stale:
            state = f"⚠️ stale since {d.stale_on.isoformat()}"
        else:
            state = f"due: stale on {d.stale_on.isoformat()}"
        lines.append(f"| {who} | {d.last_confirmed.isoformat()} | {state} |")
    lines += [
        "",
        "**Maintainers:** in your next content pull request, set `last_confirmed` of each confirmed "
        "profile to the date above (`mentormemed confirm MENTOR_ID --on DATE`). This issue is updated "
        "on every run and closes once no profile is due.",
    ]
    return "\n".join(lines) + "\n"


def _mine(issues: Iterable[GitHubIssue], me: str) -> dict[str, list[GitHubIssue]]:
    """Program id → the reminder issues the job opened for it, open ones first, then oldest."""
    found: dict[str, list[GitHubIssue]] = {}
    for issue in issues:
        line = first_line(issue.body or "")
        match = re.fullmatch(r"<!-- mentormemed:profile-reminder program=([a-z0-9-]+) -->", line)
        if match and issue.author.login == me:
            found.setdefault(match.group(1), []).append(issue)
    for items in found.values():
        items.sort(key=lambda i: (i.state != "open", i.number))
    return found


def _open(gh: GitHubClient, program: Program, body: str, me: str, attempts: int = 3) -> GitHubIssue:
    """Open the program's reminder; after an answer that was lost, look for it before trying again."""
    for attempt in range(1, attempts + 1):
        try:
            return create_issue(gh, reminder_title(program), body, [REMINDER_LABEL.name])
        except AmbiguousWriteError:
            existing = _mine(gh.list_issues(labels=[REMINDER_LABEL.name], state="all"), me).get(program.id)
            if existing:
                return existing[0]
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


def run_reminders(
    gh: GitHubClient,
    programs: Mapping[str, Program],
    mentors: Mapping[str, Mentor],
    as_of: dt.date,
    policy: FreshnessPolicy,
) -> list[ReminderOutcome]:
    """Bring every program's reminder issue up to date; what was done, program by program."""
    me = gh.own_login()
    gh.ensure_labels([REMINDER_LABEL])
    existing = _mine(gh.list_issues(labels=[REMINDER_LABEL.name], state="all"), me)
    due_by_program = due_profiles(mentors.values(), as_of, policy)
    outcomes: list[ReminderOutcome] = []
    for program_id in sorted(set(due_by_program) | set(existing)):
        program = programs.get(program_id)
        issues = existing.get(program_id, [])
        issue = issues[0] if issues else None
        due = due_by_program.get(program_id, [])
        if program is None or not due:
            if issue is not None and issue.state == "open":
                edit_issue(gh, issue.number, state="closed")
                outcomes.append(ReminderOutcome(program_id, "closed", issue.number))
            else:
                outcomes.append(ReminderOutcome(program_id, "unchanged", issue.number if issue else None))
            continue
        comments = gh.list_comments(issue.number) if issue is not None else []
        confirmed = confirmations(comments, due, me)
        for c in comments:
            if any(c.html_url == found.url for found in confirmed.values()):
                gh.add_reaction(c.id, "+1")
        body = reminder_body(program, due, confirmed, policy)
        due_ids, confirmed_ids = [d.mentor_id for d in due], sorted(confirmed)
        if issue is None:
            opened = _open(gh, program, body, me)
            outcomes.append(ReminderOutcome(program_id, "opened", opened.number, due_ids, confirmed_ids))
        elif issue.state != "open":
            edit_issue(gh, issue.number, body=body, state="open")
            outcomes.append(ReminderOutcome(program_id, "reopened", issue.number, due_ids, confirmed_ids))
        elif issue.body != body:
            edit_issue(gh, issue.number, body=body)
            outcomes.append(ReminderOutcome(program_id, "updated", issue.number, due_ids, confirmed_ids))
        else:
            outcomes.append(ReminderOutcome(program_id, "unchanged", issue.number, due_ids, confirmed_ids))
        log.info("reminder for %s: %s", program_id, outcomes[-1].action)
    return outcomes

"""The ledger producer: what became of every request, derived from the request issues and
the bot's state comments (a :class:`generator.requests.ledger.Ledger`).

Read-only: it lists the request issues (open and closed; one call per 100) and reads each
one's comments for the bot's state — or, given the scheduled run's snapshot
(generator.bot.snapshot), takes the state from it for every issue that has not changed since
(same `updated_at`), so a deploy reads only what changed. The request form in each issue's
body gives the stage, the needs and the *groups* of the identities asked for (never the
identities, never who asked: no login, title or text of the mentee reaches the ledger, except
the thank-you notes they made public with `/thanks`).

A request whose state cannot be read (a held issue) is still counted, with its pairs unknown
(none); one whose form cannot be read has no stage, needs or groups.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from generator.bot.github import GitHubClient, GitHubIssue
from generator.bot.plan import is_request_issue, saved_state
from generator.bot.snapshot import Snapshot
from generator.bot.state import BotState, Placement
from generator.content.vocabulary import Vocabulary
from generator.requests.issue_form import REQUEST_LABEL
from generator.requests.issue_parser import IssueFormError, parse_issue_body
from generator.requests.ledger import CheckIn, Ledger, Pair, RequestPhase, RequestRecord, Thanks

log = logging.getLogger(__name__)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _pair(place: Placement, state: BotState, fallback: date) -> Pair:
    return Pair(
        mentor=place.mentor,
        status=place.status,
        offered_on=_day(place.offered_on) or fallback,
        answered_on=_day(place.answered_on),
        ended_on=_day(place.ended_on),
        covers=list(place.covers),
        checkins=[
            CheckIn(
                period=c.period, asked_on=date.fromisoformat(c.asked_on), mentee=c.mentee, mentor=c.mentor
            )
            for c in place.checkins
        ],
        health=place.health,
        thanks=[
            Thanks(on=date.fromisoformat(t.on), text=t.text) for t in state.thanks if t.mentor == place.mentor
        ][:20],
    )


def record(
    issue: GitHubIssue, state: BotState | None, *, vocab: Vocabulary, repository_url: str
) -> RequestRecord:
    """One request issue as a ledger record: no mentee in it."""
    opened = issue.created_at.astimezone(UTC).date()
    stage: str | None = None
    needs: list[str] = []
    groups: list[str] = []
    try:
        request = parse_issue_body(issue.body, repository_url=repository_url, vocab=vocab)
    except IssueFormError:
        request = None
    if request is not None:
        stage, needs = request.stage, list(request.needs)
        for affinity in request.affinities:
            group = (
                vocab.terms["affinities"][affinity].group if affinity in vocab.terms["affinities"] else None
            )
            if group and group not in groups:
                groups.append(group)
    phase: RequestPhase = state.phase if state is not None else "needs-info"
    if issue.state == "closed" and phase != "withdrawn":
        phase = "closed"
    pairs = [_pair(p, state, opened) for p in state.team] if state is not None else []
    closed_on = None
    if issue.state == "closed":
        closed_on = (
            _day(state.closed_on) if state is not None and state.closed_on else issue.updated_at.date()
        )
    return RequestRecord(
        number=issue.number,
        opened_on=opened,
        closed_on=closed_on,
        phase=phase,
        stage=stage,
        needs=needs,
        identity_groups=groups,
        suggested=len(pairs),
        pairs=pairs,
    )


def build_ledger(
    gh: GitHubClient,
    *,
    vocab: Vocabulary,
    repository_url: str,
    now: datetime,
    snapshot: Snapshot | None = None,
) -> Ledger:
    """The ledger of every request issue of GH's repository (read-only)."""
    me = gh.own_login()
    issues = [i for i in gh.list_issues(labels=[REQUEST_LABEL], state="all") if is_request_issue(i)]
    records: list[RequestRecord] = []
    reused = 0
    for issue in sorted(issues, key=lambda i: i.number):
        known = snapshot.issues.get(issue.number) if snapshot is not None else None
        if known is not None and known.updated_at == issue.updated_at and not known.held:
            state = known.state
            reused += 1
        else:
            saved = saved_state(gh.list_comments(issue.number), me)
            if saved.problem is not None:
                log.warning(
                    "ledger: issue #%d: the bot's state cannot be read; its pairs are left out", issue.number
                )
            state = saved.state
        records.append(record(issue, state, vocab=vocab, repository_url=repository_url))
    log.info("ledger: %d request(s), %d state(s) from the snapshot", len(records), reused)
    return Ledger(generated_at=now, source=f"github:{gh.repository}", requests=records)

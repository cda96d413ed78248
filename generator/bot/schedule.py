"""What time changes on a request issue, worked out at the scheduled run's moment.

Called by :func:`generator.bot.plan.plan` with a clock (the scheduled run, never an event),
after the new commands are applied; pure, like the plan:

1. Dates an older state did not keep start today (an offer read for the first time is never
   expired at once, a pair accepted before check-ins existed starts its clock today).
2. **Offers that expired**: a place offered ``offer_expiry_days`` ago (default 7) and not
   answered is marked `expired`, the mentor's place released, and the team made again without
   them: the next best mentor is offered the place (the offer comment of the plan mentions
   them), and the mentee is told in plain words. The silent mentor is not named anywhere.
3. **Keep looking?** A request with no accepted (or ended) pair ``keep_asking_after_days``
   after it was opened (or after the last `/keep`) is asked once whether to keep looking; with
   no `/keep` in ``close_after_silence_days`` more days it is closed kindly (not planned).
4. **Check-ins**: each accepted pair is asked at the periods of :mod:`generator.bot.checkins`,
   once per period, and its health is worked out again.

Each new comment's marker is derived from what it announces (the mentors, the day, the
period), so a run repeated on the same day finds it; the state records what was asked, so a
run repeated on a later day asks nothing twice.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from generator.bot.checkins import due_period, health
from generator.bot.comments import notice_marker
from generator.bot.github import GitHubIssue
from generator.bot.lifecycle import Draft, Rules, change_key
from generator.bot.notices import (
    render_checkin,
    render_close_notice,
    render_expiry_notice,
    render_keep_question,
)
from generator.bot.settings import BotSettings
from generator.bot.state import BotState, CheckIn
from generator.content.models import Mentor, Program, Request

log = logging.getLogger(__name__)


class ScheduleRules(Rules, Protocol):
    def rematch(self, state: BotState, request: Request, day: str) -> BotState: ...


def _date(day: str | None) -> date | None:
    return date.fromisoformat(day) if day else None


def advance(
    rules: ScheduleRules, issue: GitHubIssue, state: BotState, request: Request | None, now: datetime
) -> tuple[BotState, list[Draft]]:
    """STATE as time left it at NOW, and the notices to post (see the module's docstring)."""
    settings = rules.ctx.settings or BotSettings()
    today = now.astimezone(UTC).date()
    day = today.isoformat()
    mentee = issue.author.login
    drafts: list[Draft] = []
    number = issue.number

    # 1. clocks an older state did not keep start today
    for place in state.team:
        if place.status == "offered" and place.offered_on is None:
            state = state.update_place(place.mentor, offered_on=day)
        elif place.status == "accepted" and place.answered_on is None:
            state = state.update_place(place.mentor, answered_on=day)
    if issue.state != "open" or state.closed_on:
        return state, drafts

    # 2. offers nobody answered in time
    expired = [
        p
        for p in state.team
        if p.status == "offered"
        and (offered := _date(p.offered_on)) is not None
        and today - offered >= timedelta(days=settings.offer_expiry_days)
    ]
    if expired and state.phase == "matched":
        for place in expired:
            state = state.set_status(place.mentor, "expired", ended_on=day)
        before = {p.mentor for p in state.active}
        if request is not None:
            state = rules.rematch(state, request, day)
        new = [p for p in state.active if p.mentor not in before]
        key = "expiry-" + change_key(sorted((p.mentor, p.offered_on) for p in expired))
        log.info("issue #%d: %d offer(s) expired, %d mentor(s) asked instead", number, len(expired), len(new))
        drafts.append(
            Draft(
                notice_marker(key), render_expiry_notice(key, mentee=mentee, new=new, mentors=rules.mentors)
            )
        )

    # 3. no mentor accepted for a long time: keep looking? then close kindly
    if state.phase in ("matched", "no-match") and not any(
        p.status in ("accepted", "ended") for p in state.team
    ):
        since = max(issue.created_at.astimezone(UTC).date(), _date(state.kept_on) or date.min)
        asked = _date(state.keep_asked_on)
        kept = _date(state.kept_on)
        answered = asked is not None and kept is not None and kept >= asked  # `/keep` after it
        if asked is None or answered or asked < since:
            if today - since >= timedelta(days=settings.keep_asking_after_days):
                state = state.model_copy(update={"keep_asked_on": day})
                key = f"keep-{today:%Y%m%d}"
                log.info("issue #%d: asked whether to keep looking", number)
                body = render_keep_question(key, mentee=mentee, close_days=settings.close_after_silence_days)
                drafts.append(Draft(notice_marker(key), body))
        elif today - asked >= timedelta(days=settings.close_after_silence_days):
            state = state.model_copy(update={"closed_on": day})
            for place in state.active:  # every place still offered is released
                state = state.set_status(place.mentor, "released", ended_on=day)
            key = f"close-{today:%Y%m%d}"
            log.info("issue #%d: closed after no answer to the keep question", number)
            drafts.append(Draft(notice_marker(key), render_close_notice(key, mentee=mentee)))
            return state, drafts

    # 4. check-ins on each accepted pair, once per period
    for place in state.team:
        period = due_period(place, settings, today)
        if period is not None:
            checkins = [*place.checkins, CheckIn(period=period, asked_on=day)][-60:]
            state = state.update_place(place.mentor, checkins=checkins)
            key = "checkin-" + change_key(place.mentor, place.answered_on, period)
            log.info("issue #%d: check-in %s asked of %s", number, period, place.mentor)
            body = render_checkin(
                key, place, period, mentee=mentee, mentors=rules.mentors, programs=rules.programs
            )
            drafts.append(Draft(notice_marker(key), body))
    for place in state.team:
        if place.status == "accepted":
            state = state.update_place(place.mentor, health=health(place, settings, today))
    return state, drafts


class _Probe:
    """Rules that make no team: enough to see whether anything is due."""

    def __init__(self, issue: GitHubIssue, settings: BotSettings) -> None:
        self.issue = issue
        self.mentors: dict[str, Mentor] = {}
        self.programs: dict[str, Program] = {}
        self.ctx = _ProbeContext(settings)

    def is_author(self, login: str) -> bool:
        return False

    def _answers_for(self, login: str, mentor_id: str) -> bool:
        return False

    def _is_own(self, login: str, mentor_id: str) -> bool:
        return False

    def rematch(self, state: BotState, request: Request, day: str) -> BotState:
        return state


class _ProbeContext:
    def __init__(self, settings: BotSettings) -> None:
        self.settings = settings


def is_due(issue: GitHubIssue, state: BotState | None, now: datetime, settings: BotSettings) -> bool:
    """Whether time changes anything on ISSUE at NOW (its state as the snapshot has it): the
    same decisions as :func:`advance`, without reading the issue's comments."""
    if state is None or state.phase == "withdrawn":
        return False
    after, drafts = advance(_Probe(issue, settings), issue, state, None, now)
    return bool(drafts) or after != state

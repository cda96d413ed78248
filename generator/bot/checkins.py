"""When an accepted pair is asked how it is going, and what its answers say about its health.

MENTOR's *Elements of Effective Practice* ask programs to contact a new pair at least twice in
the first month and monthly after; the bot asks at the weeks of ``checkin_weeks`` after the
accept (2 and 4 by default), then every ``checkin_every_days`` days until the pair ends. Each
period has a name (``week-2``, ``week-4``, ``month-2``, ``month-3``…) that is kept in the
pair's state once asked, so a period is never asked twice; a run that missed some periods
(the schedule was paused) asks only the latest.

Health, per pair (the three states of Together's match health):

- ``needs-check-in``: someone answered ``/need-help`` in the latest period asked, or answered
  ``/not-yet`` after the first period, or nobody answered within ``checkin_answer_days``;
- ``on-track``: someone answered ``/met`` and nobody ``/need-help``;
- ``too-early``: nothing to go on yet (no period asked, or ``/not-yet`` in the first one, or
  the answers are not due yet) — then the previous period's health stands, if there was one.

Pure functions: no GitHub, no clock but the one passed in.
"""

from __future__ import annotations

from datetime import date, timedelta

from generator.bot.settings import BotSettings
from generator.bot.state import CheckIn, Health, Placement


def periods(accepted_on: date, settings: BotSettings, until: date) -> list[tuple[str, date]]:
    """Every check-in period of a pair accepted on ACCEPTED_ON that has started by UNTIL."""
    out: list[tuple[str, date]] = []
    for week in settings.checkin_weeks:
        start = accepted_on + timedelta(weeks=week)
        if start > until:
            return out
        out.append((f"week-{week}", start))
    last = accepted_on + timedelta(weeks=settings.checkin_weeks[-1] if settings.checkin_weeks else 0)
    month = 1
    while True:
        month += 1
        start = last + timedelta(days=settings.checkin_every_days * (month - 1))
        if start > until or month > 999:
            return out
        out.append((f"month-{month}", start))


def due_period(place: Placement, settings: BotSettings, today: date) -> str | None:
    """The period to ask PLACE (an accepted pair) about today, or None: the latest period that
    has started, if it was not asked yet."""
    if place.status != "accepted" or place.answered_on is None:
        return None
    started = periods(date.fromisoformat(place.answered_on), settings, today)
    if not started:
        return None
    name = started[-1][0]
    return None if place.checkin(name) is not None else name


def health(place: Placement, settings: BotSettings, today: date) -> Health:
    """The pair's health from its check-ins (see the module's docstring)."""
    result: Health = "too-early"
    for index, checkin in enumerate(place.checkins):
        result = _period_health(checkin, first=index == 0, settings=settings, today=today, before=result)
    return result


def _period_health(
    checkin: CheckIn, *, first: bool, settings: BotSettings, today: date, before: Health
) -> Health:
    answers = {checkin.mentee, checkin.mentor} - {None}
    if "need-help" in answers:
        return "needs-check-in"
    if "met" in answers:
        return "on-track"
    if "not-yet" in answers:
        return "too-early" if first else "needs-check-in"
    if today - date.fromisoformat(checkin.asked_on) >= timedelta(days=settings.checkin_answer_days):
        return "needs-check-in"
    return before

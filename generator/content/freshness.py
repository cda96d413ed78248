"""Profile freshness: a profile whose ``last_confirmed`` is older than the network's
``stale_after_months`` (``content/network.yml``, default 12) is *stale*: marked "not confirmed
since <month>" on the site, left out of new matches (``mentormemed match``, the request bot,
the site's ``/match/``) and counted as stale in the institution reports. One month earlier it
is *due*: validation warns, and the reminder job lists it on its program's reminder issue.

Every function takes the reference date ``as_of`` explicitly; entry points pass
:func:`generator.core.clock.today`. docs/freshness.md explains the policy.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.content.models import DEFAULT_STALE_AFTER_MONTHS, Mentor, Network
from generator.core.problems import Problem

#: How many months before a profile turns stale validation starts to warn.
WARN_MONTHS_BEFORE = 1


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def month_label(day: dt.date) -> str:
    """``September 2025``."""
    return f"{calendar.month_name[day.month]} {day.year}"


@dataclass(frozen=True)
class FreshnessPolicy:
    """How old a confirmation may be before a profile is stale (and, a month earlier, due)."""

    stale_after_months: int = DEFAULT_STALE_AFTER_MONTHS

    @property
    def warn_after_months(self) -> int:
        return max(self.stale_after_months - WARN_MONTHS_BEFORE, 1)

    def stale_on(self, last_confirmed: dt.date) -> dt.date:
        """The first day the profile is stale."""
        return add_months(last_confirmed, self.stale_after_months)

    def due_on(self, last_confirmed: dt.date) -> dt.date:
        """The first day validation warns and the reminder lists the profile."""
        return add_months(last_confirmed, self.warn_after_months)

    def is_stale(self, last_confirmed: dt.date, as_of: dt.date) -> bool:
        return as_of >= self.stale_on(last_confirmed)

    def is_due(self, last_confirmed: dt.date, as_of: dt.date) -> bool:
        return as_of >= self.due_on(last_confirmed)


def policy_of(network: Network | None) -> FreshnessPolicy:
    """The policy of ``content/network.yml`` (the default when there is none)."""
    if network is None:
        return FreshnessPolicy()
    return FreshnessPolicy(network.stale_after_months)


def stale_ids(mentors: Iterable[Mentor], as_of: dt.date, policy: FreshnessPolicy) -> frozenset[str]:
    """The ids of the mentors whose profile is stale on ``as_of``."""
    return frozenset(m.id for m in mentors if policy.is_stale(m.last_confirmed, as_of))


def _line_of(path: Path, field: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return 1
    pattern = re.compile(rf"^\s*{re.escape(field)}\s*:")
    return next((n for n, line in enumerate(lines, start=1) if pattern.match(line)), 1)


def freshness_warnings(
    content: Path, mentors: Mapping[str, Mentor], as_of: dt.date, policy: FreshnessPolicy
) -> list[Problem]:
    """A warning for each profile that is due or stale on ``as_of``: it names the file, the
    line of ``last_confirmed`` and the fix. Warnings never fail validation."""
    warnings: list[Problem] = []
    for mentor in mentors.values():
        if not policy.is_due(mentor.last_confirmed, as_of):
            continue
        path = content / "mentors" / mentor.program / f"{mentor.id}.yml"
        stale = policy.is_stale(mentor.last_confirmed, as_of)
        when = policy.stale_on(mentor.last_confirmed).isoformat()
        state = f"is stale since {when}" if stale else f"turns stale on {when}"
        message = (
            f"the profile was last confirmed on {mentor.last_confirmed.isoformat()} and {state} "
            f"(every {policy.stale_after_months} months): ask the mentor to check it and set "
            f"last_confirmed to the day they confirm it."
        )
        if stale:
            message += " Until then it is marked on the site and left out of new matches."
        warnings.append(
            Problem(
                path.as_posix(),
                _line_of(path, "last_confirmed"),
                1,
                "profile-due" if not stale else "profile-stale",
                message,
            )
        )
    return sorted(warnings)


class ConfirmError(ValueError):
    """The mentor's file cannot be updated (no such mentor, no last_confirmed line)."""


def set_last_confirmed(content: Path, mentor_id: str, day: dt.date) -> Path:
    """Write ``day`` as ``last_confirmed`` in the mentor's file, every other line kept, and
    check the file still validates (else it is left as it was: ContentError)."""
    from generator.content.validation import validate_content

    matches = sorted((content / "mentors").glob(f"*/{mentor_id}.yml"))
    if len(matches) != 1:
        raise ConfirmError(
            f"no mentor file {mentor_id}.yml under {content / 'mentors'}: give the mentor's id."
        )
    path = matches[0]
    original = path.read_bytes()
    text = original.decode("utf-8-sig")
    pattern = re.compile(r"^(last_confirmed\s*:\s*)(\S+)(.*)$", re.MULTILINE)
    if len(pattern.findall(text)) != 1:
        raise ConfirmError(
            f"{path}: no single last_confirmed line to update: add one, as last_confirmed: YYYY-MM-DD."
        )
    updated = pattern.sub(lambda m: f"{m.group(1)}{day.isoformat()}{m.group(3)}", text)
    path.write_bytes(updated.encode("utf-8"))
    result = validate_content(content, only=[path])
    if not result.ok:
        path.write_bytes(original)
        result.raise_for_problems()
    return path

"""Today's date, for everything that judges age (profile freshness, reminders, reports).

One place to read the clock: :func:`today` is the UTC date, or the date in the environment
variable ``MENTORMEMED_TODAY`` (YYYY-MM-DD) when it is set. Production never sets it; the
test suite pins it (``tests/conftest.py``) so that fixtures written on a given day do not
turn stale as the calendar moves on, and a scheduled job can be replayed for a given day.
"""

from __future__ import annotations

import datetime as dt
import os

TODAY_VARIABLE = "MENTORMEMED_TODAY"


class ClockError(ValueError):
    """``MENTORMEMED_TODAY`` is set but is not a date."""


def today() -> dt.date:
    """The UTC date, or ``MENTORMEMED_TODAY`` when set."""
    pinned = os.environ.get(TODAY_VARIABLE, "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            raise ClockError(f"{TODAY_VARIABLE}={pinned!r} is not a date: write it as YYYY-MM-DD.") from None
    return dt.datetime.now(dt.UTC).date()

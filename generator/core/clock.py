"""Today's date, for everything that judges age (profile freshness, reminders, reports).

One place to read the clock: :func:`today` is the UTC date, or the date in the environment
variable ``MENTORMEMED_TODAY`` (YYYY-MM-DD) when it is set, else the date of the bot's
``MENTORMEMED_NOW`` (ISO 8601, the time a bot run is replayed at) when that is set — so a
replayed bot run judges profile freshness on the day it replays, as it does everything else.
Production never sets ``MENTORMEMED_TODAY``; the test suite pins it (``tests/conftest.py``)
so that fixtures written on a given day do not turn stale as the calendar moves on, and a
scheduled job can be replayed for a given day.
"""

from __future__ import annotations

import datetime as dt
import os

TODAY_VARIABLE = "MENTORMEMED_TODAY"
NOW_VARIABLE = "MENTORMEMED_NOW"


class ClockError(ValueError):
    """``MENTORMEMED_TODAY`` is set but is not a date."""


def today() -> dt.date:
    """``MENTORMEMED_TODAY`` when set, else the UTC date of ``MENTORMEMED_NOW`` when set, else
    today's UTC date."""
    pinned = os.environ.get(TODAY_VARIABLE, "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            raise ClockError(f"{TODAY_VARIABLE}={pinned!r} is not a date: write it as YYYY-MM-DD.") from None
    moment = os.environ.get(NOW_VARIABLE, "").strip()
    if moment:
        try:
            return dt.datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(dt.UTC).date()
        except ValueError:
            raise ClockError(f"{NOW_VARIABLE}={moment!r} is not an ISO 8601 time.") from None
    return dt.datetime.now(dt.UTC).date()

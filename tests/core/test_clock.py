"""The one clock (generator.core.clock): pinned for tests, replayed for the bot."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.core.clock import ClockError, today


def test_today_is_pinned_then_follows_a_replayed_bot_run_then_the_calendar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MENTORMEMED_TODAY", "2025-03-01")
    monkeypatch.setenv("MENTORMEMED_NOW", "2026-01-12T23:30:00-05:00")
    assert today() == dt.date(2025, 3, 1)
    monkeypatch.delenv("MENTORMEMED_TODAY")
    # a bot run replayed at that moment judges freshness on its UTC day
    assert today() == dt.date(2026, 1, 13)
    monkeypatch.delenv("MENTORMEMED_NOW")
    assert today() == dt.datetime.now(dt.UTC).date()


@pytest.mark.parametrize(("name", "value"), [("MENTORMEMED_TODAY", "1 March"), ("MENTORMEMED_NOW", "soon")])
def test_a_clock_that_is_not_a_date_is_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.delenv("MENTORMEMED_TODAY", raising=False)
    monkeypatch.setenv(name, value)
    with pytest.raises(ClockError, match=name):
        today()

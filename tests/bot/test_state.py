"""The bot's state block and comment rendering (no GitHub)."""

from __future__ import annotations

import pytest

from generator.bot.comments import escape_markdown, public_reasons, render_main_comment, render_reply
from generator.bot.state import (
    MARKER,
    MAX_PROCESSED,
    MAX_STATE_CHARS,
    STATE_END,
    STATE_START,
    BotState,
    Placement,
    StateError,
    dump_state,
    load_state,
)
from generator.requests.issue_parser import IssueProblem


def sample() -> BotState:
    return BotState(
        phase="matched",
        team_size=2,
        team=[
            Placement(mentor="ana-example", status="accepted", covers=["wellness"], reasons=["a <b> & -->"]),
            Placement(mentor="ben-test", reasons=["shares an affinity you asked for", "speaks: English"]),
        ],
        processed=[5, 9],
    )


def test_round_trip_and_escaping() -> None:
    state = sample()
    block = dump_state(state)
    inner = block[len(STATE_START) : -len(STATE_END)]
    assert "-->" not in inner and "<" not in inner and ">" not in inner
    assert load_state("text\n" + block) == state
    assert load_state("no state here") is None


@pytest.mark.parametrize(
    "tampered",
    [
        STATE_START + "{not json" + STATE_END,
        STATE_START + "[1, 2]" + STATE_END,
        STATE_START + '{"phase": "owned"}' + STATE_END,
        STATE_START + '{"team": [{"mentor": "../../etc"}]}' + STATE_END,
        STATE_START + '{"extra": 1}' + STATE_END,
        STATE_START + '{"team": [{"mentor": "a"}, {"mentor": "a"}]}' + STATE_END,
        STATE_START + "[" * 100_000 + STATE_END,
        STATE_START + '{"processed": [' + ",".join(["1"] * (MAX_PROCESSED + 1)) + "]}" + STATE_END,
        STATE_START + "{}" + STATE_END + STATE_START + "{}" + STATE_END,
        STATE_START + "{}",
        STATE_START + " " * (MAX_STATE_CHARS + 1) + "{}" + STATE_END,
    ],
)
def test_tampered_or_oversized_state_is_refused(tampered: str) -> None:
    with pytest.raises(StateError):
        load_state(tampered)


def test_processed_ids_are_capped_with_a_floor() -> None:
    state = BotState()
    for comment_id in range(1, MAX_PROCESSED + 11):
        state = state.mark_processed(comment_id)
    assert len(state.processed) == MAX_PROCESSED and state.processed_floor == 10
    assert all(state.is_processed(n) for n in range(1, MAX_PROCESSED + 11))
    assert not state.is_processed(MAX_PROCESSED + 11)
    assert load_state(dump_state(state)) == state


def test_private_affinity_reason_is_never_rendered() -> None:
    assert public_reasons(
        ["shares an affinity you asked for", "shares another affinity you asked for", "x"]
    ) == ["x"]
    text = render_main_comment(sample(), mentors={}, programs={}, site_url="https://s.example", area_label={})
    assert text.startswith(MARKER) and "affinity" not in text
    assert "https://s.example/mentors/ben-test/" in text
    assert "1 of 2" in text


def test_escape_and_problem_rendering() -> None:
    assert escape_markdown("[x](http://e) @bob <b>") == r"\[x\]\(http\://e\) \@bob \<b\>"
    problem = IssueProblem("unknown-mentor", "no mentor {value}", "mentors", "@bob <b>")
    text = render_main_comment(
        BotState(), mentors={}, programs={}, site_url="https://s", area_label={}, problems=[problem]
    )
    assert "`@bob <b>`" in text and "needs a change" in text
    assert "@" not in render_reply(5, "mentor", "/accept")
    assert "mentormemed-bot-reply:5" in render_reply(5, "author", "/withdraw")


def test_offer_comment_mentions_only_whom_it_offers() -> None:
    from generator.bot.comments import offer_marker, render_offer
    from generator.bot.state import Placement

    assert offer_marker("0af3") == "<!-- mentormemed-bot-offer:0af3 -->"
    with pytest.raises(ValueError):
        offer_marker("x --> <b>")
    text = render_offer("0af3", [Placement(mentor="nobody-known")], mentors={}, programs={})
    assert text.startswith(offer_marker("0af3")) and "`nobody-known`" in text and "@" not in text

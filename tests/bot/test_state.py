"""The bot's state block and comment rendering (no GitHub)."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

from generator.bot.comments import (
    JOINER,
    escape_markdown,
    neutralise,
    problem_markdown,
    public_reasons,
    quote_text,
    render_main_comment,
    render_reply,
    reply_marker,
)
from generator.bot.state import (
    MARKER,
    MAX_PROCESSED,
    MAX_STATE_CHARS,
    STATE_END,
    STATE_START,
    STATE_STARTS,
    STATE_VERSION,
    V3_PLACEMENT_FIELDS,
    V3_STATE_FIELDS,
    BotState,
    CheckIn,
    Placement,
    StateError,
    Thanks,
    dump_state,
    legacy_request_hash,
    load_state,
    request_hash,
)
from generator.content.models import Request
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
    # the state keeps no identity reason (issue 21): the round trip is the sample without it
    state = state.model_copy(
        update={"team": [state.team[0], state.team[1].model_copy(update={"reasons": ["speaks: English"]})]}
    )
    block = dump_state(state)
    inner = block[len(STATE_START) : -len(STATE_END)]
    assert "-->" not in inner and "<" not in inner and ">" not in inner
    assert load_state("text\n" + block) == state
    assert load_state(MARKER + "\ntext\n\n" + block + "\n") == state
    assert load_state((MARKER + "\ntext\n" + block + "\n").replace("\n", "\r\n")) == state  # web editor
    assert load_state("no state here") is None


@pytest.mark.parametrize(
    "where",
    [
        "a second block above",
        "a second block below",
        "text after the block",
        "the block inside a line",
        "the block's JSON spaced out",
        "keys in another order",
        "a key twice",
        "an unknown field",
        "an unknown field in a place",
        "upper-case escapes",
    ],
)
def test_only_the_one_trailing_block_as_the_bot_writes_it_is_state(where: str) -> None:
    """Anything but the bot's own last line is refused (and the bot then holds the issue):
    a block elsewhere, a second one, or one the bot would not have written byte for byte."""
    block = dump_state(sample())
    inner = block[len(STATE_START) : -len(STATE_END)]
    other = dump_state(BotState(phase="withdrawn"))
    head = MARKER + "\n"

    def raw(json_text: str) -> str:
        return head + STATE_START + json_text + STATE_END + "\n"

    bodies = {
        "a second block above": head + other + "\n" + block + "\n",
        "a second block below": head + block + "\n" + other + "\n",
        "text after the block": head + block + "\nmore text\n",
        "the block inside a line": head + "see `" + block + "`\n",
        "the block's JSON spaced out": raw(inner.replace(",", ", ")),
        "keys in another order": raw(
            f'{{"version":{STATE_VERSION},' + inner[1:].replace(f',"version":{STATE_VERSION}', "")
        ),
        "a key twice": raw('{"phase":"withdrawn",' + inner[1:]),
        "an unknown field": raw('{"admin":true,' + inner[1:]),
        "an unknown field in a place": head + block.replace('"mentor":', '"boss":1,"mentor":', 1) + "\n",
        "upper-case escapes": head + block.replace("\\u003c", "\\u003C") + "\n",
    }
    assert bodies[where] != head + block + "\n"
    with pytest.raises(StateError):
        load_state(bodies[where])


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
    assert "We've asked 2 mentors and 1 has accepted" in text  # the count, in words (was "1 of 2")


def test_escape_and_problem_rendering() -> None:
    assert escape_markdown("[x](http://e) @bob <b>") == rf"\[x\]\(http\://e\) \@{JOINER}bob \<b\>"
    problem = IssueProblem("unknown-mentor", "no mentor {value}", "mentors", "@bob <b>")
    text = render_main_comment(
        BotState(), mentors={}, programs={}, site_url="https://s", area_label={}, problems=[problem]
    )
    assert f"`@{JOINER}bob <b>`" in text and "needs a change" in text
    assert problem_markdown(problem) in text
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


# -- neutralising text that is not the bot's own ----------------------------------------------

HOSTILE_TEXTS = [
    MARKER,
    '<!-- mentormemed-bot-state:v1 {"phase":"withdrawn"} -->',
    reply_marker(1234),
    "<!-- mentormemed-bot-offer:00ff -->",
    "<!--x--> <!---> <!--!> --!> -->",
    "MentorMeMed-Bot-State:v1 mentormemed-bot-reply:5",
    "``` `` ` <!-- mentormemed-bot:v1 --> ` `` ```",
    "`",
    "x`",
    "@octocat @org/team hi@example.org",
    "[click](https://evil.example) <img src=x onerror=alert(1)> <script>x</script>",
    "a\nb\r\n### heading\n- [X] box",
    "zero\u200bwidth \u202eoverride \u2060joiner \ufeffbom \x00nul",
    "   ",
    "-" * 5 + "<" + "!" * 3,
]


def _without_code_spans(text: str) -> str:
    """TEXT with its inline code spans removed, as CommonMark reads them."""
    return re.sub(r"(`+)(?!`)(.*?)(?<!`)\1(?!`)", "", text)


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_neutralised_text_holds_nothing_the_bot_or_github_acts_on(text: str) -> None:
    for shown in (neutralise(text), quote_text(text), escape_markdown(text)):
        assert "<!--" not in shown and "-->" not in shown and "--" not in shown and "<!" not in shown
        assert "mentormemed-bot" not in shown.lower()
        assert not re.search(r"@[A-Za-z0-9]", shown)  # no @-mention can form
        assert "\n" not in shown and "\r" not in shown
        # invisible characters are shown, so only our own joiners are left unseen
        assert all(c == JOINER or c.isprintable() for c in shown)
    quoted = quote_text(text)
    assert _without_code_spans(quoted) == ""  # one code span: nothing in it ends it early
    inner = neutralise(text)
    assert quoted.strip("`") in {inner, f" {inner} "}


def test_neutralise_keeps_plain_text_and_shows_what_is_hidden() -> None:
    assert neutralise("Residency applications, Wellness") == "Residency applications, Wellness"
    assert neutralise("a\u200bb") == "a[U+200B]b"
    assert neutralise("x" * 200) == "x" * 79 + "…"
    assert neutralise("<!-- a -->").replace(JOINER, "") == "<!-- a -->"  # looks the same
    assert quote_text("a ` b") == "``a ` b``"
    assert quote_text("`tick`") == "`` `tick` ``"


def test_hostile_answers_in_the_main_comment_leave_only_the_bots_own_markers() -> None:
    problems = [
        IssueProblem("not-an-option", "{value} is not one of the choices.", "needs", t) for t in HOSTILE_TEXTS
    ]
    text = render_main_comment(
        sample(), mentors={}, programs={}, site_url="https://s", area_label={}, problems=problems
    )
    needs_info = render_main_comment(
        sample().model_copy(update={"phase": "needs-info"}),
        mentors={},
        programs={},
        site_url="https://s",
        area_label={},
        problems=problems,
    )
    for body in (text, needs_info):
        lines = body.rstrip("\n").split("\n")
        assert [line for line in lines if "<!--" in line or "-->" in line] == [lines[0], lines[-1]]
        assert lines[0] == MARKER and load_state(body) is not None


# -- version 2: no identity answers in the state ----------------------------------------------


def test_the_state_keeps_no_identity_reason() -> None:
    state = sample().model_copy(
        update={"team": [Placement(mentor="ana-example", reasons=["shares: Black", "speaks: English"])]}
    )
    block = dump_state(state)
    assert "Black" not in block and "affinity" not in block and block.startswith(STATE_START)
    assert STATE_START.endswith(":v3 ")
    loaded = load_state(MARKER + "\n" + block + "\n")
    assert loaded is not None and loaded.team[0].reasons == ["speaks: English"] and loaded.version == 3


def old_text(state: BotState) -> str:
    """STATE's JSON as version 1 and 2 wrote it: without the fields version 3 added."""
    data = {k: v for k, v in state.model_dump(mode="json").items() if k not in V3_STATE_FIELDS}
    data["team"] = [{k: v for k, v in p.items() if k not in V3_PLACEMENT_FIELDS} for p in data["team"]]
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def test_a_version_1_block_is_read_and_upgraded() -> None:
    """Issues the previous version wrote are not held: their state is read, identity reasons
    dropped, and written back as the current version on the next run."""
    old = BotState(
        version=1, phase="matched", team=[Placement(mentor="ana-example", reasons=["shares: Black", "x"])]
    )
    text = old_text(old)
    block = "<!-- mentormemed-bot-state:v1 " + text + " -->"
    loaded = load_state(MARKER + "\n" + block + "\n")
    assert loaded is not None and loaded.version == 3 and loaded.team[0].reasons == ["x"]
    with pytest.raises(StateError):  # a version 2 block that says version 1 is not the bot's
        load_state(MARKER + "\n" + STATE_STARTS[2] + text + STATE_END + "\n")


#: A block version 2 wrote (tests/bot/golden/decline-with-reoffer.md before version 3).
V2_BLOCK = (
    '<!-- mentormemed-bot-state:v2 {"phase":"matched","processed":[1001],"processed_floor":0,'
    '"request_hash":"9cea1f42948d2c4050686e8cc19ff826c18be2d188f14dbedeb85448e2757cc6","team":'
    '[{"covers":["residency-application"],"mentor":"ben-test","reasons":["you asked for this mentor"],'
    '"status":"accepted"},{"covers":[],"mentor":"cara-test","reasons":[],"status":"declined"}],'
    '"team_size":2,"version":2} -->'
)


def test_a_version_2_block_is_read_and_upgraded_to_version_3() -> None:
    loaded = load_state(MARKER + "\nSome text\n" + V2_BLOCK + "\n")
    assert loaded is not None and loaded.version == 3
    assert [(p.mentor, p.status, p.offered_on, p.checkins) for p in loaded.team] == [
        ("ben-test", "accepted", None, []),
        ("cara-test", "declined", None, []),
    ]
    assert loaded.accepted_places() == ["ben-test"] and loaded.thanks == []
    # written back as version 3, with the new fields
    again = load_state(MARKER + "\n" + dump_state(loaded) + "\n")
    assert again == loaded and dump_state(loaded).startswith(STATE_START)


@pytest.mark.parametrize(
    "change",
    [
        ('"status":"declined"', '"status":"expired"'),  # a status version 2 never wrote
        ('"team_size":2,', '"team_size":2,"thanks":[],'),  # a field of version 3
        ('"status":"accepted"}', '"health":null,"status":"accepted"}'),
    ],
)
def test_a_version_2_block_with_version_3_content_is_not_the_bots(change: tuple[str, str]) -> None:
    forged = V2_BLOCK.replace(*change)
    assert forged != V2_BLOCK
    with pytest.raises(StateError):
        load_state(MARKER + "\n" + forged + "\n")


def test_version_3_dates_checkins_and_thanks_round_trip_and_are_bounded() -> None:
    place = Placement(
        mentor="ana-example",
        status="accepted",
        offered_on="2026-01-05",
        answered_on="2026-01-07",
        checkins=[CheckIn(period="week-2", asked_on="2026-01-21", mentee="met")],
        health="on-track",
    )
    state = BotState(
        phase="matched",
        team=[place],
        thanks=[Thanks(mentor="ana-example", on="2026-03-01", text="Thank you!")],
    )
    assert load_state(MARKER + "\n" + dump_state(state) + "\n") == state
    with pytest.raises(StateError):  # thanks for someone not in the team
        forged = dump_state(state).replace('"mentor":"ana-example","on"', '"mentor":"zed-example","on"')
        load_state(MARKER + "\n" + forged + "\n")
    with pytest.raises(ValidationError):
        Thanks(mentor="ana-example", on="2026-03-01", text="x" * 281)
    with pytest.raises(ValidationError):
        CheckIn(period="week-2; drop", asked_on="2026-01-21")


def test_a_version_2_block_with_an_identity_reason_is_not_the_bots() -> None:
    state = BotState(phase="matched", team=[Placement(mentor="ana-example", reasons=["shares: Black"])])
    with pytest.raises(StateError):
        load_state(MARKER + "\n" + STATE_STARTS[2] + old_text(state) + STATE_END + "\n")


def test_the_request_hash_leaves_identities_out() -> None:
    one = Request(needs=["wellness"], affinities=["first-generation"])
    two = Request(needs=["wellness"])
    assert request_hash(one) == request_hash(two)
    assert legacy_request_hash(one) != legacy_request_hash(two)
    assert request_hash(Request(needs=["research"])) != request_hash(two)

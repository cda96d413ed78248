"""Requests a program's coordinator files for a mentee (issue 20), planned in-process.

The coordinator ticks "I am filing this for a mentee of my program": only a maintainer of a
program may (checked against content/programs/*.yml `maintainers`); the bot then addresses the
coordinator wherever it would address the mentee, takes the mentee's commands from the
program's coordinators, and tells mentors that contact goes through the coordinator.
tests/bot/test_e2e_on_behalf.py runs the same paths through the real process.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from generator.bot.github import Actor
from generator.bot.plan import Context, PostComment
from generator.bot.proxy_comments import CONTACT_THROUGH
from generator.content.models import Request
from generator.content.vocabulary import vocabulary
from generator.matching.network import load_matchable
from generator.requests.issue_form import Filing, render_issue_body
from tests.bot.test_plan import (
    ANSWERS_FOR,
    BOT,
    GOLDEN_REQUEST,
    Thread,
    check_golden,
    kinds,
    only,
    transcript,
)
from tests.support.bot import PROGRAM, write_bot_content

BOOKING = "https://calendar.riverside.example.edu/book/ben-test"
#: riverside-som's coordinators (the content's second maintainer is added below)
COORD, DEPUTY = "riverside-coord", "riverside-deputy"
LAKESHORE = "mmm-sample-lakeshore-coord"
BOTH = "two-program-coord"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Context:
    root = write_bot_content(
        tmp_path_factory.mktemp("on-behalf"),
        [
            ("ben-test", "Ben Test", "ben-gh", 2),
            ("cara-test", "Cara Test", "cara-gh", 2),
            ("dev-test", "Dev Test", None, 2),
        ],
        booking={"ben-test": BOOKING},
    )
    (root / "programs" / "riverside-som.yml").write_text(
        PROGRAM.replace(f"[{COORD}]", f"[{COORD}, {DEPUTY}]")
    )
    for program_id in ("willow-test", "aspen-test"):  # one coordinator, two programs
        (root / "programs" / f"{program_id}.yml").write_text(
            PROGRAM.replace("riverside-som", program_id)
            .replace("Riverside Mentoring", f"{program_id.title()} Mentoring")
            .replace(f"[{COORD}]", f"[{BOTH}]")
        )
    return Context(load_matchable(root), vocabulary(), "https://example.org/dir", "https://github.com/o/r")


def filed(ctx: Context, author: str, filing: Filing, **answers: Any) -> Thread:
    request = Request.model_validate({**GOLDEN_REQUEST, **answers})
    thread = Thread(ctx, render_issue_body(request, filing=filing))
    thread.issue = dataclasses.replace(thread.issue, author=Actor(author, "User"))
    thread.settle()
    return thread


def mentions(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w`])@([A-Za-z0-9-]+)", text))


ON_BEHALF = Filing(on_behalf=True)


def test_a_maintainers_request_is_matched_and_names_the_coordinator(ctx: Context) -> None:
    thread = filed(ctx, COORD, ON_BEHALF, team_size=2, mentors=["ben-test", "cara-test"])
    state = thread.state()
    assert state.phase == "matched" and [p.mentor for p in state.active] == ["ben-test", "cara-test"]
    main = thread.comments[0].body
    assert f"filed by @{COORD}, a coordinator of **Riverside Mentoring**" in main
    assert "the coordinator who filed this request for the mentee, or another maintainer of Riverside" in main
    assert "- the person who asked:" not in main
    assert mentions(main) == {COORD, "ben-gh", "cara-gh"}
    assert "waiting" in thread.issue.labels


def test_the_accept_notice_addresses_the_coordinator_and_hands_over_the_booking_page(ctx: Context) -> None:
    thread = filed(ctx, COORD, ON_BEHALF, team_size=2, mentors=["ben-test", "cara-test"])
    _, planned = thread.command("/accept Happy to help", "ben-gh")
    notice = only(planned, PostComment, "notice")
    assert notice.splitlines()[1].startswith(f"@{COORD}, **Ben Test** accepted a place on the mentor team")
    assert "please pass this on to the mentee privately" in notice and BOOKING in notice
    assert "@ben-gh: thank you!" in notice and CONTACT_THROUGH in notice
    assert mentions(notice) == {COORD, "ben-gh"}
    _, planned = thread.command("/accept", "cara-gh")
    last = only(planned, PostComment, "notice")
    assert "The mentee's team is complete" in last and "Your team" not in last
    # cara has no booking page: the coordinator of her program, who filed it, introduces them
    assert "you coordinate Riverside Mentoring, the mentor's program too" in last


def test_an_offer_tells_mentors_contact_goes_through_the_coordinator(ctx: Context) -> None:
    thread = filed(ctx, COORD, ON_BEHALF, team_size=2, mentors=["ben-test", "cara-test"])
    _, planned = thread.command("/decline", "cara-gh")
    offer = only(planned, PostComment, "offer")
    assert CONTACT_THROUGH in offer
    assert COORD not in mentions(offer)  # the offer is for the mentor; the coordinator is not pinged


def test_the_programs_other_coordinator_speaks_for_the_mentee_and_nobody_else(ctx: Context) -> None:
    thread = filed(ctx, COORD, ON_BEHALF, team_size=2)
    team = [p.mentor for p in thread.state().active]
    _, refused = thread.command("/rematch", LAKESHORE)  # a maintainer, but of another program
    assert "only the person who opened this request" in only(refused, PostComment, "reply")
    _, refused = thread.command("/withdraw", "ben-gh")  # a mentor asked here
    assert kinds(refused)[0] == "PostComment:reply"
    _, planned = thread.command("/rematch", DEPUTY)
    # applied (a reaction, no refusal): the mentors who had not answered are released, others asked
    assert "React" in kinds(planned) and "PostComment:reply" not in kinds(planned)
    assert not set(team) & {p.mentor for p in thread.state().active}
    thread.command("/withdraw", DEPUTY)
    assert thread.state().phase == "withdrawn" and thread.issue.locked


def test_a_mentees_own_request_is_not_spoken_for_by_their_programs_coordinator(ctx: Context) -> None:
    thread = filed(ctx, "mentee", Filing(), team_size=1)
    _, refused = thread.command("/withdraw", COORD)
    assert kinds(refused)[0] == "PostComment:reply" and thread.state().phase != "withdrawn"


@pytest.mark.parametrize("author", ["mentee", "ben-gh"])  # a mentee; a mentor who maintains nothing
def test_a_stranger_filing_for_a_mentee_is_refused_politely_and_no_team_is_made(
    ctx: Context, author: str
) -> None:
    thread = filed(ctx, author, ON_BEHALF, team_size=2)
    assert thread.load_reads == 0
    state = thread.state()
    assert state.phase == "needs-info" and state.team == []
    main = thread.comments[0].body
    assert "thank you for helping a mentee ask" in main
    assert "untick 'I am filing this for a mentee of my program'" in main
    assert thread.issue.labels[-1] == "needs-info"
    assert mentions(main) == set()
    # unticked, it is their own request
    thread.issue = dataclasses.replace(
        thread.issue, body=render_issue_body(Request.model_validate({**GOLDEN_REQUEST, "team_size": 2}))
    )
    thread.settle()
    assert thread.state().phase == "matched" and "filed by" not in thread.comments[0].body


def test_a_coordinator_of_two_programs_says_which(ctx: Context) -> None:
    thread = filed(ctx, BOTH, ON_BEHALF, team_size=1)
    assert thread.state().team == []
    assert "you maintain several programs (aspen-test, willow-test)" in thread.comments[0].body
    thread = filed(ctx, BOTH, Filing(on_behalf=True, program="riverside-som"), team_size=1)
    assert "`riverside-som` is not a program you maintain" in thread.comments[0].body
    thread = filed(ctx, BOTH, Filing(on_behalf=True, program="nowhere-som"), team_size=1)
    assert "`nowhere-som` is not a program of this directory" in thread.comments[0].body
    thread = filed(ctx, BOTH, Filing(on_behalf=True, program="willow-test"), team_size=1)
    assert thread.state().phase == "matched"
    assert "a coordinator of **Willow-Test Mentoring**" in thread.comments[0].body


def test_golden_filed_for_a_mentee(ctx: Context) -> None:
    request = Request.model_validate({**GOLDEN_REQUEST, "mentors": ["ben-test", "dev-test"]})
    body = render_issue_body(request, filing=ON_BEHALF)
    thread = Thread(ctx, body)
    thread.issue = dataclasses.replace(thread.issue, author=Actor(COORD, "User"))
    thread.settle()
    thread.command("/accept Glad to", "ben-gh")
    thread.command("/accept dev-test", COORD)  # the coordinator answers for a mentor of theirs too
    text = transcript(thread, body).replace("## mentee opened the request", f"## {COORD} opened the request")
    check_golden("filed-for-a-mentee", text)
    assert "@mentee" not in text


def test_the_mentee_is_named_nowhere_the_bot_writes(ctx: Context) -> None:
    """Every comment of a whole on-behalf thread mentions only the coordinator, the mentors and
    the coordinators of the mentors' programs."""
    thread = filed(ctx, COORD, ON_BEHALF, team_size=3)
    for place in list(thread.state().active):
        thread.command(f"/accept {place.mentor}", ANSWERS_FOR[place.mentor])
    assert thread.state().phase == "matched" and len(thread.state().ids("accepted")) == 3
    bot = "\n".join(c.body for c in thread.comments if c.author == BOT)
    assert mentions(bot) <= {COORD, *ANSWERS_FOR.values(), LAKESHORE}  # mentors, their coordinators


def test_a_request_that_needs_a_change_is_still_the_coordinators_to_withdraw(ctx: Context) -> None:
    thread = filed(ctx, COORD, ON_BEHALF, mentors=["nobody-here"])
    assert thread.state().phase == "needs-info"
    assert "filed by" not in thread.comments[0].body  # the note goes with a team, not a problem
    _, planned = thread.command("/withdraw", DEPUTY)
    assert kinds(planned)[0] == "React" and thread.state().phase == "withdrawn"

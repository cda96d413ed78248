"""generator.bot.plan in-process: issues and comments as plain data, no HTTP, no subprocess.

A `Thread` holds one issue and its comments; `Thread.apply` makes a plan's writes on that data
the way GitHub would, so each test can check the next plan too: planned again on the issue as
its writes left it, a plan is empty. tests/bot/test_e2e.py runs the same paths through the real
process against the local GitHub.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from generator.bot.comments import link, reply_marker
from generator.bot.github import Actor, GitHubComment, GitHubIssue
from generator.bot.plan import (
    AddLabels,
    CloseIssue,
    Context,
    EditComment,
    EnsureLabels,
    LockIssue,
    Plan,
    PostComment,
    React,
    RemoveLabel,
    plan,
)
from generator.bot.state import (
    MARKER,
    V3_PLACEMENT_FIELDS,
    V3_STATE_FIELDS,
    BotState,
    legacy_request_hash,
    load_state,
)
from generator.content.models import Request
from generator.content.urls import is_https_url
from generator.content.vocabulary import vocabulary
from generator.matching.network import load_matchable
from generator.requests.issue_form import REQUEST_LABEL, form_fields, render_issue_body
from tests.support.bot import write_bot_content

ME = "github-actions[bot]"
BOT = Actor(ME, "Bot")
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
#: Who answers for each mentor: their own GitHub login, or their program's maintainer.
ANSWERS_FOR = {
    "ana-example": "mmm-sample-ana-example",
    "ben-test": "ben-gh",
    "cara-test": "cara-gh",
    "dev-test": "riverside-coord",
}


BOOKING = "https://calendar.riverside.example.edu/book/ben-test"
COORDINATOR = "https://riverside.example.edu/mentoring/contact"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Context:
    root = write_bot_content(
        tmp_path_factory.mktemp("plan-content"),
        [
            ("ben-test", "Ben Test", "ben-gh", 1),
            ("cara-test", "Cara Test", "cara-gh", 2),
            ("dev-test", "Dev Test", None, 2),
        ],
        booking={"ben-test": BOOKING},
        coordinator_url=COORDINATOR,
    )
    return Context(load_matchable(root), vocabulary(), "https://example.org/dir", "https://github.com/o/r")


def request_body(**answers: Any) -> str:
    data = {"needs": ["residency-application"], "team_size": 2, **answers}
    return render_issue_body(Request.model_validate(data))


class Thread:
    """One issue and its comments as GitHub would list them."""

    def __init__(
        self,
        ctx: Context,
        body: str,
        *,
        labels: tuple[str, ...] = (REQUEST_LABEL,),
        pull_request: bool = False,
        load: Mapping[str, int] | None = None,
    ) -> None:
        self.ctx = ctx
        self.load = dict(load or {})
        self.load_reads = 0
        self.issue = GitHubIssue(
            number=7,
            title="Mentor request",
            body=body,
            state="open",
            state_reason=None,
            locked=False,
            lock_reason=None,
            labels=labels,
            author=Actor("mentee", "User"),
            author_association="NONE",
            is_pull_request=pull_request,
            html_url="https://github.com/o/r/issues/7",
            created_at=T0,
            updated_at=T0,
        )
        self.comments: list[GitHubComment] = []
        self.reacted: list[int] = []

    def _read_load(self) -> Mapping[str, int]:
        self.load_reads += 1
        return self.load

    def plan(self) -> Plan:
        return plan(self.issue, list(self.comments), me=ME, ctx=self.ctx, load=self._read_load)

    def say(self, body: str, author: str, *, kind: str = "User", edited: bool = False) -> GitHubComment:
        at = T0 + timedelta(minutes=len(self.comments) + 1)
        comment = GitHubComment(
            id=1000 + len(self.comments),
            issue_number=self.issue.number,
            body=body,
            author=Actor(author, kind),
            author_association="NONE",
            via_app=None,
            html_url="",
            created_at=at,
            updated_at=at + timedelta(seconds=30) if edited else at,
        )
        self.comments.append(comment)
        return comment

    def apply(self, planned: Plan, *, upto: int | None = None) -> None:
        """Make the plan's writes (the first UPTO of them) on the data."""
        for action in planned.actions[:upto]:
            match action:
                case PostComment(body=body):
                    self.say(body, ME, kind="Bot")
                case EditComment(comment_id=comment_id, body=body):
                    self.comments = [
                        dataclasses.replace(c, body=body) if c.id == comment_id else c for c in self.comments
                    ]
                case React(comment_id=comment_id):
                    self.reacted.append(comment_id)
                case RemoveLabel(name=name):
                    self.issue = dataclasses.replace(
                        self.issue, labels=tuple(lb for lb in self.issue.labels if lb != name)
                    )
                case AddLabels(names=names):
                    self.issue = dataclasses.replace(self.issue, labels=(*self.issue.labels, *names))
                case CloseIssue(reason=reason):
                    self.issue = dataclasses.replace(self.issue, state="closed", state_reason=reason)
                case LockIssue(reason=reason):
                    self.issue = dataclasses.replace(self.issue, locked=True, lock_reason=reason)
                case EnsureLabels():
                    pass

    def settle(self) -> Plan:
        """Plan, apply, and check that planning again writes nothing."""
        planned = self.plan()
        self.apply(planned)
        assert self.plan() == Plan(self.issue.number), "a re-run on the unchanged issue writes again"
        return planned

    def state(self) -> BotState:
        (main,) = [c.body for c in self.comments if c.author == BOT and MARKER in c.body]
        state = load_state(main)
        assert state is not None
        return state

    def command(self, text: str, author: str) -> tuple[GitHubComment, Plan]:
        comment = self.say(text, author)
        return comment, self.settle()


def kinds(planned: Plan) -> list[str]:
    return [
        f"{type(a).__name__}:{a.kind}" if isinstance(a, PostComment | EditComment) else type(a).__name__
        for a in planned.actions
    ]


def only(planned: Plan, cls: type[PostComment] | type[EditComment], kind: str) -> str:
    (body,) = [a.body for a in planned.actions if isinstance(a, cls) and a.kind == kind]
    return body


def opened(ctx: Context, **answers: Any) -> Thread:
    thread = Thread(ctx, request_body(**answers))
    thread.settle()
    return thread


# -- opened -----------------------------------------------------------------------------------


def test_opened_request_plans_the_main_comment_then_the_labels(ctx: Context) -> None:
    thread = Thread(ctx, request_body(team_size=2))
    planned = thread.plan()
    assert kinds(planned) == ["PostComment:main", "EnsureLabels", "AddLabels"]
    main = planned.actions[0]
    assert isinstance(main, PostComment) and main.marker == MARKER and main.body.startswith(MARKER)
    assert "Your mentor team" in main.body and "https://example.org/dir/mentors/" in main.body
    state = load_state(main.body)
    assert state is not None and state.phase == "matched" and len(state.active) == 2
    assert planned.actions[2] == AddLabels(("waiting",))
    ensured = planned.actions[1]
    assert isinstance(ensured, EnsureLabels)
    assert {spec.name for spec in ensured.labels} >= {REQUEST_LABEL, "waiting", "withdrawn", "closed"}
    assert thread.load_reads == 1
    thread.apply(planned)
    assert thread.plan() == Plan(7)
    assert thread.load_reads == 1  # no team made again: the load is not read


def test_the_load_given_keeps_a_full_mentor_out(ctx: Context) -> None:
    free = Thread(ctx, request_body(team_size=5))
    free.settle()
    assert "ben-test" in {p.mentor for p in free.state().active}
    full = Thread(ctx, request_body(team_size=5), load={"ben-test": 1})
    full.settle()
    assert "ben-test" not in {p.mentor for p in full.state().active}


def test_a_broken_form_needs_info(ctx: Context) -> None:
    thread = Thread(ctx, request_body(mentors=["nobody-here"]))
    planned = thread.settle()
    assert "`nobody-here`" in only(planned, PostComment, "main")
    assert planned.actions[-1] == AddLabels(("needs-info",))
    assert thread.load_reads == 0


def test_an_edited_request_is_matched_again_with_an_offer_comment(ctx: Context) -> None:
    thread = opened(ctx, team_size=2)
    before = {p.mentor for p in thread.state().active}
    thread.issue = dataclasses.replace(thread.issue, body=request_body(team_size=3))
    planned = thread.settle()
    assert kinds(planned) == ["PostComment:offer", "EditComment:main"]
    (added,) = {p.mentor for p in thread.state().active} - before
    assert set(re.findall(r"@([A-Za-z0-9-]+)", only(planned, PostComment, "offer"))) == {ANSWERS_FOR[added]}


# -- commands ---------------------------------------------------------------------------------


def test_accept_by_the_suggested_mentor(ctx: Context) -> None:
    thread = opened(ctx, team_size=1)
    (mentor,) = [p.mentor for p in thread.state().active]
    main_id = thread.comments[0].id
    comment, planned = thread.command("/accept", ANSWERS_FOR[mentor])
    assert kinds(planned) == [
        "PostComment:notice",
        "React",
        "EditComment:main",
        "EnsureLabels",
        "RemoveLabel",
        "AddLabels",
    ]
    assert isinstance(planned.actions[2], EditComment) and planned.actions[2].comment_id == main_id
    assert planned.actions[1] == React(comment.id, "+1")
    assert planned.actions[4:] == (RemoveLabel("waiting"), AddLabels(("accepted",)))
    assert thread.state().status_of(mentor) == "accepted"
    assert thread.state().processed == [comment.id]


@pytest.mark.parametrize(
    "text",
    [
        "/accept",
        "/Accept",
        "/ACCEPT",
        "/accept.",
        "/accept!",
        "/accept Happy to help!",
        "  /accept  \nthanks",
    ],
)
def test_accept_in_every_form_the_issue_lists(ctx: Context, text: str) -> None:
    thread = opened(ctx, team_size=1)
    (mentor,) = [p.mentor for p in thread.state().active]
    comment, planned = thread.command(text, ANSWERS_FOR[mentor])
    assert React(comment.id) in planned.actions and "PostComment:reply" not in kinds(planned)
    assert thread.state().status_of(mentor) == "accepted"


@pytest.mark.parametrize(
    "text", ["/decline sorry", "/decline - sorry, on service until March", "/Decline.", "/decline: busy"]
)
def test_decline_with_words_after_it_is_a_decline(ctx: Context, text: str) -> None:
    thread = opened(ctx, team_size=1)
    (mentor,) = [p.mentor for p in thread.state().active]
    _, planned = thread.command(text, ANSWERS_FOR[mentor])
    assert "PostComment:reply" not in kinds(planned)
    assert thread.state().status_of(mentor) == "declined"


def test_a_mentor_id_after_the_command_still_names_the_mentor(ctx: Context) -> None:
    """riverside-coord answers for dev-test (no GitHub) and, as maintainer, for ben and cara:
    the id picks one; punctuation after it and text after that do not matter."""
    thread = opened(ctx, team_size=4)
    riverside = {p.mentor for p in thread.state().active} & {"ben-test", "cara-test"}
    assert "dev-test" in {p.mentor for p in thread.state().active} and riverside
    _, refused = thread.command("/accept Happy to help!", "riverside-coord")
    assert "more than one suggested mentor" in only(refused, PostComment, "reply")
    thread.command("/Accept dev-test. Happy to help!", "riverside-coord")
    assert thread.state().status_of("dev-test") == "accepted"
    assert {thread.state().status_of(m) for m in riverside} == {"offered"}


@pytest.mark.parametrize("text", ["/acept", "/accepted", "/yes please", "/Decline_", "/ accept"])
def test_an_unreadable_answer_from_a_mentor_gets_a_kind_reply(ctx: Context, text: str) -> None:
    thread = opened(ctx, team_size=1)
    (mentor,) = [p.mentor for p in thread.state().active]
    team = thread.state().team
    comment, planned = thread.command(text, ANSWERS_FOR[mentor])
    if text == "/ accept":  # not a slash word at all: an ordinary comment
        assert planned == Plan(7)
        return
    assert kinds(planned) == ["PostComment:reply"]
    reply = only(planned, PostComment, "reply")
    assert reply.startswith(reply_marker(comment.id) + "\n")
    assert "`/accept`" in reply and "`/decline`" in reply and "nothing was changed" in reply
    assert text.split()[0] not in reply.replace("`/accept`", "").replace("`/decline`", "")
    assert thread.state().team == team


def test_an_unreadable_answer_from_the_mentee_gets_the_reply_and_from_a_stranger_nothing(
    ctx: Context,
) -> None:
    thread = opened(ctx, team_size=1)
    team = thread.state().team
    _, by_mentee = thread.command("/withdrw", "mentee")
    assert kinds(by_mentee) == ["PostComment:reply"] and "`/withdraw`" in only(
        by_mentee, PostComment, "reply"
    )
    _, by_stranger = thread.command("/acept", "stranger")
    assert by_stranger == Plan(7)
    _, by_stranger = thread.command("/accept Happy to help!", "stranger")
    assert "Sorry, only a suggested mentor" in only(by_stranger, PostComment, "reply")
    assert thread.state().team == team and thread.state().phase == "matched"


def test_accept_by_anyone_else_is_refused_once(ctx: Context) -> None:
    thread = opened(ctx, team_size=2)
    team = thread.state().team
    comment, planned = thread.command("/accept", "stranger")
    assert kinds(planned) == ["PostComment:reply", "EditComment:main"]  # no reaction
    reply = planned.actions[0]
    assert isinstance(reply, PostComment) and reply.marker == reply_marker(comment.id)
    assert "Sorry, only a suggested mentor" in reply.body and "stranger" not in reply.body
    assert thread.state().team == team and thread.state().processed == [comment.id]


def test_decline_offers_the_place_to_the_next_mentor(ctx: Context) -> None:
    thread = opened(ctx, team_size=2)
    first, second = (p.mentor for p in thread.state().active)
    _, planned = thread.command(f"/decline {first}", ANSWERS_FOR[first])
    assert kinds(planned) == ["PostComment:offer", "EditComment:main"]  # no thumbs-up on a decline
    state = thread.state()
    assert state.status_of(first) == "declined" and len(state.active) == 2
    (added,) = {p.mentor for p in state.active} - {second}
    offer = only(planned, PostComment, "offer")
    assert set(re.findall(r"@([A-Za-z0-9-]+)", offer)) == {ANSWERS_FOR[added]}
    assert MARKER not in offer


def test_commands_left_by_dropped_events_are_applied_in_order_with_one_load_read(ctx: Context) -> None:
    thread = opened(ctx, team_size=2)
    first, second = (p.mentor for p in thread.state().active)
    reads = thread.load_reads
    one = thread.say(f"/decline {first}", ANSWERS_FOR[first])
    two = thread.say(f"/decline {second}", ANSWERS_FOR[second])
    planned = thread.settle()
    assert kinds(planned) == ["PostComment:offer", "EditComment:main"]
    assert thread.state().processed == [one.id, two.id]
    state = thread.state()
    assert set(state.ids("declined")) == {first, second} and len(state.active) == 2
    assert {p.mentor for p in state.active}.isdisjoint({first, second})
    assert thread.load_reads == reads + 1  # two teams made, the other requests read once


def test_an_offer_posted_before_a_failure_is_not_planned_again(ctx: Context) -> None:
    thread = opened(ctx, team_size=2)
    first = thread.state().active[0].mentor
    second = thread.state().active[1].mentor
    thread.say(f"/decline {first}", ANSWERS_FOR[first])
    thread.say(f"/accept {second}", ANSWERS_FOR[second])
    planned = thread.plan()
    assert kinds(planned)[:4] == ["PostComment:notice", "PostComment:offer", "React", "EditComment:main"]
    thread.apply(planned, upto=2)  # the notice and the offer were posted, then the reaction failed
    again = thread.plan()
    assert kinds(again)[:2] == ["React", "EditComment:main"]
    assert again.actions == planned.actions[2:]
    thread.apply(again, upto=1)  # the reaction was made, then the main comment's edit failed
    assert thread.plan().actions == planned.actions[2:]  # applied again, reacted again


def test_rematch_only_by_the_author(ctx: Context) -> None:
    thread = opened(ctx, team_size=2)
    team = [p.mentor for p in thread.state().active]
    by_mentor, refused = thread.command("/rematch", "ben-gh")
    assert "only the person who opened this request" in only(refused, PostComment, "reply")
    comment, planned = thread.command("/rematch", "mentee")
    # other mentors asked: those offered and not answered are released, never offered again
    assert kinds(planned) == ["PostComment:offer", "React", "EditComment:main"]
    state = thread.state()
    assert not {p.mentor for p in state.active} & set(team)
    assert {p.mentor for p in state.team if p.status == "released"} == set(team)
    assert thread.state().processed == [by_mentor.id, comment.id]  # the refused one too


def test_rematch_at_handle_replaces_that_mentor_only_and_excludes_declined_and_expired(ctx: Context) -> None:
    thread = opened(ctx, team_size=2, mentors=["ben-test", "cara-test"])
    assert {p.mentor for p in thread.state().active} == {"ben-test", "cara-test"}
    thread.command("/decline", "cara-gh")
    third = next(p.mentor for p in thread.state().active if p.mentor != "ben-test")
    thread.command("/accept", "ben-gh")
    _, planned = thread.command("/rematch @ben-gh please", "mentee")
    state = thread.state()
    assert state.status_of("ben-test") == "released"  # replaced, though they had accepted
    assert set(thread.issue.labels) & STATE_LABEL_NAMES == {"waiting"}
    assert state.status_of("cara-test") == "declined" and state.status_of(third) == "offered"
    fourth = [p.mentor for p in state.active if p.mentor != third]
    assert fourth and fourth[0] not in ("ben-test", "cara-test")
    assert "PostComment:offer" in kinds(planned)
    # nobody who declined, was replaced or released is asked again on a plain /rematch
    thread.command("/rematch", "mentee")
    again = thread.state()
    assert not {p.mentor for p in again.active} & {"ben-test", "cara-test", third, *fourth}


def test_withdraw_by_the_author_closes_and_locks_and_stays_withdrawn(ctx: Context) -> None:
    thread = opened(ctx, team_size=1)
    _, refused = thread.command("/withdraw", "someone-else")
    assert kinds(refused) == ["PostComment:reply", "EditComment:main"]
    comment, planned = thread.command("/withdraw", "mentee")
    assert kinds(planned) == [
        "React",
        "EditComment:main",
        "EnsureLabels",
        "RemoveLabel",
        "AddLabels",
        "CloseIssue",
        "LockIssue",
    ]
    assert planned.actions[0] == React(comment.id)
    assert planned.actions[3:] == (
        RemoveLabel("waiting"),
        AddLabels(("withdrawn",)),
        CloseIssue("not_planned"),
        LockIssue("resolved"),
    )
    assert "Request withdrawn" in only(planned, EditComment, "main")
    assert thread.state().phase == "withdrawn" and thread.state().accepted_places() == []
    # reopened (by a maintainer): closed again, nothing else written; commands are only recorded
    thread.issue = dataclasses.replace(thread.issue, state="open", state_reason="reopened")
    assert thread.plan().actions == (CloseIssue("not_planned"),)
    thread.settle()
    thread.say("/rematch", "mentee")
    assert kinds(thread.settle()) == ["EditComment:main"]
    assert thread.state().phase == "withdrawn"


# -- notices: a new comment (which notifies) for what happened -------------------------------


def at_mentions(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w`])@([A-Za-z0-9-]+)", text))


def test_each_accept_gets_a_notice_to_the_mentee_and_the_last_says_the_team_is_complete(
    ctx: Context,
) -> None:
    thread = opened(ctx, team_size=2, mentors=["ben-test", "cara-test"])
    first, second = (p.mentor for p in thread.state().active)
    one, planned = thread.command("/accept Happy to help!", ANSWERS_FOR[first])
    notice = only(planned, PostComment, "notice")
    assert notice.startswith(f"<!-- mentormemed-bot-notice:accept-{one.id} -->\n")
    assert {"mentee", ANSWERS_FOR[first]} <= at_mentions(notice)
    assert "What happens next" in notice and "team is complete" not in notice
    assert MARKER not in notice and "mentormemed-bot-state" not in notice
    two, planned = thread.command("/accept", ANSWERS_FOR[second])
    notice = only(planned, PostComment, "notice")
    assert notice.startswith(f"<!-- mentormemed-bot-notice:accept-{two.id} -->\n")
    assert "team is complete" in notice and "mentee" in at_mentions(notice)
    _, again = thread.command("/accept", ANSWERS_FOR[second])  # already accepted: no notice
    assert "PostComment:notice" not in kinds(again)


# -- the first contact: a booking page, the coordinator, or the maintainers asked by name ------


def accept_notice(ctx: Context, mentor: str) -> tuple[str, GitHubComment]:
    thread = opened(ctx, team_size=1, mentors=[mentor])
    assert [p.mentor for p in thread.state().active] == [mentor]
    comment, planned = thread.command("/accept", ANSWERS_FOR[mentor])
    return only(planned, PostComment, "notice"), comment


def test_an_accept_by_a_mentor_with_a_booking_page_sends_the_mentee_there(ctx: Context) -> None:
    notice, _ = accept_notice(ctx, "ben-test")
    assert f"[their booking page](<{BOOKING}>)" in notice  # a `)` in it could not end the link
    assert "asks for your email there, privately" in notice and "never write an email" in notice
    assert at_mentions(notice) == {"mentee", "ben-gh"}  # no coordinator needed
    assert "ben-gh: thank you! You agreed to a first conversation" in notice
    assert COORDINATOR not in notice


def test_a_directory_link_with_a_parenthesis_stays_one_link() -> None:
    url = "https://calendar.example.edu/book/ben_(test)?a=1"
    assert is_https_url(url)  # a valid address may hold `(` and `)`
    assert link("their booking page", url) == f"[their booking page](<{url}>)"


def test_an_accept_without_a_booking_page_asks_the_coordinator_by_a_date(ctx: Context) -> None:
    notice, comment = accept_notice(ctx, "cara-test")
    by = comment.created_at + timedelta(days=7)
    date = f"{by:%A} {by.day} {by:%B %Y}"
    assert f"introduce you to Cara Test by **{date}**" in notice
    assert f"[the program’s contact page](<{COORDINATOR}>)" in notice and "request #7" in notice
    assert f"@riverside-coord: please introduce this mentee to Cara Test by {date}." in notice
    assert "@cara-gh: thank you! You agreed" in notice
    assert at_mentions(notice) == {"mentee", "riverside-coord", "cara-gh"}


def test_a_mentor_without_github_is_introduced_by_the_coordinator(ctx: Context) -> None:
    notice, _ = accept_notice(ctx, "dev-test")
    assert "@riverside-coord: please introduce this mentee to Dev Test" in notice
    assert at_mentions(notice) == {"mentee", "riverside-coord"}


def test_with_no_private_path_the_bot_says_so_and_asks_the_maintainers_by_name(ctx: Context) -> None:
    notice, _ = accept_notice(ctx, "ana-example")
    assert "no booking page" in notice and "no contact page" in notice
    assert "@mmm-sample-lakeshore-coord: please connect this mentee with Ana Example" in notice
    assert "maintainers are asked below to connect you by **" in notice
    assert at_mentions(notice) == {"mentee", "mmm-sample-lakeshore-coord", "mmm-sample-ana-example"}


def test_a_withdrawal_thanks_the_mentors_who_accepted(ctx: Context) -> None:
    thread = opened(ctx, team_size=2, mentors=["ben-test", "cara-test"])
    first = thread.state().active[0].mentor
    thread.command("/accept", ANSWERS_FOR[first])
    comment, planned = thread.command("/withdraw", "mentee")
    assert kinds(planned)[:3] == ["PostComment:notice", "React", "EditComment:main"]
    notice = only(planned, PostComment, "notice")
    assert notice.startswith(f"<!-- mentormemed-bot-notice:withdraw-{comment.id} -->\n")
    assert at_mentions(notice) == {ANSWERS_FOR[first]}  # not the mentor who never accepted
    assert "Thank you" in notice and "released" in notice


def test_a_withdrawal_before_any_accept_posts_no_notice(ctx: Context) -> None:
    thread = opened(ctx, team_size=2)
    _, planned = thread.command("/withdraw", "mentee")
    assert "PostComment:notice" not in kinds(planned)


def test_a_team_completed_by_an_edit_gets_a_completion_notice(ctx: Context) -> None:
    thread = opened(ctx, team_size=2, mentors=["ben-test", "cara-test"])
    first = thread.state().active[0].mentor
    thread.command("/accept", ANSWERS_FOR[first])
    thread.issue = dataclasses.replace(thread.issue, body=request_body(team_size=1, mentors=["ben-test"]))
    planned = thread.settle()
    notice = only(planned, PostComment, "notice")
    assert "<!-- mentormemed-bot-notice:complete-" in notice.split("\n", 1)[0]
    assert "team is complete" in notice and at_mentions(notice) == {"mentee"}


# -- labels: exactly one shows the state, after every event ---------------------------------

STATE_LABEL_NAMES = {
    "needs-info",
    "no-match",
    "waiting",
    "partly-accepted",
    "accepted",
    "withdrawn",
    "closed",
}


def state_labels(thread: Thread) -> set[str]:
    return set(thread.issue.labels) & (STATE_LABEL_NAMES | {"matched"})


def test_one_label_shows_the_state_after_every_event(ctx: Context) -> None:
    thread = opened(ctx, team_size=2)
    assert state_labels(thread) == {"waiting"}
    first, second = (p.mentor for p in thread.state().active)
    thread.command("/accept", ANSWERS_FOR[first])
    assert state_labels(thread) == {"partly-accepted"}
    thread.command(f"/decline {second}", ANSWERS_FOR[second])  # re-offered: still partly
    assert state_labels(thread) == {"partly-accepted"}
    (third,) = {p.mentor for p in thread.state().active} - {first}
    thread.command(f"/accept {third}", ANSWERS_FOR[third])
    assert state_labels(thread) == {"accepted"}
    thread.issue = dataclasses.replace(thread.issue, body=request_body(team_size=3))
    thread.settle()  # a third place offered: no longer every one accepted
    assert state_labels(thread) == {"partly-accepted"}
    thread.issue = dataclasses.replace(thread.issue, body=request_body(mentors=["nobody-here"]))
    thread.settle()
    assert state_labels(thread) == {"needs-info"}
    thread.issue = dataclasses.replace(thread.issue, body=request_body(team_size=3))
    thread.settle()
    assert state_labels(thread) == {"partly-accepted"}
    thread.issue = dataclasses.replace(thread.issue, state="closed", state_reason="completed")
    thread.settle()
    assert state_labels(thread) == {"closed"}
    thread.issue = dataclasses.replace(thread.issue, state="open", state_reason="reopened")
    thread.settle()
    assert state_labels(thread) == {"partly-accepted"}
    thread.command("/withdraw", "mentee")
    assert state_labels(thread) == {"withdrawn"}


def test_a_declined_only_mentor_goes_back_to_waiting_and_the_old_label_is_taken_off(ctx: Context) -> None:
    thread = Thread(ctx, request_body(team_size=1), labels=(REQUEST_LABEL, "matched", "accepted"))
    thread.settle()
    assert state_labels(thread) == {"waiting"}
    (mentor,) = [p.mentor for p in thread.state().active]
    thread.command("/decline", ANSWERS_FOR[mentor])
    assert state_labels(thread) == {"waiting"} and thread.state().status_of(mentor) == "declined"


def test_no_mentor_free_is_no_match(ctx: Context) -> None:
    full = {"ana-example": 99, "ben-test": 1, "cara-test": 2, "dev-test": 2}
    thread = Thread(ctx, request_body(team_size=1), load=full)
    thread.settle()
    assert state_labels(thread) == {"no-match"}


# -- what is not acted on ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "options", [{"labels": ("question",)}, {"pull_request": True}], ids=["no-request-label", "pull-request"]
)
def test_not_a_request_issue_plans_nothing(ctx: Context, options: dict[str, Any]) -> None:
    thread = Thread(ctx, request_body(), **options)
    thread.say("/withdraw", "mentee")
    assert thread.plan() == Plan(7)
    assert thread.load_reads == 0


def test_bot_and_edited_comments_are_not_commands(ctx: Context) -> None:
    thread = opened(ctx, team_size=2)
    thread.say("/withdraw", ME, kind="Bot")
    thread.say("/withdraw", "dependabot[bot]", kind="Bot")
    thread.say("/withdraw", "some-app[bot]")
    thread.say("/withdraw", "mentee", edited=True)
    thread.say("please /withdraw this", "mentee")  # not on the first line's start
    assert thread.plan() == Plan(7)


def test_a_marker_in_someone_elses_comment_is_not_the_bots(ctx: Context) -> None:
    thread = Thread(ctx, request_body())
    planted = thread.say(MARKER + '\n<!-- mentormemed-bot-state:v1 {"phase":"withdrawn"} -->', "mallory")
    planned = thread.settle()
    assert kinds(planned)[0] == "PostComment:main"
    assert thread.comments[0] == planted and thread.state().phase == "matched"


# -- forged markers: the bot's markers typed by someone else change nothing -------------------

#: Marker text a mentee or a stranger could type. `{next}` is the id the next comment will get,
#: so a forged reply marker names the stranger's coming command exactly (ids are predictable).
FORGERIES = {
    "state": '<!-- mentormemed-bot-state:v1 {"phase":"withdrawn"} -->',
    "state-v2": '<!-- mentormemed-bot-state:v2 {"phase":"withdrawn"} -->',
    "reply": "<!-- mentormemed-bot-reply:{next} -->",
    "reply-in-backticks": "`` <!-- mentormemed-bot-reply:{next} --> ``",
    "main-marker": MARKER,
}
#: Where a mentee can put text: every question of the form, the title, a heading of their own,
#: and text above the first question.
PLACES = [*(f.id for f in form_fields(vocabulary())), "title", "own-heading", "above-the-form"]


def forged_issue(issue: GitHubIssue, place: str, text: str) -> GitHubIssue:
    """ISSUE with TEXT put in PLACE (a question's answer replaced by it)."""
    if place == "title":
        return dataclasses.replace(issue, title=text)
    if place == "own-heading":
        return dataclasses.replace(issue, body=issue.body + "\n\n### " + text + "\n\nyes")
    if place == "above-the-form":
        return dataclasses.replace(issue, body=text + "\n\n" + issue.body)
    label = next(f.label for f in form_fields(vocabulary()) if f.id == place)
    head = f"### {label}\n\n"
    start = issue.body.index(head) + len(head)
    end = issue.body.find("\n\n### ", start)
    end = len(issue.body) if end < 0 else end
    return dataclasses.replace(issue, body=issue.body[:start] + text + issue.body[end:])


def edit_accept_restore(ctx: Context, place: str, text: str) -> list[object]:
    """A request whose first mentor accepted; the mentee puts TEXT in PLACE; a stranger's
    `/accept` is refused; the mentee puts the request back. What each plan did, and the state
    after it. Checked on the way: the main comment stays the bot's first comment, never
    replaced, and the accepted place is never lost."""
    thread = opened(ctx, team_size=2)
    mentor = thread.state().active[0].mentor
    thread.command("/accept", ANSWERS_FOR[mentor])
    main_id = thread.comments[0].id
    clean = thread.issue
    thread.issue = forged_issue(clean, place, text.replace("{next}", str(1000 + len(thread.comments))))
    trace: list[object] = [kinds(thread.settle()), thread.state()]
    assert thread.state().status_of(mentor) == "accepted"
    stranger, refused = thread.command("/accept", "stranger")
    trace += [kinds(refused), thread.state()]
    assert thread.state().status_of(mentor) == "accepted"
    thread.issue = dataclasses.replace(thread.issue, title=clean.title, body=clean.body)
    trace += [kinds(thread.settle()), thread.state()]
    assert thread.state().status_of(mentor) == "accepted" and thread.state().phase == "matched"
    main = thread.comments[0]
    assert main.id == main_id and main.author == BOT and main.body.startswith(MARKER + "\n")
    (reply,) = [c for c in thread.comments if c.body.startswith(reply_marker(stranger.id))]
    assert reply.author == BOT and MARKER not in reply.body
    return trace


@pytest.mark.parametrize("forgery", FORGERIES)
@pytest.mark.parametrize("place", PLACES)
def test_forged_markers_in_the_request_change_nothing(ctx: Context, place: str, forgery: str) -> None:
    """Every plan is the one the same issue gets with plain words in place of the forgery."""
    assert edit_accept_restore(ctx, place, FORGERIES[forgery]) == edit_accept_restore(
        ctx, place, "plain words"
    )


def test_forged_markers_in_others_comments_change_nothing(ctx: Context) -> None:
    """Comments that start with, or hold, the bot's markers and a state block, by the mentee, a
    stranger, another app and an account named like the bot: each plan is the one the same
    comments get with the forgeries left out."""
    state = '<!-- mentormemed-bot-state:v1 {"phase":"withdrawn","team":[]} -->'
    forged = [
        (MARKER + "\n" + state, "mallory", "User"),
        (MARKER + "\n" + state, "mentee", "User"),
        (MARKER + "\n" + state, "evil-app[bot]", "Bot"),
        (MARKER + "\n" + state, "github-actions", "User"),
        (reply_marker(1005) + "\nSorry, nothing changed.", "mallory", "User"),
        ("<!-- mentormemed-bot-offer:00ff -->\nyou are offered a place", "mallory", "User"),
        ("/accept\n" + MARKER + "\n" + state, "stranger", "User"),
        ("/decline\n" + reply_marker(1002), "mallory", "User"),
        ("text\n" + state, "mentee", "User"),
    ]

    def run(with_forgeries: bool) -> tuple[list[object], Thread]:
        thread = opened(ctx, team_size=2)
        mentor = thread.state().active[0].mentor
        thread.command("/accept", ANSWERS_FOR[mentor])
        trace: list[object] = []
        for body, author, kind in forged:
            first = body.split("\n", 1)[0]
            thread.say(
                body if with_forgeries else (first if first.startswith("/") else "plain words"),
                author,
                kind=kind,
            )
            planned = thread.settle()
            trace += [planned, thread.state()]
            assert thread.state().status_of(mentor) == "accepted"
        assert thread.comments[0].body.startswith(MARKER + "\n")
        return trace, thread

    forged_trace, thread = run(True)
    assert forged_trace == run(False)[0]
    assert thread.state().phase == "matched"


# -- a main comment whose state cannot be read: held, never started afresh --------------------


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body: body.replace(MARKER + "\n", MARKER + "\n" + FORGERIES["state"] + "\n", 1),
        lambda body: body + "a line after the state block\n",
        lambda body: body.rstrip("\n").rpartition("\n")[0] + "\n",  # the block removed
        lambda body: body.replace('"phase":', '"admin":true,"phase":', 1),
        lambda body: body.replace('"status":"accepted"', '"status":"accepted" ', 1),
    ],
    ids=["second-block", "text-after", "no-block", "unknown-field", "not-canonical"],
)
def test_an_unreadable_state_holds_the_issue(ctx: Context, tamper: Any) -> None:
    """Someone who can edit the bot's comment breaks its state: the plan writes nothing and
    says why (starting afresh would forget the accepted place); repaired, all is as before."""
    thread = opened(ctx, team_size=2)
    mentor = thread.state().active[0].mentor
    thread.command("/accept", ANSWERS_FOR[mentor])
    good = thread.comments[0]
    thread.comments[0] = dataclasses.replace(good, body=tamper(good.body))
    thread.say("/withdraw", "mentee")
    held = thread.plan()
    assert held.actions == () and held.hold is not None
    assert f"comment {good.id}" in held.hold and "cannot be read" in held.hold
    thread.comments[0] = good
    planned = thread.settle()
    assert "CloseIssue" in kinds(planned) and thread.state().phase == "withdrawn"


# -- identity answers: read from the issue on every run, never kept ---------------------------


def bot_text(thread: Thread) -> str:
    return "\n".join(c.body for c in thread.comments if c.author == BOT)


def test_identity_answers_are_read_from_the_issue_on_every_run(ctx: Context) -> None:
    thread = opened(ctx, team_size=2, affinities=["first-generation", "lgbtq"])
    team = thread.state().team
    words = ["first-generation", "first generation", "lgbtq", "affinit"]
    assert "shares 1 identity you chose" in bot_text(thread)  # only the mentors' public ones count
    assert not [w for w in words if w in bot_text(thread).lower()]
    thread.command("/accept", ANSWERS_FOR[team[0].mentor])
    thread.issue = dataclasses.replace(thread.issue, body=request_body(team_size=2))
    planned = thread.settle()
    assert kinds(planned) == ["EditComment:main"]  # the same team: only the words change
    assert "identit" not in thread.comments[0].body
    assert [p.mentor for p in thread.state().team] == [p.mentor for p in team]
    assert not [w for w in words if w in bot_text(thread).lower()]


def test_a_version_1_state_is_taken_over_without_a_new_team(ctx: Context) -> None:
    """A main comment the previous version wrote (identity reasons and a hash with identities
    in its state) is read, not held, and rewritten without them; the team stays."""
    thread = opened(ctx, team_size=2, affinities=["first-generation"])
    state = thread.state()
    request = Request.model_validate(
        {"needs": ["residency-application"], "team_size": 2, "affinities": ["first-generation"]}
    )
    old = state.model_copy(
        update={
            "version": 1,
            "request_hash": legacy_request_hash(request),
            "team": [
                p.model_copy(update={"reasons": ["shares: First-generation college", *p.reasons]})
                for p in state.team
            ],
        }
    )
    data = {k: v for k, v in old.model_dump(mode="json").items() if k not in V3_STATE_FIELDS}
    data["team"] = [{k: v for k, v in p.items() if k not in V3_PLACEMENT_FIELDS} for p in data["team"]]
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    main = thread.comments[0]
    head = main.body.rstrip("\n").rpartition("\n")[0]
    thread.comments[0] = dataclasses.replace(
        main, body=head + "\n<!-- mentormemed-bot-state:v1 " + text + " -->\n"
    )
    planned = thread.settle()
    assert kinds(planned) == ["EditComment:main"]
    # the team stays (version 1 kept no dates: the scheduled run starts their clocks)
    assert [p.model_copy(update={"offered_on": None}) for p in state.team] == thread.state().team
    assert thread.state().version == 3
    assert "First-generation" not in thread.comments[0].body


# -- golden threads: the whole issue as its readers see it (tests/bot/golden/) ----------------

GOLDEN = Path(__file__).parent / "golden"


def transcript(thread: Thread, opened_body: str) -> str:
    """The thread as Markdown: who wrote each comment, then the comment (a person's first line)."""
    parts = [
        f"<!-- golden thread: {GOLDEN_NOTE} -->",
        "",
        "## mentee opened the request",
        "",
        opened_body.strip(),
    ]
    for comment in thread.comments:
        who = "the bot" if comment.author == BOT else comment.author.login
        parts += ["", "---", "", f"## {who} (comment {comment.id})", "", comment.body.strip()]
    labels = [lb for lb in thread.issue.labels if lb != REQUEST_LABEL]
    parts += ["", "---", "", f"Labels: {', '.join(labels)}; issue {thread.issue.state}"]
    return "\n".join(parts) + "\n"


GOLDEN_NOTE = "written by tests/bot/test_plan.py; MENTORMEMED_UPDATE_GOLDEN=1 rewrites it"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.md"
    if os.environ.get("MENTORMEMED_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, (
        f"{path.name} differs: MENTORMEMED_UPDATE_GOLDEN=1 rewrites it"
    )


GOLDEN_REQUEST = {
    "needs": ["research", "residency-application"],
    "stage": "ms2",
    "affinities": ["first-generation"],
    "team_size": 2,
}


def golden_thread(ctx: Context, **answers: Any) -> tuple[Thread, str]:
    body = request_body(**{**GOLDEN_REQUEST, **answers})
    thread = Thread(ctx, body)
    thread.settle()
    return thread, body


def test_golden_opening_to_first_meeting(ctx: Context) -> None:
    thread, body = golden_thread(ctx, team_size=1, mentors=["ben-test"])
    thread.command("/acept", "ben-gh")
    thread.command("/accept Happy to help!", "ben-gh")
    check_golden("opening-to-first-meeting", transcript(thread, body))


def test_golden_decline_with_reoffer(ctx: Context) -> None:
    thread, body = golden_thread(ctx, mentors=["ben-test", "cara-test"])
    thread.command("/decline - sorry, on service until March", "cara-gh")
    assert len(thread.state().active) == 2
    check_golden("decline-with-reoffer", transcript(thread, body))


def test_golden_withdrawal(ctx: Context) -> None:
    thread, body = golden_thread(ctx, mentors=["ben-test", "cara-test"])
    thread.command("/accept", "ben-gh")
    thread.command("/withdraw", "mentee")
    check_golden("withdrawal", transcript(thread, body))


def test_golden_coordinator_introduced_mentor(ctx: Context) -> None:
    thread, body = golden_thread(ctx, team_size=1, mentors=["dev-test"])
    thread.command("/accept dev-test", "riverside-coord")
    check_golden("coordinator-introduced", transcript(thread, body))


#: Words the bot's comments do not use, and the plain words they use instead.
GLOSSARY = {
    "covers": "can help with",
    "further along": "a few years ahead of you",
    "places free": None,
    "place free": None,
    "phase": None,
    "matched": None,
}


def test_plain_words_in_every_comment_of_the_golden_threads(ctx: Context) -> None:
    thread, _ = golden_thread(ctx, mentors=["ben-test", "cara-test"])
    main = thread.comments[0].body
    visible = main.rpartition("\n<!-- mentormemed-bot-state")[0]
    assert "**We've asked 2 mentors; most reply within a week.**" in visible
    assert "A team is a few mentors" in visible
    assert "@ben-gh: you're invited to help an MS2 with residency applications" in visible
    assert "anything after the word is fine" in visible
    for comment in thread.comments:
        text = comment.body.rpartition("\n<!-- mentormemed-bot-state")[0] or comment.body
        for jargon in GLOSSARY:
            assert jargon not in text.lower(), (jargon, text)
    assert "can help with" in visible and "a few years ahead of you" in visible

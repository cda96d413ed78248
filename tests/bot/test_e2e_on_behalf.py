"""A coordinator's request for a mentee (issue 20): the real `mentormemed bot` process against
the local GitHub (tests/support/fake_github), as tests/bot/test_e2e.py runs it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.bot.proxy_comments import CONTACT_THROUGH
from generator.bot.state import MARKER
from generator.content.models import Request
from generator.requests.issue_form import ON_BEHALF_LABEL, REQUEST_LABEL, Filing, render_issue_body
from tests.bot.test_e2e import (
    HOSTILE,
    bot_comments,
    comment,
    main_state,
    mentions,
    offers,
    opened,
    run_bot,
    state_labels,
)
from tests.support.bot import write_bot_content
from tests.support.fake_github import FakeGitHub, issues_event

pytestmark = [pytest.mark.e2e]

COORD = "riverside-coord"
BOOKING = "https://calendar.riverside.example.edu/book/ben-test"
#: who answers for each mentor of the content below (ana-example: the base content's mentor,
#: offered when /rematch releases the mentor who had not answered yet)
ANSWERS_FOR = {
    "ben-test": "ben-gh",
    "cara-test": "cara-gh",
    "dev-test": COORD,
    "ana-example": "mmm-sample-ana-example",
}


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_bot_content(
        tmp_path_factory.mktemp("content"),
        [
            ("ben-test", "Ben Test", "ben-gh", 2),
            ("cara-test", "Cara Test", "cara-gh", 2),
            ("dev-test", "Dev Test", None, 2),
        ],
        booking={"ben-test": BOOKING},
        coordinator_url="https://riverside.example.edu/mentoring/contact",
    )


ON_BEHALF = Filing(on_behalf=True)


def filed_body(filing: Filing = ON_BEHALF, **answers: Any) -> str:
    data = {"needs": ["residency-application"], "team_size": 1, "mentors": ["ben-test"], **answers}
    return render_issue_body(Request.model_validate(data), filing=filing)


def open_filed(fake: FakeGitHub, text: str, author: str) -> int:
    return fake.open_issue(fake.repo(), body=text, author=author, labels=[REQUEST_LABEL]).number


def test_a_maintainers_request_is_matched_and_the_coordinator_is_addressed_throughout(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    repo = fake_github.repo()
    number = open_filed(fake_github, filed_body(), COORD)
    opened(fake_github, tmp_path, content, number)
    state = main_state(fake_github, repo, number)
    assert state.phase == "matched" and [p.mentor for p in state.active] == ["ben-test"]
    (main,) = bot_comments(fake_github, repo, number)
    assert f"filed by @{COORD}, a coordinator of **Riverside Mentoring**" in main
    assert state_labels(repo.issues[number].labels) == {"waiting"}

    # a second place asked for: the offer tells the new mentor contact goes through the coordinator
    fake_github.edit_issue(repo, number, body=filed_body(team_size=2, mentors=["ben-test", "cara-test"]))
    result = run_bot(
        fake_github, tmp_path, content, "issues", issues_event(fake_github, repo, number, "edited")
    )
    assert result.returncode == 0, result.stderr
    (offer,) = offers(fake_github, repo, number)
    assert CONTACT_THROUGH in offer and mentions(offer) == {"cara-gh"}

    # the accept notice is the coordinator's, with the booking page to pass on
    comment(fake_github, tmp_path, content, number, "/accept Happy to help", "ben-gh")
    notice = bot_comments(fake_github, repo, number)[-1]
    assert notice.splitlines()[1].startswith(f"@{COORD}, **Ben Test** accepted a place")
    assert "please pass this on to the mentee privately" in notice and BOOKING in notice
    assert main_state(fake_github, repo, number).status_of("ben-test") == "accepted"

    # the coordinator gives the mentee's commands
    offered_before = main_state(fake_github, repo, number).ids("offered")
    comment(fake_github, tmp_path, content, number, "/rematch", COORD)
    (rematch,) = [c for c in fake_github.comments(repo, number) if c.body == "/rematch"]
    assert [r[1] for r in rematch.reactions] == ["+1"]  # applied, not refused
    state = main_state(fake_github, repo, number)
    assert state.status_of("ben-test") == "accepted"  # kept by the rematch
    (waiting,) = [p.mentor for p in state.active if p.status == "offered"]
    assert waiting not in offered_before  # /rematch asked someone else instead of the silent one
    comment(fake_github, tmp_path, content, number, "/accept", ANSWERS_FOR[waiting])
    last = bot_comments(fake_github, repo, number)[-1]
    assert f"@{COORD}" in last and "The mentee's team is complete" in last
    assert state_labels(repo.issues[number].labels) == {"accepted"}
    every = "\n".join(bot_comments(fake_github, repo, number))
    # the coordinator, the mentors and the program maintainers who answer for them: no one else
    assert mentions(every) <= {COORD, *ANSWERS_FOR.values(), "mmm-sample-lakeshore-coord"}
    assert not [
        b for b in bot_comments(fake_github, repo, number) if b.startswith("<!-- mentormemed-bot-reply")
    ]

    comment(fake_github, tmp_path, content, number, "/withdraw", COORD)
    assert repo.issues[number].state == "closed" and repo.issues[number].locked


def test_a_strangers_request_for_a_mentee_is_refused_and_no_team_is_made(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    repo = fake_github.repo()
    number = open_filed(fake_github, filed_body(team_size=2), "helpful-stranger")
    opened(fake_github, tmp_path, content, number)
    (main,) = bot_comments(fake_github, repo, number)
    assert "thank you for helping a mentee ask" in main and "no team was made" in main
    state = main_state(fake_github, repo, number)
    assert state.phase == "needs-info" and state.team == []
    assert state_labels(repo.issues[number].labels) == {"needs-info"}
    assert mentions(main) == set() and not offers(fake_github, repo, number)
    # nothing in the other requests was read: no team, no load
    listed = [c for c in fake_github.calls if c.method == "GET" and c.path.endswith("/issues")]
    assert listed == []


def test_hostile_text_in_the_filing_fields_stays_inert(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    repo = fake_github.repo()
    text = filed_body(Filing(on_behalf=True, program="riverside-som"))
    text = text.replace("### Your program\n\nriverside-som", "### Your program\n\n" + HOSTILE)
    text = text.replace(f"- [X] {ON_BEHALF_LABEL}", f"- [X] {ON_BEHALF_LABEL}\n- [X] {HOSTILE}")
    number = open_filed(fake_github, text, COORD)
    result = opened(fake_github, tmp_path, content, number)
    assert "curl" not in result.stdout + result.stderr
    (main,) = bot_comments(fake_github, repo, number)
    assert "needs a change" in main
    assert main_state(fake_github, repo, number).team == []
    for forbidden in ("@user", "<script>", "$(", "${{", "::add-mask::"):
        assert forbidden not in main
    assert main.count(MARKER) == 1 and main.count("mentormemed-bot-state") == 1

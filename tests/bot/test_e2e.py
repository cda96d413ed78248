"""The real `mentormemed bot` process against the local GitHub (tests/support/fake_github)."""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.bot.comments import reply_marker
from generator.bot.state import MARKER, load_state
from generator.content.models import Request
from generator.requests.issue_form import REQUEST_LABEL, form_fields, render_issue_body
from tests.support.bot import write_bot_content
from tests.support.fake_github import (
    FakeGitHub,
    FakeRepo,
    FakeUser,
    Fault,
    issue_comment_event,
    issues_event,
    write_event,
)

# Each test runs the real `mentormemed bot` process against the local GitHub.
pytestmark = [pytest.mark.e2e]

BIN = Path(sys.executable).parent / "mentormemed"
SITE = "https://example.org/dir"


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_bot_content(
        tmp_path_factory.mktemp("content"),
        [
            ("ben-test", "Ben Test", "ben-gh", 1),
            ("cara-test", "Cara Test", "cara-gh", 2),
            ("dev-test", "Dev Test", None, 2),
            ("eli-test", "Eli Test", "eli-gh", 2),
        ],
    )


def body(**answers: Any) -> str:
    data = {"needs": ["residency-application"], "team_size": 2, **answers}
    return render_issue_body(Request.model_validate(data))


def run_bot(
    fake: FakeGitHub,
    tmp_path: Path,
    content: Path,
    event: str,
    payload: dict[str, Any],
    *,
    site_url: str | None = SITE,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    path = write_event(tmp_path, payload)
    environ = {
        **{
            k: v for k, v in os.environ.items() if not k.startswith("GITHUB_") and k != "MENTORMEMED_SITE_URL"
        },
        **fake.env(),
        "MENTORMEMED_RETRY_BACKOFF": "0.05",
        **env,
    }
    return subprocess.run(
        [
            str(BIN),
            "bot",
            "--event-name",
            event,
            "--event-path",
            str(path),
            "--content",
            str(content),
            *(["--site-url", site_url] if site_url is not None else []),
        ],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def snapshot(fake: FakeGitHub) -> Any:
    repo = fake.repo()
    with fake.lock:
        return copy.deepcopy(
            (
                {n: (i.title, i.body, list(i.labels), i.state, i.locked) for n, i in repo.issues.items()},
                {
                    c.id: (c.body, c.user.login, c.updated_at, list(c.reactions))
                    for c in repo.comments.values()
                },
                sorted(repo.labels),
            )
        )


def bot_comments(fake: FakeGitHub, repo: FakeRepo, number: int) -> list[str]:
    return [c.body for c in fake.comments(repo, number) if c.user is fake.bot]


OFFER = "<!-- mentormemed-bot-offer:"
#: Who an offer to each test mentor mentions (dev-test has no GitHub: its program's maintainer).
OFFER_MENTION = {
    "ana-example": "mmm-sample-ana-example",
    "ben-test": "ben-gh",
    "cara-test": "cara-gh",
    "dev-test": "riverside-coord",
    "eli-test": "eli-gh",
}
LOGINS = {m: login for m, login in OFFER_MENTION.items() if m != "dev-test"}


def offers(fake: FakeGitHub, repo: FakeRepo, number: int) -> list[str]:
    return [b for b in bot_comments(fake, repo, number) if b.startswith(OFFER)]


def mentions(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w`])@([A-Za-z0-9-]+)", text))


STATE_LABELS = {"needs-info", "no-match", "waiting", "partly-accepted", "accepted", "withdrawn", "closed"}


def state_labels(labels: list[str]) -> set[str]:
    """The state labels among LABELS (and `matched`, which earlier versions set)."""
    return set(labels) & (STATE_LABELS | {"matched"})


def main_state(fake: FakeGitHub, repo: FakeRepo, number: int) -> Any:
    (main,) = [b for b in bot_comments(fake, repo, number) if MARKER in b]
    return load_state(main)


def open_request(
    fake: FakeGitHub,
    text: str | None = None,
    author: str = "mentee",
    title: str = "Mentor request",
    **answers: Any,
) -> int:
    repo = fake.repo()
    issue = fake.open_issue(
        repo,
        title=title,
        body=text if text is not None else body(**answers),
        author=author,
        labels=[REQUEST_LABEL],
    )
    return issue.number


def opened(fake: FakeGitHub, tmp_path: Path, content: Path, number: int) -> subprocess.CompletedProcess[str]:
    result = run_bot(fake, tmp_path, content, "issues", issues_event(fake, fake.repo(), number, "opened"))
    assert result.returncode == 0, result.stderr
    return result


def comment(
    fake: FakeGitHub, tmp_path: Path, content: Path, number: int, text: str, author: str
) -> subprocess.CompletedProcess[str]:
    repo = fake.repo()
    posted = fake.add_comment(repo, number, text, author=author)
    result = run_bot(fake, tmp_path, content, "issue_comment", issue_comment_event(fake, repo, posted))
    assert result.returncode == 0, result.stderr
    return result


# -- opened, edited, re-run -------------------------------------------------------------------


def test_opened_edited_and_rerun(fake_github: FakeGitHub, tmp_path: Path, content: Path) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github)
    opened(fake_github, tmp_path, content, number)
    (text,) = bot_comments(fake_github, repo, number)
    assert text.startswith(MARKER)
    assert "Your mentor team" in text and f"{SITE}/mentors/" in text
    assert "/accept" in text and "/withdraw" in text
    assert "affinity" not in text.lower()  # the private affinity is never signalled
    state = main_state(fake_github, repo, number)
    assert state.phase == "matched" and len(state.active) == 2
    assert state_labels(repo.issues[number].labels) == {"waiting"}

    before = snapshot(fake_github)
    opened(fake_github, tmp_path, content, number)
    assert snapshot(fake_github) == before  # a re-run changes nothing

    fake_github.edit_issue(repo, number, body=body(team_size=3))
    result = run_bot(
        fake_github, tmp_path, content, "issues", issues_event(fake_github, repo, number, "edited")
    )
    assert result.returncode == 0, result.stderr
    assert len([b for b in bot_comments(fake_github, repo, number) if MARKER in b]) == 1  # updated
    after = main_state(fake_github, repo, number)
    assert len(after.active) == 3
    # the third mentor, mentioned only in an edit (which GitHub does not notify), gets an offer
    (added,) = {p.mentor for p in after.active} - {p.mentor for p in state.active}
    (offer,) = offers(fake_github, repo, number)
    assert mentions(offer) == {OFFER_MENTION[added]}


def test_mentor_without_github_brokered_by_maintainers(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=5)
    opened(fake_github, tmp_path, content, number)
    (text,) = bot_comments(fake_github, repo, number)
    assert "@riverside-coord" in text  # for dev-test, who has no contact.github
    mentions = set(re.findall(r"@([A-Za-z0-9-]+)", text))
    assert mentions <= {"riverside-coord", "ben-gh", "cara-gh", "eli-gh", "mmm-sample-ana-example"}


def test_not_a_request_and_bot_senders_are_skipped(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    repo = fake_github.repo()
    issue = fake_github.open_issue(repo, body=body())
    before = snapshot(fake_github)
    result = run_bot(
        fake_github, tmp_path, content, "issues", issues_event(fake_github, repo, issue.number, "opened")
    )
    assert result.returncode == 0 and "nothing to do" in result.stdout
    number = open_request(fake_github)
    before = snapshot(fake_github)
    payload = issues_event(fake_github, repo, number, "opened", sender=fake_github.bot)
    result = run_bot(fake_github, tmp_path, content, "issues", payload)
    assert result.returncode == 0 and "nothing to do" in result.stdout
    assert snapshot(fake_github) == before
    assert not [c for c in fake_github.calls if c.method != "GET"]


def test_broken_form_gets_needs_info(fake_github: FakeGitHub, tmp_path: Path, content: Path) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github, body(mentors=["nobody-here"]))
    opened(fake_github, tmp_path, content, number)
    (text,) = bot_comments(fake_github, repo, number)
    assert "`nobody-here`" in text and "needs a change" in text
    assert "needs-info" in repo.issues[number].labels


# -- hostile text -----------------------------------------------------------------------------

HOSTILE = (
    "$(curl evil) `rm -rf` ${{ secrets.GITHUB_TOKEN }} ::add-mask::x <script>alert(1)</script> "
    + MARKER
    + " <!-- mentormemed-bot-state:v1 {} --> "
    + " ".join(f"@user{n}" for n in range(50))
)


def test_hostile_text_stays_inert(fake_github: FakeGitHub, tmp_path: Path, content: Path) -> None:
    repo = fake_github.repo()
    hostile_body = body().replace("### ", HOSTILE + "\n\n### ", 1) + "\n" + HOSTILE
    issue = fake_github.open_issue(repo, title=HOSTILE, body=hostile_body, labels=[REQUEST_LABEL])
    planted = fake_github.add_comment(repo, issue.number, MARKER + "\n" + HOSTILE, author="mallory")
    result = run_bot(
        fake_github, tmp_path, content, "issues", issues_event(fake_github, repo, issue.number, "opened")
    )
    assert result.returncode == 0, result.stderr
    assert "curl" not in result.stdout + result.stderr
    for text in bot_comments(fake_github, repo, issue.number):
        assert "@user" not in text and "<script>" not in text and "$(" not in text and "${{" not in text
        assert text.count(MARKER) <= 1 and "::add-mask::" not in text
    assert repo.comments[planted.id].body.startswith(MARKER)  # never edited by the bot
    result = comment(fake_github, tmp_path, content, issue.number, "/withdraw " + HOSTILE, "mallory")
    assert repo.issues[issue.number].state == "open"


# -- commands ---------------------------------------------------------------------------------


def test_accept_decline_and_load(fake_github: FakeGitHub, tmp_path: Path, content: Path) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=2)
    opened(fake_github, tmp_path, content, number)
    state = main_state(fake_github, repo, number)
    first, second = (p.mentor for p in state.active)
    logins = {
        "ben-test": "ben-gh",
        "cara-test": "cara-gh",
        "eli-test": "eli-gh",
        "ana-example": "mmm-sample-ana-example",
    }

    comment(fake_github, tmp_path, content, number, "/accept", "stranger")
    replies = [b for b in bot_comments(fake_github, repo, number) if MARKER not in b]
    assert len(replies) == 1 and "Sorry" in replies[0]
    assert main_state(fake_github, repo, number).status_of(first) == "offered"
    before = snapshot(fake_github)
    result = run_bot(
        fake_github,
        tmp_path,
        content,
        "issue_comment",
        issue_comment_event(fake_github, repo, max(repo.comments) - 1),
    )
    assert result.returncode == 0
    assert snapshot(fake_github) == before  # the refusal is not repeated

    accepter = first if first in logins else second
    comment(fake_github, tmp_path, content, number, "/accept", logins[accepter])
    assert main_state(fake_github, repo, number).status_of(accepter) == "accepted"

    other = second if accepter == first else first
    if other in logins:
        comment(fake_github, tmp_path, content, number, "/decline\nsorry, too busy", logins[other])
    else:
        comment(fake_github, tmp_path, content, number, "/decline", "riverside-coord")
    state = main_state(fake_github, repo, number)
    assert state.status_of(other) == "declined"
    assert state.status_of(accepter) == "accepted"
    assert len(state.active) == 2 and other not in {p.mentor for p in state.active}

    # the accepted place counts in the next match's load: fill the mentor up
    counts = {"ben-test": 1, "cara-test": 2, "dev-test": 2, "eli-test": 2, "ana-example": 3}
    for _ in range(counts[accepter] - 1):
        n = open_request(fake_github, team_size=5)
        opened(fake_github, tmp_path, content, n)
        comment(
            fake_github, tmp_path, content, n, f"/accept {accepter}", logins.get(accepter, "riverside-coord")
        )
        assert main_state(fake_github, repo, n).status_of(accepter) == "accepted"
    later = open_request(fake_github, team_size=5)
    opened(fake_github, tmp_path, content, later)
    assert accepter not in {p.mentor for p in main_state(fake_github, repo, later).active}


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("/accept Happy to help!", "accepted"),
        ("/accept.", "accepted"),
        ("/Accept", "accepted"),
        ("/decline - sorry, on service until March", "declined"),
        ("/decline sorry", "declined"),
        ("/acept", "offered"),
    ],
)
def test_command_forms(
    fake_github: FakeGitHub, tmp_path: Path, content: Path, text: str, status: str
) -> None:
    """The word on the first line decides; a word the bot cannot read gets a kind reply."""
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=1, mentors=["cara-test"])
    opened(fake_github, tmp_path, content, number)
    assert [p.mentor for p in main_state(fake_github, repo, number).active] == ["cara-test"]
    comment(fake_github, tmp_path, content, number, text, "cara-gh")
    state = main_state(fake_github, repo, number)
    assert state.status_of("cara-test") == status
    replies = [b for b in bot_comments(fake_github, repo, number) if "mentormemed-bot-reply" in b]
    if status == "offered":
        (reply,) = replies
        assert "`/accept`" in reply and "could not read" in reply
    else:
        assert replies == []
    before = snapshot(fake_github)
    comment(fake_github, tmp_path, content, number, text, "stranger")  # a stranger changes nothing
    assert main_state(fake_github, repo, number).team == state.team
    after = snapshot(fake_github)
    assert after[0] == before[0]  # the issue and its labels are as they were


def test_one_label_after_each_event(fake_github: FakeGitHub, tmp_path: Path, content: Path) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=2, mentors=["cara-test", "eli-test"])
    opened(fake_github, tmp_path, content, number)

    def labels() -> set[str]:
        return state_labels(repo.issues[number].labels)

    assert labels() == {"waiting"}
    comment(fake_github, tmp_path, content, number, "/accept", "cara-gh")
    assert labels() == {"partly-accepted"}
    comment(fake_github, tmp_path, content, number, "/decline", "eli-gh")
    state = main_state(fake_github, repo, number)
    assert state.status_of("eli-test") == "declined" and len(state.active) == 2
    assert labels() == {"partly-accepted"}  # re-offered: one of two accepted
    comment(fake_github, tmp_path, content, number, "/rematch", "mentee")
    assert labels() == {"partly-accepted"}
    (other,) = {p.mentor for p in main_state(fake_github, repo, number).active} - {"cara-test"}
    comment(fake_github, tmp_path, content, number, f"/accept {other}", OFFER_MENTION[other])
    assert labels() == {"accepted"}
    issue = repo.issues[number]
    issue.state, issue.state_reason = "closed", "completed"
    payload = issues_event(fake_github, repo, number, "closed", sender="mentee")
    assert run_bot(fake_github, tmp_path, content, "issues", payload).returncode == 0
    assert labels() == {"closed"}
    issue.state, issue.state_reason = "open", "reopened"
    payload = issues_event(fake_github, repo, number, "reopened", sender="mentee")
    assert run_bot(fake_github, tmp_path, content, "issues", payload).returncode == 0
    assert labels() == {"accepted"}
    comment(fake_github, tmp_path, content, number, "/withdraw", "mentee")
    assert labels() == {"withdrawn"}


NOTICE = "<!-- mentormemed-bot-notice:"


def notices(fake: FakeGitHub, repo: FakeRepo, number: int) -> list[str]:
    return [b for b in bot_comments(fake, repo, number) if b.startswith(NOTICE)]


def test_notifications_reach_people(fake_github: FakeGitHub, tmp_path: Path, content: Path) -> None:
    """Each accept, a decline that re-offers, the completed team and a withdrawal each get a new
    comment mentioning who must know; the main comment stays the one summary."""
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=2, mentors=["cara-test", "eli-test"])
    opened(fake_github, tmp_path, content, number)
    main_id = next(c.id for c in fake_github.comments(repo, number) if c.body.startswith(MARKER))

    comment(fake_github, tmp_path, content, number, "/accept Happy to help!", "cara-gh")
    (accepted,) = notices(fake_github, repo, number)
    assert {"mentee", "cara-gh"} <= mentions(accepted) and "What happens next" in accepted
    accept_comment = max(c.id for c in fake_github.comments(repo, number) if c.user.login == "cara-gh")
    assert [r[1] for r in repo.comments[accept_comment].reactions] == ["+1"]

    comment(fake_github, tmp_path, content, number, "/decline - sorry, on service until March", "eli-gh")
    decline_comment = max(c.id for c in fake_github.comments(repo, number) if c.user.login == "eli-gh")
    assert repo.comments[decline_comment].reactions == []  # no thumbs-up on a decline
    state = main_state(fake_github, repo, number)
    (new,) = {p.mentor for p in state.active} - {"cara-test"}
    (offer,) = offers(fake_github, repo, number)
    assert mentions(offer) == {OFFER_MENTION[new]}

    comment(fake_github, tmp_path, content, number, f"/accept {new}", OFFER_MENTION[new])
    first, second = notices(fake_github, repo, number)
    assert first == accepted and "mentee" in mentions(second) and "team is complete" in second
    assert [c.id for c in fake_github.comments(repo, number) if c.body.startswith(MARKER)] == [main_id]

    comment(fake_github, tmp_path, content, number, "/withdraw", "mentee")
    *_, withdrawn = notices(fake_github, repo, number)
    assert mentions(withdrawn) == {"cara-gh", OFFER_MENTION[new]} and "Thank you" in withdrawn
    assert len(notices(fake_github, repo, number)) == 3
    before = snapshot(fake_github)
    last = max(c.id for c in fake_github.comments(repo, number) if c.user.login == "mentee")
    payload = issue_comment_event(fake_github, repo, last)
    assert run_bot(fake_github, tmp_path, content, "issue_comment", payload).returncode == 0
    assert snapshot(fake_github) == before  # a re-run posts nothing twice


def test_first_contact_by_booking_page_or_coordinator(fake_github: FakeGitHub, tmp_path: Path) -> None:
    """A mentor with a booking page: the mentee books there. One without: the program's
    coordinator introduces them by a date, after the mentee writes through the contact page."""
    booking = "https://calendar.riverside.example.edu/book/eli-test"
    contact = "https://riverside.example.edu/mentoring/contact"
    content = write_bot_content(
        tmp_path / "content",
        [("cara-test", "Cara Test", "cara-gh", 2), ("eli-test", "Eli Test", "eli-gh", 2)],
        booking={"eli-test": booking},
        coordinator_url=contact,
    )
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=2, mentors=["cara-test", "eli-test"])
    opened(fake_github, tmp_path, content, number)
    comment(fake_github, tmp_path, content, number, "/accept", "eli-gh")
    (booked,) = notices(fake_github, repo, number)
    assert f"[their booking page](<{booking}>)" in booked and mentions(booked) == {"mentee", "eli-gh"}
    assert contact not in booked
    comment(fake_github, tmp_path, content, number, "/accept", "cara-gh")
    _, introduced = notices(fake_github, repo, number)
    assert f"(<{contact}>)" in introduced and f"request #{number}" in introduced
    assert mentions(introduced) == {"mentee", "riverside-coord", "cara-gh"}
    assert re.search(r"by \*\*[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ 20\d\d\*\*", introduced)
    assert "team is complete" in introduced


def test_no_identity_answer_in_any_bot_comment_before_or_after_the_mentee_edits(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=2, affinities=["first-generation", "lgbtq"])
    opened(fake_github, tmp_path, content, number)
    team = main_state(fake_github, repo, number).active
    comment(fake_github, tmp_path, content, number, "/accept", OFFER_MENTION[team[0].mentor])
    words = ["first-generation", "first generation", "lgbtq", "lgbtq+", "affinit"]

    def leaked() -> list[str]:
        text = "\n".join(bot_comments(fake_github, repo, number)).lower()
        return [w for w in words if w in text]

    assert leaked() == []
    assert any("shares 1 identity you chose" in b for b in bot_comments(fake_github, repo, number))
    fake_github.edit_issue(repo, number, body=body(team_size=2))
    event = issues_event(fake_github, repo, number, "edited")
    assert run_bot(fake_github, tmp_path, content, "issues", event).returncode == 0
    assert leaked() == []
    assert not any("identit" in b for b in bot_comments(fake_github, repo, number))
    assert [p.mentor for p in main_state(fake_github, repo, number).active] == [p.mentor for p in team]


def test_withdraw_releases_and_locks(fake_github: FakeGitHub, tmp_path: Path, content: Path) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=1)
    opened(fake_github, tmp_path, content, number)
    comment(fake_github, tmp_path, content, number, "/withdraw", "someone-else")
    assert repo.issues[number].state == "open"
    comment(fake_github, tmp_path, content, number, "/withdraw", "mentee")
    issue = repo.issues[number]
    assert (issue.state, issue.state_reason, issue.locked) == ("closed", "not_planned", True)
    state = main_state(fake_github, repo, number)
    assert state.phase == "withdrawn" and state.accepted_places() == []
    assert "withdrawn" in issue.labels


# -- faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [Fault.server_error(502), Fault.retry_after(1), Fault.rate_limited(reset_in=1)],
    ids=["502", "429-retry-after", "403-rate-limit"],
)
def test_transient_faults_survived(
    fake_github: FakeGitHub, tmp_path: Path, content: Path, fault: Fault
) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github)
    fake_github.inject("GET", "/repos/{owner}/{repo}/issues/{issue_number}", fault)
    fake_github.inject("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", fault)
    opened(fake_github, tmp_path, content, number)
    assert len(bot_comments(fake_github, repo, number)) == 1


@pytest.mark.parametrize("status", [404, 401])
def test_permanent_failure_exits_1_without_traceback(
    fake_github: FakeGitHub, tmp_path: Path, content: Path, status: int
) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github)
    payload = issues_event(fake_github, repo, number, "opened")
    if status == 404:
        fake_github.inject(
            "GET", "/repos/{owner}/{repo}/issues/{issue_number}", Fault(404, {"message": "Not Found"})
        )
        result = run_bot(fake_github, tmp_path, content, "issues", payload)
    else:
        result = run_bot(fake_github, tmp_path, content, "issues", payload, GITHUB_TOKEN="wrong")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and f"GitHub answered {status}" in result.stderr
    assert bot_comments(fake_github, repo, number) == []


# -- offers: a new comment for every mentor offered after the first comment -------------------


def test_decline_and_rematch_post_one_offer_comment_each(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    repo = fake_github.repo()
    # ben-test (capacity 1) is full while his accepted place on `full` counts
    full = open_request(fake_github, team_size=5, author="other-mentee")
    opened(fake_github, tmp_path, content, full)
    comment(fake_github, tmp_path, content, full, "/accept", "ben-gh")
    number = open_request(fake_github, team_size=5)
    opened(fake_github, tmp_path, content, number)
    state = main_state(fake_github, repo, number)
    assert "ben-test" not in {p.mentor for p in state.active} and len(state.active) == 4
    assert offers(fake_github, repo, number) == []  # the first comment's mentions notify

    # /decline: the place goes to nobody new (ben is still full): no offer comment
    declined = state.active[0].mentor
    answerer = LOGINS.get(declined, "riverside-coord")
    comment(fake_github, tmp_path, content, number, f"/decline {declined}", answerer)
    assert main_state(fake_github, repo, number).status_of(declined) == "declined"
    assert offers(fake_github, repo, number) == []

    # ben is freed; /rematch by the author offers him the place, in a comment of its own
    comment(fake_github, tmp_path, content, full, "/withdraw", "other-mentee")
    fake_github.inject(  # the main comment's update fails once, after the offer was posted
        "PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", Fault(404, {"message": "Not Found"})
    )
    posted = fake_github.add_comment(repo, number, "/rematch", author="mentee")
    event = issue_comment_event(fake_github, repo, posted)
    assert run_bot(fake_github, tmp_path, content, "issue_comment", event).returncode == 1
    assert run_bot(fake_github, tmp_path, content, "issue_comment", event).returncode == 0
    state = main_state(fake_github, repo, number)
    assert state.status_of("ben-test") == "offered" and state.status_of(declined) == "declined"
    (offer,) = offers(fake_github, repo, number)  # found again by its marker, not posted twice
    assert mentions(offer) == {"ben-gh"}
    before = snapshot(fake_github)
    assert run_bot(fake_github, tmp_path, content, "issue_comment", event).returncode == 0
    assert snapshot(fake_github) == before


def test_decline_offers_the_next_mentor_by_a_new_comment(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=2)
    opened(fake_github, tmp_path, content, number)
    first, second = (p.mentor for p in main_state(fake_github, repo, number).active)
    comment(fake_github, tmp_path, content, number, f"/decline {first}", LOGINS.get(first, "riverside-coord"))
    state = main_state(fake_github, repo, number)
    (added,) = {p.mentor for p in state.active} - {second}
    (offer,) = offers(fake_github, repo, number)
    assert mentions(offer) == {OFFER_MENTION[added]}  # only the newly offered mentor
    assert "/accept" in offer and MARKER not in offer


def test_rematch_only_by_the_author(fake_github: FakeGitHub, tmp_path: Path, content: Path) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=2)
    opened(fake_github, tmp_path, content, number)
    team = [p.mentor for p in main_state(fake_github, repo, number).active]
    comment(fake_github, tmp_path, content, number, "/rematch", "ben-gh")
    (reply,) = [b for b in bot_comments(fake_github, repo, number) if "mentormemed-bot-reply" in b]
    assert "only the person who opened this request" in reply
    comment(fake_github, tmp_path, content, number, "/rematch", "mentee")
    state = main_state(fake_github, repo, number)
    # nothing changed meanwhile, yet not the same team: those not answering are replaced
    assert not {p.mentor for p in state.active} & set(team) and len(state.active) == 2
    assert len(state.processed) == 2 and len(offers(fake_github, repo, number)) == 1
    assert len([b for b in bot_comments(fake_github, repo, number) if "mentormemed-bot-reply" in b]) == 1


def test_maintainer_answers_for_several_mentors_by_id(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=5)
    opened(fake_github, tmp_path, content, number)
    riverside = {"ben-test", "cara-test", "dev-test", "eli-test"}
    assert riverside <= {p.mentor for p in main_state(fake_github, repo, number).active}

    comment(fake_github, tmp_path, content, number, "/accept", "riverside-coord")
    (reply,) = [b for b in bot_comments(fake_github, repo, number) if "mentormemed-bot-reply" in b]
    assert "more than one suggested mentor" in reply and "`/accept mentor-id`" in reply
    assert main_state(fake_github, repo, number).ids("accepted") == []
    before = snapshot(fake_github)
    rerun = issue_comment_event(fake_github, repo, max(repo.comments) - 1)
    assert run_bot(fake_github, tmp_path, content, "issue_comment", rerun).returncode == 0
    assert snapshot(fake_github) == before  # explained once

    comment(fake_github, tmp_path, content, number, "/accept dev-test", "riverside-coord")
    comment(fake_github, tmp_path, content, number, "/accept ana-example", "riverside-coord")
    state = main_state(fake_github, repo, number)
    assert state.ids("accepted") == ["dev-test"]  # ana-example is another program's mentor
    replies = [b for b in bot_comments(fake_github, repo, number) if "mentormemed-bot-reply" in b]
    assert len(replies) == 2 and "Sorry, only a suggested mentor" in replies[1]


# -- reopened after a withdrawal --------------------------------------------------------------


def test_reopened_after_withdrawal_stays_withdrawn(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    """The mentee's /withdraw is their word; a reopen (by anyone with triage rights) does not
    bring mentors back: the bot closes it again and the comment says to open a new request."""
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=1)
    opened(fake_github, tmp_path, content, number)
    comment(fake_github, tmp_path, content, number, "/withdraw", "mentee")
    issue = repo.issues[number]
    with fake_github.lock:  # a maintainer reopens it
        issue.state, issue.state_reason, issue.closed_at, issue.closed_by = "open", "reopened", None, None
    comments_before = bot_comments(fake_github, repo, number)
    payload = issues_event(fake_github, repo, number, "reopened", sender="riverside-coord")
    result = run_bot(fake_github, tmp_path, content, "issues", payload)
    assert result.returncode == 0, result.stderr
    assert (issue.state, issue.state_reason, issue.locked) == ("closed", "not_planned", True)
    assert bot_comments(fake_github, repo, number) == comments_before  # no new offer, no edit
    assert main_state(fake_github, repo, number).phase == "withdrawn"
    assert "open a new request" in comments_before[0]
    before = snapshot(fake_github)
    assert run_bot(fake_github, tmp_path, content, "issues", payload).returncode == 0
    assert snapshot(fake_github) == before


# -- events that write nothing ----------------------------------------------------------------


def test_another_label_and_pull_request_comments_write_nothing(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github)
    opened(fake_github, tmp_path, content, number)
    fake_github.add_label(repo, "question")
    with fake_github.lock:
        repo.issues[number].labels.append("question")
    pull = fake_github.open_issue(repo, body=body(), labels=[REQUEST_LABEL], pull_request=True)
    posted = fake_github.add_comment(repo, pull.number, "/withdraw", author="mentee")
    writes = len([c for c in fake_github.calls if c.method != "GET"])
    before = snapshot(fake_github)
    for event, payload in [
        ("issues", issues_event(fake_github, repo, number, "labeled", label="question")),
        ("issue_comment", issue_comment_event(fake_github, repo, posted)),
    ]:
        result = run_bot(fake_github, tmp_path, content, event, payload)
        assert result.returncode == 0 and "nothing to do" in result.stdout, result.stderr
    assert snapshot(fake_github) == before
    assert len([c for c in fake_github.calls if c.method != "GET"]) == writes


# -- a dropped connection while posting ---------------------------------------------------------


@pytest.mark.parametrize("applied", [True, False], ids=["posted-then-dropped", "dropped-before"])
def test_dropped_comment_post_is_never_doubled(
    fake_github: FakeGitHub, tmp_path: Path, content: Path, applied: bool
) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github)
    route = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
    fake_github.inject("POST", route, Fault.dropped(apply=applied))
    opened(fake_github, tmp_path, content, number)
    assert len(bot_comments(fake_github, repo, number)) == 1
    posts = fake_github.calls_to("POST", route)
    assert len(posts) == (1 if applied else 2)
    # between the dropped POST and anything else, the bot looked for its marker
    after = fake_github.calls[fake_github.calls.index(posts[0]) + 1]
    assert (after.method, after.template) == ("GET", route)


# -- GitHub Enterprise Server and the site address ----------------------------------------------


def test_enterprise_server_opened_and_accepted(fake_ghes: FakeGitHub, tmp_path: Path, content: Path) -> None:
    assert fake_ghes.env()["GITHUB_API_URL"].endswith("/api/v3")
    repo = fake_ghes.repo()
    number = open_request(fake_ghes, team_size=2)
    opened(fake_ghes, tmp_path, content, number)
    (text,) = bot_comments(fake_ghes, repo, number)
    assert "Your mentor team" in text and "waiting" in repo.issues[number].labels
    mentor = next(p.mentor for p in main_state(fake_ghes, repo, number).active if p.mentor in LOGINS)
    comment(fake_ghes, tmp_path, content, number, "/accept", LOGINS[mentor])
    assert main_state(fake_ghes, repo, number).status_of(mentor) == "accepted"
    assert fake_ghes.calls and all(c.template for c in fake_ghes.calls)


def test_site_url_from_the_environment(fake_github: FakeGitHub, tmp_path: Path, content: Path) -> None:
    from generator.core.defaults import DEFAULT_SITE_URL

    repo = fake_github.repo()
    cases = [("https://env.example/dir", "https://env.example/dir"), ("", DEFAULT_SITE_URL)]
    for env_value, expected in cases:
        number = open_request(fake_github)
        payload = issues_event(fake_github, repo, number, "opened")
        result = run_bot(
            fake_github, tmp_path, content, "issues", payload, site_url=None, MENTORMEMED_SITE_URL=env_value
        )
        assert result.returncode == 0, result.stderr
        (text,) = bot_comments(fake_github, repo, number)
        assert f"]({expected}/mentors/" in text


# -- forged markers ---------------------------------------------------------------------------

FORGED_STATE = '<!-- mentormemed-bot-state:v1 {"phase":"withdrawn","team":[]} -->'
FORGED_REPLY = "<!-- mentormemed-bot-reply:{next} -->"


def forge_every_field(text: str, forgery: str) -> str:
    """The request body TEXT with every question's answer replaced by FORGERY, and a heading of
    the mentee's own made of it."""
    for field in form_fields():
        head = f"### {field.label}\n\n"
        start = text.index(head) + len(head)
        end = text.find("\n\n### ", start)
        text = text[:start] + forgery + (text[end:] if end >= 0 else "")
    return text + "\n\n### " + forgery + "\n\nyes"


def bot_html_comments(text: str) -> list[str]:
    return re.findall(r"<!--.*?-->", text)


@pytest.mark.parametrize("forgery", [FORGED_STATE, FORGED_REPLY, "`` " + FORGED_REPLY + " ``", MARKER])
def test_forged_markers_in_every_form_field(
    fake_github: FakeGitHub, tmp_path: Path, content: Path, forgery: str
) -> None:
    """A mentee types the bot's state block or a reply marker (naming the next comment's id,
    which is predictable) into every question of the form and a heading of their own, after a
    mentor accepted. The accepted place stays, the main comment is never overwritten (nor is
    a reply written over it), and the forged text is never echoed as a marker."""
    repo = fake_github.repo()
    clean = body(team_size=2)
    number = open_request(fake_github, clean, title=forgery)
    opened(fake_github, tmp_path, content, number)
    (main,) = fake_github.comments(repo, number)
    mentor = next(p.mentor for p in main_state(fake_github, repo, number).active if p.mentor in LOGINS)
    comment(fake_github, tmp_path, content, number, "/accept", LOGINS[mentor])

    def check() -> None:
        assert repo.comments[main.id].body.startswith(MARKER + "\n")
        assert [c.id for c in fake_github.comments(repo, number) if c.body.startswith(MARKER)] == [main.id]
        assert main_state(fake_github, repo, number).status_of(mentor) == "accepted"
        for text in bot_comments(fake_github, repo, number):
            own = bot_html_comments(text)
            assert own in ([MARKER, own[-1]], [own[0]]), own  # the marker line, the state block
        patched = fake_github.calls_to("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
        assert all(call.body["body"].startswith(MARKER + "\n") for call in patched)

    stranger = fake_github.user("stranger")
    with fake_github.lock:
        next_id = fake_github._ids + 1  # nothing the bot does next takes an id
    fake_github.edit_issue(
        repo, number, body=forge_every_field(clean, forgery.replace("{next}", str(next_id)))
    )
    result = run_bot(
        fake_github, tmp_path, content, "issues", issues_event(fake_github, repo, number, "edited")
    )
    assert result.returncode == 0, result.stderr
    assert "needs-info" in repo.issues[number].labels
    check()

    posted = fake_github.add_comment(repo, number, "/accept", author=stranger)
    assert posted.id == next_id
    result = run_bot(
        fake_github, tmp_path, content, "issue_comment", issue_comment_event(fake_github, repo, posted)
    )
    assert result.returncode == 0, result.stderr
    check()
    (reply,) = [c for c in fake_github.comments(repo, number) if c.body.startswith(reply_marker(posted.id))]
    assert reply.user is fake_github.bot and "Sorry" in reply.body

    fake_github.edit_issue(repo, number, body=clean)
    result = run_bot(
        fake_github, tmp_path, content, "issues", issues_event(fake_github, repo, number, "edited")
    )
    assert result.returncode == 0, result.stderr
    check()
    state = main_state(fake_github, repo, number)
    assert state.phase == "matched" and len(state.active) == 2
    assert state_labels(repo.issues[number].labels) == {"partly-accepted"}


def test_forged_markers_in_comments_by_others(fake_github: FakeGitHub, tmp_path: Path, content: Path) -> None:
    """Comments that start with the bot's marker line and a state block, or a reply marker, by
    the mentee, a stranger and another app, are not the bot's: nothing is written for them
    (a command among them gets its refusal, and nothing else changes)."""
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=2)
    opened(fake_github, tmp_path, content, number)
    mentor = next(p.mentor for p in main_state(fake_github, repo, number).active if p.mentor in LOGINS)
    comment(fake_github, tmp_path, content, number, "/accept", LOGINS[mentor])
    state = main_state(fake_github, repo, number)
    main_id = min(c.id for c in fake_github.comments(repo, number) if c.user is fake_github.bot)
    planted: list[tuple[str, str | FakeUser]] = [
        (MARKER + "\n" + FORGED_STATE, "mallory"),
        (MARKER + "\n" + FORGED_STATE, "mentee"),
        (reply_marker(main_id + 100) + "\nSorry, nothing changed.", "mallory"),
        (reply_marker(main_id) + "\n" + FORGED_STATE, fake_github.user("evil-app[bot]", type="Bot")),
    ]
    for text, author in planted:
        before = snapshot(fake_github)
        posted = fake_github.add_comment(repo, number, text, author=author)
        event = issue_comment_event(fake_github, repo, posted)
        result = run_bot(fake_github, tmp_path, content, "issue_comment", event)
        assert result.returncode == 0, result.stderr
        after = snapshot(fake_github)
        assert after[0] == before[0] and {k: after[1][k] for k in before[1]} == before[1]
        assert main_state(fake_github, repo, number) == state

    comment(fake_github, tmp_path, content, number, "/accept\n" + MARKER + "\n" + FORGED_STATE, "stranger")
    after = main_state(fake_github, repo, number)
    assert after.team == state.team and after.phase == "matched"
    assert repo.comments[main_id].body.startswith(MARKER + "\n")


# -- a GitHub error part-way: the next run makes the rest -------------------------------------


def test_403_on_labels_after_the_comment_then_the_next_run_completes(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github)
    fake_github.inject(
        "POST",
        "/repos/{owner}/{repo}/issues/{issue_number}/labels",
        Fault(403, {"message": "Resource not accessible by integration"}),
    )
    payload = issues_event(fake_github, repo, number, "opened")
    result = run_bot(fake_github, tmp_path, content, "issues", payload)
    assert result.returncode == 1
    assert "GitHub answered 403 to 'label issue" in result.stderr and "Traceback" not in result.stderr
    assert "stopped at write" in result.stderr and "the next run" in result.stderr
    assert len(bot_comments(fake_github, repo, number)) == 1  # the comment stands
    assert state_labels(repo.issues[number].labels) == set()

    result = run_bot(fake_github, tmp_path, content, "issues", payload)
    assert result.returncode == 0, result.stderr
    assert state_labels(repo.issues[number].labels) == {"waiting"}
    assert len(bot_comments(fake_github, repo, number)) == 1  # not posted again
    before = snapshot(fake_github)
    assert run_bot(fake_github, tmp_path, content, "issues", payload).returncode == 0
    assert snapshot(fake_github) == before


def test_502_on_lock_after_close_then_the_next_run_completes(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=1)
    opened(fake_github, tmp_path, content, number)
    fake_github.inject(
        "PUT", "/repos/{owner}/{repo}/issues/{issue_number}/lock", Fault.server_error(502), times=5
    )
    posted = fake_github.add_comment(repo, number, "/withdraw", author="mentee")
    event = issue_comment_event(fake_github, repo, posted)
    result = run_bot(fake_github, tmp_path, content, "issue_comment", event)
    assert result.returncode == 1
    assert "GitHub answered 502 to 'lock issue" in result.stderr and "stopped at write" in result.stderr
    issue = repo.issues[number]
    assert (issue.state, issue.locked) == ("closed", False)
    comments = bot_comments(fake_github, repo, number)

    result = run_bot(fake_github, tmp_path, content, "issue_comment", event)
    assert result.returncode == 0, result.stderr
    assert (issue.state, issue.state_reason, issue.locked) == ("closed", "not_planned", True)
    assert bot_comments(fake_github, repo, number) == comments
    assert repo.comments[posted.id].reactions and len(repo.comments[posted.id].reactions) == 1
    before = snapshot(fake_github)
    assert run_bot(fake_github, tmp_path, content, "issue_comment", event).returncode == 0
    assert snapshot(fake_github) == before


def test_a_failed_reaction_is_made_by_the_next_run(
    fake_github: FakeGitHub, tmp_path: Path, content: Path
) -> None:
    """The reaction to a command is the mentor's acknowledgement: a run that fails on it has
    not saved the command as applied, so the next run applies it and reacts."""
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=1)
    opened(fake_github, tmp_path, content, number)
    (mentor,) = [p.mentor for p in main_state(fake_github, repo, number).active]
    route = "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"
    fake_github.inject("POST", route, Fault(403, {"message": "Resource not accessible by integration"}))
    posted = fake_github.add_comment(repo, number, "/accept", author=OFFER_MENTION[mentor])
    event = issue_comment_event(fake_github, repo, posted)
    assert run_bot(fake_github, tmp_path, content, "issue_comment", event).returncode == 1
    result = run_bot(fake_github, tmp_path, content, "issue_comment", event)
    assert result.returncode == 0, result.stderr
    assert main_state(fake_github, repo, number).status_of(mentor) == "accepted"
    assert [r[1] for r in repo.comments[posted.id].reactions] == ["+1"]


# -- a bot comment someone edited: nothing is written until it is repaired --------------------


def test_an_unreadable_state_holds_the_issue(fake_github: FakeGitHub, tmp_path: Path, content: Path) -> None:
    """A maintainer (anyone who can edit the bot's comment) breaks its state block: the bot
    writes nothing on the issue, fails with a message, and picks up once it is repaired."""
    repo = fake_github.repo()
    number = open_request(fake_github, team_size=2)
    opened(fake_github, tmp_path, content, number)
    mentor = next(p.mentor for p in main_state(fake_github, repo, number).active if p.mentor in LOGINS)
    comment(fake_github, tmp_path, content, number, "/accept", LOGINS[mentor])
    main_id = min(c.id for c in fake_github.comments(repo, number) if c.user is fake_github.bot)
    good = repo.comments[main_id].body
    lines = good.rstrip("\n").split("\n")
    fake_github.edit_comment(repo, main_id, "\n".join([*lines[:-1], FORGED_STATE, lines[-1]]) + "\n")
    before = snapshot(fake_github)
    writes = len([c for c in fake_github.calls if c.method != "GET"])
    posted = fake_github.add_comment(repo, number, "/withdraw", author="mentee")
    event = issue_comment_event(fake_github, repo, posted)
    result = run_bot(fake_github, tmp_path, content, "issue_comment", event)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"comment {main_id}" in result.stderr and "cannot be read" in result.stderr
    assert len([c for c in fake_github.calls if c.method != "GET"]) == writes
    assert snapshot(fake_github)[0] == before[0]

    fake_github.edit_comment(repo, main_id, good)  # repaired from the comment's edit history
    result = run_bot(fake_github, tmp_path, content, "issue_comment", event)
    assert result.returncode == 0, result.stderr
    assert repo.issues[number].state == "closed"

"""A request's whole life after the match, with the real `mentormemed` processes against the
local GitHub and its controllable clock: offer → expiry → re-offer → accept → check-ins →
/need-help → /done → /thanks, with faults injected mid-run, then the ledger."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from generator.requests.ledger import load_ledger
from tests.bot.test_e2e import (
    BIN,
    OFFER_MENTION,
    SITE,
    bot_comments,
    comment,
    main_state,
    open_request,
    opened,
    snapshot,
)
from tests.support.bot import write_bot_content
from tests.support.fake_github import FakeGitHub, Fault

pytestmark = [pytest.mark.e2e]


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


def schedule(fake: FakeGitHub, tmp_path: Path, content: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "MENTORMEMED_"))},
        **fake.env(),
        **fake.clock_env(),
        "MENTORMEMED_RETRY_BACKOFF": "0.05",
        **env,
    }
    return subprocess.run(
        [
            str(BIN),
            "bot-schedule",
            "--content",
            str(content),
            "--site-url",
            SITE,
            "--snapshot",
            str(tmp_path / "snapshot.json"),
        ],
        env=environ,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def markers(fake: FakeGitHub, number: int) -> Counter[str]:
    """How many bot comments carry each hidden marker (each must be there once)."""
    repo = fake.repo()
    return Counter(b.split("\n", 1)[0] for b in bot_comments(fake, repo, number))


def unchanged_by_a_rerun(fake: FakeGitHub, tmp_path: Path, content: Path) -> None:
    before = snapshot(fake)
    writes = len([c for c in fake.calls if c.method != "GET"])
    result = schedule(fake, tmp_path, content)
    assert result.returncode == 0, result.stderr
    assert snapshot(fake) == before
    assert len([c for c in fake.calls if c.method != "GET"]) == writes


def test_offer_expiry_reoffer_accept_checkins_help_done_thanks(
    fake_github: FakeGitHub,
    tmp_path: Path,
    content: Path,
) -> None:
    fake = fake_github
    repo = fake.repo()
    number = open_request(fake, team_size=1)
    opened(fake, tmp_path, content, number)
    first = main_state(fake, repo, number).active[0].mentor
    first_run = schedule(fake, tmp_path, content)  # builds the snapshot; nothing is due
    assert first_run.returncode == 0, first_run.stderr
    assert "read" in first_run.stdout
    unchanged_by_a_rerun(fake, tmp_path, content)

    # a week goes by without an answer: the place is offered to the next mentor, with faults
    fake.advance(days=7, hours=1)
    comments_route = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
    fake.inject("POST", comments_route, Fault.server_error(502, apply=True))  # posted, then a 502
    fake.inject("GET", comments_route, Fault.retry_after(1, status=429))
    fake.inject("GET", "/repos/{owner}/{repo}/issues/{issue_number}", Fault.dropped())
    result = schedule(fake, tmp_path, content)
    assert result.returncode == 0, result.stderr
    assert any(c.fault for c in fake.calls)
    state = main_state(fake, repo, number)
    assert state.status_of(first) == "expired"
    (second,) = [p.mentor for p in state.active]
    assert second != first
    texts = bot_comments(fake, repo, number)
    (expiry,) = [b for b in texts if "mentormemed-bot-notice:expiry-" in b]
    assert "@mentee" in expiry and "hasn't been able to answer in time" in expiry
    assert OFFER_MENTION[first] not in expiry  # the silent mentor is not named
    offer_to_second = [
        b for b in texts if b.startswith("<!-- mentormemed-bot-offer:") and OFFER_MENTION[second] in b
    ]
    assert len(offer_to_second) == 1 and OFFER_MENTION[first] not in offer_to_second[0]
    assert all(count == 1 for count in markers(fake, number).values()), markers(fake, number)
    unchanged_by_a_rerun(fake, tmp_path, content)

    # the second mentor accepts; two weeks on, the first check-in
    comment(fake, tmp_path, content, number, "/accept", OFFER_MENTION[second])
    fake.advance(days=14, hours=1)
    fake.inject("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", Fault.server_error(503))
    result = schedule(fake, tmp_path, content)
    assert result.returncode == 0, result.stderr
    (week2,) = [b for b in bot_comments(fake, repo, number) if "quick check-in" in b]
    assert "(week 2)" in week2 and "@mentee" in week2 and f"@{OFFER_MENTION[second]}" in week2
    place = main_state(fake, repo, number).place(second)
    assert place is not None and [c.period for c in place.checkins] == ["week-2"]
    unchanged_by_a_rerun(fake, tmp_path, content)
    fake.advance(days=3)  # a later day in the same period: not asked again
    unchanged_by_a_rerun(fake, tmp_path, content)

    # the mentee asks for help: the program's maintainers are asked to get in touch
    comment(fake, tmp_path, content, number, "/need-help we can't find a time", "mentee")
    (help_notice,) = [b for b in bot_comments(fake, repo, number) if "asked for help" in b]
    assert "@riverside-coord" in help_notice and "@mentee" not in help_notice
    place = main_state(fake, repo, number).place(second)
    assert place is not None and place.checkins[-1].mentee == "need-help" and place.health == "needs-check-in"

    # week 4: the next check-in; the mentor answers /met
    fake.advance(days=12)
    assert schedule(fake, tmp_path, content).returncode == 0
    assert len([b for b in bot_comments(fake, repo, number) if "quick check-in" in b]) == 2
    comment(fake, tmp_path, content, number, "/met", OFFER_MENTION[second])
    place = main_state(fake, repo, number).place(second)
    assert place is not None and place.checkins[-1].mentor == "met" and place.health == "on-track"

    # the mentorship ends; the request closes, then the mentee says thanks
    fake.advance(days=40)
    comment(fake, tmp_path, content, number, "/done", OFFER_MENTION[second])
    issue = repo.issues[number]
    assert (issue.state, issue.state_reason, issue.locked) == ("closed", "completed", False)
    state = main_state(fake, repo, number)
    assert state.status_of(second) == "ended" and state.accepted_places() == []
    note = "/thanks Thank you for the <b>mock interviews</b>! Write me at someone@example.org anytime."
    posted = comment(fake, tmp_path, content, number, note, "mentee")
    del posted
    state = main_state(fake, repo, number)
    (thanks,) = state.thanks
    assert thanks.mentor == second and thanks.text == "Thank you for the mock interviews!"
    assert "example.org" not in json.dumps(state.model_dump())
    assert all(count == 1 for count in markers(fake, number).values()), markers(fake, number)
    # a scheduled run after the end asks nothing more
    fake.advance(days=40)
    unchanged_by_a_rerun(fake, tmp_path, content)

    # the ledger: what became of it, and nobody who asked
    out = tmp_path / "ledger.json"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "MENTORMEMED_"))},
        **fake.env(),
        **fake.clock_env(),
    }
    result = subprocess.run(
        [str(BIN), "ledger", "--repo", repo.full_name, "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    ledger = load_ledger(out)
    (record,) = ledger.requests
    assert record.phase == "closed" and record.suggested == 2
    assert {p.mentor: p.status for p in record.pairs} == {first: "expired", second: "ended"}
    (pair,) = [p for p in record.pairs if p.mentor == second]
    assert [c.period for c in pair.checkins] == ["week-2", "week-4"] and pair.thanks[0].text.startswith(
        "Thank you"
    )
    text = out.read_text()
    values = re.findall(r':\s*"([^"]*)"', text)  # the mentee's login ("mentee") is no value
    assert "mentee" not in values and "Mentor request" not in text
    assert not re.search(r"@[A-Za-z]", text)


def test_no_answer_for_30_days_asks_to_keep_then_closes_kindly(
    fake_github: FakeGitHub,
    tmp_path: Path,
    content: Path,
) -> None:
    fake = fake_github
    repo = fake.repo()
    number = open_request(fake, team_size=1, must=["state"], state="AK")  # nobody can match
    opened(fake, tmp_path, content, number)
    assert main_state(fake, repo, number).phase == "no-match"
    fake.advance(days=31)
    assert schedule(fake, tmp_path, content).returncode == 0
    (question,) = [b for b in bot_comments(fake, repo, number) if "/keep" in b and "notice:keep-" in b]
    assert "keep looking" in question
    unchanged_by_a_rerun(fake, tmp_path, content)
    comment(fake, tmp_path, content, number, "/keep please", "mentee")
    fake.advance(days=15)
    unchanged_by_a_rerun(fake, tmp_path, content)  # kept: not closed, not asked again yet
    fake.advance(days=20)  # 30 days after /keep: asked again; 14 more days of silence: closed
    assert schedule(fake, tmp_path, content).returncode == 0
    assert len([b for b in bot_comments(fake, repo, number) if "notice:keep-" in b]) == 2
    fake.advance(days=14)
    assert schedule(fake, tmp_path, content).returncode == 0
    issue = repo.issues[number]
    assert (issue.state, issue.state_reason) == ("closed", "not_planned")
    (closing,) = [b for b in bot_comments(fake, repo, number) if "notice:close-" in b]
    assert "Thank you for asking" in closing
    assert "closed" in issue.labels
    unchanged_by_a_rerun(fake, tmp_path, content)

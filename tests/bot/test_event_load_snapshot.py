"""An event run counts the mentors' load from the scheduled run's snapshot (issue 15, item 4):
it lists the request issues and reads the comments only of those GitHub says changed since the
snapshot; the load is the same as reading every issue. A snapshot that cannot help (missing,
unreadable, of another repository, incomplete) changes nothing but the number of calls."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from generator.bot.run import accepted_load
from generator.bot.settings import BotSettings
from generator.bot.snapshot import dump_snapshot
from generator.bot.sweep import sweep
from tests.bot.test_e2e import BIN, main_state, open_request
from tests.support.bot_scale import client, context, fill, scale_content
from tests.support.fake_github import FakeGitHub, issues_event, write_event

pytestmark = [pytest.mark.e2e]

COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments"


def comment_reads(fake: FakeGitHub, start: int) -> list[str]:
    return [c.path for c in fake.calls[start:] if c.method == "GET" and c.template == COMMENTS]


def test_the_load_is_counted_from_the_snapshot_reading_only_changed_issues(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    fake = fake_github
    content = scale_content(tmp_path / "content")
    numbers = fill(fake, 150)
    gh = client(fake)
    ctx = context(content, fake)
    snapshot, _ = sweep(gh, ctx, fake.now, None, settings=BotSettings(rebuild_issues_per_run=500))
    assert snapshot.complete
    # after the snapshot: one request gets a comment (GitHub moves its updated_at)
    repo = fake.repo()
    fake.add_comment(repo, numbers[7], "Thank you!", author="mentee-7")
    new = open_request(fake, needs=["residency-application"], team_size=1)
    me = gh.own_login()

    start = len(fake.calls)
    everything = accepted_load(gh, me, new)
    assert len(comment_reads(fake, start)) == 150  # without a snapshot: every other request

    start = len(fake.calls)
    counted = accepted_load(gh, me, new, snapshot)
    reads = comment_reads(fake, start)
    assert counted == everything and sum(counted.values()) == 150
    assert reads == [f"/repos/{repo.full_name}/issues/{numbers[7]}/comments"]
    listing = [c for c in fake.calls[start:] if c.template == "/repos/{owner}/{repo}/issues"]
    assert len(listing) == 2  # 150 issues, 100 a page

    # an incomplete snapshot is not trusted: every issue is read again
    start = len(fake.calls)
    partial = snapshot.model_copy(update={"complete": False})
    assert accepted_load(gh, me, new, partial) == everything
    assert len(comment_reads(fake, start)) == 150


def run_bot(fake: FakeGitHub, tmp_path: Path, content: Path, number: int, snapshot: Path) -> str:
    event = write_event(tmp_path, issues_event(fake, fake.repo(), number, "opened"))
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    done = subprocess.run(
        [
            *(str(BIN), "bot", "--event-name", "issues", "--event-path", str(event)),
            *("--content", str(content), "--snapshot", str(snapshot)),
        ],
        env={**environ, **fake.env(), **fake.clock_env(), "MENTORMEMED_RETRY_BACKOFF": "0.05"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_bot_command_uses_a_good_snapshot_and_falls_back_on_a_bad_one(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    fake = fake_github
    content = scale_content(tmp_path / "content")
    fill(fake, 120)
    snapshot, _ = sweep(
        client(fake), context(content, fake), fake.now, None, settings=BotSettings(rebuild_issues_per_run=500)
    )
    good = tmp_path / "snapshot.json"
    dump_snapshot(snapshot, good)
    repo = fake.repo()

    first = open_request(fake, needs=["residency-application"], team_size=1)
    start = len(fake.calls)
    out = run_bot(fake, tmp_path, content, first, good)
    assert "every request issue is read" not in out
    reads = set(comment_reads(fake, start))
    assert reads == {f"/repos/{repo.full_name}/issues/{first}/comments"}  # never another request's
    assert main_state(fake, repo, first).phase == "matched"

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": 1, "repository": "someone/else"}), encoding="utf-8")
    for path, why in ((tmp_path / "missing.json", "no such file"), (bad, "not a snapshot")):
        number = open_request(fake, needs=["residency-application"], team_size=1)
        start = len(fake.calls)
        out = run_bot(fake, tmp_path, content, number, path)
        assert "every request issue is read for the load" in out and why in out
        assert len(set(comment_reads(fake, start))) > 120  # every other request was read
        assert main_state(fake, repo, number).phase == "matched"

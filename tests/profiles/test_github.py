"""The profile bot's branch, file and pull-request calls (generator.profiles.github), through
github3.py over HTTP against the local GitHub."""

from __future__ import annotations

import pytest

from generator.bot.github import PermanentGitHubError
from generator.profiles.github import ProfileGitHub
from tests.support.fake_github import FakeGitHub
from tests.support.fake_github.git import git_data, seed_files


def test_writes_are_safe_to_repeat(fake_github: FakeGitHub) -> None:
    repo = fake_github.repo()
    seed_files(fake_github, repo, {"content/network.yml": "name: x\n"})
    gh = ProfileGitHub.from_env(fake_github.env())
    base = gh.default_branch()
    sha = gh.branch_sha(base)
    assert sha is not None and gh.branch_sha("profiles/mentor/nobody") is None
    gh.create_branch("profiles/mentor/zoe", sha)
    gh.create_branch("profiles/mentor/zoe", sha)  # already there: taken as done
    assert gh.write_file("content/a.yml", "one\n", "Add", "profiles/mentor/zoe") is True
    assert gh.write_file("content/a.yml", "one\n", "Add", "profiles/mentor/zoe") is False  # unchanged
    assert gh.write_file("content/a.yml", "two\n", "Update", "profiles/mentor/zoe") is True
    assert gh.read_file("content/a.yml", "profiles/mentor/zoe") is not None
    assert gh.read_file("content/a.yml", base) is None  # only on the branch
    assert gh.open_pull("profiles/mentor/zoe") is None
    made = gh.create_pull(title="Add", head="profiles/mentor/zoe", base=base, body="b")
    found = gh.open_pull("profiles/mentor/zoe")
    assert found is not None and found.number == made.number and found.body == "b"
    assert "b" not in repr(found)  # the body stays out of logs
    with pytest.raises(PermanentGitHubError):  # GitHub refuses a second pull request for a head
        gh.create_pull(title="Again", head="profiles/mentor/zoe", base=base, body="b")
    updated = gh.update_pull(made.number, title="Add zoe", body="c")
    assert (
        updated.title == "Add zoe"
        and gh.get_pull(made.number).head_sha == git_data(fake_github, repo).branches["profiles/mentor/zoe"]
    )
    gh.reset_branch("profiles/mentor/zoe", sha)
    assert gh.branch_sha("profiles/mentor/zoe") == sha


def test_a_read_only_token_cannot_write(fake_github: FakeGitHub) -> None:
    repo = fake_github.repo()
    seed_files(fake_github, repo, {"a.txt": "a\n"})
    fake_github.add_token("ghs_readonly", fake_github.bot, write=False)
    gh = ProfileGitHub.from_env(fake_github.env(token="ghs_readonly"))
    sha = gh.branch_sha(gh.default_branch())
    with pytest.raises(PermanentGitHubError):
        gh.create_branch("x", sha or "")

"""generator.bot.github against the local GitHub (tests/support/fake_github): real HTTP through github3.py,
every request and answer checked against GitHub's OpenAPI description by the fixture."""

from __future__ import annotations

import logging
from typing import Any

import github3
import pytest

from generator.bot.github import (
    ACTIONS_BOT_LOGIN,
    AmbiguousWriteError,
    GitHubClient,
    GitHubConfigError,
    LabelSpec,
    NotFoundError,
    PermanentGitHubError,
    RateLimitedError,
    RetryPolicy,
    TransientGitHubError,
)
from tests.support.fake_github import FakeGitHub, Fault, issue_comment_event, issues_event
from tests.support.fake_github.events import example

ISSUE = "/repos/{owner}/{repo}/issues/{issue_number}"
COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
COMMENT = "/repos/{owner}/{repo}/issues/comments/{comment_id}"
ISSUE_LABELS = "/repos/{owner}/{repo}/issues/{issue_number}/labels"
MARKER = "<!-- mentormemed:request -->"


class Sleeps(list[float]):
    """An injected sleep that records instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def client(fake: FakeGitHub, sleeps: Sleeps, **options: Any) -> GitHubClient:
    return GitHubClient.from_env(fake.env(), sleep=sleeps, **options)


# -- configuration ----------------------------------------------------------------------------


def test_from_env_defaults_to_github_com() -> None:
    gh = GitHubClient.from_env({"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "org/repo"})
    assert gh.api_url == "https://api.github.com"
    assert (gh.owner, gh.name) == ("org", "repo")


def test_enterprise_server_url_keeps_api_v3() -> None:
    env = {
        "GITHUB_TOKEN": "t",
        "GITHUB_REPOSITORY": "org/repo",
        "GITHUB_API_URL": "https://ghe.example/api/v3/",
    }
    gh = GitHubClient.from_env(env)
    assert gh.api_url == "https://ghe.example/api/v3"
    assert isinstance(gh._gh, github3.GitHubEnterprise)


@pytest.mark.parametrize(
    "env",
    [
        {"GITHUB_REPOSITORY": "org/repo"},
        {"GITHUB_TOKEN": "t"},
        {"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "not a repository"},
        {"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "org/repo", "GITHUB_API_URL": "ftp://x"},
    ],
)
def test_bad_environment_is_a_config_error(env: dict[str, str]) -> None:
    with pytest.raises(GitHubConfigError):
        GitHubClient.from_env(env)


def test_token_is_sent_and_api_version_pinned(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo)
    client(fake_github, sleeps).get_issue(1)
    (call,) = fake_github.calls
    assert call.status == 200
    assert call.api_version == "2022-11-28"


def test_wrong_token_is_a_permanent_error(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.open_issue(fake_github.repo())
    env = fake_github.env(token="ghp_wrong")
    with pytest.raises(PermanentGitHubError) as raised:
        GitHubClient.from_env(env, sleep=sleeps).get_issue(1)
    assert raised.value.status == 401
    assert "Bad credentials" in str(raised.value)
    assert sleeps == []


# -- who am I ---------------------------------------------------------------------------------


def test_github_token_cannot_read_user_so_login_is_actions_bot(
    fake_github: FakeGitHub, sleeps: Sleeps
) -> None:
    assert client(fake_github, sleeps).own_login() == ACTIONS_BOT_LOGIN
    assert fake_github.calls[0].status == 403


def test_personal_token_reads_its_login(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.add_token("ghp_user", fake_github.user("program-admin"), kind="user")
    gh = GitHubClient.from_env(fake_github.env(token="ghp_user"), sleep=sleeps)
    assert gh.own_login() == "program-admin"
    assert gh.own_login() == "program-admin"
    assert len(fake_github.calls) == 1  # asked once


# -- issues -----------------------------------------------------------------------------------


def test_get_issue_reads_current_state(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo, title="Request", body="first", author="mentee", labels=["mentor-request"])
    gh = client(fake_github, sleeps)
    issue = gh.get_issue(1)
    assert (issue.number, issue.title, issue.body, issue.state, issue.locked) == (
        1,
        "Request",
        "first",
        "open",
        False,
    )
    assert issue.labels == ("mentor-request",) and issue.has_label("Mentor-Request")
    assert issue.author.login == "mentee" and not issue.author.is_bot
    assert not issue.is_pull_request
    fake_github.edit_issue(repo, 1, body="second")
    again = gh.get_issue(1)
    assert again.body == "second" and again.updated_at > issue.updated_at
    assert "second" not in repr(again)  # bodies stay out of logs


def test_pull_request_is_flagged(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.open_issue(fake_github.repo(), pull_request=True)
    assert client(fake_github, sleeps).get_issue(1).is_pull_request


def test_missing_issue_is_not_found(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    with pytest.raises(NotFoundError) as raised:
        client(fake_github, sleeps).get_issue(99)
    assert raised.value.status == 404 and raised.value.operation == "read issue #99"


def test_close_and_lock_send_nothing_else(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo, body="original")
    gh = client(fake_github, sleeps)
    gh.get_issue(1)
    fake_github.edit_issue(repo, 1, body="edited meanwhile")
    closed = gh.close_issue(1, "not_planned")
    gh.lock_issue(1)
    assert (closed.state, closed.state_reason) == ("closed", "not_planned")
    issue = gh.get_issue(1)
    assert issue.locked and issue.lock_reason == "resolved" and issue.body == "edited meanwhile"
    (patch,) = fake_github.calls_to("PATCH", ISSUE)
    assert patch.body == {"state": "closed", "state_reason": "not_planned"}


# -- comments ---------------------------------------------------------------------------------


def test_list_comments_follows_every_page(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    fake_github.page_cap = 3
    fake_github.open_issue(repo)
    for n in range(8):
        fake_github.add_comment(repo, 1, f"comment {n}", author=f"user{n % 2}")
    fake_github.edit_comment(repo, next(iter(repo.comments)), "comment 0, edited")
    comments = client(fake_github, sleeps).list_comments(1)
    assert [c.body for c in comments] == ["comment 0, edited", *(f"comment {n}" for n in range(1, 8))]
    assert [c.edited for c in comments] == [True] + [False] * 7
    assert all(c.issue_number == 1 for c in comments)
    pages = fake_github.calls_to("GET", COMMENTS)
    assert len(pages) == 3
    assert [call.query.get("page") for call in pages] == [None, ["2"], ["3"]]


def test_comment_authors_and_apps(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    repo.associations["dr-lee"] = "MEMBER"
    fake_github.open_issue(repo)
    fake_github.add_comment(repo, 1, "/accept", author="dr-lee")
    gh = client(fake_github, sleeps)
    gh.create_comment(1, "from the bot")
    human, bot = gh.list_comments(1)
    assert (human.author.login, human.author.type, human.author_association, human.via_app) == (
        "dr-lee",
        "User",
        "MEMBER",
        None,
    )
    assert bot.author.login == ACTIONS_BOT_LOGIN and bot.author.is_bot and bot.via_app == "github-actions"
    assert gh.get_comment(bot.id) == bot


def test_upsert_creates_once_then_updates(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo)
    fake_github.add_comment(repo, 1, f"quoting the marker {MARKER} does not make it ours", author="mallory")
    gh = client(fake_github, sleeps)
    first, result = gh.upsert_comment(1, MARKER, f"{MARKER}\nteam v1")
    assert result == "created"
    same, result = gh.upsert_comment(1, MARKER, f"{MARKER}\nteam v1")
    assert (result, same.id) == ("unchanged", first.id)
    updated, result = gh.upsert_comment(1, MARKER, f"{MARKER}\nteam v2")
    assert (result, updated.id, updated.body) == ("updated", first.id, f"{MARKER}\nteam v2")
    assert len(fake_github.calls_to("POST", COMMENTS)) == 1
    assert [c.user.login for c in fake_github.comments(repo, 1)] == ["mallory", ACTIONS_BOT_LOGIN]
    with pytest.raises(ValueError):
        gh.upsert_comment(1, MARKER, "no marker")


def test_a_marker_counts_only_on_the_first_line_of_our_own_comment(
    fake_github: FakeGitHub, sleeps: Sleeps
) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo)
    fake_github.add_comment(repo, 1, f"{MARKER}\nmallory's, whose first line is the marker", author="mallory")
    gh = client(fake_github, sleeps)
    quoting = gh.create_comment(1, f"ours, quoting the marker:\n{MARKER}")
    assert gh.find_comment(1, MARKER) is None
    assert gh.find_comment(1, MARKER, author="mallory") is not None
    made, result = gh.upsert_comment(1, MARKER, f"{MARKER}\nteam")
    assert result == "created" and made.id != quoting.id
    assert gh.find_comment(1, MARKER) == made
    with pytest.raises(ValueError):
        gh.upsert_comment(1, MARKER, f"text first\n{MARKER}")


def test_reactions(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo)
    comment = fake_github.add_comment(repo, 1, "/accept", author="dr-lee")
    gh = client(fake_github, sleeps)
    gh.add_reaction(comment.id, "+1")
    gh.add_reaction(comment.id, "+1")
    assert gh.reactions(comment.id) == [(ACTIONS_BOT_LOGIN, "+1")]


# -- labels -----------------------------------------------------------------------------------


def test_ensure_labels_creates_only_missing(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    fake_github.page_cap = 2
    for name in ("bug", "docs", "Matched"):
        fake_github.add_label(repo, name)
    gh = client(fake_github, sleeps)
    specs = [
        LabelSpec("matched", "0e8a16", "A team was suggested"),
        LabelSpec("needs-info", "fbca04", "Fix the form"),
    ]
    assert gh.ensure_labels(specs) == ["needs-info"]
    assert gh.ensure_labels(specs) == []
    label = repo.labels["needs-info"]
    assert (label.color, label.description) == ("fbca04", "Fix the form")
    assert len(fake_github.calls_to("POST", "/repos/{owner}/{repo}/labels")) == 1


def test_add_remove_set_labels(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo, labels=["mentor-request"])
    gh = client(fake_github, sleeps)
    assert gh.add_labels(1, ["matched", "matched"]) == ("mentor-request", "matched")
    assert gh.add_labels(1, []) == ("mentor-request", "matched")
    assert gh.remove_label(1, "matched") == ("mentor-request",)
    assert gh.remove_label(1, "matched") == ("mentor-request",)  # already gone: fine
    assert gh.set_labels(1, ["accepted", "mentor-request"]) == ("accepted", "mentor-request")
    assert gh.add_labels(1, ["needs info/with slash"]) == (
        "accepted",
        "mentor-request",
        "needs info/with slash",
    )
    assert gh.remove_label(1, "needs info/with slash") == ("accepted", "mentor-request")
    assert gh.set_labels(1, []) == ()
    assert gh.labels(1) == ()
    (post, *_) = fake_github.calls_to("POST", ISSUE_LABELS)
    assert post.body == {"labels": ["matched"]}


def test_the_fake_rejects_github3s_bare_label_array(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    """Why add_labels does not use github3.py's Issue.add_labels: it posts `["a"]`, which GitHub's
    OpenAPI description does not allow. The contract check catches it."""
    fake_github.open_issue(fake_github.repo())
    gh = client(fake_github, sleeps)
    issue = gh._gh.issue(gh.owner, gh.name, 1)
    with pytest.raises(github3.exceptions.UnprocessableEntity):
        issue.add_labels("matched")
    assert any("request body" in e for e in fake_github.contract_errors)
    fake_github.contract_errors.clear()


# -- faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "times", "expected_sleeps"),
    [
        (Fault.server_error(502), 2, [1.0, 2.0]),
        (Fault.server_error(500), 1, [1.0]),
        (Fault.server_error(503), 3, [1.0, 2.0, 4.0]),
        (Fault.dropped(), 1, [1.0]),
        (Fault.retry_after(3, status=429), 1, [3.0]),
        (Fault.retry_after(2, status=403), 1, [2.0]),
    ],
    ids=["502x2", "500", "503x3", "dropped", "429-retry-after", "403-retry-after"],
)
def test_transient_faults_are_survived(
    fake_github: FakeGitHub, sleeps: Sleeps, fault: Fault, times: int, expected_sleeps: list[float]
) -> None:
    fake_github.open_issue(fake_github.repo(), body="hello")
    fake_github.inject("GET", ISSUE, fault, times=times)
    assert client(fake_github, sleeps).get_issue(1).body == "hello"
    assert sleeps == expected_sleeps


def test_primary_rate_limit_waits_until_reset(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.open_issue(fake_github.repo())
    fault = Fault.rate_limited(reset_in=30)
    fake_github.inject("GET", ISSUE, fault)
    reset = int(fault.headers["x-ratelimit-reset"])
    now = reset - 30.0
    gh = GitHubClient.from_env(fake_github.env(), sleep=sleeps, clock=lambda: now)
    assert gh.get_issue(1).number == 1
    assert sleeps == [31.0]


def test_rate_limit_on_429_too(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.open_issue(fake_github.repo())
    fake_github.inject("GET", ISSUE, Fault.rate_limited(reset_in=2, status=429))
    assert client(fake_github, sleeps).get_issue(1).number == 1
    assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 4.0


def test_faults_in_the_middle_of_pagination(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    fake_github.page_cap = 2
    fake_github.open_issue(repo)
    for n in range(5):
        fake_github.add_comment(repo, 1, f"c{n}")
    fake_github.inject(
        "GET", COMMENTS, Fault.server_error(502), when=lambda call: call.query.get("page") == ["2"]
    )
    gh = client(fake_github, sleeps)
    assert [c.body for c in gh.list_comments(1)] == [f"c{n}" for n in range(5)]
    assert sleeps == [1.0]


def test_writes_are_retried_when_safe(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo)
    gh = client(fake_github, sleeps)
    comment = gh.create_comment(1, "v1")
    fake_github.inject("PATCH", COMMENT, Fault.server_error(502, apply=True))
    fake_github.inject("POST", ISSUE_LABELS, Fault.server_error(502, apply=True))
    fake_github.inject("PUT", ISSUE + "/lock", Fault.dropped())
    fake_github.inject("POST", COMMENTS, Fault.retry_after(1))  # refused before carried out
    assert gh.update_comment(comment.id, "v2").body == "v2"
    assert gh.add_labels(1, ["matched"]) == ("matched",)
    gh.lock_issue(1)
    gh.create_comment(1, "second")
    assert sleeps == [1.0, 1.0, 1.0, 1.0]
    assert [c.body for c in fake_github.comments(repo, 1)] == ["v2", "second"]


@pytest.mark.parametrize("fault", [Fault.server_error(502, apply=True), Fault.dropped(apply=True)])
def test_a_create_that_may_have_happened_is_not_repeated(
    fake_github: FakeGitHub, sleeps: Sleeps, fault: Fault
) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo)
    gh = client(fake_github, sleeps)
    fake_github.inject("POST", COMMENTS, fault)
    with pytest.raises(AmbiguousWriteError):
        gh.create_comment(1, "once")
    assert len(fake_github.comments(repo, 1)) == 1  # it did happen
    fake_github.inject("POST", COMMENTS, fault)
    _, result = gh.upsert_comment(1, MARKER, f"{MARKER}\nteam")
    assert result == "created"
    assert [c.body for c in fake_github.comments(repo, 1)] == ["once", f"{MARKER}\nteam"]
    assert len(fake_github.calls_to("POST", COMMENTS)) == 2


def test_upsert_retries_a_create_that_did_not_happen(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo)
    fake_github.inject("POST", COMMENTS, Fault.server_error(502), times=2)
    _, result = client(fake_github, sleeps).upsert_comment(1, MARKER, f"{MARKER}\nteam")
    assert result == "created"
    assert [c.body for c in fake_github.comments(repo, 1)] == [f"{MARKER}\nteam"]
    assert len(fake_github.calls_to("POST", COMMENTS)) == 3


def test_server_errors_beyond_the_attempts_are_transient_errors(
    fake_github: FakeGitHub, sleeps: Sleeps
) -> None:
    fake_github.open_issue(fake_github.repo())
    fake_github.inject("GET", ISSUE, Fault.server_error(502), times=10)
    gh = client(fake_github, sleeps, retry=RetryPolicy(attempts=3))
    with pytest.raises(TransientGitHubError) as raised:
        gh.get_issue(1)
    assert not isinstance(raised.value, AmbiguousWriteError)
    assert raised.value.status == 502 and raised.value.operation == "read issue #1"
    assert sleeps == [1.0, 2.0]
    assert len(fake_github.calls_to("GET", ISSUE)) == 3


def test_a_long_rate_limit_fails_at_once(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.open_issue(fake_github.repo())
    fake_github.inject("GET", ISSUE, Fault.rate_limited(reset_in=3600))
    with pytest.raises(RateLimitedError) as raised:
        client(fake_github, sleeps).get_issue(1)
    assert sleeps == []
    assert raised.value.retry_at is not None and raised.value.status == 403


def test_a_refusal_is_permanent_and_not_retried(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.open_issue(fake_github.repo())
    fake_github.add_token("ghs_readonly", fake_github.bot, write=False)
    gh = GitHubClient.from_env(fake_github.env(token="ghs_readonly"), sleep=sleeps)
    with pytest.raises(PermanentGitHubError) as raised:
        gh.create_comment(1, "hello")
    assert raised.value.status == 403 and "not accessible by integration" in str(raised.value)
    assert not isinstance(raised.value, TransientGitHubError)
    assert sleeps == [] and len(fake_github.calls_to("POST", COMMENTS)) == 1


# -- privacy ----------------------------------------------------------------------------------


def test_no_issue_or_comment_text_reaches_the_logs(
    fake_github: FakeGitHub, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Private-Affinity-Text-42"
    repo = fake_github.repo()
    fake_github.open_issue(repo, title=secret, body=secret)
    fake_github.add_comment(repo, 1, secret)
    fake_github.inject("GET", ISSUE, Fault.server_error(502))
    fake_github.inject("POST", COMMENTS, Fault.server_error(502), times=9)
    caplog.set_level(logging.DEBUG)
    gh = client(fake_github, sleeps, retry=RetryPolicy(attempts=2))
    gh.get_issue(1)
    gh.list_comments(1)
    with pytest.raises(AmbiguousWriteError) as raised:
        gh.create_comment(1, f"{MARKER} {secret}")
    assert secret not in str(raised.value)
    assert caplog.records, "the retry should have been logged"
    assert all(secret not in record.getMessage() for record in caplog.records)


# -- Enterprise Server ------------------------------------------------------------------------


def test_enterprise_server_prefix(fake_ghes: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_ghes.repo()
    fake_ghes.open_issue(repo, labels=["mentor-request"])
    gh = GitHubClient.from_env(fake_ghes.env(), sleep=sleeps)
    assert fake_ghes.env()["GITHUB_API_URL"].endswith("/api/v3")
    gh.ensure_labels([LabelSpec("matched")])
    gh.upsert_comment(1, MARKER, f"{MARKER}\nhello")
    gh.add_labels(1, ["matched"])
    gh.close_issue(1)
    gh.lock_issue(1)
    assert gh.own_login() == ACTIONS_BOT_LOGIN
    assert gh.get_issue(1).labels == ("mentor-request", "matched")
    assert all(call.template is not None for call in fake_ghes.calls)


# -- event payloads ---------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["opened", "edited", "reopened", "labeled"])
def test_issues_event_keeps_the_example_shape(fake_github: FakeGitHub, action: str) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo, body="old", author="mentee", labels=["mentor-request"])
    fake_github.edit_issue(repo, 1, body="new")
    payload = issues_event(fake_github, repo, 1, action, sender="mentee")
    original = example("issues", action)
    assert set(payload) == set(original) | ({"changes"} if action == "edited" else set())
    assert set(original["issue"]) <= set(payload["issue"])
    assert set(payload["sender"]) == set(original["sender"])
    assert payload["action"] == action
    assert payload["issue"]["number"] == 1 and payload["issue"]["body"] == "new"
    assert payload["repository"]["full_name"] == repo.full_name
    assert payload["issue"]["url"] == f"{fake_github.url}/repos/{repo.full_name}/issues/1"
    assert payload["sender"]["login"] == "mentee"
    if action == "edited":
        assert payload["changes"] == {"body": {"from": "old"}}
    if action == "labeled":
        assert payload["label"]["name"] == "mentor-request"


def test_issue_comment_event(fake_github: FakeGitHub) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo)
    comment = fake_github.add_comment(repo, 1, "/accept", author="dr-lee")
    payload = issue_comment_event(fake_github, repo, comment)
    original = example("issue_comment", "created")
    assert set(payload) == set(original)
    assert set(original["comment"]) <= set(payload["comment"])
    assert payload["comment"]["id"] == comment.id and payload["comment"]["body"] == "/accept"
    assert payload["comment"]["user"]["login"] == payload["sender"]["login"] == "dr-lee"
    assert "pull_request" not in payload["issue"]
    pr = fake_github.open_issue(repo, pull_request=True)
    on_pr = issue_comment_event(fake_github, repo, fake_github.add_comment(repo, pr.number, "hi"))
    assert "pull_request" in on_pr["issue"]


def test_list_issues_by_label_every_state_and_page(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    repo = fake_github.repo()
    fake_github.page_cap = 2
    for n in range(5):
        fake_github.open_issue(repo, labels=["mentor-request"] if n != 2 else ["other"])
    fake_github.open_issue(repo, labels=["mentor-request"], pull_request=True)
    repo.issues[4].state = "closed"
    gh = client(fake_github, sleeps)
    assert sorted(i.number for i in gh.list_issues(labels=["Mentor-Request"], state="all")) == [1, 2, 4, 5]
    assert sorted(i.number for i in gh.list_issues(labels=["mentor-request"])) == [1, 2, 5]
    assert sorted(i.number for i in gh.list_issues(state="closed")) == [4]
    pages = fake_github.calls_to("GET", "/repos/{owner}/{repo}/issues")
    assert len(pages) >= 3

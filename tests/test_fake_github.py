"""The local GitHub checks what it is sent and what it answers (tests/support/fake_github)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.support.fake_github import FakeGitHub
from tests.support.fake_github.openapi import NO_BODY, Contract


def session(fake: FakeGitHub, token: str | None = None) -> requests.Session:
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token or fake.token}"
    return s


def test_every_route_exists_in_the_description(github_contract: Contract) -> None:
    assert github_contract.version
    ids = {op.operation_id for op in github_contract.operations}
    assert {
        "issues/get",
        "issues/list-comments",
        "issues/add-labels",
        "issues/lock",
        "users/get-authenticated",
    } <= ids


def test_nullable_becomes_null(github_contract: Contract) -> None:
    op, _ = github_contract.match("GET", "/repos/o/r/issues/1") or pytest.fail("no route")
    answer = github_contract.example("issue")
    answer.update(closed_at=None, milestone=None, assignee=None, body=None)
    assert github_contract.check_response(op, 200, answer) == []
    answer["closed_at"] = 5
    assert github_contract.check_response(op, 200, answer)


def test_broken_requests_are_refused_and_recorded(fake_github: FakeGitHub) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo)
    s = session(fake_github)
    base = f"{fake_github.url}/repos/{repo.full_name}"
    assert s.post(f"{base}/issues/1/comments", json={"text": "no body"}).status_code == 422
    assert s.put(f"{base}/issues/1/lock", json={"lock_reason": "bored"}).status_code == 422
    assert s.get(f"{base}/issues/1/comments", params={"colour": "red"}).status_code == 422
    assert s.get(f"{base}/issues/one").status_code == 422
    assert s.get(f"{base}/releases").status_code == 404  # a route the fake does not have
    assert len(fake_github.contract_errors) == 5
    fake_github.contract_errors.clear()


def test_broken_answers_are_recorded(fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo)
    original = fake_github.issue_json

    def without_number(*args: Any, **kwargs: Any) -> dict[str, Any]:
        data = original(*args, **kwargs)
        del data["number"]
        return data

    monkeypatch.setattr(fake_github, "issue_json", without_number)
    assert session(fake_github).get(f"{fake_github.url}/repos/{repo.full_name}/issues/1").status_code == 200
    assert any("'number' is a required property" in e for e in fake_github.contract_errors)
    fake_github.contract_errors.clear()


def test_authentication(fake_github: FakeGitHub) -> None:
    url = f"{fake_github.url}/repos/{fake_github.repo().full_name}"
    assert requests.get(url, timeout=5).json()["message"] == "Requires authentication"
    assert session(fake_github, "nope").get(url).status_code == 401
    ok = requests.get(url, headers={"Authorization": f"token {fake_github.token}"}, timeout=5)
    assert ok.status_code == 200 and ok.json()["full_name"] == "mentormemed/requests"
    assert int(ok.headers["x-ratelimit-remaining"]) > 0


def test_pagination_links_are_absolute(fake_github: FakeGitHub) -> None:
    repo = fake_github.repo()
    fake_github.open_issue(repo)
    for n in range(5):
        fake_github.add_comment(repo, 1, f"c{n}")
    s = session(fake_github)
    first = s.get(f"{fake_github.url}/repos/{repo.full_name}/issues/1/comments", params={"per_page": 2})
    assert [c["body"] for c in first.json()] == ["c0", "c1"]
    assert set(first.links) == {"next", "last"}
    last = s.get(first.links["last"]["url"])
    assert [c["body"] for c in last.json()] == ["c4"] and set(last.links) == {"prev", "first"}


def test_enterprise_prefix_is_required(fake_ghes: FakeGitHub) -> None:
    repo = fake_ghes.repo()
    s = session(fake_ghes)
    assert s.get(f"{fake_ghes.url}/repos/{repo.full_name}").status_code == 200
    assert s.get(f"{fake_ghes.server_url}/repos/{repo.full_name}").status_code == 404
    assert fake_ghes.contract_errors == [f"GET /repos/{repo.full_name}: outside the API prefix /api/v3"]
    fake_ghes.contract_errors.clear()


def test_no_body_marker_is_distinct(github_contract: Contract) -> None:
    op, params = github_contract.match("PUT", "/repos/o/r/issues/1/lock") or pytest.fail("no route")
    assert github_contract.check_request(op, params, {}, NO_BODY) == []
    assert github_contract.check_response(op, 204, NO_BODY) == []

"""Webhook event payloads for the bot, as Actions writes them to GITHUB_EVENT_PATH.

Each payload starts from a real example in npm `@octokit/webhooks-examples` (pinned in
package.json) and keeps its shape: only the values are adapted — the repository, the issue
(number, title, body, author, labels, state, lock, timestamps, URLs), the comment, the sender —
taken from a FakeGitHub's state, so the event and the API tell the same story (or a stale one:
change the fake after building the event to model an event that lags behind the issue).
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

from tests.support.fake_github.server import FakeComment, FakeGitHub, FakeIssue, FakeRepo, FakeUser
from tests.support.paths import ROOT

EXAMPLES_PATH = ROOT / "node_modules" / "@octokit" / "webhooks-examples" / "api.github.com" / "index.json"
EXAMPLE_API = "https://api.github.com/repos/Codertocat/Hello-World"
EXAMPLE_WEB = "https://github.com/Codertocat/Hello-World"

ISSUES_ACTIONS = ("opened", "edited", "reopened", "labeled", "closed")
#: Actions the examples file has no payload for, built from one of the same shape (`issues.closed`
#: carries what `issues.reopened` does: action, issue, repository, sender).
_SAME_SHAPE = {("issues", "closed"): "reopened"}


@functools.lru_cache(maxsize=1)
def _examples() -> dict[str, list[dict[str, Any]]]:
    if not EXAMPLES_PATH.is_file():
        raise FileNotFoundError(f"{EXAMPLES_PATH} is missing: run `npm ci` (make install does)")
    events = json.loads(EXAMPLES_PATH.read_text(encoding="utf-8"))
    return {event["name"]: event["examples"] for event in events}


def example(event: str, action: str) -> dict[str, Any]:
    """A copy of the first real example of EVENT with ACTION on an issue (not a pull request),
    preferring one without an `installation` block (as a GITHUB_TOKEN workflow gets it)."""
    if (event, action) in _SAME_SHAPE:
        return {**example(event, _SAME_SHAPE[event, action]), "action": action}
    candidates = [
        payload
        for payload in _examples()[event]
        if payload.get("action") == action
        and "pull_request" not in payload.get("issue", {})
        and (action == "edited" or "changes" not in payload)
    ]
    candidates.sort(key=lambda payload: "installation" in payload)
    if not candidates:
        raise LookupError(f"no {event}.{action} example")
    return copy.deepcopy(candidates[0])


def _retarget(node: Any, api: str, web: str) -> Any:
    if isinstance(node, dict):
        return {k: _retarget(v, api, web) for k, v in node.items()}
    if isinstance(node, list):
        return [_retarget(v, api, web) for v in node]
    if isinstance(node, str):
        return node.replace(EXAMPLE_API, api).replace(EXAMPLE_WEB, web)
    return node


def _fill(template: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """TEMPLATE with the values of its own keys taken from VALUES (its shape kept)."""
    return {key: values.get(key, old) for key, old in template.items()}


def _user(fake: FakeGitHub, template: dict[str, Any], user: FakeUser) -> dict[str, Any]:
    return _fill(template, fake.user_json(user))


def _repository(fake: FakeGitHub, payload: dict[str, Any], repo: FakeRepo) -> None:
    api = f"{fake.url}/repos/{repo.full_name}"
    web = f"{fake.server_url}/{repo.full_name}"
    template = _retarget(payload["repository"], api, web)
    template.update(
        id=repo.id,
        node_id=f"MDEwOlJlcG9zaXRvcnk{repo.id}",
        name=repo.name,
        full_name=repo.full_name,
        owner=_user(fake, template["owner"], fake.user(repo.owner, type="Organization")),
        url=api,
        html_url=web,
        private=False,
    )
    payload["repository"] = template


def _issue(fake: FakeGitHub, payload: dict[str, Any], repo: FakeRepo, issue: FakeIssue) -> None:
    rest = fake.issue_json(repo, issue, accept="application/vnd.github.raw+json")
    template = payload["issue"]
    adapted = _fill(template, rest)
    adapted["user"] = _user(fake, template["user"], issue.user)
    label_template = template["labels"][0] if template.get("labels") else None
    adapted["labels"] = [
        _fill(label_template, label) if label_template else label for label in rest["labels"]
    ]
    for key in ("state_reason", "active_lock_reason", "performed_via_github_app"):
        if key in rest and key not in adapted:
            adapted[key] = rest[key]
    if issue.pull_request:
        adapted["pull_request"] = rest["pull_request"]
    payload["issue"] = adapted


def issues_event(
    fake: FakeGitHub,
    repo: FakeRepo,
    number: int,
    action: str,
    *,
    sender: str | FakeUser | None = None,
    label: str | None = None,
) -> dict[str, Any]:
    """An `issues` event (opened, edited, reopened or labeled) for issue NUMBER as it is now.
    The sender defaults to the issue's author; `label` names the label a `labeled` event adds."""
    if action not in ISSUES_ACTIONS:
        raise ValueError(f"action {action!r}: one of {ISSUES_ACTIONS}")
    payload = example("issues", action)
    issue = repo.issues[number]
    _repository(fake, payload, repo)
    _issue(fake, payload, repo, issue)
    who = sender if isinstance(sender, FakeUser) else fake.user(sender) if sender else issue.user
    payload["sender"] = _user(fake, payload["sender"], who)
    if action == "edited":
        changes: dict[str, Any] = {}
        for key in ("title", "body"):
            if key in issue.previous and issue.previous[key] != getattr(issue, key):
                changes[key] = {"from": issue.previous[key]}
        payload["changes"] = changes
    if action == "labeled":
        name = label or (issue.labels[-1] if issue.labels else None)
        if name is None:
            raise ValueError("a labeled event needs a label on the issue")
        payload["label"] = _fill(payload["label"], fake.label_json(repo, repo.labels[name.lower()]))
    return payload


def issue_comment_event(
    fake: FakeGitHub, repo: FakeRepo, comment: FakeComment | int, *, sender: str | FakeUser | None = None
) -> dict[str, Any]:
    """An `issue_comment` `created` event for COMMENT (the sender defaults to its author)."""
    if isinstance(comment, int):
        comment = repo.comments[comment]
    payload = example("issue_comment", "created")
    _repository(fake, payload, repo)
    _issue(fake, payload, repo, repo.issues[comment.issue_number])
    rest = fake.comment_json(repo, comment, accept="application/vnd.github.raw+json")
    template = payload["comment"]
    adapted = _fill(template, rest)
    adapted["user"] = _user(fake, template["user"], comment.user)
    adapted.setdefault("performed_via_github_app", rest["performed_via_github_app"])
    payload["comment"] = adapted
    who = sender if isinstance(sender, FakeUser) else fake.user(sender) if sender else comment.user
    payload["sender"] = _user(fake, payload["sender"], who)
    return payload


def write_event(directory: Path, payload: dict[str, Any], name: str = "event.json") -> Path:
    """Write PAYLOAD where a test passes it as --event-path (as GITHUB_EVENT_PATH would be)."""
    path = directory / name
    path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return path

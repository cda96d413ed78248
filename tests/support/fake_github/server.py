"""A local GitHub REST API for tests: the routes the request bot uses, in memory, on 127.0.0.1.

Every request is checked against GitHub's OpenAPI description (path and query parameters, JSON
body) and every answer too; a request that breaks the contract gets a 422 and is recorded in
`contract_errors`, which the `fake_github` fixture asserts empty. Answers are built from the
description's own examples, so they have GitHub's shapes.

What it models, as github.com does:
- `Authorization: token …` or `Bearer …`; none or an unknown token → 401.
- A token acts for a user or an app installation (GITHUB_TOKEN acts for `github-actions[bot]`):
  `GET /user` with an installation token → 403 "Resource not accessible by integration";
  a read-only token → 403 on every write.
- Issues, comments (user login and type, `performed_via_github_app`, `author_association`,
  timestamps; an edited comment has `updated_at` after `created_at`), labels (names compared
  without case; adding an unknown label to an issue creates it in grey, as GitHub does), state
  and `state_reason`, lock and `active_lock_reason`, reactions on comments.
- Pagination: `per_page` (default 30, at most 100, or `page_cap`), `page`, and a `Link` header
  with absolute URLs, so a client must follow `rel="next"`.
- The GitHub Enterprise Server prefix `/api/v3` when started with `prefix="/api/v3"`.
- The `application/vnd.github.v3.full+json` media type github3.py asks for (`body_text`,
  `body_html` beside `body`).
- Faults queued per route for the next N requests: 5xx, 403 with `x-ratelimit-remaining: 0`,
  403/429 with `Retry-After`, a dropped connection; optionally after applying the request.
"""

from __future__ import annotations

import contextlib
import html
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from tests.support.fake_github import git as git_routes
from tests.support.fake_github.openapi import NO_BODY, Contract, Operation, load_contract

DOCS = "https://docs.github.com/rest"
NOT_ACCESSIBLE = "Resource not accessible by integration"
ACTIONS_BOT_LOGIN = "github-actions[bot]"
ACTIONS_BOT_ID = 41898282
START = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)
REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes")
WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")


def _ts(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- state ------------------------------------------------------------------------------------


@dataclass
class FakeUser:
    login: str
    id: int
    type: str = "User"  # "User", "Bot" or "Organization"
    app: str | None = None  # for a bot: the slug of the app it acts for


@dataclass
class FakeLabel:
    id: int
    name: str
    color: str = "ededed"
    description: str | None = None
    default: bool = False


@dataclass
class FakeComment:
    id: int
    issue_number: int
    body: str
    user: FakeUser
    created_at: datetime
    updated_at: datetime
    author_association: str = "NONE"
    reactions: list[tuple[int, str, FakeUser]] = field(default_factory=list)

    @property
    def edited(self) -> bool:
        return self.updated_at != self.created_at


@dataclass
class FakeIssue:
    number: int
    id: int
    title: str
    body: str | None
    user: FakeUser
    created_at: datetime
    updated_at: datetime
    labels: list[str] = field(default_factory=list)
    state: str = "open"
    state_reason: str | None = None
    closed_at: datetime | None = None
    closed_by: FakeUser | None = None
    locked: bool = False
    active_lock_reason: str | None = None
    author_association: str = "NONE"
    pull_request: bool = False
    previous: dict[str, Any] = field(default_factory=dict)  # values before the last edit


@dataclass
class FakeRepo:
    owner: str
    name: str
    id: int
    issues: dict[int, FakeIssue] = field(default_factory=dict)
    comments: dict[int, FakeComment] = field(default_factory=dict)
    labels: dict[str, FakeLabel] = field(default_factory=dict)  # by lower-case name
    associations: dict[str, str] = field(default_factory=dict)  # login → OWNER, MEMBER, COLLABORATOR…

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class Token:
    value: str
    actor: FakeUser
    kind: str = "installation"  # "installation" (GITHUB_TOKEN, an app) or "user" (a personal token)
    write: bool = True


@dataclass
class Fault:
    """One answer to give instead of the real one."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    apply: bool = False  # carry the request out first, then answer with the fault
    disconnect: bool = False  # close the connection without answering

    @classmethod
    def server_error(cls, status: int = 502, *, apply: bool = False) -> Fault:
        return cls(status, {"message": "Server Error"}, apply=apply)

    @classmethod
    def rate_limited(cls, reset_in: float = 2, *, status: int = 403) -> Fault:
        """The primary rate limit: `x-ratelimit-remaining: 0` until `x-ratelimit-reset`."""
        reset = int(time.time() + reset_in)
        headers = {
            "x-ratelimit-limit": "1000",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-used": "1000",
            "x-ratelimit-reset": str(reset),
            "x-ratelimit-resource": "core",
        }
        body = {
            "message": "API rate limit exceeded for installation ID 1.",
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        }
        return cls(status, body, headers)

    @classmethod
    def retry_after(cls, seconds: int = 1, *, status: int = 429) -> Fault:
        """A secondary rate limit, with `Retry-After`."""
        body = {
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you "
            "try again.",
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        }
        return cls(status, body, {"retry-after": str(seconds)})

    @classmethod
    def dropped(cls, *, apply: bool = False) -> Fault:
        return cls(0, disconnect=True, apply=apply)


@dataclass
class Call:
    """A request as the server saw it (the token is not kept)."""

    method: str
    path: str  # without the /api/v3 prefix and the query
    template: str | None  # the OpenAPI path template it matched
    query: dict[str, list[str]]
    body: Any
    status: int = 0
    fault: bool = False
    accept: str = ""
    api_version: str | None = None


class _Reply(Exception):
    def __init__(self, status: int, body: Any = NO_BODY, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def _error(status: int, message: str, **extra: Any) -> _Reply:
    return _Reply(status, {"message": message, "documentation_url": DOCS, **extra})


def _validation_failed(resource: str, field_name: str, code: str) -> _Reply:
    return _error(
        422, "Validation Failed", errors=[{"resource": resource, "field": field_name, "code": code}]
    )


# -- the server -------------------------------------------------------------------------------


class FakeGitHub:
    """A GitHub REST API on 127.0.0.1 with a random port; start() / stop(), or `with`."""

    def __init__(
        self,
        *,
        prefix: str = "",
        page_cap: int = 100,
        contract: Contract | None = None,
        bot_login: str = ACTIONS_BOT_LOGIN,
    ) -> None:
        self.prefix = prefix.rstrip("/")
        self.page_cap = page_cap
        self.contract = contract or load_contract()
        self.lock = threading.RLock()
        self.repos: dict[str, FakeRepo] = {}
        self.users: dict[str, FakeUser] = {}
        self.tokens: dict[str, Token] = {}
        self.faults: dict[tuple[str, str], list[tuple[Fault, Callable[[Call], bool] | None]]] = {}
        self.calls: list[Call] = []
        self.contract_errors: list[str] = []
        self.now = START
        self._ids = 1000
        self._rate_remaining = 1000
        self.bot = self.user(bot_login, type="Bot", app="github-actions")
        self.token = "ghs_" + "f4ke" * 9
        self.add_token(self.token, self.bot)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-github", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def server_url(self) -> str:
        """The web address (html_url base), like https://github.com."""
        if self._server is None:
            raise RuntimeError("the fake GitHub is not started")
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    @property
    def url(self) -> str:
        """The API address, as GITHUB_API_URL holds it (with /api/v3 for Enterprise Server)."""
        return self.server_url + self.prefix

    def env(self, repo: FakeRepo | str | None = None, token: str | None = None) -> dict[str, str]:
        """GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL and GITHUB_SERVER_URL, as Actions sets them."""
        full_name = repo.full_name if isinstance(repo, FakeRepo) else repo
        if full_name is None:
            if len(self.repos) != 1:
                raise ValueError("say which repository")
            full_name = next(iter(self.repos))
        return {
            "GITHUB_TOKEN": token or self.token,
            "GITHUB_REPOSITORY": full_name,
            "GITHUB_API_URL": self.url,
            "GITHUB_SERVER_URL": self.server_url,
        }

    # -- setting the scene (no HTTP) ----------------------------------------------------------

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def tick(self, seconds: float = 1) -> datetime:
        self.now = self.now + timedelta(seconds=seconds)
        return self.now

    # issue 15: the clock every timestamp follows, moved on by tests (the bot is given the
    # same moment through MENTORMEMED_NOW, see `clock_env`)
    def advance(self, **delta: float) -> datetime:
        """Move the clock on by DELTA (`days=7`, `hours=1`…): time passes for every timestamp."""
        with self.lock:
            self.now = self.now + timedelta(**delta)
            return self.now

    def clock_env(self) -> dict[str, str]:
        """MENTORMEMED_NOW for a bot process: the fake's own time."""
        return {"MENTORMEMED_NOW": _ts(self.now) or ""}

    def user(self, login: str, *, type: str = "User", app: str | None = None) -> FakeUser:
        with self.lock:
            if login.lower() not in self.users:
                uid = ACTIONS_BOT_ID if login == ACTIONS_BOT_LOGIN else self._next_id()
                self.users[login.lower()] = FakeUser(login, uid, type, app)
            return self.users[login.lower()]

    def add_token(
        self, value: str, actor: FakeUser, *, kind: str = "installation", write: bool = True
    ) -> Token:
        with self.lock:
            token = Token(value, actor, kind, write)
            self.tokens[value] = token
            return token

    def add_repo(self, full_name: str = "mentormemed/requests") -> FakeRepo:
        owner, name = full_name.split("/")
        with self.lock:
            repo = FakeRepo(owner, name, self._next_id())
            self.repos[full_name.lower()] = repo
            self.user(owner, type="Organization")
            return repo

    def repo(self, full_name: str | None = None) -> FakeRepo:
        if full_name is None:
            if len(self.repos) != 1:
                raise ValueError("say which repository")
            return next(iter(self.repos.values()))
        return self.repos[full_name.lower()]

    def add_label(
        self, repo: FakeRepo, name: str, color: str = "ededed", description: str | None = None
    ) -> FakeLabel:
        with self.lock:
            label = FakeLabel(self._next_id(), name, color, description)
            repo.labels[name.lower()] = label
            return label

    def open_issue(
        self,
        repo: FakeRepo,
        *,
        title: str = "Mentor request",
        body: str | None = "",
        author: str | FakeUser = "mentee",
        labels: tuple[str, ...] | list[str] = (),
        pull_request: bool = False,
    ) -> FakeIssue:
        user = author if isinstance(author, FakeUser) else self.user(author)
        with self.lock:
            number = max([*repo.issues, 0]) + 1
            now = self.tick()
            issue = FakeIssue(number, self._next_id(), title, body, user, now, now, pull_request=pull_request)
            issue.author_association = repo.associations.get(user.login.lower(), "NONE")
            for name in labels:
                issue.labels.append(self._ensure_label(repo, name).name)
            repo.issues[number] = issue
            return issue

    def edit_issue(
        self, repo: FakeRepo, number: int, *, title: str | None = None, body: str | None = None
    ) -> FakeIssue:
        with self.lock:
            issue = repo.issues[number]
            issue.previous = {"title": issue.title, "body": issue.body}
            if title is not None:
                issue.title = title
            if body is not None:
                issue.body = body
            issue.updated_at = self.tick()
            return issue

    def add_comment(
        self, repo: FakeRepo, number: int, body: str, author: str | FakeUser = "mentee"
    ) -> FakeComment:
        user = author if isinstance(author, FakeUser) else self.user(author)
        with self.lock:
            return self._new_comment(repo, repo.issues[number], body, user)

    def edit_comment(self, repo: FakeRepo, comment_id: int, body: str) -> FakeComment:
        with self.lock:
            comment = repo.comments[comment_id]
            comment.body = body
            comment.updated_at = self.tick()
            return comment

    def comments(self, repo: FakeRepo, number: int) -> list[FakeComment]:
        with self.lock:
            return sorted((c for c in repo.comments.values() if c.issue_number == number), key=lambda c: c.id)

    # -- faults and the log -------------------------------------------------------------------

    def inject(
        self,
        method: str,
        route: str,
        fault: Fault,
        *,
        times: int = 1,
        when: Callable[[Call], bool] | None = None,
    ) -> None:
        """Answer the next `times` requests of METHOD on ROUTE (an OpenAPI path template such as
        `/repos/{owner}/{repo}/issues/{issue_number}`, or "*") with FAULT; with `when`, only the
        requests it accepts (e.g. `lambda call: call.query.get("page") == ["2"]`)."""
        with self.lock:
            self.faults.setdefault((method.upper(), route), []).extend([(fault, when)] * times)

    def _take_fault(self, call: Call) -> Fault | None:
        assert call.template is not None
        for key in ((call.method, call.template), (call.method, "*"), ("*", call.template), ("*", "*")):
            queue = self.faults.get(key, [])
            for index, (fault, when) in enumerate(queue):
                if when is None or when(call):
                    del queue[index]
                    return fault
        return None

    def calls_to(self, method: str, template: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.template == template]

    # -- JSON shapes (from the OpenAPI examples) ----------------------------------------------

    def _repo_api(self, repo: FakeRepo) -> str:
        return f"{self.url}/repos/{repo.full_name}"

    def user_json(self, user: FakeUser) -> dict[str, Any]:
        data: dict[str, Any] = self.contract.example("issue")["user"]
        api = f"{self.url}/users/{quote(user.login)}"
        data.update(
            login=user.login,
            id=user.id,
            node_id=f"MDQ6VXNlcj{user.id}",
            avatar_url=f"{self.server_url}/avatars/u/{user.id}",
            url=api,
            html_url=f"{self.server_url}/{quote(user.login)}",
            followers_url=f"{api}/followers",
            following_url=f"{api}/following{{/other_user}}",
            gists_url=f"{api}/gists{{/gist_id}}",
            starred_url=f"{api}/starred{{/owner}}{{/repo}}",
            subscriptions_url=f"{api}/subscriptions",
            organizations_url=f"{api}/orgs",
            repos_url=f"{api}/repos",
            events_url=f"{api}/events{{/privacy}}",
            received_events_url=f"{api}/received_events",
            type=user.type,
            site_admin=False,
        )
        return data

    def app_json(self, slug: str) -> dict[str, Any]:
        owner = self.user_json(self.user("github", type="Organization"))
        return {
            "id": 15368,
            "slug": slug,
            "node_id": "MDM6QXBwMTUzNjg=",
            "client_id": "Iv1.05c79e9ad1f6bdfa",
            "owner": owner,
            "name": "GitHub Actions",
            "description": "Automate your workflow from idea to production",
            "external_url": "https://help.github.com/en/actions",
            "html_url": f"{self.server_url}/apps/{slug}",
            "created_at": "2018-07-30T09:30:17Z",
            "updated_at": "2019-12-10T19:04:12Z",
            "permissions": {"issues": "write", "metadata": "read", "contents": "read"},
            "events": ["issues", "issue_comment"],
        }

    def label_json(self, repo: FakeRepo, label: FakeLabel) -> dict[str, Any]:
        data: dict[str, Any] = self.contract.example("label")
        data.update(
            id=label.id,
            node_id=f"MDU6TGFiZWw{label.id}",
            url=f"{self._repo_api(repo)}/labels/{quote(label.name, safe='')}",
            name=label.name,
            description=label.description,
            color=label.color,
            default=label.default,
        )
        return data

    @staticmethod
    def _bodies(text: str | None, accept: str) -> dict[str, Any]:
        """`body`, `body_text` and `body_html` as the media type in Accept asks."""
        kind = "raw"
        for candidate in ("full", "html", "text", "raw"):
            if f".{candidate}+json" in accept or f".{candidate}" in accept.split("+")[0]:
                kind = candidate
                break
        rendered = None if text is None else f"<p>{html.escape(text)}</p>"
        if kind == "full":
            return {"body": text, "body_text": text, "body_html": rendered}
        if kind == "html":
            return {"body_html": rendered}
        if kind == "text":
            return {"body_text": text}
        return {"body": text}

    def issue_json(self, repo: FakeRepo, issue: FakeIssue, accept: str = "") -> dict[str, Any]:
        data: dict[str, Any] = self.contract.example("issue")
        api = f"{self._repo_api(repo)}/issues/{issue.number}"
        kind = "pull" if issue.pull_request else "issues"
        for key in ("body", "body_text", "body_html", "pull_request"):
            data.pop(key, None)
        data.update(
            id=issue.id,
            node_id=f"MDU6SXNzdWU{issue.id}",
            url=api,
            repository_url=self._repo_api(repo),
            labels_url=f"{api}/labels{{/name}}",
            comments_url=f"{api}/comments",
            events_url=f"{api}/events",
            html_url=f"{self.server_url}/{repo.full_name}/{kind}/{issue.number}",
            number=issue.number,
            state=issue.state,
            state_reason=issue.state_reason,
            title=issue.title,
            user=self.user_json(issue.user),
            labels=[self.label_json(repo, repo.labels[name.lower()]) for name in issue.labels],
            assignee=None,
            assignees=[],
            milestone=None,
            locked=issue.locked,
            active_lock_reason=issue.active_lock_reason,
            comments=sum(1 for c in repo.comments.values() if c.issue_number == issue.number),
            closed_at=_ts(issue.closed_at),
            created_at=_ts(issue.created_at),
            updated_at=_ts(issue.updated_at),
            closed_by=None if issue.closed_by is None else self.user_json(issue.closed_by),
            author_association=issue.author_association,
            pinned_comment=None,
        )
        data.update(self._bodies(issue.body, accept))
        if issue.pull_request:
            pr = f"{self._repo_api(repo)}/pulls/{issue.number}"
            web = f"{self.server_url}/{repo.full_name}/pull/{issue.number}"
            data["pull_request"] = {
                "url": pr,
                "html_url": web,
                "diff_url": web + ".diff",
                "patch_url": web + ".patch",
                "merged_at": None,
            }
        return data

    def comment_json(self, repo: FakeRepo, comment: FakeComment, accept: str = "") -> dict[str, Any]:
        data: dict[str, Any] = self.contract.example("issue-comment")
        for key in ("body", "body_text", "body_html"):
            data.pop(key, None)
        data.update(
            id=comment.id,
            node_id=f"MDEyOklzc3VlQ29tbWVudD{comment.id}",
            url=f"{self._repo_api(repo)}/issues/comments/{comment.id}",
            html_url=f"{self.server_url}/{repo.full_name}/issues/{comment.issue_number}#issuecomment-{comment.id}",
            issue_url=f"{self._repo_api(repo)}/issues/{comment.issue_number}",
            user=self.user_json(comment.user),
            created_at=_ts(comment.created_at),
            updated_at=_ts(comment.updated_at),
            author_association=comment.author_association,
            performed_via_github_app=None if comment.user.app is None else self.app_json(comment.user.app),
        )
        data.update(self._bodies(comment.body, accept))
        return data

    def repo_json(self, repo: FakeRepo) -> dict[str, Any]:
        data: dict[str, Any] = self.contract.example("full-repository")
        api = self._repo_api(repo)
        example_api = "https://api.github.com/repos/octocat/Hello-World"
        example_web = "https://github.com/octocat/Hello-World"
        for key, value in list(data.items()):
            if isinstance(value, str):
                value = value.replace(example_api, api)
                data[key] = value.replace(example_web, f"{self.server_url}/{repo.full_name}")
        for key in ("organization", "parent", "source", "template_repository", "security_and_analysis"):
            data.pop(key, None)
        data.update(
            id=repo.id,
            node_id=f"MDEwOlJlcG9zaXRvcnk{repo.id}",
            name=repo.name,
            full_name=repo.full_name,
            owner=self.user_json(self.user(repo.owner, type="Organization")),
            private=False,
            visibility="public",
            fork=False,
            has_discussions=False,
            license=None,
            has_issues=True,
            open_issues_count=sum(1 for i in repo.issues.values() if i.state == "open"),
            permissions={"admin": False, "maintain": False, "push": False, "triage": False, "pull": True},
        )
        data["open_issues"] = data["open_issues_count"]
        return data

    def reaction_json(self, reaction: tuple[int, str, FakeUser]) -> dict[str, Any]:
        data: dict[str, Any] = self.contract.example("reaction")
        rid, content, user = reaction
        data.update(id=rid, node_id=f"MDg6UmVhY3Rpb24{rid}", user=self.user_json(user), content=content)
        return data

    # -- routes -------------------------------------------------------------------------------

    def _ensure_label(self, repo: FakeRepo, name: str) -> FakeLabel:
        label = repo.labels.get(name.lower())
        if label is None:
            label = FakeLabel(self._next_id(), name)
            repo.labels[name.lower()] = label
        return label

    def _new_comment(self, repo: FakeRepo, issue: FakeIssue, body: str, user: FakeUser) -> FakeComment:
        now = self.tick()
        comment = FakeComment(
            self._next_id(),
            issue.number,
            body,
            user,
            now,
            now,
            repo.associations.get(user.login.lower(), "NONE"),
        )
        repo.comments[comment.id] = comment
        issue.updated_at = now
        return comment

    def _page(self, path: str, query: dict[str, list[str]], items: list[Any]) -> _Reply:
        def number(name: str, default: int) -> int:
            values = query.get(name)
            return int(values[-1]) if values and values[-1].isdigit() else default

        per_page = max(1, min(number("per_page", 30), 100, self.page_cap))
        pages = max(1, -(-len(items) // per_page))
        page = max(1, number("page", 1))
        chunk = items[(page - 1) * per_page : page * per_page]
        rest = {k: v for k, v in query.items() if k not in ("page", "per_page")}

        def link(n: int, rel: str) -> str:
            q = urlencode(
                [*((k, v) for k, vs in rest.items() for v in vs), ("per_page", per_page), ("page", n)]
            )
            return f'<{self.url}{path}?{q}>; rel="{rel}"'

        links = []
        if page > 1:
            links += [link(page - 1, "prev"), link(1, "first")]
        if page < pages:
            links += [link(page + 1, "next"), link(pages, "last")]
        return _Reply(200, chunk, {"Link": ", ".join(links)} if links else {})

    def _route(self, call: Call, op: Operation, params: dict[str, str], token: Token) -> _Reply:
        method, template, body = call.method, op.template, call.body
        if template == "/user":
            if token.kind == "installation":
                raise _error(403, NOT_ACCESSIBLE)
            data = self.contract.example("private-user")
            data.update({k: v for k, v in self.user_json(token.actor).items() if k in data})
            return _Reply(200, data)

        repo = self.repos.get(f"{params['owner']}/{params['repo']}".lower())
        if repo is None:
            raise _error(404, "Not Found")
        if method in WRITE_METHODS and not token.write:
            raise _error(403, NOT_ACCESSIBLE)
        if template == "/repos/{owner}/{repo}":
            return _Reply(200, self.repo_json(repo))
        # issue 17: branches, files and pull requests live in tests/support/fake_github/git.py
        if template in git_routes.TEMPLATES:
            return git_routes.route(self, call, repo, params, token)  # type: ignore[no-any-return]

        if template.startswith("/repos/{owner}/{repo}/labels"):
            return self._labels_route(call, repo, params)
        if template.startswith("/repos/{owner}/{repo}/issues/comments/{comment_id}"):
            comment = repo.comments.get(int(params["comment_id"]))
            if comment is None:
                raise _error(404, "Not Found")
            if template.endswith("/reactions"):
                if method == "GET":
                    return self._page(
                        call.path, call.query, [self.reaction_json(r) for r in comment.reactions]
                    )
                for reaction in comment.reactions:
                    if reaction[1] == body["content"] and reaction[2] is token.actor:
                        return _Reply(200, self.reaction_json(reaction))
                comment.reactions.append((self._next_id(), body["content"], token.actor))
                return _Reply(201, self.reaction_json(comment.reactions[-1]))
            if method == "GET":
                return _Reply(200, self.comment_json(repo, comment, call.accept))
            if method == "DELETE":
                del repo.comments[comment.id]
                return _Reply(204)
            comment.body = body["body"]
            comment.updated_at = self.tick()
            return _Reply(200, self.comment_json(repo, comment, call.accept))

        if template == "/repos/{owner}/{repo}/issues":
            if method == "POST":  # issue 16: the reminder job
                opened = self.open_issue(
                    repo,
                    title=str(body["title"]),
                    body=body.get("body"),
                    author=token.actor,
                    labels=[n if isinstance(n, str) else n["name"] for n in body.get("labels") or ()],
                )
                return _Reply(201, self.issue_json(repo, opened, call.accept))
            return self._list_issues(call, repo)
        issue = repo.issues.get(int(params["issue_number"]))
        if issue is None:
            raise _error(404, "Not Found")
        if template == "/repos/{owner}/{repo}/issues/{issue_number}":
            if method == "PATCH":
                self._patch_issue(repo, issue, body, token)
            return _Reply(200, self.issue_json(repo, issue, call.accept))
        if template.endswith("/comments"):
            if method == "GET":
                comments = self.comments(repo, issue.number)
                if "since" in call.query:
                    since = datetime.fromisoformat(call.query["since"][-1].replace("Z", "+00:00"))
                    comments = [c for c in comments if c.updated_at >= since]
                return self._page(
                    call.path, call.query, [self.comment_json(repo, c, call.accept) for c in comments]
                )
            comment = self._new_comment(repo, issue, body["body"], token.actor)
            reply = _Reply(201, self.comment_json(repo, comment, call.accept))
            reply.headers["Location"] = reply.body["url"]
            return reply
        if template.endswith("/lock"):
            if method == "PUT":
                issue.locked = True
                issue.active_lock_reason = (body or {}).get("lock_reason") if body is not NO_BODY else None
            else:
                if not issue.locked:
                    raise _error(404, "Not Found")
                issue.locked, issue.active_lock_reason = False, None
            issue.updated_at = self.tick()
            return _Reply(204)
        return self._issue_labels_route(call, repo, issue, params)

    def _list_issues(self, call: Call, repo: FakeRepo) -> _Reply:
        """`GET /repos/{owner}/{repo}/issues`: `state` (default open), `labels` (all of them,
        comma-separated, without case), newest first as GitHub's default `sort=created`."""
        state = (call.query.get("state") or ["open"])[-1]
        wanted = [n.strip().lower() for n in (call.query.get("labels") or [""])[-1].split(",") if n.strip()]
        found = [
            issue
            for issue in repo.issues.values()
            if (state == "all" or issue.state == state)
            and all(name in {n.lower() for n in issue.labels} for name in wanted)
        ]
        found.sort(key=lambda issue: issue.number, reverse=True)
        return self._page(call.path, call.query, [self.issue_json(repo, i, call.accept) for i in found])

    def _patch_issue(self, repo: FakeRepo, issue: FakeIssue, body: Any, token: Token) -> None:
        body = {} if body is NO_BODY else body
        if "title" in body and body["title"] is not None:
            issue.title = str(body["title"])
        if "body" in body:
            issue.body = body["body"]
        if body.get("labels") is not None:
            names = [item if isinstance(item, str) else item["name"] for item in body["labels"]]
            issue.labels = [self._ensure_label(repo, n).name for n in dict.fromkeys(names)]
        state = body.get("state")
        if state == "closed" and issue.state != "closed":
            issue.state, issue.closed_at, issue.closed_by = "closed", self.now, token.actor
            issue.state_reason = body.get("state_reason") or "completed"
        elif state == "open" and issue.state != "open":
            issue.state, issue.closed_at, issue.closed_by = "open", None, None
            issue.state_reason = "reopened"
        elif "state_reason" in body and state is None and issue.state == "closed" and body["state_reason"]:
            issue.state_reason = body["state_reason"]
        issue.updated_at = self.tick()

    def _issue_labels_route(
        self, call: Call, repo: FakeRepo, issue: FakeIssue, params: dict[str, str]
    ) -> _Reply:
        method, body = call.method, call.body

        def current() -> list[dict[str, Any]]:
            return [self.label_json(repo, repo.labels[n.lower()]) for n in issue.labels]

        if "name" in params:  # DELETE one label
            name = unquote(params["name"])
            match = [n for n in issue.labels if n.lower() == name.lower()]
            if not match:
                raise _error(404, "Label does not exist")
            issue.labels.remove(match[0])
            issue.updated_at = self.tick()
            return _Reply(200, current())
        if method == "GET":
            return self._page(call.path, call.query, current())
        if method == "DELETE":
            issue.labels = []
            issue.updated_at = self.tick()
            return _Reply(204)
        names = [item if isinstance(item, str) else item["name"] for item in body["labels"]]
        if method == "PUT":
            issue.labels = []
        for name in names:
            label = self._ensure_label(repo, name)
            if all(n.lower() != label.name.lower() for n in issue.labels):
                issue.labels.append(label.name)
        issue.updated_at = self.tick()
        return _Reply(200, current())

    def _labels_route(self, call: Call, repo: FakeRepo, params: dict[str, str]) -> _Reply:
        method, body = call.method, call.body
        if "name" not in params:
            if method == "GET":
                labels = sorted(repo.labels.values(), key=lambda lb: lb.id)
                return self._page(call.path, call.query, [self.label_json(repo, lb) for lb in labels])
            name = body["name"]
            if name.lower() in repo.labels:
                raise _validation_failed("Label", "name", "already_exists")
            color = body.get("color", "ededed").lstrip("#")
            if len(color) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in color):
                raise _validation_failed("Label", "color", "invalid")
            new = FakeLabel(self._next_id(), name, color.lower(), body.get("description"))
            repo.labels[name.lower()] = new
            reply = _Reply(201, self.label_json(repo, new))
            reply.headers["Location"] = reply.body["url"]
            return reply
        label = repo.labels.get(unquote(params["name"]).lower())
        if label is None:
            raise _error(404, "Not Found")
        if method == "GET":
            return _Reply(200, self.label_json(repo, label))
        if method == "DELETE":
            del repo.labels[label.name.lower()]
            for issue in repo.issues.values():
                issue.labels = [n for n in issue.labels if n.lower() != label.name.lower()]
            return _Reply(204)
        old = label.name
        label.name = body.get("new_name") or label.name
        label.color = body.get("color") or label.color
        if "description" in body:
            label.description = body["description"]
        del repo.labels[old.lower()]
        repo.labels[label.name.lower()] = label
        for issue in repo.issues.values():
            issue.labels = [label.name if n.lower() == old.lower() else n for n in issue.labels]
        return _Reply(200, self.label_json(repo, label))

    # -- one request --------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: dict[str, str], raw_body: bytes) -> _Reply | None:
        """Answer one request; None means: drop the connection."""
        split = urlsplit(raw_path)
        path = split.path
        query = parse_qs(split.query, keep_blank_values=True)
        if self.prefix:
            if not path.startswith(self.prefix + "/"):
                with self.lock:
                    self.contract_errors.append(f"{method} {path}: outside the API prefix {self.prefix}")
                return _error(404, "Not Found")
            path = path[len(self.prefix) :]
        call = Call(
            method,
            path,
            None,
            query,
            NO_BODY,
            accept=headers.get("accept", ""),
            api_version=headers.get("x-github-api-version"),
        )
        with self.lock:
            self.calls.append(call)
            reply = self._handle(call, headers, raw_body)
            call.status = 0 if reply is None else reply.status
            if reply is not None:
                self._rate_remaining = max(0, self._rate_remaining - 1)
                reply.headers.setdefault("x-ratelimit-limit", "1000")
                reply.headers.setdefault("x-ratelimit-remaining", str(self._rate_remaining))
                reply.headers.setdefault("x-ratelimit-reset", str(int(time.time()) + 3600))
                reply.headers.setdefault("x-ratelimit-resource", "core")
            return reply

    def _handle(self, call: Call, headers: dict[str, str], raw_body: bytes) -> _Reply | None:
        matched = self.contract.match(call.method, call.path)
        if matched is None:
            self.contract_errors.append(f"{call.method} {call.path}: no such route in the fake GitHub")
            return _error(404, "Not Found")
        op, params = matched
        call.template = op.template
        auth = headers.get("authorization", "")
        scheme, _, value = auth.partition(" ")
        if not auth:
            return _error(401, "Requires authentication")
        token = self.tokens.get(value.strip()) if scheme.lower() in ("token", "bearer") else None
        if token is None:
            return _error(401, "Bad credentials")
        if raw_body:
            try:
                call.body = json.loads(raw_body)
            except ValueError:
                return _error(400, "Problems parsing JSON")
        problems = self.contract.check_request(op, params, call.query, call.body)
        if problems:
            self.contract_errors.extend(problems)
            return _error(422, "Invalid request.\n\n" + "\n".join(problems))
        fault = self._take_fault(call)
        if fault is not None:
            call.fault = True
            if fault.apply:
                with contextlib.suppress(_Reply):
                    self._route(call, op, params, token)
            if fault.disconnect:
                return None
            return _Reply(fault.status, fault.body, dict(fault.headers))
        try:
            reply = self._route(call, op, params, token)
        except _Reply as raised:
            reply = raised
        problems = self.contract.check_response(op, reply.status, reply.body)
        self.contract_errors.extend(problems)
        return reply

    def state_summary(self) -> Iterator[str]:
        """One line per issue, for assertion messages (no bodies)."""
        for repo in self.repos.values():
            for issue in repo.issues.values():
                yield (
                    f"{repo.full_name}#{issue.number} {issue.state} locked={issue.locked} "
                    f"labels={issue.labels} comments={len(self.comments(repo, issue.number))}"
                )


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGitHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.fake.handle(self.command, self.path, headers, raw_body)
        if reply is None:
            self.close_connection = True
            return
        payload = b"" if reply.body is NO_BODY else json.dumps(reply.body).encode()
        self.send_response(reply.status)
        if reply.body is not NO_BODY:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-GitHub-Media-Type", "github.v3; param=full; format=json")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

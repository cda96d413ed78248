"""GitHub REST access for the request bot, built on github3.py.

A thin layer with what the bot needs — an issue's current state, its comments (every page),
one comment created or updated, labels, close and lock — configured the way GitHub Actions
configures a job: `GITHUB_TOKEN`, `GITHUB_REPOSITORY` and `GITHUB_API_URL` (which ends in `/api/v3`
on GitHub Enterprise Server). Tests point it at a local server through GITHUB_API_URL.

Retries. github3.py retries nothing, and urllib3's `Retry` cannot tell a rate-limited 403 from a
permission 403, so the session retries itself, with an injectable `sleep`:
- 500, 502, 503, 504 and dropped connections: exponential backoff (or the `Retry-After` given);
- 403 or 429 with `x-ratelimit-remaining: 0`: until `x-ratelimit-reset` (+1 s);
- 403 or 429 with `Retry-After`: that long; a 429 or a "secondary rate limit" 403 without it: 60 s;
- a wait longer than `RetryPolicy.max_wait` is not waited: the call fails at once.
A POST that fails with a 5xx or a dropped connection may have been carried out, so a comment is
never re-posted blindly: `create_comment` raises `AmbiguousWriteError`, and `upsert_comment`
looks for its marker (the first line of a comment of this token's own login) before it tries
again. POSTs that are safe to repeat (adding labels,
creating a label, a reaction) are retried like the other methods.

Errors: every failure is a `GitHubError` — `TransientGitHubError` (retries used up),
`RateLimitedError`, `AmbiguousWriteError`, or `PermanentGitHubError` (`NotFoundError`) — whose
message names the operation, the status and GitHub's own message. Nothing here logs or puts in an
exception an issue's or a comment's text; github3.py's debug log, which prints request bodies, is
silenced.

github3.py is used for the session, authentication and Enterprise URLs, the authenticated user,
issues, paginated lists (it follows `Link: rel="next"`) and label creation. Adding and setting
labels, closing and locking are sent directly: github3.py sends labels as a bare JSON array (the
OpenAPI description asks for `{"labels": [...]}`), and its `close()` re-sends the title and body,
which would undo an edit made in between.
"""

from __future__ import annotations

import email.utils
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, NamedTuple, TypedDict, Unpack
from urllib.parse import quote, urlsplit

import github3
import github3.exceptions
import requests
from github3.issues.comment import IssueComment
from github3.issues.label import Label
from github3.session import GitHubSession

log = logging.getLogger(__name__)
# github3.py logs each request's body at DEBUG (a comment can quote a mentee): never emit that.
logging.getLogger("github3").setLevel(logging.WARNING)

DEFAULT_API_URL = "https://api.github.com"
ENTERPRISE_SUFFIX = "/api/v3"
API_VERSION = "2022-11-28"
# GITHUB_TOKEN acts as this bot; `GET /user` answers 403 to it ("Resource not accessible by integration").
ACTIONS_BOT_LOGIN = "github-actions[bot]"
RETRIED_STATUSES = frozenset({500, 502, 503, 504})
_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")

CloseReason = Literal["completed", "not_planned"]
IssueState = Literal["open", "closed", "all"]
LockReason = Literal["resolved", "off-topic", "too heated", "spam"]
Reaction = Literal["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"]
UpsertResult = Literal["created", "updated", "unchanged"]


# -- errors -----------------------------------------------------------------------------------


class GitHubError(Exception):
    """A GitHub call failed; `operation` says which, `status` is the HTTP status if there was one."""

    def __init__(self, message: str, *, operation: str, status: int | None = None) -> None:
        super().__init__(message)
        self.operation = operation
        self.status = status


class GitHubConfigError(GitHubError):
    """GITHUB_TOKEN, GITHUB_REPOSITORY or GITHUB_API_URL is missing or malformed."""


class TransientGitHubError(GitHubError):
    """GitHub kept failing in a way that may pass (5xx, rate limit, lost connection) after every retry."""


class RateLimitedError(TransientGitHubError):
    """Rate limited for longer than `RetryPolicy.max_wait`; `retry_at` is when it lifts (epoch seconds)."""

    def __init__(self, message: str, *, operation: str, status: int | None, retry_at: float | None) -> None:
        super().__init__(message, operation=operation, status=status)
        self.retry_at = retry_at


class AmbiguousWriteError(TransientGitHubError):
    """A create failed after GitHub may have carried it out (5xx or lost connection on a POST)."""


class PermanentGitHubError(GitHubError):
    """GitHub refused the call and would refuse it again (401, 403, 404, 410, 422…)."""


class NotFoundError(PermanentGitHubError):
    """The repository, issue, comment or label does not exist (404, 410)."""


# -- values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. A wait longer than `max_wait` is not waited: the call fails at once."""

    attempts: int = 5  # per request, the first included
    backoff: float = 1.0  # first wait after a 5xx or a lost connection; doubles each time
    backoff_cap: float = 30.0
    max_wait: float = 120.0
    secondary_wait: float = 60.0  # a secondary rate limit without Retry-After


@dataclass(frozen=True)
class Actor:
    """Who wrote something: `type` is "User", "Bot" or "Organization"."""

    login: str
    type: str

    @property
    def is_bot(self) -> bool:
        return self.type == "Bot" or self.login.endswith("[bot]")


@dataclass(frozen=True)
class GitHubIssue:
    """An issue as GitHub has it now. Title and body are left out of repr (logs are public)."""

    number: int
    title: str = field(repr=False)
    body: str = field(repr=False)
    state: Literal["open", "closed"]
    state_reason: str | None
    locked: bool
    lock_reason: str | None
    labels: tuple[str, ...]
    author: Actor
    author_association: str
    is_pull_request: bool
    html_url: str
    created_at: datetime
    updated_at: datetime

    def has_label(self, name: str) -> bool:
        return any(label.lower() == name.lower() for label in self.labels)


@dataclass(frozen=True)
class GitHubComment:
    """A comment on an issue. `edited` is true once it was changed after it was posted."""

    id: int
    issue_number: int
    body: str = field(repr=False)
    author: Actor
    author_association: str
    via_app: str | None  # slug of the GitHub App it was posted through, if any
    html_url: str
    created_at: datetime
    updated_at: datetime

    @property
    def edited(self) -> bool:
        return self.updated_at > self.created_at


@dataclass(frozen=True)
class LabelSpec:
    """A label the bot uses, created with this colour and description when missing."""

    name: str
    color: str = "ededed"
    description: str = ""


class Timeout(NamedTuple):
    """Seconds to wait for GitHub: to connect, and for each answer."""

    connect: float = 5.0
    read: float = 30.0


DEFAULT_TIMEOUT = Timeout()


class Upserted(NamedTuple):
    """The comment `upsert_comment` left, and what it did."""

    comment: GitHubComment
    result: UpsertResult


class ReactionBy(NamedTuple):
    """One reaction to a comment: who, and which."""

    login: str
    content: str


class _Retry(NamedTuple):
    """Retry after WAIT seconds, or give up at once when WAIT is None; WHY, for the log."""

    wait: float | None
    why: str


def _time(value: object) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _actor(data: object) -> Actor:
    if not isinstance(data, Mapping):
        return Actor("ghost", "User")  # a deleted account
    return Actor(str(data.get("login", "ghost")), str(data.get("type", "User")))


def _issue(data: Mapping[str, Any]) -> GitHubIssue:
    labels = tuple(str(lb["name"] if isinstance(lb, Mapping) else lb) for lb in data.get("labels") or ())
    return GitHubIssue(
        number=int(data["number"]),
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        state="closed" if data["state"] == "closed" else "open",
        state_reason=data.get("state_reason"),
        locked=bool(data.get("locked")),
        lock_reason=data.get("active_lock_reason"),
        labels=labels,
        author=_actor(data.get("user")),
        author_association=str(data.get("author_association") or "NONE"),
        is_pull_request=bool(data.get("pull_request")),
        html_url=str(data.get("html_url") or ""),
        created_at=_time(data["created_at"]),
        updated_at=_time(data["updated_at"]),
    )


def _comment(data: Mapping[str, Any]) -> GitHubComment:
    app = data.get("performed_via_github_app")
    return GitHubComment(
        id=int(data["id"]),
        issue_number=int(str(data.get("issue_url", "0")).rstrip("/").rsplit("/", 1)[-1] or 0),
        body=str(data.get("body") or ""),
        author=_actor(data.get("user")),
        author_association=str(data.get("author_association") or "NONE"),
        via_app=str(app["slug"]) if isinstance(app, Mapping) and app.get("slug") else None,
        html_url=str(data.get("html_url") or ""),
        created_at=_time(data["created_at"]),
        updated_at=_time(data["updated_at"]),
    )


def first_line(body: str) -> str:
    """A comment's first line (without a CR the web editor may have added)."""
    return body.split("\n", 1)[0].removesuffix("\r")


def find_own_comment(comments: Iterable[GitHubComment], marker: str, login: str) -> GitHubComment | None:
    """The first of COMMENTS written by LOGIN whose first line is MARKER. A marker anywhere
    else (in a quotation further down, say) does not count, and comments by anyone else are
    ignored, whatever they contain."""
    for comment in comments:
        if comment.author.login.lower() == login.lower() and first_line(comment.body) == marker:
            return comment
    return None


# -- the session: retries ---------------------------------------------------------------------


def _path(url: str) -> str:
    return urlsplit(url).path


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (a number of seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - now)


def _message(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    return str(data.get("message", "")) if isinstance(data, dict) else ""


def _rate_limit_wait(response: requests.Response, policy: RetryPolicy, now: float) -> float | None:
    """How long a 403/429 asks to wait, or None when it is not a rate limit (a refusal)."""
    retry_after = _retry_after(response.headers.get("Retry-After"), now)
    if retry_after is not None:
        return retry_after
    reset = response.headers.get("X-RateLimit-Reset")
    if response.headers.get("X-RateLimit-Remaining") == "0" and reset and reset.isdigit():
        return max(0.0, int(reset) - now) + 1.0
    if response.status_code == 429 or "secondary rate limit" in _message(response).lower():
        return policy.secondary_wait
    return None


class _RetryingSession(GitHubSession):  # type: ignore[misc]  # github3.py has no type hints
    """github3.py's session, retrying transient failures (see the module's docstring)."""

    def __init__(
        self,
        policy: RetryPolicy,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        timeout: Timeout,
    ) -> None:
        super().__init__(default_connect_timeout=timeout.connect, default_read_timeout=timeout.read)
        self.policy = policy
        self.sleep = sleep
        self.clock = clock
        self.replay_posts = False

    @contextmanager
    def posts_replayable(self) -> Iterator[None]:
        """Within: a POST that failed with a 5xx or a lost connection is sent again."""
        before, self.replay_posts = self.replay_posts, True
        try:
            yield
        finally:
            self.replay_posts = before

    def _backoff(self, attempt: int) -> float:
        return float(min(self.policy.backoff * 2 ** (attempt - 1), self.policy.backoff_cap))

    def _wait_for(self, method: str, response: requests.Response, attempt: int) -> _Retry | None:
        """None: hand the response over; else retry after `wait` seconds, or give up now
        when `wait` is None."""
        status = response.status_code
        if status in (403, 429):
            wait = _rate_limit_wait(response, self.policy, self.clock())
            if wait is None:
                return None
            if wait > self.policy.max_wait:
                return _Retry(None, f"rate limited for {wait:.0f} s")
            return _Retry(wait, f"rate limited ({status})")
        if status in RETRIED_STATUSES:
            if method == "POST" and not self.replay_posts:
                return None
            given = _retry_after(response.headers.get("Retry-After"), self.clock())
            wait = given if given is not None else self._backoff(attempt)
            return _Retry(min(wait, self.policy.max_wait), f"status {status}")
        return None

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        method = method.upper()
        attempts = max(1, self.policy.attempts)
        attempt = 0
        while True:
            attempt += 1
            try:
                response: requests.Response = super().request(method, url, *args, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if (method == "POST" and not self.replay_posts) or attempt >= attempts:
                    raise
                wait, why = self._backoff(attempt), type(exc).__name__
            else:
                decision = self._wait_for(method, response, attempt)
                if decision is None:
                    return response
                maybe_wait, why = decision
                if maybe_wait is None or attempt >= attempts:
                    log.warning("GitHub: %s on %s %s; giving up", why, method, _path(url))
                    return response
                wait = maybe_wait
            log.warning(
                "GitHub: %s on %s %s; retry %d of %d in %.1f s",
                why,
                method,
                _path(url),
                attempt,
                attempts - 1,
                wait,
            )
            self.sleep(wait)


# -- the client -------------------------------------------------------------------------------


class ClientOptions(TypedDict, total=False):
    """The keyword arguments of `GitHubClient`, which `from_env` passes on."""

    retry: RetryPolicy | None
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    bot_login: str | None
    timeout: Timeout


class GitHubClient:
    """The bot's access to one repository. Build it with `from_env()` inside Actions."""

    def __init__(
        self,
        token: str,
        repository: str,
        api_url: str = DEFAULT_API_URL,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        bot_login: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        if not token:
            raise GitHubConfigError("no GitHub token", operation="configure")
        if not _REPOSITORY.fullmatch(repository):
            raise GitHubConfigError(f"repository {repository!r} is not OWNER/NAME", operation="configure")
        api_url = api_url.strip().rstrip("/")
        if urlsplit(api_url).scheme not in ("http", "https") or not urlsplit(api_url).netloc:
            raise GitHubConfigError(
                f"GitHub API address {api_url!r} is not an http(s) URL", operation="configure"
            )
        self.repository = repository
        self.owner, self.name = repository.split("/")
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._session = _RetryingSession(self.retry, sleep, clock, timeout)
        if api_url == DEFAULT_API_URL:
            self._gh = github3.GitHub(token=token, session=self._session, api_version=API_VERSION)
        elif api_url.endswith(ENTERPRISE_SUFFIX):
            self._gh = github3.GitHubEnterprise(
                api_url[: -len(ENTERPRISE_SUFFIX)], token=token, session=self._session
            )
            self._session.headers["X-GitHub-Api-Version"] = API_VERSION
        else:
            self._gh = github3.GitHub(token=token, session=self._session, api_version=API_VERSION)
            self._session.base_url = api_url
        self.api_url: str = self._session.base_url
        self._login = bot_login
        self._repo: Any = None

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **options: Unpack[ClientOptions]
    ) -> GitHubClient:
        """From GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL (default https://api.github.com)."""
        import os

        env = os.environ if environ is None else environ
        missing = [name for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY") if not env.get(name)]
        if missing:
            raise GitHubConfigError(
                f"{' and '.join(missing)} not set: the workflow must pass them (Actions sets "
                "GITHUB_REPOSITORY; GITHUB_TOKEN comes from `env: GITHUB_TOKEN: ${{ github.token }}`)",
                operation="configure",
            )
        return cls(
            env["GITHUB_TOKEN"],
            env["GITHUB_REPOSITORY"],
            env.get("GITHUB_API_URL") or DEFAULT_API_URL,
            **options,
        )

    # -- plumbing -----------------------------------------------------------------------------

    def _url(self, *parts: object) -> str:
        quoted = "/".join(quote(str(p), safe="") for p in parts)
        return f"{self.api_url}/repos/{self.owner}/{self.name}/{quoted}"

    @contextmanager
    def _operation(self, what: str, *, create: bool = False) -> Iterator[None]:
        """Turn github3.py's and requests' exceptions into GitHubError, named after WHAT."""
        try:
            yield
        except GitHubError:
            raise
        except github3.exceptions.GitHubError as exc:
            raise self._classify(exc, what, create) from exc
        except (github3.exceptions.TransportError, requests.RequestException) as exc:
            kind = AmbiguousWriteError if create else TransientGitHubError
            raise kind(f"could not reach GitHub to {what}: {type(exc).__name__}", operation=what) from exc
        except github3.exceptions.GitHubException as exc:
            raise PermanentGitHubError(f"could not {what}: {type(exc).__name__}", operation=what) from exc

    def _classify(self, exc: github3.exceptions.GitHubError, what: str, create: bool) -> GitHubError:
        response: requests.Response | None = getattr(exc, "response", None)
        status = int(getattr(exc, "code", 0) or 0) or None
        said = getattr(exc, "msg", None)
        said = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said or "")
        message = f"GitHub answered {status} to '{what}'" + (f": {said[:200]}" if said else "")
        if response is not None and status in (403, 429):
            now = self._session.clock()
            wait = _rate_limit_wait(response, self.retry, now)
            if wait is not None:
                return RateLimitedError(
                    message + f" (rate limited for about {wait:.0f} s)",
                    operation=what,
                    status=status,
                    retry_at=now + wait,
                )
        if status is not None and status >= 500:
            kind = AmbiguousWriteError if create else TransientGitHubError
            return kind(message, operation=what, status=status)
        if status in (404, 410):
            return NotFoundError(message, operation=what, status=status)
        if isinstance(exc, github3.exceptions.IncompleteResponse | github3.exceptions.UnexpectedResponse):
            return PermanentGitHubError(
                f"unexpected answer from GitHub to '{what}'", operation=what, status=status
            )
        return PermanentGitHubError(message, operation=what, status=status)

    def _send(self, method: str, url: str, expected: int, payload: Mapping[str, object] | None = None) -> Any:
        """One request outside github3.py's helpers; the JSON answer, or None for 204."""
        kwargs: dict[str, Any] = {} if payload is None else {"data": json.dumps(payload)}
        response: requests.Response = self._session.request(method, url, **kwargs)
        if response.status_code >= 400:
            raise github3.exceptions.error_for(response)
        if response.status_code != expected:
            log.warning(
                "GitHub: %s %s answered %d, expected %d", method, _path(url), response.status_code, expected
            )
        return response.json() if response.content else None

    def _repository(self) -> Any:
        if self._repo is None:
            self._repo = self._gh.repository(self.owner, self.name)
        return self._repo

    # -- who am I -----------------------------------------------------------------------------

    def own_login(self) -> str:
        """The login the token writes as. `GET /user`; for GITHUB_TOKEN, which may not read it
        (403 "Resource not accessible by integration"), `github-actions[bot]`."""
        if self._login is None:
            with self._operation("read the authenticated user"):
                try:
                    self._login = str(self._gh.me().login)
                except github3.exceptions.ForbiddenError as exc:
                    if "not accessible by integration" not in str(exc.msg or "").lower():
                        raise
                    self._login = ACTIONS_BOT_LOGIN
        return self._login

    # -- issues -------------------------------------------------------------------------------

    def get_issue(self, number: int) -> GitHubIssue:
        """The issue as it is now (never a cached copy)."""
        with self._operation(f"read issue #{number}"):
            issue = self._gh.issue(self.owner, self.name, number)
            if issue is None:
                raise NotFoundError(
                    f"issue #{number} not found", operation=f"read issue #{number}", status=404
                )
            return _issue(issue.as_dict())

    def list_issues(self, *, labels: Iterable[str] = (), state: IssueState = "open") -> list[GitHubIssue]:
        """Every issue (pull requests left out) with all of LABELS in STATE, following every page."""
        params: dict[str, str] = {"state": state}
        names = list(labels)
        if names:
            params["labels"] = ",".join(names)
        with self._operation("list the repository's issues"):
            pages = self._gh._iter(-1, self._url("issues"), dict, params=params)
            issues = [_issue(item) for item in pages]
        return [issue for issue in issues if not issue.is_pull_request]

    def close_issue(self, number: int, reason: CloseReason = "completed") -> GitHubIssue:
        """Close the issue with a `state_reason`; nothing else about it is sent."""
        with self._operation(f"close issue #{number}"):
            data = self._send(
                "PATCH", self._url("issues", number), 200, {"state": "closed", "state_reason": reason}
            )
            return _issue(data)

    def lock_issue(self, number: int, reason: LockReason = "resolved") -> None:
        """Lock the conversation: only collaborators can comment afterwards."""
        with self._operation(f"lock issue #{number}"):
            self._send("PUT", self._url("issues", number, "lock"), 204, {"lock_reason": reason})

    # -- comments -----------------------------------------------------------------------------

    def list_comments(self, number: int) -> list[GitHubComment]:
        """Every comment on the issue, oldest first, following every page."""
        with self._operation(f"list the comments of issue #{number}"):
            pages = self._gh._iter(-1, self._url("issues", number, "comments"), IssueComment)
            return [_comment(c.as_dict()) for c in pages]

    def get_comment(self, comment_id: int) -> GitHubComment:
        with self._operation(f"read comment {comment_id}"):
            return _comment(self._send("GET", self._url("issues", "comments", comment_id), 200))

    def create_comment(self, number: int, body: str) -> GitHubComment:
        """Post a comment. Raises AmbiguousWriteError when it may or may not have been posted:
        look for it before posting again (upsert_comment does)."""
        with self._operation(f"comment on issue #{number}", create=True):
            return _comment(self._send("POST", self._url("issues", number, "comments"), 201, {"body": body}))

    def update_comment(self, comment_id: int, body: str) -> GitHubComment:
        with self._operation(f"update comment {comment_id}"):
            return _comment(
                self._send("PATCH", self._url("issues", "comments", comment_id), 200, {"body": body})
            )

    def find_comment(self, number: int, marker: str, *, author: str | None = None) -> GitHubComment | None:
        """The oldest comment whose first line is MARKER written by AUTHOR (default: this
        token's own login); comments by anyone else are ignored, whatever they contain."""
        return find_own_comment(self.list_comments(number), marker, author or self.own_login())

    def upsert_comment(self, number: int, marker: str, body: str) -> Upserted:
        """The one comment of ours whose first line is MARKER: updated to BODY, or created if
        there is none. A create that may have happened is never repeated before looking for the
        marker again."""
        if first_line(body) != marker:
            raise ValueError("the body's first line must be the marker")
        existing = self.find_comment(number, marker)
        if existing is not None:
            if existing.body == body:
                return Upserted(existing, "unchanged")
            return Upserted(self.update_comment(existing.id, body), "updated")
        attempt = 0
        while True:
            attempt += 1
            try:
                return Upserted(self.create_comment(number, body), "created")
            except AmbiguousWriteError:
                if attempt >= self.retry.attempts:
                    raise
                self._sleep(min(self.retry.backoff * 2 ** (attempt - 1), self.retry.backoff_cap))
                found = self.find_comment(number, marker)
                if found is not None:
                    if found.body == body:
                        return Upserted(found, "created")
                    return Upserted(self.update_comment(found.id, body), "created")

    def add_reaction(self, comment_id: int, content: Reaction = "+1") -> None:
        """React to a comment (repeating the same reaction is harmless)."""
        with self._operation(f"react to comment {comment_id}"), self._session.posts_replayable():
            self._send(
                "POST", self._url("issues", "comments", comment_id, "reactions"), 201, {"content": content}
            )

    def reactions(self, comment_id: int) -> list[ReactionBy]:
        """Every reaction on a comment."""
        with self._operation(f"list the reactions to comment {comment_id}"):
            url = self._url("issues", "comments", comment_id, "reactions")
            pages = self._gh._iter(-1, url, dict)
            return [ReactionBy(str(r["user"]["login"]), str(r["content"])) for r in pages]

    # -- labels -------------------------------------------------------------------------------

    def ensure_labels(self, labels: Iterable[LabelSpec]) -> list[str]:
        """Create the repository labels that are missing; the names created."""
        wanted = list(labels)
        created: list[str] = []
        with self._operation("list the repository's labels"):
            existing = {str(lb.name).lower() for lb in self._repository().labels()}
        for spec in wanted:
            if spec.name.lower() in existing:
                continue
            what = f"create label {spec.name!r}"
            with self._operation(what), self._session.posts_replayable():
                try:
                    self._repository().create_label(spec.name, spec.color, spec.description)
                except github3.exceptions.UnprocessableEntity as exc:
                    if not any(e.get("code") == "already_exists" for e in exc.errors or ()):
                        raise
            existing.add(spec.name.lower())
            created.append(spec.name)
        return created

    def labels(self, number: int) -> tuple[str, ...]:
        """The labels on the issue now."""
        with self._operation(f"list the labels of issue #{number}"):
            pages = self._gh._iter(-1, self._url("issues", number, "labels"), Label)
            return tuple(str(lb.name) for lb in pages)

    def add_labels(self, number: int, names: Iterable[str]) -> tuple[str, ...]:
        """Add labels (GitHub creates unknown ones, grey: call ensure_labels first); the labels after."""
        wanted = list(dict.fromkeys(names))
        if not wanted:
            return self.labels(number)
        with self._operation(f"label issue #{number}"), self._session.posts_replayable():
            data = self._send("POST", self._url("issues", number, "labels"), 200, {"labels": wanted})
            return tuple(str(lb["name"]) for lb in data)

    def remove_label(self, number: int, name: str) -> tuple[str, ...]:
        """Remove a label if the issue has it; the labels after."""
        with self._operation(f"remove a label from issue #{number}"):
            try:
                data = self._send("DELETE", self._url("issues", number, "labels", name), 200)
            except github3.exceptions.NotFoundError as exc:
                if "label does not exist" not in str(exc.msg or "").lower():
                    raise
                return self.labels(number)
            return tuple(str(lb["name"]) for lb in data)

    def set_labels(self, number: int, names: Iterable[str]) -> tuple[str, ...]:
        """Replace all the issue's labels; the labels after."""
        wanted = list(dict.fromkeys(names))
        with self._operation(f"set the labels of issue #{number}"):
            if not wanted:
                self._send("DELETE", self._url("issues", number, "labels"), 204)
                return ()
            data = self._send("PUT", self._url("issues", number, "labels"), 200, {"labels": wanted})
            return tuple(str(lb["name"]) for lb in data)

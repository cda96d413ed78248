"""What the profile bot writes to a repository besides comments: a branch, files on it, and a
pull request, through github3.py over the same retrying session as the request bot
(:class:`generator.bot.github.GitHubClient`).

Every write here is safe to repeat: a branch is created only when ``GET git/ref`` says it is
missing (and a 422 "Reference already exists" from a create that raced is taken as done), a
file is written only when its text on the branch differs (with the blob's ``sha``, so GitHub
refuses a write over a change it did not see), and a pull request is created only when no
open one has the branch as its head. Nothing here logs a file's text or a pull request's body.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Unpack
from urllib.parse import quote

import github3.exceptions

from generator.bot.github import ClientOptions, GitHubClient, NotFoundError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PullRequest:
    """An open pull request as the bot needs it. The body is left out of repr (logs are public)."""

    number: int
    title: str
    body: str
    head_ref: str
    head_sha: str
    author: str
    html_url: str
    state: str = "open"

    def __repr__(self) -> str:
        return f"PullRequest(#{self.number}, head={self.head_ref!r})"


def _pull(data: dict[str, Any]) -> PullRequest:
    head = data.get("head") or {}
    user = data.get("user") or {}
    return PullRequest(
        number=int(data["number"]),
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        head_ref=str(head.get("ref") or ""),
        head_sha=str(head.get("sha") or ""),
        author=str(user.get("login") or "ghost"),
        html_url=str(data.get("html_url") or ""),
        state=str(data.get("state") or "open"),
    )


class ProfileGitHub(GitHubClient):
    """The request bot's client, with branches, files and pull requests."""

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **options: Unpack[ClientOptions]
    ) -> ProfileGitHub:
        client = super().from_env(environ, **options)
        if not isinstance(client, ProfileGitHub):  # pragma: no cover - from_env builds cls
            raise TypeError("from_env must build a ProfileGitHub")
        return client

    def _ref_url(self, ref: str) -> str:
        return f"{self.api_url}/repos/{self.owner}/{self.name}/git/refs/{quote(ref, safe='/')}"

    def default_branch(self) -> str:
        with self._operation("read the repository"):
            return str(self._repository().default_branch)

    def branch_sha(self, branch: str) -> str | None:
        """The commit BRANCH points at, or ``None`` when there is no such branch."""
        with self._operation(f"read the branch {branch}"):
            try:
                ref = self._repository().ref(f"heads/{branch}")
            except github3.exceptions.NotFoundError:
                return None
            return None if ref is None else str(ref.object.sha)

    def create_branch(self, branch: str, sha: str) -> None:
        with self._operation(f"create the branch {branch}"), self._session.posts_replayable():
            try:
                self._repository().create_ref(f"refs/heads/{branch}", sha)
            except github3.exceptions.UnprocessableEntity as exc:
                if "already exists" not in str(exc.msg or "").lower():
                    raise

    def reset_branch(self, branch: str, sha: str) -> None:
        """Point BRANCH at SHA (a branch left from a closed pull request starts again from the base)."""
        with self._operation(f"reset the branch {branch}"):
            self._send("PATCH", self._ref_url(f"heads/{branch}"), 200, {"sha": sha, "force": True})

    def read_file(self, path: str, branch: str) -> tuple[str, str] | None:
        """(text, blob sha) of PATH on BRANCH, or ``None`` when it is not there."""
        with self._operation(f"read {path}"):
            try:
                found = self._repository().file_contents(path, ref=branch)
            except github3.exceptions.NotFoundError:
                return None
            if found is None:
                return None
            raw = base64.b64decode(found.content or b"") if found.encoding == "base64" else b""
            return raw.decode("utf-8", errors="replace"), str(found.sha)

    def write_file(self, path: str, text: str, message: str, branch: str) -> bool:
        """Make PATH on BRANCH hold TEXT, in one commit; ``False`` when it already did."""
        current = self.read_file(path, branch)
        if current is not None and current[0] == text:
            return False
        payload: dict[str, object] = {
            "message": message,
            "content": base64.b64encode(text.encode("utf-8")).decode("ascii"),
            "branch": branch,
        }
        if current is not None:
            payload["sha"] = current[1]
        url = f"{self.api_url}/repos/{self.owner}/{self.name}/contents/{quote(path, safe='/')}"
        with self._operation(f"write {path}"):
            self._send("PUT", url, 200 if current is not None else 201, payload)
        log.info("wrote %s on %s", path, branch)
        return True

    def open_pull(self, branch: str) -> PullRequest | None:
        """The open pull request whose head is BRANCH of this repository, if any."""
        with self._operation(f"list the pull requests of {branch}"):
            pulls = self._repository().pull_requests(state="open", head=f"{self.owner}:{branch}")
            for pull in pulls:
                data = pull.as_dict()
                if (data.get("head") or {}).get("ref") == branch:
                    return _pull(data)
        return None

    def create_pull(self, *, title: str, head: str, base: str, body: str) -> PullRequest:
        with self._operation(f"open a pull request from {head}", create=True):
            created = self._repository().create_pull(title, base, head, body)
            return _pull(created.as_dict())

    def update_pull(self, number: int, *, title: str, body: str) -> PullRequest:
        url = f"{self.api_url}/repos/{self.owner}/{self.name}/pulls/{number}"
        with self._operation(f"update pull request #{number}"):
            return _pull(self._send("PATCH", url, 200, {"title": title, "body": body}))

    def get_pull(self, number: int) -> PullRequest:
        with self._operation(f"read pull request #{number}"):
            pull = self._repository().pull_request(number)
            if pull is None:
                raise NotFoundError(f"pull request #{number} not found", operation="read a pull request")
            return _pull(pull.as_dict())

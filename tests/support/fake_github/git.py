"""Branches, files and pull requests of the local GitHub (issue 17): what the profile bot writes.

A repository's git data is kept apart from its issues (:class:`GitData`, one per repository in
``FakeGitHub.git``): commits are whole snapshots of the files (path → bytes), a branch names a
commit, and blob shas are git's own (``sha1("blob <size>\\0" + bytes)``), so a client that
writes a file with the wrong ``sha`` gets GitHub's 409. A pull request is also an issue of the
repository (``FakeIssue.pull_request``), sharing its numbers and comments, as on GitHub.

What it models, as github.com does:
- ``GET git/ref/heads/<branch>``: 404 for a missing branch; ``POST git/refs``: 422 "Reference
  already exists"; ``PATCH git/refs/heads/<branch>``: moves the branch (``force``).
- ``GET contents/<path>?ref=``: the file in base64 with its blob sha, 404 if missing;
  ``PUT contents/<path>``: one commit on ``branch`` (default: the default branch); updating a
  file needs its current ``sha`` (422 without it, 409 when it is not the current one).
- ``GET pulls`` (``state``, ``head`` as ``owner:branch``, ``base``), ``POST pulls`` (422 when an
  open pull request already has that head, or head and base are the same commit),
  ``GET pulls/<n>``, ``PATCH pulls/<n>`` (title, body, state).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from tests.support.fake_github.server import Call, FakeGitHub, FakeIssue, FakeRepo, FakeUser, Token

#: Templates of the routes this module answers.
TEMPLATES = frozenset(
    {
        "/repos/{owner}/{repo}/git/ref/{ref}",
        "/repos/{owner}/{repo}/git/refs",
        "/repos/{owner}/{repo}/git/refs/{ref}",
        "/repos/{owner}/{repo}/contents/{path}",
        "/repos/{owner}/{repo}/pulls",
        "/repos/{owner}/{repo}/pulls/{pull_number}",
    }
)


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass
class Commit:
    sha: str
    files: dict[str, bytes]
    parent: str | None
    message: str
    author: str


@dataclass
class Pull:
    number: int
    head: str
    base: str
    user: FakeUser
    state: str = "open"


@dataclass
class GitData:
    default_branch: str
    branches: dict[str, str] = field(default_factory=dict)
    commits: dict[str, Commit] = field(default_factory=dict)
    pulls: dict[int, Pull] = field(default_factory=dict)

    def commit(self, files: dict[str, bytes], parent: str | None, message: str, author: str) -> Commit:
        digest = hashlib.sha1(usedforsecurity=False)
        digest.update(f"{parent}\0{message}\0{author}\0{len(self.commits)}".encode())
        for path in sorted(files):
            digest.update(path.encode() + b"\0" + blob_sha(files[path]).encode())
        made = Commit(digest.hexdigest(), dict(files), parent, message, author)
        self.commits[made.sha] = made
        return made

    def files(self, branch: str) -> dict[str, bytes]:
        return self.commits[self.branches[branch]].files


def git_data(fake: FakeGitHub, repo: FakeRepo) -> GitData:
    """The repository's git data, created on first use with an empty first commit on the
    default branch (named as in GitHub's own repository example)."""
    store: dict[str, GitData] = fake.__dict__.setdefault("git", {})
    data = store.get(repo.full_name.lower())
    if data is None:
        branch = str(fake.contract.example("full-repository")["default_branch"])
        data = GitData(branch)
        first = data.commit({}, None, "Initial commit", repo.owner)
        data.branches[branch] = first.sha
        store[repo.full_name.lower()] = data
    return data


def seed_files(fake: FakeGitHub, repo: FakeRepo, files: dict[str, str], message: str = "Content") -> str:
    """Commit FILES (path → text) on the default branch, as a push would; the new commit's sha."""
    with fake.lock:
        data = git_data(fake, repo)
        branch = data.default_branch
        current = dict(data.files(branch))
        current.update({path: text.encode("utf-8") for path, text in files.items()})
        made = data.commit(current, data.branches[branch], message, repo.owner)
        data.branches[branch] = made.sha
        return made.sha


# -- JSON shapes --------------------------------------------------------------------------------


def _api(fake: FakeGitHub, repo: FakeRepo) -> str:
    return f"{fake.url}/repos/{repo.full_name}"


def ref_json(fake: FakeGitHub, repo: FakeRepo, branch: str, sha: str) -> dict[str, Any]:
    data: dict[str, Any] = fake.contract.example("git-ref")
    data.update(
        ref=f"refs/heads/{branch}",
        node_id=base64.b64encode(f"ref:{repo.full_name}:{branch}".encode()).decode(),
        url=f"{_api(fake, repo)}/git/refs/heads/{branch}",
        object={"type": "commit", "sha": sha, "url": f"{_api(fake, repo)}/git/commits/{sha}"},
    )
    return data


def _content_links(fake: FakeGitHub, repo: FakeRepo, path: str, sha: str, branch: str) -> dict[str, Any]:
    api, web = _api(fake, repo), f"{fake.server_url}/{repo.full_name}"
    return {
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "url": f"{api}/contents/{path}?ref={branch}",
        "html_url": f"{web}/blob/{branch}/{path}",
        "git_url": f"{api}/git/blobs/{sha}",
        "download_url": f"{fake.server_url}/raw/{repo.full_name}/{branch}/{path}",
        "type": "file",
        "_links": {
            "self": f"{api}/contents/{path}?ref={branch}",
            "git": f"{api}/git/blobs/{sha}",
            "html": f"{web}/blob/{branch}/{path}",
        },
    }


def content_json(fake: FakeGitHub, repo: FakeRepo, path: str, data: bytes, branch: str) -> dict[str, Any]:
    out: dict[str, Any] = fake.contract.example("content-file-response-if-content-is-a-file")
    out.update(_content_links(fake, repo, path, blob_sha(data), branch))
    out.update(encoding="base64", size=len(data), content=base64.encodebytes(data).decode("ascii"))
    return out


def file_commit_json(
    fake: FakeGitHub, repo: FakeRepo, path: str, data: bytes, branch: str, commit: Commit
) -> dict[str, Any]:
    out: dict[str, Any] = fake.contract.example("file-commit-example-for-creating-a-file")
    content = out["content"]
    content.update(_content_links(fake, repo, path, blob_sha(data), branch), size=len(data))
    api = _api(fake, repo)
    out["commit"].update(
        sha=commit.sha,
        url=f"{api}/git/commits/{commit.sha}",
        html_url=f"{fake.server_url}/{repo.full_name}/commit/{commit.sha}",
        message=commit.message,
        parents=[]
        if commit.parent is None
        else [
            {
                "url": f"{api}/git/commits/{commit.parent}",
                "html_url": f"{fake.server_url}/{repo.full_name}/commit/{commit.parent}",
                "sha": commit.parent,
            }
        ],
    )
    return out


def _branch_json(
    fake: FakeGitHub, repo: FakeRepo, template: dict[str, Any], branch: str, sha: str
) -> dict[str, Any]:
    owner = fake.user(repo.owner, type="Organization")
    out = dict(template)
    out.update(label=f"{repo.owner}:{branch}", ref=branch, sha=sha, user=fake.user_json(owner))
    if isinstance(out.get("repo"), dict):
        out["repo"] = _fill_repo(fake, repo, out["repo"])
    return out


def _fill_repo(fake: FakeGitHub, repo: FakeRepo, template: dict[str, Any]) -> dict[str, Any]:
    full = fake.repo_json(repo)
    return {key: full.get(key, value) for key, value in template.items()}


def pull_json(
    fake: FakeGitHub, repo: FakeRepo, pull: Pull, issue: FakeIssue, *, simple: bool = False, accept: str = ""
) -> dict[str, Any]:
    data: dict[str, Any] = (
        fake.contract.example("pull-request-simple-items")[0]
        if simple
        else fake.contract.example("pull-request")
    )
    git = git_data(fake, repo)
    api = _api(fake, repo)
    web = f"{fake.server_url}/{repo.full_name}/pull/{pull.number}"
    issue_data = fake.issue_json(repo, issue)
    head_sha = git.branches.get(pull.head, "0" * 40)
    data.update(
        url=f"{api}/pulls/{pull.number}",
        id=issue.id,
        node_id=f"PR_{issue.id}",
        html_url=web,
        diff_url=web + ".diff",
        patch_url=web + ".patch",
        issue_url=f"{api}/issues/{pull.number}",
        commits_url=f"{api}/pulls/{pull.number}/commits",
        review_comments_url=f"{api}/pulls/{pull.number}/comments",
        comments_url=f"{api}/issues/{pull.number}/comments",
        statuses_url=f"{api}/statuses/{head_sha}",
        number=pull.number,
        state=pull.state,
        locked=issue.locked,
        title=issue.title,
        user=fake.user_json(pull.user),
        labels=issue_data["labels"],
        milestone=None,
        active_lock_reason=None,
        created_at=issue_data["created_at"],
        updated_at=issue_data["updated_at"],
        closed_at=issue_data["closed_at"],
        merged_at=None,
        merge_commit_sha=None,
        assignee=None,
        assignees=[],
        requested_reviewers=[],
        requested_teams=[],
        head=_branch_json(fake, repo, data["head"], pull.head, head_sha),
        base=_branch_json(fake, repo, data["base"], pull.base, git.branches.get(pull.base, "0" * 40)),
        author_association=issue.author_association,
        auto_merge=None,
        draft=False,
    )
    for key in ("body", "body_text", "body_html"):
        data.pop(key, None)
    data.update(fake._bodies(issue.body, accept))  # the media type github3.py asks for
    data["_links"] = {
        name: {"href": href}
        for name, href in {
            "self": f"{api}/pulls/{pull.number}",
            "html": web,
            "issue": f"{api}/issues/{pull.number}",
            "comments": f"{api}/issues/{pull.number}/comments",
            "review_comments": f"{api}/pulls/{pull.number}/comments",
            "review_comment": f"{api}/pulls/comments{{/number}}",
            "commits": f"{api}/pulls/{pull.number}/commits",
            "statuses": f"{api}/statuses/{head_sha}",
        }.items()
    }
    if not simple:
        changed = _changed(git, pull)
        data.update(
            merged=False,
            mergeable=True,
            rebaseable=True,
            mergeable_state="clean",
            merged_by=None,
            comments=issue_data["comments"],
            review_comments=0,
            maintainer_can_modify=False,
            commits=_count_commits(git, pull),
            additions=0,
            deletions=0,
            changed_files=len(changed),
        )
    return data


def _changed(git: GitData, pull: Pull) -> list[str]:
    if pull.head not in git.branches or pull.base not in git.branches:
        return []
    head, base = git.files(pull.head), git.files(pull.base)
    return sorted(p for p in set(head) | set(base) if head.get(p) != base.get(p))


def _count_commits(git: GitData, pull: Pull) -> int:
    base = git.branches.get(pull.base)
    sha, count = git.branches.get(pull.head), 0
    while sha is not None and sha != base and count < 1000:
        count += 1
        sha = git.commits[sha].parent
    return count


def changed_files(fake: FakeGitHub, repo: FakeRepo, number: int) -> dict[str, str | None]:
    """What pull request NUMBER changes against its base: path → text on its head (None: deleted)."""
    with fake.lock:
        git = git_data(fake, repo)
        pull = git.pulls[number]
        head = git.files(pull.head)
        return {p: (head[p].decode("utf-8") if p in head else None) for p in _changed(git, pull)}


def pulls(fake: FakeGitHub, repo: FakeRepo) -> list[Pull]:
    with fake.lock:
        return list(git_data(fake, repo).pulls.values())


# -- routes -------------------------------------------------------------------------------------


def route(fake: FakeGitHub, call: Call, repo: FakeRepo, params: dict[str, str], token: Token) -> Any:
    """Answer one request to a template of :data:`TEMPLATES`: a ``_Reply`` (raised or returned)."""
    from tests.support.fake_github.server import _error, _Reply, _validation_failed

    git = git_data(fake, repo)
    template, method, body = call.template, call.method, call.body
    if template in ("/repos/{owner}/{repo}/git/ref/{ref}", "/repos/{owner}/{repo}/git/refs/{ref}"):
        ref = unquote(params["ref"])
        branch = ref.removeprefix("heads/")
        if not ref.startswith("heads/") or branch not in git.branches:
            raise _error(404, "Not Found")
        if method == "PATCH":
            if body["sha"] not in git.commits:
                raise _validation_failed("Reference", "sha", "invalid")
            git.branches[branch] = body["sha"]
        return _Reply(200, ref_json(fake, repo, branch, git.branches[branch]))
    if template == "/repos/{owner}/{repo}/git/refs":
        ref = str(body["ref"])
        if not ref.startswith("refs/heads/") or body["sha"] not in git.commits:
            raise _error(422, "Reference update failed")
        branch = ref.removeprefix("refs/heads/")
        if branch in git.branches:
            raise _error(422, "Reference already exists")
        git.branches[branch] = body["sha"]
        return _Reply(201, ref_json(fake, repo, branch, body["sha"]))
    if template == "/repos/{owner}/{repo}/contents/{path}":
        path = unquote(params["path"])
        if method == "GET":
            branch = (call.query.get("ref") or [git.default_branch])[-1]
            if branch not in git.branches or path not in git.files(branch):
                raise _error(404, "Not Found")
            return _Reply(200, content_json(fake, repo, path, git.files(branch)[path], branch))
        branch = body.get("branch") or git.default_branch
        if branch not in git.branches:
            raise _error(404, f"Branch {branch} not found")
        files = dict(git.files(branch))
        existing = files.get(path)
        if existing is not None and "sha" not in body:
            raise _error(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
        if existing is not None and body["sha"] != blob_sha(existing):
            raise _error(409, f"{path} does not match {body['sha']}")
        if existing is None and "sha" in body:
            raise _error(422, "sha given for a file that does not exist")
        data = base64.b64decode(body["content"])
        files[path] = data
        made = git.commit(files, git.branches[branch], body["message"], token.actor.login)
        git.branches[branch] = made.sha
        return _Reply(
            201 if existing is None else 200, file_commit_json(fake, repo, path, data, branch, made)
        )
    if template == "/repos/{owner}/{repo}/pulls":
        if method == "GET":
            state = (call.query.get("state") or ["open"])[-1]
            head = (call.query.get("head") or [""])[-1]
            base = (call.query.get("base") or [""])[-1]
            found = [
                p
                for p in git.pulls.values()
                if (state == "all" or p.state == state)
                and (not head or head == f"{repo.owner}:{p.head}" or head == p.head)
                and (not base or base == p.base)
            ]
            found.sort(key=lambda p: p.number, reverse=True)
            items = [
                pull_json(fake, repo, p, repo.issues[p.number], simple=True, accept=call.accept)
                for p in found
            ]
            return fake._page(call.path, call.query, items)
        head = str(body["head"]).split(":", 1)[-1]
        base = str(body["base"])
        if head not in git.branches or base not in git.branches:
            raise _validation_failed("PullRequest", "head" if head not in git.branches else "base", "invalid")
        if any(p.head == head and p.base == base and p.state == "open" for p in git.pulls.values()):
            raise _error(
                422,
                "Validation Failed",
                errors=[
                    {
                        "resource": "PullRequest",
                        "code": "custom",
                        "message": f"A pull request already exists for {repo.owner}:{head}.",
                    }
                ],
            )
        if git.branches[head] == git.branches[base]:
            raise _error(
                422,
                "Validation Failed",
                errors=[
                    {
                        "resource": "PullRequest",
                        "code": "custom",
                        "message": f"No commits between {base} and {head}",
                    }
                ],
            )
        issue = fake.open_issue(
            repo,
            title=str(body.get("title") or head),
            body=body.get("body"),
            author=token.actor,
            pull_request=True,
        )
        created = Pull(issue.number, head, base, token.actor)
        git.pulls[issue.number] = created
        return _Reply(201, pull_json(fake, repo, created, issue, accept=call.accept))
    known = git.pulls.get(int(params["pull_number"]))
    if known is None:
        raise _error(404, "Not Found")
    pull, issue = known, repo.issues[known.number]
    if method == "PATCH":
        if body.get("title") is not None:
            issue.title = str(body["title"])
        if "body" in body:
            issue.body = body["body"]
        if body.get("state") in ("open", "closed"):
            pull.state = issue.state = body["state"]
        issue.updated_at = fake.tick()
    return _Reply(200, pull_json(fake, repo, pull, issue, accept=call.accept))

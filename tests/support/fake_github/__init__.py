"""A local GitHub for tests: a REST server checked against GitHub's OpenAPI description, and
webhook payloads adapted from real examples. See server.py, events.py and fixtures.py."""

from tests.support.fake_github.events import issue_comment_event, issues_event, write_event
from tests.support.fake_github.server import (
    Call,
    FakeComment,
    FakeGitHub,
    FakeIssue,
    FakeRepo,
    FakeUser,
    Fault,
)

__all__ = [
    "Call",
    "FakeComment",
    "FakeGitHub",
    "FakeIssue",
    "FakeRepo",
    "FakeUser",
    "Fault",
    "issue_comment_event",
    "issues_event",
    "write_event",
]

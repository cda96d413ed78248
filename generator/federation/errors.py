"""The typed errors of federation: the CLI turns them into messages."""

from __future__ import annotations


class FederationError(Exception):
    """Something about one peer, said so that a maintainer knows what to do."""

    def __init__(self, peer: str, message: str) -> None:
        self.peer = peer
        self.message = message
        super().__init__(f"{peer}: {message}")


class DownloadError(FederationError):
    """The export could not be downloaded within the limits (time, size, redirects, scheme)."""


class ExportRefused(FederationError):
    """The export was downloaded but may not be used: not JSON, another major version, not the
    published schema, or a value that breaks the content rules."""

    def __init__(self, peer: str, message: str, details: list[str] | None = None) -> None:
        self.details = list(details or [])
        super().__init__(peer, message)


class SnapshotError(FederationError):
    """A committed snapshot is unreadable or breaks the rules (edited by hand, or corrupted)."""

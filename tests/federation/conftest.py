"""Fixtures of the federation tests: a local peer server and small demo exports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from generator.content.export import DirectoryExport
from tests.support.peers import PeerServer, demo_export, serve_peers


@pytest.fixture
def peer_server() -> Iterator[PeerServer]:
    yield from serve_peers()


@pytest.fixture(scope="session")
def river_export(tmp_path_factory: pytest.TempPathFactory) -> DirectoryExport:
    """A peer's export: 20 fictional mentors of a demo network."""
    folder = tmp_path_factory.mktemp("river") / "content"
    return demo_export(folder, 20, 2, seed=21, site_url="https://river.invalid/directory")


@pytest.fixture(scope="session")
def hill_export(tmp_path_factory: pytest.TempPathFactory) -> DirectoryExport:
    folder = tmp_path_factory.mktemp("hill") / "content"
    return demo_export(folder, 12, 2, seed=22, site_url="https://hill.invalid/directory")

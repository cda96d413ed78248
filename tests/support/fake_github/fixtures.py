"""pytest fixtures for the fake GitHub (imported by tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fake_github.openapi import Contract, load_contract
from tests.support.fake_github.server import FakeGitHub

REPOSITORY = "mentormemed/requests"


@pytest.fixture(scope="session")
def github_contract() -> Contract:
    """GitHub's OpenAPI contract for the implemented routes, read once per session."""
    return load_contract()


def _serve(contract: Contract, prefix: str) -> Iterator[FakeGitHub]:
    fake = FakeGitHub(prefix=prefix, contract=contract)
    fake.add_repo(REPOSITORY)
    with fake:
        yield fake
    assert not fake.contract_errors, "requests or answers broke GitHub's OpenAPI contract:\n" + "\n".join(
        fake.contract_errors
    )


@pytest.fixture
def fake_github(github_contract: Contract) -> Iterator[FakeGitHub]:
    """A started fake github.com API with one repository, `mentormemed/requests`, and the
    GITHUB_TOKEN of `github-actions[bot]` (`fake_github.env()` gives the Actions variables).
    Fails the test if any request or answer broke the OpenAPI contract."""
    yield from _serve(github_contract, "")


@pytest.fixture
def fake_ghes(github_contract: Contract) -> Iterator[FakeGitHub]:
    """The same on a GitHub Enterprise Server path: GITHUB_API_URL ends in /api/v3."""
    yield from _serve(github_contract, "/api/v3")

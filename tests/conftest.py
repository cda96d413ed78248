"""Shared fixtures: paths and a small valid content tree to build cases on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

# The local GitHub (tests/fake_github/): fake_github, fake_ghes, github_contract.
from tests.fake_github.fixtures import fake_ghes, fake_github, github_contract  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture
def base_content(tmp_path: Path) -> Path:
    """A copy of tests/cases/base: one valid program and one valid mentor."""
    target = tmp_path / "content"
    shutil.copytree(CASES / "base", target)
    return target

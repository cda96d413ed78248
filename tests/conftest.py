"""Shared fixtures: paths and a small valid content tree to build cases on."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.paths import CASES

# Fixtures of the helpers: the local GitHub (fake_github, fake_ghes, github_contract) and the
# built, served sample sites with a headless Chromium (built_site, content_site, page, …).
# The suite's clock (generator.core.clock): fixtures were written with last_confirmed dates of
# 2024-25, and a profile turns stale 12 months after it (docs/freshness.md). Pinned, the suite
# does not change its results as the calendar moves on; freshness tests set their own dates.
os.environ.setdefault("MENTORMEMED_TODAY", "2024-12-01")

pytest_plugins = ["tests.support.fake_github.fixtures", "tests.support.site"]


@pytest.fixture
def base_content(tmp_path: Path) -> Path:
    """A copy of tests/cases/base: one valid program and one valid mentor."""
    target = tmp_path / "content"
    shutil.copytree(CASES / "base", target)
    return target


#: Fixtures that start Chromium: a test that uses one is a browser test.
BROWSER_FIXTURES = {"browser", "page"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives Chromium ``browser`` (``make test-fast`` leaves them out)."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)

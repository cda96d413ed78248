"""Shared fixtures: one built sample site per session, served on 127.0.0.1."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from generator.content.export import DirectoryExport, build_export
from generator.content.validation import validate_content
from generator.content.vocabulary import vocabulary
from generator.demo.network import write_network
from generator.site.build import build
from generator.site.serve import serve_in_thread
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.paths import CASES, ROOT

SITE_URL = "https://site.invalid/directory"
REPOSITORY_URL = "https://github.com/mentormemed-example/network"
DEMO_MENTORS = 60
DEMO_PROGRAMS = 5


@pytest.fixture(scope="session")
def sample_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic network from `mentormemed demo-data`, plus the base test case."""
    content = tmp_path_factory.mktemp("network") / "content"
    write_network(content, DEMO_MENTORS, DEMO_PROGRAMS, seed=11)
    shutil.copytree(CASES / "base", content, dirs_exist_ok=True)
    return content


@pytest.fixture(scope="session")
def built_site(sample_content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("site") / "output"
    build(sample_content, output, site_url=SITE_URL, repository_url=REPOSITORY_URL)
    return output


@pytest.fixture(scope="session")
def sample_export(sample_content: Path) -> DirectoryExport:
    """The public export of ``sample_content`` (what the site is built from)."""
    result = validate_content(sample_content)
    result.raise_for_problems()
    return build_export(result.programs, result.mentors, SITE_URL, vocabulary())


@pytest.fixture(scope="session")
def content_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own sample network, content/, built."""
    output = tmp_path_factory.mktemp("content-site") / "output"
    build(ROOT / "content", output, site_url=SITE_URL, repository_url=REPOSITORY_URL)
    return output


@pytest.fixture(scope="session", params=["demo", "content"])
def any_site(request: pytest.FixtureRequest) -> Iterator[Path]:
    yield request.getfixturevalue("built_site" if request.param == "demo" else "content_site")


# --------------------------------------------------------------------------- browser


@dataclass
class Served:
    """A built site served on 127.0.0.1, and every request the browser made to anywhere."""

    root: Path
    base: str
    requests: list[str] = field(default_factory=list)


@contextlib.contextmanager
def serving(site: Path) -> Iterator[Served]:
    """``site`` served on 127.0.0.1 while the block runs."""
    server, base = serve_in_thread(site)
    try:
        yield Served(site, base)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_site(built_site: Path) -> Iterator[Served]:
    with serving(built_site) as served:
        yield served


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Debian Chromium for the whole session (never a downloaded browser)."""
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, served_site: Served) -> Iterator[Page]:
    """A fresh page at 1280 × 900; fails the test on a script error or console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.on("request", lambda request: served_site.requests.append(request.url))
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    new_page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield new_page
    finally:
        context.close()
    assert errors == [], errors

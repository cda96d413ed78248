"""Federation end to end: two real peer sites, built from demo networks by `mentormemed build`
and served on 127.0.0.1, and an aggregator that fetches their directory.json into snapshots
and builds one directory over them; Chromium finds a peer mentor in the directory and in
/match/, on a page that names its network and whose request link opens that network's form."""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, expect

from generator.cli import cli
from generator.core.cache import default_cache_dir
from generator.demo.network import write_network
from generator.site.build import build
from generator.site.match_pack import read_match_mentors
from generator.site.serve import serve_in_thread
from tests.support.browser import SCREENSHOTS, axe_violations
from tests.support.paths import CASES
from tests.support.peers import peer_entry, write_federation
from tests.support.rebuilds import assert_same_as_clean_build

AGGREGATOR_URL = "https://aggregator.invalid/directory"
PEERS = {"river": ("River Mentoring Network", 11), "hill": ("Hill Consortium", 12)}


@dataclass
class Federated:
    """The aggregator's content, snapshots and built site, served; and each peer's export."""

    content: Path
    snapshots: Path
    site: Path
    base: str
    exports: dict[str, dict[str, Any]]
    fetch_output: str
    build_output: str


def _peer_site(root: Path, peer_id: str, seed: int) -> Path:
    content = root / peer_id / "content"
    write_network(content, 40, 3, seed)
    output = root / peer_id / "site"
    build(
        content,
        output,
        site_url=f"https://{peer_id}.invalid/directory",
        repository_url=f"https://github.com/mmm-sample-{peer_id}/directory",
    )
    return output


@pytest.fixture(scope="module")
def federated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Federated]:
    root = tmp_path_factory.mktemp("federation")
    servers = []
    sources = []
    exports = {}
    try:
        for peer_id, (_, seed) in PEERS.items():
            site = _peer_site(root, peer_id, seed)
            exports[peer_id] = json.loads((site / "directory.json").read_text(encoding="utf-8"))
            server, base = serve_in_thread(site)
            servers.append(server)
            sources += ["--source", f"{peer_id}={base}directory.json"]
        content = root / "aggregator" / "content"
        shutil.copytree(CASES / "base", content)
        write_federation(content, [peer_entry(p, name) for p, (name, _) in PEERS.items()])
        snapshots = root / "aggregator" / "federation"
        runner = CliRunner()
        fetched = runner.invoke(
            cli,
            [
                "federation",
                "fetch",
                "--content",
                str(content),
                "--federation",
                str(snapshots),
                "--allow-loopback-http",
                *sources,
            ],
        )
        assert fetched.exit_code == 0, fetched.output
        site = root / "aggregator" / "site"
        built = runner.invoke(
            cli,
            [
                "build",
                "--content",
                str(content),
                "--federation",
                str(snapshots),
                "--output",
                str(site),
                "--site-url",
                AGGREGATOR_URL,
                "--no-cache",
            ],
        )
        assert built.exit_code == 0, built.output
        server, base = serve_in_thread(site)
        servers.append(server)
        yield Federated(content, snapshots, site, base, exports, fetched.output, built.output)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def agg_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield page
    finally:
        context.close()
    assert errors == [], errors


def _peer_mentor(federated: Federated, peer: str = "river", accepting: bool = True) -> dict[str, Any]:
    return next(m for m in federated.exports[peer]["mentors"] if m["accepting"] is accepting)


# --------------------------------------------------------------------------- files


def test_fetch_and_build_report_the_peers(federated: Federated) -> None:
    assert "river: new (40 mentors; 40 added, 0 removed, 0 changed)" in federated.fetch_output
    assert "hill: new (40 mentors" in federated.fetch_output
    assert "Built 1 mentor(s), 1 program(s), and 80 mentor(s) of 2 peer network(s)," in federated.build_output


def test_directory_json_stays_the_local_export_and_match_has_everyone(federated: Federated) -> None:
    local = json.loads((federated.site / "directory.json").read_text(encoding="utf-8"))
    assert [m["id"] for m in local["mentors"]] == ["ana-example"] or len(local["mentors"]) == 1
    match = read_match_mentors(federated.site)
    ids = {m["id"] for m in match["mentors"]}
    for peer, export in federated.exports.items():
        assert {f"{peer}--{m['id']}" for m in export["mentors"]} <= ids
    # public fields only: what the match page reads is what the peer published
    assert set().union(*(m.keys() for m in match["mentors"])) <= {
        "id", "name", "program", "profession", "stage", "specialties", "areas", "affinities",
        "languages", "meeting", "state", "timezone", "capacity", "accepting",
    }  # fmt: skip


def test_peer_pages_exist_but_only_local_pages_are_in_the_sitemap(federated: Federated) -> None:
    mentor = _peer_mentor(federated)
    assert (federated.site / "mentors" / f"river--{mentor['id']}" / "index.html").is_file()
    sitemaps = " ".join(p.read_text(encoding="utf-8") for p in federated.site.glob("sitemap*.xml"))
    assert "river--" not in sitemaps and "hill--" not in sitemaps


# --------------------------------------------------------------------------- browser


def _normalise(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def _server_card(page: Page, federated: Federated, mentor_id: str) -> str:
    """The card the server rendered for ``mentor_id`` on whichever directory page lists it."""
    pages = sorted(federated.site.glob("directory/**/index.html"))
    for path in pages:
        if f'id="m-{mentor_id}"' in path.read_text(encoding="utf-8"):
            rel = path.parent.relative_to(federated.site).as_posix()
            page.goto(f"{federated.base}{rel}/")
            html = page.eval_on_selector(f"#m-{mentor_id}", "e => e.outerHTML")
            return _normalise(str(html).replace('href="../../../', 'href="../'))
    raise AssertionError(f"{mentor_id} is on no directory page")


def test_a_peer_mentor_is_found_by_search_with_its_network(agg_page: Page, federated: Federated) -> None:
    mentor = _peer_mentor(federated, "hill")
    agg_page.goto(federated.base + "directory/")
    expect(agg_page.locator("#results > li.card").first).to_be_visible()
    agg_page.locator("#q").fill(mentor["name"].split(",")[0])
    card = agg_page.locator(f"#m-hill--{mentor['id']}")
    expect(card).to_be_visible()
    expect(card.locator(".provenance")).to_contain_text("From Hill Consortium, as of ")
    built = _normalise(card.evaluate("e => e.outerHTML"))
    assert built == _server_card(agg_page, federated, f"hill--{mentor['id']}")  # as the macro renders it
    agg_page.goto(federated.base + "directory/")
    agg_page.locator("#q").fill(mentor["name"].split(",")[0])
    card.locator(".card-name a").click()
    expect(agg_page).to_have_url(f"{federated.base}mentors/hill--{mentor['id']}/")


def test_a_peer_mentor_page_names_its_network_and_requests_on_its_form(
    agg_page: Page, federated: Federated
) -> None:
    mentor = _peer_mentor(federated)
    agg_page.goto(f"{federated.base}mentors/river--{mentor['id']}/")
    expect(agg_page.locator("header .provenance")).to_contain_text("From River Mentoring Network, as of ")
    link = agg_page.locator("#request-link")
    href = link.get_attribute("href") or ""
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://github.com/mmm-sample-river/directory/issues/new"
    )
    assert parse_qs(parts.query) == {"template": ["mentor-request.yml"], "mentors": [mentor["id"]]}
    expect(agg_page.locator("#request-hint")).to_contain_text("the request form of River Mentoring Network")
    network = agg_page.locator("dt:text-is('Network') + dd a")
    expect(network).to_have_attribute("href", mentor["url"])
    assert axe_violations(agg_page) == []


def test_a_peer_mentor_is_matched_on_the_match_page(agg_page: Page, federated: Federated) -> None:
    mentor = _peer_mentor(federated)
    agg_page.goto(federated.base + "match/")
    expect(agg_page.locator("#match-app[data-ready='true']")).to_have_count(1)
    need = mentor["areas"][0]
    agg_page.locator(f"#m-needs-{need}").check()
    agg_page.fill("#m-mentors", f"river--{mentor['id']}")
    agg_page.locator("#match-submit").click()
    expect(agg_page.locator("#match-result")).to_be_visible()
    hrefs = agg_page.locator("#match-team > li .card-name a").evaluate_all("links => links.map(a => a.href)")
    assert f"{federated.base}mentors/river--{mentor['id']}/" in hrefs
    assert all("/mentors/river--" in h or "/mentors/hill--" in h or "/mentors/ana-" in h for h in hrefs)
    peer_card = agg_page.locator(
        "#match-team > li", has=agg_page.locator(f"a[href$='/mentors/river--{mentor['id']}/']")
    )
    expect(peer_card.locator(".provenance")).to_have_text(
        "From River Mentoring Network: request this mentor from their page, on their network's form."
    )
    assert axe_violations(agg_page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    peer_card.screenshot(path=str(SCREENSHOTS / "federated-match-card-1280.png"))
    # this network's form cannot take a peer's mentor: the team link names none of them
    query = parse_qs(urlsplit(agg_page.locator("#match-request").get_attribute("href") or "").query)
    assert "--" not in query.get("mentors", [""])[0]


@pytest.mark.parametrize("width", [360, 1280])
def test_axe_and_screenshots_with_peers(agg_page: Page, federated: Federated, width: int) -> None:
    agg_page.set_viewport_size({"width": width, "height": 900})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    mentor = _peer_mentor(federated)
    for name, path in (
        ("federated-directory", "directory/"),
        ("peer-mentor", f"mentors/river--{mentor['id']}/"),
    ):
        agg_page.goto(federated.base + path)
        expect(agg_page.locator("main")).to_be_visible()
        assert axe_violations(agg_page) == [], name
        overflow = agg_page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        target = SCREENSHOTS / f"{name}-{width}.png"
        agg_page.screenshot(path=str(target), full_page=name == "peer-mentor")
        assert target.stat().st_size > 5_000
    # the first cards of the directory, where a peer's mentor shows its network
    agg_page.goto(federated.base + "directory/")
    cards = agg_page.locator("#results > li.card:has(.provenance)").first
    cards.scroll_into_view_if_needed()
    cards.screenshot(path=str(SCREENSHOTS / f"federated-card-{width}.png"))


def test_a_bio_edit_is_patched_with_the_peers_merged_in(
    federated: Federated, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A patch with peers: the people index holds their mentors too, directory.json only this
    network's; the patched output is what a build of the same content and snapshots writes."""
    content = tmp_path / "content"
    shutil.copytree(federated.content, content)
    site = tmp_path / "site"
    cache = default_cache_dir(site)
    build(content, site, cache_dir=cache, federation=federated.snapshots, site_url=AGGREGATOR_URL)
    mentor = sorted((content / "mentors").rglob("*.yml"))[0]
    text = mentor.read_text(encoding="utf-8")
    assert "\nbio: |\n  " in text
    mentor.write_text(text.replace("\nbio: |\n  ", "\nbio: |\n  Quillwort gardening.\n  ", 1), "utf-8")
    with caplog.at_level(logging.INFO):
        built = build(content, site, cache_dir=cache, federation=federated.snapshots, site_url=AGGREGATOR_URL)
    assert built.patched_bios == 1 and built.peers == len(PEERS) and built.peer_mentors > 0
    assert "a build, not a patch" not in caplog.text
    assert_same_as_clean_build(
        content, site, tmp_path, federation=federated.snapshots, site_url=AGGREGATOR_URL
    )

"""The pages and downloads built from a request ledger, and the stale markers, in real builds of
the repository's content with its fixture ledger (content/ledger.sample.json)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from generator.content.validation import load_network
from generator.requests.ledger import SMALL_CELL
from generator.site.build import SiteBuildError, build
from generator.site.match_pack import read_match_mentors
from generator.site.serve import serve_in_thread
from tests.support.browser import SCREENSHOTS, axe_violations
from tests.support.htmlscan import parse
from tests.support.paths import ROOT
from tests.support.site import REPOSITORY_URL, SITE_URL

LEDGER = ROOT / "content" / "ledger.sample.json"
#: The day the fixture ledger was made: profiles confirmed before 15 March 2025 are stale.
AS_OF = dt.date(2026, 3, 15)
#: Roster figures are facts of the directory (each mentor's page shows them): not counts of
#: mentees, so the small-cell rule does not apply to them.
ROSTER = {"mentors", "accepting", "stale", "urim_mentors", "pledged_places"}
SHARES = {"urim_share_of_pool", "urim_share_of_load", "indicator", "days_to_first_accept"}


@pytest.fixture(scope="module")
def network():
    return load_network(ROOT / "content")


@pytest.fixture(scope="module")
def ledger_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("ledger-site") / "output"
    build(
        ROOT / "content", output, site_url=SITE_URL, repository_url=REPOSITORY_URL, ledger=LEDGER, as_of=AS_OF
    )
    return output


def _sitemap(site: Path) -> set[str]:
    return set(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))


def test_the_pages_are_built_and_in_the_sitemap(ledger_site: Path, network) -> None:
    listed = _sitemap(ledger_site)
    expected = ["outcomes/", "reports/", *[f"reports/{p}/" for p in network.programs]]
    public = [m for m in network.mentors.values() if m.recognition == "public"]
    assert len(public) == 4
    for m in public:
        years = sorted(p.name for p in (ledger_site / "mentors" / m.id / "record").iterdir() if p.is_dir())
        assert years == ["2024-25", "2025-26"], m.id  # two academic years of pairs in the fixture
        expected += [f"mentors/{m.id}/record/{y}/" for y in years]
    for path in expected:
        assert (ledger_site / path / "index.html").is_file(), path
        assert f"{SITE_URL}/{path}" in listed, path
    for name in [
        "outcomes/outcomes.csv",
        "outcomes/outcomes.json",
        "reports/_network.csv",
        "reports/_network.json",
    ]:
        assert (ledger_site / name).is_file(), name


def test_private_recognition_never_appears_on_the_site(ledger_site: Path, network) -> None:
    private = [m.id for m in network.mentors.values() if m.recognition == "private"]
    assert len(private) > 80
    texts = {
        p: p.read_text(encoding="utf-8", errors="replace")
        for p in ledger_site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".json", ".csv", ".xml"}
    }
    for mentor_id in private:
        assert not (ledger_site / "mentors" / mentor_id / "record").exists(), mentor_id
        page = texts[ledger_site / "mentors" / mentor_id / "index.html"]
        assert "Mentoring record" not in page, mentor_id
        needle = f"mentors/{mentor_id}/record"
        assert not [p for p, t in texts.items() if needle in t], mentor_id
    public_page = texts[ledger_site / "mentors" / "rafael-dominguez" / "index.html"]
    assert "Mentoring record" in public_page and "record/2025-26/" in public_page
    # the field itself is not published either
    assert '"recognition"' not in texts[ledger_site / "directory.json"]


def _count_values(data: object, key: str = "") -> Iterator[tuple[str, object]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _count_values(v, k)
    elif isinstance(data, list):
        for v in data:
            yield from _count_values(v, key)
    else:
        yield key, data


def test_no_small_cell_in_any_download(ledger_site: Path) -> None:
    files = [ledger_site / "outcomes" / "outcomes.json", *sorted((ledger_site / "reports").glob("*.json"))]
    suppressed = published = 0
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        for section in ("tables", "years"):
            for key, value in _count_values(data.get(section, [])):
                if key in SHARES or not isinstance(value, int) or isinstance(value, bool):
                    continue
                assert value >= SMALL_CELL, (path.name, key, value)
                published += 1
        suppressed += json.dumps(data).count("null")
        places = data.get("roster", {}).get("places_in_use")
        assert places is None or places >= SMALL_CELL
    assert published > 100 and suppressed > 20  # the fixture has both kinds
    for path in [ledger_site / "outcomes" / "outcomes.csv", *sorted((ledger_site / "reports").glob("*.csv"))]:
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        for row in rows:
            for name, value in row.items():
                figure = row.get("figure", "")
                if (
                    figure in ROSTER
                    or name in SHARES
                    or row.get("key") in SHARES
                    or not value
                    or not value.isdigit()
                ):
                    continue
                assert int(value) >= SMALL_CELL, (path.name, row)


def test_no_small_cell_in_the_pages_tables(ledger_site: Path) -> None:
    pages = [ledger_site / "outcomes" / "index.html", *sorted((ledger_site / "reports").glob("*/index.html"))]
    checked = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        for table in re.findall(r'<table class="figures">(.*?)</table>', html, re.S):
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
                cells = re.findall(r"<td>(.*?)</td>", row, re.S)
                if "Median" in table and cells:
                    cells = cells[:-1]  # days, not people
                for text in cells:
                    text = re.sub(r"<[^>]+>", "", text).strip()
                    if re.fullmatch(r"[\d,]+", text):
                        assert int(text.replace(",", "")) >= SMALL_CELL, (path, text)
                        checked += 1
    assert checked > 100


def test_a_records_checksum_is_that_of_its_published_json(ledger_site: Path) -> None:
    page = (ledger_site / "mentors/yolanda-brathwaite/record/2024-25/index.html").read_text(encoding="utf-8")
    shown = re.search(r"sha256:[0-9a-f]{64}", page)
    assert shown is not None
    data = (ledger_site / "mentors/yolanda-brathwaite/record/2024-25.json").read_bytes()
    assert shown.group(0) == "sha256:" + hashlib.sha256(data).hexdigest()
    record = json.loads(data)
    assert record["url"] == f"{SITE_URL}/mentors/yolanda-brathwaite/record/2024-25/"
    assert record["mentees_mentored"] > 0 and record["complete"] is True


def test_stale_profiles_are_marked_and_left_out_of_the_match_page(ledger_site: Path, network) -> None:
    stale = {m.id for m in network.mentors.values() if m.last_confirmed < dt.date(2025, 3, 15)}
    fresh = set(network.mentors) - stale
    assert stale and fresh
    assert any(network.mentors[m].accepting for m in stale)  # the paused badge is exercised
    matchable = {m["id"] for m in read_match_mentors(ledger_site)["mentors"]}
    assert matchable == fresh
    listed = {m["id"] for m in json.loads((ledger_site / "directory.json").read_text())["mentors"]}
    assert listed == stale | fresh  # still listed, marked
    for mentor_id in stale:
        page = parse(ledger_site, ledger_site / "mentors" / mentor_id / "index.html")
        when = network.mentors[mentor_id].last_confirmed.strftime("%B %Y")
        assert f"Not confirmed since {when}" in " ".join(page.text), mentor_id
        assert "request-link" not in page.ids
        html = (ledger_site / "mentors" / mentor_id / "index.html").read_text()
        # the badge does not say "accepting" beside a note saying the network does not suggest them
        assert "Accepting new mentees" not in html, mentor_id
        if network.mentors[mentor_id].accepting:
            assert "Paused until the profile is confirmed" in html, mentor_id
    for mentor_id in fresh:
        html = (ledger_site / "mentors" / mentor_id / "index.html").read_text()
        assert "Not confirmed since" not in html and "Paused until" not in html
        if network.mentors[mentor_id].accepting:
            assert "Accepting new mentees" in html, mentor_id


def test_without_a_ledger_there_are_no_ledger_pages(built_site: Path) -> None:
    assert not (built_site / "outcomes").exists() and not (built_site / "reports").exists()
    assert "outcomes/" not in (built_site / "sitemap.xml").read_text()


def test_an_unreadable_ledger_fails_the_build_naming_the_file_and_leaves_the_output(tmp_path: Path) -> None:
    bad = tmp_path / "ledger.json"
    bad.write_text(
        '{"version": 1, "generated_at": "2026-01-01T00:00:00Z", "source": "x", "requests": [{"number": 0}]}'
    )
    output = tmp_path / "out"
    with pytest.raises(SiteBuildError, match=r"ledger\.json"):
        build(ROOT / "tests" / "cases" / "base", output, ledger=bad)
    assert not output.exists()
    with pytest.raises(SiteBuildError, match="no such ledger file"):
        build(ROOT / "tests" / "cases" / "base", output, ledger=tmp_path / "missing.json")


# --------------------------------------------------------------------------- in the browser


@pytest.mark.parametrize("width", [360, 1280])
def test_the_pages_pass_axe_and_fit_the_screen(browser: Browser, ledger_site: Path, width: int) -> None:
    server, base = serve_in_thread(ledger_site)
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shots = {
            "outcomes": "outcomes/",
            "reports": "reports/",
            "report": "reports/harborlight-som/",
            "record-mentor": "mentors/rafael-dominguez/",
            "record": "mentors/rafael-dominguez/record/2025-26/",
            "stale-mentor": "mentors/deshawn-guidry/",
        }
        for name, path in shots.items():
            page.goto(base + path)
            assert axe_violations(page) == [], path
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways at {width}px"
            page.screenshot(path=str(SCREENSHOTS / f"ledger-{name}-{width}.png"), full_page=True)
        page.emulate_media(media="print")
        page.goto(base + "mentors/rafael-dominguez/record/2025-26/")
        assert page.locator(".site-header").is_hidden()  # printed as a letter, not a web page
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2
        assert errors == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_cards_the_directory_builds_mark_stale_profiles_as_the_server_does(
    browser: Browser, ledger_site: Path
) -> None:
    """A search re-renders the cards in the browser (directory.js, from facets.json): a stale
    profile's card still says "Not confirmed since …" and offers no Request, as the page's own
    card does, byte for byte."""
    server, base = serve_in_thread(ledger_site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + "mentors/deshawn-guidry/")
        stale_note = page.locator("#stale-note")
        expect(stale_note).to_contain_text("Not confirmed since")
        pages = sorted(ledger_site.glob("directory/**/index.html"))
        holder = next(p for p in pages if 'id="m-deshawn-guidry"' in p.read_text(encoding="utf-8"))
        page.goto(base + holder.parent.relative_to(ledger_site).as_posix() + "/")
        card = page.locator("#m-deshawn-guidry")
        expect(card.locator(".stale-note")).to_contain_text("Not confirmed since")
        server_html = card.evaluate("e => e.outerHTML").replace('href="../../../', 'href="../')
        page.goto(base + "directory/")
        page.locator("#q").fill("Guidry")
        page.locator("#filters").evaluate("f => f.requestSubmit()")
        expect(page.locator("#result-count")).not_to_have_text("Searching…")
        built = page.locator("#m-deshawn-guidry")
        expect(built.locator(".stale-note")).to_contain_text("Not confirmed since")
        expect(built.locator(".card-actions")).to_have_count(0)

        def norm(html: str) -> str:
            return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()

        assert norm(built.evaluate("e => e.outerHTML")) == norm(server_html)
    finally:
        context.close()
        server.shutdown()
        server.server_close()

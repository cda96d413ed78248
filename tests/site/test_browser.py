"""The directory in a real browser (Debian Chromium through Playwright)."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from generator.content.export import DirectoryExport, PublicMentor
from generator.search.facets import (
    CARDS_PER_FILE,
    GROUP_FILE_AT,
    PAGE_SIZE,
    PROGRAM_PARAM,
    load_facet_files,
    value_file,
)
from generator.search.index import mentors_with_export, search
from generator.search.shards import load_search
from generator.site.serve import serve_in_thread
from tests.support.browser import SCREENSHOTS, axe_violations
from tests.support.site import REPOSITORY_URL, Served

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- an independent oracle


class Oracle:
    """What the directory should show, computed from directory.json and lunr.py."""

    def __init__(self, site: Path) -> None:
        self.export = DirectoryExport.model_validate_json(
            (site / "directory.json").read_text(encoding="utf-8")
        )
        self.site = site
        self.programs = {p.id: p for p in self.export.programs}
        # The documented default order: accepting first, then by the SHA-256 of the id.
        self.default_order = [
            m.id
            for m in sorted(
                self.export.mentors,
                key=lambda m: (not m.accepting, hashlib.sha256(m.id.encode()).hexdigest()),
            )
        ]
        self._hits: dict[str, dict[str, float]] = {}
        self._search = load_search(site / "search")
        self._mentors_with = mentors_with_export(self.export)

    def hits(self, q: str) -> dict[str, float] | None:
        """Search results from the Python search (the twin of the browser's)."""
        if not q:
            return None
        if q not in self._hits:
            self._hits[q] = dict(search(self._search, q, self._mentors_with))
        return self._hits[q]

    def values(self, mentor: PublicMentor, param: str) -> set[str]:
        if param == "state":
            return {mentor.state or self.programs[mentor.program].state}
        field = {
            "affinity": "affinities",
            "area": "areas",
            "specialty": "specialties",
            "language": "languages",
        }
        value = getattr(mentor, field.get(param, param))
        return {value} if isinstance(value, str) else set(value)

    def _passes(self, mentor: PublicMentor, selected: dict[str, set[str]], skip: str | None = None) -> bool:
        return all(
            not wanted or self.values(mentor, param) & wanted
            for param, wanted in selected.items()
            if param != skip
        )

    def results(self, q: str, selected: dict[str, set[str]], accepting: bool) -> list[str]:
        hits = self.hits(q)
        rank = {m: i for i, m in enumerate(self.default_order)}
        out = [
            m.id
            for m in self.export.mentors
            if (hits is None or m.id in hits) and (m.accepting or not accepting) and self._passes(m, selected)
        ]
        if hits is None:
            return sorted(out, key=rank.__getitem__)
        return sorted(out, key=lambda i: (-hits[i], rank[i]))

    def count(self, q: str, selected: dict[str, set[str]], accepting: bool, param: str, value: str) -> int:
        hits = self.hits(q)
        return sum(
            1
            for m in self.export.mentors
            if (hits is None or m.id in hits)
            and (m.accepting or not accepting)
            and self._passes(m, selected, skip=param)
            and value in self.values(m, param)
        )


@pytest.fixture(scope="module")
def oracle(served_site: Served) -> Oracle:
    return Oracle(served_site.root)


def _open_directory(page: Page, served: Served, query: str = "") -> None:
    page.goto(served.base + "directory/" + query)
    expect(page.locator("#filters")).to_be_visible()


def _visible(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "#results > li.card:not([hidden])", "els => els.map(e => e.id.slice(2))"
    )
    return ids


def _count_text(page: Page, param: str, value: str) -> str:
    return str(page.locator(f"label[for='f-{param}-{value}'] [data-count]").text_content())


def _show_all(page: Page) -> list[str]:
    """Press "Show more mentors" until every result is listed; the ids, in order."""
    button = page.locator("#show-more")
    while button.is_visible():
        before = page.locator("#results > li.card").count()
        button.click()
        expect(page.locator("#results > li.card")).not_to_have_count(before)
    return _visible(page)


def _expect_results(page: Page, wanted: list[str]) -> None:
    """The first page of results is listed, and every result after "Show more mentors"."""
    expect(page.locator("#results > li.card")).to_have_count(min(len(wanted), PAGE_SIZE))
    assert _visible(page) == wanted[:PAGE_SIZE]
    if len(wanted) > PAGE_SIZE:
        expect(page.locator("#show-more")).to_be_visible()
    else:
        expect(page.locator("#show-more")).to_be_hidden()


def _status(n: int, total: int) -> str:
    return (
        f"{n} of {total} mentors match" if n else "No mentor matches. Remove a filter or change the search."
    )


# --------------------------------------------------------------------------- behaviour


def test_search_filters_counts_url_reload_and_back(page: Page, served_site: Served, oracle: Oracle) -> None:
    total = len(oracle.export.mentors)
    _open_directory(page, served_site)
    expect(page.locator("#result-count")).to_have_text(f"{total} mentors")
    expect(page.locator("#result-count")).to_have_attribute("aria-live", "polite")
    _expect_results(page, oracle.default_order)

    page.locator("#q").fill("pediatrcs")  # a typo: still finds Pediatrics
    wanted = oracle.results("pediatrcs", {}, False)
    assert len(wanted) >= 3
    expect(page.locator("#result-count")).to_have_text(_status(len(wanted), total))
    _expect_results(page, wanted)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["pediatrcs"]}
    for value in ["en", "es"]:
        expect(page.locator(f"label[for='f-language-{value}'] [data-count]")).to_have_text(
            f"({oracle.count('pediatrcs', {}, False, 'language', value)})"
        )

    page.locator("details[data-group='language'] > summary").click()
    page.locator("#f-language-es").check()
    selected = {"language": {"es"}}
    wanted_es = oracle.results("pediatrcs", selected, False)
    assert 0 < len(wanted_es) < len(wanted)
    expect(page.locator("#result-count")).to_have_text(_status(len(wanted_es), total))
    _expect_results(page, wanted_es)
    # Within a group the choices are OR: English still shows how many it would add.
    assert (
        _count_text(page, "language", "en")
        == f"({oracle.count('pediatrcs', selected, False, 'language', 'en')})"
    )
    page.locator("details[data-group='meeting'] > summary").click()
    for value in ["virtual", "in-person"]:
        assert _count_text(page, "meeting", value) == (
            f"({oracle.count('pediatrcs', selected, False, 'meeting', value)})"
        )

    page.locator("#f-accepting").check()
    wanted_all = oracle.results("pediatrcs", selected, True)
    expect(page.locator("#result-count")).to_have_text(_status(len(wanted_all), total))
    _expect_results(page, wanted_all)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["pediatrcs"], "accepting": ["1"], "language": ["es"]}

    page.reload()
    expect(page.locator("#filters")).to_be_visible()
    expect(page.locator("#result-count")).to_have_text(_status(len(wanted_all), total))
    _expect_results(page, wanted_all)
    expect(page.locator("#q")).to_have_value("pediatrcs")
    expect(page.locator("#f-language-es")).to_be_checked()
    expect(page.locator("#f-accepting")).to_be_checked()

    page.go_back()  # accepting unticked
    expect(page.locator("#result-count")).to_have_text(_status(len(wanted_es), total))
    expect(page.locator("#f-accepting")).not_to_be_checked()
    _expect_results(page, wanted_es)
    page.go_back()  # Spanish unticked
    expect(page.locator("#result-count")).to_have_text(_status(len(wanted), total))
    expect(page.locator("#f-language-es")).not_to_be_checked()
    page.go_back()  # the search box empty again
    expect(page.locator("#result-count")).to_have_text(f"{total} mentors")
    expect(page.locator("#q")).to_have_value("")
    _expect_results(page, oracle.default_order)


def test_filters_and_across_groups_prefix_search_and_clear(
    page: Page, served_site: Served, oracle: Oracle
) -> None:
    total = len(oracle.export.mentors)
    _open_directory(page, served_site, "?area=board-exams&area=research&meeting=in-person")
    selected = {"area": {"board-exams", "research"}, "meeting": {"in-person"}}
    wanted = oracle.results("", selected, False)
    assert 0 < len(wanted) < total
    expect(page.locator("#result-count")).to_have_text(_status(len(wanted), total))
    _expect_results(page, wanted)
    expect(page.locator("details[data-group='area']")).to_have_attribute("open", "")
    expect(page.locator("details[data-group='area'] [data-selected]")).to_have_text("(2 selected)")

    page.locator("#q").fill("surg")  # a prefix of "surgery"
    wanted_q = oracle.results("surg", selected, False)
    expect(page.locator("#result-count")).to_have_text(_status(len(wanted_q), total))
    _expect_results(page, wanted_q)

    page.locator("#clear").click()
    expect(page.locator("#result-count")).to_have_text(f"{total} mentors")
    assert urlsplit(page.url).query == ""
    expect(page.locator("#q")).to_be_focused()


def test_keyboard_only_use(page: Page, served_site: Served, oracle: Oracle) -> None:
    _open_directory(page, served_site)
    order: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
              return {key: e.id || e.tagName.toLowerCase() + ':' + (e.textContent || '').trim().slice(0, 30),
                      outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""
        )
        assert info["outline"] != "none" and info["width"] >= 2, f"no visible focus on {info['key']}"
        order.append(info["key"])
        if info["key"] == "clear":
            break
    assert order[0] == "a:Skip to main content"
    summaries = [k for k in order if k.startswith("summary:")]
    assert [s.split(":", 1)[1].split(" (")[0] for s in summaries] == [
        "Shared affinity",
        "Can help with",
        "Specialty",
        "Career stage",
        "Profession",
        "Language",
        "Meets",
        "State",
    ]
    assert order.index("q") < order.index("f-accepting") < order.index(summaries[0]) < order.index("clear")

    # Open a group and tick a value with the keyboard alone.
    page.locator("details[data-group='meeting'] > summary").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#f-meeting-virtual")).to_be_focused()
    page.keyboard.press("Space")
    wanted = oracle.results("", {"meeting": {"virtual"}}, False)
    expect(page.locator("#result-count")).to_have_text(_status(len(wanted), len(oracle.export.mentors)))
    assert parse_qs(urlsplit(page.url).query) == {"meeting": ["virtual"]}


def _request_query(page: Page) -> dict[str, list[str]]:
    href = str(page.get_by_role("link", name="Request this mentor").get_attribute("href"))
    url = urlsplit(href)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{REPOSITORY_URL}/issues/new"
    return parse_qs(url.query)


def test_request_link_without_chosen_needs_names_the_mentor_only(
    page: Page, served_site: Served, oracle: Oracle
) -> None:
    """Issue 14: the mentor's whole list of areas is never pre-filled as the mentee's needs."""
    page.goto(served_site.base + "directory/")
    page.locator("#m-ana-example-name a").click()
    expect(page).to_have_url(served_site.base + "mentors/ana-example/")
    assert _request_query(page) == {"template": ["mentor-request.yml"], "mentors": ["ana-example"]}
    expect(page.locator("#request-hint")).to_contain_text("choose there the areas you want help with")


def test_request_link_carries_the_needs_chosen_in_the_directory(
    page: Page, served_site: Served, oracle: Oracle
) -> None:
    labels = oracle.export.vocabulary["areas"]
    mentor = next(m for m in oracle.export.mentors if m.id == "ana-example")
    # one area the mentor has and one it has not: the mentee's needs, not the mentor's list
    chosen = [mentor.areas[0], next(a for a in labels if a not in mentor.areas)]
    _open_directory(page, served_site, "?" + "&".join(f"area={a}" for a in chosen))
    link = page.locator("#m-ana-example-name a")
    # the card directory.js drew (its link carries the needs), not the server's it replaces
    expect(link).to_have_attribute("href", re.compile(r"\?area="))
    link.click()
    page.wait_for_url("**/mentors/ana-example/?*")
    in_order = [a for a in labels if a in chosen]  # the directory's (vocabulary) order
    assert _request_query(page) == {
        "template": ["mentor-request.yml"],
        "mentors": ["ana-example"],
        "needs": [",".join(labels[a] for a in in_order)],
    }
    expect(page.locator("#request-hint")).to_contain_text(", ".join(labels[a] for a in in_order))
    # the other filters and the search are not carried
    page.goto(served_site.base + "mentors/ana-example/?area=no-such-area&area=%3Cb%3E&language=es")
    assert "needs" not in _request_query(page)


def _page_ids(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all("#results > li.card", "els => els.map(e => e.id.slice(2))")
    return ids


def test_without_javascript_pages_of_results_reach_every_mentor_once(
    browser: Browser, served_site: Served, oracle: Oracle
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    total = len(oracle.export.mentors)
    count = math.ceil(total / PAGE_SIZE)
    assert count >= 3, "the sample network needs three pages for this test"
    try:
        page = context.new_page()
        page.goto(served_site.base + "directory/?q=nothing-matches-this")
        expect(page.locator("#filters")).to_be_hidden()  # it needs JavaScript
        expect(page.locator("#result-count")).to_have_text(f"{total} mentors")
        nav = page.get_by_role("navigation", name="Pages")
        expect(nav).to_contain_text(f"Page 1 of {count}")
        expect(nav.locator("[aria-current='page']")).to_have_text("Page 1")
        expect(nav.get_by_role("link", name="Previous page")).to_have_count(0)
        seen = _page_ids(page)
        assert len(seen) == PAGE_SIZE
        expect(page.locator("#results > li.card").first).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0

        nav.get_by_role("link", name="Page 2", exact=True).click()
        expect(page).to_have_url(served_site.base + "directory/page/2/")
        expect(page).to_have_title(re.compile(f"page 2 of {count}"))
        expect(page.locator("#filters")).to_have_count(0)  # only page 1 has the form
        expect(nav).to_contain_text(f"Page 2 of {count}")
        expect(nav.locator("[aria-current='page']")).to_have_text("Page 2")
        seen += _page_ids(page)
        assert len(seen) == 2 * PAGE_SIZE
        for number in range(3, count + 1):
            nav.get_by_role("link", name="Next page").click()
            expect(page).to_have_url(served_site.base + f"directory/page/{number}/")
            expect(nav.locator("[aria-current='page']")).to_have_text(f"Page {number}")
            ids = _page_ids(page)
            assert len(ids) == (PAGE_SIZE if number < count else total - PAGE_SIZE * (count - 1))
            seen += ids
        expect(nav.get_by_role("link", name="Next page")).to_have_count(0)  # the last page
        assert seen == oracle.default_order  # every mentor exactly once, in the default order
        nav.get_by_role("link", name="Previous page").click()
        expect(page).to_have_url(served_site.base + f"directory/page/{count - 1}/")
        nav.get_by_role("link", name="Page 1", exact=True).click()
        expect(page).to_have_url(served_site.base + "directory/")
        page.locator(".card-meta a").first.click()
        expect(page.locator("h1")).to_contain_text("Mentoring")
    finally:
        context.close()


def test_show_more_mentors(page: Page, served_site: Served, oracle: Oracle) -> None:
    total = len(oracle.export.mentors)
    _open_directory(page, served_site)
    # With JavaScript the page links are replaced by the button.
    expect(page.get_by_role("navigation", name="Pages")).to_have_count(0)
    more = page.get_by_role("button", name="Show more mentors")
    expect(more).to_be_visible()
    assert _visible(page) == oracle.default_order[:PAGE_SIZE]
    # A real button, reached and pressed with the keyboard, with a visible focus ring.
    page.locator("#results > li.card").last.locator("a").last.focus()
    page.keyboard.press("Tab")
    expect(more).to_be_focused()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page.locator("#results > li.card")).to_have_count(2 * PAGE_SIZE)
    assert _visible(page) == oracle.default_order[: 2 * PAGE_SIZE]
    expect(page.locator("#result-count")).to_have_text(f"Showing {2 * PAGE_SIZE} of {total} mentors")
    # Focus moves to the first new card.
    first_new = oracle.default_order[PAGE_SIZE]
    expect(page.locator(f"#m-{first_new}-name a")).to_be_focused()
    assert _show_all(page) == oracle.default_order
    expect(more).to_be_hidden()
    expect(page.locator("#result-count")).to_have_text(f"Showing {total} of {total} mentors")

    # Filtered results are shown 24 at a time too.
    page.goto(served_site.base + "directory/?meeting=virtual")
    wanted = oracle.results("", {"meeting": {"virtual"}}, False)
    assert len(wanted) > PAGE_SIZE
    expect(page.locator("#result-count")).to_have_text(_status(len(wanted), total))
    _expect_results(page, wanted)
    more.click()
    expect(page.locator("#result-count")).to_have_text(
        f"Showing {min(len(wanted), 2 * PAGE_SIZE)} of {len(wanted)} matching mentors"
    )
    expect(page.locator(f"#m-{wanted[PAGE_SIZE]}-name a")).to_be_focused()
    assert _show_all(page) == wanted


def _normalise(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def test_cards_built_in_the_browser_are_the_server_cards(
    page: Page, served_site: Served, oracle: Oracle
) -> None:
    """Every card directory.js builds is the `mentor_card` macro's output, byte for byte."""
    server: list[str] = []
    for number in range(1, math.ceil(len(oracle.export.mentors) / PAGE_SIZE) + 1):
        page.goto(served_site.base + "directory/" + (f"page/{number}/" if number > 1 else ""))
        html = page.eval_on_selector_all("#results > li.card", "els => els.map(e => e.outerHTML)")
        # Links on /directory/page/N/ start three folders up, on /directory/ one.
        server += [_normalise(h.replace('href="../../../', 'href="../')) for h in html]
    # Load with a filter, then clear it: the default order, rendered by the script.
    _open_directory(page, served_site, "?meeting=virtual")
    expect(page.locator("#result-count")).to_contain_text("match")
    page.locator("#clear").click()
    expect(page.locator("#result-count")).to_have_text(f"{len(oracle.export.mentors)} mentors")
    _show_all(page)
    built = [
        _normalise(h)
        for h in page.eval_on_selector_all("#results > li.card", "els => els.map(e => e.outerHTML)")
    ]
    assert len(built) == len(server) == len(oracle.export.mentors)
    for ours, theirs in zip(built, server, strict=True):
        assert ours == theirs
    # Pronouns keep their space: "Name (she/her)" (the normalising above would hide it).
    ana = page.locator("#m-ana-example-name")
    expect(ana).to_have_text("Ana Example, MD (she/her)")


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let score = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) score += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(score), 1000);
})"""


@pytest.mark.parametrize("width", [360, 1280])
def test_no_layout_shift_on_load(page: Page, served_site: Served, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(served_site.base + "directory/", wait_until="load")
    expect(page.locator("#show-more")).to_be_visible()
    expect(page.locator("#filters")).to_be_visible()
    assert page.evaluate(LAYOUT_SHIFT) == 0


@contextlib.contextmanager
def _without(browser: Browser, missing: str) -> Iterator[Page]:
    """A page of a fresh context whose requests for ``missing`` (a path under the site) fail."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route(f"**/{missing}*", lambda route: route.abort())
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("missing", ["search/lunr.min.js", "theme/js/search.js", "search/terms.json"])
def test_filters_still_work_when_the_search_cannot_load(
    browser: Browser, served_site: Served, oracle: Oracle, missing: str
) -> None:
    with _without(browser, missing) as page:
        page.goto(served_site.base + "directory/?q=pediatrics&meeting=virtual")
        wanted = oracle.results("", {"meeting": {"virtual"}}, False)
        expect(page.locator("#result-count")).to_have_text(
            "Search could not be loaded, so only the filters apply. "
            + _status(len(wanted), len(oracle.export.mentors))
        )
        _expect_results(page, wanted)
        expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true")


@pytest.mark.parametrize("missing", ["search/facets.json", "search/facets/meeting.json", "search/cards/"])
def test_when_the_filters_data_cannot_load_the_page_links_come_back(
    browser: Browser, served_site: Served, oracle: Oracle, missing: str
) -> None:
    with _without(browser, missing) as page:
        page.goto(served_site.base + "directory/?meeting=virtual")
        total = len(oracle.export.mentors)
        expect(page.locator("#result-count")).to_have_text(
            f"{total} mentors (search and filters could not be loaded: use the page links)"
        )
        expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true")
        expect(page.get_by_role("navigation", name="Pages")).to_be_visible()
        expect(page.locator("#show-more")).to_have_count(0)


def test_searching_is_announced_while_results_are_pending(
    page: Page, served_site: Served, oracle: Oracle
) -> None:
    held: list[Route] = []
    page.route("**/search/terms.json*", lambda route: held.append(route))
    _open_directory(page, served_site, "?q=pediatrcs")
    expect(page.locator("#result-count")).to_have_text("Searching…")
    expect(page.locator("#results")).to_have_attribute("aria-busy", "true")
    assert held, "the search was not loaded"
    for route in held:
        route.continue_()
    wanted = oracle.results("pediatrcs", {}, False)
    expect(page.locator("#result-count")).to_have_text(_status(len(wanted), len(oracle.export.mentors)))
    expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true")
    _expect_results(page, wanted)


def test_no_third_party_request(page: Page, served_site: Served) -> None:
    _open_directory(page, served_site, "?q=cardio")
    expect(page.locator("#result-count")).not_to_have_text("Searching…")
    for path in ["", "programs/", "about/", "mentors/ana-example/"]:
        page.goto(served_site.base + path)
    assert served_site.requests, "no request was recorded"
    outside = [url for url in served_site.requests if not url.startswith(served_site.base)]
    assert outside == []


# --------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize(
    "path",
    [
        "",
        "directory/",
        "directory/?q=research&language=en&accepting=1",
        "directory/page/2/",
        "mentors/ana-example/",
        "programs/",
    ],
)
def test_axe_reports_no_violation(page: Page, served_site: Served, path: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(served_site.base + path)
    if path.startswith("directory/") and "page/" not in path:
        expect(page.locator("#filters")).to_be_visible()
        if width < 960:  # on a phone the filters are in a disclosure (issue 14)
            page.locator("#filters-toggle").click()
        page.locator("details[data-group='affinity'] > summary").click()
        if "?" in path:
            expect(page.locator("#result-count")).to_contain_text("match")
        else:
            page.locator("#show-more").click()
            expect(page.locator("#result-count")).to_contain_text("Showing")
    assert axe_violations(page) == []


def test_axe_on_a_program_page_and_the_other_pages(page: Page, served_site: Served, oracle: Oracle) -> None:
    program = oracle.export.programs[0].id
    specialty = (
        oracle.export.mentors[0].specialties[0] if oracle.export.mentors[0].specialties else "pediatrics"
    )
    for path in [
        f"programs/{program}/",
        "about/",
        "add-mentors/",
        "specialties/",
        f"specialties/{specialty}/",
    ]:
        page.goto(served_site.base + path)
        assert axe_violations(page) == [], path


# --------------------------------------------------------------------------- layout and weight


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_and_no_sideways_scrolling(page: Page, served_site: Served, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    shots = {
        "home": "",
        "directory": "directory/?q=pediatrics&meeting=virtual",
        "mentor": "mentors/ana-example/",
        "program": "programs/lakeshore-som/",
        "directory-page-2": "directory/page/2/",
        "specialty": "specialties/pediatrics/",
    }
    for name, path in shots.items():
        page.goto(served_site.base + path)
        if name == "directory":
            expect(page.locator("#result-count")).to_contain_text("match")
            expect(page.locator("details[data-group='meeting']")).to_have_attribute("open", "")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        target = SCREENSHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=name != "directory")
        assert target.stat().st_size > 5_000


def test_text_reflows_at_200_percent_zoom(browser: Browser, served_site: Served) -> None:
    """200% zoom of a 1280 px window is a 640 px layout at twice the pixel density."""
    context = browser.new_context(viewport={"width": 640, "height": 450}, device_scale_factor=2)
    try:
        page = context.new_page()
        for path in ["", "directory/", "directory/page/2/", "mentors/ana-example/"]:
            page.goto(served_site.base + path)
            assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0, path
    finally:
        context.close()


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def _bytes_before_first_result(
    browser: Browser, served: Served, query: str, *, width: int = 1280
) -> tuple[int, list[str]]:
    """gzip bytes of every response the page fetched until its result list was final (and 1 s more)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    fetched: list[str] = []
    context.on("requestfinished", lambda request: fetched.append(request.url))
    try:
        page = context.new_page()
        page.goto(served.base + "directory/" + query, wait_until="load")
        expect(page.locator("#filters")).to_be_visible()
        expect(page.locator("#result-count")).not_to_have_text("Searching…")
        expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true")
        page.wait_for_timeout(1000)  # anything fetched after the load counts too
        seen = list(fetched)
    finally:
        context.close()
    total = 0
    for url in seen:
        path = urlsplit(url).path
        file = served.root / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        total += _gzip_size(file)
    return total, [urlsplit(u).path for u in seen]


def test_page_weight_before_the_first_result(browser: Browser, served_site: Served) -> None:
    plain, plain_files = _bytes_before_first_result(browser, served_site, "")
    query, query_files = _bytes_before_first_result(
        browser, served_site, "?q=pediatrics&language=en&accepting=1"
    )
    # Without a query or filter, nothing but the page itself: not even facets.json.
    assert not [f for f in plain_files if "/search/" in f], plain_files
    assert any(f.endswith("/search/lunr.min.js") for f in query_files)
    assert any(f.endswith("/search/facets.json") for f in query_files)
    phone, _ = _bytes_before_first_result(browser, served_site, "", width=360)
    assert phone == plain
    log.info(
        "page weight (gzip): directory %d B %s; query+filters %d B %s", plain, plain_files, query, query_files
    )
    assert plain < 100_000 and query < 100_000
    (SCREENSHOTS.parent / "page-weight.json").parent.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / "page-weight.json").write_text(
        json.dumps({"directory": plain, "query_and_filters": query, "files": query_files}, indent=1)
    )


FETCHED_JS = """() => {
  // the site paths fetched, each with whether it started before the results were final
  const mark = performance.getEntriesByName("results-rendered")[0];
  return performance.getEntriesByType("resource").map(r => [new URL(r.name).pathname,
    mark !== undefined && r.startTime <= mark.startTime]);
}"""


def _facet_paths(fetched: list[list[object]], before: bool) -> set[str]:
    """The facets files (relative to search/) fetched before (or after) the results were final."""
    return {
        str(path).split("/search/", 1)[1]
        for path, early in fetched
        if early is before and re.search(r"/search/(facets\.json|facets/|cards/)", str(path))
    }


def _chunks(refs: list[int]) -> set[str]:
    return {f"cards/{ref // CARDS_PER_FILE}.json" for ref in refs}


def _value_positions(meta: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Each group's values (and programs, by id) → their position, as facets.json lists them."""
    position = {g["param"]: {v: i for i, v in enumerate(g["values"])} for g in meta["groups"]}
    position[PROGRAM_PARAM] = {p[0]: i for i, p in enumerate(meta["programs"])}
    return position


def _asked_values(served_site: Served, oracle: Oracle, query: str) -> set[tuple[str, str]]:
    """The values a search asks mentorsWith for (search.js and index.py are twins), recorded
    from the Python search on the served site's files."""
    asked: set[tuple[str, str]] = set()
    having = mentors_with_export(oracle.export)

    def recording(param: str, value: str) -> list[str]:
        asked.add((param, value))
        return list(having(param, value))

    search(load_search(served_site.root / "search"), query, recording)
    return asked


def _hit_files(asked: set[tuple[str, str]], position: dict[str, dict[str, int]]) -> set[str]:
    """The files directory.js loads for the values a search asks for: each value's, or its
    group's (programs: facets/program.json) from GROUP_FILE_AT values of one group on."""
    by_param: dict[str, list[str]] = {}
    for param, value in asked:
        by_param.setdefault(param, []).append(value)
    files: set[str] = set()
    for param, values in by_param.items():
        if len(values) >= GROUP_FILE_AT:
            files.add(f"facets/{param}.json")
        else:
            files.update(value_file(param, position[param][v]) for v in values)
    return files


def test_a_search_hitting_many_values_of_a_group_loads_the_group_file_once(
    browser: Browser, served_site: Served, oracle: Oracle
) -> None:
    """ "medicine surgery" names most specialties: one request for the group's file instead of
    one per specialty, and the results are still the search's."""
    position = _value_positions(load_facet_files(served_site.root / "search").meta)
    asked = _asked_values(served_site, oracle, "medicine surgery")
    specialties = {v for p, v in asked if p == "specialty"}
    assert len(specialties) >= GROUP_FILE_AT, specialties  # the case this test is about
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(served_site.base + "directory/?q=medicine+surgery")
        wanted = oracle.results("medicine surgery", {}, False)
        expect(page.locator("#result-count")).to_have_text(_status(len(wanted), len(oracle.export.mentors)))
        _expect_results(page, wanted)
        early = _facet_paths(page.evaluate(FETCHED_JS), True)
        assert "facets/specialty.json" in early
        assert not any(path.startswith("facets/specialty/") for path in early), early
        loaded = {f for f in early if f != "facets.json" and not f.startswith("cards/")}
        assert loaded == _hit_files(asked, position)
    finally:
        context.close()


def test_a_query_and_two_filters_fetch_only_the_files_they_show(
    browser: Browser, served_site: Served, oracle: Oracle
) -> None:
    """Issue 19: the results of `?q=pediatrics&language=en&accepting=1` wait for facets.json,
    the chosen group's postings, the search's catalog hits' postings and the card chunks of
    the mentors shown — no other group, no other card. The other groups' postings come after
    (their counts), and "Show more mentors" fetches the next page's chunks only."""
    facets = load_facet_files(served_site.root / "search")
    ref = {row[0]: r for r, row in enumerate(facets.cards)}
    meta = facets.meta
    position = _value_positions(meta)
    asked = _asked_values(served_site, oracle, "pediatrics")
    assert asked, "the query hits the catalog"
    hit_files = _hit_files({(p, v) for p, v in asked if p != "language"}, position)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(served_site.base + "directory/?q=pediatrics&language=en&accepting=1")
        wanted = oracle.results("pediatrics", {"language": {"en"}}, True)
        assert wanted
        expect(page.locator("#result-count")).to_have_text(_status(len(wanted), len(oracle.export.mentors)))
        _expect_results(page, wanted)
        # the second step: every other group, for its counts
        others = {f"facets/{g['param']}.json" for g in meta["groups"] if g["param"] != "language"}
        page.wait_for_function(
            f"() => performance.getEntriesByType('resource').filter(r => /facets\\/[a-z]+\\.json/"
            f".test(r.name)).length >= {len(others) + 1}"
        )
        expect(page.locator("label[for='f-meeting-virtual'] [data-count]")).to_have_text(
            f"({oracle.count('pediatrics', {'language': {'en'}}, True, 'meeting', 'virtual')})"
        )
        fetched = page.evaluate(FETCHED_JS)
        shown = [ref[i] for i in wanted[:PAGE_SIZE]]
        assert _facet_paths(fetched, True) == {
            "facets.json",
            "facets/language.json",
            *hit_files,
            *_chunks(shown),
        }
        assert _facet_paths(fetched, False) == others
    finally:
        context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        _open_directory(page, served_site)
        assert len(oracle.default_order) > 2 * PAGE_SIZE
        more = page.get_by_role("button", name="Show more mentors")
        loaded: set[str] = set()
        total = len(oracle.default_order)
        for number in (1, 2):
            page_refs = [ref[i] for i in oracle.default_order[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]]
            more.click()
            expect(page.locator("#results > li.card")).to_have_count(min((number + 1) * PAGE_SIZE, total))
            now = _facet_paths(page.evaluate(FETCHED_JS), False)
            # the server's cards needed none: "Show more" loads facets.json and the next chunks only
            assert now - loaded == (_chunks(page_refs) - loaded) | ({"facets.json"} if number == 1 else set())
            loaded = now
    finally:
        context.close()


def test_results_do_not_wait_for_the_other_groups_counts(
    page: Page, served_site: Served, oracle: Oracle
) -> None:
    """The other groups' postings come after the results: until then their counts are empty
    and their group is aria-busy; then the counts fill in."""
    held: list[Route] = []
    page.route("**/search/facets/meeting.json*", lambda route: held.append(route))
    _open_directory(page, served_site, "?language=es")
    wanted = oracle.results("", {"language": {"es"}}, False)
    expect(page.locator("#result-count")).to_have_text(_status(len(wanted), len(oracle.export.mentors)))
    _expect_results(page, wanted)
    meeting = page.locator("details[data-group='meeting'] fieldset").first
    expect(meeting).to_have_attribute("aria-busy", "true")
    assert _count_text(page, "meeting", "virtual") == ""
    # the other groups' counts do not wait for that one
    expect(page.locator("label[for='f-stage-resident'] [data-count]")).to_have_text(
        f"({oracle.count('', {'language': {'es'}}, False, 'stage', 'resident')})"
    )
    expect(page.locator("details[data-group='stage'] fieldset").first).not_to_have_attribute(
        "aria-busy", "true"
    )
    expect(meeting).to_have_attribute("aria-busy", "true")
    assert (
        _count_text(page, "language", "es")
        == f"({oracle.count('', {'language': {'es'}}, False, 'language', 'es')})"
    )
    page.wait_for_timeout(200)
    assert held, "the meeting postings were not asked for"
    for route in held:
        route.continue_()
    expect(meeting).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("label[for='f-meeting-virtual'] [data-count]")).to_have_text(
        f"({oracle.count('', {'language': {'es'}}, False, 'meeting', 'virtual')})"
    )
    assert axe_violations(page) == []


def test_axe_and_search_on_the_repository_sample_network(browser: Browser, content_site: Path) -> None:
    """content/ (the sample network in the repository) passes the same checks."""
    oracle = Oracle(content_site)
    mentor = oracle.default_order[0]
    program = oracle.export.programs[0].id
    server, base = serve_in_thread(content_site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        for path in ["", "directory/", f"mentors/{mentor}/", f"programs/{program}/", "programs/"]:
            page.goto(base + path)
            assert axe_violations(page) == [], path
        weight, files = _bytes_before_first_result(browser, Served(content_site, base), "")
        log.info("sample network directory page: %d B gzip %s", weight, files)
        assert weight < 100_000, files
        page.goto(base + "directory/?q=cardio")
        wanted = oracle.results("cardio", {}, False)
        assert wanted, "the sample network has a cardiology mentor"
        expect(page.locator("#result-count")).to_have_text(_status(len(wanted), len(oracle.export.mentors)))
        _expect_results(page, wanted)
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_no_result_offers_ways_out(page: Page, served_site: Served, oracle: Oracle) -> None:
    """Issue 14: with no result, links that remove one filter, and the private team page."""
    page.goto(served_site.base + "directory/?q=zzzzqqqxx")
    box = page.locator("#no-results")
    expect(box).to_be_visible()
    expect(box.locator("a[href$='match/']")).to_have_count(1)
    expect(box).to_contain_text("change or shorten the search")
    # two filters that no mentor has together, each of which some mentor has
    langs = {v for m in oracle.export.mentors for v in m.languages}
    states = {v for m in oracle.export.mentors for v in oracle.values(m, "state")}
    pair = next(
        (lang, st)
        for lang in sorted(langs)
        for st in sorted(states)
        if not oracle.results("", {"language": {lang}, "state": {st}}, False)
    )
    page.goto(served_site.base + f"directory/?language={pair[0]}&state={pair[1]}")
    expect(box).to_be_visible()
    links = box.locator("li a")
    assert links.count() == 2
    links.first.click()
    expect(page.locator("#result-count")).to_contain_text("match")
    expect(box).to_be_hidden()
    assert _visible(page)
    assert axe_violations(page) == []


def test_an_edited_bio_is_found_after_a_rebuild_even_with_the_old_page_cached(
    browser: Browser, tmp_path: Path
) -> None:
    """No page carries the search index's version: the directory reads it from
    search/version.json, asked of the server each time. Served as GitHub Pages serves (every
    file cacheable for 10 minutes), the directory page and the old index files stay in the
    browser's cache across the rebuild, and the edited bio is still found."""
    import functools
    import shutil
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    from generator.core.cache import default_cache_dir
    from generator.site.build import build
    from generator.site.serve import SiteHandler
    from tests.support.paths import ROOT

    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(ROOT / "content", content)
    build(content, site, cache_dir=default_cache_dir(site))
    edited = min((content / "mentors").rglob("*.yml"))

    served: list[str] = []

    class PagesHandler(SiteHandler):
        """As GitHub Pages serves: every file cacheable for 10 minutes, revalidated by its
        ETag (the hash of its bytes). Python's server would revalidate by modification time,
        to the second: a file rewritten within the second it was first served would be
        answered "304 Not Modified" and the browser would keep the old one."""

        etag: str | None = None

        def send_head(self) -> Any:
            del self.headers["If-Modified-Since"]
            file = Path(self.translate_path(self.path))
            file = file / "index.html" if file.is_dir() else file
            self.etag = f'"{hashlib.sha256(file.read_bytes()).hexdigest()[:16]}"' if file.is_file() else None
            if self.etag is not None and self.headers.get("If-None-Match") == self.etag:
                self.send_response(304)
                self.end_headers()
                return None
            return super().send_head()

        def end_headers(self) -> None:
            served.append(urlsplit(self.path).path)
            self.send_header("Cache-Control", "max-age=600")
            if self.etag is not None:
                self.send_header("ETag", self.etag)
            SimpleHTTPRequestHandler.end_headers(self)

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PagesHandler, site=site))
    Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + "directory/?q=quillwort")
        expect(page.locator("#no-results")).to_be_visible()
        text = edited.read_text(encoding="utf-8")
        assert "\nbio: |\n  " in text
        text = text.replace("\nbio: |\n  ", "\nbio: |\n  Grows quillwort.\n  ", 1)
        edited.write_text(text, encoding="utf-8")
        build(content, site, cache_dir=default_cache_dir(site))
        served.clear()
        page = context.new_page()
        page.goto(base + "directory/?q=quillwort")
        expect(page.locator("#results > li.card:not([hidden])")).to_have_count(1)
        assert _visible(page) == [edited.stem]
        # the old page and lunr.js came from the browser's cache; the index's version did not
        assert "/directory/" not in served and "/search/lunr.min.js" not in served, served
        assert "/search/version.json" in served and "/search/terms.json" in served, served
    finally:
        context.close()
        server.shutdown()
        server.server_close()

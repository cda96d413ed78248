"""Issue 14, items 5 and 6 in Chromium at 360 and 1280 px: the How it works page, the cards'
avatar, Request action and status, the phone's filter disclosure that keeps the count in view,
axe on every page type and a screenshot of each."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from generator.content.export import DirectoryExport
from generator.site.avatars import avatar_colour, initials
from tests.support.browser import SCREENSHOTS, axe_violations
from tests.support.site import SITE_URL, Served

WIDTHS = [360, 1280]

#: One address of every kind of page the build writes.
PAGE_TYPES = {
    "home": "",
    "directory": "directory/",
    "directory-page-2": "directory/page/2/",
    "mentor": "mentors/ana-example/",
    "programs": "programs/",
    "program": "programs/lakeshore-som/",
    "specialties": "specialties/",
    "specialty": "specialties/pediatrics/",
    "match": "match/",
    "how-it-works": "how-it-works/",
    "add-mentors": "add-mentors/",
    "about": "about/",
    "404": "404.html",
}


def _export(served: Served) -> DirectoryExport:
    return DirectoryExport.model_validate_json((served.root / "directory.json").read_text(encoding="utf-8"))


def _in_viewport(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert size is not None
    return (
        box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["width"] > 2
    )


# --------------------------------------------------------------------------- how it works


@pytest.mark.parametrize("width", WIDTHS)
def test_how_it_works_page(page: Page, served_site: Served, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(served_site.base)
    page.locator("nav[aria-label='Main'] a", has_text="How it works").click()
    expect(page).to_have_url(served_site.base + "how-it-works/")
    expect(page.locator("nav[aria-label='Main'] a[aria-current='page']")).to_have_text("How it works")
    expect(page.get_by_role("heading", level=1)).to_have_text("How it works")
    for heading in ("What a team is", "After you ask: step by step", "Who can read what"):
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    steps = page.locator("ol.steps > li")
    expect(steps).to_have_count(5)
    for i in range(5):
        expect(steps.nth(i).locator(".privacy")).to_be_visible()
    page.get_by_role("link", name="Who can read what").click()
    expect(page.locator("#privacy")).to_be_in_viewport()
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    # the ways out: the private team page and the directory
    expect(page.locator("main a[href$='/match/']").first).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_home_page_mentee_section(page: Page, served_site: Served, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(served_site.base)
    section = page.locator("section.how-mentees")
    expect(section.get_by_role("heading", name="For mentees: ask for a team")).to_be_visible()
    expect(section.locator("ol.steps > li")).to_have_count(4)
    expect(section.locator(".privacy")).to_have_count(3)
    expect(section.get_by_role("link", name="How it works, step by step")).to_be_visible()
    # the slot holds issue 20's three ways to ask, side by side on a wide screen
    slot = section.locator("#ways-to-ask")
    expect(slot).to_be_visible()
    expect(slot.locator("section.way")).to_have_count(3)


# --------------------------------------------------------------------------- cards


@pytest.mark.parametrize("width", WIDTHS)
def test_cards_have_an_avatar_a_request_action_and_a_status(
    page: Page, served_site: Served, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    export = _export(served_site)
    mentors = {m.id: m for m in export.mentors}
    page.goto(served_site.base + "directory/")
    cards = page.locator("#results > li.card")
    expect(cards).to_have_count(24)
    seen_closed = seen_open = 0
    for i in range(cards.count()):
        card = cards.nth(i)
        mentor = mentors[str(card.get_attribute("id"))[2:]]
        avatar = card.locator(".avatar")
        expect(avatar).to_have_attribute("aria-hidden", "true")
        expect(avatar).to_have_text(initials(mentor.name, mentor.id))
        expect(avatar).to_have_class(f"avatar avatar-{avatar_colour(mentor.id)}")
        expect(card.locator(".status")).to_have_text(
            "Accepting new mentees" if mentor.accepting else "Not accepting new mentees now"
        )
        request = card.get_by_role("link", name=f"Request {mentor.name}", exact=True)
        if mentor.accepting:
            seen_open += 1
            expect(request).to_be_visible()
            assert request.get_attribute("href") == f"../mentors/{mentor.id}/#request"
        else:
            seen_closed += 1
            expect(request).to_have_count(0)
    assert seen_open
    # the avatar is not read out: the card's name is the mentor's name (and pronouns) alone
    first = cards.first
    name = mentors[str(first.get_attribute("id"))[2:]].name
    expect(first.get_by_role("article", name=re.compile("^" + re.escape(name)))).to_have_count(1)
    # the avatar's colours: white initials, a background of the design system
    colours = page.eval_on_selector_all(
        ".avatar", "els => [...new Set(els.map(e => getComputedStyle(e).backgroundColor))]"
    )
    assert len(colours) > 1 and "rgba(0, 0, 0, 0)" not in colours
    assert page.eval_on_selector(".avatar", "e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    # Request leads to the mentor's request button, which says what a request publishes
    first_open = next(
        m for m in (mentors[str(cards.nth(i).get_attribute("id"))[2:]] for i in range(24)) if m.accepting
    )
    page.get_by_role("link", name=f"Request {first_open.name}", exact=True).click()
    expect(page).to_have_url(served_site.base + f"mentors/{first_open.id}/#request")
    expect(page.locator("#request-link")).to_be_in_viewport()
    expect(page.locator(".profile-header .avatar")).to_have_text(initials(first_open.name, first_open.id))
    assert seen_closed + seen_open == 24


def test_browser_built_cards_carry_the_chosen_needs_to_the_request(page: Page, served_site: Served) -> None:
    export = _export(served_site)
    area = next(a for m in export.mentors if m.accepting for a in m.areas)
    page.goto(served_site.base + f"directory/?area={area}&accepting=1")
    expect(page.locator("#result-count")).to_contain_text("match")
    card = page.locator("#results > li.card").first
    mentor_id = str(card.get_attribute("id"))[2:]
    url = urlsplit(card.locator(".card-actions a").evaluate("a => a.href"))
    assert (url.path, url.query, url.fragment) == (f"/mentors/{mentor_id}/", f"area={area}", "request")
    expect(card.locator(".avatar")).to_have_class(f"avatar avatar-{avatar_colour(mentor_id)}")


# --------------------------------------------------------------------------- the phone's filters


def test_on_a_phone_results_come_first_and_the_filters_keep_the_count_in_view(
    page: Page, served_site: Served
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(served_site.base + "directory/")
    toggle = page.locator("#filters-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "filter-panel")
    # results first: the filters are collapsed and the first card starts on the first screen
    expect(page.locator("details[data-group='affinity']")).to_be_hidden()
    expect(page.locator("#f-accepting")).to_be_hidden()
    first = page.locator("#results > li.card").first.bounding_box()
    assert first is not None and first["y"] < 740
    count = page.locator("#filter-bar-count")
    expect(count).to_have_attribute("aria-hidden", "true")  # the live status is #result-count
    expect(count).to_be_hidden()  # collapsed: the results' own count is right below the bar
    assert _in_viewport(page, "#result-count")
    # open the filters, tick one, scroll to the bottom of the panel: the count stays in view
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.locator("details[data-group='meeting'] > summary").click()
    page.locator("label[for='f-meeting-virtual']").click()
    expect(page.locator("#result-count")).to_contain_text("match")
    expect(count).to_have_text(str(page.locator("#result-count").text_content()))
    expect(page.locator("#filters-chosen")).to_have_text(" (1 chosen)")
    # open a long group and scroll to the end of the filters: the bar and its count stay on top
    page.locator("details[data-group='affinity'] > summary").click()
    page.locator("#clear").scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    expect(page.locator("details[data-group='affinity'] > summary")).not_to_be_in_viewport()
    assert _in_viewport(page, "#filter-bar-count")
    assert _in_viewport(page, "#filters-toggle")
    bar = page.locator(".filter-bar").bounding_box()
    assert bar is not None and bar["y"] <= 1
    # closing them brings the results back under the bar
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("details[data-group='meeting']")).to_be_hidden()
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert axe_violations(page) == []


def test_on_a_wide_screen_the_filters_are_a_sidebar_without_a_disclosure(
    page: Page, served_site: Served
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served_site.base + "directory/")
    expect(page.locator("#filters-toggle")).to_be_hidden()
    expect(page.locator("#filter-bar-count")).to_be_hidden()
    expect(page.locator("details[data-group='affinity'] > summary")).to_be_visible()
    expect(page.locator("#result-count")).to_be_visible()
    filters = page.locator("#filters").bounding_box()
    results = page.locator("#results").bounding_box()
    assert filters and results and filters["x"] + filters["width"] <= results["x"]


# --------------------------------------------------------------------------- every page type


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_and_screenshots_of_every_page_type(page: Page, served_site: Served, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    failures = {}
    # The 404 page's links start from the site's path (GitHub Pages serves it at any address);
    # the test server serves the site at its root.
    site_path = "/" + urlsplit(SITE_URL).path.strip("/") + "/"
    page.route(
        re.compile(re.escape(served_site.base.rstrip("/") + site_path) + "theme/"),
        lambda route: route.continue_(url=route.request.url.replace(site_path + "theme/", "/theme/", 1)),
    )
    for name, path in PAGE_TYPES.items():
        page.goto(served_site.base + path)
        if name == "match":
            expect(page.locator("#match-app[data-ready='true']")).to_have_count(1)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        # the design system is applied: its font and focus ring, not the browser's defaults
        assert page.evaluate("() => getComputedStyle(document.body).fontFamily").startswith("system-ui")
        target = SCREENSHOTS / f"type-{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 5_000
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
    assert failures == {}

"""Asking through a school's coordinator from the team page (issue 20), in real Chromium.

The hand-over text and link carry the mentee's answers to their coordinator by any channel;
the link re-opens the page with the same answers and team from its fragment, which a browser
never sends: every request the pages make is recorded and checked. The page lists how each
program receives requests (`requests` in its file), and the home page and the team page show
the three ways to ask.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Dialog, Page, expect

from generator.requests.issue_form import ON_BEHALF_LABEL, form_fields
from tests.site.test_match_page import _choose, _open_group, _submit, _tick
from tests.support.browser import SCREENSHOTS, axe_violations
from tests.support.site import Served

FIELDS = {f.id: f for f in form_fields()}


def _directory(served: Served) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((served.root / "directory.json").read_text(encoding="utf-8"))
    return data


def _record(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def _answer(page: Page, served: Served) -> dict[str, Any]:
    """Answer the questions by keyboard (needs in an order of importance, an identity, a
    specialty, the state as a must, a mentor by id, a team of 2) and return the answers."""
    directory = _directory(served)
    needs = [FIELDS["needs"].values[4], FIELDS["needs"].values[1]]
    affinity = next(iter(directory["vocabulary"]["affinities"]))
    specialty = next(iter(directory["vocabulary"]["specialties"]))
    mentor = next(m["id"] for m in directory["mentors"] if m["accepting"])
    for need in needs:
        _tick(page, f"#m-needs-{need}")
    _open_group(page, "affinities")
    _tick(page, f"#m-affinities-{affinity}")
    _open_group(page, "specialties")
    _tick(page, f"#m-specialties-{specialty}")
    _open_group(page, "about")
    _choose(page, "#m-state", "Illinois")
    _open_group(page, "must")
    _tick(page, "#m-must-state")
    page.fill("#m-mentors", mentor)
    _choose(page, "#m-team_size", "2")
    _submit(page)
    expect(page.locator("#match-result")).to_be_visible()
    return {"needs": needs, "affinity": affinity, "specialty": specialty, "mentor": mentor}


def _shown(page: Page) -> dict[str, Any]:
    """What the page shows of the answers and the team."""
    return {
        "needs": page.locator("#ranked-needs li").evaluate_all("items => items.map(li => li.dataset.value)"),
        "ticked": page.locator("#match-form input:checked").evaluate_all("inputs => inputs.map(i => i.id)"),
        "state": page.input_value("#m-state"),
        "team_size": page.input_value("#m-team_size"),
        "mentors": page.input_value("#m-mentors"),
        "team": page.locator("#match-team > li .card-name").all_inner_texts(),
        "request": page.get_attribute("#match-request", "href"),
        "text": page.input_value("#handover-text"),
    }


def test_the_hand_over_text_and_link_reopen_the_same_answers_and_team_with_no_request(
    page: Page, served_site: Served
) -> None:
    requests = _record(page)
    page.goto(served_site.base + "match/")
    expect(page.locator("#match-app[data-ready='true']")).to_have_count(1)
    loaded = len(requests)
    answers = _answer(page, served_site)
    first = _shown(page)
    assert first["team"] and first["needs"] == answers["needs"]

    link = page.input_value("#handover-link")
    assert link.startswith(served_site.base + "match/#")
    fragment = parse_qs(urlsplit(link).fragment)
    assert fragment["needs"] == [",".join(answers["needs"])]  # ids, most important first
    assert fragment["state"] == ["IL"] and fragment["must"] == ["state"]
    assert fragment["mentors"] == [answers["mentor"]] and fragment["team_size"] == ["2"]

    text = first["text"]
    labels = [FIELDS["needs"].option_of(n) for n in answers["needs"]]
    assert f"{FIELDS['needs'].label} (most important first): {'; '.join(labels)}" in text
    assert f"{FIELDS['state'].label}: Illinois" in text
    assert f"{FIELDS['must'].label}: {FIELDS['must'].option_of('state')}" in text
    for name in first["team"]:
        assert name in text
    assert link in text and first["request"] in text and ON_BEHALF_LABEL in text
    assert page.url == served_site.base + "match/"  # the answers are not put in the address
    page.focus("#handover-copy-link")
    page.keyboard.press("Enter")
    expect(page.locator("#handover-status")).not_to_be_empty()
    # after loading, only names files (every one, once the page is idle, whatever the answers:
    # issue 19) and, as a mentor id is typed, every id (the same file for everyone): nothing of
    # the answers
    for url in requests[loaded:]:
        path = urlsplit(url).path
        assert re.fullmatch(r"/match/(names/\d+|ids)\.json", path), f"request while answering: {url}"
        assert set(parse_qs(urlsplit(url).query)) == {"v"}, url

    # the link, opened in a new tab, brings the same answers and the same team
    other = page.context.new_page()
    reopened = _record(other)
    other.goto(link)
    expect(other.locator("#match-result")).to_be_visible()
    assert _shown(other) == first
    expect(other.locator("#match-status")).to_have_text(page.locator("#match-status").inner_text())
    assert other.input_value("#handover-link") == link
    # no request carried the answers: only the page and its own files, none with a fragment
    for url in reopened:
        parts = urlsplit(url)
        assert url.startswith(served_site.base) and "#" not in url, url
        assert set(parse_qs(parts.query)) <= {"v"}, url
    paths = {urlsplit(u).path for u in reopened}
    assert "/match/" in paths and "/match/mentors.json" in paths
    other.close()


def test_a_crafted_link_ticks_only_the_pages_own_choices(page: Page, served_site: Served) -> None:
    need = FIELDS["needs"].values[0]
    hostile = "<img src=x onerror=alert(1)>"
    requests = _record(page)
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    crafted = (
        f"request=1&needs={hostile},{need},{need}&state=ZZ&stage=%22%3E%3Cb%3E"
        "&mentors=%3Cscript%3E,UPPER,ok-id&team_size=99&must=nope"
    )
    page.goto(served_site.base + "match/#" + crafted)
    expect(page.locator("#match-status")).not_to_have_text("Answer the questions and choose Find my team.")
    shown = _shown(page)
    assert shown["ticked"] == [f"m-needs-{need}"]
    assert shown["state"] == "" and shown["team_size"] == "3" and shown["mentors"] == "ok-id"
    assert page.locator("main img, main b, main script:not([src])").count() == 0
    assert dialogs == []
    assert all(url.startswith(served_site.base) for url in requests)


def test_the_page_lists_how_each_program_receives_requests(page: Page, served_site: Served) -> None:
    programs = _directory(served_site)["programs"]
    assert any(p["requests"] for p in programs) and any(not p["requests"] for p in programs)
    page.goto(served_site.base + "match/")
    items = page.locator("#program-requests-list > li")
    expect(items).to_have_count(len(programs))
    for program in programs:
        item = page.locator(f"#program-requests-list > li[data-program='{program['id']}']")
        expect(item.locator("h3")).to_have_text(program["name"])
        links = item.locator(".program-way a").evaluate_all("links => links.map(a => a.href)")
        if program["requests"]:
            assert links == [program["requests"]]
            expect(item.locator(".program-way")).to_contain_text(f"{program['institution']}'s request page")
        else:
            assert links == [f"{served_site.base}programs/{program['id']}/"]
            expect(item.locator(".program-way")).to_contain_text("No request page listed yet")
    assert "mailto:" not in page.content()
    # and each program's own page
    listed = next(p for p in programs if p["requests"])
    page.goto(served_site.base + f"programs/{listed['id']}/")
    expect(page.locator(f"main a[href='{listed['requests']}']")).to_have_count(1)


@pytest.mark.parametrize(("path", "level"), [("", "h4"), ("match/", "h2")])
def test_the_three_ways_to_ask_are_on_the_home_and_team_pages(
    page: Page, served_site: Served, path: str, level: str
) -> None:
    page.goto(served_site.base + path)
    ways = page.locator("main .ways")
    expect(ways).to_have_count(1)
    expect(ways.locator(f"{level}#ways-heading")).to_have_text(
        "Three ways to ask, and what each makes public"
    )
    expect(ways.locator(".way")).to_have_count(3)
    for way in ways.locator(".way").all():
        assert [t.strip() for t in way.locator("dt").all_inner_texts()] == ["You need", "Public", "Then"]
    expect(ways.locator(".way").nth(1)).to_contain_text("Nothing names you")
    expect(ways.locator(".way").nth(2).locator("dd").nth(1)).to_have_text(
        "Nothing. Your answers are not sent anywhere and not saved."
    )


@pytest.mark.parametrize("width", [1280, 360])
def test_axe_and_screenshots(page: Page, served_site: Served, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(served_site.base + "match/")
    expect(page.locator("#match-app[data-ready='true']")).to_have_count(1)
    _answer(page, served_site)
    assert axe_violations(page) == []
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the match page scrolls sideways at {width}px"
    for part in ("handover", "program-requests", "ways-heading"):
        page.evaluate(f"() => document.getElementById('{part}').scrollIntoView()")
        page.screenshot(path=str(SCREENSHOTS / f"handover-{width}-{part}.png"))
    page.goto(served_site.base)
    assert axe_violations(page) == []
    page.evaluate("() => document.getElementById('ways-heading').scrollIntoView()")
    target: Path = SCREENSHOTS / f"home-ways-{width}.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 5_000

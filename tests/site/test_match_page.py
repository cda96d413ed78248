"""The "find my mentor team, privately" page in a real browser (issue 6)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from generator.content.models import Request
from generator.content.vocabulary import vocabulary
from generator.demo.network import write_network
from generator.matching.config import matching_config
from generator.matching.mentor_index import MentorIndex
from generator.matching.scoring import MentorProfile, zone_offset
from generator.matching.team import Team, match_team
from generator.requests.issue_form import form_fields
from generator.site.build import build
from generator.site.match_pack import IDS_FILE, NAMES_DIR, NAMES_PER_FILE, read_match_mentors
from generator.site.match_payload import LIST_FIELDS, MATCH_MENTORS_FILE, MATCHER_MENTOR_FIELDS
from tests.support.browser import IDLE_JS, MATCH_SPLIT_JS, SCREENSHOTS, axe_violations
from tests.support.site import REPOSITORY_URL, SITE_URL, Served, serving


def _bot_on_public_data(site: Path, request: Request) -> Team:
    """The Python engine's team over what the site publishes (an oracle independent of the JS)."""
    config = matching_config()
    data = json.loads((site / "directory.json").read_text(encoding="utf-8"))
    mentors: list[dict[str, Any]] = data["mentors"]
    profiles = []
    for m in mentors:
        offset = zone_offset(m["timezone"]) if m.get("timezone") else None
        if offset is None and m.get("state"):
            offset = config.state_utc_offset.get(m["state"])
        public = frozenset(m["affinities"])
        profiles.append(
            MentorProfile(
                id=m["id"],
                name=m["name"],
                program=m["program"],
                profession=m["profession"],
                stage=m["stage"],
                stage_rank=config.stage_order.get(m["stage"], 0),
                specialties=frozenset(m["specialties"]),
                areas=frozenset(m["areas"]),
                public_affinities=public,
                private_affinities=frozenset(),
                affinities=public,
                languages=frozenset(m["languages"]),
                meeting=frozenset(m["meeting"]),
                state=m.get("state"),
                utc_offset=offset,
                capacity=m["capacity"],
                accepting=m["accepting"],
            )
        )
    return match_team(request, MentorIndex(profiles, config), {}, vocabulary())


def _names_after_ready(page: Page) -> list[str]:
    """The names files the page asked for since it was ready, in order."""
    _, after = page.evaluate(MATCH_SPLIT_JS)
    return [url for url in after if urlsplit(url).path.startswith(f"/{NAMES_DIR}/")]


def _names_files(root: Path) -> list[str]:
    """Every names file of the built site, as the page asks for it (path only)."""
    packed = json.loads((root / MATCH_MENTORS_FILE).read_text(encoding="utf-8"))
    return [f"/{NAMES_DIR}/{k}.json" for k in range(packed["names"]["files"])]


def _every_name_loaded(page: Page, root: Path) -> None:
    """Once ready and idle, the page loads every names file, each once, whatever the answers:
    the requests tell nothing of them, and a submit waits for no file (issue 19)."""
    expect(page.locator("#match-app[data-names-loaded='true']")).to_have_count(1)
    urls = _names_after_ready(page)
    assert sorted(urlsplit(u).path for u in urls) == sorted(_names_files(root)), urls
    for url in urls:
        assert set(parse_qs(urlsplit(url).query)) == {"v"}, url


def _open(page: Page, served: Served) -> list[str]:
    """Open the page, wait for its data and every name, and return the list that records every
    later request (answering and submitting fetch nothing more: see _every_name_loaded)."""
    page.goto(served.base + "match/")
    expect(page.locator("#match-app[data-ready='true']")).to_have_count(1)
    _every_name_loaded(page, served.root)
    later: list[str] = []
    page.on("request", lambda request: later.append(request.url))
    return later


def _tick(page: Page, selector: str) -> None:
    page.focus(selector)
    page.keyboard.press("Space")
    expect(page.locator(selector)).to_be_checked()


def _choose(page: Page, selector: str, label: str) -> None:
    """Choose an option of a select by keyboard only: focus it, then arrow down to the label."""
    page.focus(selector)
    page.keyboard.press("Home")
    for _ in range(80):
        if page.eval_on_selector(selector, "s => s.options[s.selectedIndex].text") == label:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"{label!r} not reached in {selector}")


def _open_group(page: Page, name: str) -> None:
    """Open a collapsed question by keyboard (its summary), unless it is open."""
    if page.eval_on_selector(f"#group-{name}", "d => d.open"):
        return
    page.focus(f"#group-{name} > summary")
    page.keyboard.press("Enter")
    expect(page.locator(f"#group-{name}")).to_have_attribute("open", "")


def _submit(page: Page) -> None:
    page.focus("#match-submit")
    page.keyboard.press("Enter")


def _fill(page: Page, needs: list[str], affinity: str, state_label: str) -> None:
    for need in needs:
        _tick(page, f"#m-needs-{need}")
    _open_group(page, "affinities")
    _tick(page, f"#m-affinities-{affinity}")
    _open_group(page, "about")
    _choose(page, "#m-state", state_label)
    _choose(page, "#m-team_size", "2")
    page.focus("#match-submit")
    page.keyboard.press("Enter")
    expect(page.locator("#match-result")).to_be_visible()


def test_keyboard_request_team_link_and_no_network(page: Page, served_site: Served) -> None:
    site = served_site.root
    directory = json.loads((site / "directory.json").read_text(encoding="utf-8"))
    needs_field = {f.id: f for f in form_fields()}["needs"]
    needs = [needs_field.values[3], needs_field.values[0]]  # ticked in this order: importance
    affinity = next(iter(directory["vocabulary"]["affinities"]))
    later = _open(page, served_site)
    _fill(page, needs, affinity, "Illinois")

    request = Request(needs=needs, affinities=[affinity], state="IL", team_size=2)
    team = _bot_on_public_data(site, request)
    assert team.members, "the sample network should give a team"
    names = page.locator("#match-team > li .card-name").all_inner_texts()
    assert names == [m.mentor.name for m in team.members]
    reasons = page.locator("#match-team > li").first.locator(".facts li").all_inner_texts()
    assert reasons == list(team.members[0].reasons)
    expect(page.locator("#match-explanation")).to_have_text(team.explanation.text)
    expect(page.locator("#match-differ")).to_contain_text("private")
    expect(page.locator("#match-alternates > li")).to_have_count(3)

    ids = [m.mentor.id for m in team.members]
    hrefs = page.locator("#match-team > li .card-name a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs == [f"{served_site.base}mentors/{i}/" for i in ids]
    assert all((site / "mentors" / i / "index.html").is_file() for i in ids)
    labels = [needs_field.option_of(n) for n in needs]
    link = page.locator("#match-request").get_attribute("href") or ""
    assert link.startswith(REPOSITORY_URL + "/issues/new?")
    query = parse_qs(urlsplit(link).query)
    assert set(query) == {"template", "mentors", "needs"}
    assert query["mentors"] == [", ".join(ids)]
    assert query["needs"] == [",".join(labels)]

    _tick(page, "#m-public")
    query = parse_qs(urlsplit(page.locator("#match-request").get_attribute("href") or "").query)
    assert query["state"] == ["Illinois"]
    assert query["affinities"] == [directory["vocabulary"]["affinities"][affinity]]
    assert query["mentors"] == [", ".join(ids)]

    # nothing stored until asked; then kept, then cleared
    assert page.evaluate("() => window.localStorage.length") == 0
    page.focus("#shortlist-keep")
    page.keyboard.press("Enter")
    kept = json.loads(page.evaluate("() => window.localStorage.getItem('mentormemed-shortlist')"))
    assert kept == [[{"id": m.mentor.id, "name": m.mentor.name} for m in team.members]]
    page.focus("#shortlist-clear")
    page.keyboard.press("Enter")
    assert page.evaluate("() => window.localStorage.length") == 0
    expect(page.locator("#shortlist-status")).to_have_text("Nothing is kept on this device.")

    assert later == [], "answering, submitting or keeping fetched something: every name was in"


def test_a_must_that_empties_the_pool_is_explained(page: Page, served_site: Served) -> None:
    later = _open(page, served_site)
    needs = {f.id: f for f in form_fields()}["needs"].values[:1]
    _tick(page, f"#m-needs-{needs[0]}")
    _open_group(page, "about")
    _choose(page, "#m-state", "Guam")
    _open_group(page, "must")
    _tick(page, "#m-must-state")
    page.focus("#match-submit")
    page.keyboard.press("Enter")
    expect(page.locator("#match-status")).to_have_text("No team: see why below.")
    expect(page.locator("#match-explanation")).to_contain_text("emptied the pool")
    expect(page.locator("#match-team > li")).to_have_count(0)
    assert later == []


def test_more_needs_than_a_request_allows_are_refused(page: Page, served_site: Served) -> None:
    later = _open(page, served_site)
    needs = {f.id: f for f in form_fields()}["needs"]
    for need in needs.values[: (needs.max_items or 10) + 1]:
        _tick(page, f"#m-needs-{need}")
    _submit(page)
    # the message is by the question (issue 14), not only in the results' status line
    expect(page.locator("#error-needs")).to_have_text(
        f"Choose at most {needs.max_items} under: {needs.label}. You chose {(needs.max_items or 10) + 1}."
    )
    expect(page.locator("#error-needs")).to_be_focused()
    expect(page.locator("#match-result")).to_be_hidden()
    assert later == []


@pytest.mark.parametrize("width", [1280, 360])
def test_axe_and_screenshot(page: Page, served_site: Served, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    directory = json.loads((served_site.root / "directory.json").read_text(encoding="utf-8"))
    _open(page, served_site)
    assert axe_violations(page) == []
    needs = {f.id: f for f in form_fields()}["needs"].values
    _fill(page, [needs[0], needs[5]], next(iter(directory["vocabulary"]["affinities"])), "Texas")
    assert axe_violations(page) == []
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the match page scrolls sideways at {width}px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"match-{width}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 5_000
    # one screen of the answer and one of the request part, at the size a phone shows them
    for part in ("match-heading", "match-differ"):
        page.locator(f"#{part}").scroll_into_view_if_needed()
        page.evaluate(f"() => document.getElementById('{part}').scrollIntoView()")
        page.screenshot(path=str(SCREENSHOTS / f"match-{width}-{part}.png"))


def test_the_page_is_linked_from_the_nav_and_the_home_page(page: Page, served_site: Served) -> None:
    page.goto(served_site.base)
    expect(page.locator("nav a[href$='match/']")).to_have_count(1)
    # the home page links it from its buttons and from the mentees' text (issue 14)
    assert page.locator("main a[href$='match/']").count() >= 1
    expect(page.locator("main .hero a[href$='match/']")).to_have_count(1)


def test_the_page_loads_the_matching_fields_not_the_whole_export(page: Page, served_site: Served) -> None:
    site = served_site.root
    directory = json.loads((site / "directory.json").read_text(encoding="utf-8"))
    light = read_match_mentors(site)
    fields = set(MATCHER_MENTOR_FIELDS)
    assert light["vocabulary"] == directory["vocabulary"]
    # every mentor with every matching field, in the matcher's form: by id, lists as sorted sets
    expected = [
        {k: sorted(v) if k in LIST_FIELDS else v for k, v in m.items() if k in fields}
        for m in sorted(directory["mentors"], key=lambda m: m["id"])
    ]
    assert light["mentors"] == expected
    packed = (site / "match" / "mentors.json").read_text(encoding="utf-8")
    assert not any(m["name"] in packed for m in light["mentors"])  # names: only in match/names/
    assert not any(f'"{m["id"]}"' in packed for m in light["mentors"])  # ids too (and match/ids.json)
    assert all("bio" not in m and "contact" not in m for m in light["mentors"])
    assert len((site / "match" / "mentors.json").read_bytes()) < len((site / "directory.json").read_bytes())
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    page.goto(served_site.base + "match/")
    expect(page.locator("#match-app[data-ready='true']")).to_have_count(1)
    # ready without a name or an id: those files are asked for only after (match.js marks ready)
    before_ready = [urlsplit(url).path for url in page.evaluate(MATCH_SPLIT_JS)[0]]
    assert "/match/mentors.json" in before_ready
    assert not any(p.startswith("/match/names/") or p == "/match/ids.json" for p in before_ready)
    _every_name_loaded(page, site)
    assert "/directory.json" not in fetched
    assert "/match/ids.json" not in fetched
    # its scripts: the matcher, the page's helpers, directory-state.js (distance, counts), its own
    scripts = [path.rsplit("/", 1)[1] for path in fetched if path.endswith(".js")]
    assert scripts == [
        "matcher.js",
        "match-data.js",
        "dom.js",
        "directory-state.js",
        "handover.js",
        "match.js",
    ]
    assert page.evaluate("() => typeof window.DirectoryState.distance") == "function"
    expect(page.locator("#match-app")).to_contain_text(f"{len(light['mentors']):,} mentors loaded")


#: Counts the matcher's runs: wraps MentorMatcher.matchTeam as soon as matcher.js defines it.
COUNT_MATCHES = """
(() => {
  let matcher;
  window.__matches = 0;
  Object.defineProperty(window, "MentorMatcher", {
    configurable: true,
    get() { return matcher; },
    set(value) {
      const run = value.matchTeam;
      value.matchTeam = function () { window.__matches += 1; return run.apply(this, arguments); };
      matcher = value;
    },
  });
})();
"""


def test_the_matcher_is_warmed_up_when_idle_and_nothing_shows(page: Page, served_site: Served) -> None:
    """Once ready and idle the page runs the matcher once (the browser compiles it then, not on
    the mentee's first submit), and shows, fetches and keeps nothing of it."""
    page.add_init_script(COUNT_MATCHES)
    later = _open(page, served_site)
    status = page.text_content("#match-status")
    page.evaluate(IDLE_JS)
    assert page.evaluate("() => window.__matches") == 1
    expect(page.locator("#match-result")).to_be_hidden()
    assert page.text_content("#match-status") == status
    assert later == [], "the warm-up fetched names"
    assert page.evaluate("() => localStorage.length") == 0
    _tick(page, f"#m-needs-{NEEDS.values[0]}")
    _submit(page)
    expect(page.locator("#match-result")).to_be_visible()
    assert page.evaluate("() => window.__matches") == 2
    assert later == [], "the submit fetched something: every name was in"


# --------------------------------------------------------------------------- issue 14: a page of its own

NEEDS = {f.id: f for f in form_fields()}["needs"]


def _in_viewport(page: Page, selector: str) -> bool:
    box: dict[str, float] = page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect(); return {t: r.top, b: r.bottom, l: r.left, r: r.right} }",
    )
    size = page.viewport_size or {"width": 0, "height": 0}
    return box["t"] >= 0 and box["l"] >= 0 and box["b"] <= size["height"] and box["r"] <= size["width"]


def _clickable(page: Page, selector: str) -> bool:
    """Whether the element is what a tap at its centre reaches (nothing covers it)."""
    page.locator(selector).scroll_into_view_if_needed()
    hit: bool = page.eval_on_selector(
        selector,
        """e => { const r = e.getBoundingClientRect();
                  const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                  return at === e || e.contains(at); }""",
    )
    return hit


@pytest.mark.parametrize("width", [360, 1024, 1280, 1920])
def test_the_team_is_visible_and_clickable_after_submit(page: Page, served_site: Served, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    _open(page, served_site)
    _tick(page, f"#m-needs-{NEEDS.values[0]}")
    _tick(page, f"#m-needs-{NEEDS.values[2]}")
    _submit(page)
    expect(page.locator("#match-result")).to_be_visible()
    expect(page.locator("#match-heading")).to_be_focused()
    assert _in_viewport(page, "#match-heading"), "the answer's heading is on screen after submit"
    links = page.locator("#match-team > li .card-name a")
    assert links.count() >= 1
    for i in range(links.count()):
        assert _clickable(page, f"#match-team > li:nth-child({i + 1}) .card-name a"), (
            f"team link {i} is covered"
        )
    assert _clickable(page, "#match-request")
    # a card starts with its name: no gap above it but the card's own padding
    gaps = page.eval_on_selector_all(
        "#match-result .card",
        """cards => cards.map((card) => card.querySelector('.card-name').getBoundingClientRect().top
            - card.getBoundingClientRect().top - parseFloat(getComputedStyle(card).paddingTop)
            - parseFloat(getComputedStyle(card).borderTopWidth))""",
    )
    assert gaps and all(abs(gap) <= 1 for gap in gaps), gaps
    form = page.locator("#match-form").bounding_box()
    results = page.locator(".match-results").bounding_box()
    assert form and results
    if width >= 1024:  # side by side, without overlap
        assert results["x"] >= form["x"] + form["width"]
        assert results["y"] < form["y"] + 200
    else:  # form, then results
        assert results["y"] >= form["y"] + form["height"]
    href = links.first.get_attribute("href") or ""
    links.first.click()
    page.wait_for_url("**/mentors/*/")
    assert urlsplit(page.url).path.endswith(href.removeprefix("../"))


@pytest.mark.parametrize("width", [360, 1280])
def test_an_error_is_next_to_its_question_visible_and_focused(
    page: Page, served_site: Served, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 700})
    later = _open(page, served_site)
    _submit(page)
    error = page.locator("#error-needs")
    expect(error).to_have_text("Choose at least one area you want help with.")
    expect(error).to_be_focused()
    assert _in_viewport(page, "#error-needs")
    assert error.get_attribute("aria-live") == "assertive"
    described = page.get_attribute("fieldset[data-name='needs']", "aria-describedby") or ""
    assert "error-needs" in described.split()
    expect(page.locator("#match-result")).to_be_hidden()
    # the error goes once the answer is fixed
    _tick(page, f"#m-needs-{NEEDS.values[1]}")
    _submit(page)
    expect(page.locator("#match-result")).to_be_visible()
    expect(error).to_have_text("")
    assert later == [], "the submit fetched something: every name was in"


def test_a_must_without_an_answer_is_rejected(page: Page, served_site: Served) -> None:
    _open(page, served_site)
    _tick(page, f"#m-needs-{NEEDS.values[0]}")
    _open_group(page, "must")
    _tick(page, "#m-must-languages")
    _submit(page)
    error = page.locator("#error-must")
    expect(error).to_contain_text("A mentor must speak a language I chose")
    expect(error).to_contain_text("Languages you would like to meet in")
    expect(error).to_be_focused()
    assert _in_viewport(page, "#error-must")
    expect(page.locator("#match-result")).to_be_hidden()
    # answered, the must is kept: every mentor of the team speaks the language
    _open_group(page, "languages")
    _tick(page, "#m-languages-es")
    _submit(page)
    expect(page.locator("#match-result")).to_be_visible()
    expect(error).to_have_text("")
    team = page.locator("#match-team > li")
    assert team.count() >= 1
    for i in range(team.count()):
        expect(team.nth(i)).to_contain_text("Spanish")


def _ranked(page: Page) -> list[str]:
    return page.locator("#ranked-needs .ranked-name").all_inner_texts()


def test_needs_are_ranked_visibly_and_reordered_by_keyboard(page: Page, served_site: Served) -> None:
    _open(page, served_site)
    picked = [NEEDS.values[4], NEEDS.values[1], NEEDS.values[7]]
    for need in picked:
        _tick(page, f"#m-needs-{need}")
    labels = [NEEDS.option_of(n) for n in picked]
    assert _ranked(page) == labels
    expect(page.locator("#chosen-needs")).to_contain_text(f"3 chosen: {', '.join(labels)}")
    # move the third up twice with the keyboard: focus stays on the moved item's button
    page.focus(f"#ranked-needs li[data-value='{picked[2]}'] button[data-move='up']")
    page.keyboard.press("Enter")
    expect(page.locator(f"#ranked-needs li[data-value='{picked[2]}'] button[data-move='up']")).to_be_focused()
    page.keyboard.press("Enter")
    assert _ranked(page) == [labels[2], labels[0], labels[1]]
    expect(page.locator("#ranked-needs-status")).to_have_text(f"{labels[2]} is now 1 of 3.")
    # at the top, Up is disabled and the focus is on Down
    expect(
        page.locator(f"#ranked-needs li[data-value='{picked[2]}'] button[data-move='down']")
    ).to_be_focused()
    _submit(page)
    expect(page.locator("#match-result")).to_be_visible()
    query = parse_qs(urlsplit(page.locator("#match-request").get_attribute("href") or "").query)
    assert query["needs"] == [",".join([labels[2], labels[0], labels[1]])]
    # unticking removes it from the ranking; a single need needs no ranking
    _tick_off = page.locator(f"#m-needs-{picked[0]}")
    _tick_off.focus()
    page.keyboard.press("Space")
    assert _ranked(page) == [labels[2], labels[1]]


def test_needs_are_reordered_by_touch(browser: Any, served_site: Served) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        _open(page, served_site)
        picked = [NEEDS.values[0], NEEDS.values[3]]
        for need in picked:
            page.locator(f"label[for='m-needs-{need}']").tap()
        page.locator(f"#ranked-needs li[data-value='{picked[1]}'] button[data-move='up']").tap()
        assert _ranked(page) == [NEEDS.option_of(picked[1]), NEEDS.option_of(picked[0])]
        box = page.locator(
            f"#ranked-needs li[data-value='{picked[1]}'] button[data-move='down']"
        ).bounding_box()
        assert box and box["width"] >= 44 and box["height"] >= 44, "touch targets of at least 44 px"
    finally:
        context.close()


def test_the_opt_in_label_lists_exactly_what_it_adds(page: Page, served_site: Served) -> None:
    directory = json.loads((served_site.root / "directory.json").read_text(encoding="utf-8"))
    affinity = next(iter(directory["vocabulary"]["affinities"]))
    _open(page, served_site)
    _fill(page, [NEEDS.values[0]], affinity, "Illinois")
    fields = {f.id: f for f in form_fields()}
    label = page.locator("#m-public-label").inner_text()
    _tick(page, "#m-public")
    query = parse_qs(urlsplit(page.locator("#match-request").get_attribute("href") or "").query)
    added = set(query) - {"template", "mentors", "needs"}
    assert added == {"affinities", "state", "team_size"}
    for name in added:
        answer = query[name][0].replace(",", ", ")
        assert f"{fields[name].label}: {answer}" in label, (name, label)
    assert label.count(":") == len(added) + 1, f"the label names something the link does not add: {label}"
    page_text = page.locator("main").inner_text()
    assert "sent anywhere" not in page_text.replace("Your answers are not sent anywhere", "")


def test_named_mentors_are_validated_and_carried(page: Page, served_site: Served) -> None:
    directory = json.loads((served_site.root / "directory.json").read_text(encoding="utf-8"))
    accepting = [m["id"] for m in directory["mentors"] if m["accepting"]]
    wanted = accepting[-1]
    later = _open(page, served_site)
    _tick(page, f"#m-needs-{NEEDS.values[0]}")
    page.fill("#m-mentors", wanted[:-1] + "x")
    _submit(page)
    error = page.locator("#error-mentors")
    expect(error).to_contain_text(f"no mentor has the id “{wanted[:-1]}x”".capitalize())
    expect(error).to_contain_text(f"did you mean “{wanted}”?")
    expect(error).to_be_focused()
    expect(page.locator("#m-mentors")).to_have_attribute("aria-invalid", "true")
    page.fill("#m-mentors", f"{served_site.base}mentors/{wanted}/")
    _submit(page)
    expect(page.locator("#match-result")).to_be_visible()
    expect(page.locator("#m-mentors")).not_to_have_attribute("aria-invalid", "true")
    query = parse_qs(urlsplit(page.locator("#match-request").get_attribute("href") or "").query)
    assert query["mentors"][0].split(", ")[0] == wanted
    # every id came with the names files: typing ids fetches nothing (with Save-Data on, it
    # fetches match/ids.json: test_with_save_data_only_the_shown_names_are_loaded)
    assert later == [], "typing mentor ids fetched something: every id was in"
    name = next(m["name"] for m in directory["mentors"] if m["id"] == wanted)
    card = page.locator("#match-team > li, #match-alternates > li").filter(has_text=name)
    expect(card.first).to_contain_text("you asked for this mentor")


def test_names_that_cannot_be_loaded_say_so(browser: Any, served_site: Served) -> None:
    """The cards need the names files (ids and names): without them no team is shown, the status
    says why, and the next submit asks again. (A context of its own: the failed load is logged.)"""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        asked: list[str] = []

        def refuse(route: Route) -> None:
            asked.append(route.request.url)
            route.abort()

        page.route("**/match/names/*", refuse)
        page.goto(served_site.base + "match/")
        expect(page.locator("#match-app[data-ready='true']")).to_have_count(1)
        page.wait_for_function("() => performance.getEntriesByName('match-ready').length > 0")
        page.evaluate(IDLE_JS)
        assert asked, "every name is asked for once the page is idle"
        expect(page.locator("#match-app")).not_to_have_attribute("data-names-loaded", "true")
        _tick(page, f"#m-needs-{NEEDS.values[0]}")
        _submit(page)
        expect(page.locator("#match-status")).to_contain_text("names could not be loaded")
        expect(page.locator("#match-result")).to_be_hidden()
        page.unroute("**/match/names/*")
        _submit(page)
        expect(page.locator("#match-result")).to_be_visible()
        expect(page.locator("#match-team > li").first).to_be_visible()
    finally:
        context.close()


# --------------------------------------------------------------------------- issue 19: every name, once idle

#: Save-Data on, as a browser with the data saver would say it.
SAVE_DATA = "Object.defineProperty(Navigator.prototype, 'connection', { get: () => ({ saveData: true }) });"


@pytest.fixture(scope="module")
def served_names(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A network with several names files (the sample has one), built and served."""
    content = tmp_path_factory.mktemp("names-network") / "content"
    write_network(content, 4 * NAMES_PER_FILE + 90, 12, seed=23)
    output = content.parent / "output"
    build(content, output, site_url=SITE_URL, repository_url=REPOSITORY_URL)
    with serving(output) as served:
        yield served


def _shown_files(page: Page, root: Path) -> set[str]:
    """The names files that hold the mentors the page shows (ranks are the ids' order)."""
    ids = json.loads((root / IDS_FILE).read_text(encoding="utf-8"))
    links = page.locator("#match-team > li .card-name a, #match-alternates > li .card-name a")
    shown = [href.rstrip("/").rsplit("/", 1)[1] for href in links.evaluate_all("a => a.map(x => x.href)")]
    assert shown and all(name for name in page.locator(".card-name").all_inner_texts())
    return {f"/{NAMES_DIR}/{ids.index(i) // NAMES_PER_FILE}.json" for i in shown}


@pytest.mark.parametrize("needs", [[0], [3, 1, 5]])
def test_every_name_is_loaded_whatever_the_answers(
    browser: Any, served_names: Served, needs: list[int]
) -> None:
    """Once idle, the page asks for every names file, each once, before any answer: the same
    requests for every mentee, so none tells the host which mentors a mentee's answers found;
    the submit then shows its team, names included, without a request."""
    every = _names_files(served_names.root)
    assert len(every) == 5
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        later = _open(page, served_names)  # checks: every names file, each once, after ready
        mentors = len(read_match_mentors(served_names.root)["mentors"])
        assert mentors > 1000  # the count as the pages print it
        expect(page.locator("#match-loading")).to_have_text(
            f"{mentors:,} mentors loaded; the matching runs on this device."
        )
        for n in needs:
            _tick(page, f"#m-needs-{NEEDS.values[n]}")
        _submit(page)
        expect(page.locator("#match-result")).to_be_visible()
        assert _shown_files(page, served_names.root) <= set(every)
        assert later == [], "the submit fetched something: every name was in"
    finally:
        context.close()


def test_with_save_data_only_the_shown_names_are_loaded(browser: Any, served_names: Served) -> None:
    """A mentee who turned the data saver on loads only the names files of the mentors shown,
    when they are shown (and the page never says every name is in)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(SAVE_DATA)
        page.goto(served_names.base + "match/")
        expect(page.locator("#match-app[data-ready='true']")).to_have_count(1)
        page.evaluate(IDLE_JS)
        assert _names_after_ready(page) == []
        _tick(page, f"#m-needs-{NEEDS.values[0]}")
        _submit(page)
        expect(page.locator("#match-result")).to_be_visible()
        fetched = [urlsplit(u).path for u in _names_after_ready(page)]
        assert len(fetched) == len(set(fetched))
        assert set(fetched) == _shown_files(page, served_names.root)
        assert len(fetched) < len(_names_files(served_names.root))
        expect(page.locator("#match-app")).not_to_have_attribute("data-names-loaded", "true")
        # a typed mentor id is checked against every id: match/ids.json, once
        directory = json.loads((served_names.root / "directory.json").read_text(encoding="utf-8"))
        wanted = next(m["id"] for m in directory["mentors"] if m["accepting"])
        page.fill("#m-mentors", wanted)
        _submit(page)
        card = page.locator("#match-team > li, #match-alternates > li").filter(
            has=page.locator(f"a[href$='/{wanted}/']")
        )
        expect(card.first).to_contain_text("you asked for this mentor")
        page.fill("#m-mentors", wanted + "-x")
        _submit(page)
        expect(page.locator("#error-mentors")).to_contain_text(f"did you mean “{wanted}”?")
        paths = [
            urlsplit(e).path
            for e in page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
        ]
        assert paths.count("/match/ids.json") == 1
    finally:
        context.close()


def test_a_submit_before_every_name_is_in_waits_for_the_same_fetches(
    browser: Any, served_names: Served
) -> None:
    """A mentee quicker than the network: the names files are still on their way when they
    submit. The team shows once its files arrive, and no file is asked for twice."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        held: list[Route] = []

        def hold(route: Route) -> None:
            held.append(route)

        page.route("**/match/names/*", hold)
        page.goto(served_names.base + "match/")
        expect(page.locator("#match-app[data-ready='true']")).to_have_count(1)
        page.evaluate(IDLE_JS)
        every = _names_files(served_names.root)
        assert sorted(urlsplit(r.request.url).path for r in held) == sorted(every)
        _tick(page, f"#m-needs-{NEEDS.values[0]}")
        _submit(page)
        page.wait_for_timeout(300)
        expect(page.locator("#match-result")).to_be_hidden()  # waiting for its names
        for route in held:
            route.continue_()
        expect(page.locator("#match-result")).to_be_visible()
        expect(page.locator("#match-team > li .card-name").first).not_to_be_empty()
        expect(page.locator("#match-app")).to_have_attribute("data-names-loaded", "true")
        asked = [urlsplit(u).path for u in _names_after_ready(page)]
        assert sorted(asked) == sorted(every), "a names file was asked for twice"
    finally:
        context.close()

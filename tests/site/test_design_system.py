"""The design system (issue 14, item 6) and the How it works page's facts (item 5), on built sites.

Every page links ``theme/css/design.css`` (tokens and components) before ``site.css`` and has
no inline style; the classes pages use exist in the stylesheets; the How it works page says
only what the form, the bot and the site do now.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.bot.comments import TEAM_SENTENCE
from generator.bot.plan import COMMAND_NAMES, STATE_LABELS
from generator.content.vocabulary import vocabulary
from generator.requests.issue_form import MAX_NEEDS, REQUEST_FORM, form_fields
from tests.support.htmlscan import html_pages, parse
from tests.support.paths import ROOT
from tests.support.site import REPOSITORY_URL

CSS = ROOT / "theme" / "static" / "css"


def _stylesheets(site: Path, file: Path) -> list[str]:
    page = parse(site, file)
    return [
        (e.get("href") or "").split("?")[0].rsplit("/theme/", 1)[-1]
        for e in page.head
        if e.tag == "link" and e.get("rel") == "stylesheet"
    ]


def test_every_page_links_the_design_system_and_has_no_inline_style(any_site: Path) -> None:
    pages = html_pages(any_site)
    assert len(pages) > 20
    kinds = set()
    for file in pages:
        page = parse(any_site, file)
        sheets = _stylesheets(any_site, file)
        assert sheets[:2] == ["css/design.css", "css/site.css"], (page.path, sheets)
        assert not page.all("style"), page.path
        for element in page.elements:
            assert element.get("style") is None, (page.path, element)
        body = page.all("body")[0]
        kinds.add(str(body.get("class")))
    assert {
        f"page-{kind}"
        for kind in (
            "home",
            "directory",
            "mentor",
            "programs",
            "program",
            "specialties",
            "specialty",
            "match",
            "how-it-works",
            "add-mentors",
            "about",
            "404",
        )
    } <= kinds


def _classes_in_css() -> set[str]:
    text = "".join(path.read_text(encoding="utf-8") for path in CSS.glob("*.css"))
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    return set(re.findall(r"\.([a-zA-Z][\w-]*)", text))


def test_every_class_a_page_uses_is_styled(built_site: Path) -> None:
    """A class no stylesheet knows is a typo or a component the design system lacks."""
    known = _classes_in_css()
    #: Classes that are hooks for scripts and tests, not styles.
    hooks = {"card-title", "profile", "has-filters", "match-form", "group-label"}
    hooks |= {f"page-{p.stem}" for p in (ROOT / "theme" / "templates").glob("*.html")}
    missing: dict[str, str] = {}
    for file in html_pages(built_site):
        page = parse(built_site, file)
        for element in page.elements:
            for name in (element.get("class") or "").split():
                if name not in known and name not in hooks and not name.startswith("page-"):
                    missing.setdefault(name, page.path)
    assert missing == {}


def test_design_tokens_are_custom_properties_used_by_the_pages() -> None:
    design = (CSS / "design.css").read_text(encoding="utf-8")
    site = (CSS / "site.css").read_text(encoding="utf-8")
    for token in ("--space-1", "--space-7", "--text-sm", "--text-2xl", "--focus-width", "--radius"):
        assert re.search(rf"{token}:\s*[^;]+;", design), token
    for component in (".button", ".button-secondary", ".control", ".card", ".avatar", ".status", ".steps"):
        assert re.search(rf"(^|\s|,){re.escape(component)}\s*[{{,]", design, re.MULTILINE), component
    assert ":focus-visible" in design
    # the pages' layouts use the scale, not their own numbers for spacing
    lengths = re.findall(r"(?:margin|padding|gap)[\w-]*:\s*([^;]+);", site)
    raw = [v for v in lengths if re.search(r"\d+(?:\.\d+)?rem", v) and "var(" not in v]
    assert len(raw) <= 0.2 * len(lengths), raw
    # no third-party request: no url() or @import to anywhere
    for text in (design, site):
        assert "@import" not in text and "url(" not in text


def _text(site: Path, path: str) -> str:
    page = parse(site, site / path)
    return " ".join(" ".join(page.text).split())


def test_how_it_works_says_what_the_form_and_the_bot_do(built_site: Path) -> None:
    text = _text(built_site, "how-it-works/index.html")
    html = (built_site / "how-it-works" / "index.html").read_text(encoding="utf-8")
    fields = {f.id: f for f in form_fields(vocabulary())}
    team = fields["team_size"]
    assert team.default is not None
    # the team: its size as the form offers it, and the bot's own sentence
    assert f"up to {team.options[-1]}; {team.options[team.default]} unless you choose" in text
    assert "you meet each mentor on your own" in text.lower()
    assert "it is fine if not all of them can say yes" in TEAM_SENTENCE
    assert f"the areas you want help with (up to {MAX_NEEDS})" in text
    assert f'href="{REPOSITORY_URL}/issues/new?template={REQUEST_FORM}"' in html
    # the labels it names are the bot's, and so are the commands
    for label in ("waiting", "partly-accepted", "accepted", "withdrawn", "closed"):
        assert label in STATE_LABELS and f"<code>{label}</code>" in html
    for command in re.findall(r"<code>/(\w+)</code>", html):
        assert command in COMMAND_NAMES, command
    assert {"accept", "decline", "rematch", "withdraw"} <= set(re.findall(r"<code>/(\w+)</code>", html))
    # every step of the timeline says who can read it
    steps = re.findall(r'<li id="step-[a-z]+">(.*?)</li>\s*(?=<li id="step-|</ol>)', html, re.DOTALL)
    assert len(steps) == 5
    assert all('class="privacy"' in step for step in steps)
    assert "needs a free GitHub account" in text and "shows your GitHub user name" in text
    # linked from the navigation of every page, the home page and the about page
    for page in ("index.html", "about/index.html", "directory/index.html", "404.html"):
        assert "how-it-works/" in (built_site / page).read_text(encoding="utf-8"), page


def test_the_home_page_shows_the_ways_to_ask_in_its_slot(built_site: Path) -> None:
    """Issue 20's `_ways_to_ask.html` fills this element: the last of the mentees' section."""
    html = (built_site / "index.html").read_text(encoding="utf-8")
    start = html.index('<section class="how-mentees"')
    slot = html.index('<div class="ways-to-ask" id="ways-to-ask">', start)
    assert html.index('<section aria-labelledby="how-mentors">', start) > slot
    ways = html[slot : html.index('<section aria-labelledby="how-mentors">', start)]
    assert '<section class="ways"' in ways
    assert ways.count('<section class="way"') == 3

"""The second line of defence: hostile text that got past validation is inert in the output.

The validator rejects HTML in content, so these records are built with ``model_construct``
(no validation) and fed to the plugin directly, as a bug in the validator would.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, expect

from generator.content.models import Contact, Mentor, Program
from generator.content.render import https_only, render_bio, sanitize_html
from generator.site.build import Network, build_site
from generator.site.serve import serve_in_thread
from tests.support.htmlscan import Page, html_pages, parse
from tests.support.site import REPOSITORY_URL, SITE_URL

HOSTILE_BIO = (
    "Hi <script>alert('bio-script')</script> <img src=x onerror=alert('bio-img')> "
    "[click](javascript:alert('bio-md-link')) "
    "<a href=\"javascript:alert('bio-a')\" onclick=\"alert('bio-click')\">x</a> "
    '<iframe src="https://evil.example/"></iframe> [fine](https://ok.example/page)'
)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    program = Program.model_construct(
        id="evil-u",
        name="Evil <script>alert('program-name')</script> U",
        institution="Inst <img src=x onerror=alert('institution')>",
        profession="md",
        state="IL",
        website="javascript:alert('website')",
        maintainers=["x\" onmouseover=\"alert('handle')"],
        description="<svg onload=alert('description')>",
    )
    mentor = Mentor.model_construct(
        id="eve-example",
        name="<script>alert('name')</script>",
        pronouns="\"><img src=x onerror=alert('pronouns')>",
        title="<iframe src=javascript:alert('title')>",
        program="evil-u",
        profession="md",
        stage="ms3",
        degrees=["<b onclick=alert('degree')>MD</b>"],
        specialties=["cardiology"],
        areas=["research"],
        affinities=["first-generation"],
        private_affinities=[],
        languages=["en"],
        meeting=["virtual"],
        state="IL",
        timezone="America/Chicago",
        capacity=2,
        accepting=True,
        contact=Contact.model_construct(github=None, url="javascript:alert('contact')", orcid=None),
        bio=HOSTILE_BIO,
        last_confirmed=dt.date(2025, 1, 1),
    )
    output = tmp_path_factory.mktemp("hostile") / "output"
    build_site(
        Network({"evil-u": program}, {"eve-example": mentor}),
        output,
        site_url=SITE_URL,
        repository_url=REPOSITORY_URL,
    )
    return output


#: The only scripts a page may load, by kind of page (the body's ``page-<id>`` class): the
#: site's own files, in this order. The match page loads directory-state.js for its distance.
PAGE_SCRIPTS: dict[str, tuple[str, ...]] = {
    "directory": ("theme/js/dom.js", "theme/js/directory-state.js", "theme/js/directory.js"),
    "match": (
        "theme/js/matcher.js",
        "theme/js/match-data.js",
        "theme/js/dom.js",
        "theme/js/directory-state.js",
        "theme/js/handover.js",
        "theme/js/match.js",
    ),
    "mentor": ("theme/js/mentor.js",),
}


def _page_kind(page: Page) -> str:
    body = next(e for e in page.elements if e.tag == "body")
    kinds = [c[len("page-") :] for c in (body.get("class") or "").split() if c.startswith("page-")]
    assert len(kinds) == 1, page.path
    return kinds[0]


def test_hostile_text_is_inert_in_every_page(hostile_site: Path) -> None:
    for file in html_pages(hostile_site):
        page = parse(hostile_site, file)
        allowed = PAGE_SCRIPTS.get(_page_kind(page), ())
        scripts = []
        for element in page.elements:
            assert element.tag not in {"img", "iframe", "svg", "b", "object", "embed"}, (page.path, element)
            if element.tag == "script":
                src = (element.get("src") or "").split("?")[0]
                assert src.endswith(allowed), (page.path, src)
                scripts.append(next(a for a in allowed if src.endswith(a)))
            for name, value in element.attrs:
                assert not name.startswith("on"), (page.path, element)
                assert "javascript:" not in (value or "").lower(), (page.path, element)
        assert "".join(page.script_text).strip() == ""
        if page.path in ("directory/index.html", "match/index.html"):
            assert tuple(scripts) == allowed, page.path


def test_hostile_text_is_shown_as_text(hostile_site: Path) -> None:
    text = (hostile_site / "mentors" / "eve-example" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in text
    assert "&#34;&gt;&lt;img src=x onerror=alert(&#39;pronouns&#39;)&gt;" in text
    assert "bio-script" not in text  # nh3 drops a script element with its content
    assert '<a href="https://ok.example/page" rel="nofollow noopener noreferrer">fine</a>' in text
    assert "Profile page" not in text  # a javascript: contact address is not linked at all
    program = (hostile_site / "programs" / "evil-u" / "index.html").read_text(encoding="utf-8")
    assert "Website" not in program
    assert 'href="https://github.com/x%22%20onmouseover%3D%22alert%28%27handle%27%29"' in program


def test_directory_export_has_only_well_formed_addresses(hostile_site: Path) -> None:
    """directory.json is read by other sites: an address that is not a well-formed https URL
    (here javascript:) is left out even when a record skipped validation."""
    export = json.loads((hostile_site / "directory.json").read_text(encoding="utf-8"))
    assert [p["website"] for p in export["programs"]] == [""]
    assert [m["contact"] for m in export["mentors"]] == [None]


def test_render_bio_allowlist() -> None:
    html = str(render_bio(HOSTILE_BIO))
    fragment = Page()
    fragment.feed(html)
    assert {e.tag for e in fragment.elements} <= {"p", "a"}
    for element in fragment.elements:
        assert [name for name, _ in element.attrs] in (["href", "rel"], ["rel"], [])
        assert (element.get("href") or "https://").startswith("https://")
    assert "bio-script" not in html and "<img" not in html and "<iframe" not in html
    assert str(render_bio("*a* and **b**\n\n- one\n- two")) == (
        "<p><em>a</em> and <strong>b</strong></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    )
    for url in [
        "http://plain.example/",
        "/relative",
        "//evil.example/",
        "data:text/html,x",
        "mailto:x@example.org",  # an address in a link is as harvestable as one in the text
    ]:
        assert (
            sanitize_html(f'<a href="{url}" title="t">p</a>') == '<a rel="nofollow noopener noreferrer">p</a>'
        )
    assert render_bio(None) == "" and render_bio("") == ""


def test_https_only() -> None:
    assert https_only("https://a.example/x") == "https://a.example/x"
    for bad in ["javascript:alert(1)", "http://a.example/", 'https://a.example/" onclick=x', None, ""]:
        assert https_only(bad) == ""


def test_hostile_text_is_inert_in_cards_built_by_the_browser(hostile_site: Path, browser: Browser) -> None:
    """directory.js draws cards from facets.json with DOM calls: the text stays text."""
    server, base = serve_in_thread(hostile_site)
    context = browser.new_context()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    try:
        page = context.new_page()
        page.on("dialog", on_dialog)
        page.goto(base + "directory/?meeting=virtual")  # a filter: the script draws the list
        expect(page.locator("#result-count")).to_have_text("1 of 1 mentor match")
        name = page.locator("#m-eve-example-name")
        expect(name.locator("a")).to_have_text("<script>alert('name')</script>")
        expect(name.locator(".pronouns")).to_have_text("(\"><img src=x onerror=alert('pronouns')>)")
        expect(page.locator("#results .card-meta a")).to_have_text(
            "Evil <script>alert('program-name')</script> U"
        )
        assert page.locator("#results script, #results img, #results iframe").count() == 0
        page.wait_for_timeout(300)
        assert dialogs == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()

"""What the site and the request form tell mentees (issue 14): no feature announced as
"coming" or "soon" (they exist), and the home page says what asking needs and the private way."""

from __future__ import annotations

import re
from pathlib import Path

from generator.requests.issue_form import TEMPLATE_DIR, render_files
from tests.support.htmlscan import html_pages
from tests.support.paths import ROOT

#: Words that announce a feature as not there yet.
NOT_YET = re.compile(r"\b(coming|soon|still to come|not yet available|until then)\b", re.IGNORECASE)
#: A mentor's bio is the mentor's own words ("I'll reopen soon"), not the site's.
BIO = re.compile(r'<section class="bio".*?</section>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def _site_text(file: Path) -> str:
    return TAG.sub(" ", BIO.sub(" ", file.read_text(encoding="utf-8")))


def test_no_published_page_announces_a_feature_as_coming(any_site: Path) -> None:
    found = {
        page.relative_to(any_site).as_posix(): NOT_YET.findall(_site_text(page))
        for page in html_pages(any_site)
    }
    assert {path: words for path, words in found.items() if words} == {}


def test_the_issue_form_files_announce_nothing_as_coming() -> None:
    for name, text in render_files().items():
        assert not NOT_YET.findall(text), name
        assert (ROOT / TEMPLATE_DIR / name).read_text(encoding="utf-8") == text
    assert "/match/" in render_files()["config.yml"], "the template chooser links the private team page"


def test_the_checker_finds_the_words() -> None:
    assert NOT_YET.findall("The private matching page is coming. Until then, browse.")
    assert NOT_YET.findall("Soon: a bot.")
    assert not NOT_YET.findall("Upcoming becoming")


def test_the_home_page_states_what_a_request_needs_and_the_private_way(built_site: Path) -> None:
    text = " ".join(_site_text(built_site / "index.html").split())
    assert "No account is needed" not in text
    assert "needs a free GitHub account" in text
    assert "shows your GitHub user name" in text
    assert "carries only the mentor ids and the areas you want help with" in text
    assert re.search(
        r'<main.*href="[^"]*/match/"', (built_site / "index.html").read_text(encoding="utf-8"), re.DOTALL
    )

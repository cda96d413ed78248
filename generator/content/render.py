"""Turning profile text into safe HTML and plain text, and building outgoing links.

The validator already rejects HTML in content; this module is the second line of defence:
whatever a bio contains, :func:`render_bio` returns HTML made only of an allowlist of tags,
with ``href`` as the only attribute and only ``https:`` and ``mailto:`` links.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from urllib.parse import urlencode

import markdown
import nh3
from markupsafe import Markup

from generator.content.models import Request

BIO_TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "blockquote"})
BIO_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"

#: The request issue form and the ids of the fields the "Request this mentor" link fills in.
REQUEST_FORM = "mentor-request.yml"
REQUEST_FIELD_MENTORS = "mentors"
REQUEST_FIELD_NEEDS = "needs"


def sanitize_html(fragment: str) -> str:
    """Keep only the allowlisted tags, ``href`` on links, and https/mailto addresses."""
    return nh3.clean(
        fragment,
        tags=set(BIO_TAGS),
        # "*": no attribute on every tag (nh3 would otherwise keep lang and title anywhere).
        attributes={"*": set(), **{tag: set(attrs) for tag, attrs in BIO_ATTRIBUTES.items()}},
        url_relative="deny",
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


_MARKDOWN = markdown.Markdown(output_format="html")
#: bio → its Markdown as (unsanitised) HTML; filled as bios are converted, and by the build
#: cache with the previous build's conversions (see :func:`markdown_memo`).
_HTML: dict[str, str] = {}


def _markdown_html(text: str) -> str:
    """Markdown to (unsanitised) HTML with one reused converter: building a converter per bio
    costs more than converting it. The memo serves the page and the search index alike."""
    html_text = _HTML.get(text)
    if html_text is None:
        html_text = _HTML[text] = _convert(text)
    return html_text


def convert_all(texts: Iterable[str]) -> None:
    """Convert every bio not converted yet, split between processes (see generator.core.parallel);
    the page renderer and the search index then find them in the memo."""
    from generator.core.parallel import parallel_map

    todo = sorted({t for t in texts if t and t not in _HTML})
    for text, converted in zip(todo, parallel_map(_convert, todo), strict=True):
        _HTML[text] = converted


def _convert(text: str) -> str:
    return _MARKDOWN.reset().convert(text)


def markdown_memo() -> dict[str, str]:
    """The conversions made so far (bio → HTML), for the build cache to keep or to preload.

    Only the Markdown step is remembered; sanitising always runs on the way out.
    """
    return _HTML


def render_bio(text: str | None) -> Markup:
    """A bio's simple Markdown as sanitised HTML (empty for no bio)."""
    if not text:
        return Markup("")
    return Markup(sanitize_html(_markdown_html(text)))  # sanitised here


def plain_text(text: str | None) -> str:
    """A bio's words without Markdown or markup, for the search index."""
    if not text:
        return ""
    stripped = nh3.clean(_markdown_html(text), tags=set(), strip_comments=True)
    return " ".join(html.unescape(stripped).split())


def https_only(url: str | None) -> str:
    """``url`` if it is a plain https:// address, else "" (a template then shows no link)."""
    if not url or not url.startswith("https://") or any(c.isspace() or c in "\"'<>`" for c in url):
        return ""
    return url


#: the most needs a Request may name (its ``needs`` field's max_length)
MAX_NEEDS: int = Request.model_json_schema()["properties"]["needs"]["maxItems"]


def request_url(repository_url: str, mentor_id: str, needs: Iterable[str]) -> str:
    """The repository's request issue form, with this mentor and the areas pre-filled.

    GitHub fills issue-form fields from query parameters named by field id; a multi-select
    dropdown takes its option labels separated by commas. A request names at most as many
    needs as the Request model allows, so only the mentor's first areas are pre-filled.
    """
    needs = list(needs)[:MAX_NEEDS]
    query = urlencode(
        {
            "template": REQUEST_FORM,
            REQUEST_FIELD_MENTORS: mentor_id,
            REQUEST_FIELD_NEEDS: ",".join(needs),
        }
    )
    return f"{repository_url.rstrip('/')}/issues/new?{query}"

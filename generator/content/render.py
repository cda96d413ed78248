"""Turning profile text into safe HTML and plain text, and checking outgoing links.

The validator already rejects HTML in content; this module is the second line of defence:
whatever a bio contains, :func:`render_bio` returns HTML made only of an allowlist of tags,
with ``href`` as the only attribute and only ``https:`` and ``mailto:`` links.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import markdown
import nh3
from markupsafe import Markup

BIO_TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "blockquote"})
BIO_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"


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

"""Turning profile text into safe HTML and plain text, and checking outgoing links.

The validator already rejects HTML in content; this module is the second line of defence:
whatever a bio contains, :func:`render_bio` returns HTML made only of an allowlist of tags,
with ``href`` as the only attribute and only ``https:`` links (no ``mailto:``: an address in
a link is as harvestable as one in the text). :func:`published` says what a reader of a
rendered text sees, for the validator's checks of what is published
(:mod:`generator.content.textrules`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3
from markupsafe import Markup

from generator.content.urls import is_https_url

BIO_TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "blockquote"})
BIO_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"https"})
LINK_REL = "nofollow noopener noreferrer"


def sanitize_html(fragment: str) -> str:
    """Keep only the allowlisted tags, ``href`` on links, and https addresses."""
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
    """``url`` if it is a well-formed https:// address (the validator's rule), else ""
    (a template then shows no link)."""
    if not url or not is_https_url(url):
        return ""
    return url


@dataclass(frozen=True)
class Published:
    """What a reader of a rendered text gets: its words and the targets of its links."""

    #: the words as shown (Markdown applied, tags dropped, character codes decoded)
    text: str
    #: every ``href`` and ``src`` of the Markdown's HTML, character codes decoded, before
    #: sanitising (a superset of the links the page keeps)
    links: tuple[str, ...]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value for name, value in attrs if name in {"href", "src"} and value]


def published(text: str) -> Published:
    """What the site publishes of ``text`` rendered as a bio is: the words a reader sees and
    the addresses its links point to (Markdown escapes, emphasis and character codes undone)."""
    markup = _markdown_html(text)
    words = html.unescape(nh3.clean(markup, tags=set(), strip_comments=True))
    parser = _Links()
    parser.feed(markup)
    parser.close()
    return Published(" ".join(words.split()), tuple(parser.links))

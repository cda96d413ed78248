"""Reading built pages: every element with its attributes, inline script text, links."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

#: Pages are checked as if served from this address (the default site URL's path).
BASE_HOST = "https://site.invalid"
SITE_PATH = "/directory/"

RESOURCE_ATTRIBUTES = {
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("iframe", "src"),
}


@dataclass
class Element:
    tag: str
    attrs: list[tuple[str, str | None]]

    def get(self, name: str) -> str | None:
        for key, value in self.attrs:
            if key == name:
                return value
        return None


@dataclass
class Page(HTMLParser):
    path: str = ""
    elements: list[Element] = field(default_factory=list)
    head: list[Element] = field(default_factory=list)
    script_text: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    text: list[str] = field(default_factory=list)
    _in_head: bool = False
    _in_script: bool = False

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, attrs)
        self.elements.append(element)
        if element.get("id"):
            self.ids.add(str(element.get("id")))
        if tag == "head":
            self._in_head = True
        elif self._in_head:
            self.head.append(element)
        if tag == "script":
            self._in_script = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_script = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)
        else:
            self.text.append(data)

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]


def parse(site: Path, file: Path) -> Page:
    page = Page(path=file.relative_to(site).as_posix())
    page.feed(file.read_text(encoding="utf-8"))
    page.close()
    return page


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_url(page: Page) -> str:
    return f"{BASE_HOST}{SITE_PATH}{page.path}"


def urls(page: Page) -> list[tuple[Element, str, str]]:
    """(element, attribute, value) of every address in the page."""
    out: list[tuple[Element, str, str]] = []
    for element in page.elements:
        for name, value in element.attrs:
            if value is not None and (name in {"href", "src", "action"} or name.startswith("data-")):
                if name.startswith("data-") and not (value.startswith(".") or "/" in value):
                    continue
                # an address template (match.html's names files): checked with its first file
                out.append((element, name, value.replace("{file}", "0")))
    return out


def local_file(site: Path, page: Page, value: str) -> Path | None:
    """The file an address points to inside the site, or None when it leaves the site."""
    absolute = urljoin(page_url(page), value)
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}" != BASE_HOST or not parts.path.startswith(SITE_PATH):
        return None
    relative = parts.path[len(SITE_PATH) :]
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return site / relative

"""``sitemap.xml``: the address of every page; above the protocol's limit of URLs per file, an
index of ``sitemap-1.xml``, ``sitemap-2.xml``…"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from generator.site.pagination import page_path

#: The sitemap protocol's limit of URLs per file.
SITEMAP_MAX_URLS = 50_000
SITEMAP_FILE = "sitemap.xml"
#: The pages with one address each, relative to the site ("": the home page).
FIXED_PAGES = (
    "",
    "directory/",
    "match/",
    "how-it-works/",
    "programs/",
    "specialties/",
    "add-mentors/",
    "about/",
)


@dataclass(frozen=True)
class SitemapFile:
    """One file to write: a ``urlset`` of page addresses or an ``index`` of sitemap addresses."""

    name: str
    kind: Literal["urlset", "index"]
    urls: list[str]


def sitemap_paths(
    directory_pages: int, programs: Iterable[str], specialties: Iterable[str], mentors: Iterable[str]
) -> list[str]:
    """Every page to list, relative to the site (the 404 page is not one)."""
    paths = list(FIXED_PAGES)
    paths += [page_path(n) for n in range(2, directory_pages + 1)]
    paths += [f"programs/{p}/" for p in programs]
    paths += [f"specialties/{s}/" for s in specialties]
    paths += [f"mentors/{m}/" for m in mentors]
    return paths


def sitemap_files(paths: list[str], site_url: str, max_urls: int | None = None) -> list[SitemapFile]:
    """``sitemap.xml`` listing ``paths``; above ``max_urls`` (default :data:`SITEMAP_MAX_URLS`)
    of them, numbered sitemaps of at most ``max_urls`` each and ``sitemap.xml`` their index."""
    limit = SITEMAP_MAX_URLS if max_urls is None else max_urls
    base = site_url.rstrip("/") + "/"
    urls = [base + path for path in paths]
    if len(urls) <= limit:
        return [SitemapFile(SITEMAP_FILE, "urlset", urls)]
    parts = [
        SitemapFile(f"sitemap-{number}.xml", "urlset", urls[start : start + limit])
        for number, start in enumerate(range(0, len(urls), limit), start=1)
    ]
    return [*parts, SitemapFile(SITEMAP_FILE, "index", [base + part.name for part in parts])]

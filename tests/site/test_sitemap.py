"""sitemap.xml: one file up to the protocol's limit, numbered files and an index above it."""

from __future__ import annotations

import pytest

from generator.site import sitemap
from generator.site.sitemap import FIXED_PAGES, SitemapFile, sitemap_files, sitemap_paths

SITE = "https://site.invalid/directory"


def test_up_to_the_limit_one_urlset_of_absolute_addresses() -> None:
    paths = ["", "about/", "mentors/a/", "mentors/b/", "mentors/c/"]
    assert sitemap_files(paths, SITE + "/", max_urls=5) == [
        SitemapFile("sitemap.xml", "urlset", [f"{SITE}/{p}" for p in paths])
    ]


def test_one_above_the_limit_numbered_sitemaps_and_an_index() -> None:
    paths = [f"mentors/{n}/" for n in range(11)]
    files = sitemap_files(paths, SITE, max_urls=5)
    assert [(f.name, f.kind, len(f.urls)) for f in files] == [
        ("sitemap-1.xml", "urlset", 5),
        ("sitemap-2.xml", "urlset", 5),
        ("sitemap-3.xml", "urlset", 1),
        ("sitemap.xml", "index", 3),
    ]
    assert [u for f in files[:-1] for u in f.urls] == [f"{SITE}/{p}" for p in paths]
    assert files[-1].urls == [f"{SITE}/sitemap-{n}.xml" for n in (1, 2, 3)]


def test_the_default_limit_is_the_module_constant(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sitemap.SITEMAP_MAX_URLS == 50_000
    assert len(sitemap_files(["x/"] * 50_000, SITE)) == 1
    monkeypatch.setattr(sitemap, "SITEMAP_MAX_URLS", 2)
    assert [f.name for f in sitemap_files(["a/", "b/", "c/"], SITE)] == [
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap.xml",
    ]


def test_paths_list_every_page_once_in_a_fixed_order() -> None:
    paths = sitemap_paths(3, ["p1", "p2"], ["cardiology"], ["ana", "ben"])
    assert paths == [
        *FIXED_PAGES,
        "directory/page/2/",
        "directory/page/3/",
        "programs/p1/",
        "programs/p2/",
        "specialties/cardiology/",
        "mentors/ana/",
        "mentors/ben/",
    ]
    assert len(set(paths)) == len(paths)
    assert "directory/page/" not in " ".join(sitemap_paths(1, [], [], []))

"""Bios' Markdown converted once per build (for pages and search alike), with the previous
build's conversions kept in the build cache."""

from __future__ import annotations

from pathlib import Path

from generator.content.export import DirectoryExport
from generator.content.render import convert_all, markdown_memo
from generator.core.cache import CacheFile, load_cache, save_cache

#: In the build cache: each bio's Markdown converted to HTML (sanitised on every use).
BIO_CACHE_FILE = "bios.json.gz"


class BioCache(CacheFile[dict[str, str]]):
    """The cache file: bio → its Markdown as (unsanitised) HTML."""


def convert_bios(export: DirectoryExport, cache_dir: Path | None) -> None:
    """Convert every bio not in the cache (``None``: no cache) into the Markdown memo."""
    if cache_dir is not None:
        stored = load_cache(cache_dir / BIO_CACHE_FILE, BioCache)
        if stored is not None:
            markdown_memo().update(stored.data)
    convert_all(m.bio for m in export.mentors if m.bio)


def keep_bios(export: DirectoryExport, cache_dir: Path | None) -> None:
    """Store the conversions of this build's bios (only those) for the next build."""
    if cache_dir is None:
        return
    memo = markdown_memo()
    used = {m.bio for m in export.mentors if m.bio and m.bio in memo}
    save_cache(cache_dir / BIO_CACHE_FILE, BioCache, {bio: memo[bio] for bio in sorted(used)})

"""Comparing a cached rebuild's output with a clean build's (tests/site/test_incremental.py and
test_rebuild_series.py): every file byte for byte, but the people search index, whose files a
rebuild updates for the edits (generator/search/people_state.py) and compares by content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from generator.search.people_state import MAX_AVERAGE_DRIFT
from generator.search.shards import load_search, read_search_files, read_term_files
from generator.site.build import build
from generator.site.data_files import BUILD_MARKER


def site_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != BUILD_MARKER
    }


#: The people index is updated for edits, not rebuilt (generator/search/people_state.py): its
#: files (term numbers, frozen average field lengths, shard boundaries) may differ from a clean
#: build's; what they hold may not, but for scores within the stated bound.
_SEARCH_INDEX = re.compile(r"search/(people/\d+\.json|terms/[a-z0-9]+\.json|terms\.json|version\.json)")


def _vectors(index: Any) -> dict[str, dict[str, float]]:
    """Each field vector as term → score."""
    terms = {posting["_index"]: term for term, posting in index.inverted_index.items()}
    return {
        ref: {terms[i]: s for i, s in zip(v.elements[::2], v.elements[1::2], strict=True)}
        for ref, v in index.field_vectors.items()
    }


def _postings(index: Any) -> dict[str, dict[str, list[str]]]:
    """Each term's postings, without its number."""
    return {t: {f: sorted(p[f]) for f in p if f != "_index"} for t, p in index.inverted_index.items()}


def _assert_same_search_index(site: Path, clean: Path) -> None:
    """The same mentors, terms and postings as a clean build, every score within the bound."""
    ours, theirs = load_search(site / "search"), load_search(clean / "search")
    assert (ours.ids, ours.catalog_refs, ours.exact) == (theirs.ids, theirs.catalog_refs, theirs.exact)
    assert ours.catalog.serialize() == theirs.catalog.serialize()
    postings = {
        t: {f: sorted(p[f]) for f in p if f != "_index"} for t, p in ours.people.inverted_index.items()
    }
    expected = {
        t: {f: sorted(p[f]) for f in p if f != "_index"} for t, p in theirs.people.inverted_index.items()
    }
    assert postings == expected
    # the term files: the same terms with the same document frequencies, each naming a shard
    # that holds it (the shards' boundaries may differ from a clean build's)
    ours_terms, theirs_terms = read_term_files(site / "search"), read_term_files(clean / "search")
    assert ours_terms.keys() == theirs_terms.keys()
    _, shards = read_search_files(site / "search")
    for key, payload in ours_terms.items():
        assert (payload["terms"], payload["df"]) == (theirs_terms[key]["terms"], theirs_terms[key]["df"]), key
        for term, number in zip(payload["terms"], payload["shard"], strict=True):
            assert term in dict(shards[number]["invertedIndex"]), (key, term)
    got, want = _vectors(ours.people), _vectors(theirs.people)
    assert got.keys() == want.keys()
    for ref, scores in want.items():
        assert got[ref].keys() == scores.keys(), ref
        for term, score in scores.items():
            bound = MAX_AVERAGE_DRIFT / (1 - MAX_AVERAGE_DRIFT) * score + 0.001  # + rounding
            assert abs(got[ref][term] - score) <= bound, (ref, term)


def assert_same_as_clean_build(
    content: Path,
    site: Path,
    tmp_path: Path,
    *,
    federation: Path | None = None,
    site_url: str | None = None,
) -> None:
    """``site`` holds what a build without cache of ``content`` (with these peers' snapshots
    and at this address, if given) writes."""
    clean = tmp_path / "clean"
    if site_url is not None:
        build(content, clean, federation=federation, site_url=site_url)
    else:
        build(content, clean, federation=federation)
    built, expected = site_files(site), site_files(clean)
    assert sorted(built) == sorted(expected)
    different = [
        name for name in expected if built[name] != expected[name] and not _SEARCH_INDEX.fullmatch(name)
    ]
    assert not different, different[:10]
    _assert_same_search_index(site, clean)
    shutil.rmtree(clean)

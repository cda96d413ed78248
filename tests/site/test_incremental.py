"""The build cache: a rebuild reuses what did not change and writes exactly what a clean build writes."""

from __future__ import annotations

import gzip
import json
import logging
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.content.validation import VALIDATION_CACHE_FILE
from generator.core.cache import CACHE_DIR_NAME, default_cache_dir
from generator.site.bios import BIO_CACHE_FILE
from generator.site.build import SiteBuildError, build
from generator.site.data_files import BUILD_MARKER
from generator.site.page_writer import MANIFEST_FILE
from generator.site.patch import PATCH_STATE_FILE
from tests.core.test_cache import poison
from tests.support.paths import ROOT
from tests.support.rebuilds import assert_same_as_clean_build

# Each test builds a site at least twice.
pytestmark = [pytest.mark.slow]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)
    return copy


def _first_build(content: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Build ``content`` into ``tmp_path/site`` with its default cache; returns both folders."""
    site = tmp_path / "site"
    cache = default_cache_dir(site)
    build(content, site, cache_dir=cache)
    return site, cache


def _mentor_page(content: Path) -> tuple[Path, str]:
    path = next(p for p in sorted((content / "mentors").rglob("*.yml")))
    return path, f"mentors/{path.stem}/index.html"


def test_a_rebuild_with_no_change_renders_no_mentor_page_again(content: Path, tmp_path: Path) -> None:
    site, cache = _first_build(content, tmp_path)
    assert (cache / MANIFEST_FILE).is_file() and (cache / VALIDATION_CACHE_FILE).is_file()
    assert not any(p.name == ".mentormemed-cache" for p in site.rglob("*")), "the cache must not be published"
    before = {p: p.stat().st_ino for p in (site / "mentors").rglob("index.html")}
    assert len(before) > 50
    build(content, site, cache_dir=cache)
    # reused pages are hard links to the files of the previous build
    assert {p: p.stat().st_ino for p in (site / "mentors").rglob("index.html")} == before
    assert_same_as_clean_build(content, site, tmp_path)


def test_one_edited_mentor_is_the_only_mentor_page_rendered_again(content: Path, tmp_path: Path) -> None:
    site, cache = _first_build(content, tmp_path)
    path, page = _mentor_page(content)
    before = {p.relative_to(site).as_posix(): p.stat().st_ino for p in (site / "mentors").rglob("index.html")}
    text = path.read_text(encoding="utf-8")
    assert "\nbio: |\n  " in text
    path.write_text(
        text.replace("\nbio: |\n  ", "\nbio: |\n  Newly edited sentence.\n  ", 1), encoding="utf-8"
    )
    build(content, site, cache_dir=cache)
    after = {p.relative_to(site).as_posix(): p.stat().st_ino for p in (site / "mentors").rglob("index.html")}
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == [page]
    assert "Newly edited sentence." in (site / page).read_text(encoding="utf-8")
    assert_same_as_clean_build(content, site, tmp_path)


def test_a_page_edited_by_hand_in_the_output_is_rendered_again(content: Path, tmp_path: Path) -> None:
    site, cache = _first_build(content, tmp_path)
    _, page = _mentor_page(content)
    (site / page).write_text("tampered", encoding="utf-8")
    build(content, site, cache_dir=cache)
    assert "tampered" not in (site / page).read_text(encoding="utf-8")
    assert_same_as_clean_build(content, site, tmp_path)


def test_a_broken_or_foreign_cache_is_ignored_not_trusted(content: Path, tmp_path: Path) -> None:
    site, cache = _first_build(content, tmp_path)
    (cache / MANIFEST_FILE).write_bytes(b"not a cache file")
    (cache / VALIDATION_CACHE_FILE).write_bytes((cache / VALIDATION_CACHE_FILE).read_bytes()[:100])
    build(content, site, cache_dir=cache)
    assert_same_as_clean_build(content, site, tmp_path)


def test_the_cache_never_hides_a_new_problem(content: Path, tmp_path: Path) -> None:
    from generator.core.problems import ContentError

    site, cache = _first_build(content, tmp_path)
    path, _ = _mentor_page(content)
    text = path.read_text(encoding="utf-8")
    assert "\naccepting: " in text
    path.write_text(text.replace("\naccepting: ", "\naccepting: no #", 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(content, site, cache_dir=cache)
    assert any(p.path.endswith(path.name) for p in caught.value.problems)


def test_a_rebuild_after_a_change_reuses_the_other_validation_results(
    content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site, cache = _first_build(content, tmp_path)
    path, _ = _mentor_page(content)
    # more than a bio (a bio edit alone is patched without validating the other files:
    # tests/site/test_patch.py)
    text = path.read_text(encoding="utf-8")
    capacity = re.search(r"\ncapacity: (\d+)\n", text)
    assert capacity is not None
    path.write_text(text.replace(capacity[0], f"\ncapacity: {int(capacity[1]) + 1}\n"), encoding="utf-8")
    files = len(list(content.rglob("*.yml")))
    with caplog.at_level(logging.INFO, logger="generator.content.validation"):
        build(content, site, cache_dir=cache)
    assert f"validation cache: {files - 1} of {files} files unchanged" in caplog.text


def test_a_pickle_where_the_build_looks_is_never_unpickled(content: Path, tmp_path: Path) -> None:
    """Pickles whose loading would run code, at every name the cache has (and had), are
    ignored: the build runs nothing of them and writes what a clean build writes."""
    site, cache = _first_build(content, tmp_path)
    markers = []
    for name in (
        VALIDATION_CACHE_FILE,
        MANIFEST_FILE,
        BIO_CACHE_FILE,
        "validation.pickle",
        "pages.pickle",
        "bios.pickle",
    ):
        markers.append(tmp_path / f"ran-{name}")
        poison(cache / name, markers[-1])
    build(content, site, cache_dir=cache)
    assert not [m for m in markers if m.exists()]
    assert_same_as_clean_build(content, site, tmp_path)


def _retype(data: Any) -> Any:
    """``data`` with its first number turned into text, or else its first text into a number."""
    numbers = list(re.finditer(r"(?<=[,\[])\d+(?=[,\]])", json.dumps(data)))
    if numbers:
        text, found = json.dumps(data), numbers[0]
        return json.loads(f'{text[: found.start()]}"{found.group()}"{text[found.end() :]}')
    first = next(iter(data))
    return {**data, first: 42}


def test_cache_files_with_values_of_the_wrong_types_are_ignored(
    content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site, cache = _first_build(content, tmp_path)
    names = (VALIDATION_CACHE_FILE, MANIFEST_FILE, BIO_CACHE_FILE, PATCH_STATE_FILE)
    for name in names:
        document = json.loads(gzip.decompress((cache / name).read_bytes()))
        document["data"] = _retype(document["data"])
        (cache / name).write_bytes(gzip.compress(json.dumps(document).encode()))
    with caplog.at_level(logging.INFO):
        build(content, site, cache_dir=cache)
    for name in names:
        assert f"ignoring the cache file {cache / name}" in caplog.text
    assert "validation cache: 0 of" in caplog.text
    assert_same_as_clean_build(content, site, tmp_path)


def test_a_cache_in_the_content_folder_or_behind_a_link_is_refused(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    inside = content / CACHE_DIR_NAME / "site"
    with pytest.raises(SiteBuildError, match="inside the content folder"):
        build(content, site, cache_dir=inside)
    assert not inside.exists() and not site.exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / CACHE_DIR_NAME).symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(SiteBuildError, match="symbolic link"):
        build(content, site, cache_dir=default_cache_dir(site))
    assert not any(elsewhere.iterdir()) and not site.exists()


def _snapshot(site: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file of ``site``: (mtime_ns, inode, bytes)."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found[path.relative_to(site).as_posix()] = (stat.st_mtime_ns, stat.st_ino, path.read_bytes())
    return found


def test_one_bio_edit_rewrites_only_that_mentors_page_and_the_data_it_changes(
    content: Path, tmp_path: Path
) -> None:
    site, cache = _first_build(content, tmp_path)
    path, page = _mentor_page(content)
    before = _snapshot(site)
    text = path.read_text(encoding="utf-8")
    assert "\nbio: |\n  " in text
    path.write_text(
        text.replace("\nbio: |\n  ", "\nbio: |\n  Quillwort-gardening sentence.\n  ", 1), encoding="utf-8"
    )
    build(content, site, cache_dir=cache)
    after = _snapshot(site)
    assert sorted(after) == sorted(before)
    rewritten = sorted(name for name in after if after[name][:2] != before[name][:2])
    changed = sorted(name for name in after if after[name][2] != before[name][2])
    # a file is rewritten only when its bytes change: no page or data file is written again as it was
    assert rewritten == changed
    # the bio shows on the mentor's own page only; the search index (the term file of the new
    # words, its shards, and search/version.json naming its version) and directory.json hold the
    # bio too; terms.json holds no people term and does not change
    pages = [name for name in changed if name.endswith(".html")]
    assert pages == [page]
    assert "Quillwort-gardening sentence." in (site / page).read_text(encoding="utf-8")
    data = set(changed) - {page}
    assert {"search/terms/q.json", "search/version.json", "directory.json"} <= data
    assert "search/terms.json" not in data
    # a bio edit is patched onto the output (generator/site/patch.py): the build's id stays
    assert BUILD_MARKER not in data
    assert all(
        name == "directory.json"
        or (
            name.startswith("search/")
            and name != "search/lunr.min.js"
            and not name.startswith(("search/facets", "search/cards/"))  # no bio in the filters' files
        )
        for name in data
    ), data
    # every directory page (none shows a bio) is byte-identical and was not written again
    directory = [name for name in before if name.startswith("directory/")]
    assert len(directory) >= 4
    assert all(after[name] == before[name] for name in directory)
    # the directory's first page names the search index's version nowhere: the browser reads it
    # from search/version.json, which changed
    version = json.loads((site / "search/version.json").read_text(encoding="utf-8"))["index"]
    old_version = json.loads(before["search/version.json"][2])["index"]
    assert version != old_version
    first = (site / "directory/index.html").read_text(encoding="utf-8")
    assert old_version not in first and version not in first
    assert_same_as_clean_build(content, site, tmp_path)


def test_a_partial_build_stopped_half_way_is_not_trusted(content: Path, tmp_path: Path) -> None:
    from generator.site.build import previous_build_id
    from generator.site.overlay import APPLYING_MARKER

    site, cache = _first_build(content, tmp_path)
    _, page = _mentor_page(content)
    assert previous_build_id(site) is not None
    # as if a partial build had stopped while moving its files: one page left half-written
    (site / APPLYING_MARKER).write_text("", encoding="utf-8")
    (site / page).write_text("half", encoding="utf-8")
    assert previous_build_id(site) is None
    build(content, site, cache_dir=cache)
    assert not (site / APPLYING_MARKER).exists()
    assert "half" not in (site / page).read_text(encoding="utf-8")
    assert_same_as_clean_build(content, site, tmp_path)


def test_a_mentor_removed_from_the_content_is_removed_from_a_partial_rebuild(
    content: Path, tmp_path: Path
) -> None:
    site, cache = _first_build(content, tmp_path)
    path, page = _mentor_page(content)
    assert (site / page).is_file()
    path.unlink()
    build(content, site, cache_dir=cache)
    assert not (site / page).exists() and not (site / page).parent.exists()
    assert_same_as_clean_build(content, site, tmp_path)


def test_a_staged_file_is_the_old_one_when_it_is_the_same_inode_or_the_same_bytes(tmp_path: Path) -> None:
    """What the partial build leaves in place instead of moving (generator.site.overlay)."""
    from generator.site.overlay import _same_file

    old = tmp_path / "old.json"
    old.write_bytes(b'{"a": 1}')
    linked = tmp_path / "linked.json"
    linked.hardlink_to(old)  # a search file the index step linked from the previous output
    assert _same_file(linked, old)
    copy = tmp_path / "copy.json"
    copy.write_bytes(b'{"a": 1}')
    assert _same_file(copy, old)
    other = tmp_path / "other.json"
    other.write_bytes(b'{"a": 2}')  # same size, other bytes
    assert not _same_file(other, old)
    longer = tmp_path / "longer.json"
    longer.write_bytes(b'{"a": 10}')
    assert not _same_file(longer, old)
    link = tmp_path / "link.json"
    link.symlink_to(old)
    assert not _same_file(copy, link), "a symbolic link in the output is replaced, never followed"
    assert not _same_file(copy, tmp_path / "missing.json")


def test_each_build_in_one_process_says_what_it_did(
    content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`mentormemed serve` builds many times in one process. Pelican's log filter drops a
    message the process has already logged (``pelican.log.LimitFilter``), so from the second
    rebuild on, the plugin's lines — its warnings too — were silent; each build now starts with
    the filter's memory empty."""
    site, cache = _first_build(content, tmp_path)
    path, _ = _mentor_page(content)
    for capacity in (5, 6, 5):  # more than a bio: built, not patched
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\ncapacity: \d+\n", f"\ncapacity: {capacity}\n", text), encoding="utf-8")
        caplog.clear()
        with caplog.at_level(logging.INFO):
            built = build(content, site, cache_dir=cache)
        assert built.patched_bios is None
        # page_writer's logger is made after Pelican is imported: Pelican's class, with its filter
        assert re.search(r"pages: \d+ rendered, \d+ reused", caplog.text), capacity

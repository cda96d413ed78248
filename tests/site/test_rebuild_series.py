"""A cached rebuild writes exactly what a build without the cache writes (the people search
index: the same content, scores within its stated bound), after every kind of edit in a row;
a damaged or foreign cache is not trusted; a bad file is reported the same with the cache as
without."""

from __future__ import annotations

import gzip
import json
import logging
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.content.validation import VALIDATION_CACHE_FILE, validate_content
from generator.content.vocabulary import vocabulary
from generator.core.cache import SECRET_FILE, default_cache_dir
from generator.core.problems import ContentError
from generator.site.build import build
from generator.site.patch import forget_patch_state
from tests.support.paths import ROOT
from tests.support.rebuilds import assert_same_as_clean_build, site_files

# Each test builds the sample network many times.
pytestmark = [pytest.mark.slow]

MENTOR = Path("mentors/cedar-hollow-som/grace-whitfield.yml")
PROGRAM = Path("programs/cedar-hollow-som.yml")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)
    return copy


@pytest.fixture
def own_vocabulary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the vocabulary the build reads (``$MENTORMEMED_VOCABULARY``), to edit."""
    copy = tmp_path / "vocabulary.yml"
    shutil.copyfile(ROOT / "schemas" / "vocabulary.yml", copy)
    monkeypatch.setenv("MENTORMEMED_VOCABULARY", str(copy))
    vocabulary.cache_clear()
    yield copy
    vocabulary.cache_clear()


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit_bio(content: Path, vocab: Path) -> None:
    _replace(content / MENTOR, "bio: |\n", "bio: |\n  I also keep bees and teach a pottery class.\n")


def _stop_accepting(content: Path, vocab: Path) -> None:
    _replace(content / MENTOR, "accepting: true", "accepting: false")


def _edit_program(content: Path, vocab: Path) -> None:
    _replace(content / PROGRAM, "introduction_days: 5", "introduction_days: 9")
    _replace(content / PROGRAM, "Students, residents", "Students, nurses, residents")


def _remove_mentor(content: Path, vocab: Path) -> None:
    (content / "mentors/cedar-hollow-som/marcus-dell.yml").unlink()


def _add_mentor(content: Path, vocab: Path) -> None:
    source = content / MENTOR
    text = source.read_text(encoding="utf-8")
    text = text.replace("id: grace-whitfield", "id: wren-castellano").replace(
        "name: Grace Whitfield", "name: Wren Castellano"
    )
    (source.parent / "wren-castellano.yml").write_text(text, encoding="utf-8")


def _relabel_a_term(content: Path, vocab: Path) -> None:
    _replace(vocab, "{id: neurology, label: Neurology", "{id: neurology, label: Neurology and Brain Health")
    vocabulary.cache_clear()


EDITS: list[Callable[[Path, Path], None]] = [
    _edit_bio,
    _stop_accepting,
    _edit_program,
    _remove_mentor,
    _add_mentor,
    _relabel_a_term,
]


def test_after_each_edit_in_a_row_the_cached_rebuild_equals_a_clean_build(
    content: Path, own_vocabulary: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = tmp_path / "site"
    cache = default_cache_dir(site)
    build(content, site, cache_dir=cache)
    for edit in EDITS:
        edit(content, own_vocabulary)
        with caplog.at_level(logging.INFO, logger="generator.content.validation"):
            caplog.clear()
            built = build(content, site, cache_dir=cache)
        unchanged = re.search(r"validation cache: (\d+) of (\d+) files unchanged", caplog.text)
        if edit is _edit_bio:
            # patched onto the output, no file validated but the edited one (generator/site/patch.py)
            assert built.patched_bios == 1 and unchanged is None
        else:
            assert unchanged is not None, edit.__name__
            if edit is _relabel_a_term:
                assert unchanged.group(1) == "0", "a vocabulary change checks every file again"
            else:
                # the cache was used: every file but the edited one came from it
                assert int(unchanged.group(2)) - int(unchanged.group(1)) <= 1, (edit.__name__, unchanged[0])
        assert_same_as_clean_build(content, site, tmp_path)
    page = (site / "mentors/grace-whitfield/index.html").read_text(encoding="utf-8")
    assert "bees and teach a pottery class" in page and "Neurology and Brain Health" in page
    assert (site / "mentors/wren-castellano/index.html").is_file()
    assert not (site / "mentors/marcus-dell").exists()


def test_a_damaged_cache_is_ignored_with_a_warning(
    content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = tmp_path / "site"
    cache = default_cache_dir(site)
    build(content, site, cache_dir=cache)
    validation = cache / VALIDATION_CACHE_FILE
    validation.write_bytes(validation.read_bytes()[:-40])  # cut short
    _stop_accepting(content, tmp_path)  # more than a bio: the build reads the validation cache
    with caplog.at_level(logging.WARNING):
        build(content, site, cache_dir=cache)
    assert f"ignoring the cache file {validation}" in caplog.text
    assert_same_as_clean_build(content, site, tmp_path)


def test_another_folders_validation_cache_is_not_trusted(
    content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A validation cache copied from another cache folder is sealed with that folder's
    secret: none of its entries is used, every file is checked again."""
    theirs = default_cache_dir(tmp_path / "theirs")
    build(content, tmp_path / "theirs", cache_dir=theirs)
    site = tmp_path / "site"
    ours = default_cache_dir(site)
    build(content, site, cache_dir=ours)
    assert (ours / SECRET_FILE).read_bytes() != (theirs / SECRET_FILE).read_bytes()
    shutil.copyfile(theirs / VALIDATION_CACHE_FILE, ours / VALIDATION_CACHE_FILE)
    files = len(list(content.rglob("*.yml")))
    # nothing changed: without the record of the last build's content, the build runs
    # (with it, it would find the output up to date: generator/site/patch.py)
    forget_patch_state(ours)
    with caplog.at_level(logging.INFO, logger="generator.content.validation"):
        build(content, site, cache_dir=ours)
    assert f"validation cache: 0 of {files} files unchanged" in caplog.text
    # and it is replaced by entries sealed for this folder
    caplog.clear()
    forget_patch_state(ours)
    with caplog.at_level(logging.INFO, logger="generator.content.validation"):
        build(content, site, cache_dir=ours)
    assert f"validation cache: {files} of {files} files unchanged" in caplog.text
    assert_same_as_clean_build(content, site, tmp_path)


def test_a_bad_file_is_reported_with_its_line_and_fix_with_the_cache_on(
    content: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    cache = default_cache_dir(site)
    build(content, site, cache_dir=cache)
    before = site_files(site)
    _replace(content / MENTOR, "capacity: 2", "capacity: lots")
    _replace(content / MENTOR, "languages: [en]", "languages: [english]")
    expected = validate_content(content).problems  # no cache
    assert {p.code for p in expected} >= {"wrong-type", "unknown-term"}
    with pytest.raises(ContentError) as caught:
        build(content, site, cache_dir=cache)
    assert caught.value.problems == expected
    lines = (content / MENTOR).read_text(encoding="utf-8").splitlines()
    for problem in caught.value.problems:
        assert problem.path == (content / MENTOR).as_posix()
        assert lines[problem.line - 1].startswith(("capacity:", "languages:")), problem
    assert any("Did you mean" in p.message for p in caught.value.problems)
    assert site_files(site) == before, "a refused build leaves the site as it was"


def test_a_cache_file_of_plain_json_data_holds_no_model_the_seal_does_not_cover(
    content: Path, tmp_path: Path
) -> None:
    """The validation cache stays gzip-compressed JSON (never code), every entry sealed."""
    site = tmp_path / "site"
    cache = default_cache_dir(site)
    build(content, site, cache_dir=cache)
    document = json.loads(gzip.decompress((cache / VALIDATION_CACHE_FILE).read_bytes()))
    entries = document["data"]
    assert entries and all(re.fullmatch(r"[0-9a-f]{64}", entry["seal"]) for entry in entries.values())
    assert (cache / SECRET_FILE).stat().st_mode & 0o077 == 0, "the secret is its owner's alone"

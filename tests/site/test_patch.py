"""A bio edit patched onto the previous output (generator/site/patch.py): the same bytes as the
build would write, only when that is provable, and a build in every other case."""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.content.build_output import OUTPUT_DIR_NAME
from generator.core.cache import default_cache_dir
from generator.core.problems import ContentError
from generator.site.build import build
from generator.site.overlay import APPLYING_MARKER, FILES_CACHE, load_files
from generator.site.patch import PATCH_STATE_FILE, forget_patch_state
from tests.support.paths import ROOT
from tests.support.rebuilds import assert_same_as_clean_build, site_files

# Each test builds the sample network several times.
pytestmark = [pytest.mark.slow]

MENTOR = Path("content/mentors/cedar-hollow-som/grace-whitfield.yml")
OTHER = Path("content/mentors/harborlight-som")
PATCHED = "patched 1 edited bio(s)"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``tmp_path/a`` holding a copy of the sample content and its build (``site``, with the
    default cache beside it), as the working folder: paths are relative, as in CI."""
    root = tmp_path / "a"
    shutil.copytree(ROOT / "content", root / "content")
    monkeypatch.chdir(root)
    _build()
    yield root


def _build(site_url: str | None = None) -> None:
    site = Path("site")
    if site_url:
        build(Path("content"), site, cache_dir=default_cache_dir(site), site_url=site_url)
    else:
        build(Path("content"), site, cache_dir=default_cache_dir(site))


def _built(caplog: pytest.LogCaptureFixture, site_url: str | None = None) -> str:
    """Build, and return what was logged."""
    caplog.clear()
    with caplog.at_level(logging.INFO):
        _build(site_url)
    return caplog.text


def _edit_bio(path: Path, sentence: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert "\nbio: |\n  " in text, path
    path.write_text(text.replace("\nbio: |\n  ", f"\nbio: |\n  {sentence}\n  ", 1), encoding="utf-8")


def _files(site: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: what was written."""
    return {
        p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in site.rglob("*")
        if p.is_file()
    }


def test_a_patched_bio_is_byte_for_byte_what_the_cached_build_writes(
    root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    twin = tmp_path / "b"
    shutil.copytree(root, twin, symlinks=True)  # times kept: the caches trust sizes and times
    for folder in (root, twin):
        _edit_bio(folder / MENTOR, "Quillwort gardening, and Ωmega-3 research with zebrafish.")
    # a: the build (without the record a patch needs); b: the patch
    forget_patch_state(default_cache_dir(Path("site")))
    built = _built(caplog)
    assert PATCHED not in built and "built " in built
    monkeypatch.chdir(twin)
    patched = _built(caplog)
    assert PATCHED in patched and "built " not in patched and "validation cache" not in patched
    ours, theirs = site_files(twin / "site"), site_files(root / "site")
    assert sorted(ours) == sorted(theirs)
    assert [name for name in theirs if ours[name] != theirs[name]] == []
    # "Ωmega" starts the network's first term outside a-z0-9: a new term file, listed in
    # terms.json, and in the list of the output's files the next build deletes from
    assert "search/terms/u3c9.json" in ours
    listed = load_files(default_cache_dir(Path("site")), _build_id(twin / "site"))
    assert listed is not None and "search/terms/u3c9.json" in listed
    page = (twin / "site/mentors/grace-whitfield/index.html").read_text(encoding="utf-8")
    assert "Quillwort gardening, and Ωmega-3 research with zebrafish." in page
    assert_same_as_clean_build(Path("content"), twin / "site", tmp_path)


def _build_id(site: Path) -> str:
    found = re.search(r"^build (\w+)$", (site / ".mentormemed-build").read_text(encoding="utf-8"), re.M)
    assert found is not None
    return found[1]


def test_a_patch_writes_the_bios_files_and_nothing_else(
    root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = root / "site"
    before = _files(site)
    first = sorted(OTHER.glob("*.yml"))[0]
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    _edit_bio(first, "Kayaking with the residents.")
    assert PATCHED.replace("1", "2") in _built(caplog)
    after = _files(site)
    assert sorted(after) == sorted(before)
    written = {name for name in after if after[name] != before[name]}
    pages = {name for name in written if name.endswith(".html")}
    assert pages == {"mentors/grace-whitfield/index.html", f"mentors/{first.stem}/index.html"}
    others = written - pages - {"directory.json", "search/version.json"}
    assert others and all(re.fullmatch(r"search/(people|terms)/\w+\.json", name) for name in others), others
    assert_same_as_clean_build(Path("content"), site, tmp_path)


def test_nothing_changed_writes_nothing(root: Path, caplog: pytest.LogCaptureFixture) -> None:
    before = _files(root / "site")
    (root / MENTOR).touch()  # a newer time, the same bytes
    assert "nothing changed since the last build" in _built(caplog)
    assert _files(root / "site") == before
    assert "nothing changed since the last build" in _built(caplog)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("capacity", "more than the bio changed"),
        ("remove-bio", "a bio was added or removed"),
        ("new-file", "files were added, removed or renamed"),
        ("program", "is not a mentor file"),
        ("tampered-output", "files of the output were changed"),
        ("site-url", "another site address"),
    ],
)
def test_what_is_not_only_a_bio_edit_is_built(
    root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, change: str, reason: str
) -> None:
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    site_url = None
    if change == "capacity":
        text = (root / MENTOR).read_text(encoding="utf-8")
        (root / MENTOR).write_text(re.sub(r"\ncapacity: \d+", "\ncapacity: 9", text), encoding="utf-8")
    elif change == "remove-bio":
        text = (root / MENTOR).read_text(encoding="utf-8")
        (root / MENTOR).write_text(re.sub(r"\nbio: \|\n(  .*\n)+", "\n", text), encoding="utf-8")
    elif change == "new-file":
        (root / MENTOR.parent / "README.md").write_text("Notes for the coordinators.\n", encoding="utf-8")
    elif change == "program":
        program = root / "content/programs/cedar-hollow-som.yml"
        text = program.read_text(encoding="utf-8")
        program.write_text(text.replace("introduction_days: 5", "introduction_days: 9"), encoding="utf-8")
    elif change == "tampered-output":
        (root / "site/about/index.html").write_text("tampered", encoding="utf-8")
    elif change == "site-url":
        site_url = "https://mentors.example.org/network"
    log = _built(caplog, site_url)
    said = re.search(r"a build, not a patch: (.*)", log)
    assert said is not None and reason in said[1] and PATCHED not in log, log[-2000:]
    assert "built " in log
    assert "tampered" not in (root / "site/about/index.html").read_text(encoding="utf-8")
    if change != "site-url":
        assert_same_as_clean_build(Path("content"), root / "site", tmp_path)


def test_a_bio_with_a_problem_is_reported_with_its_line_and_the_output_is_untouched(
    root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = {name: data for name, data in site_files(root / "site").items()}
    _edit_bio(root / MENTOR, "Write to me at grace@example.org.")
    with pytest.raises(ContentError) as caught:
        _built(caplog)
    assert "a build, not a patch" in caplog.text
    problem = next(p for p in caught.value.problems if p.path == MENTOR.as_posix())
    assert problem.line > 1 and "email" in problem.message.lower()
    assert site_files(root / "site") == before


def test_after_a_patch_the_next_builds_and_patches_stay_right(
    root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    original = (root / MENTOR).read_text(encoding="utf-8")
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    assert PATCHED in _built(caplog)
    # the bio back as it was: patched again, to the page the first build wrote
    (root / MENTOR).write_text(original, encoding="utf-8")
    assert PATCHED in _built(caplog)
    assert_same_as_clean_build(Path("content"), root / "site", tmp_path)
    # a bio edit and then more than a bio: the build after a patch trusts the patched files
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    assert PATCHED in _built(caplog)
    text = (root / MENTOR).read_text(encoding="utf-8")
    (root / MENTOR).write_text(text.replace("accepting: true", "accepting: false"), encoding="utf-8")
    log = _built(caplog)
    assert "more than the bio changed" in log and "built " in log
    assert_same_as_clean_build(Path("content"), root / "site", tmp_path)
    # and the build recorded what the next patch needs
    _edit_bio(root / MENTOR, "Also birdwatching.")
    assert PATCHED in _built(caplog)
    assert_same_as_clean_build(Path("content"), root / "site", tmp_path)


def test_a_patch_stopped_half_way_is_not_trusted(
    root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The overlay's marker, left by a patch that stopped while moving files, makes the next
    build replace the whole output."""
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    (root / "site" / APPLYING_MARKER).write_text("stopped\n", encoding="utf-8")
    (root / "site/mentors/grace-whitfield/index.html").write_text("half-written", encoding="utf-8")
    log = _built(caplog)
    assert PATCHED not in log and "built " in log
    assert_same_as_clean_build(Path("content"), root / "site", tmp_path)


def test_a_foreign_or_damaged_record_is_never_trusted(
    root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = default_cache_dir(Path("site")) / PATCH_STATE_FILE
    state.write_bytes(state.read_bytes()[:-30])  # cut short
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    log = _built(caplog)
    assert f"ignoring the cache file {state.resolve()}" in log or f"ignoring the cache file {state}" in log
    assert PATCHED not in log and "built " in log
    assert_same_as_clean_build(Path("content"), root / "site", tmp_path)
    assert (default_cache_dir(Path("site")) / FILES_CACHE).is_file()


def test_no_patch_where_build_output_sits_in_the_content_folder(
    root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The build refuses to use a cache while build output is inside the content folder; the
    patch reads nothing then, and the build reports it."""
    shutil.copytree(root / "site", root / "content" / OUTPUT_DIR_NAME)
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    with pytest.raises(ContentError):
        _built(caplog)
    assert "a build, not a patch" not in caplog.text and PATCHED not in caplog.text
    assert os.path.isdir(root / "site")


def test_a_missing_content_folder_is_the_builds_problem_to_report(
    root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.rmtree(root / "content")
    with pytest.raises(ContentError) as caught:
        _built(caplog)
    assert "a build, not a patch" in caplog.text
    assert [p.code for p in caught.value.problems] == ["no-content"]

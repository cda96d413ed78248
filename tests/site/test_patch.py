"""A bio edit patched onto the previous output (generator/site/patch.py): the same bytes as the
build would write, only when that is provable, and a build in every other case.

What happened is read from what ``build`` returns, not from the log: Pelican, once imported,
makes every logger created after it drop a message it has already logged (``LimitFilter``).
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.content.build_output import CODE_IN_CONTENT, OUTPUT_DIR_NAME
from generator.core.cache import default_cache_dir, load_cache
from generator.core.problems import ContentError
from generator.site.build import BuiltSite, build
from generator.site.overlay import APPLYING_MARKER, FILES_CACHE, load_files
from generator.site.patch import PATCH_STATE_FILE, forget_patch_state
from tests.support.paths import ROOT
from tests.support.rebuilds import assert_same_as_clean_build, site_files

# Each test builds the sample network several times.
pytestmark = [pytest.mark.slow]

MENTOR = Path("content/mentors/cedar-hollow-som/grace-whitfield.yml")
OTHER = Path("content/mentors/harborlight-som")


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``tmp_path/a`` holding a copy of the sample content and its build (``site``, with the
    default cache beside it), as the working folder: paths are relative, as in CI."""
    root = tmp_path / "a"
    shutil.copytree(ROOT / "content", root / "content")
    monkeypatch.chdir(root)
    _build()
    yield root


def _build(site_url: str | None = None) -> BuiltSite:
    site = Path("site")
    if site_url:
        return build(Path("content"), site, cache_dir=default_cache_dir(site), site_url=site_url)
    return build(Path("content"), site, cache_dir=default_cache_dir(site))


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
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    twin = tmp_path / "b"
    shutil.copytree(root, twin, symlinks=True)  # times kept: the caches trust sizes and times
    for folder in (root, twin):
        _edit_bio(folder / MENTOR, "Quillwort gardening, and Ωmega-3 research with zebrafish.")
    # a: the build (without the record a patch needs); b: the patch
    forget_patch_state(default_cache_dir(Path("site")))
    built = _build()
    assert built.patched_bios is None and built.patch_refused == "no record of the last build's content"
    monkeypatch.chdir(twin)
    assert _build().patched_bios == 1
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


def test_a_patch_writes_the_bios_files_and_nothing_else(root: Path, tmp_path: Path) -> None:
    site = root / "site"
    before = _files(site)
    first = sorted(OTHER.glob("*.yml"))[0]
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    _edit_bio(first, "Kayaking with the residents.")
    assert _build().patched_bios == 2
    after = _files(site)
    assert sorted(after) == sorted(before)
    written = {name for name in after if after[name] != before[name]}
    pages = {name for name in written if name.endswith(".html")}
    assert pages == {"mentors/grace-whitfield/index.html", f"mentors/{first.stem}/index.html"}
    others = written - pages - {"directory.json", "search/version.json"}
    assert others and all(re.fullmatch(r"search/(people|terms)/\w+\.json", name) for name in others), others
    assert_same_as_clean_build(Path("content"), site, tmp_path)


def test_nothing_changed_writes_nothing(root: Path) -> None:
    before = _files(root / "site")
    (root / MENTOR).touch()  # a newer time, the same bytes
    assert _build().patched_bios == 0
    assert _files(root / "site") == before
    assert _build().patched_bios == 0
    assert _files(root / "site") == before


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
def test_what_is_not_only_a_bio_edit_is_built(root: Path, tmp_path: Path, change: str, reason: str) -> None:
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
    built = _build(site_url)
    assert built.patched_bios is None and built.patch_refused is not None
    assert reason in built.patch_refused
    assert "tampered" not in (root / "site/about/index.html").read_text(encoding="utf-8")
    if change != "site-url":
        assert_same_as_clean_build(Path("content"), root / "site", tmp_path)


def test_the_content_folder_given_another_way_is_built_and_says_so(root: Path, tmp_path: Path) -> None:
    """The record names files from the folder as given ("content"): given as an absolute path,
    the same folder is built, with the reason in plain words, and then patched that way."""
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    site = Path("site")
    built = build(root / "content", site, cache_dir=default_cache_dir(site))
    assert built.patched_bios is None
    assert built.patch_refused == (
        f"the content folder was given as 'content' to the last build and as "
        f"'{(root / 'content').as_posix()}' now (a patch needs it given the same way)"
    )
    assert_same_as_clean_build(Path("content"), root / "site", tmp_path)
    _edit_bio(root / MENTOR, "Also birdsong recordings.")
    assert build(root / "content", site, cache_dir=default_cache_dir(site)).patched_bios == 1
    assert "Also birdsong recordings." in (root / "site/mentors/grace-whitfield/index.html").read_text(
        encoding="utf-8"
    )


def test_a_bio_with_a_problem_is_reported_with_its_line_and_the_output_is_untouched(root: Path) -> None:
    before = {name: data for name, data in site_files(root / "site").items()}
    _edit_bio(root / MENTOR, "Write to me at grace@example.org.")
    with pytest.raises(ContentError) as caught:
        _build()
    problem = next(p for p in caught.value.problems if p.path == MENTOR.as_posix())
    assert problem.line > 1 and "email" in problem.message.lower()
    assert site_files(root / "site") == before


def test_after_a_patch_the_next_builds_and_patches_stay_right(root: Path, tmp_path: Path) -> None:
    original = (root / MENTOR).read_text(encoding="utf-8")
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    assert _build().patched_bios == 1
    # the bio back as it was: patched again, to the page the first build wrote
    (root / MENTOR).write_text(original, encoding="utf-8")
    assert _build().patched_bios == 1
    assert_same_as_clean_build(Path("content"), root / "site", tmp_path)
    # a bio edit and then more than a bio: the build after a patch trusts the patched files
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    assert _build().patched_bios == 1
    text = (root / MENTOR).read_text(encoding="utf-8")
    (root / MENTOR).write_text(text.replace("accepting: true", "accepting: false"), encoding="utf-8")
    built = _build()
    assert built.patched_bios is None and "more than the bio changed" in (built.patch_refused or "")
    assert_same_as_clean_build(Path("content"), root / "site", tmp_path)
    # and the build recorded what the next patch needs
    _edit_bio(root / MENTOR, "Also birdwatching.")
    assert _build().patched_bios == 1
    assert_same_as_clean_build(Path("content"), root / "site", tmp_path)


def test_a_patch_stopped_half_way_is_not_trusted(root: Path, tmp_path: Path) -> None:
    """The overlay's marker, left by a patch that stopped while moving files, makes the next
    build replace the whole output."""
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    (root / "site" / APPLYING_MARKER).write_text("stopped\n", encoding="utf-8")
    (root / "site/mentors/grace-whitfield/index.html").write_text("half-written", encoding="utf-8")
    built = _build()
    assert (
        built.patched_bios is None
        and built.patch_refused == "no build made the output, or one stopped half-way"
    )
    assert_same_as_clean_build(Path("content"), root / "site", tmp_path)


def test_a_foreign_or_damaged_record_is_never_trusted(
    root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = default_cache_dir(Path("site")) / PATCH_STATE_FILE
    state.write_bytes(state.read_bytes()[:-30])  # cut short
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    with caplog.at_level(logging.WARNING):
        built = _build()
    assert f"ignoring the cache file {state}" in caplog.text  # a warning: never dropped as a repeat
    assert built.patched_bios is None and built.patch_refused == "no record of the last build's content"
    assert_same_as_clean_build(Path("content"), root / "site", tmp_path)
    assert (default_cache_dir(Path("site")) / FILES_CACHE).is_file()


def test_no_patch_where_build_output_sits_in_the_content_folder(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build refuses to use a cache while build output is inside the content folder; the
    patch reads nothing then, and the build reports it."""
    shutil.copytree(root / "site", root / "content" / OUTPUT_DIR_NAME)
    _edit_bio(root / MENTOR, "Quillwort gardening on weekends.")
    state = default_cache_dir(Path("site")) / PATCH_STATE_FILE
    opened: list[str] = []

    def recording_load(path: Path, schema: Any) -> Any:
        opened.append(str(path))
        return load_cache(path, schema)

    monkeypatch.setattr("generator.site.patch.load_cache", recording_load)
    before = site_files(root / "site")
    with pytest.raises(ContentError) as caught:
        _build()
    assert any(p.code == CODE_IN_CONTENT for p in caught.value.problems)
    assert opened == [] and state.is_file()
    assert site_files(root / "site") == before


def test_a_missing_content_folder_is_the_builds_problem_to_report(root: Path) -> None:
    shutil.rmtree(root / "content")
    with pytest.raises(ContentError) as caught:
        _build()
    assert [p.code for p in caught.value.problems] == ["no-content"]

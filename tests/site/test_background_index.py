"""The search index written beside the pages (a forked process) or first and alone (a large
network, for memory) gives the same site, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.core import parallel
from generator.site import plugin
from generator.site.build import build
from generator.site.data_files import BUILD_MARKER
from tests.support.paths import ROOT

pytestmark = [pytest.mark.slow]


def _files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != BUILD_MARKER
    }


def test_the_index_written_first_and_alone_gives_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    started: list[object] = []
    in_background = parallel.in_background

    def recording(function: object) -> object:
        started.append(function)
        return in_background(function)  # type: ignore[arg-type]

    monkeypatch.setattr(plugin, "in_background", recording)
    build(content, tmp_path / "beside")
    assert len(started) == 1, "a small network's index is written beside the pages"
    monkeypatch.setattr(plugin, "BACKGROUND_INDEX_MAX_MENTORS", 0)
    build(content, tmp_path / "alone")
    assert len(started) == 1, "above the limit the index is written in the build's own process"
    beside, alone = _files(tmp_path / "beside"), _files(tmp_path / "alone")
    assert sorted(beside) == sorted(alone)
    assert [name for name in beside if beside[name] != alone[name]] == []
    assert "search/version.json" in beside and "search/terms.json" in beside

"""The data files written beside the pages, and the bios' Markdown kept between builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.content.export import EXPORT_FILE, DirectoryExport, export_json
from generator.content.render import markdown_memo
from generator.content.vocabulary import vocabulary
from generator.core.cache import load_cache, save_cache
from generator.search.facets import CARDS_DIR, decode_refs, load_facet_files
from generator.search.order import default_order
from generator.site.bios import BIO_CACHE_FILE, BioCache, convert_bios, keep_bios
from generator.site.data_files import BUILD_MARKER, write_data_files
from generator.site.errors import SiteBuildError
from generator.site.match_payload import MATCH_MENTORS_FILE, MATCHING_FILE
from tests.support.paths import ROOT


def test_data_files_and_facets_in_directory_order(sample_export: DirectoryExport, tmp_path: Path) -> None:
    write_data_files(
        tmp_path, sample_export, vocabulary(), node_modules=ROOT / "node_modules", build_id="b-42"
    )
    assert (tmp_path / EXPORT_FILE).read_text(encoding="utf-8") == export_json(sample_export)
    facets = load_facet_files(tmp_path / "search")
    assert facets.directory_order() == [m.id for m in default_order(sample_export.mentors)]
    # every program's posting in one file too, the same as the files one by one
    together = json.loads((tmp_path / "search" / "facets" / "program.json").read_text(encoding="utf-8"))
    assert [decode_refs(p, len(sample_export.mentors)) for p in together] == facets.programs
    assert sum(map(len, facets.programs)) == len(sample_export.mentors)
    for name in (MATCHING_FILE, MATCH_MENTORS_FILE):
        json.loads((tmp_path / name).read_text(encoding="utf-8"))
    lunr = (ROOT / "node_modules" / "lunr" / "lunr.min.js").read_bytes()
    assert (tmp_path / "search" / "lunr.min.js").read_bytes() == lunr
    assert (tmp_path / BUILD_MARKER).read_text(encoding="utf-8").endswith("build b-42\n")
    # a smaller network's build leaves no card chunk or posting of the bigger one behind
    stray = tmp_path / "search" / CARDS_DIR / "9999.json"
    stray.write_text("[]", encoding="utf-8")
    smaller = sample_export.model_copy(update={"mentors": sample_export.mentors[:1]})
    write_data_files(tmp_path, smaller, vocabulary(), node_modules=ROOT / "node_modules", build_id="b-43")
    assert sorted(p.name for p in (tmp_path / "search" / CARDS_DIR).iterdir()) == ["0.json"]
    assert load_facet_files(tmp_path / "search").directory_order() == [sample_export.mentors[0].id]


def test_without_lunr_the_build_stops_with_the_fix(sample_export: DirectoryExport, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(SiteBuildError, match="npm ci"):
        write_data_files(
            tmp_path / "out",
            sample_export,
            vocabulary(),
            node_modules=tmp_path / "no-node-modules",
            build_id="b",
        )
    assert not (tmp_path / "out" / BUILD_MARKER).exists()


def test_bios_are_kept_for_the_next_build_and_read_back(
    sample_export: DirectoryExport, tmp_path: Path
) -> None:
    convert_bios(sample_export, None)
    keep_bios(sample_export, tmp_path)
    stored = load_cache(tmp_path / BIO_CACHE_FILE, BioCache)
    assert stored is not None
    kept = stored.data
    bios = {m.bio for m in sample_export.mentors if m.bio}
    assert set(kept) == bios, "exactly this build's bios"
    assert all(kept[bio] == markdown_memo()[bio] for bio in bios)

    bio = "A bio only the cache has converted (test_bios_are_kept_for_the_next_build_and_read_back)."
    save_cache(tmp_path / BIO_CACHE_FILE, BioCache, {bio: "<p>from the cache</p>"})
    mentor = sample_export.mentors[0].model_copy(update={"bio": bio})
    convert_bios(sample_export.model_copy(update={"mentors": [mentor]}), tmp_path)
    assert markdown_memo()[bio] == "<p>from the cache</p>"


def test_directory_json_is_written_a_mentor_at_a_time_with_the_same_bytes(
    sample_export: DirectoryExport, tmp_path: Path
) -> None:
    from generator.content.export import write_export

    # a program whose name holds the text the writer splits at cannot move the split
    tricky = sample_export.model_copy(
        update={
            "programs": [
                sample_export.programs[0].model_copy(update={"name": 'A "mentors":[] program'}),
                *sample_export.programs[1:],
            ]
        }
    )
    for export in (sample_export, tricky, sample_export.model_copy(update={"mentors": []})):
        path = tmp_path / "directory.json"
        write_export(export, path)
        assert path.read_text(encoding="utf-8") == export_json(export)

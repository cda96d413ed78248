"""The people index updated for edited bios (generator.search.people_state): within the stated
bound of a full build, exactly what the frozen statistics give, and only the shards it must."""

from __future__ import annotations

import bisect
import shutil
from pathlib import Path

import pytest

from generator.content.export import DirectoryExport, PublicMentor, build_export
from generator.content.validation import validate_content
from generator.content.vocabulary import vocabulary
from generator.core.cache import default_cache_dir, load_cache
from generator.demo.network import write_network
from generator.search.index import mentors_with_export, people_documents, search
from generator.search.order import ref_order
from generator.search.people_shards import PeopleTerms, build_terms, render_shard
from generator.search.people_state import (
    MAX_AVERAGE_DRIFT,
    META_FILE,
    STATE_DIR,
    MetaCache,
    PeopleCache,
    PeopleMeta,
)
from generator.search.shards import SHARD_DIR, SearchFiles, load_search, shard_file, write_search_files
from generator.site.build import build
from tests.support.paths import ROOT

#: How far an incrementally built score may be from the full build's: the drift bound's effect
#: on BM25 (people_state's docstring), plus the rounding of vector elements to 3 decimals.
RELATIVE_BOUND = MAX_AVERAGE_DRIFT / (1 - MAX_AVERAGE_DRIFT)
ABSOLUTE_SLACK = 0.005
TARGET = 6_000


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> DirectoryExport:
    """300 mentors with realistic bios (100–200 words)."""
    content = tmp_path_factory.mktemp("people") / "content"
    write_network(content, 300, 6, seed=19, bios="realistic")
    result = validate_content(content)
    result.raise_for_problems()
    return build_export(result.programs, result.mentors, "https://site.invalid/directory/", vocabulary())


def _with(export: DirectoryExport, **changes: dict[str, str]) -> DirectoryExport:
    """``export`` with some mentors' fields replaced: ``id={"bio": …}``."""
    mentors: list[PublicMentor] = [
        m.model_copy(update=changes[m.id]) if m.id in changes else m for m in export.mentors
    ]
    return export.model_copy(update={"mentors": mentors})


class Builds:
    """Successive builds into new folders, each with the state of the one before (as the site
    build does: a staging folder, the previous output beside it)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.state = root / "cache" / STATE_DIR
        self.count = 0
        self.previous: tuple[Path, str] | None = None

    def write(self, export: DirectoryExport) -> tuple[Path, SearchFiles]:
        self.count += 1
        folder = self.root / f"build-{self.count}"
        build_id = f"b{self.count}"
        cache = PeopleCache(
            self.state,
            build_id,
            self.previous[0] / SHARD_DIR if self.previous else None,
            self.previous[1] if self.previous else None,
        )
        files = write_search_files(folder, export, vocabulary(), target_bytes=TARGET, cache=cache)
        self.previous = (folder, build_id)
        return folder, files

    def meta(self) -> PeopleMeta:
        stored = load_cache(self.state / META_FILE, MetaCache)
        assert stored is not None
        return stored.data


def _full(export: DirectoryExport, folder: Path) -> Path:
    write_search_files(folder, export, vocabulary(), target_bytes=TARGET)
    return folder


def _bio(export: DirectoryExport, mentor_id: str) -> str:
    return next(m.bio or "" for m in export.mentors if m.id == mentor_id)


def _queries(export: DirectoryExport, ids: list[str]) -> list[str]:
    """Words of the edited bios and names, common words, and two-word queries."""
    words: list[str] = [
        "medicine",
        "research",
        "first generation",
        "pediatrics",
        "zyzzyva",
        "quokka lighthouse",
    ]
    for mentor in export.mentors:
        if mentor.id in ids:
            bio_words = (mentor.bio or "").split()
            words += [mentor.name, *bio_words[:12:3], " ".join(bio_words[4:6])]
    return words


def _assert_within_bound(incremental: Path, full: Path, export: DirectoryExport, ids: list[str]) -> int:
    """Every query: the same mentors, scores within the bound, the same ranking except between
    mentors whose full-build scores are within the bound of each other. Returns how many
    results were compared."""
    mentors_with = mentors_with_export(export)
    ours, theirs = load_search(incremental), load_search(full)
    compared = 0
    for query in _queries(export, ids):
        got, expected = search(ours, query, mentors_with), search(theirs, query, mentors_with)
        assert {m for m, _ in got} == {m for m, _ in expected}, query
        full_scores = dict(expected)
        for mentor, score in got:
            assert score == pytest.approx(full_scores[mentor], rel=RELATIVE_BOUND, abs=ABSOLUTE_SLACK), (
                query,
                mentor,
            )
        position = {mentor: i for i, (mentor, _) in enumerate(got)}
        for i, (a, score_a) in enumerate(expected):
            for b, score_b in expected[i + 1 :]:
                if position[a] > position[b]:  # swapped: only between scores within the bound
                    assert score_a - score_b <= RELATIVE_BOUND * score_a + ABSOLUTE_SLACK, (query, a, b)
        compared += len(got)
    return compared


def _assert_exact(folder: Path, export: DirectoryExport, meta: PeopleMeta) -> None:
    """The patched shards are exactly what the current content renders to with the state's
    frozen averages, term numbers and shard boundaries (what a patch must never get wrong)."""
    docs = people_documents(export)
    terms, _ = build_terms((d.name, d.bio) for d in docs)
    index_of = dict(zip(meta.terms, meta.indexes, strict=True))
    assert sorted(terms.postings) == meta.terms
    frozen = PeopleTerms(
        document_count=terms.document_count,
        postings={t: [index_of[t], *posting[1:]] for t, posting in terms.postings.items()},
        lengths=terms.lengths,
        averages=meta.averages,
    )
    groups: list[list[str]] = [[] for _ in meta.boundaries]
    for term in meta.terms:
        groups[max(bisect.bisect_right(meta.boundaries, term) - 1, 0)].append(term)
    for number, group in enumerate(groups):
        assert (folder / shard_file(number)).read_bytes() == render_shard(frozen, group), number


def test_a_series_of_edits_stays_within_the_bound_of_a_full_build(
    network: DirectoryExport, tmp_path: Path
) -> None:
    mentors = ref_order(network.mentors)
    a, b, c, d = mentors[3].id, mentors[50].id, mentors[120].id, mentors[299].id
    builds = Builds(tmp_path)
    builds.write(network)
    steps = [
        {a: {"bio": _bio(network, a) + " Quokka lighthouse orienteering; zyzzyva."}},
        {b: {"name": "Zyzzyva Quillon"}, c: {"bio": "Medicine research pediatrics. " + _bio(network, c)}},
        {a: {"bio": _bio(network, a)}, d: {"bio": " ".join(_bio(network, d).split()[::2])}},
        {c: {"bio": _bio(network, c).replace("the", "quokka")}},
    ]
    export = network
    edited: list[str] = []
    for number, step in enumerate(steps):
        export = _with(export, **step)
        edited += list(step)
        folder, files = builds.write(export)
        assert files.people is not None and not files.people.full, f"step {number} was a full build"
        assert 0 < len(files.people.rendered) < len(files.people.boundaries)
        _assert_exact(folder, export, builds.meta())
        compared = _assert_within_bound(folder, _full(export, tmp_path / f"full-{number}"), export, edited)
        assert compared > 50
    # the frozen averages are not the full build's: the bound is not met by chance equality
    full_terms, _ = build_terms((doc.name, doc.bio) for doc in people_documents(export))
    assert full_terms.averages != builds.meta().averages


def test_an_edited_bio_is_found_by_its_new_words_and_not_by_its_removed_ones(
    network: DirectoryExport, tmp_path: Path
) -> None:
    mentor = ref_order(network.mentors)[7]
    bio = _bio(network, mentor.id)
    builds = Builds(tmp_path)
    builds.write(_with(network, **{mentor.id: {"bio": bio + " My quixotry is orienteering."}}))
    folder, files = builds.write(_with(network, **{mentor.id: {"bio": bio + " My zyzzyva is lighthouses."}}))
    assert files.people is not None and not files.people.full
    data = load_search(folder)
    mentors_with = mentors_with_export(network)
    assert [m for m, _ in search(data, "zyzzyva", mentors_with)] == [mentor.id]
    assert mentor.id in [m for m, _ in search(data, "lighthouses", mentors_with)]
    assert search(data, "quixotry", mentors_with) == []
    assert mentor.id not in [m for m, _ in search(data, "orienteering", mentors_with)]
    assert "quixotri" not in data.people.inverted_index
    assert "zyzzyva" in data.people.inverted_index


def _inodes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in (folder / SHARD_DIR).glob("*.json")}


def test_a_rebuild_writes_only_the_shards_holding_changed_terms(
    network: DirectoryExport, tmp_path: Path
) -> None:
    builds = Builds(tmp_path)
    first, _ = builds.write(network)
    second, files = builds.write(network)
    assert files.people is not None and not files.people.full and files.people.rendered == set()
    assert _inodes(second) == _inodes(first)  # every shard a hard link to the previous one

    mentor = ref_order(network.mentors)[11]
    bio = _bio(network, mentor.id)
    third, files = builds.write(_with(network, **{mentor.id: {"bio": bio + " Zyzzyva."}}))
    assert files.people is not None and not files.people.full
    # the mentor's terms, old and new: their shards are the ones written again
    old_terms, _ = build_terms([(mentor.name, bio)])
    new_terms, _ = build_terms([(mentor.name, bio + " Zyzzyva.")])
    terms = set(old_terms.postings) | set(new_terms.postings)
    holding = {files.people.shard_of(t) for t in terms}
    assert files.people.changed_terms == terms
    # written again: the shards holding those terms whose bytes change (the others' scores
    # round as before, and their files stay, the same inode)
    rendered = files.people.rendered
    assert 0 < len(rendered) <= len(holding) < len(_inodes(third)) and rendered <= holding
    for number in holding - rendered:
        name = f"{number}.json"
        assert (third / SHARD_DIR / name).read_bytes() == (second / SHARD_DIR / name).read_bytes()
    before, after = _inodes(second), _inodes(third)
    assert {name for name in after if after[name] != before[name]} == {f"{n}.json" for n in rendered}


def test_a_changed_previous_file_or_an_added_mentor_means_a_full_build(
    network: DirectoryExport, tmp_path: Path
) -> None:
    builds = Builds(tmp_path)
    first, _ = builds.write(network)
    shard = first / shard_file(0)
    shard.write_bytes(shard.read_bytes().replace(b'"fields"', b'"fields" '))
    _, files = builds.write(network)
    assert files.people is not None and files.people.full
    _, files = builds.write(network.model_copy(update={"mentors": network.mentors[1:]}))
    assert files.people is not None and files.people.full
    _, files = builds.write(network.model_copy(update={"mentors": network.mentors[1:]}))
    assert files.people is not None and not files.people.full


def test_drift_past_the_bound_means_a_full_build(network: DirectoryExport, tmp_path: Path) -> None:
    builds = Builds(tmp_path)
    builds.write(network)
    long_bios = {m.id: {"bio": (m.bio or "") + " word" * 40} for m in ref_order(network.mentors)[:30]}
    _, files = builds.write(_with(network, **long_bios))
    assert files.people is not None and files.people.full


def _shard_mtimes(site: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (site / "search" / SHARD_DIR).glob("*.json")}


def test_the_site_build_rewrites_only_the_changed_shards(tmp_path: Path) -> None:
    """Through `build` with its cache: a no-change rebuild leaves every shard file as it was,
    a one-word bio edit rewrites some (and the new word is found)."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    site = tmp_path / "site"
    cache = default_cache_dir(site)
    build(content, site, cache_dir=cache)
    first = _shard_mtimes(site)
    build(content, site, cache_dir=cache)
    assert _shard_mtimes(site) == first
    profile = next(p for p in sorted((content / "mentors").rglob("*.yml")) if "bio:" in p.read_text())
    text = profile.read_text()
    word = next(w for w in text.split("bio:", 1)[1].split() if w.isalpha() and len(w) > 3)
    profile.write_text(text.replace(f" {word}", " zyzzyva", 1))
    build(content, site, cache_dir=cache)
    third = _shard_mtimes(site)
    changed = {name for name in third if third[name] != first.get(name)}
    assert 0 < len(changed) < len(third)
    data = load_search(site / "search")
    assert profile.stem in [m for m, _ in search(data, "zyzzyva", lambda param, value: [])]


def test_a_shard_grown_past_twice_its_size_means_a_full_build(
    network: DirectoryExport, tmp_path: Path
) -> None:
    builds = Builds(tmp_path)
    _, files = builds.write(network)
    assert files.people is not None
    last = len(files.people.boundaries) - 1
    mentor = ref_order(network.mentors)[5]
    few = " ".join(f"zzq{n}" for n in range(5))  # new terms after every other: the last shard
    _, files = builds.write(_with(network, **{mentor.id: {"bio": f"{mentor.bio} {few}"}}))
    assert files.people is not None and not files.people.full and last in files.people.rendered
    many = " ".join(f"zzq{n}" for n in range(400))
    _, files = builds.write(_with(network, **{mentor.id: {"bio": f"{mentor.bio} {many}"}}))
    assert files.people is not None and files.people.full
    assert len(files.people.boundaries) > last + 1  # cut anew: the new terms spread over shards

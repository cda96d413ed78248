"""The site's data files: ``directory.json``, the match page's data, ``search/`` (the index
and its shards, the filters' and cards' files — ``facets.json``, ``facets/``, ``cards/`` —,
lunr.js, ``version.json``) and the build marker.

How pages and ``directory.js`` name these files' versions: :mod:`generator.site.versions`
(:func:`data_versions` and :func:`write_index_version` here).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.content.export import EXPORT_FILE, DirectoryExport, write_export
from generator.content.vocabulary import Vocabulary
from generator.core.cache import BUILD_MARKER as BUILD_MARKER  # the stamp, where it has always been
from generator.matching.config import matching_config
from generator.search.facets import CARDS_DIR, FACETS_FILE, POSTINGS_DIR, facet_files
from generator.search.people_state import STATE_DIR as PEOPLE_STATE_DIR
from generator.search.people_state import PeopleCache
from generator.search.shards import SHARD_DIR, TERM_DIR, TERMS_FILE, compact_json, write_search_files
from generator.site.errors import SiteBuildError
from generator.site.match_pack import IDS_FILE, NAMES_DIR, pack_match_mentors
from generator.site.match_payload import (
    MATCH_MENTORS_FILE,
    MATCHING_FILE,
    match_mentors_payload,
    matching_payload,
)
from generator.site.versions import (
    LUNR_FILE,
    SEARCH_DIR,
    SEARCH_VERSION_FILE,
    file_version,
    index_version,
    index_version_text,
    sha256_of,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DataVersions:
    """The version of each data file a page names: each changes only when its file(s) change."""

    #: ``facets.json``, the postings and the card chunks, together (every one is named with it)
    facets: str
    lunr: str
    #: ``match/mentors.json``, ``matching.json``, the names files and ``match/ids.json``,
    #: together (a name change alone changes only a names file)
    match: str


def _index_files(search: Path) -> list[Path]:
    shards = sorted((search / SHARD_DIR).glob("*.json"), key=lambda p: (len(p.name), p.name))
    # the term files are derived from the shards, but a page loads them: they are versioned too
    term_files = sorted((search / TERM_DIR).glob("*.json"))
    return [search / TERMS_FILE, *term_files, *shards]


def _facet_files(search: Path) -> list[Path]:
    found = [
        path for folder in (search / POSTINGS_DIR, search / CARDS_DIR) for path in folder.rglob("*.json")
    ]
    return [search / FACETS_FILE, *sorted(found, key=lambda p: p.relative_to(search).as_posix())]


def _names_files(output: Path) -> list[Path]:
    names = sorted((output / NAMES_DIR).glob("*.json"), key=lambda p: (len(p.name), p.name))
    return names


def data_versions(output: Path) -> DataVersions:
    """The versions of the data files written into ``output`` that pages name (never the search
    index's: :func:`write_index_version`)."""
    search = output / SEARCH_DIR
    return DataVersions(
        facets=file_version(_facet_files(search), root=search),
        lunr=file_version([search / "lunr.min.js"]),
        match=file_version(
            [output / MATCH_MENTORS_FILE, output / MATCHING_FILE, output / IDS_FILE, *_names_files(output)]
        ),
    )


def write_index_version(output: Path) -> None:
    """Write ``search/version.json``: the version of the search index written into ``output``
    (``terms.json``, the term files and the shards, together: :func:`index_version`), which the
    directory page fetches to name the index files it loads."""
    search = output / SEARCH_DIR
    version = index_version((path.name, sha256_of(path)) for path in _index_files(search))
    (search / SEARCH_VERSION_FILE).write_text(index_version_text(version), encoding="utf-8")


def _search_dir(output: Path) -> Path:
    search = output / SEARCH_DIR
    search.mkdir(parents=True, exist_ok=True)
    return search


def write_search_index(
    output: Path,
    export: DirectoryExport,
    vocab: Vocabulary,
    *,
    cache_dir: Path | None = None,
    build_id: str = "",
    previous_output: Path | None = None,
    previous_build_id: str | None = None,
) -> None:
    """The search index's files (:mod:`generator.search.shards`) and ``search/version.json``
    (:func:`write_index_version`, hashed by the process that wrote the index). The bios must be
    converted.

    With ``cache_dir`` the people index's state is kept there (``people-index/``) and, when it
    is the state of ``previous_output`` (made by ``previous_build_id``), only the shards an
    edit changed are written again (:mod:`generator.search.people_state`)."""
    cache = None
    if cache_dir is not None and build_id:
        cache = PeopleCache(
            cache_dir / PEOPLE_STATE_DIR,
            build_id,
            previous_output / SEARCH_DIR / SHARD_DIR if previous_output is not None else None,
            previous_build_id,
        )
    write_search_files(_search_dir(output), export, vocab, cache=cache)
    write_index_version(output)


def write_data_files(
    output: Path,
    export: DirectoryExport,
    vocab: Vocabulary,
    *,
    node_modules: Path,
    build_id: str,
    exclude_from_match: frozenset[str] = frozenset(),
    stale: Mapping[str, str] | None = None,
    published: DirectoryExport | None = None,
    provenance: Mapping[str, tuple[str, str]] | None = None,
    networks: Mapping[str, str] | None = None,
) -> None:
    """Every data file but the search index; ``exclude_from_match``: ids left out of the match
    page's data (stale profiles); ``stale``: id → "Month YYYY" of each stale profile, for the
    cards the directory builds.

    ``directory.json`` is ``published``, this network's own export (default: ``export``); the
    match page's mentors and the filters are of ``export``, which also has the peers' mentors;
    ``provenance`` (a peer's program id → its network and snapshot date) and ``networks`` (a
    peer's id → its name) are for their mentors' cards.

    Raises :class:`SiteBuildError` when ``node_modules`` has no lunr.js.
    """
    write_export(published or export, output / EXPORT_FILE)
    payload = matching_payload(matching_config(), [m.timezone for m in export.mentors])
    (output / MATCHING_FILE).write_text(compact_json(payload) + "\n", encoding="utf-8")
    match_mentors = output / MATCH_MENTORS_FILE
    match_mentors.parent.mkdir(parents=True, exist_ok=True)
    packed = pack_match_mentors(match_mentors_payload(export, exclude_from_match, networks))
    match_mentors.write_text(compact_json(packed.main) + "\n", encoding="utf-8")
    (output / IDS_FILE).write_text(compact_json(packed.ids) + "\n", encoding="utf-8")
    names_dir = output / NAMES_DIR
    if names_dir.is_dir():
        shutil.rmtree(names_dir)  # a smaller network's build leaves no names file behind
    names_dir.mkdir(parents=True)
    # file 0 exists even with no mentor: the page names the files as match/names/{file}.json
    for k, chunk in enumerate(packed.names or [{"ids": [], "names": []}]):
        (names_dir / f"{k}.json").write_text(compact_json(chunk) + "\n", encoding="utf-8")
    search = _search_dir(output)
    for folder in (search / POSTINGS_DIR, search / CARDS_DIR):
        if folder.is_dir():
            shutil.rmtree(folder)  # a smaller network's build leaves no chunk behind
    made: set[Path] = set()
    for name, data in facet_files(export, vocab, stale, provenance).items():
        path = search / name
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(compact_json(data), encoding="utf-8")
    lunr_js = node_modules / LUNR_FILE
    if not lunr_js.is_file():
        raise SiteBuildError(
            f"{lunr_js} is missing: run `make install` (or `npm ci`) to install lunr.js from "
            "package-lock.json."
        )
    shutil.copyfile(lunr_js, search / "lunr.min.js")
    (output / BUILD_MARKER).write_text(
        f"Built by `mentormemed build`; safe to replace.\nbuild {build_id}\n", encoding="utf-8"
    )
    log.info("wrote %s and search/ for %d mentors", EXPORT_FILE, len(export.mentors))

"""The site's data files: ``directory.json``, the match page's data, ``search/`` (the index
and its shards, ``facets.json``, lunr.js) and the build marker."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from generator.content.export import EXPORT_FILE, DirectoryExport, PublicMentor, export_json
from generator.content.vocabulary import Vocabulary
from generator.core.cache import BUILD_MARKER as BUILD_MARKER  # the stamp, where it has always been
from generator.matching.config import matching_config
from generator.search.facets import FACETS_FILE, facets_payload
from generator.search.shards import compact_json, write_search_files
from generator.site.errors import SiteBuildError
from generator.site.match_pack import NAMES_DIR, pack_match_mentors
from generator.site.match_payload import (
    MATCH_MENTORS_FILE,
    MATCHING_FILE,
    match_mentors_payload,
    matching_payload,
)

log = logging.getLogger(__name__)

LUNR_FILE = "lunr/lunr.min.js"
SEARCH_DIR = "search"


def _search_dir(output: Path) -> Path:
    search = output / SEARCH_DIR
    search.mkdir(parents=True, exist_ok=True)
    return search


def write_search_index(output: Path, export: DirectoryExport, vocab: Vocabulary) -> None:
    """The search index's files (:mod:`generator.search.shards`); the bios must be converted."""
    write_search_files(_search_dir(output), export, vocab)


def write_data_files(
    output: Path,
    export: DirectoryExport,
    vocab: Vocabulary,
    order: Sequence[PublicMentor],
    *,
    node_modules: Path,
    build_id: str,
    exclude_from_match: frozenset[str] = frozenset(),
    stale: Mapping[str, str] | None = None,
    published: DirectoryExport | None = None,
    provenance: Mapping[str, tuple[str, str]] | None = None,
    networks: Mapping[str, str] | None = None,
) -> None:
    """Every data file but the search index; ``order``: the mentors in the directory's order;
    ``exclude_from_match``: ids left out of the match page's data (stale profiles); ``stale``:
    id → "Month YYYY" of each stale profile, for the cards the directory builds.

    ``directory.json`` is ``published``, this network's own export (default: ``export``); the
    match page's mentors and the filters are of ``export``, which also has the peers' mentors;
    ``provenance`` (a peer's program id → its network and snapshot date) and ``networks`` (a
    peer's id → its name) are for their mentors' cards.

    Raises :class:`SiteBuildError` when ``node_modules`` has no lunr.js.
    """
    (output / EXPORT_FILE).write_text(export_json(published or export), encoding="utf-8")
    payload = matching_payload(matching_config(), [m.timezone for m in export.mentors])
    (output / MATCHING_FILE).write_text(compact_json(payload) + "\n", encoding="utf-8")
    match_mentors = output / MATCH_MENTORS_FILE
    match_mentors.parent.mkdir(parents=True, exist_ok=True)
    packed, names = pack_match_mentors(match_mentors_payload(export, exclude_from_match, networks))
    match_mentors.write_text(compact_json(packed) + "\n", encoding="utf-8")
    names_dir = output / NAMES_DIR
    if names_dir.is_dir():
        shutil.rmtree(names_dir)  # a smaller network's build leaves no names file behind
    names_dir.mkdir(parents=True)
    for k, chunk in enumerate(names):
        (names_dir / f"{k}.json").write_text(compact_json(chunk) + "\n", encoding="utf-8")
    search = _search_dir(output)
    facets = facets_payload(export, vocab, order, stale, provenance)
    (search / FACETS_FILE).write_text(compact_json(facets), encoding="utf-8")
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

"""What the site's in-browser matcher (``theme/static/js/matcher.js``) reads besides the directory.

``matching.json`` carries the weights of ``schemas/matching.yml`` (the one source: the build
writes it from :func:`generator.matching.config.matching_config`) and, for every time zone a
published mentor gives, its UTC offset at :data:`generator.matching.scoring.OFFSET_INSTANT`, computed
here with ``zoneinfo`` so the browser does not depend on its own time-zone database.

Nothing private is in it: it holds no mentor, only configuration and time-zone offsets.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from generator.content.export import DirectoryExport
from generator.content.models import Mentor
from generator.content.vocabulary import Vocabulary
from generator.matching.config import MatchingConfig
from generator.matching.scoring import HARD_CONSTRAINTS, PART_NAMES, TEAM_MUSTS, zone_offset

MATCHING_FILE = "matching.json"
#: The mentors as the match page needs them: the export's matching fields only (no bios,
#: contacts or degrees), half the bytes of ``directory.json``.
MATCH_MENTORS_FILE = "match/mentors.json"
#: Version of the payload's format; the matcher refuses a payload of another version.
PAYLOAD_VERSION = 1


def matching_payload(config: MatchingConfig, timezones: Iterable[str | None] = ()) -> dict[str, Any]:
    """The matcher's configuration, as plain JSON data."""
    offsets: dict[str, float] = {}
    for name in sorted({tz for tz in timezones if tz}):
        offset = zone_offset(name)
        if offset is not None:
            offsets[name] = offset
    w = config.weights
    return {
        "version": PAYLOAD_VERSION,
        "hard_constraints": list(HARD_CONSTRAINTS),
        "team_musts": list(TEAM_MUSTS),
        "part_names": list(PART_NAMES),
        "weights": {
            "affinity": w.affinity,
            "need": w.need,
            "specialty": w.specialty,
            "stage_ahead": w.stage_ahead,
            "profession": w.profession,
            "language": w.language,
            "meeting": w.meeting,
            "same_state": w.same_state,
            "near_timezone": w.near_timezone,
            "named": w.named,
        },
        "rank_weights": list(config.rank_weights),
        "team": {
            "repeat_need": config.repeat_need,
            "repeat_affinity": config.repeat_affinity,
            "cover_need": config.cover_need,
            "cover_affinity": config.cover_affinity,
            "cover_language": config.cover_language,
            "cover_specialty": config.cover_specialty,
            "same_program": config.same_program,
            "protect": config.protect,
        },
        "load": {"weight": config.load_weight, "exponent": config.load_exponent},
        "urim": sorted(config.urim),
        "stage_order": dict(sorted(config.stage_order.items())),
        "profession_peers": {p: sorted(peers) for p, peers in sorted(config.profession_peers.items())},
        "state_utc_offset": dict(sorted(config.state_utc_offset.items())),
        "timezone_utc_offset": offsets,
    }


#: The fields of a mentor the matcher reads: all published in ``directory.json``.
MATCHER_MENTOR_FIELDS = (
    "id",
    "name",
    "program",
    "profession",
    "stage",
    "specialties",
    "areas",
    "affinities",
    "languages",
    "meeting",
    "state",
    "timezone",
    "capacity",
    "accepting",
)
#: The mentor's fields that are sets of vocabulary ids (lists in ``directory.json``).
LIST_FIELDS = ("specialties", "areas", "affinities", "languages", "meeting")
#: The vocabularies whose labels the matcher's reasons use.
LABELLED_KINDS = (
    "affinities",
    "areas",
    "specialties",
    "stages",
    "professions",
    "languages",
    "meeting",
    "states",
)


def matcher_mentor(mentor: Mentor) -> dict[str, Any]:
    """A mentor as the matcher reads it (public fields only; for tests and benchmarks)."""
    data = mentor.model_dump(mode="json")
    return {key: data[key] for key in MATCHER_MENTOR_FIELDS}


def vocabulary_labels(vocab: Vocabulary) -> dict[str, dict[str, str]]:
    """Every label the matcher's reasons may use, like ``directory.json``'s ``vocabulary``."""
    return {kind: {i: vocab.label(kind, i) for i in vocab.ids(kind)} for kind in LABELLED_KINDS}


def match_mentors_payload(
    export: DirectoryExport, excluded: Collection[str] = (), networks: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The match page's mentors, unpacked: the export's version, labels and mentors, with only
    the fields in :data:`MATCHER_MENTOR_FIELDS` (the shape of ``directory.json``'s), in the
    matcher's order (by id) and each list field sorted (the matcher reads them as sets).
    Mentors in ``excluded`` (stale profiles, docs/freshness.md) are left out: the match page
    suggests no one whose profile is not confirmed. With peer networks, ``networks`` names each
    (peer id → name) for their mentors' cards (their ids are ``<peer>--<id>``).

    The site writes it packed (:func:`pack_match_mentors`); :func:`unpack_match_mentors` gives
    this back."""
    mentors = []
    for m in sorted(export.mentors, key=lambda m: m.id):
        if m.id in excluded:
            continue
        data = m.model_dump(include=set(MATCHER_MENTOR_FIELDS))
        for field in LIST_FIELDS:
            data[field] = sorted(set(data[field]))
        mentors.append(data)
    payload: dict[str, Any] = {"version": export.version, "vocabulary": export.vocabulary, "mentors": mentors}
    if networks:
        payload["networks"] = dict(networks)
    return payload

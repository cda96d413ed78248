"""The directory's filters: the groups a mentee filters on, each mentor's values, the counts,
and the files the directory page filters and draws cards from (version 3).

The counts printed in the pages come from :func:`facet_counts`; the browser recomputes them
from the files below, which hold only public values (``private_affinities`` never is).

Every file numbers mentors by **ref** (:func:`generator.search.order.ref_order`: a mentor's
position in the order of the SHA-256 of its id), as the people index does, so a search's hits,
the filters' postings and the card chunks meet without any id. The directory order is the
accepting refs ascending, then the others ascending (:func:`~generator.search.order.default_order`),
so it needs nothing but the accepting posting.

Files, in the site's ``search/`` folder (:func:`facet_files`; each named ``?v=<version>``, the
hash of all of them together):

- ``facets.json`` (version 3, a few KB): ``groups`` (``param``, ``label``, ``values``,
  ``labels``: the values some published mentor has, in vocabulary order), ``programs``
  (``[id, name]``, or ``[id, name, network, date]`` for a peer network's program, which its
  mentors' cards show as "From <network>, as of <date>"), ``cardGroups`` (the groups a card
  shows, in the order of a card's ``values``), ``pageSize``, ``total``, ``cardsPerFile`` and
  ``acceptingRefs`` (the posting of the accepting box: the directory order and its count);
- ``facets/<param>.json``: one group's postings, ``[posting of value 0, …]`` in the order of
  the group's ``values``, or, for a group in which no mentor has two values, a column
  (:func:`encode_group`, ``{"column": "…"}``: one character per ref naming its value).
  Loaded before the results when a value of the group is chosen (its counts need every value
  of it), else after them, for its counts;
- ``facets/<param>/<i>.json``: the posting of value ``i`` of a group alone, and
  ``facets/program/<i>.json`` of program ``i``: what a search's catalog hit asks for
  (``mentorsWith(param, value)`` in ``search.js``), a few hundred bytes instead of a group;
- ``facets/program.json``: every program's posting, in the order of ``programs``; loaded
  instead of single values when one search asks for :data:`GROUP_FILE_AT` values or more of
  one group or of the programs (directory.js), so a word naming most programs ("medicine")
  costs one request, not one per program;
- ``cards/<k>.json``: the cards of refs ``k·C`` to ``k·C + C - 1`` (``C`` =
  :data:`CARDS_PER_FILE`), each ``[id, name, pronouns or "", program position (-1: none),
  [[value positions] per card group], month of the last confirmation of a stale profile or ""]``.
  Positions keep the order of the mentor's own record (a card lists terms as the page does).
  A page of results loads only the chunks of the mentors it shows.

A **posting** is the set of refs having a value, written as whichever is shorter (:func:`encode_refs`):
a JSON array of gaps (the first ref, then each ref minus the one before), or a string, the
base64 of a bitset (bit ``r % 8`` of byte ``r // 8`` set for ref ``r``). Measured at 10,000
mentors (realistic demo network): all groups' postings are 82 KB gzip as the shorter of the
two (a little more as gaps only or bitsets only), 73 KB with stage, profession and state as
columns; one value (``specialty`` pediatrics, 1,198
mentors) 0.9 KB; ``language``, a whole group, 3.2 KB; ``facets.json`` 6 KB.
``CARDS_PER_FILE`` (8): a page of 24 results spreads over about 24 chunks whatever ``C`` is
(refs are hash-ordered), so a smaller ``C`` fetches fewer bytes but writes more files, all
rewritten on every build: 2.5 KB gzip a page at C=1 (10,000 files), 3.9 at 2, 6.3 at 4 (2,500
files, 0.5 s to write), 10.5 at 8 (1,250 files, 0.2 s), 18 at 16, 32 at 32 (313 files).
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.content.export import DirectoryExport, PublicMentor, PublicProgram
from generator.content.vocabulary import Vocabulary, VocabularyKind
from generator.search.order import ref_order

FACETS_VERSION = 3
#: The meta file's name in the site's search folder.
FACETS_FILE = "facets.json"
#: The folder (in the search folder) of the postings: ``<param>.json`` and ``<param>/<i>.json``.
POSTINGS_DIR = "facets"
#: The folder (in the search folder) of the card chunks ``<k>.json``.
CARDS_DIR = "cards"
#: Mentors per card chunk (see the module's docstring for the measure).
CARDS_PER_FILE = 8
#: From how many values of one group (or programs) one search asks for, the page loads the
#: group's file rather than each value's (directory.js's GROUP_FILE_AT): past it, one request
#: for about 15 KB gzip beats that many requests of a few hundred bytes.
GROUP_FILE_AT = 8
#: The parameter of a program's posting (``facets/program/<i>.json``), as search.js names it.
PROGRAM_PARAM = "program"

#: Mentor cards per server-rendered directory page, and per "Show more mentors" click.
PAGE_SIZE = 24


FacetParam = Literal["affinity", "area", "specialty", "stage", "profession", "language", "meeting", "state"]
#: The PublicMentor fields the filters read.
FacetField = Literal[
    "affinities", "areas", "specialties", "stage", "profession", "languages", "meeting", "state"
]


@dataclass(frozen=True)
class FacetGroup:
    """One filter: the URL parameter, its heading, and where its values come from."""

    param: FacetParam
    label: str
    kind: VocabularyKind
    field: FacetField


FACET_GROUPS: tuple[FacetGroup, ...] = (
    FacetGroup("affinity", "Shared affinity", "affinities", "affinities"),
    FacetGroup("area", "Can help with", "areas", "areas"),
    FacetGroup("specialty", "Specialty", "specialties", "specialties"),
    FacetGroup("stage", "Career stage", "stages", "stage"),
    FacetGroup("profession", "Profession", "professions", "profession"),
    FacetGroup("language", "Language", "languages", "languages"),
    FacetGroup("meeting", "Meets", "meeting", "meeting"),
    FacetGroup("state", "State", "states", "state"),
)
ACCEPTING_PARAM = "accepting"
#: The groups a mentor card shows (the ``mentor_card`` macro): all but the profession.
CARD_GROUPS: tuple[FacetGroup, ...] = tuple(g for g in FACET_GROUPS if g.param != "profession")


# --------------------------------------------------------------------------- facets


def mentor_values(mentor: PublicMentor, group: FacetGroup, program: PublicProgram | None) -> list[str]:
    """The values of one filter group for one mentor (its state falls back to the program's)."""
    value: str | list[str] | None = getattr(mentor, group.field)
    if group.param == "state" and value is None and program is not None:
        value = program.state
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def facet_values(export: DirectoryExport, vocab: Vocabulary) -> dict[str, list[str]]:
    """For each group, the values some published mentor has, in vocabulary order."""
    programs = {p.id: p for p in export.programs}
    present: dict[str, set[str]] = {g.param: set() for g in FACET_GROUPS}
    for mentor in export.mentors:
        for group in FACET_GROUPS:
            present[group.param].update(mentor_values(mentor, group, programs.get(mentor.program)))
    return {
        g.param: [i for i in vocab.ids(g.kind) if i in present[g.param]]
        + sorted(present[g.param] - set(vocab.ids(g.kind)))
        for g in FACET_GROUPS
    }


def facet_counts(export: DirectoryExport, vocab: Vocabulary) -> dict[str, dict[str, int]]:
    """How many published mentors have each value (the counts with no filter set)."""
    programs = {p.id: p for p in export.programs}
    counts: dict[str, dict[str, int]] = {g.param: {} for g in FACET_GROUPS}
    for mentor in export.mentors:
        for group in FACET_GROUPS:
            for value in mentor_values(mentor, group, programs.get(mentor.program)):
                counts[group.param][value] = counts[group.param].get(value, 0) + 1
    return counts


# --------------------------------------------------------------------------- postings

#: A posting as written: gaps (a JSON array) or the base64 of a bitset (a string).
Posting = list[int] | str


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def encode_refs(refs: Sequence[int], total: int) -> Posting:
    """The posting of ``refs`` (ascending, each below ``total``): gaps or a base64 bitset,
    whichever is shorter as JSON (gaps on a tie)."""
    gaps = [refs[0], *(b - a for a, b in itertools.pairwise(refs))] if refs else []
    if any(gap <= 0 for gap in gaps[1:]) or (refs and not 0 <= refs[0] <= refs[-1] < total):
        raise ValueError(f"refs must be ascending, distinct and below {total}: {list(refs)[:10]}…")
    bits = bytearray((total + 7) // 8)
    for ref in refs:
        bits[ref >> 3] |= 1 << (ref & 7)
    bitset = base64.b64encode(bytes(bits)).decode("ascii")
    return gaps if len(_compact(gaps)) <= len(bitset) + 2 else bitset


def decode_refs(posting: Posting, total: int) -> list[int]:
    """The refs of a posting (:func:`encode_refs`'s inverse; directory-state.js has its twin)."""
    if isinstance(posting, str):
        bits = base64.b64decode(posting)
        return [r for r in range(min(total, len(bits) * 8)) if bits[r >> 3] >> (r & 7) & 1]
    refs: list[int] = []
    for gap in posting:
        refs.append(gap + (refs[-1] if refs else 0))
    return refs


#: The characters of a column (:func:`encode_group`): value ``i`` is ``COLUMN_CHARS[i]``.
COLUMN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#: A ref with no value in a column.
COLUMN_NONE = "."


def encode_group(postings: Sequence[Sequence[int]], total: int) -> dict[str, str] | None:
    """A group in which no mentor has two values (stage, profession, state…) as a **column**:
    ``{"column": text}``, character ``ref`` of ``text`` being :data:`COLUMN_CHARS` ``[i]`` for
    value ``i``, or :data:`COLUMN_NONE`. About 40% smaller than its postings (at 10,000
    mentors: stage 4.9 KB gzip instead of 7.8, state 7.3 instead of 12.1). None when a mentor
    has two values or the group more values than characters."""
    if len(postings) > len(COLUMN_CHARS):
        return None
    column = [COLUMN_NONE] * total
    for i, refs in enumerate(postings):
        for ref in refs:
            if column[ref] != COLUMN_NONE:
                return None
            column[ref] = COLUMN_CHARS[i]
    return {"column": "".join(column)}


def decode_group(data: list[Posting] | dict[str, str], total: int) -> list[list[int]]:
    """The refs of each value of a group file: postings or a column (directory-state.js's
    ``addGroup`` reads both too)."""
    if isinstance(data, dict):
        refs: list[list[int]] = []
        for ref, char in enumerate(data["column"][:total]):
            if char != COLUMN_NONE:
                i = COLUMN_CHARS.index(char)
                refs += [[] for _ in range(i + 1 - len(refs))]
                refs[i].append(ref)
        return refs
    return [decode_refs(p, total) for p in data]


# --------------------------------------------------------------------------- the files


def group_file(param: str) -> str:
    """The path (in the search folder) of a group's postings."""
    return f"{POSTINGS_DIR}/{param}.json"


def value_file(param: str, position: int) -> str:
    """The path of one value's posting (``param`` a group or ``program``; ``position`` the
    value's in the group's ``values``, or the program's in ``programs``)."""
    return f"{POSTINGS_DIR}/{param}/{position}.json"


def card_file(chunk: int) -> str:
    """The path of a card chunk: refs ``chunk·CARDS_PER_FILE`` onwards."""
    return f"{CARDS_DIR}/{chunk}.json"


def facet_files(
    export: DirectoryExport,
    vocab: Vocabulary,
    stale: Mapping[str, str] | None = None,
    provenance: Mapping[str, tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """Every file of the directory's filters and cards (module docstring): path in the
    search folder → data. ``stale``: id → month of the last confirmation of a stale profile
    (docs/freshness.md); ``provenance``: a peer network's program id → (network name, date of
    its snapshot)."""
    stale = stale or {}
    mentors = ref_order(export.mentors)
    total = len(mentors)
    programs = {p.id: p for p in export.programs}
    program_position = {p.id: i for i, p in enumerate(export.programs)}
    values = facet_values(export, vocab)
    position = {param: {v: i for i, v in enumerate(vals)} for param, vals in values.items()}
    postings: dict[str, list[list[int]]] = {g.param: [[] for _ in values[g.param]] for g in FACET_GROUPS}
    by_program: list[list[int]] = [[] for _ in export.programs]
    accepting: list[int] = []
    cards: list[list[Any]] = []
    for ref, mentor in enumerate(mentors):
        program = programs.get(mentor.program)
        mine: dict[str, list[int]] = {}
        for group in FACET_GROUPS:
            of_group = position[group.param]
            positions = [of_group[v] for v in mentor_values(mentor, group, program)]
            if len(positions) > 1 and len(set(positions)) < len(positions):
                positions = list(dict.fromkeys(positions))  # a value listed twice counts once
            mine[group.param] = positions
            for p in positions:
                postings[group.param][p].append(ref)
        if mentor.program in program_position:
            by_program[program_position[mentor.program]].append(ref)
        if mentor.accepting:
            accepting.append(ref)
        cards.append(
            [
                mentor.id,
                mentor.name,
                mentor.pronouns or "",
                program_position.get(mentor.program, -1),
                [mine[g.param] for g in CARD_GROUPS],
                stale.get(mentor.id, ""),
            ]
        )
    files: dict[str, Any] = {
        FACETS_FILE: {
            "version": FACETS_VERSION,
            "accepting": ACCEPTING_PARAM,
            "pageSize": PAGE_SIZE,
            "total": total,
            "cardsPerFile": CARDS_PER_FILE,
            "groups": [
                {
                    "param": g.param,
                    "label": g.label,
                    "values": values[g.param],
                    "labels": [vocab.label(g.kind, v) for v in values[g.param]],
                }
                for g in FACET_GROUPS
            ],
            "cardGroups": [g.param for g in CARD_GROUPS],
            "programs": [[p.id, p.name, *(provenance or {}).get(p.id, ())] for p in export.programs],
            "acceptingRefs": encode_refs(accepting, total),
        }
    }
    for group in FACET_GROUPS:
        encoded = [encode_refs(refs, total) for refs in postings[group.param]]
        files[group_file(group.param)] = encode_group(postings[group.param], total) or encoded
        for i, posting in enumerate(encoded):
            files[value_file(group.param, i)] = posting
    for i, refs in enumerate(by_program):
        files[value_file(PROGRAM_PARAM, i)] = encode_refs(refs, total)
    # every program's posting in one file: a search hitting many programs ("medicine" names
    # most of them) loads it instead of a file per program
    files[group_file(PROGRAM_PARAM)] = [encode_refs(refs, total) for refs in by_program]
    for chunk in range(0, max(total, 1), CARDS_PER_FILE):
        files[card_file(chunk // CARDS_PER_FILE)] = cards[chunk : chunk + CARDS_PER_FILE]
    return files


@dataclass(frozen=True)
class LoadedFacets:
    """The directory's facet files read back (:func:`load_facet_files`), for Python and tests."""

    meta: dict[str, Any]
    #: ``cards[ref]``: the card row of the mentor with that ref
    cards: list[list[Any]]
    #: ``postings[param][i]``: the refs having value ``i`` of the group (from its group file)
    postings: dict[str, list[list[int]]]
    #: ``programs[i]``: the refs of the mentors of program ``i``
    programs: list[list[int]]
    #: the refs accepting new mentees
    accepting: list[int]

    def directory_order(self) -> list[str]:
        """The mentor ids in the directory order, as the browser computes it."""
        taking = set(self.accepting)
        refs = [*self.accepting, *(r for r in range(len(self.cards)) if r not in taking)]
        return [self.cards[r][0] for r in refs]


def _padded(postings: list[list[int]], values: int) -> list[list[int]]:
    return postings + [[] for _ in range(values - len(postings))]


def load_facet_files(search: Path) -> LoadedFacets:
    """Read the files :func:`facet_files` wrote into the search folder ``search``."""

    def read(name: str) -> Any:
        return json.loads((search / name).read_text(encoding="utf-8"))

    meta = read(FACETS_FILE)
    total = meta["total"]
    cards: list[list[Any]] = []
    for chunk in range(0, max(total, 1), meta["cardsPerFile"]):
        cards += read(card_file(chunk // meta["cardsPerFile"]))
    return LoadedFacets(
        meta=meta,
        cards=cards,
        postings={
            g["param"]: _padded(decode_group(read(group_file(g["param"])), total), len(g["values"]))
            for g in meta["groups"]
        },
        programs=[
            decode_refs(read(value_file(PROGRAM_PARAM, i)), total) for i in range(len(meta["programs"]))
        ],
        accepting=decode_refs(meta["acceptingRefs"], total),
    )

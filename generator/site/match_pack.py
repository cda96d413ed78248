"""``match/mentors.json`` packed, and what it leaves to ``match/names/<k>.json`` (issue 19).

The match page (``theme/static/js/match-data.js`` decodes it) needs every matching field of
every mentor before it can match, but a mentor's id and name only for a card it shows (and
the ids all together only when the mentee types mentor ids). So the main file numbers the
mentors by **rank**, their position in id order (the matcher's order: ties go to the smaller
id, so the smaller rank), and holds, besides the export's version, labels and (with peers)
``networks``:

- ``count``: how many mentors;
- ``columns``: per field of :data:`PACKED_FIELDS`, the field's distinct ``values`` and
  - for ``program``: ``data``, each mentor's program *in rank order*, one string over
    :data:`ALPHABET` (64 characters JSON never escapes): a value is its index in ``values``
    written in ``width`` characters, most significant first;
  - for every other scalar field: ``data`` likewise, but in the file's **row order**: mentors
    by program (``values`` order), then by rank. Grouped by program, fields that go with the
    program (state, time zone, profession) compress far better under gzip than in id order;
    the ``program`` column is what turns ranks into rows (the i-th mentor of a program by
    rank is that program's i-th row);
  - for a list field (a set: the matcher only asks whether a mentor has a value): ``rows``,
    per value, the rows that have it, ascending, as gaps (row − previous row − 1, the first
    from −1) each written in base 32, most significant first, every digit but the last
    taken from ``ALPHABET[32:]``;
- ``names``: ``{"per_file": P, "files": F}``: ranks ``k·P`` to ``k·P + P − 1`` are
  ``match/names/<k>.json``, ``{"ids": [...], "names": [...]}``, where an id is ``null`` when
  it is :func:`derived_id` of the mentor's name ("Héctor Galván, MD" → ``hector-galvan``):
  most ids are, and writing each id beside its name made up 40 % of the names files' gzip
  bytes (97 KB of them at 10,000 mentors with realistic names, 58 KB without).

``match/ids.json`` lists every id in rank order, for the mentee who types mentor ids.

Measured at 10,000 mentors with realistic bios (gzip KB; docs/matching.md): per value, the
gaps beat a bitset per mentor, a bitmap per value and a count-prefixed list; the by-program
row order saves more than the ranks cost. :func:`unpack_match_mentors` gives back exactly
:func:`generator.site.match_payload.match_mentors_payload` (mentors by id, list fields sorted).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from generator.search.index import fold
from generator.site.errors import SiteBuildError
from generator.site.match_payload import LIST_FIELDS, MATCH_MENTORS_FILE

#: The packed payload's format; the page refuses another.
PACKED_FORMAT = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
#: The names files, relative to the site's root.
NAMES_DIR = "match/names"
#: Every id, in rank order: fetched only when the mentee types mentor ids.
IDS_FILE = "match/ids.json"
#: Names per names file: a team and its alternates fetch at most a handful of small files.
NAMES_PER_FILE = 250
#: The packed fields, in the mentor's order, with whether each is a list (a set of values).
PACKED_FIELDS: tuple[tuple[str, bool], ...] = (
    ("program", False),
    ("profession", False),
    ("stage", False),
    *((field, True) for field in LIST_FIELDS),
    ("state", False),
    ("timezone", False),
    ("capacity", False),
    ("accepting", False),
)
_BASE = len(ALPHABET)
_HALF = _BASE // 2


class MatchPackError(SiteBuildError):
    """A payload that cannot be packed or unpacked (names the mentor or the column)."""


class MatchFiles(NamedTuple):
    """The match page's files: ``match/mentors.json``, the names files, ``match/ids.json``."""

    main: dict[str, Any]
    names: list[dict[str, list[str]]]
    ids: list[str]


def _width(count: int) -> int:
    width = 1
    while _BASE**width < count:
        width += 1
    return width


def _digits(index: int, width: int) -> str:
    out = []
    for _ in range(width):
        out.append(ALPHABET[index % _BASE])
        index //= _BASE
    return "".join(reversed(out))


def _gap(gap: int) -> str:
    out = [ALPHABET[gap % _HALF]]
    gap //= _HALF
    while gap:
        out.append(ALPHABET[_HALF + gap % _HALF])
        gap //= _HALF
    return "".join(reversed(out))


def _sort_key(value: Any) -> str:
    return json.dumps(value)


def _scalars(values_of: Sequence[Any]) -> dict[str, Any]:
    values = sorted({_sort_key(v): v for v in values_of}.values(), key=_sort_key)
    index = {_sort_key(v): i for i, v in enumerate(values)}
    width = _width(len(values))
    data = "".join(_digits(index[_sort_key(v)], width) for v in values_of)
    return {"values": values, "width": width, "data": data}


def _sets(field: str, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    holders: dict[str, list[int]] = {}
    for row, mentor in enumerate(rows):
        for value in mentor[field]:
            if not isinstance(value, str):
                raise MatchPackError(f"mentor {mentor['id']!r} has {field} {value!r}: not a vocabulary id")
            holders.setdefault(value, []).append(row)
    values = sorted(holders)
    encoded = []
    for value in values:
        last, parts = -1, []
        for row in holders[value]:
            parts.append(_gap(row - last - 1))
            last = row
        encoded.append("".join(parts))
    return {"values": values, "rows": encoded}


_NOT_ID = re.compile(r"[^a-z0-9]+")


def _latin(char: str) -> bool:
    """Latin letters (and ASCII) assigned in Unicode 1.1, whose decompositions every Python and
    every browser agree on (Unicode never changes a character's decomposition)."""
    point = ord(char)
    return point < 0x250 or 0x1E00 <= point < 0x1F00


def derived_id(name: str) -> str | None:
    """The id a mentor's name gives, or ``None``: its part before the first comma (the
    credentials follow it), without accents, in lower case, each run of other characters than
    a–z and 0–9 a hyphen, none at the ends. ``None`` for a name with a character outside
    :func:`_latin` (its decomposition might differ in an old browser). ``match-data.js``'s
    ``derivedId`` is the same function; a Node test compares them."""
    part = name.split(",", 1)[0]
    if not all(_latin(c) for c in part):
        return None
    return _NOT_ID.sub("-", fold(part)).strip("-") or None


def pack_match_mentors(payload: dict[str, Any]) -> MatchFiles:
    """The packed ``match/mentors.json`` of an unpacked payload (any order: packing sorts the
    mentors by id and each list), its names files and its ids in rank order."""
    ranked = sorted(payload["mentors"], key=lambda m: m["id"])
    ids = [m["id"] for m in ranked]
    if len(set(ids)) != len(ids):
        twice = next(i for i, j in itertools.pairwise(ids) if i == j)
        raise MatchPackError(f"mentor id {twice!r} is in the match page's data twice: rebuild the site")
    program = _scalars([m["program"] for m in ranked])
    by_rank = {_sort_key(v): i for i, v in enumerate(program["values"])}
    rows = sorted(ranked, key=lambda m: by_rank[_sort_key(m["program"])])  # stable: by rank within
    columns: dict[str, Any] = {}
    for field, is_list in PACKED_FIELDS:
        if field == "program":
            columns[field] = program
        elif is_list:
            columns[field] = _sets(field, rows)
        else:
            columns[field] = _scalars([m[field] for m in rows])
    names = [m["name"] for m in ranked]
    written = [None if derived_id(n) == i else i for i, n in zip(ids, names, strict=True)]
    files = [
        {"ids": written[k : k + NAMES_PER_FILE], "names": names[k : k + NAMES_PER_FILE]}
        for k in range(0, len(ids), NAMES_PER_FILE)
    ]
    main: dict[str, Any] = {
        "format": PACKED_FORMAT,
        "version": payload["version"],
        "vocabulary": payload["vocabulary"],
        "count": len(ranked),
        "columns": columns,
        "names": {"per_file": NAMES_PER_FILE, "files": len(files)},
    }
    if "networks" in payload:
        main["networks"] = payload["networks"]
    return MatchFiles(main, files, ids)


def _broken(field: str, what: str) -> MatchPackError:
    return MatchPackError(f"match/mentors.json: column {field!r} {what}: rebuild the site")


def _read_scalars(field: str, column: dict[str, Any], count: int) -> list[Any]:
    values, width, data = column["values"], column["width"], column["data"]
    if len(data) != count * width:
        raise _broken(field, f"has {len(data)} characters, not {count * width}")
    out = []
    for at in range(0, len(data), width):
        index = 0
        for char in data[at : at + width]:
            digit = ALPHABET.find(char)
            if digit < 0:
                raise _broken(field, f"has {char!r}")
            index = index * _BASE + digit
        if index >= len(values):
            raise _broken(field, f"names value {index} of {len(values)}")
        out.append(values[index])
    return out


def _read_sets(field: str, column: dict[str, Any], count: int) -> list[list[str]]:
    out: list[list[str]] = [[] for _ in range(count)]
    if len(column["rows"]) != len(column["values"]):
        raise _broken(field, "has not one row list per value")
    for value, data in zip(column["values"], column["rows"], strict=True):
        row, gap, pending = -1, 0, False
        for char in data:
            digit = ALPHABET.find(char)
            if digit < 0:
                raise _broken(field, f"has {char!r}")
            gap = gap * _HALF + digit % _HALF
            pending = digit >= _HALF
            if pending:
                continue
            row += gap + 1
            gap = 0
            if row >= count:
                raise _broken(field, f"gives {value!r} to row {row} of {count}")
            out[row].append(value)
        if pending:
            raise _broken(field, "ends early")
    return out


def unpack_match_mentors(
    packed: dict[str, Any], names_file: Callable[[int], dict[str, Any]]
) -> dict[str, Any]:
    """The unpacked payload of ``packed``; ``names_file(k)`` reads ``match/names/<k>.json``."""
    if packed.get("format") != PACKED_FORMAT:
        raise MatchPackError(f"match/mentors.json has format {packed.get('format')!r}, not {PACKED_FORMAT}")
    ids: list[str] = []
    names: list[str] = []
    for k in range(packed["names"]["files"]):
        chunk = names_file(k)
        if len(chunk["ids"]) != len(chunk["names"]):
            raise MatchPackError(f"{NAMES_DIR}/{k}.json has not one name per id: rebuild the site")
        for written, name in zip(chunk["ids"], chunk["names"], strict=True):
            mentor_id = derived_id(name) if written is None else written
            if mentor_id is None:
                raise MatchPackError(f"{NAMES_DIR}/{k}.json gives no id for {name!r}: rebuild the site")
            ids.append(mentor_id)
        names.extend(chunk["names"])
    count = packed["count"]
    if len(ids) != count:
        raise MatchPackError(f"{count} mentors but {len(ids)} ids in {NAMES_DIR}/: rebuild the site")
    if ids != sorted(ids):
        raise MatchPackError(f"the ids in {NAMES_DIR}/ are not in order: rebuild the site")
    columns = packed["columns"]
    programs = _read_scalars("program", columns["program"], count)
    order = {_sort_key(v): i for i, v in enumerate(columns["program"]["values"])}
    row_of = sorted(range(count), key=lambda rank: order[_sort_key(programs[rank])])
    mentors: list[dict[str, Any]] = [
        {"id": i, "name": n, "program": p} for i, n, p in zip(ids, names, programs, strict=True)
    ]
    rows = [mentors[rank] for rank in row_of]
    for field, is_list in PACKED_FIELDS:
        if field == "program":
            continue
        column = columns[field]
        read = _read_sets(field, column, count) if is_list else _read_scalars(field, column, count)
        for mentor, value in zip(rows, read, strict=True):
            mentor[field] = value
    out: dict[str, Any] = {
        "version": packed["version"],
        "vocabulary": packed["vocabulary"],
        "mentors": [{field: m[field] for field in ("id", "name", *dict(PACKED_FIELDS))} for m in mentors],
    }
    if "networks" in packed:
        out["networks"] = packed["networks"]
    return out


def read_match_mentors(site: Path) -> dict[str, Any]:
    """The unpacked payload of a built site's ``match/mentors.json`` and names files (checked
    against ``match/ids.json``)."""

    def names_file(k: int) -> dict[str, Any]:
        chunk: dict[str, Any] = json.loads((site / NAMES_DIR / f"{k}.json").read_text(encoding="utf-8"))
        return chunk

    payload = unpack_match_mentors(
        json.loads((site / MATCH_MENTORS_FILE).read_text(encoding="utf-8")), names_file
    )
    ids = json.loads((site / IDS_FILE).read_text(encoding="utf-8"))
    if ids != [m["id"] for m in payload["mentors"]]:
        raise MatchPackError(f"{IDS_FILE} does not list the mentors of {NAMES_DIR}/: rebuild the site")
    return payload

"""``match/mentors.json`` packed, and the names it leaves to ``match/names/<k>.json`` (issue 19).

The match page (``theme/static/js/match-data.js`` decodes it) needs every matching field of
every mentor before it can match, but a mentor's name only for a card it shows. So the main
file holds, besides the export's version, labels and (with peers) ``networks``:

- ``ids``: the mentors' ids, in the unpacked payload's order (its row numbers);
- ``columns``: per field of :data:`PACKED_FIELDS`, the field's distinct ``values`` (any JSON
  scalar, ``null`` included) and ``data``, one string over :data:`ALPHABET` (64 characters that
  JSON never escapes): each value is its index in ``values`` written in ``width`` characters,
  most significant first. A scalar field gives one value per mentor; a list field gives, per
  mentor, its length (one character, at most 63) then its values, in their order;
- ``names``: ``{"per_file": P, "files": F}``: the names of rows ``k·P`` to ``k·P + P − 1`` are
  ``match/names/<k>.json``, a JSON list of strings.

:func:`unpack_match_mentors` gives back exactly the unpacked payload
(:func:`generator.site.match_payload.match_mentors_payload`); the page's decoder builds the same
mentors, without names until a card needs them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from generator.site.errors import SiteBuildError
from generator.site.match_payload import MATCH_MENTORS_FILE

#: The packed payload's format; the page refuses another.
PACKED_FORMAT = 2
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
#: The names files, relative to the site's root.
NAMES_DIR = "match/names"
#: Names per names file: a team and its alternates fetch at most a handful of small files.
NAMES_PER_FILE = 250
#: The packed fields, in the mentor's order, with whether each is a list.
PACKED_FIELDS: tuple[tuple[str, bool], ...] = (
    ("program", False),
    ("profession", False),
    ("stage", False),
    ("specialties", True),
    ("areas", True),
    ("affinities", True),
    ("languages", True),
    ("meeting", True),
    ("state", False),
    ("timezone", False),
    ("capacity", False),
    ("accepting", False),
)
_BASE = len(ALPHABET)
_MAX_LIST = _BASE - 1


class MatchPackError(SiteBuildError):
    """A payload that cannot be packed or unpacked (names the mentor or the column)."""


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


def _sort_key(value: Any) -> str:
    return json.dumps(value)


def _column(mentors: Sequence[dict[str, Any]], field: str, is_list: bool) -> dict[str, Any]:
    seen: set[str] = set()
    values: list[Any] = []
    for m in mentors:
        for v in m[field] if is_list else [m[field]]:
            key = _sort_key(v)
            if key not in seen:
                seen.add(key)
                values.append(v)
    values.sort(key=_sort_key)
    index = {_sort_key(v): i for i, v in enumerate(values)}
    width = _width(len(values))
    parts: list[str] = []
    for m in mentors:
        if is_list:
            items = m[field]
            if len(items) > _MAX_LIST:
                raise MatchPackError(
                    f"mentor {m['id']!r} lists {len(items)} {field}; the match page's file holds at "
                    f"most {_MAX_LIST}: shorten the list in their profile"
                )
            parts.append(ALPHABET[len(items)])
        else:
            items = [m[field]]
        parts.extend(_digits(index[_sort_key(v)], width) for v in items)
    return {"values": values, "width": width, "data": "".join(parts)}


def pack_match_mentors(payload: dict[str, Any]) -> tuple[dict[str, Any], list[list[str]]]:
    """The packed ``match/mentors.json`` of an unpacked payload, and its names files' lists."""
    mentors = payload["mentors"]
    names = [m["name"] for m in mentors]
    files = [names[k : k + NAMES_PER_FILE] for k in range(0, len(names), NAMES_PER_FILE)]
    packed: dict[str, Any] = {
        "format": PACKED_FORMAT,
        "version": payload["version"],
        "vocabulary": payload["vocabulary"],
        "ids": [m["id"] for m in mentors],
        "columns": {field: _column(mentors, field, is_list) for field, is_list in PACKED_FIELDS},
        "names": {"per_file": NAMES_PER_FILE, "files": len(files)},
    }
    if "networks" in payload:
        packed["networks"] = payload["networks"]
    return packed, files


class _Reader:
    def __init__(self, field: str, column: dict[str, Any]) -> None:
        self.field, self.values, self.width = field, column["values"], column["width"]
        self.data: str = column["data"]
        self.at = 0

    def _char(self) -> int:
        if self.at >= len(self.data):
            raise MatchPackError(f"column {self.field!r} ends early: rebuild the site")
        digit = ALPHABET.find(self.data[self.at])
        if digit < 0:
            raise MatchPackError(f"column {self.field!r} has {self.data[self.at]!r}: rebuild the site")
        self.at += 1
        return digit

    def value(self) -> Any:
        index = 0
        for _ in range(self.width):
            index = index * _BASE + self._char()
        if index >= len(self.values):
            raise MatchPackError(f"column {self.field!r} names value {index} of {len(self.values)}")
        return self.values[index]

    def read(self, is_list: bool) -> Any:
        if not is_list:
            return self.value()
        return [self.value() for _ in range(self._char())]


def unpack_match_mentors(packed: dict[str, Any], names_file: Callable[[int], list[str]]) -> dict[str, Any]:
    """The unpacked payload of ``packed``; ``names_file(k)`` reads ``match/names/<k>.json``."""
    if packed.get("format") != PACKED_FORMAT:
        raise MatchPackError(f"match/mentors.json has format {packed.get('format')!r}, not {PACKED_FORMAT}")
    names: list[str] = []
    for k in range(packed["names"]["files"]):
        names.extend(names_file(k))
    ids = packed["ids"]
    if len(names) != len(ids):
        raise MatchPackError(f"{len(ids)} mentors but {len(names)} names in {NAMES_DIR}/: rebuild the site")
    readers = {field: _Reader(field, packed["columns"][field]) for field, _ in PACKED_FIELDS}
    mentors = []
    for mentor_id, name in zip(ids, names, strict=True):
        mentor: dict[str, Any] = {"id": mentor_id, "name": name}
        for field, is_list in PACKED_FIELDS:
            mentor[field] = readers[field].read(is_list)
        mentors.append(mentor)
    for field, reader in readers.items():
        if reader.at != len(reader.data):
            raise MatchPackError(f"column {field!r} has data after its last mentor: rebuild the site")
    out: dict[str, Any] = {
        "version": packed["version"],
        "vocabulary": packed["vocabulary"],
        "mentors": mentors,
    }
    if "networks" in packed:
        out["networks"] = packed["networks"]
    return out


def read_match_mentors(site: Path) -> dict[str, Any]:
    """The unpacked payload of a built site's ``match/mentors.json`` and names files."""

    def names_file(k: int) -> list[str]:
        names: list[str] = json.loads((site / NAMES_DIR / f"{k}.json").read_text(encoding="utf-8"))
        return names

    return unpack_match_mentors(
        json.loads((site / MATCH_MENTORS_FILE).read_text(encoding="utf-8")), names_file
    )

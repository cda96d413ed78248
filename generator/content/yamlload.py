"""One strict YAML loader for the validator, the build, the bot and the tools.

PyYAML implements YAML 1.1, editors and most other tools YAML 1.2, and PyYAML silently
accepts things that hurt a public, federated data set (duplicate keys, alias bombs,
arbitrary tags). This loader reads the event stream of PyYAML's fast C parser and builds
plain Python values itself, with YAML 1.2 core-schema scalars, while recording the line
and column of every key and value. Anything two YAML tools could read differently, or
that could be abused, is reported as a :class:`~generator.core.problems.Problem` with its line
and the fix. Every problem of a file is collected; the loader never raises for bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # the C parser is ~5x faster; the rules below hold with either
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from generator.core.problems import Problem

MAX_BYTES = 32 * 1024
MAX_DEPTH = 6

Path_ = tuple[str | int, ...]

_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_YAML11_BOOL = {
    word for base in ("yes", "no", "on", "off", "y", "n") for word in (base, base.capitalize(), base.upper())
}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)$")
_HEX = re.compile(r"0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = {
    ".inf": float("inf"),
    "-.inf": float("-inf"),
    "+.inf": float("inf"),
    ".nan": float("nan"),
}
_YAML11_OCTAL = re.compile(r"[-+]?0[0-7_]+$|0o[0-7]+$")
_YAML11_UNDERSCORE = re.compile(r"[-+]?[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?$")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")


@dataclass
class Loaded:
    """The result of reading one YAML file: the value, where each part is, and problems."""

    path: str
    data: Any = None
    #: path of keys/indexes → (line, col) of the value; the root is ``()``.
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    #: path of a mapping entry → (line, col) of its key.
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and isinstance(self.data, dict)

    def where(self, loc: Path_, *, key: bool = False) -> tuple[int, int]:
        """Best position for ``loc``: the key or value, else the nearest enclosing node."""
        loc = tuple(loc)
        while True:
            if key and loc in self.key_positions:
                return self.key_positions[loc]
            if loc in self.positions:
                return self.positions[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]


class _Fatal(Exception):
    """Stop reading this file: what follows cannot be trusted."""


def load_file(path: Path | str, *, display: str | None = None) -> Loaded:
    """Read and strictly parse the YAML file at ``path``; ``display`` is the name in messages."""
    name = display if display is not None else str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return Loaded(
            name,
            problems=[Problem(name, 1, 1, "unreadable", f"cannot read the file: {exc.strerror}")],
        )
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str, *, max_bytes: int = MAX_BYTES) -> Loaded:
    """Strictly parse YAML ``raw`` bytes; ``name`` is the file name used in problems."""
    result = Loaded(name)
    if len(raw) > max_bytes:
        result.problems.append(
            Problem(
                name,
                1,
                1,
                "file-too-large",
                f"the file is {len(raw):,} bytes; the limit is {max_bytes // 1024} KiB. "
                "A profile is short: shorten the bio or split the content.",
            )
        )
        return result
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        result.problems.append(
            Problem(
                name,
                line,
                col,
                "not-utf8",
                f"byte 0x{raw[exc.start]:02x} is not UTF-8 text. Save the file as UTF-8 "
                "(in most editors: File > Save with encoding > UTF-8) and check the "
                "accented letters on this line.",
            )
        )
        return result
    return load_text(text, name, result)


def load_text(text: str, name: str, result: Loaded | None = None) -> Loaded:
    """Strictly parse YAML ``text``."""
    result = result if result is not None else Loaded(name)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        result.problems.append(
            Problem(
                name,
                1,
                1,
                "empty-file",
                "the file is empty: fill in the fields (see docs/contributing-mentors.md) or delete it.",
            )
        )
        return result
    text = text.replace("\r\n", "\n")
    for lineno, line in enumerate(text.split("\n"), start=1):
        if "\t" in line:
            result.problems.append(
                Problem(
                    name,
                    lineno,
                    line.index("\t") + 1,
                    "tab",
                    "tab character: YAML needs spaces for indentation and between values. "
                    "Replace the tab with spaces.",
                )
            )
    for lineno, line in enumerate(text.split("\n"), start=1):
        for col, char in enumerate(line, start=1):
            if char in _CONTROL:
                result.problems.append(
                    Problem(
                        name,
                        lineno,
                        col,
                        "control-character",
                        f"invisible control character U+{ord(char):04X}: delete it "
                        "(it often comes from copying text out of a word processor).",
                    )
                )
                break
    if result.problems:
        return result
    builder = _Builder(result)
    try:
        builder.run(text)
    except _Fatal:
        pass
    except yaml.MarkedYAMLError as exc:
        # point at where the broken construct starts (an unclosed bracket or quote), if known
        opened = bool(exc.context and ("flow" in exc.context or "quoted" in exc.context))
        if exc.problem and ("escape" in exc.problem or "hexdecimal" in exc.problem):
            opened = False  # the quote is closed; the backslash escape inside is the problem
        mark = exc.context_mark if opened and exc.context_mark else exc.problem_mark
        err_line, err_col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "not valid YAML"
        if opened and exc.problem_mark:
            opener = next((v for k, v in _OPENERS.items() if k in (exc.context or "")), exc.context)
            what = f"{opener} that starts here is not closed: {what} (line {exc.problem_mark.line + 1})"
        result.problems.append(
            Problem(
                name,
                err_line,
                err_col,
                "yaml-syntax",
                f"YAML syntax error: {what}. Check the indentation and that each line is "
                '`field: value`; put text with a colon, # or quotes inside "double quotes".',
            )
        )
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        result.problems.append(Problem(name, 1, 1, "yaml-syntax", f"YAML syntax error: {exc}"))
    return result


def _not_a_mapping(data: Any) -> str:
    if isinstance(data, list):
        return (
            "the file is a list (its lines start with `- `), but a profile is `field: value` lines. "
            "Remove the `- ` before each field name and line the fields up at the left edge."
        )
    return (
        "the file must consist of `field: value` lines, e.g. `name: Ana Example`; "
        "see docs/contributing-mentors.md for a template."
    )


def _tag_as_written(tag: str) -> str:
    """``tag:yaml.org,2002:str`` back to the ``!!str`` a person typed."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


_OPENERS = {
    "flow sequence": "the [ list",
    "flow mapping": "the { group",
    "quoted scalar": "the quoted text",
    "flow node": "the [ or { value",
}
_CONTROL = {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {
    "\x7f",
    "\x85",  # NEXT LINE, and the two below: YAML counts them as line breaks, editors do not
    "\u2028",
    "\u2029",
}


class _Builder:
    """Builds Python values from PyYAML parser events, checking the hazards on the way."""

    def __init__(self, result: Loaded) -> None:
        self.result = result
        self.name = result.path

    def problem(self, mark: Any, code: str, message: str) -> None:
        self.result.problems.append(Problem(self.name, mark.line + 1, mark.column + 1, code, message))

    def run(self, text: str) -> None:
        events = yaml.parse(text, Loader=_Loader)
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.problem(
                        event.start_mark,
                        "multiple-documents",
                        "a second YAML document (---) starts here: one file holds one record; "
                        "move it to a file of its own.",
                    )
                    raise _Fatal
                self.result.data = self.node(events, next(events), (), 0)
        if documents and not isinstance(self.result.data, dict):
            self.result.problems.append(
                Problem(
                    self.name,
                    1,
                    1,
                    "not-a-mapping",
                    _not_a_mapping(self.result.data),
                )
            )

    def node(self, events: Any, event: Any, path: Path_, depth: int) -> Any:
        mark = event.start_mark
        self.result.positions[path] = (mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.AliasEvent):
            self.problem(
                mark,
                "yaml-alias",
                f"alias *{event.anchor}: aliases are not allowed (they can hide or multiply "
                "data). Write the value out in full.",
            )
            return None
        if getattr(event, "anchor", None):
            self.problem(
                mark,
                "yaml-anchor",
                f"anchor &{event.anchor}: anchors and aliases are not allowed. Remove "
                f"`&{event.anchor}` and write values out in full.",
            )
        tag = getattr(event, "tag", None)
        explicit_tag = tag is not None
        if explicit_tag:
            self.problem(
                mark,
                "yaml-tag",
                f"the tag {_tag_as_written(str(tag))} is not allowed: tags can make YAML run code or change "
                "types. Remove it and write a plain value.",
            )
        if depth >= MAX_DEPTH and isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.problem(
                mark,
                "too-deep",
                f"values are nested more than {MAX_DEPTH} levels deep here; profile fields "
                "are at most a list or one small mapping (contact). Flatten this value.",
            )
            raise _Fatal
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, path)
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while True:
                child = next(events)
                if isinstance(child, yaml.SequenceEndEvent):
                    return items
                items.append(self.node(events, child, (*path, len(items)), depth + 1))
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(events, path, depth)
        raise _Fatal  # pragma: no cover - the parser yields no other node events

    def mapping(self, events: Any, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        while True:
            key_event = next(events)
            if isinstance(key_event, yaml.MappingEndEvent):
                return out
            kmark = key_event.start_mark
            if not isinstance(key_event, yaml.ScalarEvent):
                self.problem(kmark, "bad-key", "a field name must be a plain word, not a list or mapping.")
                self.node(events, key_event, (*path, "?"), depth + 1)
                self.node(events, next(events), (*path, "?"), depth + 1)
                continue
            if key_event.anchor:
                self.problem(
                    kmark,
                    "yaml-anchor",
                    f"anchor &{key_event.anchor} on a field name is not allowed: remove it.",
                )
            key = key_event.value
            if key == "<<" and not key_event.style:
                self.problem(
                    kmark,
                    "yaml-merge",
                    "merge keys (<<) are YAML 1.1 only and are not allowed: write the fields out.",
                )
            value_event = next(events)
            if key in first_seen:
                self.problem(
                    kmark,
                    "duplicate-key",
                    f"'{key}' is given twice (first on line {first_seen[key]}); YAML tools "
                    "disagree on which one counts. Keep one and delete the other.",
                )
                self.node(events, value_event, (*path, "?dup"), depth + 1)
                continue
            first_seen[key] = kmark.line + 1
            child_path = (*path, key)
            self.result.key_positions[child_path] = (kmark.line + 1, kmark.column + 1)
            out[key] = self.node(events, value_event, child_path, depth + 1)

    def scalar(self, event: Any, path: Path_ = ()) -> Any:
        value: str = event.value
        if event.style:  # quoted or block scalar: always text (plain is None or "")
            return value
        if value in _NULL:
            return None
        if value in _BOOL:
            return _BOOL[value]
        if value in _YAML11_BOOL and value.lower() == "no" and "languages" in path:
            self.problem(
                event.start_mark,
                "yaml11-boolean",
                "`no` is the code for Norwegian, but some YAML tools read it as false. "
                'Write it in quotes: "no".',
            )
            return value
        if value in _YAML11_BOOL:
            self.problem(
                event.start_mark,
                "yaml11-boolean",
                f"`{value}` is read as true/false by some YAML tools and as text by others. "
                f'For a yes/no field write true or false; for text write it in quotes: "{value}".',
            )
            return value
        if _SEXAGESIMAL.match(value):
            self.problem(
                event.start_mark,
                "yaml11-number",
                f'`{value}` is read as a base-60 number by YAML 1.1 tools. Put it in quotes: "{value}".',
            )
            return value
        if _YAML11_OCTAL.match(value) or _YAML11_UNDERSCORE.match(value):
            self.problem(
                event.start_mark,
                "yaml11-number",
                f"`{value}` is read as a different number by different YAML tools "
                f'(leading zero or underscore). Write the plain number, or "{value}" in quotes for text.',
            )
            return value
        if _INT.match(value) or _HEX.match(value):
            return int(value, 16) if value.startswith("0x") else int(value)
        if value in _SPECIAL_FLOAT:
            return _SPECIAL_FLOAT[value]
        if _FLOAT.match(value):
            return float(value)
        return value

"""The controlled vocabularies (``schemas/vocabulary.yml``): ids, labels, suggestions."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from generator.content.yamlload import Loaded, load_file
from generator.core.paths import project_root
from generator.core.problems import ContentError, Problem


def vocabulary_file() -> Path:
    """``schemas/vocabulary.yml`` of the project."""
    return project_root() / "schemas" / "vocabulary.yml"


#: The vocabularies' names (the keys of :data:`KINDS`).
VocabularyKind = Literal[
    "professions",
    "stages",
    "specialties",
    "affinity_groups",
    "affinities",
    "areas",
    "languages",
    "meeting",
    "states",
]

#: vocabulary name → what one term is called in messages
KINDS: dict[str, str] = {
    "professions": "profession",
    "stages": "career stage",
    "specialties": "specialty",
    "affinity_groups": "affinity group",
    "affinities": "affinity",
    "areas": "area of need",
    "languages": "language",
    "meeting": "meeting mode",
    "states": "state",
}

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_STATE_ID = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    description: str = ""
    synonyms: tuple[str, ...] = ()
    group: str | None = None
    deprecated: bool = False
    replaced_by: str | None = None


@dataclass
class Vocabulary:
    """All controlled vocabularies, each an ordered mapping id → :class:`Term`."""

    terms: dict[str, dict[str, Term]] = field(default_factory=dict)
    #: Words the directory's search ignores in a query, besides lunr's English stop words:
    #: what a mentee writes around what they want ("mentor", "help", "need"…).
    search_stop_words: tuple[str, ...] = ()

    def ids(self, kind: str) -> list[str]:
        return list(self.terms[kind])

    def label(self, kind: str, term_id: str) -> str:
        term = self.terms[kind].get(term_id)
        return term.label if term else term_id

    def suggest(self, kind: str, value: str) -> list[str]:
        """Ids the user may have meant by ``value``, best first (labels and synonyms count)."""
        if not isinstance(value, str):
            return []
        names: dict[str, str] = {}
        for term in self.terms[kind].values():
            for name in (term.id, term.label, *term.synonyms):
                names.setdefault(_fold(name), term.id)
        folded = _fold(value)
        if folded in names:
            return [names[folded]]
        hits = difflib.get_close_matches(folded, list(names), n=6, cutoff=0.75)
        out: list[str] = []
        for hit in hits:
            if names[hit] not in out:
                out.append(names[hit])
        return out[:3]


def _fold(text: str) -> str:
    return re.sub(r"[\s_/]+", "-", text.strip().casefold())


def load_vocabulary(path: Path | str | None = None) -> Vocabulary:
    """Read and check a vocabulary file (default: the project's); raises :class:`ContentError`."""
    path = vocabulary_file() if path is None else path
    if not Path(path).is_file():
        raise ContentError(
            [
                Problem(
                    str(path),
                    1,
                    1,
                    "no-vocabulary",
                    "the vocabulary file was not found: run mentormemed inside a clone of the "
                    "directory repository, or set MENTORMEMED_ROOT to one.",
                )
            ]
        )
    loaded = load_file(path)
    problems = list(loaded.problems)
    vocab = Vocabulary()
    data = loaded.data if isinstance(loaded.data, dict) else {}
    for kind in KINDS:
        entries = data.get(kind)
        if not isinstance(entries, list):
            problems.append(_vocab_problem(loaded.path, loaded.where((kind,)), f"missing list '{kind}'"))
            continue
        terms: dict[str, Term] = {}
        for index, entry in enumerate(entries):
            where = loaded.where((kind, index))
            if (
                not isinstance(entry, dict)
                or not isinstance(entry.get("id"), str)
                or not isinstance(entry.get("label"), str)
            ):
                problems.append(_vocab_problem(loaded.path, where, "each term needs an `id` and a `label`"))
                continue
            term_id = entry["id"]
            pattern = _STATE_ID if kind == "states" else _ID
            if not pattern.match(term_id):
                problems.append(
                    _vocab_problem(loaded.path, where, f"id '{term_id}' must match {pattern.pattern}")
                )
            if term_id in terms:
                problems.append(_vocab_problem(loaded.path, where, f"id '{term_id}' is listed twice"))
            unknown = set(entry) - {
                "id",
                "label",
                "description",
                "synonyms",
                "group",
                "deprecated",
                "replaced_by",
            }
            if unknown:
                problems.append(_vocab_problem(loaded.path, where, f"unknown keys {sorted(unknown)}"))
            terms[term_id] = Term(
                id=term_id,
                label=entry["label"],
                description=str(entry.get("description") or ""),
                synonyms=tuple(str(s) for s in entry.get("synonyms") or ()),
                group=entry.get("group"),
                deprecated=bool(entry.get("deprecated", False)),
                replaced_by=entry.get("replaced_by"),
            )
        vocab.terms[kind] = terms
    vocab.search_stop_words = _search_stop_words(loaded, data, problems)
    groups = set(vocab.terms.get("affinity_groups", {}))
    for term in vocab.terms.get("affinities", {}).values():
        if term.group not in groups:
            problems.append(
                _vocab_problem(loaded.path, (1, 1), f"affinity '{term.id}' has unknown group {term.group!r}")
            )
    if problems:
        raise ContentError(problems)
    return vocab


#: A search stop word: one lower-case word of letters (what the search's tokenizer keeps whole).
_STOP_WORD = re.compile(r"^[a-z]+$")


def _search_stop_words(loaded: Loaded, data: dict[str, Any], problems: list[Problem]) -> tuple[str, ...]:
    """The optional ``search_stop_words`` list: lower-case words, each once."""
    if "search_stop_words" not in data:
        return ()
    entries = data["search_stop_words"]
    if not isinstance(entries, list):
        where = loaded.where(("search_stop_words",))
        problems.append(_vocab_problem(loaded.path, where, "`search_stop_words` must be a list of words"))
        return ()
    words: list[str] = []
    for index, word in enumerate(entries):
        where = loaded.where(("search_stop_words", index))
        if not isinstance(word, str) or not _STOP_WORD.match(word):
            problems.append(
                _vocab_problem(
                    loaded.path,
                    where,
                    f"search stop word {word!r} must be one lower-case word of letters a-z "
                    "(the search folds accents and case before it compares)",
                )
            )
        elif word in words:
            problems.append(_vocab_problem(loaded.path, where, f"search stop word '{word}' is listed twice"))
        else:
            words.append(word)
    return tuple(words)


def _vocab_problem(path: str, where: tuple[int, int], message: str) -> Problem:
    return Problem(path, where[0], where[1], "vocabulary", message)


@cache
def vocabulary() -> Vocabulary:
    """The project's vocabulary (``$MENTORMEMED_VOCABULARY`` overrides the file)."""
    return load_vocabulary(os.environ.get("MENTORMEMED_VOCABULARY") or vocabulary_file())

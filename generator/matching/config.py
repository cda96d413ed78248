"""The matching engine's weights and controlled data (``schemas/matching.yml``), checked on load."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from generator.content.vocabulary import vocabulary
from generator.content.yamlload import Loaded, load_file
from generator.core.paths import project_root
from generator.core.problems import ContentError, Problem

WEIGHT_NAMES = (
    "affinity",
    "need",
    "specialty",
    "stage_ahead",
    "profession",
    "language",
    "meeting",
    "same_state",
    "near_timezone",
    "named",
)


@dataclass(frozen=True)
class Weights:
    """Points for each soft preference (see ``schemas/matching.yml``)."""

    affinity: float
    need: float
    specialty: float
    stage_ahead: float
    profession: float
    language: float
    meeting: float
    same_state: float
    near_timezone: float
    named: float


@dataclass(frozen=True)
class MatchingConfig:
    weights: Weights
    rank_weights: tuple[float, ...]
    repeat_need: float
    repeat_affinity: float
    cover_need: float
    cover_affinity: float
    cover_language: float
    cover_specialty: float
    same_program: float
    protect: float
    load_weight: float
    load_exponent: float
    cohort_candidates: int
    cohort_per_cover: int
    cohort_fill: float
    cohort_mip_rel_gap: float
    cohort_improve: int
    urim: frozenset[str]
    race_affinities: frozenset[str]  # the vocabulary's race-ethnicity group
    stage_order: Mapping[str, int]
    state_utc_offset: Mapping[str, float]
    #: profession → the professions whose mentors earn the ``profession`` weight (itself included)
    profession_peers: Mapping[str, frozenset[str]]

    def peers(self, profession: str) -> frozenset[str]:
        """The professions that count as the mentee's own for the ``profession`` weight."""
        return self.profession_peers.get(profession, frozenset({profession}))

    def rank_weight(self, index: int) -> float:
        """Multiplier of the ``index``-th (0-based) item of a mentee's ordered list."""
        return self.rank_weights[min(index, len(self.rank_weights) - 1)]


class _Reader:
    """Collects every problem of the file instead of stopping at the first."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.problems: list[Problem] = list(loaded.problems)

    def problem(self, loc: tuple[str | int, ...], message: str) -> None:
        line, col = self.loaded.where(loc)
        self.problems.append(Problem(self.loaded.path, line, col, "matching-config", message))

    def section(self, name: str) -> dict[str, Any]:
        data = self.loaded.data if isinstance(self.loaded.data, dict) else {}
        value = data.get(name)
        if not isinstance(value, dict):
            self.problem((name,), f"missing section '{name}' (a group of `key: value` lines)")
            return {}
        return value

    def number(self, section: str, key: str, *, integer: bool = False, signed: bool = False) -> float:
        value = self.section(section).get(key)
        ok_type = int if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, ok_type):
            kind = "a whole number" if integer else "a number"
            self.problem((section, key), f"'{section}.{key}' must be {kind}")
            return 0.0
        if value < 0 and not signed:
            self.problem((section, key), f"'{section}.{key}' must not be negative")
        return float(value)


def matching_file() -> Path:
    """``schemas/matching.yml`` of the project."""
    return project_root() / "schemas" / "matching.yml"


def load_matching_config(path: Path | str | None = None) -> MatchingConfig:
    """Read and check a matching file; raises :class:`ContentError` listing every problem."""
    loaded = load_file(matching_file() if path is None else path)
    reader = _Reader(loaded)
    data = loaded.data if isinstance(loaded.data, dict) else {}
    vocab = vocabulary()
    known = {
        "weights",
        "rank_weights",
        "team",
        "load",
        "cohort",
        "urim",
        "stage_order",
        "state_utc_offset",
        "profession_peers",
    }
    for key in sorted(set(data) - known):
        reader.problem((key,), f"unknown section '{key}'")
    for key in sorted(set(reader.section("weights")) - set(WEIGHT_NAMES)):
        reader.problem(("weights", key), f"unknown weight '{key}'; the weights are {', '.join(WEIGHT_NAMES)}")
    weights = Weights(**{name: reader.number("weights", name) for name in WEIGHT_NAMES})
    ranks = data.get("rank_weights")
    if (
        not isinstance(ranks, list)
        or not ranks
        or not all(isinstance(r, (int, float)) and not isinstance(r, bool) and r >= 0 for r in ranks)
    ):
        reader.problem(("rank_weights",), "'rank_weights' must be a non-empty list of non-negative numbers")
        ranks = [1.0]
    urim = data.get("urim")
    race = {t.id for t in vocab.terms["affinities"].values() if t.group == "race-ethnicity"}
    if not isinstance(urim, list) or not all(isinstance(u, str) for u in urim):
        reader.problem(("urim",), "'urim' must be a list of affinity ids")
        urim = []
    for index, term in enumerate(urim):
        if term not in race:
            reader.problem(("urim", index), f"'{term}' is not an affinity of the race-ethnicity group")
    stages = reader.section("stage_order")
    for stage in vocab.ids("stages"):
        if stage not in stages:
            reader.problem(("stage_order",), f"stage '{stage}' has no place in 'stage_order'")
    for stage, rank in stages.items():
        if stage not in vocab.terms["stages"]:
            reader.problem(("stage_order", stage), f"'{stage}' is not a career stage id")
        if not isinstance(rank, int) or isinstance(rank, bool):
            reader.problem(("stage_order", stage), f"the place of '{stage}' must be a whole number")
    offsets = reader.section("state_utc_offset")
    for state in vocab.ids("states"):
        if state not in offsets:
            reader.problem(("state_utc_offset",), f"state '{state}' has no offset in 'state_utc_offset'")
    for state in offsets:
        reader.number("state_utc_offset", state, signed=True)
        if state not in vocab.terms["states"]:
            reader.problem(("state_utc_offset", state), f"'{state}' is not a state id")
    professions = set(vocab.ids("professions"))
    peers = {p: {p} for p in professions}
    for profession, others in reader.section("profession_peers").items():
        if profession not in professions:
            reader.problem(("profession_peers", profession), f"'{profession}' is not a profession id")
            continue
        if not isinstance(others, list) or not all(isinstance(o, str) for o in others):
            reader.problem(
                ("profession_peers", profession), f"the peers of '{profession}' must be a list of ids"
            )
            continue
        for index, other in enumerate(others):
            if other not in professions:
                reader.problem(("profession_peers", profession, index), f"'{other}' is not a profession id")
            else:
                peers[profession].add(other)
    config = MatchingConfig(
        weights=weights,
        rank_weights=tuple(float(r) for r in ranks),
        repeat_need=reader.number("team", "repeat_need"),
        repeat_affinity=reader.number("team", "repeat_affinity"),
        cover_need=reader.number("team", "cover_need"),
        cover_affinity=reader.number("team", "cover_affinity"),
        cover_language=reader.number("team", "cover_language"),
        cover_specialty=reader.number("team", "cover_specialty"),
        same_program=reader.number("team", "same_program"),
        protect=reader.number("team", "protect"),
        load_weight=reader.number("load", "weight"),
        load_exponent=reader.number("load", "exponent"),
        cohort_candidates=int(reader.number("cohort", "candidates", integer=True)),
        cohort_per_cover=int(reader.number("cohort", "per_cover", integer=True)),
        cohort_fill=reader.number("cohort", "fill"),
        cohort_mip_rel_gap=reader.number("cohort", "mip_rel_gap"),
        cohort_improve=int(reader.number("cohort", "improve", integer=True)),
        urim=frozenset(urim),
        race_affinities=frozenset(race),
        stage_order={k: int(v) for k, v in stages.items() if isinstance(v, int)},
        state_utc_offset={
            k: float(v) for k, v in offsets.items() if isinstance(v, (int, float)) and not isinstance(v, bool)
        },
        profession_peers={p: frozenset(ps) for p, ps in sorted(peers.items())},
    )
    for key in ("repeat_need", "repeat_affinity"):
        if getattr(config, key) > 1:
            reader.problem(("team", key), f"'team.{key}' is a share: at most 1")
    if reader.problems:
        raise ContentError(reader.problems)
    return config


@cache
def matching_config() -> MatchingConfig:
    """The project's matching configuration (``$MENTORMEMED_MATCHING`` overrides the file)."""
    return load_matching_config(os.environ.get("MENTORMEMED_MATCHING") or matching_file())

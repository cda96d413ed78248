"""All mentors as columns of numbers, to check and score every mentor for a request at once.

:func:`generator.matching.scoring.score` is the reference, one mentor at a time; this module gives
the same totals (bit for bit: the same additions in the same order, tested) for all
mentors in one pass of numpy operations, which is what lets one request be matched
against 50,000 mentors, or 2,000 requests against 5,000, in well under the time budget.
Row ``i`` is the ``i``-th mentor by id, so a stable sort on a score breaks ties by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from generator.matching.config import MatchingConfig
from generator.matching.scoring import HARD_CONSTRAINTS, TEAM_MUSTS, MentorProfile, RequestProfile, load_cost

Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def _columns(profiles: list[MentorProfile], attribute: str) -> dict[str, Bools]:
    """id → boolean column: which mentors have that id in the set ``attribute``."""
    rows: dict[str, list[int]] = {}
    for row, profile in enumerate(profiles):
        for item in getattr(profile, attribute):
            rows.setdefault(item, []).append(row)
    out: dict[str, Bools] = {}
    for item, where in rows.items():
        column = np.zeros(len(profiles), dtype=np.bool_)
        column[where] = True
        out[item] = column
    return out


def _codes(values: list[str | None]) -> tuple[Ints, dict[str, int]]:
    table: dict[str, int] = {}
    codes = np.array([-1 if v is None else table.setdefault(v, len(table)) for v in values], dtype=np.int64)
    return codes, table


@dataclass(frozen=True)
class PoolStep:
    """How many mentors remain once the hard constraints up to ``constraint`` are applied."""

    constraint: str
    remaining: int


@dataclass
class Eligibility:
    """Which mentors may be team members, and how the pool shrank constraint by constraint.

    ``mask``: the mentors who meet every hard constraint a member must meet; empty when a
    team must (:data:`TEAM_MUSTS`) cannot be met by any of them. ``steps``: accepting,
    capacity and the member musts, each with the mentors left; then, for a team must, the
    mentors left who could meet it (a team needs only one). ``relax``: must → how many more
    mentors would be eligible without it.
    """

    mask: Bools
    steps: tuple[PoolStep, ...]  # in checking order
    relax: dict[str, int]


class MentorIndex:
    """The mentors of a network as numpy columns (row order: mentor id A→Z)."""

    def __init__(self, profiles: Iterable[MentorProfile], config: MatchingConfig) -> None:
        self.config = config
        self.profiles: list[MentorProfile] = sorted(profiles, key=lambda p: p.id)
        self.size = len(self.profiles)
        self.row: dict[str, int] = {p.id: i for i, p in enumerate(self.profiles)}
        ps = self.profiles
        self.areas = _columns(ps, "areas")
        self.affinities = _columns(ps, "affinities")
        self.specialties = _columns(ps, "specialties")
        self.languages = _columns(ps, "languages")
        self.meeting = _columns(ps, "meeting")
        self.profession, self.profession_codes = _codes([p.profession for p in ps])
        self.state, self.state_codes = _codes([p.state for p in ps])
        self.program, self.program_codes = _codes([p.program for p in ps])
        self.stage_rank = np.array([p.stage_rank for p in ps], dtype=np.int64)
        self.utc_offset = np.array([np.nan if p.utc_offset is None else p.utc_offset for p in ps])
        self.capacity = np.array([p.capacity for p in ps], dtype=np.int64)
        self.accepting = np.array([p.accepting for p in ps], dtype=np.bool_)
        self.protected = np.array([bool(p.affinities & config.urim) for p in ps], dtype=np.bool_)
        #: ``team.protect`` per row: what putting each mentor in a team costs before refunds
        self.charge: Floats = self.protected.astype(np.float64) * config.protect
        self._false = np.zeros(self.size, dtype=np.bool_)
        self._zero = np.zeros(self.size)
        self._cost = self._cost_table(int(self.capacity.max(initial=0)) + 1)
        self._professions: dict[str, Floats] = {}

    # ----------------------------------------------------------------------- helpers

    def load_array(self, load: Mapping[str, int]) -> Ints:
        """Current mentees per row from a mentor id → mentees map (unknown ids ignored)."""
        out = np.zeros(self.size, dtype=np.int64)
        for mentor_id, count in load.items():
            row = self.row.get(mentor_id)
            if row is not None:
                out[row] = count
        return out

    def any_of(self, columns: dict[str, Bools], wanted: Iterable[str]) -> Bools:
        """Mentors who have at least one of ``wanted``."""
        out = self._false.copy()
        for item in wanted:
            column = columns.get(item)
            if column is not None:
                out |= column
        return out

    def _code_is(self, codes: Ints, table: dict[str, int], value: str | None) -> Bools:
        if value is None or value not in table:
            return self._false.copy()
        result: Bools = codes == table[value]
        return result

    # ----------------------------------------------------------------------- hard constraints

    def constraint(self, name: str, req: RequestProfile, load: Ints) -> Bools:
        """Mentors for whom the hard constraint ``name`` holds."""
        if name == "accepting":
            return self.accepting.copy()
        if name == "capacity":
            return load < self.capacity
        if name == "affinities":
            return self.any_of(self.affinities, req.affinities)
        if name == "languages":
            return self.any_of(self.languages, req.language_list)
        if name == "meeting":
            return self.any_of(self.meeting, req.meeting_list)
        if name == "profession":
            return self._code_is(self.profession, self.profession_codes, req.profession)
        if name == "state":
            return self._code_is(self.state, self.state_codes, req.state)
        raise ValueError(f"unknown constraint {name!r}")

    def eligibility(self, req: RequestProfile, load: Ints) -> Eligibility:
        members = tuple(name for name in req.must if name not in TEAM_MUSTS)
        teams = tuple(name for name in req.must if name in TEAM_MUSTS)
        order = ("accepting", "capacity", *members)
        holds = {name: self.constraint(name, req, load) for name in (*order, *teams)}
        mask = np.ones(self.size, dtype=np.bool_)
        steps: list[PoolStep] = []
        for name in order:
            mask &= holds[name]
            steps.append(PoolStep(name, int(mask.sum())))
        for name in teams:
            steps.append(PoolStep(name, int((mask & holds[name]).sum())))

        def eligible_without(dropped: str | None) -> int:
            kept = holds["accepting"] & holds["capacity"]
            for name in members:
                if name != dropped:
                    kept = kept & holds[name]
            if any(name != dropped and not (kept & holds[name]).any() for name in teams):
                return 0
            return int(kept.sum())

        current = eligible_without(None)
        if current == 0:
            mask = self._false.copy()
        relax: dict[str, int] = {}
        for name in req.must:
            more = eligible_without(name) - current
            if more > 0:
                relax[name] = more
        assert tuple(HARD_CONSTRAINTS[:2]) == order[:2]
        return Eligibility(mask, tuple(steps), relax)

    # ----------------------------------------------------------------------- scores

    def preference(self, req: RequestProfile) -> Floats:
        """Every mentor's score without the load part (the same sums as ``Score.preference``)."""
        w = self.config.weights
        affinities = self._zero.copy()
        for affinity, points in zip(req.affinities, req.affinity_points, strict=True):
            column = self.affinities.get(affinity)
            if column is not None:
                affinities += column * points
        needs = self._zero.copy()
        for need, points in zip(req.needs, req.need_points, strict=True):
            column = self.areas.get(need)
            if column is not None:
                needs += column * points
        specialty = self.any_of(self.specialties, req.specialty_list) * w.specialty
        stage: npt.NDArray[np.floating[Any]] = self._zero
        if req.stage_rank is not None:
            stage = (self.stage_rank > req.stage_rank) * w.stage_ahead
        profession: npt.NDArray[np.floating[Any]] = self._zero
        if req.profession is not None:
            profession = self._profession_part(req.profession)
        # the best-ranked language each mentor speaks (scoring.score)
        language = self._zero.copy()
        spoken = self._false.copy()
        for rank, lang in enumerate(req.language_list):
            column = self.languages.get(lang)
            if column is not None:
                language = np.where(column & ~spoken, w.language * self.config.rank_weight(rank), language)
                spoken |= column
        meeting = self.any_of(self.meeting, req.meeting_list) * w.meeting
        same_state = self._code_is(self.state, self.state_codes, req.state)
        if req.utc_offset is not None:
            near = np.abs(self.utc_offset - req.utc_offset) <= 1
            place = np.where(same_state, w.same_state, np.where(near, w.near_timezone, 0.0))
        else:
            place = same_state * w.same_state
        named = self._false.copy()
        for mentor_id in req.named:
            row = self.row.get(mentor_id)
            if row is not None:
                named[row] = True
        result: Floats = (
            affinities + needs + specialty + stage + profession + language + meeting + place + named * w.named
        )
        return result

    def _profession_part(self, profession: str) -> Floats:
        """The ``profession`` part of every mentor for a mentee of ``profession`` (computed once)."""
        if profession not in self._professions:
            peers = self.config.peers(profession)
            codes = [code for name, code in self.profession_codes.items() if name in peers]
            part: Floats = np.isin(self.profession, codes).astype(np.float64) * self.config.weights.profession
            self._professions[profession] = part
        return self._professions[profession]

    def _cost_table(self, loads: int) -> Floats:
        """load_cost for every (capacity, load) pair, computed by the scalar function itself."""
        capacities = int(self.capacity.max(initial=0)) + 1
        table = [[load_cost(load, cap, self.config) for load in range(loads)] for cap in range(capacities)]
        return np.array(table, dtype=np.float64).reshape(capacities, loads)

    def protect_part(self, req: RequestProfile) -> Floats:
        """Every mentor's ``protect`` part when alone in a team (see :mod:`generator.matching.team`).

        ``protect`` is charged to every URiM mentor and refunded once for each URiM affinity
        the request asked for that the mentor shares: 0 for a mentor who shares one, minus
        ``protect`` for one who shares none, and nothing for other mentors.
        """
        protect = self.config.protect
        result: Floats = np.where(self.protected, -protect, 0.0)
        for affinity in req.affinities:
            column = self.affinities.get(affinity)
            if affinity in self.config.urim and column is not None:
                result += column * protect
        return result

    def load_part(self, load: Ints) -> Floats:
        """Every mentor's load part (minus the cost of one more mentee)."""
        if self.size and int(load.max()) >= self._cost.shape[1]:
            self._cost = self._cost_table(int(load.max()) + 1)
        result: Floats = -self._cost[np.maximum(self.capacity, 0), np.maximum(load, 0)]
        return result

    def item_column(self, kind: str, key: str, req: RequestProfile) -> Bools:
        """Mentors who bring the item ``(kind, key)`` of ``req`` (``scoring.has_item``)."""
        if kind == "need":
            return self.areas.get(key, self._false)
        if kind == "identity":
            return self.affinities.get(key, self._false)
        if kind == "language":
            return self.languages.get(key, self._false)
        if kind == "specialty":
            return self.any_of(self.specialties, req.specialty_list)
        if kind == "named":
            column = self._false.copy()
            row = self.row.get(key)
            if row is not None:
                column[row] = True
            return column
        raise ValueError(f"unknown item kind {kind!r}")

    def item_masks(self, req: RequestProfile) -> Ints:
        """Every mentor's :func:`generator.matching.scoring.item_mask` for ``req``."""
        masks = np.zeros(self.size, dtype=np.int64)
        for bit, (kind, key) in enumerate(req.items):
            masks |= self.item_column(kind, key, req).astype(np.int64) << bit
        return masks

    def totals(self, req: RequestProfile, load: Ints) -> Floats:
        """Every mentor's total score (``Score.total``)."""
        result: Floats = self.preference(req) + self.load_part(load)
        return result

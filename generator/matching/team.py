"""A mentor team ("quilt") for one request: needs covered, an affinity shared, load spread.

:func:`match_team` is deterministic: the same request, mentors and load give the same
team, whatever the order of ``mentors``. It picks ``team_size`` mentors one at a time,
each the eligible mentor with the largest *gain* (ties: mentor id A→Z), where

    gain = score − protect, if the mentor holds a URiM affinity (``urim``)
                 + cover_need × needs of the request the team does not cover yet, that the mentor does
                 + cover_affinity × the same for the affinities asked for
                 + protect × the URiM affinities among those (the refund of their first mentor)
                 − (1 − repeat_need) × points of needs the team already covers
                 − (1 − repeat_affinity) × points of affinities the team already shares
                 − same_program × team members from the mentor's program

and the score already carries the convex load cost (:func:`generator.matching.scoring.load_cost`).
So the first mentor who shares a URiM identity the mentee asked for costs nothing extra,
and a second one of that identity, like any URiM mentor the mentee did not ask for, costs
``protect``. :func:`team_total` is the sum of the gains of a team, in any order.
When too few mentors meet the request's hard constraints, the explanation names the
constraint that emptied the pool and the ``must`` whose relaxation helps most.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from generator.content.models import MUST_FIELDS, Request
from generator.content.vocabulary import Vocabulary
from generator.matching.config import MatchingConfig
from generator.matching.mentor_index import Ints, MentorIndex, PoolStep
from generator.matching.scoring import (
    MentorProfile,
    RequestProfile,
    Score,
    failed_constraint,
    rank_key,
    reasons,
    request_profile,
    score,
)

#: How each hard constraint reads in an explanation ("then 3 …", "mentors …").
CONSTRAINT_WORDS = {
    "accepting": "accepting new mentees",
    "capacity": "with a place free",
    "affinities": "sharing an affinity you require",
    "languages": "speaking a language you require",
    "meeting": "able to meet the way you require",
    "profession": "in your profession",
    "state": "working in your state",
}
#: Why a mentor asked for by name is not in the team.
NAMED_WORDS = {
    "accepting": "is not accepting new mentees",
    "capacity": "has no place free",
    **{name: "does not meet a requirement you marked as a must" for name in MUST_FIELDS},
}


class Pick(NamedTuple):
    """A candidate: the mentor, their score and their load before this request."""

    mentor: MentorProfile
    score: Score
    load: int


@dataclass(frozen=True)
class Member:
    """One mentor of a team, with the needs assigned to them and why they were chosen."""

    mentor: MentorProfile
    score: Score
    covers: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Relaxation:
    """Dropping the ``must`` on ``constraint`` would make ``eligible`` mentors eligible."""

    constraint: str
    eligible: int


@dataclass(frozen=True)
class Explanation:
    text: str
    pool: tuple[PoolStep, ...]
    limited_by: str | None  # the constraint that emptied the pool (or left fewer than team_size)
    relaxation: Relaxation | None


@dataclass(frozen=True)
class Team:
    request: RequestProfile
    members: tuple[Member, ...]  # best score first, then mentor id
    uncovered: tuple[str, ...]  # needs no member helps with, in the request's order
    explanation: Explanation
    eligible: int  # mentors who met every hard constraint

    @property
    def filled(self) -> bool:
        return len(self.members) == self.request.team_size


class Pool:
    """One request checked against every mentor: who is eligible, best score first."""

    def __init__(self, req: RequestProfile, index: MentorIndex, load: Ints) -> None:
        self.req, self.index, self.load = req, index, load
        self.eligibility = index.eligibility(req, load)
        self.eligible = int(self.eligibility.mask.sum())
        self.totals = index.totals(req, load)
        self._scores: dict[int, Score] = {}

    def pick(self, row: int) -> Pick:
        """The mentor of ``row``, their score (computed once, by the reference scorer) and load."""
        sc = self._scores.get(row)
        current = int(self.load[row])
        if sc is None:
            sc = self._scores[row] = score(self.req, self.index.profiles[row], current, self.index.config)
        return Pick(self.index.profiles[row], sc, current)

    def named_status(self) -> dict[str, str | None]:
        """Each mentor asked for by name who is in the directory → the first constraint they fail."""
        out: dict[str, str | None] = {}
        for mentor_id in self.req.named:
            row = self.index.row.get(mentor_id)
            if row is not None:
                out[mentor_id] = failed_constraint(self.req, self.index.profiles[row], int(self.load[row]))
        return out


def select(
    req: RequestProfile, pool: Pool, config: MatchingConfig, chosen: Sequence[Pick] = ()
) -> list[Pick]:
    """Add mentors to ``chosen`` (greedy by marginal gain) until the team is full.

    The gains of all eligible mentors are computed at once, subtracting in the same order
    as the formula in this module's docstring; ``argmax`` takes the first best row, and rows
    are in mentor-id order, so ties go to the id first in order.
    """
    index = pool.index
    keep_need = 1.0 - config.repeat_need
    keep_affinity = 1.0 - config.repeat_affinity
    charge = index.protected * config.protect
    urim = config.urim
    team = list(chosen)
    covered_needs = {n for _, sc, _ in team for n in sc.needs}
    covered_affinities = {a for _, sc, _ in team for a in sc.shared_affinities}
    programs = Counter(int(index.program[index.row[m.id]]) for m, _, _ in team)
    open_rows = pool.eligibility.mask.copy()
    for mentor, _, _ in team:
        open_rows[index.row[mentor.id]] = False
    while len(team) < req.team_size and open_rows.any():
        gain = pool.totals - charge
        for need, points in zip(req.needs, req.need_points, strict=True):
            column = index.areas.get(need)
            if column is None:
                continue
            if need in covered_needs:
                gain -= column * (keep_need * points)
            else:
                gain += column * config.cover_need
        for affinity, points in zip(req.affinities, req.affinity_points, strict=True):
            column = index.affinities.get(affinity)
            if column is None:
                continue
            if affinity in covered_affinities:
                gain -= column * (keep_affinity * points)
            elif affinity in urim:
                gain += column * (config.cover_affinity + config.protect)
            else:
                gain += column * config.cover_affinity
        if programs:
            same = np.zeros(len(index.program_codes))
            for code, count in programs.items():
                same[code] = config.same_program * count
            gain -= same[index.program]
        gain[~open_rows] = -np.inf
        row = int(np.argmax(gain))
        best = pool.pick(row)
        team.append(best)
        open_rows[row] = False
        covered_needs.update(best.score.needs)
        covered_affinities.update(best.score.shared_affinities)
        programs[int(index.program[row])] += 1
    return team


def team_total(
    req: RequestProfile, team: Sequence[Pick], index: MentorIndex, with_load: bool = True
) -> float:
    """What a team is worth: the sum of the gains of its members, whatever their order.

    Each member's load part is the cost of one more mentee on the load of their
    :data:`Pick`; ``with_load=False`` leaves it out. Plus ``cohort.fill`` for each member,
    this is the team's share of the cohort's objective (:mod:`generator.matching.cohort`).
    """
    config = index.config
    keep_need = 1.0 - config.repeat_need
    keep_affinity = 1.0 - config.repeat_affinity
    need_points = dict(zip(req.needs, req.need_points, strict=True))
    affinity_points = dict(zip(req.affinities, req.affinity_points, strict=True))
    total = 0.0
    programs: Counter[int] = Counter()
    for mentor, sc, _ in team:
        row = index.row[mentor.id]
        total += sc.total if with_load else sc.preference
        if index.protected[row]:
            total -= config.protect
        for need in sc.needs:
            total -= keep_need * need_points[need]
        for affinity in sc.shared_affinities:
            total -= keep_affinity * affinity_points[affinity]
        programs[int(index.program[row])] += 1
    covered_needs = {n for _, sc, _ in team for n in sc.needs}
    shared = {a for _, sc, _ in team for a in sc.shared_affinities}
    for need in req.needs:
        if need in covered_needs:
            total += keep_need * need_points[need] + config.cover_need
    for affinity in req.affinities:
        if affinity in shared:
            total += keep_affinity * affinity_points[affinity] + config.cover_affinity
            if affinity in config.urim:
                total += config.protect
    for count in programs.values():
        total -= config.same_program * count * (count - 1) / 2
    return total


def assign_covers(req: RequestProfile, scores: Sequence[Score]) -> list[tuple[str, ...]]:
    """Each need goes to one member who helps with it: the one with fewest needs so far.

    ``scores`` are in team order; ties go to the earlier member. Returns, per member, the
    needs assigned, in the request's order.
    """
    assigned: list[list[str]] = [[] for _ in scores]
    for need in req.needs:
        helpers = [i for i, sc in enumerate(scores) if need in sc.needs]
        if helpers:
            pick = min(helpers, key=lambda i: (len(assigned[i]), i))
            assigned[pick].append(need)
    return [tuple(a) for a in assigned]


def build_team(
    req: RequestProfile,
    chosen: Sequence[Pick],
    vocab: Vocabulary,
    explanation: Explanation,
    eligible: int,
) -> Team:
    """A :class:`Team` from chosen (mentor, score, load before) triples, in canonical order."""
    ordered = sorted(chosen, key=lambda c: rank_key(c.score.total, c.mentor.id))
    covers = assign_covers(req, [c.score for c in ordered])
    members = tuple(
        Member(mentor, sc, cov, tuple(reasons(req, mentor, sc, current, vocab)))
        for (mentor, sc, current), cov in zip(ordered, covers, strict=True)
    )
    covered = {n for m in members for n in m.score.needs}
    uncovered = tuple(n for n in req.needs if n not in covered)
    return Team(req, members, uncovered, explanation, eligible)


def _mentors(count: int) -> str:
    return f"{count} mentor" + ("" if count == 1 else "s")


def explain(req: RequestProfile, pool: Pool, chosen: Sequence[Pick], vocab: Vocabulary) -> Explanation:
    index, mask = pool.index, pool.eligibility.mask
    steps = pool.eligibility.steps
    eligible = pool.eligible
    size = req.team_size
    limited_by = None
    relaxation = None
    sentences: list[str] = []
    if eligible < size:
        limited_by = next((s.constraint for s in steps if s.remaining < size), None)
        chain: list[str] = []
        for step in steps:
            chain.append(f"{step.remaining} {CONSTRAINT_WORDS[step.constraint]}")
            if step.remaining == 0:
                break
        what = (
            "No mentor meets"
            if eligible == 0
            else f"Only {_mentors(eligible)} meet" + ("s" if eligible == 1 else "")
        )
        pool_text = f"of {_mentors(index.size)}, " + ", then ".join(chain)
        sentences.append(f"{what} every requirement for a team of {size}: {pool_text}.")
        if limited_by is not None:
            emptied = "emptied the pool" if eligible == 0 else "left too few mentors"
            sentences.append(f"The requirement that {emptied}: mentors {CONSTRAINT_WORDS[limited_by]}.")
        relax = pool.eligibility.relax
        if relax:
            best = max(sorted(relax), key=lambda m: relax[m])
            relaxation = Relaxation(best, eligible + relax[best])
            sentences.append(
                f"Making {best} a preference instead of a must helps most: "
                f"{_mentors(relaxation.eligible)} would then qualify."
            )
        elif limited_by in {"accepting", "capacity"}:
            sentences.append("No mentor has a place free right now; try again later.")
    else:
        sentences.append(f"{_mentors(len(chosen))} chosen from {eligible} who meet every requirement.")
    covered = {n for _, sc, _ in chosen for n in sc.needs}
    missing = [n for n in req.needs if n not in covered]
    if missing and chosen:
        labels = ", ".join(vocab.label("areas", n) for n in missing)
        if not (index.any_of(index.areas, missing) & mask).any():
            sentences.append(f"No mentor who meets your requirements helps with: {labels}.")
        else:
            sentences.append(f"The team does not cover: {labels}.")
    if req.affinities and chosen and not any(sc.shared_affinities for _, sc, _ in chosen):
        sentences.append("No mentor who meets your requirements shares an affinity you asked for.")
    chosen_ids = {m.id for m, _, _ in chosen}
    named = pool.named_status()
    for name in sorted(req.named - chosen_ids):
        if name not in named:
            why = "is not in the directory"
        else:
            why = NAMED_WORDS.get(named[name] or "", "was not needed: the team was full with closer fits")
        sentences.append(f"'{name}', whom you asked for, {why}.")
    return Explanation(" ".join(sentences), steps, limited_by, relaxation)


def match_team(
    request: Request | RequestProfile,
    index: MentorIndex,
    load: Mapping[str, int] | Ints,
    vocab: Vocabulary,
) -> Team:
    """The team for one request, given every mentor and how many mentees each has now."""
    config = index.config
    req = request if isinstance(request, RequestProfile) else request_profile(request, config)
    load_rows = index.load_array(load) if isinstance(load, Mapping) else load
    pool = Pool(req, index, load_rows)
    chosen = select(req, pool, config)
    return build_team(req, chosen, vocab, explain(req, pool, chosen, vocab), pool.eligible)

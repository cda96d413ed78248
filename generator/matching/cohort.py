"""Teams for many requests at once (a program's incoming class), as one integer program.

The model (solved by HiGHS through :mod:`scipy.optimize`) has a 0/1 variable
``x[r, m]`` for each request ``r`` and each of its candidate mentors ``m`` and maximises

    Σ x[r, m] · (fill + value[r, m])            places filled, and how well each mentor fits
  + Σ covered[r, i] · (keep[i] · points[r, i] + cover[i])   each need or affinity covered at all
  − Σ z[m, k] · load_cost(load₀[m] + k − 1)     convex load cost: the k-th new mentee of m
  − Σ same[r, p, t] · same_program              t-th further member from program p

subject to: at most ``team_size`` mentors per request; ``Σ_r x[r, m] = Σ_k z[m, k]`` with
``0 ≤ z ≤ 1`` and ``k`` up to the places ``m`` has left, so no capacity is ever exceeded;
``covered[r, i] ≤ Σ x[r, m]`` over the candidates who cover ``i`` (a need, an affinity,
the language listed first, a specialty); with affinities as a must, ``Σ_m x[r, m] ≤
team_size · Σ x[r, m]`` over the candidates who share one (a team has at least one).
``value`` is the mentor's preference score less ``keep = 1 − repeat_need`` (or
``repeat_affinity``) of the points of the needs (affinities) they cover, less ``protect``
for every URiM mentor; ``cover`` of a URiM affinity includes ``protect``, the refund of its
first mentor. A team's total is what :mod:`generator.matching.team` maximises one request
at a time (:func:`generator.matching.team.team_total`).

Candidates (see :func:`_candidates`) are each request's best mentors by score, its best by
what they bring beyond coverage, and the best few for each need and affinity asked for.
:func:`match_cohort` runs four phases. :func:`build_model` writes the integer program.
:func:`solve` has HiGHS solve its LP relaxation; requests whose variables came out whole
are fixed, the others are rounded by LP diving until few are left, and those are solved as
an integer program (:meth:`_Model.solve`). :func:`top_up` completes a request still short
of its team, in request-id order, by the one-request greedy on the places left. Then each
request, in id order, may take a better team from outside its candidates
(:func:`_improve`); then no member may be beaten, on the places the cohort leaves, by a
mentor who brings more of what the mentee asked for (:func:`_repair`, the dominance rule of
:mod:`generator.matching.team`); and :func:`assemble` turns the mentors chosen into teams,
scored and explained on the loads at the end of the cohort.

The model is built from requests sorted by id and mentors sorted by id, and HiGHS runs
without a time limit, so the result is the same for the same input whatever its order.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, NamedTuple

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array, vstack

from generator.content.models import Request
from generator.content.vocabulary import Vocabulary
from generator.matching.config import MatchingConfig
from generator.matching.mentor_index import Bools, Floats, Ints, MentorIndex
from generator.matching.scoring import TEAM_MUSTS, RequestProfile, load_cost, request_profile
from generator.matching.team import Pick, Pool, Team, build_team, explain, repair, select, team_total

log = logging.getLogger(__name__)

#: A relaxed 0/1 value closer than this to 0 or 1 counts as whole.
FRACTION = 1e-6
#: Fractional requests left after diving that the integer program then solves exactly.
MIP_GROUPS = 150
#: A team replaces a request's own after the solver only if it is worth more by this much.
IMPROVEMENT = 1e-9


class CohortError(Exception):
    """The solver failed (it should not: the model always has the empty assignment)."""


@dataclass(frozen=True)
class CohortResult:
    teams: dict[str, Team]  # request id → team, in request-id order
    load: dict[str, int]  # mentor id → mentees after the cohort (mentors with any)
    objective: float  # the model's objective for these teams (:func:`cohort_objective`)
    solver_objective: float  # the objective of the solver's answer, before top-up and improvement
    solver_status: str
    variables: int
    completed_by_greedy: int  # requests the greedy topped up after the solver
    improved: int  # times a request's team was replaced by a better one after the solver
    seconds: float
    repaired: int = 0  # members replaced because another mentor brought more (dominance)


class _Model:
    """Columns (variables) and rows (constraints) of the integer program, built in order."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.upper: list[float] = []
        self.integer: list[int] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []

    def variable(self, gain: float, *, integer: bool, upper: float = 1.0) -> int:
        self.cost.append(-gain)  # milp minimises
        self.upper.append(upper)
        self.integer.append(1 if integer else 0)
        return len(self.cost) - 1

    def constraint(self, terms: list[tuple[int, float]], lower: float, upper: float) -> None:
        row = len(self.row_lower)
        for col, val in terms:
            self.rows.append(row)
            self.cols.append(col)
            self.vals.append(val)
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def solve(self, groups: list[_Group], places: dict[int, int], gap: float) -> tuple[Floats, str, float]:
        """Relax, fix what came out whole, dive on the rest, and finish with the integer program.

        1. Solve the LP relaxation (HiGHS interior point, then crossover to a vertex). Every
           group (one request's candidates) whose variables came out whole is fixed there.
        2. While more than ``MIP_GROUPS`` groups are still fractional, fix in each of them
           the candidate with the largest value (ties: first column) to 1, if its mentor has
           a place left and the team is not full (with affinities as a must, a candidate who
           shares one first, so the team can still meet it), and solve the LP again ("diving").
        3. Solve the rest as an integer program (HiGHS branch and bound, ``mip_rel_gap``).

        Every step is deterministic (no time limits), so the same model gives the same answer.
        """
        n = len(self.cost)
        if n == 0:
            return np.zeros(0), "no request has an eligible mentor", 0.0
        matrix = coo_array((self.vals, (self.rows, self.cols)), shape=(len(self.row_lower), n)).tocsr()
        row_lower, row_upper = np.array(self.row_lower), np.array(self.row_upper)
        constraints = LinearConstraint(matrix, row_lower, row_upper)
        # linprog (for HiGHS's interior-point solver: 7-8 s instead of simplex's 14-30 s on the
        # first relaxation of 2,000 requests) wants the rows as A x ≤ b and A x = b
        equal = row_lower == row_upper
        above, below = ~equal & np.isfinite(row_upper), ~equal & np.isfinite(row_lower)
        a_ub = vstack([matrix[above], -matrix[below]]).tocsr()
        b_ub = np.concatenate([row_upper[above], -row_lower[below]])
        a_eq, b_eq = matrix[equal], row_lower[equal]
        cost, integer = np.array(self.cost), np.array(self.integer)
        lower, upper = np.zeros(n), np.array(self.upper)
        left = dict(places)
        open_groups = groups
        rounds = 0
        while True:
            relaxed = linprog(
                cost,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=a_eq,
                b_eq=b_eq,
                bounds=np.column_stack([lower, upper]),
                method="highs-ipm",
            )
            if relaxed.x is None:
                raise CohortError(f"the solver found no assignment: {relaxed.message}")
            x: Floats = np.asarray(relaxed.x)
            still_open: list[_Group] = []
            for group in open_groups:
                values = x[group.cols]
                if np.all(np.minimum(values, 1 - values) < FRACTION):
                    whole = np.round(values)
                    lower[group.cols] = upper[group.cols] = whole
                    for row, value in zip(group.rows, whole.tolist(), strict=True):
                        if value and row not in group.fixed:
                            left[row] -= 1
                else:
                    still_open.append(group)
            open_groups = still_open
            if len(open_groups) <= MIP_GROUPS:
                break
            rounds += 1
            for group in open_groups:
                if len(group.fixed) >= group.team_size:
                    continue
                order = sorted(range(len(group.cols)), key=lambda i: (-x[group.cols[i]], i))
                for i in order:
                    col, row = group.cols[i], group.rows[i]
                    if x[col] <= FRACTION:
                        break
                    if lower[col] == 0 and left[row] > 0 and group.may_fix(row):
                        lower[col] = 1.0
                        left[row] -= 1
                        group.fixed.add(row)
                        break
        status = f"{rounds} diving round(s), then {len(open_groups)} of {len(groups)} requests as integers"
        if not open_groups:
            return x, f"{status}: {relaxed.message}", -float(relaxed.fun)
        result = milp(
            cost,
            integrality=integer,
            bounds=Bounds(lower, upper),
            constraints=constraints,
            options={"mip_rel_gap": gap, "presolve": True},
        )
        if result.x is None:
            raise CohortError(f"the solver found no assignment: {result.message}")
        return np.asarray(result.x), f"{status}: {result.message}", -float(result.fun)


@dataclass
class _Group:
    """One request's candidate variables: columns, their mentors' rows, mentors fixed in."""

    cols: list[int]
    rows: list[int]
    team_size: int
    fixed: set[int] = field(default_factory=set)
    #: with affinities as a must: the rows of the candidates who share one (a team needs one)
    sharing: frozenset[int] | None = None

    def may_fix(self, row: int) -> bool:
        """Whether diving may fix ``row`` in: with a must on affinities, a sharer comes first,
        so that every fixed team can still meet it."""
        return self.sharing is None or row in self.sharing or bool(self.fixed & self.sharing)


def _candidates(
    req: RequestProfile, index: MentorIndex, mask: Bools, totals: Floats, values: Floats
) -> list[int]:
    """Rows of the mentors the model considers for ``req``.

    The best by score (``totals``), the best by what they bring beyond the needs and
    affinities they cover (``values``: coverage is paid once per team, so a team needs some
    mentors who are good for other reasons), and the best few for each need and affinity.
    """
    config = index.config
    rows = np.flatnonzero(mask)
    if rows.size == 0:
        return []

    def best(among: Ints, by: Floats, count: int) -> list[int]:
        order = np.argsort(-by[among], kind="stable")
        out: list[int] = among[order[:count]].tolist()
        return out

    chosen = set(best(rows, totals, config.cohort_candidates))
    chosen.update(best(rows, values, config.cohort_candidates))
    for need in req.needs:
        column = index.areas.get(need)
        if column is not None:
            chosen.update(best(rows[column[rows]], totals, config.cohort_per_cover))
    for kind, key in req.items:
        if kind in ("identity", "language", "specialty"):
            column = index.item_column(kind, key, req)
            chosen.update(best(rows[column[rows]], totals, config.cohort_per_cover))
    for mentor_id in req.named:
        row = index.row.get(mentor_id)
        if row is not None and mask[row]:
            chosen.add(row)
    return sorted(chosen)


def cohort_objective(teams: Mapping[str, Team], index: MentorIndex, load: Ints) -> float:
    """The integer program's objective for these teams, starting from ``load`` (per row).

    ``fill`` and :func:`team_total` of each team, with the load part replaced by the convex
    cost of all the mentees each mentor is given: the same number the solver maximises.
    """
    config = index.config
    total = 0.0
    added = np.zeros(index.size, dtype=np.int64)
    for team in teams.values():
        rows = [index.row[m.mentor.id] for m in team.members]
        picks = [Pick(m.mentor, m.score, int(load[row])) for m, row in zip(team.members, rows, strict=True)]
        total += config.cohort_fill * len(rows) + team_total(team.request, picks, index, with_load=False)
        added[rows] += 1
    for row in np.flatnonzero(added).tolist():
        start, capacity = int(load[row]), int(index.capacity[row])
        total -= sum(load_cost(start + k, capacity, config) for k in range(int(added[row])))
    return total


def _improve(
    ids: list[str],
    reqs: dict[str, RequestProfile],
    index: MentorIndex,
    current: Ints,
    picked: dict[str, list[int]],
) -> tuple[int, float]:
    """Offer each request, in id order, a better team on the places the others leave.

    The integer program sees only a few candidates per request, chosen before it knows
    which mentors the cohort will fill, so a request often does better with a mentor
    outside them. For each request, the one-request greedy (:func:`select`) builds a team
    from scratch and, for each member, a team without that member; the request takes the
    one with the largest :func:`team_total` (plus ``fill`` for each member) if it beats
    its own. Every move raises the cohort's objective by exactly that difference, since
    the other requests and their load do not change. ``cohort.improve`` passes at most
    (fewer when a pass moves nothing). ``current`` and ``picked`` are updated in place;
    returns the number of moves and the total gain.
    """
    config = index.config
    moved, gained = 0, 0.0
    for _ in range(config.cohort_improve):
        moves = 0
        for rid in ids:
            req, rows = reqs[rid], picked[rid]
            others = current.copy()
            others[rows] -= 1
            pool = Pool(req, index, others)
            mine = [pool.pick(row) for row in rows]
            best = team_total(req, mine, index) + config.cohort_fill * len(mine)
            start = best
            options = [select(req, pool, config)]
            options.extend(select(req, pool, config, mine[:i] + mine[i + 1 :]) for i in range(len(mine)))
            better: list[Pick] | None = None
            for option in options:
                value = team_total(req, option, index) + config.cohort_fill * len(option)
                if value > best + IMPROVEMENT:
                    best, better = value, option
            if better is not None:
                picked[rid] = [index.row[pick.mentor.id] for pick in better]
                others[picked[rid]] += 1
                current[:] = others
                moves += 1
                gained += best - start
        moved += moves
        if not moves:
            break
    return moved, gained


def _repair(
    ids: list[str],
    reqs: dict[str, RequestProfile],
    index: MentorIndex,
    current: Ints,
    picked: dict[str, list[int]],
) -> int:
    """Replace every member another mentor beats, on the places the others leave (in id order).

    :func:`generator.matching.team.repair` for each request on the load of the others; a
    swap can free a place that beats a member of another request, so passes repeat until
    none changes anything. Each swap makes one team cover strictly more of what its mentee
    asked for, so this ends. ``current`` and ``picked`` are updated in place; returns the
    number of members replaced.
    """
    config = index.config
    swaps = 0
    while True:
        moved = 0
        for rid in ids:
            req, rows = reqs[rid], picked[rid]
            if not rows:
                continue
            others = current.copy()
            others[rows] -= 1
            pool = Pool(req, index, others)
            team, count = repair(req, pool, config, [pool.pick(row) for row in rows])
            if count:
                picked[rid] = [index.row[pick.mentor.id] for pick in team]
                others[picked[rid]] += 1
                current[:] = others
                moved += count
        swaps += moved
        if not moved:
            return swaps


# --------------------------------------------------------------------------- the phases


class Candidate(NamedTuple):
    """A variable ``x[r, m]`` of the model: the row of mentor ``m`` and the variable's column."""

    row: int
    col: int


class _Cover(NamedTuple):
    """A need, an affinity, the language listed first or a specialty that candidates cover."""

    kind: Literal["need", "affinity", "language", "specialty"]
    item: str


@dataclass(frozen=True)
class _Prices:
    """What the model charges every request alike: computed once per cohort, not per request."""

    keep_need: float  # 1 − repeat_need
    keep_affinity: float  # 1 − repeat_affinity
    charge: Floats  # protect, per row: charged to every URiM mentor
    load_part: Floats  # minus the cost of one more mentee, per row, at the starting load

    @classmethod
    def of(cls, index: MentorIndex, start: Ints) -> _Prices:
        config = index.config
        return cls(
            keep_need=1.0 - config.repeat_need,
            keep_affinity=1.0 - config.repeat_affinity,
            charge=(index.protected * config.protect).astype(np.float64),
            load_part=index.load_part(start),
        )


@dataclass
class CohortModel:
    """The integer program of a cohort and where each request's and mentor's variables are."""

    index: MentorIndex
    start: Ints  # mentees per row before the cohort
    requests: dict[str, RequestProfile]  # in request-id order
    pools: dict[str, Pool]  # each request against the starting load
    program: _Model
    candidates: dict[str, list[Candidate]]  # request id → its variables, by mentor row
    by_mentor: dict[int, list[int]]  # mentor row → the columns of every request's variable for them

    @property
    def variables(self) -> int:
        return len(self.program.cost)


@dataclass(frozen=True)
class Solution:
    """What the solver chose: the mentor rows of each request (id order), before any top-up."""

    picked: dict[str, list[int]]
    status: str
    objective: float


def _cover_gain(
    cover: _Cover,
    need_points: Mapping[str, float],
    affinity_points: Mapping[str, float],
    affinity_covers: Mapping[str, float],
    prices: _Prices,
    config: MatchingConfig,
) -> float:
    """The gain of ``covered[r, i]``: the points of ``i`` paid once per team, plus ``cover``."""
    if cover.kind == "need":
        return prices.keep_need * need_points[cover.item] + config.cover_need
    if cover.kind == "language":
        return config.cover_language
    if cover.kind == "specialty":
        return config.cover_specialty
    gain = prices.keep_affinity * affinity_points[cover.item] + affinity_covers[cover.item]
    if cover.item in config.urim:
        gain += config.protect  # the refund of the first mentor who shares it
    return gain


def _add_request(
    program: _Model, req: RequestProfile, pool: Pool, prices: _Prices, by_mentor: dict[int, list[int]]
) -> list[Candidate]:
    """Add one request's variables and constraints to ``program``; returns its candidates."""
    index = pool.index
    config = index.config
    need_points = dict(zip(req.needs, req.need_points, strict=True))
    affinity_points = dict(zip(req.affinities, req.affinity_points, strict=True))
    affinity_covers = dict(zip(req.affinities, req.affinity_covers, strict=True))
    preference = index.preference(req)
    # what a mentor brings whoever else is in the team: coverage is paid once, below
    value = preference - prices.charge
    for need, points in need_points.items():
        if need in index.areas:
            value -= index.areas[need] * (prices.keep_need * points)
    for affinity, points in affinity_points.items():
        if affinity in index.affinities:
            value -= index.affinities[affinity] * (prices.keep_affinity * points)
    totals = preference + index.protect_part(req) + prices.load_part
    rows = _candidates(req, index, pool.eligibility.mask, totals, value + prices.load_part)
    candidates: list[Candidate] = []
    covers: dict[_Cover, list[int]] = {}
    programs: dict[int, list[int]] = {}
    for row in rows:
        profile = index.profiles[row]
        col = program.variable(config.cohort_fill + float(value[row]), integer=True)
        candidates.append(Candidate(row, col))
        by_mentor.setdefault(row, []).append(col)
        programs.setdefault(int(index.program[row]), []).append(col)
        for need in req.needs:
            if need in profile.areas:
                covers.setdefault(_Cover("need", need), []).append(col)
        for affinity in req.affinities:
            if affinity in profile.affinities:
                covers.setdefault(_Cover("affinity", affinity), []).append(col)
        if req.first_language is not None and req.first_language in profile.languages:
            covers.setdefault(_Cover("language", req.first_language), []).append(col)
        if not profile.specialties.isdisjoint(req.specialties):
            covers.setdefault(_Cover("specialty", ""), []).append(col)
    if not candidates:
        return candidates
    program.constraint([(c.col, 1.0) for c in candidates], 0.0, float(req.team_size))
    if any(name in TEAM_MUSTS for name in req.must):
        # at least one member shares an affinity asked for: Σ x ≤ team_size · Σ x of sharers
        sharing = {
            c.col for c in candidates if not index.profiles[c.row].affinities.isdisjoint(req.affinity_set)
        }
        terms = [(c.col, 1.0 - (req.team_size if c.col in sharing else 0.0)) for c in candidates]
        program.constraint(terms, -np.inf, 0.0)
    for cover, cols in covers.items():
        gain = _cover_gain(cover, need_points, affinity_points, affinity_covers, prices, config)
        if gain == 0.0:
            continue  # (cover_specialty 0) a variable worth nothing changes no answer
        covered = program.variable(gain, integer=False)
        program.constraint([(covered, 1.0)] + [(col, -1.0) for col in cols], -np.inf, 0.0)
    for cols in programs.values():
        for extra in range(1, min(len(cols), req.team_size)):
            same = program.variable(-config.same_program, integer=False, upper=np.inf)
            program.constraint([(col, 1.0) for col in cols] + [(same, -1.0)], -np.inf, float(extra))
    return candidates


def _add_places(program: _Model, by_mentor: dict[int, list[int]], index: MentorIndex, start: Ints) -> None:
    """Each candidate mentor's places left, ``z[m, k]`` at the convex load cost, one row each."""
    config = index.config
    for row in sorted(by_mentor):
        capacity = int(index.capacity[row])
        begin = int(start[row])
        places = [
            program.variable(-load_cost(begin + k, capacity, config), integer=False)
            for k in range(capacity - begin)
        ]
        program.constraint([(col, 1.0) for col in by_mentor[row]] + [(z, -1.0) for z in places], 0.0, 0.0)


def build_model(requests: Mapping[str, Request], index: MentorIndex, load: Mapping[str, int]) -> CohortModel:
    """The integer program of this module's docstring for ``requests`` (id → request) on ``load``.

    Requests are added in id order and mentors in row (id) order, so the same input always
    gives the same model.
    """
    start: Ints = index.load_array(load)
    reqs = {rid: request_profile(requests[rid], index.config) for rid in sorted(requests)}
    prices = _Prices.of(index, start)
    program = _Model()
    by_mentor: dict[int, list[int]] = {}
    pools = {rid: Pool(req, index, start) for rid, req in reqs.items()}
    candidates = {rid: _add_request(program, reqs[rid], pools[rid], prices, by_mentor) for rid in reqs}
    _add_places(program, by_mentor, index, start)
    return CohortModel(index, start, reqs, pools, program, candidates, by_mentor)


def solve(model: CohortModel) -> Solution:
    """Solve ``model`` (see :meth:`_Model.solve`): the mentor rows each request was given."""
    index = model.index
    groups = []
    for rid, candidates in model.candidates.items():
        if not candidates:
            continue
        req = model.requests[rid]
        sharing = None
        if any(name in TEAM_MUSTS for name in req.must):
            sharing = frozenset(
                c.row for c in candidates if not index.profiles[c.row].affinities.isdisjoint(req.affinity_set)
            )
        groups.append(
            _Group([c.col for c in candidates], [c.row for c in candidates], req.team_size, sharing=sharing)
        )
    room = {row: int(index.capacity[row]) - int(model.start[row]) for row in model.by_mentor}
    values, status, objective = model.program.solve(groups, room, index.config.cohort_mip_rel_gap)
    picked = {
        rid: [c.row for c in candidates if values[c.col] > 0.5]
        for rid, candidates in model.candidates.items()
    }
    return Solution(picked, status, objective)


def load_after(start: Ints, picked: Mapping[str, list[int]]) -> Ints:
    """Mentees per row once each request's mentors in ``picked`` have taken one more."""
    current = start.copy()
    for rows in picked.values():
        for row in rows:
            current[row] += 1
    return current


def top_up(model: CohortModel, picked: dict[str, list[int]], current: Ints) -> int:
    """Complete, in request-id order, each team left short with the one-request greedy.

    A request short of its team while more mentors are eligible for it takes the best of
    the places the solver did not use, or that its candidates did not reach. ``picked``
    and ``current`` are updated in place; returns the number of requests completed.
    """
    index = model.index
    config = index.config
    topped = 0
    for rid, req in model.requests.items():
        rows = picked[rid]
        if len(rows) >= req.team_size or len(rows) >= model.pools[rid].eligible:
            continue
        free = Pool(req, index, current)
        before = len(rows)
        extended = select(req, free, config, [free.pick(row) for row in rows])
        for pick in extended[before:]:
            row = index.row[pick.mentor.id]
            current[row] += 1
            rows.append(row)
        topped += len(extended) > before
    return topped


def assemble(
    model: CohortModel, picked: Mapping[str, list[int]], vocab: Vocabulary, final: Ints | None = None
) -> dict[str, Team]:
    """Each request's team (in request-id order) from its mentor rows, on the final loads.

    ``final`` is every mentor's load at the end of the cohort (default: the start plus
    ``picked``). A member's score, reasons ("2 of 6 places free") and the explanation are
    on the load the other requests leave them: the cost and the places of this mentee on
    top of everyone else in the cohort. A team left short while enough mentors were
    eligible at the start says that requests earlier in the cohort took the other places.
    """
    if final is None:
        final = load_after(model.start, picked)
    teams: dict[str, Team] = {}
    for rid, req in model.requests.items():
        others = final.copy()
        others[picked[rid]] -= 1
        pool = Pool(req, model.index, others)
        chosen: list[Pick] = [pool.pick(row) for row in picked[rid]]
        explanation = explain(req, pool, chosen, vocab, final, model.start)
        if len(chosen) < req.team_size and model.pools[rid].eligible >= req.team_size:
            taken = " The other places were taken by requests earlier in this cohort."
            explanation = replace(
                explanation, text=explanation.text + taken, public_text=explanation.public_text + taken
            )
        teams[rid] = build_team(req, chosen, vocab, explanation, pool.eligible)
    return teams


def match_cohort(
    requests: Mapping[str, Request],
    index: MentorIndex,
    load: Mapping[str, int],
    vocab: Vocabulary,
) -> CohortResult:
    """Teams for all ``requests`` (id → request) sharing the mentors' places."""
    started = time.perf_counter()
    model = build_model(requests, index, load)
    built = time.perf_counter()
    log.info(
        "cohort: %d requests, %d variables, built in %.1f s",
        len(model.requests),
        model.variables,
        built - started,
    )
    solution = solve(model)
    log.info("cohort: solved in %.1f s: %s", time.perf_counter() - built, solution.status)
    picked = {rid: list(rows) for rid, rows in solution.picked.items()}
    current = load_after(model.start, picked)
    topped = top_up(model, picked, current)
    moved, improved = _improve(list(model.requests), model.requests, index, current, picked)
    log.info("cohort: %d teams improved by %.1f in all", moved, improved)
    repaired = _repair(list(model.requests), model.requests, index, current, picked)
    log.info("cohort: %d members replaced by mentors who bring more of what was asked", repaired)
    teams = assemble(model, picked, vocab, current)
    final = {index.profiles[row].id: int(current[row]) for row in np.flatnonzero(current).tolist()}
    return CohortResult(
        teams=teams,
        load=final,
        objective=cohort_objective(teams, index, model.start),
        solver_objective=solution.objective,
        solver_status=solution.status,
        variables=model.variables,
        completed_by_greedy=topped,
        improved=moved,
        seconds=time.perf_counter() - started,
        repaired=repaired,
    )

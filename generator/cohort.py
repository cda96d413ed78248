"""Teams for many requests at once (a program's incoming class), as one integer program.

The model (solved by HiGHS through :func:`scipy.optimize.milp`) has a 0/1 variable
``x[r, m]`` for each request ``r`` and each of its candidate mentors ``m`` and maximises

    Σ x[r, m] · (fill + value[r, m])            places filled, and how well each mentor fits
  + Σ covered[r, i] · (keep · points[r, i] + cover[i])   each need or affinity covered at all
  − Σ z[m, k] · load_cost(load₀[m] + k − 1)     convex load cost: the k-th new mentee of m
  − Σ same[r, p, t] · same_program              t-th further member from program p

subject to: at most ``team_size`` mentors per request; ``Σ_r x[r, m] = Σ_k z[m, k]`` with
``0 ≤ z ≤ 1`` and ``k`` up to the places ``m`` has left, so no capacity is ever exceeded;
``covered[r, i] ≤ Σ x[r, m]`` over the candidates who cover ``i``. ``value`` is the
mentor's preference score less ``keep = 1 − repeat_cover`` of the points of the needs and
affinities they cover, so a team's total equals what :mod:`generator.team` maximises one
request at a time. Candidates are each request's best mentors plus the best few for each
need and affinity asked for; a request the solver leaves short is completed, in request-id
order, by the one-request greedy on the places left.

HiGHS first solves the LP relaxation, which is nearly integral; requests whose variables
came out whole are fixed there and the integer program is solved over the rest (a
"relax-and-fix" step: within a few points of the full optimum, in a fraction of the time).

The model is built from requests sorted by id and mentors sorted by id, and HiGHS runs
without a time limit, so the result is the same for the same input whatever its order.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from .mentor_index import Ints, MentorIndex
from .models import Request
from .scoring import RequestProfile, load_cost, request_profile
from .team import Pick, Pool, Team, build_team, explain, select
from .vocabulary import Vocabulary

log = logging.getLogger(__name__)

#: A relaxed 0/1 value closer than this to 0 or 1 counts as whole.
FRACTION = 1e-6


class CohortError(Exception):
    """The solver failed (it should not: the model always has the empty assignment)."""


@dataclass(frozen=True)
class CohortResult:
    teams: dict[str, Team]  # request id → team, in request-id order
    load: dict[str, int]  # mentor id → mentees after the cohort (mentors with any)
    objective: float
    solver_status: str
    variables: int
    completed_by_greedy: int  # requests the greedy topped up after the solver
    seconds: float


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

    def solve(self, groups: list[list[int]], gap: float) -> tuple[npt.NDArray[np.float64], str, float]:
        """Solve in two steps: the LP relaxation, then the integer program over what it left open.

        The relaxation of this model is nearly integral. Every group of 0/1 variables (one
        request's candidates) that the LP solved to whole numbers is fixed there; the groups
        with a fraction stay free for the integer program, which is then small and quick.
        """
        n = len(self.cost)
        matrix = coo_array((self.vals, (self.rows, self.cols)), shape=(len(self.row_lower), n)).tocsr()
        constraints = LinearConstraint(matrix, np.array(self.row_lower), np.array(self.row_upper))
        cost, upper, integer = np.array(self.cost), np.array(self.upper), np.array(self.integer)
        relaxed = milp(
            cost, integrality=np.zeros(n), bounds=Bounds(np.zeros(n), upper), constraints=constraints
        )
        if relaxed.x is None:
            raise CohortError(f"the solver found no assignment: {relaxed.message}")
        x = np.asarray(relaxed.x)
        lower, upper = np.zeros(n), upper.copy()
        free = 0
        for cols in groups:
            values = x[cols]
            if np.all(np.minimum(values, 1 - values) < FRACTION):
                lower[cols] = upper[cols] = np.round(values)
            else:
                free += 1
        if not free:
            return x, f"LP relaxation integral: {relaxed.message}", -float(relaxed.fun)
        result = milp(
            cost,
            integrality=integer,
            bounds=Bounds(lower, upper),
            constraints=constraints,
            options={"mip_rel_gap": gap, "presolve": True},
        )
        if result.x is None:
            raise CohortError(f"the solver found no assignment: {result.message}")
        status = f"{free} of {len(groups)} requests solved as integers: {result.message}"
        return np.asarray(result.x), status, -float(result.fun)


def _candidates(req: RequestProfile, index: MentorIndex, mask: np.ndarray, totals: np.ndarray) -> list[int]:
    """Rows of the mentors the model considers for ``req``: best overall and best per item."""
    config = index.config
    rows = np.flatnonzero(mask)
    if rows.size == 0:
        return []

    def best(among: np.ndarray, count: int) -> list[int]:
        order = np.argsort(-totals[among], kind="stable")
        out: list[int] = among[order[:count]].tolist()
        return out

    chosen = set(best(rows, config.cohort_candidates))
    for need in req.needs:
        column = index.areas.get(need)
        if column is not None:
            chosen.update(best(rows[column[rows]], config.cohort_per_cover))
    for affinity in req.affinities:
        column = index.affinities.get(affinity)
        if column is not None:
            chosen.update(best(rows[column[rows]], config.cohort_per_cover))
    for mentor_id in req.named:
        row = index.row.get(mentor_id)
        if row is not None and mask[row]:
            chosen.add(row)
    return sorted(chosen)


def match_cohort(
    requests: Mapping[str, Request],
    index: MentorIndex,
    load: Mapping[str, int],
    vocab: Vocabulary,
) -> CohortResult:
    """Teams for all ``requests`` (id → request) sharing the mentors' places."""
    started = time.perf_counter()
    config = index.config
    keep = 1.0 - config.repeat_cover
    load0: Ints = index.load_array(load)
    ids = sorted(requests)
    reqs = {rid: request_profile(requests[rid], config) for rid in ids}
    model = _Model()
    x_vars: dict[str, list[tuple[int, int]]] = {}  # request → (row, column)
    by_mentor: dict[int, list[int]] = {}
    pools: dict[str, Pool] = {}
    for rid in ids:
        req = reqs[rid]
        pool = pools[rid] = Pool(req, index, load0)
        mask = pool.eligibility.mask
        preference = index.preference(req)
        rows = _candidates(req, index, mask, preference + index.load_part(load0))
        need_points = dict(zip(req.needs, req.need_points, strict=True))
        affinity_points = dict(zip(req.affinities, req.affinity_points, strict=True))
        pairs: list[tuple[int, int]] = []
        covers: dict[tuple[str, str], list[int]] = {}
        programs: dict[int, list[int]] = {}
        for row in rows:
            profile = index.profiles[row]
            value = float(preference[row])
            for need in req.needs:
                if need in profile.areas:
                    value -= keep * need_points[need]
                    covers.setdefault(("need", need), [])
            for affinity in req.affinities:
                if affinity in profile.affinities:
                    value -= keep * affinity_points[affinity]
                    covers.setdefault(("affinity", affinity), [])
            col = model.variable(config.cohort_fill + value, integer=True)
            pairs.append((row, col))
            by_mentor.setdefault(row, []).append(col)
            programs.setdefault(int(index.program[row]), []).append(col)
            for need in req.needs:
                if need in profile.areas:
                    covers[("need", need)].append(col)
            for affinity in req.affinities:
                if affinity in profile.affinities:
                    covers[("affinity", affinity)].append(col)
        x_vars[rid] = pairs
        if not pairs:
            continue
        model.constraint([(col, 1.0) for _, col in pairs], 0.0, float(req.team_size))
        for (kind, item), cols in covers.items():
            if kind == "need":
                bonus = keep * need_points[item] + config.cover_need
            else:
                bonus = keep * affinity_points[item] + config.cover_affinity
            covered = model.variable(bonus, integer=False)
            model.constraint([(covered, 1.0)] + [(col, -1.0) for col in cols], -np.inf, 0.0)
        for cols in programs.values():
            for extra in range(1, min(len(cols), req.team_size)):
                same = model.variable(-config.same_program, integer=False, upper=np.inf)
                model.constraint([(col, 1.0) for col in cols] + [(same, -1.0)], -np.inf, float(extra))
    for row in sorted(by_mentor):
        capacity = int(index.capacity[row])
        start = int(load0[row])
        places = [
            model.variable(-load_cost(start + k, capacity, config), integer=False)
            for k in range(capacity - start)
        ]
        model.constraint([(col, 1.0) for col in by_mentor[row]] + [(z, -1.0) for z in places], 0.0, 0.0)
    built = time.perf_counter()
    log.info("cohort: %d requests, %d variables, built in %.1f s", len(ids), len(model.cost), built - started)
    groups = [[col for _, col in pairs] for pairs in x_vars.values() if pairs]
    solution, status, objective = model.solve(groups, config.cohort_mip_rel_gap)
    log.info("cohort: solved in %.1f s: %s", time.perf_counter() - built, status)

    current = load0.copy()
    picked: dict[str, list[int]] = {}
    for rid in ids:
        picked[rid] = [row for row, col in x_vars[rid] if solution[col] > 0.5]
        for row in picked[rid]:
            current[row] += 1
    teams: dict[str, Team] = {}
    topped = 0
    for rid in ids:
        req, pool = reqs[rid], pools[rid]
        chosen: list[Pick] = [pool.pick(row) for row in picked[rid]]
        if len(chosen) < req.team_size and len(chosen) < pool.eligible:
            # places the solver did not use, or its candidates did not reach
            free = Pool(req, index, current)
            before = len(chosen)
            extended = select(req, free, config, [free.pick(row) for row in picked[rid]])
            for mentor, _, _ in extended[before:]:
                row = index.row[mentor.id]
                current[row] += 1
                chosen.append(pool.pick(row))
            topped += len(extended) > before
        explanation = explain(req, pool, chosen, vocab)
        if len(chosen) < req.team_size and pool.eligible >= req.team_size:
            text = f"{explanation.text} The other places were taken by requests earlier in this cohort."
            explanation = replace(explanation, text=text)
        teams[rid] = build_team(req, chosen, vocab, explanation, pool.eligible)
    final = {index.profiles[row].id: int(current[row]) for row in np.flatnonzero(current).tolist()}
    return CohortResult(
        teams=teams,
        load=final,
        objective=objective,
        solver_status=status,
        variables=len(model.cost),
        completed_by_greedy=topped,
        seconds=time.perf_counter() - started,
    )

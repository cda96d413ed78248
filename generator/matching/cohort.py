"""Teams for many requests at once (a program's incoming class), as one integer program.

The model (solved by HiGHS through :mod:`scipy.optimize`) has a 0/1 variable
``x[r, m]`` for each request ``r`` and each of its candidate mentors ``m`` and maximises

    Σ x[r, m] · (fill + value[r, m])            places filled, and how well each mentor fits
  + Σ covered[r, i] · (keep[i] · points[r, i] + cover[i])   each need or affinity covered at all
  − Σ z[m, k] · load_cost(load₀[m] + k − 1)     convex load cost: the k-th new mentee of m
  − Σ same[r, p, t] · same_program              t-th further member from program p

subject to: at most ``team_size`` mentors per request; ``Σ_r x[r, m] = Σ_k z[m, k]`` with
``0 ≤ z ≤ 1`` and ``k`` up to the places ``m`` has left, so no capacity is ever exceeded;
``covered[r, i] ≤ Σ x[r, m]`` over the candidates who cover ``i``. ``value`` is the
mentor's preference score less ``keep = 1 − repeat_need`` (or ``repeat_affinity``) of the
points of the needs (affinities) they cover, less ``protect`` for every URiM mentor;
``cover`` of a URiM affinity includes ``protect``, the refund of its first mentor. A team's
total is what :mod:`generator.matching.team` maximises one request at a time
(:func:`generator.matching.team.team_total`).

Candidates (see :func:`_candidates`) are each request's best mentors by score, its best by
what they bring beyond coverage, and the best few for each need and affinity asked for.
HiGHS solves the LP relaxation; requests whose variables came out whole are fixed, the
others are rounded by LP diving until few are left, and those are solved as an integer
program (:meth:`_Model.solve`). A request still short of its team is completed, in
request-id order, by the one-request greedy on the places left. Then each request, in id
order, may take a better team from outside its candidates (:func:`_improve`).

The model is built from requests sorted by id and mentors sorted by id, and HiGHS runs
without a time limit, so the result is the same for the same input whatever its order.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array, vstack

from generator.content.models import Request
from generator.content.vocabulary import Vocabulary
from generator.matching.mentor_index import Bools, Floats, Ints, MentorIndex
from generator.matching.scoring import RequestProfile, load_cost, request_profile
from generator.matching.team import Pick, Pool, Team, build_team, explain, select, team_total

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
           a place left and the team is not full, and solve the LP again ("diving").
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
                A_eq=matrix[equal],
                b_eq=row_lower[equal],
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
                    if lower[col] == 0 and left[row] > 0:
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
    for affinity in req.affinities:
        column = index.affinities.get(affinity)
        if column is not None:
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
        picks = [(m.mentor, m.score, int(load[row])) for m, row in zip(team.members, rows, strict=True)]
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
                picked[rid] = [index.row[mentor.id] for mentor, _, _ in better]
                others[picked[rid]] += 1
                current[:] = others
                moves += 1
                gained += best - start
        moved += moves
        if not moves:
            break
    return moved, gained


def match_cohort(
    requests: Mapping[str, Request],
    index: MentorIndex,
    load: Mapping[str, int],
    vocab: Vocabulary,
) -> CohortResult:
    """Teams for all ``requests`` (id → request) sharing the mentors' places."""
    started = time.perf_counter()
    config = index.config
    keep_need = 1.0 - config.repeat_need
    keep_affinity = 1.0 - config.repeat_affinity
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
        need_points = dict(zip(req.needs, req.need_points, strict=True))
        affinity_points = dict(zip(req.affinities, req.affinity_points, strict=True))
        # what a mentor brings whoever else is in the team: coverage is paid once, below
        value = index.preference(req) - index.protected * config.protect
        for need, points in need_points.items():
            if need in index.areas:
                value -= index.areas[need] * (keep_need * points)
        for affinity, points in affinity_points.items():
            if affinity in index.affinities:
                value -= index.affinities[affinity] * (keep_affinity * points)
        load_part = index.load_part(load0)
        totals = index.preference(req) + index.protect_part(req) + load_part
        rows = _candidates(req, index, mask, totals, value + load_part)
        pairs: list[tuple[int, int]] = []
        covers: dict[tuple[str, str], list[int]] = {}
        programs: dict[int, list[int]] = {}
        for row in rows:
            profile = index.profiles[row]
            for need in req.needs:
                if need in profile.areas:
                    covers.setdefault(("need", need), [])
            for affinity in req.affinities:
                if affinity in profile.affinities:
                    covers.setdefault(("affinity", affinity), [])
            col = model.variable(config.cohort_fill + float(value[row]), integer=True)
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
                bonus = keep_need * need_points[item] + config.cover_need
            else:
                bonus = keep_affinity * affinity_points[item] + config.cover_affinity
                if item in config.urim:
                    bonus += config.protect  # the refund of the first mentor who shares it
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
    groups = [
        _Group([col for _, col in pairs], [row for row, _ in pairs], reqs[rid].team_size)
        for rid, pairs in x_vars.items()
        if pairs
    ]
    room = {row: int(index.capacity[row]) - int(load0[row]) for row in by_mentor}
    solution, status, solver_objective = model.solve(groups, room, config.cohort_mip_rel_gap)
    log.info("cohort: solved in %.1f s: %s", time.perf_counter() - built, status)

    current = load0.copy()
    picked: dict[str, list[int]] = {}
    for rid in ids:
        picked[rid] = [row for row, col in x_vars[rid] if solution[col] > 0.5]
        for row in picked[rid]:
            current[row] += 1
    topped = 0
    for rid in ids:
        req, pool = reqs[rid], pools[rid]
        if len(picked[rid]) < req.team_size and len(picked[rid]) < pool.eligible:
            # places the solver did not use, or its candidates did not reach
            free = Pool(req, index, current)
            before = len(picked[rid])
            extended = select(req, free, config, [free.pick(row) for row in picked[rid]])
            for mentor, _, _ in extended[before:]:
                row = index.row[mentor.id]
                current[row] += 1
                picked[rid].append(row)
            topped += len(extended) > before
    moved, improved = _improve(ids, reqs, index, current, picked)
    log.info("cohort: %d teams improved by %.1f in all", moved, improved)
    teams: dict[str, Team] = {}
    for rid in ids:
        req, pool = reqs[rid], pools[rid]
        chosen: list[Pick] = [pool.pick(row) for row in picked[rid]]
        explanation = explain(req, pool, chosen, vocab)
        if len(chosen) < req.team_size and pool.eligible >= req.team_size:
            text = f"{explanation.text} The other places were taken by requests earlier in this cohort."
            explanation = replace(explanation, text=text)
        teams[rid] = build_team(req, chosen, vocab, explanation, pool.eligible)
    final = {index.profiles[row].id: int(current[row]) for row in np.flatnonzero(current).tolist()}
    return CohortResult(
        teams=teams,
        load=final,
        objective=cohort_objective(teams, index, load0),
        solver_objective=solver_objective,
        solver_status=status,
        variables=len(model.cost),
        completed_by_greedy=topped,
        improved=moved,
        seconds=time.perf_counter() - started,
    )

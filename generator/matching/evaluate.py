"""Measure the matching methods against the naive baseline on the same requests.

Three methods, each given the same mentors, starting load and requests:

* ``baseline``: requests in id order; each takes the ``team_size`` eligible mentors with the
  best preference score (load ignored except capacity), the "top-k recommender".
* ``team``: requests in id order; each gets :func:`generator.matching.team.match_team` on the load
  left by the requests before it (the load-aware greedy).
* ``cohort``: :func:`generator.matching.cohort.match_cohort` over all requests at once.

:func:`metrics` turns the teams into the figures of ``docs/matching.md``.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from generator.content.models import Request
from generator.content.vocabulary import Vocabulary
from generator.matching.cohort import match_cohort
from generator.matching.config import MatchingConfig
from generator.matching.mentor_index import Ints, MentorIndex
from generator.matching.scoring import MentorProfile, RequestProfile, Score, request_profile, score, team_fit
from generator.matching.team import match_team

Method = Literal["baseline", "team", "cohort"]
METHODS: tuple[Method, ...] = ("baseline", "team", "cohort")
METRICS = (
    "team_filled",
    "needs_covered_full",
    "concordance",
    "race_concordance",
    "fit_p10",
    "fit_mean",
    "load_gini",
    "mentors_at_capacity",
    "urim_at_capacity",
    "urim_utilisation_ratio",
    "top10_load_share",
    "seconds",
)
#: what each figure means (for ``--format text`` and the docs)
METRIC_HELP = {
    "team_filled": "share of requests given a full team",
    "needs_covered_full": "share of requests whose every need someone in the team helps with",
    "concordance": "of requests listing affinities: share with a mentor who shares one",
    "race_concordance": "of requests listing a race/ethnicity: share with a mentor who shares it",
    "fit_p10": "team fit (0–1) of the request at the 10th percentile: the worst-served decile",
    "fit_mean": "mean team fit (0–1)",
    "load_gini": "Gini coefficient of mentees per accepting mentor (0 = even)",
    "mentors_at_capacity": "share of accepting mentors left with no place free",
    "urim_at_capacity": "share of accepting URiM mentors left with no place free",
    "urim_utilisation_ratio": "URiM mentors' load per place ÷ other mentors' load per place",
    "top10_load_share": "share of all mentees carried by the busiest 10% of accepting mentors",
    "seconds": "time the method took",
}
#: The figures of the tables by the mentee's identity group, in column order.
GROUP_COLUMNS = (
    "requests",
    "team_filled",
    "needs_covered_full",
    "concordance",
    "race_concordance",
    "fit_p10",
)
#: What :func:`evaluate` returns: method → metric → value (and ``by_group``: group → metric → value).
Results = dict[str, dict[str, object]]


#: A team as the metrics see it: each member and their score.
Members = list[tuple[MentorProfile, Score]]


@dataclass(frozen=True)
class Outcome:
    """What one method did: each request's team (mentor and score) and the final load."""

    teams: dict[str, Members]
    load: Ints
    seconds: float


def baseline(requests: Mapping[str, Request], index: MentorIndex, load: Mapping[str, int]) -> Outcome:
    """Top ``team_size`` by preference score among eligible mentors, requests in id order."""
    started = time.perf_counter()
    config = index.config
    current = index.load_array(load)
    teams: dict[str, Members] = {}
    for rid in sorted(requests):
        req = request_profile(requests[rid], config)
        rows = np.flatnonzero(index.eligibility(req, current).mask)
        preference = index.preference(req)[rows]
        top = rows[np.argsort(-preference, kind="stable")[: req.team_size]].tolist()
        teams[rid] = [
            (index.profiles[r], score(req, index.profiles[r], int(current[r]), index.config)) for r in top
        ]
        current[top] += 1
    return Outcome(teams, current, time.perf_counter() - started)


def sequential(
    requests: Mapping[str, Request], index: MentorIndex, load: Mapping[str, int], vocab: Vocabulary
) -> Outcome:
    """:func:`match_team` for each request in id order, on the load left by those before."""
    started = time.perf_counter()
    current = index.load_array(load)
    teams: dict[str, Members] = {}
    for rid in sorted(requests):
        team = match_team(requests[rid], index, current, vocab)
        teams[rid] = [(m.mentor, m.score) for m in team.members]
        for member in team.members:
            current[index.row[member.mentor.id]] += 1
    return Outcome(teams, current, time.perf_counter() - started)


def cohort(
    requests: Mapping[str, Request], index: MentorIndex, load: Mapping[str, int], vocab: Vocabulary
) -> Outcome:
    result = match_cohort(requests, index, load, vocab)
    teams = {rid: [(m.mentor, m.score) for m in team.members] for rid, team in result.teams.items()}
    return Outcome(teams, index.load_array(result.load), result.seconds)


# --------------------------------------------------------------------------- metrics


def gini(values: Sequence[float] | np.ndarray) -> float:
    """Gini coefficient of non-negative values (0: all equal; towards 1: one has everything)."""
    data = np.sort(np.asarray(values, dtype=np.float64))
    n = data.size
    if n == 0 or data.sum() == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * data).sum()) / (n * data.sum()) - (n + 1) / n)


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else math.nan


def request_metrics(
    reqs: Mapping[str, RequestProfile],
    teams: Mapping[str, Members],
    race: frozenset[str],
) -> dict[str, float]:
    """The per-request figures over the requests in ``reqs``."""
    filled, covered, concordant, race_concordant, fits = [], [], [], [], []
    for rid, req in reqs.items():
        scores = [sc for _, sc in teams[rid]]
        filled.append(len(scores) == req.team_size)
        helped = {n for sc in scores for n in sc.needs}
        covered.append(all(n in helped for n in req.needs))
        shared = {a for sc in scores for a in sc.shared_affinities}
        if req.affinities:
            concordant.append(bool(shared))
        asked_race = race & req.affinity_set
        if asked_race:
            race_concordant.append(bool(asked_race & shared))
        fits.append(team_fit(req, scores))
    return {
        "requests": float(len(reqs)),
        "team_filled": _share(filled),
        "needs_covered_full": _share(covered),
        "concordance": _share(concordant),
        "race_concordance": _share(race_concordant),
        "fit_p10": float(np.percentile(fits, 10)) if fits else math.nan,
        "fit_mean": float(np.mean(fits)) if fits else math.nan,
    }


def load_metrics(index: MentorIndex, load: Ints, urim: frozenset[str]) -> dict[str, float]:
    """The figures about how load is spread over the mentors who take mentees."""
    open_rows = index.accepting & (index.capacity > 0)
    is_urim = np.array([bool(p.affinities & urim) for p in index.profiles], dtype=np.bool_)
    loads = load[open_rows]
    capacity = index.capacity[open_rows]
    full = loads >= capacity
    urim_rows = is_urim[open_rows]
    top = np.sort(loads)[::-1][: max(1, math.ceil(0.1 * loads.size))]

    def per_place(which: np.ndarray) -> float:
        places = capacity[which].sum()
        return float(loads[which].sum() / places) if places else math.nan

    other = per_place(~urim_rows)
    return {
        "load_gini": gini(loads),
        "mentors_at_capacity": float(full.mean()) if full.size else math.nan,
        "urim_at_capacity": float(full[urim_rows].mean()) if urim_rows.any() else math.nan,
        "urim_utilisation_ratio": per_place(urim_rows) / other if other else math.nan,
        "top10_load_share": float(top.sum() / loads.sum()) if loads.sum() else math.nan,
    }


def identity_groups(reqs: Mapping[str, RequestProfile], config: MatchingConfig) -> dict[str, list[str]]:
    """Request ids by the mentee's identity group, in a fixed order (a mentee can be in several)."""
    named = [*sorted(config.urim), "first-generation", "lgbtq", "woman"]
    groups: dict[str, list[str]] = {
        "all": [],
        "URiM race/ethnicity": [],
        **{f"  {affinity}": [] for affinity in sorted(config.urim)},
        "other race/ethnicity": [],
        "no race/ethnicity listed": [],
        **{affinity: [] for affinity in named[len(config.urim) :]},
    }
    for rid, req in reqs.items():
        asked = req.affinity_set
        groups["all"].append(rid)
        if asked & config.urim:
            groups["URiM race/ethnicity"].append(rid)
        elif asked & config.race_affinities:
            groups["other race/ethnicity"].append(rid)
        else:
            groups["no race/ethnicity listed"].append(rid)
        for affinity in named:
            if affinity in asked:
                groups[f"  {affinity}" if affinity in config.urim else affinity].append(rid)
    return {name: rids for name, rids in groups.items() if rids}


def metrics(
    outcome: Outcome, requests: Mapping[str, Request], index: MentorIndex, groups: bool = False
) -> dict[str, object]:
    """The figures of one method (see :data:`METRIC_HELP`), optionally by identity group."""
    config = index.config
    reqs = {rid: request_profile(requests[rid], config) for rid in sorted(requests)}
    race = frozenset(config.race_affinities)
    out: dict[str, object] = {}
    out.update(request_metrics(reqs, outcome.teams, race))
    out.update(load_metrics(index, outcome.load, config.urim))
    out["seconds"] = outcome.seconds
    if groups:
        out["by_group"] = {
            name: request_metrics({rid: reqs[rid] for rid in rids}, outcome.teams, race)
            for name, rids in identity_groups(reqs, config).items()
        }
    return out


def methods_named(names: Iterable[str]) -> tuple[Method, ...]:
    """``names`` as :data:`METHODS`, in the order given; raises ValueError for an unknown name."""
    known: dict[str, Method] = {method: method for method in METHODS}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"unknown method(s) {', '.join(unknown)}: choose from {', '.join(METHODS)}")
    return tuple(known[name] for name in names)


def evaluate(
    requests: Mapping[str, Request],
    index: MentorIndex,
    vocab: Vocabulary,
    load: Mapping[str, int] | None = None,
    methods: Sequence[Method] = METHODS,
    groups: bool = False,
) -> Results:
    """Run each method on the same input and measure it: ``{method: {metric: value}}``."""
    start = dict(load or {})
    runners: dict[Method, Callable[[], Outcome]] = {
        "baseline": lambda: baseline(requests, index, start),
        "team": lambda: sequential(requests, index, start, vocab),
        "cohort": lambda: cohort(requests, index, start, vocab),
    }
    return {name: metrics(runners[name](), requests, index, groups) for name in methods}


# --------------------------------------------------------------------------- reports


def cell(value: object, digits: int = 3) -> str:
    """A figure in a table, with ``digits`` decimals; "—" for none (NaN: a share of no requests)."""
    if not isinstance(value, (int, float)) or math.isnan(value):
        return "—"
    return f"{value:.{digits}f}"


def metric_table(results: Results) -> str:
    """The methods side by side, one line per metric of :data:`METRICS`, with what it means."""
    names = list(results)
    lines = [f"{'metric':24}" + "".join(f"{name:>10}" for name in names) + "  meaning"]
    for metric in METRICS:
        figures = "".join(f"{cell(results[name][metric]):>10}" for name in names)
        lines.append(f"{metric:24}{figures}  {METRIC_HELP[metric]}")
    return "\n".join(lines)


def group_table(by_group: Mapping[str, Mapping[str, float]]) -> str:
    """One method's figures of :data:`GROUP_COLUMNS`, one line per identity group."""
    lines = [f"{'group':34}" + "".join(f"{column[:12]:>13}" for column in GROUP_COLUMNS)]
    for group, figures in by_group.items():
        cells = "".join(f"{cell(figures[c], 0 if c == 'requests' else 3):>13}" for c in GROUP_COLUMNS)
        lines.append(f"{group:34}{cells}")
    return "\n".join(lines)


def evaluation_text(results: Results) -> str:
    """:func:`metric_table`, then the :func:`group_table` of each method measured by group."""
    parts = [metric_table(results)]
    for name, figures in results.items():
        by_group = figures.get("by_group")
        if isinstance(by_group, dict):
            parts.append(f"\n{name} by identity group\n{group_table(by_group)}")
    return "\n".join(parts)


def evaluation_json(results: Results) -> str:
    """The results as JSON, with NaN (a share of no requests) written as null."""

    def clean(value: object) -> object:
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    return json.dumps(clean(results), indent=2)

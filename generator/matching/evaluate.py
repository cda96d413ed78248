"""Measure the matching methods against the naive baseline on the same requests.

Three methods, each given the same mentors, starting load and requests:

* ``baseline``: requests in id order; each takes the ``team_size`` eligible mentors with the
  best preference score (load ignored except capacity), the "top-k recommender"; affinities
  as a must hold for every member.
* ``team``: requests in id order; each gets :func:`generator.matching.team.match_team` on the load
  left by the requests before it (the load-aware greedy).
* ``cohort``: :func:`generator.matching.cohort.match_cohort` over all requests at once.

:func:`metrics` turns the teams into the figures of ``docs/matching.md``. Some figures depend
on which mentors had a place free when a request was matched: for the two methods that go
through the requests in id order, the load left by the requests before it; for the cohort,
the load the other requests leave at the end (:attr:`Outcome.together`).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

from generator.content.models import Request
from generator.content.vocabulary import Vocabulary
from generator.matching.cohort import match_cohort
from generator.matching.config import MatchingConfig
from generator.matching.mentor_index import Bools, Ints, MentorIndex
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
    "dominated_picks",
    "first_language",
    "scarce_concordance",
    "hoarded_teams",
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
    "dominated_picks": "members whom an eligible mentor with a place free beats on every item asked",
    "first_language": "of requests listing a language a free eligible mentor speaks: share given a speaker",
    "scarce_concordance": "askers of a scarce URiM identity given a mentor of it ÷ the most achievable",
    "hoarded_teams": "teams with two mentors of a scarce URiM identity while an eligible asker has none",
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
    "concordant",
    "achievable",
)
#: Group columns that count requests (printed without decimals).
COUNT_COLUMNS = frozenset({"requests", "concordant", "achievable"})
#: What :func:`evaluate` returns: method → metric → value (and ``by_group``: group → metric → value).
Results = dict[str, dict[str, object]]


#: A team as the metrics see it: each member and their score.
Members = list[tuple[MentorProfile, Score]]


@dataclass(frozen=True)
class Outcome:
    """What one method did: each request's team (mentor and score) and the final load.

    ``start`` is the load before the method (``None``: nobody had a mentee). ``together``:
    the requests were matched all at once (the cohort), so the places free for a request are
    those the others leave at the end; otherwise one at a time in id order, on the load
    left by the requests before it.
    """

    teams: dict[str, Members]
    load: Ints
    seconds: float
    start: Ints | None = None
    together: bool = False


def baseline(requests: Mapping[str, Request], index: MentorIndex, load: Mapping[str, int]) -> Outcome:
    """Top ``team_size`` by preference score among eligible mentors, requests in id order."""
    started = time.perf_counter()
    config = index.config
    current = index.load_array(load)
    teams: dict[str, Members] = {}
    for rid in sorted(requests):
        req = request_profile(requests[rid], config)
        mask = index.eligibility(req, current).mask
        if "affinities" in req.must:  # the naive reading: every member shares one
            mask = mask & index.any_of(index.affinities, req.affinities)
        rows = np.flatnonzero(mask)
        preference = index.preference(req)[rows]
        top = rows[np.argsort(-preference, kind="stable")[: req.team_size]].tolist()
        teams[rid] = [
            (index.profiles[r], score(req, index.profiles[r], int(current[r]), index.config)) for r in top
        ]
        current[top] += 1
    return Outcome(teams, current, time.perf_counter() - started, index.load_array(load))


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
    return Outcome(teams, current, time.perf_counter() - started, index.load_array(load))


def cohort(
    requests: Mapping[str, Request], index: MentorIndex, load: Mapping[str, int], vocab: Vocabulary
) -> Outcome:
    result = match_cohort(requests, index, load, vocab)
    teams = {rid: [(m.mentor, m.score) for m in team.members] for rid, team in result.teams.items()}
    return Outcome(
        teams, index.load_array(result.load), result.seconds, index.load_array(load), together=True
    )


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


def seen_loads(outcome: Outcome, index: MentorIndex, rids: Iterable[str]) -> Iterator[tuple[str, Ints]]:
    """Each request (in id order) with the load it was matched on (see :class:`Outcome`)."""
    start = outcome.start if outcome.start is not None else np.zeros(index.size, dtype=np.int64)
    current = start.copy()
    for rid in sorted(rids):
        rows = [index.row[m.id] for m, _ in outcome.teams[rid]]
        if outcome.together:
            seen = outcome.load.copy()
            seen[rows] -= 1
            yield rid, seen
        else:
            yield rid, current
            current = current.copy()
            current[rows] += 1


def dominated(req: RequestProfile, index: MentorIndex, rows: Sequence[int], free: Bools) -> list[int]:
    """The members (rows) of a team that another mentor would beat on what the mentee asked for.

    A member is *dominated* when a mentor of ``free`` (eligible, with a place free, not in the
    team) brings a strict superset of the items of ``req`` (:func:`generator.matching.scoring.asked_items`)
    that the member brings and the rest of the team does not.
    """
    masks = index.item_masks(req)
    others_free = free.copy()
    others_free[list(rows)] = False
    offers = np.unique(masks[others_free])
    out: list[int] = []
    for i, row in enumerate(rows):
        rest = 0
        for j, other in enumerate(rows):
            if j != i:
                rest |= int(masks[other])
        brings = int(masks[row]) & ~rest
        new = offers & ~rest
        if np.any(((new & brings) == brings) & (new != brings)):
            out.append(row)
    return out


def choice_metrics(
    outcome: Outcome, reqs: Mapping[str, RequestProfile], index: MentorIndex
) -> dict[str, float]:
    """Figures that depend on who had a place free when a request was matched.

    ``dominated_picks`` counts :func:`dominated` members; ``first_language`` is, of the
    requests listing a language that an eligible mentor with a place free speaks (its first
    listed language), the share whose team has a speaker of it.
    """
    count = 0
    spoken: list[bool] = []
    for rid, seen in seen_loads(outcome, index, reqs):
        req = reqs[rid]
        team = outcome.teams[rid]
        free = index.eligibility(req, seen).mask
        rows = [index.row[m.id] for m, _ in team]
        count += len(dominated(req, index, rows, free))
        if req.first_language is not None:
            speakers = index.languages.get(req.first_language)
            has_speaker = any(req.first_language in m.languages for m, _ in team)
            if has_speaker or (speakers is not None and bool((free & speakers).any())):
                spoken.append(has_speaker)
    return {"dominated_picks": float(count), "first_language": _share(spoken)}


@dataclass(frozen=True)
class Achievable:
    """For one identity: who asked for it, and how many of them could have had a mentor of it."""

    askers: tuple[str, ...]  # request ids, in order
    most: int  # one mentor who shares it per asker, while their places last


def achievable(
    reqs: Mapping[str, RequestProfile], index: MentorIndex, start: Ints, identities: Iterable[str]
) -> dict[str, Achievable]:
    """The most concordance possible for each identity, given the mentors' places.

    The largest number of the mentees who asked for an identity who can each be given one
    mentor who shares it, when every mentor takes at most their places free at ``start`` and
    only mentors eligible for that request count: a maximum flow from the askers to the
    mentors who share it (capacity: their places) to a sink.
    """
    out: dict[str, Achievable] = {}
    places = np.maximum(index.capacity - start, 0)
    for identity in identities:
        askers = tuple(rid for rid in sorted(reqs) if identity in reqs[rid].affinity_set)
        column = index.affinities.get(identity)
        if not askers or column is None:
            out[identity] = Achievable(askers, 0)
            continue
        sharers = np.flatnonzero(column & index.accepting & (places > 0))
        node = {int(row): 1 + len(askers) + i for i, row in enumerate(sharers.tolist())}
        sink = 1 + len(askers) + len(sharers)
        tails: list[int] = []
        heads: list[int] = []
        caps: list[int] = []
        for i, rid in enumerate(askers):
            mask = index.eligibility(reqs[rid], start).mask
            rows = [r for r in sharers.tolist() if mask[r]]
            if rows:
                tails.append(0)
                heads.append(1 + i)
                caps.append(1)
                for row in rows:
                    tails.append(1 + i)
                    heads.append(node[row])
                    caps.append(1)
        for row, n in node.items():
            tails.append(n)
            heads.append(sink)
            caps.append(int(places[row]))
        if not tails:
            out[identity] = Achievable(askers, 0)
            continue
        graph = csr_array(
            (np.array(caps, dtype=np.int32), (np.array(tails), np.array(heads))), shape=(sink + 1, sink + 1)
        )
        out[identity] = Achievable(askers, int(maximum_flow(graph, 0, sink).flow_value))
    return out


def concordance_metrics(
    reqs: Mapping[str, RequestProfile],
    teams: Mapping[str, Members],
    index: MentorIndex,
    most: Mapping[str, Achievable],
) -> tuple[dict[str, float], dict[str, tuple[int, int]]]:
    """``scarce_concordance``, ``hoarded_teams``, and per identity (concordant, achievable).

    An identity is *scarce* when fewer of its askers can have a mentor of it than asked
    (:func:`achievable`). ``scarce_concordance`` is the askers of scarce URiM identities
    given a mentor of theirs ÷ the most achievable. ``hoarded_teams`` counts teams with two
    or more mentors of a scarce URiM identity while a mentee who asked for it, and for whom
    one of those mentors is eligible (places aside), has none.
    """
    config = index.config
    zero = np.zeros(index.size, dtype=np.int64)
    per_identity: dict[str, tuple[int, int]] = {}
    got = best = 0
    hoarded: set[str] = set()
    for identity, what in most.items():
        lacking = [rid for rid in what.askers if not any(identity in m.affinities for m, _ in teams[rid])]
        concordant = len(what.askers) - len(lacking)
        per_identity[identity] = (concordant, what.most)
        if identity not in config.urim or what.most >= len(what.askers):
            continue  # not a URiM identity, or not scarce: every asker could have one
        got += concordant
        best += what.most
        if not lacking:
            continue
        reachable = np.zeros(index.size, dtype=np.bool_)
        for rid in lacking:
            reachable |= index.eligibility(reqs[rid], zero).mask
        for rid, team in teams.items():
            rows = [index.row[m.id] for m, _ in team if identity in m.affinities]
            if len(rows) >= 2 and reachable[rows].any():
                hoarded.add(rid)
    figures = {
        "scarce_concordance": got / best if best else math.nan,
        "hoarded_teams": float(len(hoarded)),
    }
    return figures, per_identity


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


def measured_identities(config: MatchingConfig) -> tuple[str, ...]:
    """Identities whose concordance is compared with the most achievable (the ``--groups`` rows)."""
    return (*sorted(config.urim), "first-generation", "lgbtq", "woman")


def metrics(
    outcome: Outcome,
    requests: Mapping[str, Request],
    index: MentorIndex,
    groups: bool = False,
    most: Mapping[str, Achievable] | None = None,
) -> dict[str, object]:
    """The figures of one method (see :data:`METRIC_HELP`), optionally by identity group.

    ``most`` is :func:`achievable` for the outcome's start (computed here when not given).
    """
    config = index.config
    reqs = {rid: request_profile(requests[rid], config) for rid in sorted(requests)}
    race = frozenset(config.race_affinities)
    start = outcome.start if outcome.start is not None else np.zeros(index.size, dtype=np.int64)
    if most is None:
        most = achievable(reqs, index, start, measured_identities(config))
    concordance, per_identity = concordance_metrics(reqs, outcome.teams, index, most)
    out: dict[str, object] = {}
    out.update(request_metrics(reqs, outcome.teams, race))
    out.update(load_metrics(index, outcome.load, config.urim))
    out.update(choice_metrics(outcome, reqs, index))
    out.update(concordance)
    out["seconds"] = outcome.seconds
    if groups:
        by_group: dict[str, dict[str, float]] = {}
        for name, rids in identity_groups(reqs, config).items():
            figures = request_metrics({rid: reqs[rid] for rid in rids}, outcome.teams, race)
            concordant, best = per_identity.get(name.strip(), (math.nan, math.nan))
            figures["concordant"] = float(concordant)
            figures["achievable"] = float(best)
            by_group[name] = figures
        out["by_group"] = by_group
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
    reqs = {rid: request_profile(requests[rid], index.config) for rid in sorted(requests)}
    most = achievable(reqs, index, index.load_array(start), measured_identities(index.config))
    runners: dict[Method, Callable[[], Outcome]] = {
        "baseline": lambda: baseline(requests, index, start),
        "team": lambda: sequential(requests, index, start, vocab),
        "cohort": lambda: cohort(requests, index, start, vocab),
    }
    return {name: metrics(runners[name](), requests, index, groups, most) for name in methods}


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
        cells = "".join(f"{cell(figures[c], 0 if c in COUNT_COLUMNS else 3):>13}" for c in GROUP_COLUMNS)
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

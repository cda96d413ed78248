"""Measure the matching engine: quality against the naive baseline, and speed (prints figures).

    .venv/bin/python benchmarks/bench_matching.py [--mentors 5000] [--requests 2000]
        [--seeds 1 2 3] [--scenarios ample tight scarce] [--sample 60] [--single 50000]
        [--json FILE]

For each scenario and seed it builds a synthetic network (generator/demo/synthetic.py), runs
the baseline, the one-request teams and the cohort on the same requests, and prints every
metric per seed, the mean over seeds, the figures by the mentee's identity group (mean
over seeds) and a check of the targets of issues 4 and 13. Then it runs ``--sample``
synthetic requests against the sample network in content/, and times one request against
``--single`` mentors (median of 25 requests). The tables are Markdown, ready for
docs/matching.md. Nothing here is a unit test: run it by hand or with `make bench-matching`
(about 3 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.content.vocabulary import vocabulary
from generator.core.paths import project_root
from generator.demo.synthetic import synthetic_network
from generator.matching.config import matching_config
from generator.matching.evaluate import COUNT_COLUMNS, GROUP_COLUMNS, METHODS, METRICS, cell, evaluate
from generator.matching.network import load_matchable, mentor_index
from generator.matching.team import match_team

SCENARIOS = ["ample", "tight", "scarce"]
SCARCE_GROUPS = ("american-indian-alaska-native", "native-hawaiian-pacific-islander")


def mean(values: list[Any]) -> float:
    numbers = [v for v in values if isinstance(v, (int, float)) and not math.isnan(v)]
    return statistics.fmean(numbers) if numbers else math.nan


def run_scenario(scenario: str, mentors: int, requests: int, seeds: list[int]) -> dict[str, Any]:
    config = matching_config()
    runs: dict[int, dict[str, dict[str, Any]]] = {}
    for seed in seeds:
        network = synthetic_network(mentors, requests, seed, scenario)
        index = mentor_index(network.mentors, config)
        runs[seed] = evaluate(network.requests, index, vocabulary(), groups=True)
        print(
            f"  {scenario} seed {seed}: "
            + ", ".join(f"{m} {cell(runs[seed][m]['seconds'], 1)} s" for m in METHODS)
        )
        sys.stdout.flush()
    return {"scenario": scenario, "mentors": mentors, "requests": requests, "runs": runs}


def print_scenario(result: dict[str, Any]) -> None:
    runs: dict[int, dict[str, dict[str, Any]]] = result["runs"]
    seeds = list(runs)
    size = f"{result['mentors']} mentors × {result['requests']} requests"
    print(f"\n### {result['scenario']}: {size}, seeds {seeds}\n")
    print(
        "| metric | " + " | ".join(f"{m} (mean)" for m in METHODS) + " | per seed: baseline / team / cohort |"
    )
    print("|---|" + "---:|" * len(METHODS) + "---|")
    for metric in METRICS:
        digits = 2 if metric == "seconds" else 0 if metric in COUNTS else 3
        means = [
            cell(mean([runs[s][m][metric] for s in seeds]), 1 if metric in COUNTS else digits)
            for m in METHODS
        ]
        per_seed = "; ".join(" / ".join(cell(runs[s][m][metric], digits) for m in METHODS) for s in seeds)
        print(f"| {metric} | " + " | ".join(means) + f" | {per_seed} |")
    scenario = result["scenario"]
    print(f"\nBy the mentee's identity group, {scenario} (means over seeds; baseline / team / cohort):\n")
    print("| group | requests | " + " | ".join(GROUP_COLUMNS[1:]) + " |")
    print("|---|---:|" + "---|" * (len(GROUP_COLUMNS) - 1))
    first = runs[seeds[0]][METHODS[0]]["by_group"]
    for group in first:
        count = cell(mean([runs[s][METHODS[0]]["by_group"].get(group, {}).get("requests") for s in seeds]), 0)
        cells = [
            " / ".join(
                cell(
                    mean([runs[s][m]["by_group"].get(group, {}).get(metric, math.nan) for s in seeds]),
                    1 if metric in COUNT_COLUMNS else 2,
                )
                for m in METHODS
            )
            for metric in GROUP_COLUMNS[1:]
        ]
        print(f"| {group.strip()} | {count} | " + " | ".join(cells) + " |")


Figures = dict[str, Any]
#: metrics that are counts
COUNTS = frozenset({"dominated_picks", "hoarded_teams"})


def _group_ratio(figures: Figures, group: str) -> float:
    row = figures["by_group"].get(f"  {group}", {})
    best = row.get("achievable", math.nan)
    return float(row.get("concordant", math.nan) / best) if best else math.nan


#: (scenario, target, test of (our figures, the baseline's figures)) from issues 4 and 13
TARGETS: list[tuple[str, str, Callable[[Figures, Figures], bool]]] = [
    ("ample", "every team filled", lambda o, b: o["team_filled"] == 1.0),
    ("ample", "needs fully covered ≥ 0.99", lambda o, b: o["needs_covered_full"] >= 0.99),
    ("ample", "race concordance ≥ 0.99", lambda o, b: o["race_concordance"] >= 0.99),
    ("ample", "fit_p10 ≥ baseline + 0.03", lambda o, b: o["fit_p10"] >= b["fit_p10"] + 0.03),
    ("ample", "URiM mentors at capacity ≤ 0.10", lambda o, b: o["urim_at_capacity"] <= 0.10),
    ("ample", "URiM/other utilisation ≤ 1.3", lambda o, b: o["urim_utilisation_ratio"] <= 1.3),
    ("ample", "top-10% load share ≤ 0.31", lambda o, b: o["top10_load_share"] <= 0.31),
    ("tight", "teams filled ≥ 0.99", lambda o, b: o["team_filled"] >= 0.99),
    (
        "tight",
        "race concordance ≥ baseline + 0.20",
        lambda o, b: o["race_concordance"] >= b["race_concordance"] + 0.2,
    ),
    ("tight", "fit_p10 ≥ baseline + 0.05", lambda o, b: o["fit_p10"] >= b["fit_p10"] + 0.05),
    *[(scenario, "dominated picks = 0", lambda o, b: o["dominated_picks"] == 0) for scenario in SCENARIOS],
    *[
        (scenario, "first language spoken ≥ 0.95", lambda o, b: o["first_language"] >= 0.95)
        for scenario in ("ample", "scarce")
    ],
    ("scarce", "scarce concordance ≥ 0.9 × achievable", lambda o, b: o["scarce_concordance"] >= 0.9),
    *[
        (
            "scarce",
            f"{group}: concordant ≥ 0.9 × achievable",
            lambda o, b, g=group: _group_ratio(o, g) >= 0.9,
        )
        for group in SCARCE_GROUPS
    ],
    (
        "scarce",
        "no team with two of a URiM identity while an asker has none",
        lambda o, b: o["hoarded_teams"] == 0,
    ),
]


def check_targets(results: dict[str, dict[str, Any]]) -> None:
    """The acceptance figures of issue 4, per seed, for the team and cohort methods."""
    print("\n### Targets of issues 4 and 13 (every seed)\n")
    print("| scenario | target | team | cohort |")
    print("|---|---|---|---|")
    for scenario, target, test in TARGETS:
        if scenario not in results:
            continue
        runs: dict[int, dict[str, Figures]] = results[scenario]["runs"]
        cells = []
        for method in ("team", "cohort"):
            ok = [bool(test(figures[method], figures["baseline"])) for figures in runs.values()]
            cells.append(f"{'yes' if all(ok) else 'NO'} ({sum(ok)}/{len(ok)})")
        print(f"| {scenario} | {target} | " + " | ".join(cells) + " |")


def run_sample(requests: int, seed: int = 1) -> dict[str, Any]:
    """``requests`` synthetic requests against the sample network of content/ (all methods)."""
    index = load_matchable(project_root() / "content").index()
    network = synthetic_network(200, requests, seed)
    results = evaluate(network.requests, index, vocabulary())
    print(f"\n### The sample network (content/, {index.size} mentors) × {requests} synthetic requests\n")
    names = [
        "team_filled",
        "needs_covered_full",
        "race_concordance",
        "dominated_picks",
        "first_language",
        "hoarded_teams",
        "urim_at_capacity",
        "seconds",
    ]
    print("| metric | " + " | ".join(METHODS) + " |")
    print("|---|" + "---:|" * len(METHODS))
    for name in names:
        digits = 0 if name in COUNTS else 2 if name == "seconds" else 3
        print(f"| {name} | " + " | ".join(cell(results[m][name], digits) for m in METHODS) + " |")
    return {"requests": requests, "seed": seed, "results": results}


def time_single(mentors: int, trials: int = 25) -> dict[str, float]:
    """Seconds to match one request against ``mentors`` (the index is built once, as a server would)."""
    config = matching_config()
    network = synthetic_network(mentors, trials, seed=11)
    started = time.perf_counter()
    index = mentor_index(network.mentors, config)
    built = time.perf_counter() - started
    times = []
    for request in network.requests.values():
        start = time.perf_counter()
        match_team(request, index, {}, vocabulary())
        times.append(time.perf_counter() - start)
    print(f"\n### One request against {mentors} mentors\n")
    print(
        f"index built once in {built:.2f} s; per request over {trials} requests: "
        f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms"
    )
    return {"mentors": mentors, "index_seconds": built, "median": statistics.median(times), "max": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentors", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--scenarios", nargs="+", default=SCENARIOS, choices=SCENARIOS)
    parser.add_argument(
        "--sample", type=int, default=60, help="synthetic requests against content/ (0: skip)"
    )
    parser.add_argument(
        "--single", type=int, default=50_000, help="mentors for the one-request timing (0: skip)"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args()
    results = {s: run_scenario(s, args.mentors, args.requests, args.seeds) for s in args.scenarios}
    for result in results.values():
        print_scenario(result)
    check_targets(results)
    sample = run_sample(args.sample) if args.sample else None
    single = time_single(args.single) if args.single else None
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"scenarios": results, "sample": sample, "single": single}, indent=1, default=str)
            + "\n"
        )


if __name__ == "__main__":
    main()

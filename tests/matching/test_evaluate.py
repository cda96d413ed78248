"""The evaluation harness: metrics on hand-made outcomes, the synthetic generator, the CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from click.testing import CliRunner, Result

from generator.cli import cli
from generator.content.vocabulary import vocabulary
from generator.demo.synthetic import (
    SCARCE_IDENTITIES,
    SCARCE_MENTORS,
    TIGHT_SLOTS_PER_DEMAND,
    synthetic_network,
)
from generator.matching.config import matching_config
from generator.matching.evaluate import (
    GROUP_COLUMNS,
    METHODS,
    METRIC_HELP,
    METRICS,
    Outcome,
    Results,
    achievable,
    baseline,
    cell,
    dominated,
    evaluate,
    evaluation_json,
    evaluation_text,
    gini,
    group_table,
    methods_named,
    metric_table,
    metrics,
)
from generator.matching.network import mentor_index
from generator.matching.scoring import request_profile, score
from tests.support.matching import config, index, mentor, request


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1, 1, 1, 1], 0.0), ([0, 0, 0, 4], 0.75), ([0, 0, 0, 0], 0.0), ([1, 3], 0.25), ([], 0.0)],
)
def test_gini(values: list[int], expected: float) -> None:
    assert gini(values) == pytest.approx(expected)


def test_metrics_of_a_hand_made_outcome() -> None:
    ms = [
        mentor("a-urim", areas=["research"], affinities=["black"], capacity=1),
        mentor("b-other", areas=["letters"], capacity=4),
        mentor("c-idle", capacity=4),
        mentor("d-closed", accepting=False, capacity=0),
    ]
    idx = index(*ms)
    reqs = {
        "r1": request(needs=["research", "letters"], affinities=["black"], team_size=2),
        "r2": request(needs=["research"], affinities=["lgbtq"], team_size=2),
    }
    cfg = config()
    r1, r2 = (request_profile(reqs[r], cfg) for r in ("r1", "r2"))
    a, b = idx.profiles[0], idx.profiles[1]
    teams = {"r1": [(a, score(r1, a, 0, cfg)), (b, score(r1, b, 0, cfg))], "r2": [(b, score(r2, b, 1, cfg))]}
    load = idx.load_array({"a-urim": 1, "b-other": 2})
    got = metrics(Outcome(teams, load, 0.5), reqs, idx)
    assert got["team_filled"] == 0.5
    assert got["needs_covered_full"] == 0.5  # r2's research is not covered
    assert got["concordance"] == 0.5  # r1 shares black; r2 asked lgbtq, nobody shares it
    assert got["race_concordance"] == 1.0  # only r1 asked a race
    assert got["mentors_at_capacity"] == pytest.approx(1 / 3)  # a-urim of the three open mentors
    assert got["urim_at_capacity"] == 1.0
    assert got["urim_utilisation_ratio"] == pytest.approx((1 / 1) / (2 / 8))
    assert got["top10_load_share"] == pytest.approx(2 / 3)  # the busiest one of three carries 2 of 3
    assert got["load_gini"] == pytest.approx(gini([1, 2, 0]))
    assert got["seconds"] == 0.5
    assert 0 < float(str(got["fit_p10"])) < float(str(got["fit_mean"])) < 1


def test_baseline_takes_top_scores_and_respects_capacity() -> None:
    ms = [
        mentor("a-best", areas=["research"], specialties=["pediatrics"], capacity=1),
        mentor("b-next", areas=["research"], capacity=5),
        mentor("c-last", capacity=5),
    ]
    reqs = {f"r{i}": request(needs=["research"], specialties=["pediatrics"], team_size=1) for i in range(3)}
    outcome = baseline(reqs, index(*ms), {})
    assert [[m.id for m, _ in outcome.teams[r]] for r in sorted(reqs)] == [["a-best"], ["b-next"], ["b-next"]]
    assert outcome.load.tolist() == [1, 2, 0]


def test_synthetic_network_is_deterministic_and_skewed() -> None:
    first = synthetic_network(600, 300, seed=4)
    again = synthetic_network(600, 300, seed=4)
    assert [m.model_dump() for m in first.mentors] == [m.model_dump() for m in again.mentors]
    assert first.requests == again.requests
    assert list(first.requests)[:2] == ["request-0001", "request-0002"]
    urim = matching_config().urim
    urim_mentors = np.mean([bool(urim & {*m.affinities, *m.private_affinities}) for m in first.mentors])
    urim_mentees = np.mean([bool(urim & set(r.affinities)) for r in first.requests.values()])
    assert 0.06 < urim_mentors < 0.16 < urim_mentees
    needs = [n for r in first.requests.values() for n in r.needs]
    popular = {"residency-application", "board-exams", "med-school-application"}
    assert sum(n in popular for n in needs) / len(needs) > 0.3
    assert all(len(r.needs) <= r.team_size + 1 for r in first.requests.values())


def test_tight_scenario_has_about_one_point_one_places_per_place_asked() -> None:
    net = synthetic_network(600, 300, seed=2, scenario="tight")
    places = sum(m.capacity for m in net.mentors if m.accepting)
    demand = sum(r.team_size for r in net.requests.values())
    assert places == round(TIGHT_SLOTS_PER_DEMAND * demand)
    with pytest.raises(ValueError, match="unknown scenario"):
        synthetic_network(10, 10, scenario="roomy")


@pytest.mark.slow
def test_our_methods_beat_the_baseline_on_a_small_network() -> None:
    net = synthetic_network(800, 300, seed=3)
    idx = mentor_index(net.mentors)
    results = evaluate(net.requests, idx, vocabulary(), groups=True)
    assert list(results) == list(METHODS)
    for name in METHODS:
        assert set(METRICS) <= set(results[name])
        assert results[name]["team_filled"] == 1.0
    base, team, cohort = (results[n] for n in METHODS)
    for ours in (team, cohort):
        assert float(str(ours["needs_covered_full"])) > float(str(base["needs_covered_full"])) + 0.1
        assert float(str(ours["fit_p10"])) > float(str(base["fit_p10"])) + 0.03
        assert float(str(ours["urim_at_capacity"])) < float(str(base["urim_at_capacity"])) - 0.3
        assert float(str(ours["top10_load_share"])) < float(str(base["top10_load_share"]))
    groups = cohort["by_group"]
    assert isinstance(groups, dict)
    assert groups["all"]["requests"] == 300
    assert math.isnan(groups["no race/ethnicity listed"]["race_concordance"])


# --------------------------------------------------------------------------- reports


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.12345, 3, "0.123"),
        (1.0, 3, "1.000"),
        (12.6, 0, "13"),
        (2.25, 1, "2.2"),
        (math.nan, 3, "—"),
        (None, 3, "—"),
    ],
)
def test_cell(value: object, digits: int, expected: str) -> None:
    assert cell(value, digits) == expected


def _figures(value: float, groups: dict[str, dict[str, float]] | None = None) -> dict[str, object]:
    out: dict[str, object] = {metric: value for metric in METRICS}
    if groups is not None:
        out["by_group"] = groups
    return out


def test_metric_table_lines_up_the_methods_one_metric_a_line() -> None:
    results: Results = {"baseline": _figures(0.5), "cohort": _figures(math.nan)}
    lines = metric_table(results).split("\n")
    assert lines[0] == f"{'metric':24}{'baseline':>10}{'cohort':>10}  meaning"
    assert len(lines) == 1 + len(METRICS)
    for line, metric in zip(lines[1:], METRICS, strict=True):
        assert line == f"{metric:24}{'0.500':>10}{'—':>10}  {METRIC_HELP[metric]}"


def test_group_table_has_whole_request_counts_and_a_dash_for_no_figure() -> None:
    figures = {column: 0.25 for column in GROUP_COLUMNS} | {"requests": 12.0, "race_concordance": math.nan}
    header, row = group_table({"  black": figures}).split("\n")
    assert header.split() == [
        "group",
        "requests",
        "team_filled",
        "needs_covere",
        "concordance",
        "race_concord",
        "fit_p10",
        "concordant",
        "achievable",
    ]
    shares = f"{'0.250':>13}{'0.250':>13}{'0.250':>13}{'—':>13}{'0.250':>13}"
    assert row == f"{'  black':34}{'12':>13}{shares}{'0':>13}{'0':>13}"


def test_evaluation_text_adds_the_group_tables_only_when_measured_by_group() -> None:
    plain: Results = {"team": _figures(1.0)}
    assert evaluation_text(plain) == metric_table(plain)
    groups = {"all": {column: 1.0 for column in GROUP_COLUMNS}}
    by_group: Results = {"team": _figures(1.0, groups), "cohort": _figures(0.0, groups)}
    text = evaluation_text(by_group)
    table = group_table(groups)
    assert (
        text
        == f"{metric_table(by_group)}\n\nteam by identity group\n{table}\n\ncohort by identity group\n{table}"
    )


def test_evaluation_json_writes_nan_as_null_at_every_depth() -> None:
    results: Results = {
        "team": {"fit_p10": math.nan, "seconds": 0.5, "by_group": {"all": {"concordance": math.nan}}}
    }
    assert json.loads(evaluation_json(results)) == {
        "team": {"fit_p10": None, "seconds": 0.5, "by_group": {"all": {"concordance": None}}}
    }
    assert "NaN" not in evaluation_json(results)


def test_methods_named_keeps_the_order_given_and_refuses_unknown_names() -> None:
    assert methods_named(["cohort", "baseline"]) == ("cohort", "baseline")
    assert methods_named([]) == ()
    with pytest.raises(ValueError, match=r"unknown method.*greedy"):
        methods_named(["team", "greedy"])


# --------------------------------------------------------------------------- CLI


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, ["evaluate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.slow
def test_evaluate_json_names_the_metrics() -> None:
    result = run("--mentors", "200", "--requests", "60", "--seed", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert list(out) == ["baseline", "team", "cohort"]
    for figures in out.values():
        assert set(METRICS) <= set(figures)


def test_evaluate_text_with_groups_on_real_files(base_content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "requests"
    folder.mkdir()
    (folder / "one.yml").write_text(
        yaml.safe_dump({"needs": ["wellness"], "affinities": ["hispanic-latino"]})
    )
    result = run("--content", str(base_content), "--requests", str(folder), "--method", "team", "--groups")
    assert result.exit_code == 0, result.output
    assert "race_concordance" in result.stdout
    assert "team by identity group" in result.stdout
    assert "URiM race/ethnicity" in result.stdout


def test_evaluate_text_is_the_library_report(base_content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "requests"
    folder.mkdir()
    (folder / "one.yml").write_text(yaml.safe_dump({"needs": ["wellness"], "affinities": ["black"]}))
    result = run(
        "--content", str(base_content), "--requests", str(folder), "--method", "baseline", "--groups"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{'metric':24}{'baseline':>10}  meaning"
    assert lines[1 + len(METRICS)] == ""
    assert lines[2 + len(METRICS)] == "baseline by identity group"


def test_evaluate_needs_a_number_of_requests_without_content() -> None:
    result = run("--requests", "some-folder")
    assert result.exit_code == 2
    assert "--requests" in result.output


# --------------------------------------------------------------------------- issue 13 figures


def test_dominated_counts_members_another_free_mentor_beats() -> None:
    ms = [
        mentor("a-research", areas=["research"], program="p-a"),
        mentor("b-both", areas=["research", "letters"], program="p-b"),
        mentor("c-letters", areas=["letters"], program="p-c"),
    ]
    idx = index(*ms)
    req = request_profile(request(needs=["research", "letters"], team_size=1), config())
    free = idx.eligibility(req, idx.load_array({})).mask
    assert dominated(req, idx, [0], free) == [0]  # b-both brings research and letters
    assert dominated(req, idx, [1], free) == []
    # in a team with c-letters, a-research brings what b-both would: not beaten
    assert dominated(req, idx, [0, 2], free) == []
    # nor when b-both has no place free
    full = idx.eligibility(req, idx.load_array({"b-both": 3})).mask
    assert dominated(req, idx, [0], full) == []


def test_achievable_is_one_concordant_mentor_per_asker_while_places_last() -> None:
    aian = "american-indian-alaska-native"
    ms = [
        mentor("a-aian", affinities=[aian], capacity=2, program="p-a"),
        mentor("b-aian", affinities=[aian], capacity=1, meeting=["in-person"], program="p-b"),
        mentor("c-plain", capacity=6, program="p-c"),
    ]
    idx = index(*ms)
    reqs = {f"r{i}": request(affinities=[aian], team_size=1) for i in range(4)}
    reqs["r4"] = request(affinities=[aian], meeting=["virtual"], must=["meeting"], team_size=1)
    profiles = {rid: request_profile(r, config()) for rid, r in reqs.items()}
    most = achievable(profiles, idx, idx.load_array({}), [aian])[aian]
    assert most.askers == ("r0", "r1", "r2", "r3", "r4")
    assert most.most == 3  # three places in all; r4 can only have a-aian
    assert achievable(profiles, idx, idx.load_array({"a-aian": 2}), [aian])[aian].most == 1


def test_scarce_identities_concordance_and_hoarding() -> None:
    aian = "american-indian-alaska-native"
    ms = [
        mentor("a-aian", affinities=[aian], capacity=1, program="p-a"),
        mentor("b-aian", affinities=[aian], capacity=1, program="p-b"),
        mentor("c-plain", capacity=6, program="p-c"),
    ]
    idx = index(*ms)
    reqs = {f"r{i}": request(affinities=[aian], team_size=2) for i in range(3)}
    a, b, c = idx.profiles
    cfg = config()

    def outcome(teams: dict[str, list[Any]]) -> dict[str, object]:
        scored = {
            rid: [(m, score(request_profile(reqs[rid], cfg), m, 0, cfg)) for m in team]
            for rid, team in teams.items()
        }
        load = idx.load_array({m.id: sum(m in t for t in teams.values()) for m in (a, b, c)})
        return metrics(Outcome(scored, load, 0.0), reqs, idx)

    # three askers, two places: the most achievable is 2
    hoarding = outcome({"r0": [a, b], "r1": [c], "r2": [c]})
    assert hoarding["scarce_concordance"] == 0.5
    assert hoarding["hoarded_teams"] == 1.0
    shared = outcome({"r0": [a, c], "r1": [b, c], "r2": [c]})
    assert shared["scarce_concordance"] == 1.0
    assert shared["hoarded_teams"] == 0.0


def test_first_language_counts_requests_a_free_speaker_could_serve() -> None:
    ms = [
        mentor("a-spanish", areas=["research"], languages=["es"], capacity=1, program="p-a"),
        mentor("b-english", areas=["research"], capacity=6, program="p-b"),
    ]
    idx = index(*ms)
    reqs = {f"r{i}": request(needs=["research"], languages=["es", "en"], team_size=1) for i in range(2)}
    cfg = config()
    a, b = idx.profiles
    teams = {
        "r0": [(b, score(request_profile(reqs["r0"], cfg), b, 0, cfg))],
        "r1": [(a, score(request_profile(reqs["r1"], cfg), a, 0, cfg))],
    }
    got = metrics(Outcome(teams, idx.load_array({"a-spanish": 1, "b-english": 1}), 0.0), reqs, idx)
    # r0 could have had a-spanish (free at its turn) and did not; r1 got her
    assert got["first_language"] == 0.5
    assert got["dominated_picks"] == 1.0  # a-spanish brings research and Spanish


def test_scarce_scenario_keeps_a_handful_of_mentors_with_few_places() -> None:
    net = synthetic_network(1000, 400, seed=2, scenario="scarce")
    ample = synthetic_network(1000, 400, seed=2)
    for identity in SCARCE_IDENTITIES:
        holders = [m for m in net.mentors if identity in {*m.affinities, *m.private_affinities}]
        assert len(holders) == min(SCARCE_MENTORS, 1000 // 50)
        assert all(1 <= m.capacity <= 3 and m.accepting for m in holders)
    asked = [r for r in net.requests.values() if set(r.affinities) & set(SCARCE_IDENTITIES)]
    assert asked and any("affinities" in r.must for r in asked)
    # the requests are those of ample but for the musts
    assert [r.needs for r in net.requests.values()] == [r.needs for r in ample.requests.values()]

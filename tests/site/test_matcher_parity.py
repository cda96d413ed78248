"""The site's JavaScript matcher gives the Python engine's teams (issue 6).

Python writes request/network/expected-team cases (``matcher_cases.py``); Node runs
``theme/static/js/matcher.js`` on each (``matcher_parity.js``) and requires the same team,
the same order, scores within 1e-9, the same covers, reasons and explanation.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.matching.config import matching_config
from generator.site.match_pack import pack_match_mentors
from generator.site.match_payload import MATCHING_FILE, matching_payload
from tests.support.matcher_cases import build_cases, build_large_cases
from tests.support.paths import ROOT

NODE = shutil.which("node")
MATCHER_JS = ROOT / "theme" / "static" / "js" / "matcher.js"
MATCH_DATA_JS = ROOT / "theme" / "static" / "js" / "match-data.js"
PARITY_SCRIPT = Path(__file__).with_name("matcher_parity.js")


@pytest.fixture(scope="module")
def cases() -> dict[str, Any]:
    return build_cases(240)


def _node(cases_file: Path, *more: Path) -> tuple[int, dict[str, Any]]:
    assert NODE, "node is required (Node 20): it runs matcher.js for the parity test"
    done = subprocess.run(
        [NODE, str(PARITY_SCRIPT), str(MATCHER_JS), str(cases_file), *map(str, more)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout, done.stderr
    summary: dict[str, Any] = json.loads(done.stdout)
    return done.returncode, summary


def test_the_cases_cover_the_edge_cases(cases: dict[str, Any]) -> None:
    all_cases = cases["cases"]
    assert len(all_cases) >= 200
    teams = [c["expected"]["members"] for c in all_cases]
    assert any(c["network"] == "empty" for c in all_cases)
    emptied = [
        c
        for c in all_cases
        if c["request"]["must"] and c["network"] != "empty" and not c["expected"]["members"]
    ]
    assert any("emptied the pool" in c["expected"]["explanation"] for c in emptied)
    assert {c["request"]["team_size"] for c in all_cases} == {1, 2, 3, 4, 5}
    assert any(c["request"]["mentors"] and c["network"] != "empty" for c in all_cases)
    tied = [t for t in teams if len({m["total"] for m in t}) < len(t)]
    assert len(tied) >= 10, "ties (broken by mentor id) must be exercised"
    assert any(c["load"] for c in all_cases)
    assert any(c["request"]["state"] for c in all_cases)
    zones = cases["config"]["timezone_utc_offset"]
    assert zones["Asia/Kolkata"] == 5.5
    # issue 13: a must on affinities met by one member, the dominance repair, identities and
    # the first language covered or missing (with why), profession and ranked languages
    members = [m for t in teams for m in t]
    assert any(
        "affinities" in c["request"]["must"]
        and any(not set(m["identities"]) for m in c["expected"]["members"])
        for c in all_cases
    )
    assert sum(c["repaired"] for c in all_cases) >= 1
    assert sum(bool(m["identities"]) for m in members) >= 20
    assert sum(bool(m["language"]) for m in members) >= 10
    assert any(0 < m["parts"]["language"] < 1 for m in members)
    assert any(m["parts"]["profession"] for m in members)
    explanations = " ".join(c["expected"]["explanation"] for c in all_cases)
    for why in ("no mentor in the directory does", "no mentor who does", "each member of the team brings"):
        assert why in explanations
    assert "Nobody in the team speaks" in explanations


def test_matcher_js_gives_the_python_teams(cases: dict[str, Any], tmp_path: Path) -> None:
    cases_file = tmp_path / "cases.json"
    cases_file.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    code, summary = _node(cases_file)
    assert summary["cases"] == len(cases["cases"])
    assert code == 0, "\n".join(summary["problems"])
    assert summary["differences"] == 0
    assert summary["members"] > 300


def test_the_packed_payload_gives_the_same_teams(cases: dict[str, Any], tmp_path: Path) -> None:
    """Issue 19: each network packed as the site packs match/mentors.json, decoded by the page's
    match-data.js, gives the Python engine's teams: the loader changed, not the matching. The
    page matches with mentors numbered by rank (no ids before a team is shown) unless the
    request names mentors; both ways are compared."""
    packed = dict(cases)
    packed["networks"] = {}
    for name, mentors in cases["networks"].items():
        payload = {"version": 1, "vocabulary": cases["labels"], "mentors": mentors}
        files = pack_match_mentors(payload)
        packed["networks"][name] = {"main": files.main, "names": files.names}
        main = json.dumps(files.main, ensure_ascii=False)
        assert not any(m["name"] in main or f'"{m["id"]}"' in main for m in mentors)
    cases_file = tmp_path / "packed.json"
    cases_file.write_text(json.dumps(packed, ensure_ascii=False), encoding="utf-8")
    code, summary = _node(cases_file, MATCH_DATA_JS)
    assert summary["cases"] == len(cases["cases"])
    assert code == 0, "\n".join(summary["problems"])
    assert summary["differences"] == 0
    assert summary["members"] > 300
    assert summary["ranked"] >= len(cases["cases"]) // 3, "most cases match by rank, as the page does"


def _packed(cases: dict[str, Any]) -> dict[str, Any]:
    """The cases with each network as the site writes it: match/mentors.json and names files."""
    packed = dict(cases)
    packed["networks"] = {}
    for name, mentors in cases["networks"].items():
        files = pack_match_mentors({"version": 1, "vocabulary": cases["labels"], "mentors": mentors})
        packed["networks"][name] = {"main": files.main, "names": files.names}
    return packed


@pytest.mark.slow
def test_the_same_teams_at_10000_mentors(tmp_path: Path) -> None:
    """Issue 19: on a network of 10,000 mentors, packed and decoded as the page does, matcher.js
    gives the Python engine's teams (members, order, scores, covers, reasons, explanation)."""
    cases = build_large_cases(10_000, 40)
    assert len(cases["networks"]["large"]) >= 10_000
    # counts are printed as the directory prints them ("chosen from 8,334"), on both sides
    assert any(re.search(r"\b\d{1,3},\d{3}\b", c["expected"]["explanation"]) for c in cases["cases"])
    cases_file = tmp_path / "large.json"
    cases_file.write_text(json.dumps(_packed(cases), ensure_ascii=False), encoding="utf-8")
    code, summary = _node(cases_file, MATCH_DATA_JS)
    assert summary["cases"] == 40
    assert code == 0, "\n".join(summary["problems"])
    assert summary["differences"] == 0
    assert summary["ranked"] >= 20 and summary["members"] >= 80


def test_a_wrong_port_is_caught(cases: dict[str, Any], tmp_path: Path) -> None:
    """The comparison is not vacuous: a changed weight makes Node report differences."""
    changed = dict(cases)
    changed["config"] = json.loads(json.dumps(cases["config"]))
    changed["config"]["weights"]["meeting"] = 0.75
    cases_file = tmp_path / "changed.json"
    cases_file.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    code, summary = _node(cases_file)
    assert code == 1 and summary["differences"] > 0


def test_the_site_publishes_the_weights_of_matching_yml(built_site: Path) -> None:
    published = json.loads((built_site / MATCHING_FILE).read_text(encoding="utf-8"))
    directory = json.loads((built_site / "directory.json").read_text(encoding="utf-8"))
    expected = matching_payload(matching_config(), [m.get("timezone") for m in directory["mentors"]])
    assert published == expected
    assert "mentors" not in published

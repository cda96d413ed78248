"""A stale profile gets no new match: `mentormemed match` and the matching layer."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.content.models import Request
from generator.content.vocabulary import vocabulary
from generator.matching.network import load_matchable
from generator.matching.team import match_team


def _content(base_content: Path) -> Path:
    """ana-example (confirmed 2025-09-01) and bo-fresh (confirmed 2026-06-01), both able to help."""
    bo = yaml.safe_load((base_content / "mentors/lakeshore-som/ana-example.yml").read_text())
    bo.update({"id": "bo-fresh", "name": "Bo Fresh, MD", "last_confirmed": "2026-06-01", "contact": None})
    (base_content / "mentors/lakeshore-som/bo-fresh.yml").write_text(yaml.safe_dump(bo))
    return base_content


def test_the_index_leaves_out_profiles_stale_on_its_date(base_content: Path) -> None:
    content = _content(base_content)
    before = load_matchable(content, as_of=dt.date(2026, 8, 31))
    after = load_matchable(content, as_of=dt.date(2026, 9, 1))
    assert {p.id for p in before.index().profiles} == {"ana-example", "bo-fresh"}
    assert after.stale == {"ana-example"}
    assert {p.id for p in after.index().profiles} == {"bo-fresh"}
    assert "ana-example" in after.network.mentors  # still known: a current load names them
    request = Request.model_validate(
        {"needs": ["residency-application"], "mentors": ["ana-example"], "team_size": 2}
    )
    team = match_team(request, after.index(), {}, vocabulary())
    assert [m.mentor.id for m in team.members] == ["bo-fresh"]


@pytest.mark.parametrize(
    ("today", "expected"), [("2026-08-31", {"ana-example", "bo-fresh"}), ("2026-09-01", {"bo-fresh"})]
)
def test_match_suggests_no_stale_mentor(
    base_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: str, expected: set[str]
) -> None:
    content = _content(base_content)
    request = tmp_path / "request.json"
    request.write_text(
        json.dumps({"needs": ["residency-application"], "mentors": ["ana-example"], "team_size": 2})
    )
    monkeypatch.setenv("MENTORMEMED_TODAY", today)
    result = CliRunner().invoke(
        cli, ["match", "--request", str(request), "--content", str(content), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert {m["mentor"] for m in json.loads(result.output)["team"]} == expected

"""Profile freshness: when a profile is due and stale, and validation's warnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.content.freshness import FreshnessPolicy, add_months, freshness_warnings, month_label
from generator.content.validation import load_network
from generator.core.clock import ClockError, today

D = dt.date.fromisoformat


def test_months_are_calendar_months() -> None:
    assert add_months(D("2025-01-31"), 1) == D("2025-02-28")
    assert add_months(D("2024-02-29"), 12) == D("2025-02-28")
    assert add_months(D("2025-09-01"), 12) == D("2026-09-01")
    assert add_months(D("2025-12-15"), 1) == D("2026-01-15")
    assert month_label(D("2025-09-27")) == "September 2025"


def test_a_profile_is_due_at_11_months_and_stale_at_12_by_default() -> None:
    policy = FreshnessPolicy()
    confirmed = D("2025-09-01")
    assert not policy.is_due(confirmed, D("2026-07-31"))
    assert policy.is_due(confirmed, D("2026-08-01")) and not policy.is_stale(confirmed, D("2026-08-31"))
    assert policy.is_stale(confirmed, D("2026-09-01"))
    assert FreshnessPolicy(6).is_stale(confirmed, D("2026-03-01"))


def test_the_clock_can_be_pinned_and_refuses_a_bad_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORMEMED_TODAY", "2026-09-02")
    assert today() == D("2026-09-02")
    monkeypatch.setenv("MENTORMEMED_TODAY", "next tuesday")
    with pytest.raises(ClockError, match="YYYY-MM-DD"):
        today()


def test_warnings_name_the_file_the_line_and_the_fix(base_content: Path) -> None:
    network = load_network(base_content)
    assert freshness_warnings(base_content, network.mentors, D("2026-07-31"), FreshnessPolicy()) == []
    (due,) = freshness_warnings(base_content, network.mentors, D("2026-08-02"), FreshnessPolicy())
    assert due.path.endswith("mentors/lakeshore-som/ana-example.yml") and due.code == "profile-due"
    lines = (base_content / "mentors/lakeshore-som/ana-example.yml").read_text().splitlines()
    assert lines[due.line - 1].startswith("last_confirmed:")
    assert "turns stale on 2026-09-01" in due.message and "set last_confirmed" in due.message
    (stale,) = freshness_warnings(base_content, network.mentors, D("2026-09-01"), FreshnessPolicy())
    assert stale.code == "profile-stale" and "left out of new matches" in stale.message


def test_validate_warns_at_11_months_without_failing(
    base_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTORMEMED_TODAY", "2026-08-15")
    result = CliRunner().invoke(cli, ["validate", "--content", str(base_content)])
    assert result.exit_code == 0, result.output
    assert "warning[profile-due]" in result.stderr and "ana-example.yml:" in result.stderr
    github = CliRunner().invoke(cli, ["validate", "--content", str(base_content), "--format", "github"])
    assert github.exit_code == 0 and "::warning file=" in github.stderr
    monkeypatch.setenv("MENTORMEMED_TODAY", "2026-07-15")
    quiet = CliRunner().invoke(cli, ["validate", "--content", str(base_content)])
    assert quiet.exit_code == 0 and "warning" not in quiet.stderr


def test_the_age_is_set_in_network_yml(base_content: Path) -> None:
    network_file = base_content / "network.yml"
    network_file.write_text(network_file.read_text() + "stale_after_months: 6\n")
    network = load_network(base_content)
    assert network.network is not None and network.network.stale_after_months == 6
    network_file.write_text(
        network_file.read_text().replace("stale_after_months: 6", "stale_after_months: 1")
    )
    with pytest.raises(Exception, match="stale_after_months"):
        load_network(base_content)

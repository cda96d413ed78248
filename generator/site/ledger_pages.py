"""The pages and downloads built from the request ledger and the stale markers.

Made in the plugin's ``generate_context`` while the validated mentors are still at hand (the
export does not carry ``recognition`` or ``private_affinities``): the outcomes page, the
network's and each program's report, and a record page per year for each mentor with
``recognition: public``. Only what the templates and downloads need is kept: figures with
small cells already suppressed, records of public mentors only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.content.freshness import FreshnessPolicy, month_label
from generator.content.models import Mentor, Program
from generator.content.vocabulary import Vocabulary
from generator.matching.config import matching_config
from generator.reports.cells import show
from generator.reports.institution import CSV_HEADER, NETWORK, Report, institution_reports
from generator.reports.outcomes import COLUMNS, MEDIAN_COLUMN, Outcomes, outcomes
from generator.reports.recognition import RecognitionRecord, mentor_years, recognition_record, record_path
from generator.reports.svg import Bar, bar_chart
from generator.requests.ledger import Ledger

OUTCOMES_JSON = "outcomes/outcomes.json"
OUTCOMES_CSV = "outcomes/outcomes.csv"


def report_file(scope: str) -> str:
    """A report's downloads without the suffix: ``reports/<program>``, or ``reports/_network``
    for the network (a program id has no underscore, so the two never clash)."""
    return "reports/_network" if scope == NETWORK else f"reports/{scope}"


def stale_markers(mentors: Mapping[str, Mentor], as_of: dt.date, policy: FreshnessPolicy) -> dict[str, str]:
    """Mentor id → "September 2025" for every stale profile on ``as_of``."""
    return {
        m.id: month_label(m.last_confirmed)
        for m in mentors.values()
        if policy.is_stale(m.last_confirmed, as_of)
    }


@dataclass(frozen=True)
class RecordLink:
    """A year of a public mentor's record, as the mentor page lists it."""

    year: str
    path: str
    mentees: int
    months_active: int


@dataclass
class LedgerPages:
    """Everything the site publishes from one ledger."""

    outcomes: Outcomes
    network: Report
    programs: list[Report]
    records: list[RecognitionRecord] = field(default_factory=list)

    def record_links(self) -> dict[str, list[RecordLink]]:
        links: dict[str, list[RecordLink]] = {}
        for record in self.records:
            links.setdefault(record.mentor_id, []).append(
                RecordLink(
                    record.year.label,
                    record_path(record.mentor_id, record.year),
                    record.mentees,
                    int(record.content["months_active"]),
                )
            )
        return links

    def paths(self) -> list[str]:
        """The pages' paths, for the sitemap."""
        return [
            "outcomes/",
            "reports/",
            *[f"reports/{r.scope}/" for r in self.programs],
            *[record_path(r.mentor_id, r.year) for r in self.records],
        ]


def ledger_pages(
    ledger: Ledger,
    programs: Mapping[str, Program],
    mentors: Mapping[str, Mentor],
    vocab: Vocabulary,
    *,
    as_of: dt.date,
    policy: FreshnessPolicy,
    site_url: str,
) -> LedgerPages:
    network, per_program = institution_reports(
        ledger, programs, mentors, vocab, matching_config().urim, as_of, policy
    )
    records = [
        recognition_record(ledger, mentor, programs.get(mentor.program), year, vocab, site_url)
        for mentor in sorted(mentors.values(), key=lambda m: m.id)
        if mentor.recognition == "public"
        for year in mentor_years(ledger, mentor.id)
    ]
    return LedgerPages(outcomes(ledger, vocab), network, per_program, records)


# --------------------------------------------------------------------------- charts


def outcomes_chart(data: Outcomes) -> Markup:
    """The path of all requests: requests → suggested → accepted → met → ended."""
    row = data.tables[0].rows[0]
    bars = [Bar(COLUMNS[c], row.cells[c]) for c in ("requests", "suggested", "accepted", "met", "ended")]
    return bar_chart("What became of the requests", bars, chart_id="chart-outcomes")


def stage_chart(data: Outcomes) -> Markup:
    table = next(t for t in data.tables if t.key == "stage")
    bars = [Bar(r.label, r.cells["requests"]) for r in table.rows]
    return bar_chart("Requests by the mentee's stage", bars, chart_id="chart-stages")


def _percent(value: float | None) -> str:
    return "not published" if value is None else f"{value * 100:.0f}%"


def indicator_chart(report: Report, network: Report, index: int = 0) -> Markup | None:
    """URiM mentors' share of the pool and of the load, this scope beside the network."""
    if not report.years:
        return None
    mine, whole = report.years[index], network.years[index]
    bars = [
        Bar("Share of the mentors", mine.urim_pool_share, _percent(mine.urim_pool_share)),
        Bar("Share of the mentoring load", mine.urim_load_share, _percent(mine.urim_load_share)),
    ]
    if report.scope != NETWORK:
        bars += [
            Bar(
                "Network: share of the mentors", whole.urim_pool_share, _percent(whole.urim_pool_share), True
            ),
            Bar("Network: share of the load", whole.urim_load_share, _percent(whole.urim_load_share), True),
        ]
    return bar_chart(
        f"URiM mentors' share of the mentors and of the load, {mine.year.label}",
        bars,
        maximum=1.0,
        chart_id=f"chart-indicator-{report.scope}",
    )


# --------------------------------------------------------------------------- downloads


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def outcomes_csv(data: Outcomes) -> str:
    rows = [["table", "key", "label", *COLUMNS, MEDIAN_COLUMN]]
    for table in data.tables:
        for row in table.rows:
            cells = ["" if row.cells[c] is None else str(row.cells[c]) for c in COLUMNS]
            median = "" if row.median_days is None else f"{row.median_days:g}"
            rows.append([table.key, row.key, row.label, *cells, median])
    return _csv(rows)


def report_csv(report: Report) -> str:
    return _csv([CSV_HEADER, *report.csv_rows()])


def _json(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def write_ledger_files(output: Path, pages: LedgerPages) -> None:
    """The downloads: the outcomes, each report as JSON and CSV, each public record's JSON."""
    files: dict[str, str | bytes] = {
        OUTCOMES_JSON: _json(pages.outcomes.as_dict()),
        OUTCOMES_CSV: outcomes_csv(pages.outcomes),
    }
    for report in [pages.network, *pages.programs]:
        files[report_file(report.scope) + ".json"] = _json(report.as_dict())
        files[report_file(report.scope) + ".csv"] = report_csv(report)
    for record in pages.records:
        files[record_path(record.mentor_id, record.year).rstrip("/") + ".json"] = record.json_bytes
    for name, data in files.items():
        path = output / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


__all__ = ["LedgerPages", "ledger_pages", "show", "stale_markers", "write_ledger_files"]

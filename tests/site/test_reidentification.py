"""A ledger built to re-identify one mentee if suppression failed: the only premed mentee, the
only one to ask for a mentor of their faith, the only one to ask for MD-PhD advice, filed on
their behalf by a coordinator, who thanked their (private) mentor in words no one else used.
Nothing of that request may be traceable in any page or download of a real build."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from generator.requests.ledger import RequestRecord, Thanks, dump_ledger
from generator.site.build import build
from tests.support.ledgers import D, accepted, ledger, request
from tests.support.paths import ROOT
from tests.support.site import REPOSITORY_URL, SITE_URL

NOTE = "Thank you for the Sabbath-friendly meeting times, Dr. Sample."
#: a mentor of content/ with private recognition, and one with public recognition
PRIVATE_MENTOR = "andres-fuentes-ibarra"
PUBLIC_MENTOR = "rafael-dominguez"


def crowd(count: int) -> list[RequestRecord]:
    mentors = ["gurleen-kaur-bains", "jae-won-park", PUBLIC_MENTOR]
    return [
        request(
            n,
            "2025-09-01",
            [accepted(mentors[n % 3], "2025-09-03")],
            stage="ms2",
            identity_groups=["race-ethnicity"],
        )
        for n in range(1, count + 1)
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reidentify")
    unique = request(
        999,
        "2025-10-01",
        [
            accepted(
                PRIVATE_MENTOR,
                "2025-10-02",
                ended="2026-01-05",
                covers=["md-phd"],
                thanks=[Thanks(on=D("2026-01-05"), text=NOTE)],
            )
        ],
        stage="premed",
        needs=["md-phd"],
        identity_groups=["faith"],
        on_behalf=True,
        closed_on=D("2026-01-05"),
        phase="closed",
    )
    path = folder / "ledger.json"
    dump_ledger(ledger([*crowd(40), unique], generated="2026-02-01"), path)
    output = folder / "output"
    build(ROOT / "content", output, site_url=SITE_URL, repository_url=REPOSITORY_URL, ledger=path)
    return output


def _texts(site: Path) -> dict[Path, str]:
    return {
        p: p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".json", ".csv", ".xml", ".js"}
    }


def test_the_unique_requests_note_and_mentor_appear_nowhere(site: Path) -> None:
    texts = _texts(site)
    assert not [p for p, t in texts.items() if "Sabbath" in t]
    assert not (site / "mentors" / PRIVATE_MENTOR / "record").exists()
    # the control: the public mentor's record is there (so the build did make records)
    assert (site / "mentors" / PUBLIC_MENTOR / "record" / "2025-26" / "index.html").is_file()


def test_every_figure_of_the_unique_request_is_suppressed(site: Path) -> None:
    outcomes = json.loads((site / "outcomes/outcomes.json").read_text())
    tables = {t["key"]: {r["key"]: r for r in t["rows"]} for t in outcomes["tables"]}
    assert tables["all"]["all"]["requests"] == 41
    for table, key in (("stage", "premed"), ("need", "md-phd"), ("identity-group", "faith")):
        row = tables[table][key]
        assert all(row[c] is None for c in ("requests", "suggested", "accepted", "met", "ended", "thanks")), (
            row
        )
        assert row["days_to_first_accept"] is None
    # the premed row cannot be had by subtraction: another stage row is hidden with it
    stage_rows = tables["stage"]
    for column in ("requests", "accepted"):
        hidden = [k for k, r in stage_rows.items() if r[column] is None]
        assert len(hidden) >= 2, (column, hidden)
    for row in csv.DictReader((site / "outcomes/outcomes.csv").open(encoding="utf-8")):
        if row["key"] in {"premed", "md-phd", "faith"}:
            assert all(
                row[c] == ""
                for c in ("requests", "accepted", "met", "ended", "thanks", "days_to_first_accept")
            ), row
    html = (site / "outcomes/index.html").read_text(encoding="utf-8")
    premed = html[html.index("Premed / post-bacc</th>") :].split("</tr>", 1)[0]
    assert premed.count("fewer than 11") == 6


def test_the_private_mentors_program_report_does_not_give_the_pair_away(site: Path) -> None:
    report = json.loads((site / "reports/harborlight-som.json").read_text())
    year = report["years"][0]
    stages, needs = year["requests_served_by_stage"], year["requests_served_by_need"]
    assert "premed" in stages and stages["premed"] is None
    assert "md-phd" in needs and needs["md-phd"] is None
    # the one ms2 row left would be the total minus premed: it is hidden with it
    assert stages == {"ms2": None, "premed": None}
    # the program's total load is many mentors' (28 pairs, all with private records): shown
    assert year["mentees_mentored"] == 28

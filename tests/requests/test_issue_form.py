"""The request issue form (generator.requests.issue_form) and its generated files."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.content.models import Request
from generator.content.vocabulary import Term, Vocabulary, vocabulary
from generator.core.defaults import DEFAULT_REPOSITORY_URL, DEFAULT_SITE_URL
from generator.profiles.forms import FORM_FILES as PROFILE_FORM_FILES
from generator.requests.issue_form import (
    COMMON_LANGUAGES,
    MAIN_NEED_ID,
    MAX_NEEDS,
    ON_BEHALF_ID,
    ON_BEHALF_LABEL,
    ON_BEHALF_PROGRAM_ID,
    OTHER_LANGUAGES_ID,
    REQUEST_FORM,
    REQUEST_LABEL,
    Filing,
    IssueFormConfigError,
    config_document,
    field_labels,
    form_document,
    form_fields,
    form_url,
    render_files,
    render_issue_body,
    request_url,
    stale_files,
)
from generator.requests.issue_parser import IssueFormError, parse_issue_body, parse_request_issue
from tests.support.paths import ROOT

TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"
FORM_FILE = TEMPLATES / REQUEST_FORM


def _form() -> dict[str, object]:
    data = yaml.safe_load(FORM_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _inputs() -> list[dict[str, object]]:
    body = _form()["body"]
    assert isinstance(body, list)
    return [item for item in body if item["type"] != "markdown"]


def test_committed_files_are_up_to_date() -> None:
    assert stale_files(TEMPLATES) == [], "run `mentormemed issue-form --write` and commit the files"


def test_field_ids_are_the_request_fields() -> None:
    ids = [item["id"] for item in _inputs()]
    assert set(ids) == {
        *Request.model_fields,
        OTHER_LANGUAGES_ID,
        MAIN_NEED_ID,
        ON_BEHALF_ID,
        ON_BEHALF_PROGRAM_ID,
    }
    assert len(ids) == len(set(ids))


def test_the_filing_section_is_last_optional_and_says_no_mentee_is_named() -> None:
    body = _form()["body"]
    assert isinstance(body, list)
    ids = [item.get("id") for item in body]
    assert ids[-2:] == [ON_BEHALF_ID, ON_BEHALF_PROGRAM_ID]
    intro = body[-3]
    assert intro["type"] == "markdown"
    assert "carries no mentee name or handle" in intro["attributes"]["value"]
    box = body[-2]
    assert box["type"] == "checkboxes"
    assert box["attributes"]["options"] == [{"label": ON_BEHALF_LABEL}]
    assert "validations" not in box and "validations" not in body[-1]


@pytest.mark.parametrize(
    "filing", [Filing(), Filing(on_behalf=True), Filing(on_behalf=True, program="lakeshore-som")]
)
def test_the_filing_round_trips_through_the_issue_body(filing: Filing) -> None:
    request = Request(needs=["research"], team_size=2)
    text = render_issue_body(request, filing=filing)
    assert f"- [{'X' if filing.on_behalf else ' '}] {ON_BEHALF_LABEL}" in text
    assert parse_request_issue(text) == (request, filing)
    assert parse_issue_body(text) == request


def test_an_issue_filed_before_the_filing_section_is_filed_by_its_author() -> None:
    request = Request(needs=["research"], team_size=2)
    text = render_issue_body(request).split("\n\n### Filing for a mentee")[0]
    assert parse_request_issue(text) == (request, Filing())


@pytest.mark.parametrize(
    ("program", "code"),
    [("Lakeshore-SOM", "bad-program-id"), ("@mallory <b>x</b>", "bad-program-id"), ("lakeshore-som", None)],
)
def test_the_program_answer_is_an_id_and_needs_the_box(program: str, code: str | None) -> None:
    text = render_issue_body(Request(needs=["research"]), filing=Filing(on_behalf=False))
    text = text.replace("### Your program\n\n_No response_", f"### Your program\n\n{program}")
    with pytest.raises(IssueFormError) as caught:
        parse_request_issue(text)
    codes = [p.code for p in caught.value.problems]
    assert codes == [code or "program-without-filing"]
    assert "<b>" not in str(caught.value) and "mallory" not in str(caught.value)


def test_dropdowns_use_the_vocabulary_labels() -> None:
    vocab = vocabulary()
    kinds = {
        "needs": "areas",
        "specialties": "specialties",
        "affinities": "affinities",
        "meeting": "meeting",
        "profession": "professions",
        "stage": "stages",
        "state": "states",
    }
    items = {item["id"]: item for item in _inputs()}
    for field_id, kind in kinds.items():
        attributes = items[field_id]["attributes"]
        assert isinstance(attributes, dict)
        assert attributes["options"] == [t.label for t in vocab.terms[kind].values() if not t.deprecated]
        assert attributes["multiple"] is (field_id not in {"profession", "stage", "state"})
    languages = items["languages"]["attributes"]
    assert isinstance(languages, dict)
    assert sorted(languages["options"]) == sorted(vocab.label("languages", code) for code in COMMON_LANGUAGES)
    assert languages["options"] == sorted(languages["options"], key=str.casefold)


def test_only_the_needs_are_required_and_the_label_is_applied() -> None:
    required = [item["id"] for item in _inputs() if item.get("validations", {}).get("required")]  # type: ignore[attr-defined]
    assert required == ["needs"]
    assert _form()["labels"] == [REQUEST_LABEL]


def test_form_says_plainly_what_is_public() -> None:
    body = _form()["body"]
    assert isinstance(body, list)
    intro = body[0]["attributes"]["value"]
    for words in (
        "public, forever",
        "every edit of it",
        "edit history",
        "Every question about you",
        "optional",
        "To ask privately",
        "matching page",
        "only the mentor's id and the areas",
        f"{DEFAULT_SITE_URL}/directory/",
    ):
        assert words in intro, words


def test_config_turns_blank_issues_off() -> None:
    config = yaml.safe_load((TEMPLATES / "config.yml").read_text(encoding="utf-8"))
    assert config == config_document()
    assert config["blank_issues_enabled"] is False
    assert config["contact_links"][0]["url"].startswith(DEFAULT_SITE_URL)


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("schema", "name"),
    [("vendor.github-issue-forms", REQUEST_FORM), ("vendor.github-issue-config", "config.yml")],
)
def test_github_schemas_accept_the_files(schema: str, name: str) -> None:
    proc = _check_jsonschema(schema, TEMPLATES / name)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_github_schema_check_is_not_vacuous(tmp_path: Path) -> None:
    broken = form_document()
    broken["body"][1]["validations"] = {"required": "yes"}
    broken["body"][-1]["validations"] = {"required": False}  # checkboxes take no validations
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert _check_jsonschema("vendor.github-issue-forms", path).returncode == 1


def test_request_link_prefills_at_most_as_many_needs_as_a_request_allows() -> None:
    assert MAX_NEEDS == Request.model_json_schema()["properties"]["needs"]["maxItems"] == 10
    url = request_url("https://github.example/org/repo", "ana-example", [f"Area {i}" for i in range(15)])
    query = parse_qs(urlsplit(url).query)
    assert query["mentors"] == ["ana-example"]
    assert query["needs"][0].split(",") == [f"Area {i}" for i in range(MAX_NEEDS)]
    assert "needs" not in parse_qs(urlsplit(request_url("https://github.example/o/r", "ana-example")).query)
    assert form_url("https://github.example/org/repo/") == (
        "https://github.example/org/repo/issues/new?template=mentor-request.yml"
    )


def test_site_request_link_fills_the_form_fields() -> None:
    vocab = vocabulary()
    needs = ["residency-application", "wellness"]
    url = request_url(DEFAULT_REPOSITORY_URL, "ana-example", [vocab.label("areas", a) for a in needs])
    query = parse_qs(urlsplit(url).query)
    assert query.pop("template") == [REQUEST_FORM]
    fields = {f.id: f for f in form_fields()}
    assert set(query) <= set(fields), "the link pre-fills fields by id"
    # GitHub pre-fills a multi-select with the option labels separated by commas
    assert all(fields["needs"].value_of(label) for label in query["needs"][0].split(","))
    body = "\n\n".join(
        f"### {f.label}\n\n{', '.join(query[f.id][0].split(',')) if f.id in query else '_No response_'}"
        for f in fields.values()
        if f.kind != "checkboxes"
    )
    request = parse_issue_body(body)
    assert request.mentors == ["ana-example"] and request.needs == needs


def _vocab_with(kind: str, term_id: str, label: str) -> Vocabulary:
    vocab = vocabulary()
    terms = {k: dict(v) for k, v in vocab.terms.items()}
    terms[kind][term_id] = dataclasses.replace(terms[kind][term_id], label=label)
    return Vocabulary(terms)


@pytest.mark.parametrize(
    ("kind", "term_id", "label", "words"),
    [
        ("areas", "wellness", "Wellness, burnout", "must not contain a comma"),
        ("meeting", "virtual", "None", "reserved by GitHub"),
        ("states", "TX", "Texas ", "without outer spaces"),
        ("states", "TX", "New Mexico", "distinct"),
    ],
)
def test_labels_github_cannot_take_are_refused(kind: str, term_id: str, label: str, words: str) -> None:
    with pytest.raises(IssueFormConfigError, match=words):
        form_fields(_vocab_with(kind, term_id, label))


def test_a_retired_common_language_is_refused() -> None:
    vocab = vocabulary()
    terms = {k: dict(v) for k, v in vocab.terms.items()}
    terms["languages"]["es"] = Term("es", "Spanish", deprecated=True, replaced_by="en")
    with pytest.raises(IssueFormConfigError, match="not current terms"):
        form_fields(Vocabulary(terms))


def test_cli_write_check_and_print(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "templates"
    result = runner.invoke(cli, ["issue-form", "--check", "--dir", str(target)])
    assert result.exit_code == 1 and "out of date" in result.output
    result = runner.invoke(cli, ["issue-form", "--write", "--dir", str(target)])
    # the request form and config.yml, and the three profile forms (issue 17)
    assert result.exit_code == 0 and result.output.count("wrote") == 2 + len(PROFILE_FORM_FILES)
    assert runner.invoke(cli, ["issue-form", "--check", "--dir", str(target)]).exit_code == 0
    result = runner.invoke(cli, ["issue-form", "--write", "--dir", str(target)])
    assert "up to date" in result.output
    (target / REQUEST_FORM).write_text("name: edited by hand\n", encoding="utf-8")
    result = runner.invoke(cli, ["issue-form", "--check", "--dir", str(target)])
    assert result.exit_code == 1 and REQUEST_FORM in result.output
    printed = runner.invoke(cli, ["issue-form"]).output
    assert all(text in printed for text in render_files().values())


def test_field_labels_are_the_body_headings() -> None:
    labels = field_labels()
    assert labels["needs"] == "Areas you want help with"
    body = render_issue_body(Request.model_validate({"needs": ["research"]}))
    assert [line[4:] for line in body.split("\n") if line.startswith("### ")] == list(labels.values())

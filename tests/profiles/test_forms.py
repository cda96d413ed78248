"""The profile forms (generator.profiles.forms), their parser and the files they become."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.content.models import Mentor, Program
from generator.content.validation import validate_content
from generator.content.vocabulary import vocabulary
from generator.profiles import forms
from generator.profiles.forms import (
    CONSENT_ID,
    FORM_FILES,
    FORMS,
    NOT_ASKED,
    ProfileFormConfigError,
    form_fields,
    render_issue_body,
    stale_files,
)
from generator.profiles.parser import parse_profile_body
from generator.profiles.records import prepare
from tests.support.paths import ROOT

TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"


def test_committed_forms_are_up_to_date() -> None:
    assert stale_files(TEMPLATES) == [], "run `mentormemed issue-form --write` and commit the files"


def test_issue_form_check_fails_on_a_stale_profile_form(tmp_path: Path) -> None:
    bin_ = Path(sys.executable).parent / "mentormemed"
    assert (
        subprocess.run([str(bin_), "issue-form", "--write", "--dir", str(tmp_path)], check=False).returncode
        == 0
    )
    (tmp_path / FORM_FILES["add-mentor"]).write_text("name: edited by hand\n", encoding="utf-8")
    result = subprocess.run(
        [str(bin_), "issue-form", "--check", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and FORM_FILES["add-mentor"] in result.stderr


@pytest.mark.parametrize("form", FORMS)
def test_every_question_has_help_and_the_forms_say_they_are_public(form: forms.FormName) -> None:
    data = yaml.safe_load((TEMPLATES / FORM_FILES[form]).read_text(encoding="utf-8"))
    intro = data["body"][0]["attributes"]["value"]
    assert "Anything you type here is public" in intro and "docs/vocabulary.md" in intro
    for item in data["body"][1:]:
        assert item["attributes"]["description"].strip(), item["id"]
    ids = {item["id"] for item in data["body"][1:]}
    assert "private-affinities" not in ids and "last-confirmed" not in ids


def test_every_model_field_is_asked_or_deliberately_not() -> None:
    asked = {".".join(f.key) for f in form_fields("add-mentor") if f.key}
    mentor_fields = {k for k in Mentor.model_fields if k != "contact"} | {
        f"contact.{k}" for k in ("github", "url", "booking", "orcid")
    }
    assert asked | {k.removeprefix("mentor.") for k in NOT_ASKED} == mentor_fields
    assert {".".join(f.key) for f in form_fields("add-program") if f.key} == set(Program.model_fields)


def test_a_model_field_nobody_decided_on_fails_the_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = dict(forms.MENTOR_TEXT)
    del texts["pronouns"]
    monkeypatch.setattr(forms, "MENTOR_TEXT", texts)
    with pytest.raises(ProfileFormConfigError, match="pronouns"):
        form_fields("add-mentor")


def test_dropdowns_use_the_vocabulary_labels() -> None:
    vocab = vocabulary()
    by_id = {f.id: f for f in form_fields("add-mentor")}
    assert by_id["areas"].options == tuple(t.label for t in vocab.terms["areas"].values() if not t.deprecated)
    assert by_id["capacity"].options[0] == "0" and by_id["capacity"].options[-1] == "20"


def test_headings_that_are_not_the_form_and_missing_consent_are_problems() -> None:
    body = render_issue_body("add-program", {"id": "x-y", CONSENT_ID: ""}) + "\n\n### maintainers\n\nevil"
    sub = parse_profile_body("add-program", body)
    codes = {p.code for p in sub.problems}
    assert {"unknown-heading", "no-consent", "required"} <= codes
    assert parse_profile_body("add-program", "hello").problems[0].code == "not-a-form"


def test_a_hostile_answer_cannot_add_a_key_to_the_file(base_content: Path) -> None:
    network = validate_content(base_content)
    answers = {
        "program": "lakeshore-som",
        "id": "zed-sample",
        "name": "Zed Sample",
        "profession": "Allopathic medicine (MD)",
        "stage": "Early-career faculty",
        "areas": "Wellness and burnout",
        "languages": "English",
        "meeting": "Virtual",
        "capacity": "1",
        "accepting": "No",
        "degrees": "MD, 'x', \"y\": z, [a]",
        "bio": "Plain words.\nprivate_affinities: [lgbtq]\n---\n!!python/object:os.system\n  id: evil",
    }
    sub = parse_profile_body("add-mentor", render_issue_body("add-mentor", answers))
    assert sub.problems == []
    proposal, problems = prepare(sub, base_content, network, today=dt.date(2026, 1, 5))
    assert problems == [] and proposal is not None
    record = yaml.safe_load(proposal.text)
    assert record["bio"] == answers["bio"] and record["id"] == "zed-sample"
    assert record["degrees"] == ["MD", "'x'", '"y": z', "[a]"]
    assert "private_affinities" not in record and record["accepting"] is False


def test_a_question_given_three_times_is_one_problem_and_text_above_the_form_is_another() -> None:
    """The profile forms cut the body with the request form's splitter (one set of rules)."""
    one = render_issue_body("add-program", {"id": "x-y", CONSENT_ID: ""})
    first_heading = one.index("### ")
    repeated_part = one[first_heading:].split("\n\n### ")[0]
    body = "Hello from me\n\n" + one + "\n\n" + repeated_part + "\n\n" + repeated_part
    codes = [p.code for p in parse_profile_body("add-program", body).problems]
    assert codes.count("repeated-question") == 1
    assert codes[0] == "text-before-form"
    # the first answer is kept, the repeats do not replace it
    assert parse_profile_body("add-program", body).data.get("id") == "x-y"

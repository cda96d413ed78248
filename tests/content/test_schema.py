"""The models are the one source of truth: committed schemas must match, and agree with them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.content import schema_files
from generator.content.models import Mentor, Request
from generator.content.vocabulary import vocabulary
from generator.content.yamlload import load_file
from tests.support.paths import CASES, ROOT


def test_committed_schemas_match_the_models() -> None:
    assert schema_files.stale_schemas() == []


def test_check_fails_on_drift_and_write_repairs_it(tmp_path: Path) -> None:
    for name, text in schema_files.render_schemas().items():
        (tmp_path / name).write_text(text)
    assert schema_files.stale_schemas(tmp_path) == []
    (tmp_path / "mentor.schema.json").write_text("{}\n")
    assert schema_files.stale_schemas(tmp_path) == [tmp_path / "mentor.schema.json"]
    assert schema_files.write_schemas(tmp_path) == [tmp_path / "mentor.schema.json"]
    assert schema_files.stale_schemas(tmp_path) == []


def test_schema_check_command_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["schema", "--check"]).exit_code == 0
    result = runner.invoke(cli, ["schema", "--check", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "mentormemed schema --write" in result.output
    assert runner.invoke(cli, ["schema", "--write", "--dir", str(tmp_path)]).exit_code == 0
    assert runner.invoke(cli, ["schema", "--check", "--dir", str(tmp_path)]).exit_code == 0


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_schemas_list_the_vocabulary_ids() -> None:
    schema = json.loads((ROOT / "schemas" / "mentor.schema.json").read_text())
    enum = schema["properties"]["specialties"]["items"]["enum"]
    assert enum == vocabulary().ids("specialties")
    assert "no" in schema["properties"]["languages"]["items"]["enum"]


def test_base_content_is_valid_for_models_and_json_schema() -> None:
    data = load_file(CASES / "base" / "mentors" / "lakeshore-som" / "ana-example.yml").data
    Mentor.model_validate(data)
    assert list(_validator("mentor").iter_errors(data)) == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"needs": []}, "too_short"),
        ({"needs": ["research"], "team_size": 6}, "less_than_equal"),
        ({"needs": ["research"], "must": ["affinities"]}, "must-without-value"),
        ({"needs": ["research"], "must": ["income"]}, "literal_error"),
        ({"needs": ["research"], "email": "x"}, "extra_forbidden"),
        ({"needs": ["resarch"]}, "unknown-term"),
    ],
)
def test_request_model_rejects(data: dict[str, object], code: str) -> None:
    with pytest.raises(Exception) as info:
        Request.model_validate(data)
    assert code in str(info.value)


def test_request_defaults_and_schema_agree() -> None:
    request = Request.model_validate({"needs": ["research", "wellness"], "languages": ["no"]})
    assert request.team_size == 3
    assert request.must == []
    validator = _validator("request")
    assert list(validator.iter_errors({"needs": ["research"], "languages": ["no"]})) == []
    assert list(validator.iter_errors({"needs": ["research"], "team_size": 9}))

"""The data-driven corpus: every case in tests/cases/invalid must be rejected with exactly
the lines in its expected.txt, and every case in tests/cases/valid must pass.

A case folder holds a content fragment (``network.yml``, ``programs/…``, ``mentors/…``) that is copied over
tests/cases/base, a ``case.yml`` (``description``; for invalid cases also ``jsonschema``:
whether the committed JSON Schema must reject the file too) and, for invalid cases, an
``expected.txt`` with the report lines (paths relative to the content folder, no summary).

To add an invalid case: make the folder with its fragment and case.yml, run
``mentormemed validate --content .`` inside a copy of base with the fragment over it, read
every line as a coordinator would (file, line, what is wrong, how to fix it), and only then
save the lines as expected.txt. Files with special bytes (BOM, CRLF, tabs, Latin-1) are
kept as they are by tests/cases/.gitattributes.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from generator.cli import cli
from generator.content.reporters import text_report
from generator.content.validation import ValidationResult, validate_content
from generator.content.yamlload import load_file
from tests.support.paths import CASES, ROOT

SCHEMAS = ROOT / "schemas"
CASE_FILES = {"case.yml", "expected.txt"}

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())


def _case_meta(case: Path) -> dict[str, Any]:
    loaded = load_file(case / "case.yml")
    assert loaded.ok, loaded.problems
    assert isinstance(loaded.data, dict)
    return loaded.data


def _fragment_files(case: Path) -> list[Path]:
    """The content files of a case (relative paths), without case.yml and expected.txt."""
    return sorted(
        p.relative_to(case)
        for p in case.rglob("*")
        if p.is_file() and p.relative_to(case).parts[0] not in CASE_FILES
    )


def _build(case: Path, tmp_path: Path) -> Path:
    """tests/cases/base with the case's fragment copied over it."""
    content = tmp_path / "content"
    shutil.copytree(CASES / "base", content)
    for rel in _fragment_files(case):
        target = content / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case / rel, target)
    return content


def _validate(content: Path) -> tuple[ValidationResult, list[str]]:
    """Validate as `mentormemed validate --content .` run inside ``content`` would."""
    with contextlib.chdir(content):
        result = validate_content(Path("."))
    return result, text_report(result.problems, result.files_checked).splitlines()[:-1]


_VALIDATORS: dict[str, Draft202012Validator] = {}


def _kind(rel: Path) -> str:
    """Which model a content file is, by its place (relative to the content folder)."""
    return {"network.yml": "network", "federation.yml": "federation", "programs": "program"}.get(
        rel.parts[0], "mentor"
    )


def _schema_validator(rel: Path) -> Draft202012Validator:
    kind = _kind(rel)
    if kind not in _VALIDATORS:
        schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        _VALIDATORS[kind] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return _VALIDATORS[kind]


def _run_cli(content: Path) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(cli, ["validate", "--content", str(content)])
    # the CLI prints paths as given: make them relative to the content folder again
    return result.exit_code, result.output.replace(content.as_posix() + "/", ""), result.exception


# --------------------------------------------------------------------------- the corpus itself


def test_corpus_is_complete() -> None:
    assert len(INVALID) >= 30
    assert len(VALID) >= 6
    for case in INVALID + VALID:
        meta = _case_meta(case)
        description = meta.get("description")
        assert isinstance(description, str) and description.strip(), f"{case.name}: no description"
        assert "\n" not in description.strip(), f"{case.name}: description must be one line"
        assert _fragment_files(case), f"{case.name}: no content files"
    for case in INVALID:
        meta = _case_meta(case)
        assert isinstance(meta.get("jsonschema"), bool), f"{case.name}: jsonschema must be true or false"
        expected = case / "expected.txt"
        assert expected.is_file(), f"{case.name}: no expected.txt"
        lines = expected.read_text(encoding="utf-8").splitlines()
        assert lines and all(line.strip() for line in lines), f"{case.name}: empty expected.txt"
    for case in VALID:
        assert not (case / "expected.txt").exists(), f"{case.name}: a valid case has no expected.txt"


def test_case_ids_are_unique_across_kinds() -> None:
    names = [c.name for c in INVALID + VALID]
    assert len(names) == len(set(names))


# --------------------------------------------------------------------------- invalid cases


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_case_reports_exactly_the_expected_lines(case: Path, tmp_path: Path) -> None:
    content = _build(case, tmp_path)
    result, lines = _validate(content)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert lines == expected
    assert result.ok is False


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_case_cli_exits_1_without_traceback(case: Path, tmp_path: Path) -> None:
    content = _build(case, tmp_path)
    code, output, exception = _run_cli(content)
    assert code == 1, output
    assert isinstance(exception, SystemExit), exception
    assert "Traceback" not in output
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    lines = output.splitlines()
    assert lines[:-1] == expected
    assert lines[-1].startswith(f"{len(expected)} problem(s) in ")


JSONSCHEMA_CASES = [c for c in INVALID if _case_meta(c).get("jsonschema") is True]


@pytest.mark.parametrize("case", JSONSCHEMA_CASES, ids=[c.name for c in JSONSCHEMA_CASES])
def test_invalid_case_is_rejected_by_the_committed_json_schema(case: Path) -> None:
    files = [rel for rel in _fragment_files(case) if rel.suffix == ".yml"]
    assert len(files) == 1, f"{case.name}: a jsonschema case has exactly one YAML file"
    rel = files[0]
    loaded = load_file(case / rel)
    assert loaded.problems == [], "a jsonschema case has no YAML-level hazard"
    errors = list(_schema_validator(rel).iter_errors(loaded.data))
    assert errors, f"{rel} is accepted by the JSON Schema"


# --------------------------------------------------------------------------- valid cases


@pytest.mark.parametrize("case", VALID, ids=[c.name for c in VALID])
def test_valid_case_passes(case: Path, tmp_path: Path) -> None:
    content = _build(case, tmp_path)
    result, lines = _validate(content)
    assert lines == []
    assert result.ok is True
    yml_files = sorted(content.rglob("*.yml"))
    assert result.files_checked == len(yml_files)
    assert result.network is not None
    federation = (content / "federation.yml").is_file()
    assert (result.federation is not None) is federation
    assert 1 + federation + len(result.mentors) + len(result.programs) == len(yml_files)
    code, output, _ = _run_cli(content)
    assert code == 0, output


@pytest.mark.parametrize("case", VALID, ids=[c.name for c in VALID])
def test_valid_case_is_accepted_by_the_committed_json_schema(case: Path, tmp_path: Path) -> None:
    content = _build(case, tmp_path)
    for path in sorted(content.rglob("*.yml")):
        rel = path.relative_to(content)
        loaded = load_file(path)
        assert loaded.ok, loaded.problems
        errors = [e.message for e in _schema_validator(rel).iter_errors(loaded.data)]
        assert errors == [], f"{rel}: {errors}"

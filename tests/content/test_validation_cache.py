"""Validation results in the build cache are plain data: a file's stored result is rebuilt into
exactly the record a fresh check makes, and a stored result that does not describe its file
consistently is not used (the file is checked again)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.content.reporters import text_report
from generator.content.validation import (
    VALIDATION_CACHE_FILE,
    StoredRecord,
    ValidationCache,
    _restore,
    _store,
    check_file,
    discover,
    file_key,
    validate_content,
)
from generator.content.vocabulary import vocabulary
from generator.core.cache import Fingerprinter, load_cache, save_cache
from tests.support.paths import CASES, ROOT

# Validates every invalid case cold and warm.
pytestmark = [pytest.mark.slow]

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
MENTOR = Path("mentors/lakeshore-som/ana-example.yml")


def _case_content(case: Path, tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CASES / "base", content)
    for path in case.rglob("*"):
        rel = path.relative_to(case)
        if path.is_file() and rel.parts[0] not in {"case.yml", "expected.txt"}:
            (content / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, content / rel)
    return content


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_a_stored_result_is_rebuilt_into_the_same_record_and_report(case: Path, tmp_path: Path) -> None:
    content = _case_content(case, tmp_path)
    files, _ = discover(content)
    for kind, path in files:
        record = check_file(kind, path)
        stored = _store(record)
        assert stored is not None
        again = StoredRecord.model_validate_json(stored.model_dump_json())
        assert _restore(again, kind, path.as_posix(), None) == record
    expected = text_report(validate_content(content).problems, len(files))
    cold = validate_content(content, cache_dir=tmp_path / "cache")
    warm = validate_content(content, cache_dir=tmp_path / "cache")
    assert text_report(cold.problems, len(files)) == text_report(warm.problems, len(files)) == expected


def test_the_sample_network_is_rebuilt_into_the_same_records() -> None:
    files, _ = discover(ROOT / "content")
    for kind, path in files:
        record = check_file(kind, path)
        stored = _store(record)
        assert stored is not None and _restore(stored, kind, path.as_posix(), None) == record


def test_a_program_id_that_is_a_list_is_a_problem_not_a_crash(base_content: Path) -> None:
    program = base_content / "programs" / "lakeshore-som.yml"
    program.write_text(
        program.read_text(encoding="utf-8").replace("id: lakeshore-som", "id: [a, b]"), "utf-8"
    )
    assert [p.code for p in validate_content(base_content).problems] == ["wrong-type"]


def _forge(cache_dir: Path, content: Path, change: dict[str, Any]) -> None:
    """Store under the key of the mentor file as it is now the stored result of the valid
    file it was, changed by ``change``."""
    stored = load_cache(cache_dir / VALIDATION_CACHE_FILE, ValidationCache)
    assert stored is not None
    (valid,) = [entry for entry in stored.data.values() if entry.path.endswith(MENTOR.name)]
    rules = Fingerprinter().digest(vocabulary())
    key = file_key(rules, "mentor", content / MENTOR)
    assert key is not None and key not in stored.data
    forged = valid.model_copy(update=change)
    save_cache(cache_dir / VALIDATION_CACHE_FILE, ValidationCache, {**stored.data, key: forged})


def _with_model(**fields: Any) -> Any:
    def change(valid: StoredRecord) -> dict[str, Any]:
        assert valid.model is not None
        return {"model": {**valid.model, **fields}}

    return change


FORGERIES = {
    # the model the file would have, with the script that makes the file invalid
    "invalid-model": _with_model(bio="Hello <script>alert(1)</script>"),
    # a valid model, but of another file (its id is not the file's name)
    "another-file": _with_model(id="someone-else"),
    "another-program": _with_model(program="bayview"),
    # the values the rules across files read disagree with the model
    "fields": lambda valid: {"fields": [(("id",), "x", 1, 1)]},
    "a-model-and-problems": lambda valid: {"problems": [(1, 1, "c", "m")]},
    "another-path": lambda valid: {"path": valid.path.replace("ana-example", "bo-example")},
    "a-program": lambda valid: {"kind": "program"},
}


@pytest.mark.parametrize("forgery", FORGERIES.values(), ids=list(FORGERIES))
def test_a_forged_result_does_not_make_an_invalid_file_pass(
    forgery: Any, base_content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache_dir = tmp_path / "cache"
    assert validate_content(base_content, cache_dir=cache_dir).ok
    mentor = base_content / MENTOR
    mentor.write_text(
        mentor.read_text(encoding="utf-8").replace("bio: |\n", "bio: |\n  <script>x</script>\n"), "utf-8"
    )
    expected = validate_content(base_content).problems
    assert expected and all(p.path == mentor.as_posix() for p in expected)
    stored = load_cache(cache_dir / VALIDATION_CACHE_FILE, ValidationCache)
    assert stored is not None
    (valid,) = [entry for entry in stored.data.values() if entry.path.endswith(MENTOR.name)]
    _forge(cache_dir, base_content, forgery(valid))
    with caplog.at_level(logging.INFO, logger="generator.content.validation"):
        result = validate_content(base_content, cache_dir=cache_dir)
    assert result.problems == expected
    assert "validation cache: 2 of 3 files unchanged" in caplog.text, "the forged entry was not used"

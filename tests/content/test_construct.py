"""A valid model rebuilt from its cached dump without its validators is the model validation
makes; a cache entry is rebuilt that way only when its seal proves this folder's build wrote it
for these file bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from generator.content.construct import NotConstructible, check_constructible, construct
from generator.content.validation import _MODEL_OF, _restore, _store, check_file, discover
from tests.support.paths import CASES, ROOT

SECRET = b"s" * 32


def _valid_files() -> list[tuple[str, Path]]:
    files, _ = discover(ROOT / "content")
    for case in sorted((CASES / "valid").iterdir()) if (CASES / "valid").is_dir() else []:
        more, _ = discover(case)
        files += more
    return files


def test_every_content_model_can_be_constructed() -> None:
    for model_cls in _MODEL_OF.values():
        check_constructible(model_cls)


def test_a_constructed_model_is_the_validated_model() -> None:
    checked = 0
    for kind, path in _valid_files():
        record = check_file(kind, path)
        assert record.model is not None, record.problems
        dump = record.model.model_dump(mode="json", exclude_unset=True)
        rebuilt = construct(_MODEL_OF[kind], dump)
        assert rebuilt == record.model
        assert rebuilt.model_fields_set == record.model.model_fields_set
        assert list(rebuilt.__dict__) == list(record.model.__dict__)
        assert rebuilt.model_dump_json() == record.model.model_dump_json()
        assert rebuilt.model_dump(mode="json", exclude_unset=True) == dump
        checked += 1
    assert checked > 50


def test_data_that_is_not_the_models_fields_is_not_constructed() -> None:
    model_cls = _MODEL_OF["program"]
    with pytest.raises(NotConstructible):
        construct(model_cls, ["not", "a", "mapping"])
    with pytest.raises(NotConstructible):
        construct(model_cls, {"id": "x"})  # required fields missing
    files, _ = discover(ROOT / "content")
    kind, path = next(f for f in files if f[0] == "program")
    dump = check_file(kind, path).model.model_dump(mode="json")  # type: ignore[union-attr]
    with pytest.raises(NotConstructible):
        construct(model_cls, {**dump, "surprise": 1})


def test_a_model_with_a_field_type_it_does_not_know_is_refused() -> None:
    class Odd(BaseModel):
        model_config = ConfigDict(extra="forbid")
        when: dt.datetime

    with pytest.raises(NotConstructible):
        check_constructible(Odd)


def test_only_an_entry_sealed_for_its_key_is_rebuilt_without_validation() -> None:
    files, _ = discover(ROOT / "content")
    kind, path = next(f for f in files if f[0] == "mentor")
    record = check_file(kind, path)
    key = "k" * 64
    entry = _store(record, (SECRET, key))
    assert entry is not None and entry.seal
    display = path.as_posix()
    assert _restore(entry, kind, display, None, (SECRET, key)) == record
    # another key (other bytes), another folder's secret, an edited entry: not used
    assert _restore(entry, kind, display, None, (SECRET, "j" * 64)) is None
    assert _restore(entry, kind, display, None, (b"t" * 32, key)) is None
    assert entry.model is not None
    edited = entry.model_copy(update={"model": {**entry.model, "bio": "Hello <script>alert(1)</script>"}})
    assert _restore(edited, kind, display, None, (SECRET, key)) is None

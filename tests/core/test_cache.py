"""The build cache's files are data checked before use: a file that is not exactly what this
version writes is ignored (and logged), never executed, never trusted."""

from __future__ import annotations

import gzip
import importlib.metadata
import json
import logging
import os
import pickle
from pathlib import Path

import pytest
from pydantic import ValidationError

from generator.core import cache
from generator.core.cache import (
    CACHE_DIR_NAME,
    CACHE_FORMAT,
    CacheFile,
    UnsafeCacheDir,
    check_cache_dir,
    code_fingerprint,
    load_cache,
    save_cache,
)


class Pairs(CacheFile[dict[str, tuple[str, int]]]):
    """A cache file for the tests: name → (text, number)."""


class Payload:
    """Unpickling it creates the folder ``marker``: proof that a pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


def poison(path: Path, marker: Path) -> None:
    """Write at ``path`` a pickle whose loading would create ``marker``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps({"code": code_fingerprint(), "data": Payload(marker)}))


def write_json(path: Path, document: object) -> None:
    path.write_bytes(gzip.compress(json.dumps(document).encode()))


def test_what_is_saved_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "c" / "pairs.json.gz"
    save_cache(path, Pairs, {"a": ("x", 1)})
    stored = load_cache(path, Pairs)
    assert stored is not None and stored.data == {"a": ("x", 1)}
    document = json.loads(gzip.decompress(path.read_bytes()))
    assert document == {"format": CACHE_FORMAT, "code": code_fingerprint(), "data": {"a": ["x", 1]}}


def test_a_mapping_is_written_entry_by_entry_as_the_whole_model_would_be(tmp_path: Path) -> None:
    """Mappings are streamed one entry at a time (the build's memory): the file holds exactly
    the JSON pydantic makes of the whole model, with text that is not ASCII and in key order."""
    path = tmp_path / "pairs.json.gz"
    data = {"zé": ('Ünïcode "quoted"', 2), "a": ("x", 1), "": ("", 0)}
    save_cache(path, Pairs, data)
    whole = Pairs(format=CACHE_FORMAT, code=code_fingerprint(), data=data)
    assert gzip.decompress(path.read_bytes()) == whole.model_dump_json().encode()
    stored = load_cache(path, Pairs)
    assert stored is not None and stored.data == data and list(stored.data) == ["zé", "a", ""]


def test_a_bad_entry_stops_the_write_and_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "pairs.json.gz"
    save_cache(path, Pairs, {"a": ("x", 1)})
    before = path.read_bytes()
    entries = {f"k{i}": (f"v{i}", i) for i in range(1000)}
    bad: dict[str, object] = {**entries, "late": ("x", "not a number")}
    with pytest.raises(ValidationError):
        save_cache(path, Pairs, bad)
    assert path.read_bytes() == before, "half of the entries were written over the old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.json.gz"], "a temporary file is left"


def test_a_pickle_is_never_unpickled(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path, marker = tmp_path / "pairs.json.gz", tmp_path / "unpickled"
    poison(path, marker)
    with caplog.at_level(logging.INFO, logger="generator.core.cache"):
        assert load_cache(path, Pairs) is None
    assert not marker.exists()
    assert "ignoring the cache file" in caplog.text


@pytest.mark.parametrize(
    "document",
    [
        {"format": CACHE_FORMAT, "code": "CODE", "data": {"a": ["x", "1"]}},  # a number as text
        {"format": CACHE_FORMAT, "code": "CODE", "data": {"a": ["x", True]}},  # a boolean
        {"format": CACHE_FORMAT, "code": "CODE", "data": {"a": ["x", 1, 2]}},  # one value too many
        {"format": CACHE_FORMAT, "code": "CODE", "data": {"a": ["x", 1]}, "more": 1},  # a key too many
        {"format": CACHE_FORMAT, "code": "CODE", "data": ["a", "x", 1]},  # not a mapping
        {"format": CACHE_FORMAT - 1, "code": "CODE", "data": {"a": ["x", 1]}},  # another format
        {"format": CACHE_FORMAT, "code": "another version", "data": {"a": ["x", 1]}},
        {"code": "CODE", "data": {"a": ["x", 1]}},
        [],
    ],
    ids=["text", "boolean", "long", "extra", "list", "format", "code", "no-format", "array"],
)
def test_a_file_not_exactly_as_written_is_ignored(
    document: object, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "pairs.json.gz"
    write_json(path, json.loads(json.dumps(document).replace('"CODE"', json.dumps(code_fingerprint()))))
    with caplog.at_level(logging.INFO, logger="generator.core.cache"):
        assert load_cache(path, Pairs) is None
    assert f"ignoring the cache file {path}" in caplog.text


def test_the_same_document_as_written_is_read(tmp_path: Path) -> None:
    """The control of the test above: only the changes make those files be ignored."""
    path = tmp_path / "pairs.json.gz"
    write_json(path, {"format": CACHE_FORMAT, "code": code_fingerprint(), "data": {"a": ["x", 1]}})
    assert load_cache(path, Pairs) is not None


def test_damaged_large_or_odd_files_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "pairs.json.gz"
    save_cache(path, Pairs, {"a": ("x" * 1000, 1)})
    whole = path.read_bytes()
    path.write_bytes(whole[:-10])
    assert load_cache(path, Pairs) is None, "truncated"
    path.write_bytes(whole + whole)
    assert load_cache(path, Pairs) is None, "two streams"
    path.write_bytes(whole)
    monkeypatch.setattr(cache, "MAX_CACHE_BYTES", 500)
    assert load_cache(path, Pairs) is None, "larger than the limit once decompressed"
    monkeypatch.undo()
    assert load_cache(path, Pairs) is not None
    link = tmp_path / "link.json.gz"
    link.symlink_to(path)
    assert load_cache(link, Pairs) is None, "a symbolic link"
    fifo = tmp_path / "fifo.json.gz"
    os.mkfifo(fifo)
    assert load_cache(fifo, Pairs) is None, "a FIFO (and the build does not hang on it)"
    assert load_cache(tmp_path / "missing.json.gz", Pairs) is None


def test_a_cache_folder_that_is_a_link_or_in_the_content_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    check_cache_dir(tmp_path / CACHE_DIR_NAME / "output", content)
    with pytest.raises(UnsafeCacheDir, match="inside the content folder"):
        check_cache_dir(content / CACHE_DIR_NAME / "output", content)
    with pytest.raises(UnsafeCacheDir, match="inside the content folder"):
        check_cache_dir(content, content)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / CACHE_DIR_NAME).symlink_to(elsewhere)
    with pytest.raises(UnsafeCacheDir, match="symbolic link"):
        check_cache_dir(tmp_path / "a" / CACHE_DIR_NAME / "output", content)
    (tmp_path / "b" / CACHE_DIR_NAME).mkdir(parents=True)
    (tmp_path / "b" / CACHE_DIR_NAME / "output").symlink_to(elsewhere)
    with pytest.raises(UnsafeCacheDir, match="symbolic link"):
        check_cache_dir(tmp_path / "b" / CACHE_DIR_NAME / "output", content)
    (tmp_path / "c").symlink_to(content, target_is_directory=True)
    with pytest.raises(UnsafeCacheDir, match="inside the content folder"):
        check_cache_dir(tmp_path / "c" / "sub", content)


def test_the_code_fingerprint_does_not_depend_on_a_package_being_found_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the project folder on sys.path (python -m, pytest, a script beside it) the editable
    install is also found through its egg-info: the cache must still be the console script's."""
    before = code_fingerprint()
    twin = tmp_path / "pytest-twin.dist-info"
    twin.mkdir()
    (twin / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: pytest\nVersion: {pytest.__version__}\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    code_fingerprint.cache_clear()
    try:
        names = [d.metadata["Name"] for d in importlib.metadata.distributions()]
        assert names.count("pytest") == 2, "the test's premise: pytest is found twice"
        assert code_fingerprint() == before
    finally:
        code_fingerprint.cache_clear()

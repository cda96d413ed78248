"""The build's content-hash cache: what lets a rebuild after one edit skip the unchanged work.

Two things are cached, both keyed by content hashes, never by time stamps:

- validation results per content file (:mod:`generator.content.validation`): the key is the hash of
  the file's bytes, its path, and :func:`code_fingerprint` (the generator's own source and the
  vocabulary), so an edited file, a moved file or a new release of the rules is checked again;
- rendered pages (:mod:`generator.site.page_writer`): the key is the hash of the templates a page
  uses and of every value those templates read; an unchanged page is hard-linked from the
  previous output instead of being rendered again.

The cache lives outside the output (the output is published; the cache is not), by default in
``.mentormemed-cache/<output name>/`` beside the output folder. Deleting it only makes the next
build slower. A cache file that cannot be read (another version, a crash while writing) is
ignored, never trusted: it is replaced atomically at the end of the next build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import importlib.metadata
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.core.paths import PACKAGE_DIR, project_root

log = logging.getLogger(__name__)

CACHE_DIR_NAME = ".mentormemed-cache"
CACHE_FORMAT = 1


class Uncacheable(Exception):
    """A value has no content fingerprint (a function, an open file…): do not cache the page."""


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a build creates many long-lived objects.

    Every few hundred new objects CPython scans the young ones, and every so often all of
    them; a build that creates millions of objects it keeps spends most of its time there
    (unpickling 10,000 cached validation results: 1.5 s with the collector, 0.5 s without).
    Reference counting still frees everything that is not in a cycle.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@functools.cache
def code_fingerprint() -> str:
    """A hash of everything besides content that decides the output: the generator's source,
    the theme, the vocabulary and the matching settings, Python's version and every installed
    package's (a new Markdown or sanitiser release must render the pages again). Any change to
    them empties the cache."""
    digest = hashlib.sha256(f"format {CACHE_FORMAT}; python {sys.version}".encode())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    digest.update("\n".join(packages).encode())
    root_dir = project_root()
    roots = [PACKAGE_DIR, root_dir / "theme", root_dir / "schemas"]
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def default_cache_dir(output: Path) -> Path:
    """``<output's parent>/.mentormemed-cache/<output name>``: beside the output, never in it."""
    output = output.resolve()
    return output.parent / CACHE_DIR_NAME / output.name


def load_pickle(path: Path) -> Any:
    """The cached object, or ``None`` when there is none or it cannot be trusted."""
    try:
        with path.open("rb") as handle:
            stored = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a truncated or foreign file: rebuild it, say so at debug level
        log.debug("ignoring the cache file %s: %s", path, exc)
        return None
    if not isinstance(stored, dict) or stored.get("code") != code_fingerprint():
        return None
    return stored.get("data")


def save_pickle(path: Path, data: Any) -> None:
    """Write ``data`` atomically (a temporary file renamed over the old one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump({"code": code_fingerprint(), "data": data}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Fingerprinter:
    """Content hashes of template values, with the hashes of shared values remembered.

    Values shared by every page (the vocabulary, the counts) are hashed once per build: they
    are remembered by identity, and kept alive so an identity is never reused.
    """

    def __init__(self) -> None:
        self._shared: dict[int, tuple[Any, bytes]] = {}

    def remember(self, value: Any) -> None:
        """Hash ``value`` once and reuse the hash whenever the same object is met again."""
        self._shared[id(value)] = (value, self.digest(value, remember=False))

    def digest(self, value: Any, *, remember: bool = True) -> bytes:
        if remember:
            known = self._shared.get(id(value))
            if known is not None and known[0] is value:
                return known[1]
        digest = hashlib.sha256()
        self._feed(digest, value)
        return digest.digest()

    def _feed(self, digest: Any, value: Any) -> None:
        known = self._shared.get(id(value))
        if known is not None and known[0] is value:
            digest.update(b"h" + known[1])
            return
        if hasattr(value, "fingerprint") and not isinstance(value, type):
            # the value's own content hash (a view derived from records hashes the records)
            digest.update(b"f:" + str(value.fingerprint()).encode())
        elif value is None or isinstance(value, bool | int | float):
            digest.update(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, str):  # Markup too
            data = value.encode("utf-8", "surrogatepass")
            digest.update(b"s%d:" % len(data) + data)
        elif isinstance(value, date | datetime):
            digest.update(f"d:{value.isoformat()};".encode())
        elif isinstance(value, BaseModel):
            data = value.model_dump_json().encode()
            digest.update(f"m:{type(value).__name__}:{len(data)}:".encode() + data)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            digest.update(f"c:{type(value).__name__}{{".encode())
            for item in dataclasses.fields(value):
                digest.update(item.name.encode() + b"=")
                self._feed(digest, getattr(value, item.name))
            digest.update(b"}")
        elif isinstance(value, Mapping):
            digest.update(b"{")
            for key in sorted(value, key=repr):
                self._feed(digest, key)
                self._feed(digest, value[key])
            digest.update(b"}")
        elif isinstance(value, list | tuple):
            digest.update(b"[")
            for item in value:
                self._feed(digest, item)
            digest.update(b"]")
        elif isinstance(value, set | frozenset):
            self._feed(digest, sorted(value, key=repr))
        else:
            raise Uncacheable(f"no fingerprint for a {type(value).__name__}")

"""The build's content-hash cache: what lets a rebuild after one edit skip the unchanged work.

Three things are cached, all keyed by content hashes, never by time stamps:

- validation results per content file (:mod:`generator.content.validation`): the key is the hash of
  the file's bytes, its path, the vocabulary and :func:`code_fingerprint`, so an edited file, a
  moved file or a new release of the rules is checked again;
- rendered pages (:mod:`generator.site.page_writer`): the key is the hash of the templates a page
  uses and of every value those templates read; an unchanged page is hard-linked from the
  previous output instead of being rendered again;
- the bios' Markdown converted to HTML (:mod:`generator.site.bios`; sanitised on every use).

The cache lives outside the output (the output is published; the cache is not), by default in
``.mentormemed-cache/<output name>/`` beside the output folder. Deleting it only makes the next
build slower.

A cache file is data, never code: gzip-compressed JSON (:func:`save_cache`), read back only
through a strict pydantic model of what that file holds (:func:`load_cache`: format, code
fingerprint, and entries of the expected types, nothing else). A file that does not match
(another version, a crash while writing, a file someone else wrote) is ignored, never trusted,
and replaced atomically at the end of the build. Nothing read from a cache is executed, and a
cache folder that is a symbolic link or lies inside the content folder is refused
(:func:`check_cache_dir`): a cache never comes from the repository (docs/security.md).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import gzip
import hashlib
import hmac
import importlib.metadata
import json
import logging
import os
import secrets
import stat
import sys
import tempfile
import typing
import zlib
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from generator.core.files import open_atomically
from generator.core.paths import PACKAGE_DIR, project_root

log = logging.getLogger(__name__)

CACHE_DIR_NAME = ".mentormemed-cache"
#: The stamp a build writes into its output (:mod:`generator.site.data_files`): the folder is a built site.
BUILD_MARKER = ".mentormemed-build"
#: 2: gzip-compressed JSON checked by a pydantic model (1 was pickle, never read again).
CACHE_FORMAT = 2
#: The most a cache file may hold once decompressed (10,000 mentors' validation: about 8 MB).
MAX_CACHE_BYTES = 1 << 29
DataT = TypeVar("DataT")


class Uncacheable(Exception):
    """A value has no content fingerprint (a function, an open file…): do not cache the page."""


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a build creates many long-lived objects.

    Every few hundred new objects CPython scans the young ones, and every so often all of
    them; a build that creates millions of objects it keeps spends most of its time there
    (loading 10,000 cached validation results: 1.5 s with the collector, 0.5 s without).
    Reference counting still frees everything that is not in a cycle.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _name_and_version(dist: importlib.metadata.Distribution) -> str:
    """``name==version`` from the head of a package's metadata file, read as text: the email
    parser of ``dist.metadata`` took 0.1 s over a venv's packages, a build's whole budget for a
    patched bio (:mod:`generator.site.patch`)."""
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    name = version = ""
    for line in text.splitlines():
        if not line:
            break  # the headers end at the first blank line
        if line.startswith("Name:"):
            name = line.removeprefix("Name:").strip()
        elif line.startswith("Version:"):
            version = line.removeprefix("Version:").strip()
    return f"{name}=={version}"


@functools.cache
def code_fingerprint() -> str:
    """A hash of everything besides content that decides the output: the generator's source,
    the theme, the vocabulary and the matching settings, Python's version and every installed
    package's (a new Markdown or sanitiser release must render the pages again). Any change to
    them empties the cache."""
    digest = hashlib.sha256(f"format {CACHE_FORMAT}; python {sys.version}".encode())
    # a set: with the project folder on sys.path (python -m, pytest) the editable install is
    # also found through its egg-info, and the same packages must give the same fingerprint
    packages = sorted({_name_and_version(d) for d in importlib.metadata.distributions()})
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


class UnsafeCacheDir(Exception):
    """A cache folder the build must not read or write (a symbolic link, inside the content)."""


def check_cache_dir(cache_dir: Path, content: Path | None = None) -> None:
    """Raise :class:`UnsafeCacheDir` unless ``cache_dir`` may be used: not a symbolic link (nor
    the ``.mentormemed-cache`` folder that holds it), and not inside ``content``, whose files
    come from the repository."""
    chain = [cache_dir, *cache_dir.parents]
    own = next((i for i, part in enumerate(chain) if part.name == CACHE_DIR_NAME), 0)
    for folder in chain[: own + 1]:
        if folder.is_symlink():
            raise UnsafeCacheDir(
                f"the cache folder {folder} is a symbolic link: a cache is only read from a real "
                f"folder. Delete the link (rm {folder}) or build with --no-cache."
            )
    if content is not None:
        inside, where = cache_dir.resolve(), content.resolve()
        if inside == where or where in inside.parents:
            raise UnsafeCacheDir(
                f"the cache folder {cache_dir} is inside the content folder {content}: content comes "
                "from the repository, a cache never does. Build with --output outside the content "
                "folder, or with --no-cache."
            )


class CacheFile(BaseModel, Generic[DataT]):
    """What a cache file holds: the format, the code fingerprint it was written under, and the
    data, checked strictly (a subclass per file names the data's type)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    format: int
    code: str
    data: DataT


CacheFileT = TypeVar("CacheFileT", bound=CacheFile[Any])


def load_cache(path: Path, schema: type[CacheFileT]) -> CacheFileT | None:
    """The cache file at ``path`` checked against ``schema``, or ``None`` when there is none or
    it cannot be trusted: not a regular file, too large, not gzip-compressed JSON, not exactly
    the structure of ``schema`` (each logged as a warning: the file is damaged or foreign), or
    another format or code fingerprint (logged at INFO: the generator changed).
    Nothing in the file is executed: it is parsed as JSON and validated as plain data."""
    try:
        raw = _read_regular_file(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("ignoring the cache file %s: %s", path, exc)
        return None
    try:
        text = _gunzip(raw)
        stored = schema.model_validate_json(text)
    except (OSError, EOFError, zlib.error, ValueError, ValidationError) as exc:
        # ValidationError: not this version's structure (another format, a foreign or forged file)
        reason = f"{exc.error_count()} value(s) not as expected" if isinstance(exc, ValidationError) else exc
        log.warning("ignoring the cache file %s (damaged or not a cache file): %s", path, reason)
        return None
    if stored.format != CACHE_FORMAT or stored.code != code_fingerprint():
        # expected after every upgrade or edit of the generator: not worth a warning
        log.info("ignoring the cache file %s: written by another version of the generator", path)
        return None
    return stored


def _read_regular_file(path: Path) -> bytes:
    """The bytes of ``path``, refusing a symbolic link, anything but a regular file (a FIFO
    would block), and a file larger than :data:`MAX_CACHE_BYTES`."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if path.is_symlink():
            raise OSError(f"{path.name} is a symbolic link") from exc
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path.name} is not a regular file")
        if info.st_size > MAX_CACHE_BYTES:
            raise OSError(f"{path.name} is larger than {MAX_CACHE_BYTES} bytes")
        return handle.read(MAX_CACHE_BYTES + 1)


def _gunzip(raw: bytes) -> bytes:
    """One gzip member, at most :data:`MAX_CACHE_BYTES` once decompressed."""
    inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    data = inflate.decompress(raw, MAX_CACHE_BYTES + 1)
    if len(data) > MAX_CACHE_BYTES:
        raise ValueError(f"more than {MAX_CACHE_BYTES} bytes once decompressed")
    if not inflate.eof or inflate.unused_data:
        raise EOFError("not one complete gzip stream")
    return data


#: In the cache folder: the secret that seals the entries of its cache files (:func:`seal`).
SECRET_FILE = "secret"
SECRET_BYTES = 32


def cache_secret(cache_dir: Path) -> bytes:
    """The secret of ``cache_dir``, made on first use: random bytes in a file only its owner
    may read. A cache entry sealed with it (:func:`seal`) was written by a build that used
    this folder: an entry edited, moved under another key, or copied from another cache folder
    does not match its seal and is not trusted."""
    path = cache_dir / SECRET_FILE
    try:
        secret = _read_regular_file(path)
        if len(secret) == SECRET_BYTES:
            return secret
        log.warning("the cache secret %s is not %d bytes: making a new one", path, SECRET_BYTES)
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("the cache secret %s cannot be read (%s): making a new one", path, exc)
    secret = secrets.token_bytes(SECRET_BYTES)
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{SECRET_FILE}.", dir=cache_dir)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secret)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return secret


def seal(secret: bytes, *parts: str) -> str:
    """An HMAC-SHA256 of ``parts`` under ``secret``, in hex."""
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        mac.update(b"%d:" % len(data) + data)
    return mac.hexdigest()


def save_cache(path: Path, schema: type[CacheFileT], data: Any) -> None:
    """Write ``data`` as ``schema`` (checked on the way in) atomically: compact JSON,
    gzip-compressed, into a temporary file renamed over the old one.

    A mapping (a ``CacheFile[dict[K, V]]``) is checked, serialized and compressed one entry at
    a time: at 50,000 mentors the validation cache is 93 MB of JSON, and making it whole first
    (pydantic's growing buffer, then its copy as ``bytes``) took 430 MB at the build's peak."""
    code = code_fingerprint()
    entries = _entry_adapters(schema)
    with (
        open_atomically(path) as handle,
        gzip.GzipFile(filename="", mode="wb", fileobj=handle, compresslevel=1, mtime=0) as out,
    ):
        if entries is None or not isinstance(data, Mapping):
            stored = schema(format=CACHE_FORMAT, code=code, data=data)
            out.write(stored.__pydantic_serializer__.to_json(stored))
            return
        keys, values = entries
        out.write(b'{"format":%d,"code":%s,"data":{' % (CACHE_FORMAT, json.dumps(code).encode()))
        for i, (key, value) in enumerate(data.items()):
            key = keys.validate_python(key, strict=True)
            value = values.validate_python(value, strict=True)
            out.write((b"," if i else b"") + keys.dump_json(key) + b":" + values.dump_json(value))
        out.write(b"}}")


@functools.cache
def _entry_adapters(schema: type[CacheFile[Any]]) -> tuple[TypeAdapter[Any], TypeAdapter[Any]] | None:
    """The adapters of the keys and values of ``schema``'s data when it is a ``dict`` with text
    keys (a JSON object's), else ``None``."""
    annotation = schema.model_fields["data"].annotation
    if typing.get_origin(annotation) is not dict:
        return None
    key, value = typing.get_args(annotation)
    if key is not str:
        return None
    return TypeAdapter(key), TypeAdapter(value)


class Fingerprinter:
    """Content hashes of template values, with the hashes of shared values remembered.

    Values shared by every page (the vocabulary, the counts) are hashed once per build: they
    are remembered by identity, and kept alive so an identity is never reused.
    """

    def __init__(self) -> None:
        self._shared: dict[int, tuple[Any, bytes]] = {}

    def remember(self, value: Any) -> None:
        """Hash ``value`` once and reuse the hash whenever the same object is met again.

        Scalars are not remembered: ``False``, small ints and interned strings are shared
        objects, so remembering one would change the hash of every value holding it, depending
        on which other settings happen to exist (a build's keys would not match the next's).
        Remembering the same object twice keeps its first hash."""
        if value is None or isinstance(value, bool | int | float | str):
            return
        known = self._shared.get(id(value))
        if known is not None and known[0] is value:
            return
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

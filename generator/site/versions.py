"""The versions pages and ``directory.js`` name data files with: hashes of their bytes.

A page names a data file with ``?v=`` and the hash of that file's own bytes
(:func:`generator.site.data_files.data_versions`), so a page's HTML changes only when a file it
loads changes. The search index (``terms.json``, the term files and the shards) changes with
nearly every bio edit: no page names its version; ``search/version.json`` (a few dozen bytes,
fetched without the browser's cache) does (:func:`index_version`), and ``directory.js`` reads
it before the index (docs/performance.md, "Rebuilds").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

#: lunr.js in ``node_modules``, copied into ``search/`` (pages name its version too)
LUNR_FILE = "lunr/lunr.min.js"
SEARCH_DIR = "search"
#: the search index's version, read by directory.js (never cached by the browser)
SEARCH_VERSION_FILE = "version.json"
VERSION_LENGTH = 12


def file_version(paths: Iterable[Path], root: Path | None = None) -> str:
    """A short hash of the bytes of ``paths`` (in the order given) and of their names (their
    paths relative to ``root``, if given)."""
    digest = hashlib.sha256()
    for path in paths:
        name = path.relative_to(root).as_posix() if root else path.name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:VERSION_LENGTH]


def index_version(files: Iterable[tuple[str, str]]) -> str:
    """The search index's version: a short hash of each of its files' name and SHA-256 (hex),
    in the order given — so a rebuild that knows the hashes of the files it did not write
    (the people index's state does) need not read them again."""
    digest = hashlib.sha256()
    for name, sha256 in files:
        digest.update(f"{name}\0{sha256}\0".encode())
    return digest.hexdigest()[:VERSION_LENGTH]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def index_version_text(version: str) -> str:
    """``search/version.json``'s text."""
    return json.dumps({"index": version}, separators=(",", ":")) + "\n"

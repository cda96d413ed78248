"""Writing a file whole or not at all: a reader sees the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def open_atomically(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through, piece by piece: a temporary file of its own
    beside it, flushed to disk and renamed over ``path`` when the block ends without an error.
    On any failure the temporary file is removed and ``path`` is as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8 with ``\\n`` line ends, or bytes) to ``path``: into a
    temporary file of its own beside it, flushed to disk, then renamed over ``path``. On any
    failure the temporary file is removed and ``path`` is as it was."""
    if isinstance(data, str):
        data = data.encode("utf-8")  # no newline translation on POSIX: "\n" stays "\n"
    with open_atomically(path) as handle:
        handle.write(data)

"""A rebuild that touches only what changed: the partial build applied onto the previous output.

A full build stages every file in a new folder and swaps it for the output whole
(:func:`generator.site.build.build_site`). With the build cache and a trusted previous output,
:class:`generator.site.page_writer.PageWriter` renders into the staging folder only the pages
whose content changed; an unchanged page is checked with one ``stat`` against what the previous
build wrote and stays where it is (no link, no copy, no folder made). It lists those pages in
:data:`KEPT_FILE` in the staging folder. :func:`apply_partial` then moves each staged file over
its old copy (``os.replace``, atomic per file) unless the bytes are the same (then the old
file stays, its mtime too), and deletes the files the previous build wrote and this one has
not (known from :data:`FILES_CACHE`, so the output is never walked).

While it applies, :data:`APPLYING_MARKER` is in the output: a build stopped half-way leaves it,
and the next build trusts nothing of that output (:func:`generator.site.build.previous_build_id`)
and builds everything into a new folder swapped whole. A failed build never reaches this step:
the output is untouched.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from generator.core.cache import CacheFile, load_cache, save_cache

log = logging.getLogger(__name__)

#: in the staging folder of a partial build: the pages kept from the previous output, one a line
KEPT_FILE = ".mentormemed-kept"
#: in the output while a partial build is applied onto it
APPLYING_MARKER = ".mentormemed-applying"
#: in the cache folder: every file of the output the last build made
FILES_CACHE = "output-files.json.gz"


class StoredFiles(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    build_id: str
    files: list[str]


class FilesCache(CacheFile[StoredFiles]):
    """The cache file listing the files of the output the last build made."""


def staged_files(folder: Path) -> list[str]:
    """Every file under ``folder``, as sorted paths relative to it (``/``-separated)."""
    found: list[str] = []
    for root, _, names in os.walk(folder):
        prefix = Path(root).relative_to(folder).as_posix()
        for name in names:
            found.append(name if prefix == "." else f"{prefix}/{name}")
    return sorted(found)


def save_files(cache_dir: Path, build_id: str, files: Iterable[str]) -> None:
    save_cache(cache_dir / FILES_CACHE, FilesCache, StoredFiles(build_id=build_id, files=sorted(files)))


def load_files(cache_dir: Path, build_id: str) -> set[str] | None:
    """The files of the output made by the build ``build_id``, or ``None`` if not known."""
    stored = load_cache(cache_dir / FILES_CACHE, FilesCache)
    if stored is None or stored.data.build_id != build_id:
        return None
    return set(stored.data.files)


def kept_pages(staging: Path) -> set[str] | None:
    """The pages a partial build kept from the previous output; ``None`` for a full build."""
    try:
        text = (staging / KEPT_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return {line for line in text.splitlines() if line}


def _remove(output: Path, name: str) -> None:
    from pelican.utils import sanitised_join

    path = Path(sanitised_join(str(output), name))
    path.unlink(missing_ok=True)
    parent = path.parent
    while parent != output:
        try:
            parent.rmdir()  # only when empty
        except OSError:
            break
        parent = parent.parent


def _same_file(new: Path, old: Path) -> bool:
    """``old`` is a regular file with ``new``'s bytes: the same inode (a file of the search index
    hard-linked from the previous output), or the same size and bytes."""
    try:
        if old.is_symlink() or not old.is_file():
            return False
        old_stat, new_stat = old.stat(), new.stat()
        if (old_stat.st_dev, old_stat.st_ino) == (new_stat.st_dev, new_stat.st_ino):
            return True
        if old_stat.st_size != new_stat.st_size:
            return False
        return old.read_bytes() == new.read_bytes()
    except OSError:
        return False


@contextlib.contextmanager
def applying(output: Path, what: str) -> Iterator[None]:
    """:data:`APPLYING_MARKER` in ``output`` while files are moved onto it; left there when the
    block stops with an error, so the next build trusts nothing of that output."""
    marker = output / APPLYING_MARKER
    marker.write_text(f"{what} is being applied; the next build replaces the folder.\n", "utf-8")
    yield
    marker.unlink()


def move_staged(staging: Path, names: Iterable[str], target_of: Callable[[str], Path]) -> list[str]:
    """Move each staged file ``name`` of ``staging`` over ``target_of(name)`` (``os.replace``,
    atomic per file), unless that is already a regular file with its bytes (then the old file
    and its mtime stay); the names moved."""
    moved: list[str] = []
    for name in names:
        target = target_of(name)
        if _same_file(staging / name, target):
            continue  # written again, to the same bytes: the old file (and its mtime) stays
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
        moved.append(name)
    return moved


def apply_partial(staging: Path, output: Path, kept: set[str], previous: set[str]) -> list[str]:
    """Move the files of ``staging`` over ``output``, delete the files of ``previous`` (the
    previous build's) that this build has not, remove ``staging``; the output's files now."""
    from pelican.utils import sanitised_join

    (staging / KEPT_FILE).unlink()
    staged = staged_files(staging)
    files = set(staged) | kept
    with applying(output, "A partial build"):
        moved = move_staged(staging, staged, lambda name: Path(sanitised_join(str(output), name)))
        removed = sorted(previous - files)
        for name in removed:
            _remove(output, name)
    shutil.rmtree(staging, ignore_errors=True)
    log.info("applied %d file(s) onto %s, removed %d, kept %d", len(moved), output, len(removed), len(kept))
    return sorted(files)

"""Where the project's own files are: the repository root, found once."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

#: The ``generator`` package's folder.
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def find_project_root() -> Path:
    """The repository whose schemas/, theme/ and node_modules/ the tools use.

    ``$MENTORMEMED_ROOT`` if set; else the checkout this package was installed from in
    editable mode; else the nearest folder, from the working directory up, that holds
    schemas/vocabulary.yml (a non-editable install run inside a clone of the repository,
    as the GitHub workflows do).
    """
    if env := os.environ.get("MENTORMEMED_ROOT"):
        return Path(env).resolve()
    beside = PACKAGE_DIR.parent
    if (beside / "schemas" / "vocabulary.yml").is_file():
        return beside
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / "schemas" / "vocabulary.yml").is_file():
            return folder
    return beside


@cache
def project_root() -> Path:
    """:func:`find_project_root`, looked up once per process."""
    return find_project_root()

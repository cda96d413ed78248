"""Build output where content comes from: a build cache or a built site committed to the
repository that holds the content, or lying inside the content folder.

Everything in the repository reaches the build through review, except what nobody reads: a
cache or a built site added with ``git add -f`` shows on GitHub only as "binary" or as a heap of
generated files. A build that used them would publish what no one reviewed, so they are
problems, reported with the fix (docs/security.md), and the build uses no cache while they
are there. Git is asked which files it tracks (``git ls-files``, in the repository that holds
the content folder, when there is one and git is installed); the content folder itself is
searched whatever git says.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path, PurePosixPath

from generator.core.cache import BUILD_MARKER, CACHE_DIR_NAME
from generator.core.problems import Problem

log = logging.getLogger(__name__)

#: The default output folder of ``mentormemed build`` (``--output``).
OUTPUT_DIR_NAME = "output"
CODE_COMMITTED = "committed-build-output"
CODE_IN_CONTENT = "build-output-in-content"
#: Variables that would make git look at another repository than the content's.
_GIT_LOCATION_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
)
_GIT_TIMEOUT = 60


def build_output_problems(content: Path) -> list[Problem]:
    """A problem for each build cache or built site that the content's repository tracks, or
    that lies inside ``content`` (one per folder, with the path and the fix)."""
    found = {problem.path: problem for problem in _tracked(content)}
    for problem in _inside(content):
        found.setdefault(problem.path, problem)
    return sorted(found.values())


def _inside(content: Path) -> list[Problem]:
    """Caches and build stamps anywhere in the content folder (not following links)."""
    problems: list[Problem] = []
    for root, folders, files in os.walk(content):
        for name in sorted({*folders, *files} & {CACHE_DIR_NAME, BUILD_MARKER}):
            where = (Path(root) / name).as_posix()
            what = "a build cache" if name == CACHE_DIR_NAME else f"a built site's stamp ({BUILD_MARKER})"
            problems.append(
                Problem(
                    where,
                    1,
                    1,
                    CODE_IN_CONTENT,
                    f"this is {what}, inside the content folder: the content folder holds only "
                    f"content, and a build never reads a cache from it. Delete it (rm -r {where}; if "
                    f"git tracks it, git rm -r --cached {where}) and build with --output outside the "
                    "content folder.",
                )
            )
        folders[:] = [f for f in folders if f not in {CACHE_DIR_NAME, ".git"}]
    return problems


def _tracked(content: Path) -> list[Problem]:
    """Caches, built sites and build stamps tracked by the git repository holding ``content``."""
    if not content.is_dir():
        return []
    located = _git(content, "rev-parse", "--show-toplevel", "--show-prefix")
    if located is None:
        return []
    top_text, _, prefix = os.fsdecode(located).rstrip("\n").partition("\n")
    top = Path(top_text)
    beside = PurePosixPath(prefix.rstrip("/")).parent
    pathspecs = [
        f":(top,glob)**/{CACHE_DIR_NAME}",
        f":(top,glob)**/{CACHE_DIR_NAME}/**",
        f":(top,glob)**/{BUILD_MARKER}",
        f":(top){OUTPUT_DIR_NAME}/",
    ]
    if str(beside) != ".":
        pathspecs.append(f":(top){beside / OUTPUT_DIR_NAME}/")
    listed = _git(content, "ls-files", "-z", "--full-name", "--", *pathspecs)
    if listed is None:
        return []
    folders: dict[str, str] = {}
    for entry in listed.split(b"\0"):
        if entry:
            name, what = _unit(PurePosixPath(os.fsdecode(entry)), beside)
            folders.setdefault(name, what)
    return [_committed(_show(top, name, content), what) for name, what in sorted(folders.items())]


def _unit(path: PurePosixPath, beside: PurePosixPath) -> tuple[str, str]:
    """The folder (or stamp) to report for one tracked file, and what it is."""
    parts = path.parts
    if CACHE_DIR_NAME in parts:
        return PurePosixPath(*parts[: parts.index(CACHE_DIR_NAME) + 1]).as_posix(), "a build cache"
    for outputs in (PurePosixPath(OUTPUT_DIR_NAME), beside / OUTPUT_DIR_NAME):
        if path.is_relative_to(outputs) and path != outputs:
            return outputs.as_posix(), "a built site (the default --output folder)"
    return path.as_posix(), "the stamp of a built site: its folder is build output"


def _committed(where: str, what: str) -> Problem:
    return Problem(
        where,
        1,
        1,
        CODE_COMMITTED,
        f"this is {what}, committed to the repository: build output is never committed, and "
        "the build uses no cache while it is there. Remove it with "
        f"`git rm -r --cached -- {where}`, commit, and list it in .gitignore.",
    )


def _show(top: Path, name: str, content: Path) -> str:
    """A repository path as the other problems show paths: relative when ``content`` is."""
    path = top / name
    if content.is_absolute():
        return path.as_posix()
    return Path(os.path.relpath(path)).as_posix()


def _git(content: Path, *args: str) -> bytes | None:
    """The output of ``git -C content args``, or ``None`` (logged) when there is no answer:
    git is not installed, ``content`` is not in a git work tree, or git failed."""
    git = shutil.which("git")
    if git is None:
        log.debug("git is not installed: not checking for committed build output")
        return None
    env = {key: value for key, value in os.environ.items() if key not in _GIT_LOCATION_VARIABLES}
    try:
        done = subprocess.run(
            [git, "--no-optional-locks", "-C", str(content), *args],
            capture_output=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not ask git whether build output is committed: %s", exc)
        return None
    if done.returncode != 0:
        error = os.fsdecode(done.stderr).strip()
        if "not a git repository" in error:
            log.debug("%s is not in a git repository", content)
        else:
            log.warning("could not ask git whether build output is committed: %s", error)
        return None
    return done.stdout

"""Pull-request feedback for people who edit files: one sticky summary comment, and a preview
of the changed mentors' pages.

The Validate workflow runs a pull request's content with a read-only token and writes what it
found as files (``mentormemed validate --format json`` and the pull request's number and head
commit); a separate ``workflow_run`` job, which never checks out or runs the pull request's
code, reads those files with :func:`read_report` — as untrusted data: a fork controls them —
and posts or updates the one comment with :func:`post_summary`. That job refuses a report whose
commit is not the pull request's current head (a fork cannot aim its report at another pull
request), and every text of the report reaches the comment only through
:func:`generator.profiles.comments.inert`.

:func:`collect_preview` copies the built pages of the changed mentors and programs (and the
theme they use) into a folder uploaded as the run's artifact.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.bot.github import UpsertResult
from generator.content.models import ID_PATTERN
from generator.profiles.comments import inert
from generator.profiles.github import ProfileGitHub

#: The first line of the summary comment on a pull request.
SUMMARY_MARKER = "<!-- mentormemed-pr-summary:v1 -->"
#: The most problems listed in the comment; the rest are counted.
MAX_LISTED = 50
#: The largest report read, in bytes.
MAX_REPORT_BYTES = 2_000_000


class ReportError(ValueError):
    """The report files are not what the Validate workflow writes (or do not match the pull request)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


class ReportProblem(_Strict):
    path: Annotated[str, Field(max_length=500)]
    line: Annotated[int, Field(ge=0)]
    col: Annotated[int, Field(ge=0)]
    code: Annotated[str, Field(max_length=80)]
    message: Annotated[str, Field(max_length=5000)]


class Report(_Strict):
    """``mentormemed validate --format json``'s output."""

    version: int
    ok: bool
    files_checked: Annotated[int, Field(ge=0)]
    problems: Annotated[list[ReportProblem], Field(max_length=100_000)]


class PullInfo(_Strict):
    """Which pull request and commit the report is about (written by the Validate workflow)."""

    number: Annotated[int, Field(ge=1)]
    head_sha: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]


def _read_json(path: Path) -> object:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReportError(f"{path.name}: cannot be read ({type(exc).__name__})") from None
    if len(raw) > MAX_REPORT_BYTES:
        raise ReportError(f"{path.name}: larger than {MAX_REPORT_BYTES:,} bytes")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ReportError(f"{path.name}: not JSON") from None


def read_report(report: Path, pull: Path) -> tuple[Report, PullInfo]:
    """The report and the pull request it is about; :class:`ReportError` for anything else."""
    try:
        return Report.model_validate(_read_json(report)), PullInfo.model_validate(_read_json(pull))
    except ValidationError as exc:
        raise ReportError(
            f"the report files do not have the expected shape ({exc.error_count()} error(s))"
        ) from None


def render_summary(report: Report) -> str:
    """The sticky comment: every problem with where it is and its fix, or that all is well."""
    if report.ok:
        return "\n".join(
            [
                SUMMARY_MARKER,
                "### ✅ Mentor and program files: all valid",
                "",
                f"{report.files_checked} changed file(s) checked; nothing to fix. A preview of the changed "
                "pages is attached to the **Validate** run as the artifact `preview` (download it from the "
                "run's **Summary** page, unzip it and open a page's `index.html`).",
            ]
        )
    files = sorted({p.path for p in report.problems})
    lines = [
        SUMMARY_MARKER,
        f"### ❌ Mentor and program files: {len(report.problems)} problem(s) to fix",
        "",
        "Each line says the file, the line in it, what is wrong and how to fix it. Fix them in "
        "**Files changed** (**⋯** → **Edit file**) and commit: this comment is updated after every run.",
        "",
    ]
    listed = 0
    for path in files:
        if listed >= MAX_LISTED:
            break
        lines.append(f"**{inert(path, 200)}**")
        for problem in (p for p in report.problems if p.path == path):
            if listed >= MAX_LISTED:
                break
            listed += 1
            lines.append(f"- line {problem.line}: {inert(problem.message)} ({inert(problem.code, 60)})")
        lines.append("")
    if len(report.problems) > listed:
        lines.append(f"… and {len(report.problems) - listed} more: see the **Validate** run's log.")
    lines.append("The guide for editors, docs/contributing-mentors.md, explains every kind of problem.")
    return "\n".join(lines).rstrip("\n")


def post_summary(gh: ProfileGitHub, report: Report, pull: PullInfo, *, expected_sha: str) -> UpsertResult:
    """Post or update the one summary comment on the pull request, after checking that the
    report is about EXPECTED_SHA (the commit GitHub says the run was for) and that this is the
    pull request's current head: a report cannot be aimed at another pull request."""
    if pull.head_sha != expected_sha:
        raise ReportError(
            f"the report names commit {pull.head_sha[:12]}, but the run was for "
            f"{expected_sha[:12]}: not posted"
        )
    current = gh.get_pull(pull.number)
    if current.head_sha != pull.head_sha:
        raise ReportError(
            f"the report is about commit {pull.head_sha[:12]}, but pull request #{pull.number} is at "
            f"{current.head_sha[:12]}: not posted"
        )
    return gh.upsert_comment(pull.number, SUMMARY_MARKER, render_summary(report)).result


_ID = re.compile(ID_PATTERN)


def collect_preview(
    output: Path, changed: Sequence[str], dest: Path, content_prefix: str = "content"
) -> list[str]:
    """Copy the built pages of the mentors and programs among CHANGED (paths in the repository)
    and the theme into DEST; the pages copied (relative paths)."""
    pages: list[str] = []
    for raw in changed:
        path = PurePosixPath(raw)
        parts = path.parts
        prefix = PurePosixPath(content_prefix).parts
        if parts[: len(prefix)] != prefix or path.suffix != ".yml":
            continue
        rest = parts[len(prefix) :]
        if len(rest) == 3 and rest[0] == "mentors" and _ID.match(path.stem):
            pages.append(f"mentors/{path.stem}/index.html")
        elif len(rest) == 2 and rest[0] == "programs" and _ID.match(path.stem):
            pages.append(f"programs/{path.stem}/index.html")
    copied: list[str] = []
    dest.mkdir(parents=True, exist_ok=True)
    for page in dict.fromkeys(pages):
        source = output / page
        if source.is_file() and not source.is_symlink():
            target = dest / page
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            copied.append(page)
    theme = output / "theme"
    if copied and theme.is_dir() and not theme.is_symlink():
        shutil.copytree(theme, dest / "theme", symlinks=True, dirs_exist_ok=True)
    return copied

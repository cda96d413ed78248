"""Reporters: the same list of problems as text, GitHub annotations or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from generator.core.problems import Problem

REPORT_VERSION = 1


def text_report(problems: Sequence[Problem], files_checked: int | None = None) -> str:
    """``PATH:LINE:COL: error[CODE]: MESSAGE`` lines and a summary line.

    ``files_checked`` is how many files were read, when known (it is not for problems raised
    as a :class:`~generator.core.problems.ContentError`).
    """
    lines = [f"{p.path}:{p.line}:{p.col}: error[{p.code}]: {p.message}" for p in problems]
    files = len({p.path for p in problems})
    if problems:
        of = f" of {files_checked}" if files_checked is not None else ""
        lines.append(
            f"{len(problems)} problem(s) in {files}{of} file(s). "
            "Each line says the file, line and column, what is wrong and how to fix it."
        )
    else:
        lines.append(f"All {files_checked} file(s) are valid.")
    return "\n".join(lines)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_report(problems: Sequence[Problem], files_checked: int) -> str:
    """GitHub Actions workflow commands: one ``::error`` line per problem."""
    lines = [
        f"::error file={_escape_property(p.path)},line={p.line},col={p.col},"
        f"title={_escape_property(f'error[{p.code}]')}::{_escape_data(p.message)}"
        for p in problems
    ]
    if not problems:
        lines.append(f"All {files_checked} file(s) are valid.")
    return "\n".join(lines)


def json_report(problems: Sequence[Problem], files_checked: int) -> str:
    return json.dumps(
        {
            "version": REPORT_VERSION,
            "ok": not problems,
            "files_checked": files_checked,
            "problems": [p.as_dict() for p in problems],
        },
        indent=2,
        ensure_ascii=False,
    )


REPORTERS = {"text": text_report, "github": github_report, "json": json_report}

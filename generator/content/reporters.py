"""Reporters: the same list of problems as text, GitHub annotations or JSON."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence

from generator.content.textrules import BLANK_LOOKING, is_variation_selector
from generator.core.problems import Problem

REPORT_VERSION = 1

#: Line starts that GitHub Actions reads as a command in a job log (workflow commands, and the
#: older ``##[command]`` form): a text report line never starts with one.
_COMMAND_STARTS = ("::", "##")


def printable(value: str) -> str:
    """``value`` on one line, every control, line or paragraph separator and format character
    (bidi controls, zero-width characters), blank-looking letter and variation selector written
    as a visible escape such as ``\\n`` or ``\\u202e``; a value can then never start a new line
    in a log or reorder what is shown, and two names that differ only by such a character
    differ visibly."""
    out: list[str] = []
    for char in value:
        if (
            unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")
            or char in BLANK_LOOKING
            or is_variation_selector(ord(char))
        ):
            code = ord(char)
            named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
            wide = f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
            out.append(named or (f"\\x{code:02x}" if code < 0x100 else wide))
        else:
            out.append(char)
    return "".join(out)


def _text_line(problem: Problem) -> str:
    line = (
        f"{printable(problem.path)}:{problem.line}:{problem.col}: "
        f"error[{printable(problem.code)}]: {printable(problem.message)}"
    )
    return "./" + line if line.lstrip().startswith(_COMMAND_STARTS) else line


def text_report(problems: Sequence[Problem], files_checked: int | None = None) -> str:
    """``PATH:LINE:COL: error[CODE]: MESSAGE`` lines and a summary line.

    ``files_checked`` is how many files were read, when known (it is not for problems raised
    as a :class:`~generator.core.problems.ContentError`).
    """
    lines = [_text_line(p) for p in problems]
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
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


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

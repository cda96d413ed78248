"""Read a load file: a JSON object of mentor id → how many mentees they mentor now."""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path

from generator.content.yamlload import load_bytes
from generator.core.problems import ContentError, Problem

MAX_LOAD_BYTES = 16 * 1024 * 1024


def read_load(path: Path | str, mentor_ids: Container[str]) -> dict[str, int]:
    """The current load of each mentor listed in ``path`` (others have none).

    Raises :class:`ContentError` naming the file, line and fix for anything that is not an
    object of known mentor ids → whole numbers from 0 up.
    """
    name = Path(path).as_posix()
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        problem = Problem(name, 1, 1, "unreadable", f"cannot read the file: {exc.strerror}")
        raise ContentError([problem]) from None
    loaded = load_bytes(raw, name, max_bytes=MAX_LOAD_BYTES)
    # the loader's "not a mapping" advice is about YAML records: say it for a load file instead
    problems = [p for p in loaded.problems if p.code != "not-a-mapping"]
    if problems:
        raise ContentError(problems)
    if not isinstance(loaded.data, dict):
        raise ContentError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "bad-load",
                    "the load file must be a JSON object of mentor id → current mentees, "
                    'e.g. {"ana-example": 2}.',
                )
            ]
        )
    load: dict[str, int] = {}
    for key, value in loaded.data.items():
        line, col = loaded.where((key,), key=True)
        if key not in mentor_ids:
            problems.append(
                Problem(
                    name,
                    line,
                    col,
                    "unknown-mentor",
                    f"'{key}' is not a mentor id in the directory: fix the spelling or remove the line.",
                )
            )
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(
                Problem(
                    name,
                    line,
                    col,
                    "bad-load",
                    f"the load of '{key}' must be a whole number of current mentees, not {value!r}.",
                )
            )
        elif value < 0:
            problems.append(
                Problem(
                    name,
                    line,
                    col,
                    "bad-load",
                    f"the load of '{key}' is {value}: a number of mentees cannot be negative.",
                )
            )
        else:
            load[key] = value
    if problems:
        raise ContentError(problems)
    return load

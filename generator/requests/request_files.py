"""Read many request files at once (a program's incoming class) for cohort matching."""

from __future__ import annotations

from pathlib import Path

from generator.content.models import Request
from generator.content.validation import load_record
from generator.content.vocabulary import Vocabulary
from generator.core.problems import ContentError, Problem

REQUEST_SUFFIXES = (".yml", ".yaml", ".json")


def load_requests(path: Path | str, vocab: Vocabulary | None = None) -> dict[str, Request]:
    """Requests by id from a folder of request files, or from one file (coded fields checked
    against ``vocab``, default: the project's vocabulary).

    A request's id is its file name without the suffix. Every file is checked; raises
    :class:`ContentError` with every problem of every file.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix in REQUEST_SUFFIXES and not p.name.startswith(".") and p.is_file()
        )
        if not files:
            raise ContentError(
                [
                    Problem(
                        path.as_posix(),
                        1,
                        1,
                        "no-requests",
                        f"no request files (*{', *'.join(REQUEST_SUFFIXES)}) in this folder.",
                    )
                ]
            )
    elif path.is_file():
        files = [path]
    else:
        raise ContentError([Problem(path.as_posix(), 1, 1, "not-found", "no such file or folder.")])
    problems: list[Problem] = []
    requests: dict[str, Request] = {}
    first: dict[str, Path] = {}
    for file in files:
        if file.stem in first:
            problems.append(
                Problem(
                    file.as_posix(),
                    1,
                    1,
                    "duplicate-id",
                    f"'{first[file.stem].name}' has the same request id '{file.stem}': rename one of them.",
                )
            )
            continue
        first[file.stem] = file
        try:
            requests[file.stem] = load_record(file, Request, vocab)
        except ContentError as exc:
            problems += exc.problems
    if problems:
        raise ContentError(problems)
    return requests

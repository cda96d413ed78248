"""Problems found in content files, as data: the reporters turn them into text."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, with where it is and how to fix it.

    ``line`` and ``col`` are 1-based; ``message`` says what is wrong and the fix.
    """

    path: str
    line: int
    col: int
    code: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class ContentError(Exception):
    """Content that may not be used (built, matched, published) because it has problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        first = self.problems[0] if self.problems else None
        where = f" (first: {first.path}:{first.line}: {first.message})" if first else ""
        super().__init__(f"{len(self.problems)} problem(s) in content{where}")

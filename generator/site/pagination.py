"""The directory's server-rendered pages: the mentors on each, their addresses, and the page
numbers each one links to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from generator.search.facets import PAGE_SIZE

T = TypeVar("T")


@dataclass(frozen=True)
class Pagination:
    """Where one server-rendered directory page sits among all of them."""

    number: int
    count: int

    @property
    def window(self) -> list[int | None]:
        """Page numbers to link: the first, the last, two either side of this one (None: a gap)."""
        shown = sorted({1, self.count, *range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def directory_pages(items: Sequence[T], size: int = PAGE_SIZE) -> list[list[T]]:
    """The items of each directory page, in order (one empty page when there is none)."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]


def page_path(number: int) -> str:
    """The address of directory page ``number``, relative to the site: ``directory/``,
    ``directory/page/2/``…"""
    return "directory/" if number == 1 else f"directory/page/{number}/"

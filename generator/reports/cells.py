"""The small-cell rule: a count of people under :data:`SMALL_CELL` (11) is never published.

A published count is an ``int``; a suppressed one is ``None`` ("fewer than 11", or hidden
to protect another cell). Zero is suppressed too (it is "fewer than 11"): a published zero
next to a suppressed cell would narrow it. Where rows split a published total (each request
has one stage; each mentor one program), one suppressed row could be found by subtraction,
so :func:`protect_partition` hides the smallest other row as well (secondary suppression).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.requests.ledger import SMALL_CELL

Cell = int | None


def cell(count: int) -> Cell:
    """``count``, or None when it is under the small-cell limit."""
    return count if count >= SMALL_CELL else None


def protect_partition(cells: list[Cell], true_counts: Sequence[int]) -> list[Cell]:
    """Rows that add up to a published total: when exactly one is suppressed, hide the
    smallest published one too, so no row is the total minus the others."""
    out = list(cells)
    hidden = [i for i, c in enumerate(out) if c is None]
    if len(hidden) == 1:
        shown = [i for i, c in enumerate(out) if c is not None]
        if shown:
            smallest = min(shown, key=lambda i: (true_counts[i], i))
            out[smallest] = None
    return out


def show(value: Cell) -> str:
    """A cell as a page or a CSV shows it."""
    return "fewer than 11" if value is None else f"{value:,}"

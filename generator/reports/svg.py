"""Static SVG bar charts, drawn at build time: no script, no third-party file.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says every value
in words (its text alternative); pages put the same figures in a table beside it. A suppressed
value is drawn as an empty outlined bar labelled "fewer than 11". Colours are presentation
attributes (the site's CSP allows no inline style).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from generator.reports.cells import show

_ids = itertools.count(1)

WIDTH = 640
LABEL_WIDTH = 220
BAR_HEIGHT = 22
GAP = 10
BAR_COLOUR = "#1f5f8b"
COMPARE_COLOUR = "#b35c00"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    #: how the value is written beside the bar (default: the count, or "fewer than 11")
    text: str | None = None
    compare: bool = False


def bar_chart(title: str, bars: Sequence[Bar], *, maximum: float | None = None, chart_id: str | None = None) -> Markup:
    """A horizontal bar chart of ``bars`` scaled to ``maximum`` (default: the largest value)."""
    ident = chart_id or f"chart-{next(_ids)}"
    values = [b.value for b in bars if b.value is not None]
    top = maximum if maximum is not None else max(values, default=0.0)
    height = GAP + len(bars) * (BAR_HEIGHT + GAP)
    plot = WIDTH - LABEL_WIDTH - 140
    words = []
    parts = []
    for row, bar in enumerate(bars):
        y = GAP + row * (BAR_HEIGHT + GAP)
        text = bar.text if bar.text is not None else show(None if bar.value is None else int(bar.value))
        words.append(f"{bar.label}: {text}")
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end" '
            f'class="chart-label">{escape(bar.label)}</text>'
        )
        if bar.value is None:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="24" height="{BAR_HEIGHT}" fill="none" '
                f'stroke="#555555" stroke-dasharray="3 2"/>'
            )
            end = LABEL_WIDTH + 24
        else:
            width = 0 if top <= 0 else max(plot * bar.value / top, 1)
            colour = COMPARE_COLOUR if bar.compare else BAR_COLOUR
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>'
            )
            end = LABEL_WIDTH + width
        parts.append(
            f'<text x="{end + 6:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}" class="chart-value">{escape(text)}</text>'
        )
    description = "; ".join(words) + "."
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby={quoteattr(ident + "-title")} '
        f"aria-describedby={quoteattr(ident + '-desc')}>"
        f'<title id={quoteattr(ident + "-title")}>{escape(title)}</title>'
        f'<desc id={quoteattr(ident + "-desc")}>{escape(description)}</desc>'
        + "".join(parts)
        + "</svg>"
    )
    return Markup(svg)  # noqa: S704 - every text in it is escaped above

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

#: The drawing's own units: a label line above each bar, so it reads at 360 px as at 1280 px.
WIDTH = 480
LABEL_LINE = 22
BAR_HEIGHT = 20
GAP = 12
VALUE_SPACE = 130
BAR_COLOUR = "#1f5f8b"
COMPARE_COLOUR = "#b35c00"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    #: how the value is written beside the bar (default: the count, or "fewer than 11")
    text: str | None = None
    compare: bool = False


def bar_chart(
    title: str, bars: Sequence[Bar], *, maximum: float | None = None, chart_id: str | None = None
) -> Markup:
    """A horizontal bar chart of ``bars`` scaled to ``maximum`` (default: the largest value)."""
    ident = chart_id or f"chart-{next(_ids)}"
    values = [b.value for b in bars if b.value is not None]
    top = maximum if maximum is not None else max(values, default=0.0)
    row_height = LABEL_LINE + BAR_HEIGHT + GAP
    height = GAP + len(bars) * row_height
    plot = WIDTH - VALUE_SPACE
    words = []
    parts = []
    for row, bar in enumerate(bars):
        top_y = GAP + row * row_height
        y = top_y + LABEL_LINE
        text = bar.text if bar.text is not None else show(None if bar.value is None else int(bar.value))
        words.append(f"{bar.label}: {text}")
        parts.append(f'<text x="0" y="{top_y + 16}" class="chart-label">{escape(bar.label)}</text>')
        if bar.value is None:
            parts.append(
                f'<rect x="1" y="{y}" width="24" height="{BAR_HEIGHT}" fill="none" '
                f'stroke="#555555" stroke-dasharray="3 2"/>'
            )
            end = 25.0
        else:
            width = 0 if top <= 0 else max(plot * bar.value / top, 1)
            colour = COMPARE_COLOUR if bar.compare else BAR_COLOUR
            parts.append(f'<rect x="0" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>')
            end = width
        parts.append(f'<text x="{end + 6:.1f}" y="{y + 15}" class="chart-value">{escape(text)}</text>')
    description = "; ".join(words) + "."
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby={quoteattr(ident + "-title")} '
        f"aria-describedby={quoteattr(ident + '-desc')}>"
        f"<title id={quoteattr(ident + '-title')}>{escape(title)}</title>"
        f"<desc id={quoteattr(ident + '-desc')}>{escape(description)}</desc>" + "".join(parts) + "</svg>"
    )
    return Markup(svg)

"""Charts are static SVG with a text alternative, and every text in them is escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.reports.svg import Bar, bar_chart

NS = "{http://www.w3.org/2000/svg}"


def test_a_chart_has_a_title_a_description_of_every_value_and_no_script() -> None:
    svg = str(bar_chart("Requests <by> stage", [Bar("MS1 & MS2", 40), Bar("Premed", None)], chart_id="c1"))
    root = ET.fromstring(svg)  # well-formed: the labels were escaped
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and title.text == "Requests <by> stage"
    assert desc is not None and desc.text == "MS1 & MS2: 40; Premed: fewer than 11."
    assert root.find(f".//{NS}script") is None
    assert "style=" not in svg  # the site's CSP allows no inline style
    rects = root.findall(f"{NS}rect")
    assert rects[1].get("fill") == "none"  # a suppressed value: an empty outlined bar

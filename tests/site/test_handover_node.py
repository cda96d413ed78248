"""The team page's hand-over logic without the DOM (``theme/static/js/handover.js``, issue 20).

Its tests are JavaScript (``handover.test.js``: the fragment round trip, crafted fragments, the
text); this runs them with Node's test runner. tests/site/test_handover.py runs the page.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.node import run_node_tests

TESTS = Path(__file__).with_name("handover.test.js")


def test_handover_in_node() -> None:
    run_node_tests(TESTS, "handover.js")

"""The directory page's logic without the DOM (``theme/static/js/directory-state.js``).

Its tests are JavaScript (``directory_state.test.js``: the URL round trip, unknown and hostile
parameters, facet counts on a fixture counted by hand); this runs them with Node's test runner.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.node import run_node_tests

TESTS = Path(__file__).with_name("directory_state.test.js")


def test_directory_state_in_node() -> None:
    run_node_tests(TESTS, "directory-state.js")

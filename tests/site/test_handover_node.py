"""The team page's hand-over logic without the DOM (``theme/static/js/handover.js``, issue 20).

Its tests are JavaScript (``handover.test.js``: the fragment round trip, crafted fragments, the
text); this runs them with Node's test runner. tests/site/test_handover.py runs the page.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

NODE = shutil.which("node")
TESTS = Path(__file__).with_name("handover.test.js")


def test_handover_in_node() -> None:
    assert NODE, "node is required (Node 20): it runs handover.js's tests"
    done = subprocess.run(
        [NODE, "--test", "--test-reporter=tap", str(TESTS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout and "# pass 0" not in done.stdout, done.stdout

"""The directory page's logic without the DOM (``theme/static/js/directory-state.js``).

Its tests are JavaScript (``directory_state.test.js``: the URL round trip, unknown and hostile
parameters, facet counts on a fixture counted by hand); this runs them with Node's test runner.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

NODE = shutil.which("node")
TESTS = Path(__file__).with_name("directory_state.test.js")


def test_directory_state_in_node() -> None:
    assert NODE, "node is required (Node 20): it runs directory-state.js's tests"
    done = subprocess.run(
        [NODE, "--test", "--test-reporter=tap", str(TESTS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout and "# pass 0" not in done.stdout, done.stdout

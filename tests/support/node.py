"""Running a JavaScript test file (``node --test``) from pytest: the page scripts' logic
without the DOM, tested where it is written."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

NODE = shutil.which("node")


def run_node_tests(tests: Path, what: str) -> None:
    """Run TESTS with Node's test runner; fail with its output unless every test passed and
    at least one ran. WHAT names the script under test, for the message when Node is missing."""
    assert NODE, f"node is required (Node 20): it runs {what}'s tests"
    done = subprocess.run(
        [NODE, "--test", "--test-reporter=tap", str(tests)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout and "# pass 0" not in done.stdout, done.stdout

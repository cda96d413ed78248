"""Paths of the repository the tests run in."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases"
#: The test network's settings file: copy it into a content folder a test writes from scratch.
BASE_NETWORK = CASES / "base" / "network.yml"

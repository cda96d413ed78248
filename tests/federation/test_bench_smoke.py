"""The site benchmark's federation option still runs (a small size; the full 20 × 2,500 only
through `benchmarks/bench_site.py --federation 20x2500`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT


@pytest.mark.slow
def test_the_federation_benchmark_runs_at_a_small_size(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_site.py"), "--federation", "2x40", "--no-browser",
         "--json", str(out)],
        capture_output=True, text=True, timeout=600, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "federation: 100 local + 2 peers × 40 mentors" in done.stdout and "load before:" in done.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["mentors"] == 180
    for key in ("fetch_s", "fetch_mib", "build_s", "build_mib", "rebuild_s", "out_files"):
        assert figures[key] > 0, key

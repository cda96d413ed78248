"""Measure the in-browser matcher (theme/static/js/matcher.js) answer time (prints figures).

    .venv/bin/python benchmarks/bench_match_js.py [--mentors 10000] [--requests 100] [--chromium]

Writes the repository's sample network (content/, public fields only) and a synthetic
network of ``--mentors`` to a temporary JSON file with ``--requests`` synthetic requests
each, then times ``matchTeam`` in Node (benchmarks/bench_match_js.js); with ``--chromium``
also in Debian Chromium with the CPU slowed 4× (a mid-range laptop profile). Issue 6's
targets: 100 ms for the sample network and 300 ms for 10,000 mentors. Not a unit test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from generator.content.models import Mentor
from generator.content.validation import validate_content
from generator.content.vocabulary import vocabulary
from generator.demo.synthetic import synthetic_network
from generator.matching.config import matching_config
from generator.site.match_payload import matcher_mentor, matching_payload, vocabulary_labels

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
MATCHER_JS = ROOT / "theme" / "static" / "js" / "matcher.js"
NODE_SCRIPT = Path(__file__).with_name("bench_match_js.js")
SLOWDOWN = 4


def _public(mentors: Any) -> list[Mentor]:
    return [m.model_copy(update={"private_affinities": []}) for m in mentors]


def _data(mentors: int, requests: int) -> dict[str, Any]:
    content = validate_content(ROOT / "content")
    content.raise_for_problems()
    synthetic = synthetic_network(mentors, requests, seed=7)
    asks = [r.model_dump(mode="json") for r in synthetic.requests.values()]
    networks = {
        "sample": [matcher_mentor(m) for m in _public(content.mentors.values())],
        f"synthetic-{mentors}": [matcher_mentor(m) for m in _public(synthetic.mentors)],
    }
    zones = [m["timezone"] for ms in networks.values() for m in ms]
    return {
        "config": matching_payload(matching_config(), zones),
        "labels": vocabulary_labels(vocabulary()),
        "networks": {name: {"mentors": ms, "requests": asks} for name, ms in networks.items()},
    }


def _node(path: Path) -> dict[str, Any]:
    node = shutil.which("node")
    if not node:
        sys.exit("node (20) is required")
    done = subprocess.run(
        [node, str(NODE_SCRIPT), str(MATCHER_JS), str(path)], capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(done.stderr)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _chromium(data: dict[str, Any]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.add_script_tag(content=MATCHER_JS.read_text(encoding="utf-8"))
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})
        for name, network in data["networks"].items():
            page.evaluate(
                "d => { window.I = MentorMatcher.buildIndex(d.mentors, d.config); window.L = d.labels; }",
                {"mentors": network["mentors"], "config": data["config"], "labels": data["labels"]},
            )
            times = page.evaluate(
                """rs => rs.map(r => { const t = performance.now();
                     MentorMatcher.matchTeam(r, I, {labels: L, alternates: 3});
                     return performance.now() - t; })""",
                network["requests"],
            )
            times = sorted(times[1:])  # the first is the warm-up
            out[name] = {
                "median_ms": statistics.median(times),
                "p95_ms": times[int(0.95 * len(times))],
                "max_ms": times[-1],
            }
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--chromium", action="store_true", help=f"also time Chromium at {SLOWDOWN}x CPU slowdown"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    data = _data(args.mentors, args.requests)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        results: dict[str, Any] = {"node": _node(path)}
    if args.chromium:
        results[f"chromium_cpu_{SLOWDOWN}x"] = _chromium(data)
    sys.stdout.write(json.dumps(results, indent=1) + "\n")
    sys.stdout.write(f"(total {time.perf_counter() - started:.1f} s)\n")


if __name__ == "__main__":
    main()

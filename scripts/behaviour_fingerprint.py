"""Fingerprint what the project produces, to prove a refactoring changed no behaviour.

Builds the site from ``content/`` and from a 1,000-mentor demo network, runs ``match``,
``cohort`` and ``evaluate`` on the sample network and a small synthetic one, and writes one
JSON manifest: the SHA-256 of every output file and of every command's standard output.
Run it before and after a change and compare the two manifests::

    .venv/bin/python scripts/behaviour_fingerprint.py --output /tmp/before.json
    # ... change the code ...
    .venv/bin/python scripts/behaviour_fingerprint.py --output /tmp/after.json --compare /tmp/before.json

For the "before" side, check the old commit out in a git worktree and run the script there
with ``PYTHONPATH`` and ``MENTORMEMED_ROOT`` set to the worktree. It only calls the
``mentormemed`` command, so it runs unchanged on both sides of a refactoring.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [str(Path(sys.executable).parent / "mentormemed")]

REQUESTS = {
    "r1-premed": "stage: premed\nneeds: [med-school-application, financial-literacy]\n"
    "affinities: [first-generation]\n",
    "r2-ms3": "stage: ms3\nneeds: [residency-application, specialty-choice]\nspecialties: [pediatrics]\n"
    "languages: [es]\n",
    "r3-must": "stage: ms2\nneeds: [board-exams, wellness, belonging]\naffinities: [black]\n"
    "must: [affinities]\n",
    "r4-research": "stage: resident\nneeds: [research, academic-promotion, writing]\n",
    "r5-lgbtq": "stage: ms1\nneeds: [belonging, navigating-bias]\naffinities: [lgbtq]\nteam_size: 2\n",
}


def run(*args: str) -> bytes:
    result = subprocess.run([*COMMAND, *args], cwd=ROOT, capture_output=True, check=False)
    # Timings vary from run to run: the "seconds" figures of evaluate are left out.
    stdout = re.sub(rb'(?m)^(seconds .*|\s*"seconds": .*)$', b"", result.stdout)
    return b"exit %d\n" % result.returncode + stdout


def _bytes(path: Path) -> bytes:
    # demo-data points editors at the schemas by a path relative to the checkout: leave it out,
    # so that two checkouts in different folders can be compared.
    return re.sub(rb"(?m)^# yaml-language-server: .*$", b"", path.read_bytes())


def digest_tree(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(_bytes(path)).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".mentormemed-build"  # a per-build stamp
    }


def fingerprint(work: Path) -> dict[str, object]:
    manifest: dict[str, object] = {}
    requests = work / "requests"
    requests.mkdir()
    for name, text in REQUESTS.items():
        (requests / f"{name}.yml").write_text(text, encoding="utf-8")
    for name in REQUESTS:
        for fmt in ("json", "text", "markdown"):
            out = run(
                "match", "--request", str(requests / f"{name}.yml"), "--content", "content", "--format", fmt
            )
            manifest[f"match {name} {fmt}"] = out.decode("utf-8", "replace")
    manifest["cohort json"] = run("cohort", "--requests", str(requests), "--content", "content").decode()
    manifest["cohort csv"] = run(
        "cohort", "--requests", str(requests), "--content", "content", "--format", "csv"
    ).decode()
    manifest["evaluate content json"] = run(
        "evaluate", "--content", "content", "--requests", str(requests), "--format", "json"
    ).decode()
    manifest["evaluate synthetic"] = run(
        "evaluate", "--mentors", "400", "--requests", "150", "--seed", "5", "--groups"
    ).decode()
    manifest["evaluate synthetic json"] = run(
        "evaluate",
        "--mentors",
        "400",
        "--requests",
        "150",
        "--seed",
        "5",
        "--scenario",
        "tight",
        "--format",
        "json",
    ).decode()
    manifest["validate content"] = run("validate", "--content", "content", "--format", "json").decode()
    site = work / "site"
    manifest["build content"] = (
        run("build", "--content", "content", "--output", str(site), "--no-cache")
        .decode("utf-8", "replace")
        .count("\n")
    )
    manifest["site content"] = digest_tree(site)
    demo = work / "demo"
    run("demo-data", "--mentors", "1000", "--programs", "20", "--seed", "7", "--output", str(demo))
    manifest["demo content"] = digest_tree(demo)
    demo_site = work / "demo-site"
    run("build", "--content", str(demo), "--output", str(demo_site), "--no-cache")
    manifest["site demo"] = digest_tree(demo_site)
    return manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--compare", type=Path, help="A manifest from before the change.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        manifest = fingerprint(Path(tmp))
    args.output.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    print(f"wrote {args.output}: {len(manifest['site content'])} + {len(manifest['site demo'])} site files")
    if not args.compare:
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    differ = 0
    for key in sorted(set(before) | set(manifest)):
        old, new = before.get(key), manifest.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            for name in sorted(set(old) | set(new)):
                if old.get(name) != new.get(name):
                    differ += 1
                    print(f"differs: {key}: {name}")
        elif old != new:
            differ += 1
            print(f"differs: {key}")
    print("identical" if not differ else f"{differ} differences")
    return 1 if differ else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())

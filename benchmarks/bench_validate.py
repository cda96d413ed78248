"""How fast the strict loader and validator read a synthetic network (prints figures).

    .venv/bin/python benchmarks/bench_validate.py [N ...]

For each N (default 1,000 and 10,000 mentors) it writes a demo network with
`mentormemed demo-data`, then times loading every file with the strict loader alone
and a full `validate_content` (models and rules across files), and prints the peak
memory of the validation.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from generator.content.validation import discover, validate_content
from generator.content.yamlload import load_file
from generator.demo.network import write_network


def main(sizes: list[int]) -> None:
    print(f"{'mentors':>8} {'files':>7} {'write s':>8} {'load s':>7} {'validate s':>10} {'peak MiB':>9}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "net"
            start = time.perf_counter()
            files = write_network(out, n, max(1, n // 60), seed=1)
            written = time.perf_counter() - start
            start = time.perf_counter()
            paths, _ = discover(out)
            for _, path in paths:
                load_file(path)
            loaded = time.perf_counter() - start
            start = time.perf_counter()
            result = validate_content(out)
            validated = time.perf_counter() - start
            tracemalloc.start()  # a second run, as tracing slows Python down several times
            validate_content(out)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            assert result.ok, result.problems[:3]
            print(f"{n:>8} {files:>7} {written:>8.2f} {loaded:>7.2f} {validated:>10.2f} {peak:>9.1f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])

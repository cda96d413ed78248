"""What the directory's search loads, per query, from a built site's search files (prints figures).

    .venv/bin/python benchmarks/bench_search_files.py <site dir> [--no-node]

For ``search/terms.json``, the term files and the people shards: sizes (UTF-8 JSON and
gzip -9, as the site is served); then for each of benchmarks/bench_site.py's QUERIES, on a
fresh page: the term files and shards search.js fetches (computed by
:func:`generator.search.shards.files_for`, the same rules) and their gzip bytes, with and
without terms.json. Unless ``--no-node``, it then times search.js in Node
(benchmarks/bench_search_js.js) over the files read from disk: each query on a fresh search
object (files parsed, indexes built), then the 16 queries twice on one object (the benchmark's
pattern). Not a unit test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.queries import QUERIES  # noqa: E402
from generator.search.index import query_words  # noqa: E402
from generator.search.shards import (  # noqa: E402
    TERMS_FILE,
    files_for,
    load_search,
    shard_file,
    term_file,
    term_shards,
)

NODE_SCRIPT = Path(__file__).with_name("bench_search_js.js")


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def kb(n: float) -> str:
    return f"{n / 1000:.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--no-node", action="store_true")
    args = parser.parse_args()
    search_dir: Path = args.site / "search"
    terms = json.loads((search_dir / TERMS_FILE).read_text(encoding="utf-8"))
    terms_gz = gz(search_dir / TERMS_FILE)
    print(f"terms.json: {kb((search_dir / TERMS_FILE).stat().st_size)}, gzip {kb(terms_gz)}")
    term_gz = sorted(gz(search_dir / term_file(k)) for k in terms["termFiles"])
    print(
        f"term files: {len(term_gz)}, gzip median {kb(statistics.median(term_gz))}, "
        f"largest {kb(term_gz[-1])}, all {kb(sum(term_gz))}"
    )
    shard_gz = sorted(gz(search_dir / shard_file(n)) for n in range(terms["shardCount"]))
    print(
        f"shards: {len(shard_gz)}, gzip median {kb(statistics.median(shard_gz))}, largest {kb(shard_gz[-1])}"
    )
    data = load_search(search_dir)
    shard_of = term_shards(search_dir)
    print(f"\n{'query':<18} {'words':>5} {'terms':>5} {'shards':>6} {'gzip':>9} {'+terms.json':>12}")
    for query in QUERIES:
        words = query_words(query, data.stop_words)
        keys, shards = files_for(data, shard_of, words)
        keys &= set(terms["termFiles"])
        size = sum(gz(search_dir / term_file(k)) for k in keys) + sum(
            gz(search_dir / shard_file(n)) for n in shards
        )
        counts = f"{len(words):>5} {len(keys):>5} {len(shards):>6}"
        print(f"{query:<18} {counts} {kb(size):>9} {kb(size + terms_gz):>12}")
    node = shutil.which("node")
    if args.no_node or not node:
        return
    done = subprocess.run(
        [node, str(NODE_SCRIPT), str(ROOT / "node_modules" / "lunr"), str(ROOT / "theme/static/js/search.js"),
         str(search_dir), json.dumps(QUERIES)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    print("\n" + done.stdout)


if __name__ == "__main__":
    main()

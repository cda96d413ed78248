"""The directory site build at scale, against plain Pelican and Pagefind (issue 7, item 1; prints a table).

    .venv/bin/python benchmarks/bench_site.py [N ...] [--no-browser]

For each N (default 1,000; 10,000 and 50,000 allowed) it writes a synthetic network with
`mentormemed demo-data --mentors N --programs max(1, N // 60) --seed 1 --bios realistic`
(100–220-word bios over a large vocabulary, as mentors write; `--bios short` for the old
30–60-word demo bios), then measures:

- ours: `mentormemed build` as a subprocess (wall time, peak RSS), a rebuild after one mentor's
  bio changes (patched onto the output: generator/site/patch.py), a rebuild after another
  mentor's capacity changes (the cached build), and the output size (bytes and files);
- anchor (a): plain Pelican building one Markdown article per mentor (title, tags = specialties
  + affinities, bio), default theme, no cache;
- anchor (b): Pagefind (`pagefind-bin`, the binary ships in the wheel: nothing is downloaded)
  indexing our built site (time and index size);
- in Debian Chromium through Playwright, served on 127.0.0.1: gzip bytes fetched before the
  first result on /directory/ and for a query plus two filters, and search+filter latency
  (median and p95 over a fixed query set, from submit to the result list being final);
- the first query on a slow connection, ours and Pagefind's: Chromium's network emulation with
  Lighthouse's "slow 4G" profile (150 ms round trip, 1.6 Mbit/s down, 0.75 Mbit/s up), files
  served gzip-compressed as GitHub Pages serves them, from submitting the query on a loaded
  page (ours) or calling `pagefind.search` on a loaded page (Pagefind) to the first page of
  results being ready;
- the private team page /match/: gzip bytes before it is ready (read from its HTML and as
  Chromium fetched them) and, over :data:`MATCH_REQUESTS` each run twice, ms from submit to
  the team rendered (the names files its cards need included) and to the matcher's answer.

Ratios are ours / anchor. Everything happens in a temporary folder, removed at the end.

    .venv/bin/python benchmarks/bench_site.py --federation 20x2500 [--no-browser]

measures instead the merged build of an aggregator (docs/federation.md): a local network of
100 mentors and PEERS peer networks of MENTORS mentors each (demo networks, seeds 101, 102, …),
whose exports are served on 127.0.0.1 and fetched with `mentormemed federation fetch
--allow-loopback-http` (wall time, peak RSS), then `mentormemed build` with their snapshots
(wall time, peak RSS; target at 20 × 2,500: < 3 min and < 1 GB), a rebuild with the cache, the
output size and, with the browser, the same directory figures as above. The machine's load
average is printed before and after: other work on a shared machine slows every figure.

    .venv/bin/python benchmarks/bench_site.py --match SITE [--no-browser]

prints only the team page's figures for a site already built into SITE: the gzip KB of each
part of ``match/mentors.json`` and of each file loaded before ready, then the figures above.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib.util
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import yaml

# The benchmarks start Chromium exactly as the browser tests do.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.queries import QUERIES
from tests.support.browser import IDLE_JS, MATCH_SPLIT_JS
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.sync_api import Request

#: The demo networks' profiles were confirmed in 2024–25 (generator/demo/network.py): judged on
#: today's date most would be stale, left out of /match/ and marked, which is not the site being
#: measured. The commands run with the clock at a day when none is stale yet, as the tests do.
DEMO_TODAY = "2024-12-01"
os.environ.setdefault("MENTORMEMED_TODAY", DEMO_TODAY)
BIN = Path(sys.executable).parent
MENTORMEMED = BIN / "mentormemed"
PELICAN = BIN / "pelican"
GNU_TIME = Path("/usr/bin/time")
SITE_URL = "https://site.invalid/directory"
FILTERED_QUERY = "?q=pediatrics&language=en&accepting=1"
LATENCY_JS = """
async (q) => {
  // From submitting the query to the result list being final (directory.js dispatches
  // "results-rendered" on #directory-app after every final render), searching included.
  const input = document.getElementById("q");
  const form = document.getElementById("filters");
  const app = document.getElementById("directory-app");
  const done = new Promise((resolve) => {
    const check = () => {
      const busy = document.getElementById("results").getAttribute("aria-busy") === "true";
      if (busy) return;
      app.removeEventListener("results-rendered", check);
      resolve(performance.now());
    };
    app.addEventListener("results-rendered", check);
  });
  const t0 = performance.now();
  input.value = q;
  form.requestSubmit();
  return (await done) - t0;
}
"""


@dataclass
class Run:
    seconds: float
    peak_mib: float


@dataclass
class Row:
    n: int
    figures: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def timed(cmd: list[str | Path | int], cwd: Path | None = None) -> Run:
    """Run a command, failing loudly; wall time and the peak RSS of that one process tree."""
    args = [str(c) for c in cmd]
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        if GNU_TIME.is_file():
            args = [str(GNU_TIME), "-f", "%M", "-o", rss.name, *args]
        start = time.perf_counter()
        done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(
                f"{args} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
            )
        text = Path(rss.name).read_text().strip().splitlines()
    if GNU_TIME.is_file() and text:
        kib = int(text[-1])
    else:  # the largest child so far: an upper bound when several commands ran
        kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Run(seconds, kib / 1024)


def distinct_bio_words(content: Path) -> int:
    """How many distinct words (lowercased letters) the bios hold: the vocabulary the index sees."""
    words: set[str] = set()
    for path in (content / "mentors").rglob("*.yml"):
        mentor = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
        words.update(re.findall(r"[a-z]+", str(mentor.get("bio", "")).lower()))
    return len(words)


def tree_size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def touch_one_mentor(content: Path) -> Path:
    """Change the bio of one mentor, keeping the file valid (the build patches it:
    generator/site/patch.py)."""
    path = min((content / "mentors").rglob("*.yml"))
    text = path.read_text()
    marker = "\nbio: "
    assert marker in text, path
    path.write_text(text.replace(marker, marker + "Recently joined the network. ", 1))
    return path


def change_one_capacity(content: Path) -> Path:
    """Change one mentor's capacity: more than a bio, so the cached build runs."""
    path = max((content / "mentors").rglob("*.yml"))
    text = path.read_text()
    found = re.search(r"\ncapacity: (\d+)\n", text)
    assert found is not None, path
    path.write_text(text.replace(found[0], f"\ncapacity: {int(found[1]) % 5 + 1}\n", 1))
    return path


def write_pelican_project(content: Path, project: Path) -> int:
    """One Markdown article per mentor, and a minimal settings file (default theme, no cache)."""
    articles = project / "content"
    articles.mkdir(parents=True)
    count = 0
    for path in sorted((content / "mentors").rglob("*.yml")):
        mentor = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
        tags = ", ".join([*mentor.get("specialties", []), *mentor.get("affinities", [])])
        bio = " ".join(str(mentor.get("bio", "")).split())
        (articles / f"{mentor['id']}.md").write_text(
            f"Title: {mentor['name']}\nDate: 2025-01-01\nTags: {tags}\nSlug: {mentor['id']}\n\n{bio}\n"
        )
        count += 1
    (project / "pelicanconf.py").write_text(
        "\n".join(
            [
                'AUTHOR = "Bench"',
                'SITENAME = "Bench"',
                'SITEURL = ""',
                'TIMEZONE = "UTC"',
                'DEFAULT_LANG = "en"',
                "LOAD_CONTENT_CACHE = False",
                "CACHE_CONTENT = False",
                "FEED_ALL_ATOM = None",
                "CATEGORY_FEED_ATOM = None",
                "TRANSLATION_FEED_ATOM = None",
                "AUTHOR_FEED_ATOM = None",
                "AUTHOR_FEED_RSS = None",
                "DEFAULT_PAGINATION = False",
                "",
            ]
        )
    )
    return count


def pagefind_binary() -> Path:
    spec = importlib.util.find_spec("pagefind_bin")
    assert spec is not None and spec.origin, "pagefind-bin is missing: pip install -e '.[dev]'"
    binary = Path(spec.origin).parent / "pagefind"
    assert binary.is_file(), binary
    return binary


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def _collect(into: list[str]) -> Callable[[Request], None]:
    return lambda request: into.append(request.url)


FIRST_RESULT_JS = """
() => {
  // Bytes before the first result: the document and every resource that had arrived when the
  // first card was painted (first contentful paint: the cards are in the HTML).
  const card = document.querySelector("#results li");
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  if (!card || !paint) return null;
  const urls = [location.href];
  for (const r of performance.getEntriesByType("resource")) {
    if (r.responseEnd <= paint.startTime) urls.push(r.name);
  }
  return urls;
}
"""
QUERY_SPLIT_JS = """
() => {
  const mark = performance.getEntriesByName("results-rendered")[0];
  if (!mark) return [null, null];
  const before = [location.href];
  const after = [];
  for (const r of performance.getEntriesByType("resource")) {
    (r.startTime <= mark.startTime ? before : after).push(r.name);
  }
  return [before, after];
}
"""
PAGEFIND_JS = """
async (q) => {
  const t0 = performance.now();
  const pagefind = await import("/pagefind/pagefind.js");
  const search = await pagefind.search(q);
  const top = await Promise.all(search.results.slice(0, PAGE).map((r) => r.data()));
  return [performance.now() - t0, search.results.length, top.length];
}
"""
#: Results a mentee sees at once (our first page holds as many cards).
PAGE = 24
PAGEFIND_QUERIES = QUERIES[:6]


def _gzip_total(site: Path, urls: list[str]) -> int:
    total = 0
    for url in urls:
        path = urlsplit(url).path
        file = site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        total += _gzip_size(file)
    return total


#: What /match/ loads before it is ready (issue 19): the page, its styles and scripts, and the
#: data its ``#match-app`` names; the names files come later, for the cards shown.
_MATCH_REFS = re.compile(r'(src|href|data-mentors|data-matching)="([^"]+)"')


def match_page_files(site: Path) -> list[str]:
    """The site paths /match/ fetches before it is ready, read from its HTML (no browser)."""
    html = (site / "match" / "index.html").read_text(encoding="utf-8")
    paths = ["/match/"]
    for m in _MATCH_REFS.finditer(html):
        kind, ref = m.groups()
        if kind == "href" and ".css" not in ref:
            continue  # a link, not a style sheet
        path = urlsplit(urljoin(SITE_URL + "/match/", ref.replace("&amp;", "&"))).path
        path = path.removeprefix(urlsplit(SITE_URL).path)
        if path not in paths and (site / path.lstrip("/")).is_file():
            paths.append(path)
    return paths


def match_ready_kb(site: Path) -> float:
    """gzip KB of :func:`match_page_files`: what /match/ needs before it can match."""
    return _gzip_total(site, match_page_files(site)) / 1024


def match_browser_kb(site: Path, base: str, browser: Any) -> tuple[float, float]:
    """gzip KB of every file Chromium fetched for /match/ before it was ready, and of the whole
    visit before any answer: also every names file, which the page loads once idle (issue 19)."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 412, "height": 915}, is_mobile=True)
    page = context.new_page()
    page.goto(base + "match/")
    expect(page.locator("#match-app[data-ready='true']")).to_have_count(1, timeout=60_000)
    expect(page.locator("#match-app[data-names-loaded='true']")).to_have_count(1, timeout=60_000)
    before, after = page.evaluate(MATCH_SPLIT_JS)
    context.close()
    ready = _gzip_total(site, [u for u in before if u.startswith(base)]) / 1024
    return ready, ready + _gzip_total(site, [u for u in after if u.startswith(base)]) / 1024


#: Requests for the team page's latency, by position among the page's own choices (so any
#: network's vocabulary works): needs and affinities ticked, languages, a must, team size.
MATCH_REQUESTS: list[dict[str, Any]] = [
    {"needs": [0], "team_size": 3},
    {"needs": [3, 1], "affinities": [0], "team_size": 3},
    {"needs": [5, 2, 7], "affinities": [2, 4], "languages": [1], "team_size": 4},
    {"needs": [1, 4], "affinities": [1], "must": ["affinities"], "team_size": 3},
    {"needs": [6], "languages": [0, 2], "must": ["languages"], "team_size": 5},
    {"needs": [2, 8, 9], "affinities": [3], "meeting": [0], "team_size": 2},
    {"needs": [10, 0], "affinities": [5, 6], "must": ["affinities"], "team_size": 4},
    {"needs": [11], "team_size": 1},
]

MATCH_LATENCY_JS = """
async (r) => {
  // From submitting the answers to the team being rendered, names included (match.js
  // dispatches "team-rendered" on #match-app after every submit's final render).
  const form = document.getElementById("match-form");
  const app = document.getElementById("match-app");
  for (const name of ["needs", "affinities", "languages", "meeting", "must", "specialties"]) {
    const boxes = Array.from(form.querySelectorAll(`input[name="${name}"]`));
    boxes.forEach((box) => (box.checked = false));
    for (const at of r[name] || []) {
      const must = form.querySelector(`input[name="must"][value="${at}"]`);
      (name === "must" ? must : boxes[at % boxes.length]).checked = true;
    }
  }
  form.elements.team_size.value = String(r.team_size);
  const done = new Promise((resolve) => {
    app.addEventListener("team-rendered", () => resolve(performance.now()), { once: true });
  });
  const t0 = performance.now();
  form.requestSubmit();
  const t1 = await done;
  const status = document.getElementById("match-status").textContent;
  if (document.getElementById("match-result").hidden) throw new Error("no team: " + status);
  // match.js marks "team-matched" when the matcher returns, before the names files load
  const matched = performance.getEntriesByName("team-matched").pop().startTime;
  return [t1 - t0, matched - t0];
}
"""


def match_latencies(base: str, browser: Any) -> tuple[list[float], list[float]]:
    """ms from submit to the team rendered on /match/ for :data:`MATCH_REQUESTS`, each run twice
    (the first run fetches the names files its cards need; the repeat has them), and ms from
    submit to the matcher's answer (before the names files)."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "match/")
    expect(page.locator("#match-app[data-ready='true']")).to_have_count(1, timeout=60_000)
    # a mentee reads and answers the questions before the first submit: the page is idle then
    # (match.js warms the matcher up and loads every name in that time)
    page.evaluate(IDLE_JS)
    expect(page.locator("#match-app[data-names-loaded='true']")).to_have_count(1, timeout=60_000)
    timings = [page.evaluate(MATCH_LATENCY_JS, r) for r in MATCH_REQUESTS * 2]
    context.close()
    return [float(t[0]) for t in timings], [float(t[1]) for t in timings]


def match_figures(site: Path, base: str, browser: Any, row: Row) -> None:
    """The team page's figures: gzip KB before ready (read and fetched), submit → team rendered
    (names files included) and submit → the matcher's answer."""
    row.figures["match_kb"] = match_ready_kb(site)
    row.figures["match_browser_kb"], row.figures["match_visit_kb"] = match_browser_kb(site, base, browser)
    rendered, matched = match_latencies(base, browser)
    row.figures["match_latency_median_ms"] = statistics.median(rendered)
    row.figures["match_latency_p95_ms"] = statistics.quantiles(rendered, n=20)[-1]
    row.figures["match_matched_median_ms"] = statistics.median(matched)
    row.figures["match_matched_p95_ms"] = statistics.quantiles(matched, n=20)[-1]


def match_columns_kb(site: Path) -> dict[str, float]:
    """gzip KB of each part of ``match/mentors.json`` (each column, the labels, the rest)."""
    packed = json.loads((site / "match" / "mentors.json").read_text(encoding="utf-8"))

    def kb(data: Any) -> float:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return len(gzip.compress(text.encode(), compresslevel=6, mtime=0)) / 1024

    out = {f"column {name}": kb(column) for name, column in packed.get("columns", {}).items()}
    out["labels"] = kb(packed.get("vocabulary"))
    out["whole file"] = _gzip_size(site / "match" / "mentors.json") / 1024
    return out


#: Lighthouse's "slow 4G" throttling (DevTools protocol units: bytes per second, milliseconds).
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
    "uploadThroughput": 750 * 1024 / 8 * 0.9,
}
THROTTLED_QUERIES = QUERIES[:3]


def _gzip_server(site: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``site`` on 127.0.0.1 with gzip encoding (as GitHub Pages does), so throttled
    transfers count compressed bytes for both sides."""
    cache: dict[Path, bytes] = {}

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
                super().do_GET()
                return
            if path not in cache:
                cache[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            body = cache[path]
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # the browser context may be closed while a file is still on its way
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def throttled_figures(site: Path, row: Row, pagefind: bool) -> None:
    """The first query on a slow 4G connection, ours and Pagefind's (median over a few queries,
    each in a fresh browser context so nothing is cached)."""
    from playwright.sync_api import expect, sync_playwright

    server, base = _gzip_server(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                ours, theirs = [], []
                for q in THROTTLED_QUERIES:
                    context = browser.new_context(viewport={"width": 412, "height": 915}, is_mobile=True)
                    page = context.new_page()
                    page.goto(base + "directory/")
                    expect(page.locator("#results li").first).to_be_visible(timeout=120_000)
                    page.wait_for_load_state("networkidle")
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
                    ours.append(float(page.evaluate(LATENCY_JS, q)))
                    context.close()
                    if pagefind:
                        context = browser.new_context()
                        page = context.new_page()
                        page.goto(base + "robots.txt")
                        cdp = context.new_cdp_session(page)
                        cdp.send("Network.enable")
                        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
                        seconds, _, _ = page.evaluate(PAGEFIND_JS.replace("PAGE", str(PAGE)), q)
                        theirs.append(float(seconds))
                        context.close()
                row.figures["slow4g_ms"] = statistics.median(ours)
                if theirs:
                    row.figures["pagefind_slow4g_ms"] = statistics.median(theirs)
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()


def browser_figures(site: Path, row: Row, pagefind: bool) -> None:
    """gzip bytes before the first result (plain and query + two filters), search latency, and
    the same for Pagefind (its bytes for one query and its latency) when it indexed the site."""
    from playwright.sync_api import expect, sync_playwright

    from generator.site.serve import serve_in_thread

    server, base = serve_in_thread(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": 412, "height": 915}, is_mobile=True)
                page = context.new_page()
                page.goto(base + "directory/")
                expect(page.locator("#results li").first).to_be_visible()
                # the paint entry is recorded a frame after the paint: wait for it (a loaded CI
                # machine once read the entries before it was there)
                page.wait_for_function(
                    "() => performance.getEntriesByName('first-contentful-paint').length > 0",
                    timeout=60_000,
                )
                urls = page.evaluate(FIRST_RESULT_JS)
                assert urls, "no first contentful paint, or no result card in the page"
                row.figures["first_kb"] = _gzip_total(site, urls) / 1024
                context.close()
                match_figures(site, base, browser, row)

                context = browser.new_context(viewport={"width": 1280, "height": 900})
                fetched: list[str] = []
                context.on("requestfinished", _collect(fetched))
                page = context.new_page()
                page.goto(base + "directory/" + FILTERED_QUERY)
                expect(page.locator("#filters")).to_be_visible(timeout=120_000)
                expect(page.locator("#result-count")).not_to_have_text("Searching…", timeout=120_000)
                expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true", timeout=120_000)
                # Bytes until the results are shown: the document and every resource requested
                # before directory.js marked "results-rendered"; the other filter groups' files,
                # requested after it for their counts, are reported on their own.
                page.wait_for_load_state("networkidle")
                before, after = page.evaluate(QUERY_SPLIT_JS)
                assert before is not None, "directory.js marked no results-rendered"
                row.figures["query_kb"] = _gzip_total(site, before) / 1024
                row.figures["query_after_kb"] = _gzip_total(site, after) / 1024
                latencies = [float(page.evaluate(LATENCY_JS, q)) for q in QUERIES * 2]
                row.figures["latency_median_ms"] = statistics.median(latencies)
                row.figures["latency_p95_ms"] = statistics.quantiles(latencies, n=20)[-1]
                context.close()

                if pagefind:
                    sizes, times = [], []
                    for q in PAGEFIND_QUERIES:
                        context = browser.new_context()
                        fetched = []
                        context.on("requestfinished", _collect(fetched))
                        page = context.new_page()
                        page.goto(base + "robots.txt")
                        seconds, _, _ = page.evaluate(PAGEFIND_JS.replace("PAGE", str(PAGE)), q)
                        times.append(float(seconds))
                        sizes.append(_gzip_total(site, [u for u in fetched if "/pagefind/" in u]) / 1024)
                        context.close()
                    row.figures["pagefind_query_kb"] = statistics.median(sizes)
                    row.figures["pagefind_latency_ms"] = statistics.median(times)
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()


def bench(n: int, browser: bool, bios: str = "realistic") -> Row:
    row = Row(n)
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        root = Path(tmp)
        content, site = root / "content", root / "site"
        programs = max(1, n // 60)
        demo: list[str | Path | int] = [
            MENTORMEMED,
            "demo-data",
            "--mentors",
            n,
            "--programs",
            programs,
            "--seed",
            1,
            "--bios",
            bios,
        ]
        timed([*demo, "--output", content])
        row.figures["bio_words"] = distinct_bio_words(content)
        build: list[str | Path | int] = [
            MENTORMEMED,
            "build",
            "--content",
            content,
            "--output",
            site,
            "--site-url",
            SITE_URL,
        ]

        full = timed(build)
        row.figures["build_s"], row.figures["build_mib"] = full.seconds, full.peak_mib
        touch_one_mentor(content)
        row.figures["rebuild_s"] = timed(build).seconds
        change_one_capacity(content)
        row.figures["rebuild_field_s"] = timed(build).seconds
        row.figures["match_kb"] = match_ready_kb(site)
        size, files = tree_size(site)
        row.figures["out_mb"], row.figures["out_files"] = size / 1e6, files

        project = root / "pelican"
        write_pelican_project(content, project)
        pelican = timed(
            [PELICAN, project / "content", "-s", project / "pelicanconf.py", "-o", project / "output", "-q"],
            cwd=project,
        )
        row.figures["pelican_s"], row.figures["pelican_mib"] = pelican.seconds, pelican.peak_mib
        p_size, p_files = tree_size(project / "output")
        row.figures["pelican_mb"], row.figures["pelican_files"] = p_size / 1e6, p_files
        shutil.rmtree(project)

        # Pagefind indexes the same mentors: our mentor pages, one per mentor. Its bundle goes
        # into the site (after our size was measured) so the browser can load it like a visitor.
        index = site / "pagefind"
        pagefind = timed(
            [pagefind_binary(), "--site", site, "--glob", "mentors/**/*.html", "--output-path", index, "-q"]
        )
        row.figures["pagefind_s"] = pagefind.seconds
        i_size, i_files = tree_size(index)
        row.figures["pagefind_mb"], row.figures["pagefind_files"] = i_size / 1e6, i_files

        if browser:
            browser_figures(site, row, pagefind=True)
            throttled_figures(site, row, pagefind=True)
    return row


COLUMNS = [
    ("bio_words", "bio words", ".0f"),
    ("build_s", "build s", ".1f"),
    ("build_mib", "peak MiB", ".0f"),
    ("rebuild_s", "1-edit s", ".2f"),
    ("rebuild_field_s", "1-field s", ".2f"),
    ("out_mb", "out MB", ".1f"),
    ("out_files", "files", ".0f"),
    ("pelican_s", "pelican s", ".1f"),
    ("pelican_mib", "pel MiB", ".0f"),
    ("pelican_mb", "pel MB", ".1f"),
    ("pagefind_s", "pagefind s", ".1f"),
    ("pagefind_mb", "pf MB", ".1f"),
    ("first_kb", "1st KB gz", ".1f"),
    ("query_kb", "q+2f KB gz", ".1f"),
    ("query_after_kb", "q+2f after KB", ".1f"),
    ("latency_median_ms", "lat p50 ms", ".1f"),
    ("latency_p95_ms", "lat p95 ms", ".1f"),
    ("pagefind_query_kb", "pf q KB gz", ".1f"),
    ("pagefind_latency_ms", "pf lat ms", ".1f"),
    ("slow4g_ms", "4G 1st q ms", ".0f"),
    ("pagefind_slow4g_ms", "pf 4G ms", ".0f"),
    ("match_kb", "/match/ KB gz", ".1f"),
    ("match_browser_kb", "/match/ Chr KB gz", ".1f"),
    ("match_visit_kb", "/match/ +names KB gz", ".1f"),
    ("match_latency_median_ms", "team p50 ms", ".1f"),
    ("match_latency_p95_ms", "team p95 ms", ".1f"),
    ("match_matched_p95_ms", "matcher p95 ms", ".1f"),
]
#: (title, numerator, denominator, target): ours / anchor, side by side in one run.
RATIOS = [
    ("build / Pelican", "build_s", "pelican_s", "≤ 0.5 at 10k"),
    ("rebuild / build", "rebuild_s", "build_s", "≤ 0.1 at 10k"),
    ("other edit / build", "rebuild_field_s", "build_s", ""),
    ("1st result / Pagefind query", "first_kb", "pagefind_query_kb", ""),
    ("query + 2 filters / Pagefind query", "query_kb", "pagefind_query_kb", "≤ 0.75 at 10k"),
    ("slow-4G 1st query / Pagefind", "slow4g_ms", "pagefind_slow4g_ms", "≤ 1"),
    ("output / Pelican output", "out_mb", "pelican_mb", ""),
    ("peak memory / Pelican", "build_mib", "pelican_mib", ""),
]


def ratio(figures: dict[str, float], a: str, b: str) -> str:
    return f"{figures[a] / figures[b]:.2f}" if figures.get(b) and a in figures else "-"


def _cell(row: Row, key: str, fmt: str) -> str:
    value = row.figures.get(key)
    return format(value, fmt) if value is not None else "-"


def print_table(rows: list[Row]) -> None:
    header = f"{'mentors':>8} " + " ".join(f"{title:>{max(len(title), 8)}}" for _, title, _ in COLUMNS)
    print(header)
    for row in rows:
        cells = [f"{_cell(row, key, fmt):>{max(len(title), 8)}}" for key, title, fmt in COLUMNS]
        print(f"{row.n:>8} " + " ".join(cells))
    print()
    print(f"{'mentors':>8} " + " ".join(f"{title:>{len(title)}}" for title, *_ in RATIOS))
    for row in rows:
        print(f"{row.n:>8} " + " ".join(f"{ratio(row.figures, a, b):>{len(t)}}" for t, a, b, _ in RATIOS))
    by_n = {row.n: row for row in rows}
    if 10000 in by_n and 50000 in by_n:
        growth = ratio(
            {"a": by_n[50000].figures.get("first_kb", 0), "b": by_n[10000].figures.get("first_kb", 0)},
            "a",
            "b",
        )
        print(f"\nbytes before the first result, 50,000 / 10,000 mentors: {growth} (target ≤ 2)")


def markdown_table(rows: list[Row]) -> str:
    """The same figures as a Markdown table (for docs/performance.md)."""
    lines = ["| figure | " + " | ".join(f"{row.n:,} mentors" for row in rows) + " |"]
    lines.append("|---|" + "---:|" * len(rows))
    for key, title, fmt in COLUMNS:
        lines.append(f"| {title} | " + " | ".join(_cell(row, key, fmt) for row in rows) + " |")
    for title, a, b, target in RATIOS:
        label = f"**{title}**" + (f" ({target})" if target else "")
        lines.append(f"| {label} | " + " | ".join(ratio(row.figures, a, b) for row in rows) + " |")
    return "\n".join(lines) + "\n"


FEDERATION_LOCAL_MENTORS = 100


def _peer_export_json(index: int, mentors: int) -> str:
    """directory.json of demo peer ``index`` (its records checked by the models, as a build would)."""
    from generator.content.export import build_export, export_json
    from generator.content.models import Mentor, Program, validation_context
    from generator.content.vocabulary import vocabulary
    from generator.demo.network import generate

    vocab = vocabulary()
    context = validation_context(vocab)
    programs, records = generate(mentors, max(1, mentors // 60), 100 + index)
    export = build_export(
        {p["id"]: Program.model_validate(p, context=context) for p in programs},
        {m["id"]: Mentor.model_validate(m, context=context) for m in records},
        f"https://peer-{index}.invalid/directory",
        vocab,
    )
    return export_json(export)


def bench_federation(peers: int, mentors: int, browser: bool) -> Row:
    """The aggregator's fetch and merged build (see the module's docstring)."""
    from generator.site.serve import serve_in_thread

    row = Row(FEDERATION_LOCAL_MENTORS + peers * mentors)
    row.notes.append(f"federation: {FEDERATION_LOCAL_MENTORS} local + {peers} peers × {mentors:,} mentors")
    with tempfile.TemporaryDirectory(prefix="bench-federation-") as tmp:
        root = Path(tmp)
        content, site, snapshots, exports = (
            root / "content",
            root / "site",
            root / "federation",
            root / "exports",
        )
        timed([MENTORMEMED, "demo-data", "--mentors", FEDERATION_LOCAL_MENTORS, "--programs", 2, "--seed", 1,
               "--output", content])  # fmt: skip
        exports.mkdir()
        entries = []
        for i in range(1, peers + 1):
            (exports / f"peer-{i}.json").write_text(_peer_export_json(i, mentors), encoding="utf-8")
            entries.append(
                {
                    "id": f"peer-{i}",
                    "name": f"Demo Peer Network {i}",
                    "directory_url": f"https://peer-{i}.invalid/directory/directory.json",
                    "export_version": 1,
                    "site_url": f"https://peer-{i}.invalid/directory",
                    "request_form_url": f"https://github.com/mmm-demo-peer-{i}/directory/issues/new",
                    "reviewers": ["mmm-demo-federation-lead"],
                }
            )
        (content / "federation.yml").write_text(yaml.safe_dump({"peers": entries}), encoding="utf-8")
        row.figures["exports_mb"] = tree_size(exports)[0] / 1e6
        server, base = serve_in_thread(exports)
        try:
            sources: list[str | Path | int] = []
            for i in range(1, peers + 1):
                sources += ["--source", f"peer-{i}={base}peer-{i}.json"]
            fetch_args = ["federation", "fetch", "--content", content, "--federation", snapshots]
            fetch = timed([MENTORMEMED, *fetch_args, "--allow-loopback-http", *sources])
        finally:
            server.shutdown()
            server.server_close()
        row.figures["fetch_s"], row.figures["fetch_mib"] = fetch.seconds, fetch.peak_mib
        build: list[str | Path | int] = [MENTORMEMED, "build", "--content", content]
        build += ["--federation", snapshots, "--output", site, "--site-url", SITE_URL]
        full = timed([*build, "--no-cache"])
        row.figures["build_s"], row.figures["build_mib"] = full.seconds, full.peak_mib
        timed(build)  # fill the cache
        touch_one_mentor(content)
        row.figures["rebuild_s"] = timed(build).seconds
        row.figures["match_kb"] = match_ready_kb(site)
        size, files = tree_size(site)
        row.figures["out_mb"], row.figures["out_files"] = size / 1e6, files
        if browser:
            browser_figures(site, row, pagefind=False)
    return row


FEDERATION_COLUMNS = [
    ("exports_mb", "exports MB", ".1f"),
    ("fetch_s", "fetch s", ".1f"),
    ("fetch_mib", "fetch MiB", ".0f"),
    ("build_s", "build s", ".1f"),
    ("build_mib", "peak MiB", ".0f"),
    ("rebuild_s", "1-edit s", ".1f"),
    ("out_mb", "out MB", ".1f"),
    ("out_files", "files", ".0f"),
    ("first_kb", "1st KB gz", ".1f"),
    ("latency_median_ms", "lat p50 ms", ".1f"),
    ("latency_p95_ms", "lat p95 ms", ".1f"),
]


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min) on {os.cpu_count()} CPUs"


def _federation_size(text: str) -> tuple[int, int]:
    peers, _, mentors = text.lower().partition("x")
    if not (peers.isdigit() and mentors.isdigit()) or not (
        1 <= int(peers) <= 100 and 1 <= int(mentors) <= 10000
    ):
        raise argparse.ArgumentTypeError("write PEERSxMENTORS, e.g. 20x2500 (1-100 peers, 1-10,000 mentors)")
    return int(peers), int(mentors)


def bench_match(site: Path, browser: bool) -> None:
    """Print the team page's figures for a built site (``--match SITE``)."""
    for name, kb in match_columns_kb(site).items():
        print(f"match/mentors.json {name}: {kb:.1f} KB gz")
    for path in match_page_files(site):
        print(f"before ready {path}: {_gzip_total(site, [path]) / 1024:.1f} KB gz")
    row = Row(0)
    if not browser:
        print(f"/match/ ready: {match_ready_kb(site):.1f} KB gz")
        return
    from playwright.sync_api import sync_playwright

    from generator.site.serve import serve_in_thread

    server, base = serve_in_thread(site)
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                match_figures(site, base, chromium, row)
            finally:
                chromium.close()
    finally:
        server.shutdown()
        server.server_close()
    print(f"load: {load_average()}")
    for key, value in row.figures.items():
        print(f"{key}: {value:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000], help="mentor counts (default 1000)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument(
        "--bios",
        choices=["realistic", "short"],
        default="realistic",
        help="demo bios: realistic (100–220 words, default) or short (30–60 words)",
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown to this file")
    parser.add_argument(
        "--federation",
        type=_federation_size,
        metavar="PEERSxMENTORS",
        help="measure an aggregator's fetch and merged build instead (e.g. 20x2500)",
    )
    parser.add_argument(
        "--match",
        type=Path,
        metavar="SITE",
        help="measure only /match/ of a site already built into SITE: KB before ready, per part, latency",
    )
    args = parser.parse_args()
    if args.match:
        bench_match(args.match, browser=not args.no_browser)
        return
    if args.federation:
        print(f"machine: {os.cpu_count()} CPUs, python {sys.version.split()[0]}", flush=True)
        print(f"load before: {load_average()}", flush=True)
        row = bench_federation(*args.federation, browser=not args.no_browser)
        print(f"load after: {load_average()}")
        print("; ".join(row.notes))
        print(" ".join(f"{title:>{max(len(title), 8)}}" for _, title, _ in FEDERATION_COLUMNS))
        print(
            " ".join(
                f"{_cell(row, key, fmt):>{max(len(title), 8)}}" for key, title, fmt in FEDERATION_COLUMNS
            )
        )
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            figures = {"mentors": row.n, "notes": row.notes, "load": load_average(), **row.figures}
            args.json.write_text(json.dumps(figures, indent=1) + "\n")
        return
    for n in args.sizes:
        if not 1 <= n <= 50000:
            parser.error(f"N={n}: between 1 and 50,000")
    print(f"machine: {os.cpu_count()} CPUs, python {sys.version.split()[0]}, {args.bios} bios", flush=True)
    rows: list[Row] = []
    for n in args.sizes:
        rows.append(bench(n, browser=not args.no_browser, bios=args.bios))
        print(f"N={n} done", flush=True)
    print()
    print_table(rows)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(markdown_table(rows), encoding="utf-8")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([{"mentors": r.n, **r.figures} for r in rows], indent=1) + "\n")


if __name__ == "__main__":
    main()

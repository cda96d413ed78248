// Time theme/static/js/matcher.js on a network written by benchmarks/bench_match_js.py.
// Prints JSON: index build time and per-request answer times (median, p95, max) in ms.
"use strict";
const fs = require("fs");
const { performance } = require("perf_hooks");
const [matcherPath, dataPath] = process.argv.slice(2);
const matcher = require(matcherPath);
const data = JSON.parse(fs.readFileSync(dataPath, "utf8"));
const out = {};
function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
for (const [name, network] of Object.entries(data.networks)) {
  let t0 = performance.now();
  const index = matcher.buildIndex(network.mentors, data.config);
  const build = performance.now() - t0;
  // warm-up, as a page does on its first answer, then measured requests
  matcher.matchTeam(network.requests[0], index, { labels: data.labels });
  const times = [];
  for (const request of network.requests) {
    t0 = performance.now();
    matcher.matchTeam(request, index, { labels: data.labels, alternates: 3 });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  out[name] = {
    mentors: network.mentors.length,
    requests: times.length,
    build_index_ms: build,
    median_ms: quantile(times, 0.5),
    p95_ms: quantile(times, 0.95),
    max_ms: times[times.length - 1],
  };
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");

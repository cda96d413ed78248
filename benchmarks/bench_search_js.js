// Time theme/static/js/search.js in Node over a built site's search files (read from disk, no
// network): used by benchmarks/bench_search_files.py, which passes
//   <lunr dir> <search.js> <search dir> <queries as JSON>
// Prints, per query, the time on a fresh search object (terms.json, term files and shards
// parsed, per-word indexes built) and the median over the 16 queries on one object, first run
// and repeat (the benchmark's pattern), with the files fetched and indexes built.
"use strict";
const fs = require("fs");
const path = require("path");
const [lunrPath, searchPath, searchDir, queriesJson] = process.argv.slice(2);
const lunr = require(lunrPath);
const MentorSearch = require(searchPath);
const queries = JSON.parse(queriesJson);

function create() {
  return MentorSearch.createSearch({
    lunr: lunr,
    base: "/",
    version: "bench",
    fetchJson: (url) => fs.promises.readFile(path.join(searchDir, url.split("?")[0]), "utf8").then(JSON.parse),
  });
}

const none = () => [];

function median(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(s, query) {
  const started = process.hrtime.bigint();
  const found = await s.search(query, none);
  return [Number(process.hrtime.bigint() - started) / 1e6, found.length];
}

async function main() {
  const lines = [];
  for (const query of queries) {
    const s = create();
    await s.ready(); // terms.json: loaded when the search box gets focus, before the query
    const [ms, hits] = await timed(s, query);
    lines.push(`${query.padEnd(18)} fresh ${ms.toFixed(1).padStart(6)} ms  ${String(hits).padStart(5)} hits  ` +
      `${s.stats().fetches - 1} files`);
  }
  const shared = create();
  await shared.ready();
  const first = [];
  for (const query of queries) first.push((await timed(shared, query))[0]);
  const afterFirst = shared.stats();
  const again = [];
  for (const query of queries) again.push((await timed(shared, query))[0]);
  const afterAgain = shared.stats();
  lines.push("");
  lines.push(`one object: first run median ${median(first).toFixed(1)} ms, max ${Math.max(...first).toFixed(1)} ms ` +
    `(${afterFirst.fetches} fetches, ${afterFirst.builds} indexes built)`);
  lines.push(`            repeat median ${median(again).toFixed(1)} ms, max ${Math.max(...again).toFixed(1)} ms ` +
    `(${afterAgain.fetches - afterFirst.fetches} fetches, ${afterAgain.builds - afterFirst.builds} indexes built)`);
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });

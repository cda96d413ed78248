// Run theme/static/js/search.js with lunr.js 2.3.9 on the search files Python wrote, for every
// query in a JSON file. Prints JSON:
//   {version, fresh: {query: {words, results, read: [files]}}, shared: {query: results},
//    promised: {query: results}, repeat: {first: stats, again: stats, same: bool},
//    tight: {query: results}, tightStats: {first, again}, expansions: {word: {people, catalog}},
//    stems: {word: stem}}
// Results are [[ref, score]]; mentorsWith answers refs from a JSON file ("param:value" -> refs).
// "fresh" uses a new search object per query (read: the files that query fetched); "shared"
// runs every query on one object, so shards accumulate and merged indexes are reused;
// "promised" runs them again with a mentorsWith that answers Promises; "repeat" runs them all
// on a new object, then all again, with search.js's stats() (files fetched, indexes built)
// after each pass; "tight" runs them twice with caches bounded to nothing (results of the second
// pass); "expansions" and "stems" give each word of an optional words file its [term, boost]
// lists and its stem.
"use strict";
const fs = require("fs");
const path = require("path");
const [lunrPath, searchPath, searchDir, queriesPath, mentorsWithPath, wordsPath] = process.argv.slice(2);
const lunr = require(lunrPath);
const MentorSearch = require(searchPath);
const queries = JSON.parse(fs.readFileSync(queriesPath, "utf8"));
const having = JSON.parse(fs.readFileSync(mentorsWithPath, "utf8"));
const VERSION = "test-v1";

function mentorsWith(param, value) {
  return having[param + ":" + value] || [];
}

function reader(read) {
  return function (url) {
    const [file, query] = url.split("?");
    if (query !== "v=" + VERSION) return Promise.reject(new Error("no version in " + url));
    if (!file.startsWith("/search/")) return Promise.reject(new Error("outside base: " + url));
    const name = file.slice("/search/".length);
    read.push(name);
    return fs.promises.readFile(path.join(searchDir, name), "utf8").then(JSON.parse);
  };
}

function create(read, bounds) {
  return MentorSearch.createSearch(Object.assign(
    { lunr: lunr, base: "/search/", version: VERSION, fetchJson: reader(read) }, bounds || {}));
}

async function main() {
  const out = { version: lunr.version, fresh: {}, shared: {}, promised: {} };
  for (const query of queries) {
    const read = [];
    const s = create(read);
    await s.ready();
    const results = await s.search(query, mentorsWith);
    const terms = JSON.parse(fs.readFileSync(path.join(searchDir, "terms.json"), "utf8"));
    const separator = MentorSearch.separatorPattern(terms.separator);
    out.fresh[query] = { words: MentorSearch.queryWords(lunr, query, separator, terms.stopWords), results: results, read: read };
  }
  const shared = create([]);
  const all = await Promise.all(queries.map((q) => shared.search(q, mentorsWith)));
  queries.forEach((q, i) => { out.shared[q] = all[i]; });
  for (const query of queries) out.shared[query + " (again)"] = await shared.search(query, mentorsWith);
  const promised = (param, value) => new Promise((resolve) => setImmediate(() => resolve(mentorsWith(param, value))));
  for (const query of queries) out.promised[query] = await shared.search(query, promised);
  // The benchmark's pattern: every query once, then every query again, on a new object.
  const repeated = create([]);
  const firstRun = [];
  for (const query of queries) firstRun.push(await repeated.search(query, mentorsWith));
  const first = repeated.stats();
  const againRun = [];
  for (const query of queries) againRun.push(await repeated.search(query, mentorsWith));
  out.repeat = { first: first, again: repeated.stats(), same: JSON.stringify(firstRun) === JSON.stringify(againRun) };
  // Caches bounded to (almost) nothing: every query twice, results unchanged, files fetched again.
  const tight = create([], { wordCacheSize: 1, wordCacheHits: 1, fileCacheBytes: 1 });
  out.tight = {};
  for (const query of queries) await tight.search(query, mentorsWith);
  const tightFirst = tight.stats();
  for (const query of queries) out.tight[query] = await tight.search(query, mentorsWith);
  out.tightStats = { first: tightFirst, again: tight.stats() };
  // The expansions of single words (a words file: JSON list), on one object.
  out.expansions = {};
  if (wordsPath) {
    const words = JSON.parse(fs.readFileSync(wordsPath, "utf8"));
    for (const word of words) out.expansions[word] = await shared.expansions(word);
    out.stems = {};
    for (const word of words) out.stems[word] = MentorSearch.stem(word);
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });

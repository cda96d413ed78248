// Run theme/static/js/search.js with lunr.js 2.3.9 on the search files Python wrote, for every
// query in a JSON file. Prints JSON:
//   {version, fresh: {query: {words, results, read: [files]}}, shared: {query: results},
//    promised: {query: results}}
// Results are [[ref, score]]; mentorsWith answers refs from a JSON file ("param:value" -> refs).
// "fresh" uses a new search object per query (read: the files that query fetched); "shared"
// runs every query on one object, so shards accumulate and merged indexes are reused;
// "promised" runs them again with a mentorsWith that answers Promises.
"use strict";
const fs = require("fs");
const path = require("path");
const [lunrPath, searchPath, searchDir, queriesPath, mentorsWithPath] = process.argv.slice(2);
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

function create(read) {
  return MentorSearch.createSearch({ lunr: lunr, base: "/search/", version: VERSION, fetchJson: reader(read) });
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
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });

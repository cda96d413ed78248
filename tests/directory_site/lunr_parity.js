// Run the site's search (theme/static/js/directory.js) with lunr.js 2.3.9 on an index built
// by lunr.py, for every query in a JSON file; print {query: {words, results}} as JSON.
"use strict";
const fs = require("fs");
const [lunrPath, appPath, indexPath, queriesPath] = process.argv.slice(2);
const lunr = require(lunrPath);
const app = require(appPath);
const payload = JSON.parse(fs.readFileSync(indexPath, "utf8"));
lunr.tokenizer.separator = app.separatorPattern(payload.separator);
const index = lunr.Index.load(payload.index);
const out = {};
for (const query of JSON.parse(fs.readFileSync(queriesPath, "utf8"))) {
  out[query] = {
    version: lunr.version,
    words: app.queryWords(lunr, query, app.separatorPattern(payload.separator)),
    results: app.search(lunr, index, query, payload.separator, payload.ids),
  };
}
process.stdout.write(JSON.stringify(out));

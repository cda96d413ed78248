// Run the site's matcher (theme/static/js/matcher.js) on every case of a parity file written by
// tests/directory_site/matcher_cases.py and require what the Python engine gave: the same
// team, the same order, scores (total, preference, each part) within 1e-9, the same covers
// (needs, identities, language), reasons, uncovered needs, identities and language, eligible
// count and explanation. Prints a JSON summary; exits 1
// and lists the differences when there are any.
// With a third argument (theme/static/js/match-data.js), each network is a packed
// match/mentors.json and its names files (generator/site/match_pack.py: {main, names}) that
// the page's decoder reads as the page does: mentors numbered by rank, their ids read from the
// names files for the team shown, and the index with the ids themselves only for a request
// that names mentors (the page loads match/ids.json for it).
"use strict";
const fs = require("fs");
const [matcherPath, casesPath, matchDataPath] = process.argv.slice(2);
const matcher = require(matcherPath);
const matchData = matchDataPath ? require(matchDataPath) : null;
const data = JSON.parse(fs.readFileSync(casesPath, "utf8"));
const EPS = 1e-9;
const indexes = {};
const named = {};
const people = {};
for (const [name, mentors] of Object.entries(data.networks)) {
  if (!matchData) {
    indexes[name] = matcher.buildIndex(mentors, data.config);
    continue;
  }
  const decoded = matchData.decode(mentors.main);
  people[name] = matchData.people(decoded.mentors.length);
  mentors.names.forEach((file, k) => matchData.setNames(people[name], k, decoded.perFile, file));
  indexes[name] = matcher.buildIndex(decoded.mentors, data.config);
  named[name] = matcher.buildIndex(matchData.withIds(decoded.mentors, people[name].ids), data.config);
}
// a team member's id: by rank when the index numbers mentors, as the page shows it
function idOf(network, id) {
  return typeof id === "number" ? people[network].ids[id] : id;
}
const problems = [];
let members = 0;
let ranked = 0;
function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}
for (const c of data.cases) {
  // a load map is keyed by id (the page has none: it matches with no load)
  const byRank = Boolean(matchData) && !c.request.mentors.length && !Object.keys(c.load || {}).length;
  if (byRank) ranked += 1;
  const index = matchData && !byRank ? named[c.network] : indexes[c.network];
  const team = matcher.matchTeam(c.request, index, { load: c.load, labels: data.labels });
  team.members.forEach((m) => {
    m.id = idOf(c.network, m.id);
  });
  const exp = c.expected;
  const where = c.name + " (" + c.network + ")";
  const got = team.members.map((m) => m.id);
  const want = exp.members.map((m) => m.id);
  if (!same(got, want)) {
    problems.push(where + ": team " + JSON.stringify(got) + " != " + JSON.stringify(want));
    continue;
  }
  exp.members.forEach((e, i) => {
    const m = team.members[i];
    members += 1;
    const checks = [["total", m.score.total, e.total], ["preference", m.score.preference, e.preference]];
    for (const [part, value] of Object.entries(e.parts)) checks.push(["part " + part, m.score.parts[part], value]);
    for (const [what, a, b] of checks) {
      if (!(Math.abs(a - b) <= EPS)) problems.push(where + " " + e.id + ": " + what + " " + a + " != " + b);
    }
    if (!same(m.covers, e.covers)) problems.push(where + " " + e.id + ": covers " + JSON.stringify(m.covers));
    if (!same(m.identities, e.identities)) problems.push(where + " " + e.id + ": identities " + JSON.stringify(m.identities));
    if (!same(m.language, e.language)) problems.push(where + " " + e.id + ": language " + JSON.stringify(m.language));
    if (!same(m.reasons, e.reasons)) problems.push(where + " " + e.id + ": reasons " + JSON.stringify(m.reasons));
  });
  if (!same(team.uncovered, exp.uncovered)) problems.push(where + ": uncovered " + JSON.stringify(team.uncovered));
  if (!same(team.uncoveredIdentities, exp.uncovered_identities)) {
    problems.push(where + ": uncovered identities " + JSON.stringify(team.uncoveredIdentities));
  }
  if (!same(team.uncoveredLanguage, exp.uncovered_language)) {
    problems.push(where + ": uncovered language " + JSON.stringify(team.uncoveredLanguage));
  }
  if (team.eligible !== exp.eligible) problems.push(where + ": eligible " + team.eligible + " != " + exp.eligible);
  if (team.explanation.text !== exp.explanation) {
    problems.push(where + ": explanation\n  js: " + team.explanation.text + "\n  py: " + exp.explanation);
  }
}
const summary = { cases: data.cases.length, members: members, ranked: ranked, problems: problems.slice(0, 40), differences: problems.length };
process.stdout.write(JSON.stringify(summary));
process.exit(problems.length ? 1 : 0);

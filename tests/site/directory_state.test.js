// Node tests of theme/static/js/directory-state.js (the directory page's logic without the
// DOM), run by tests/site/test_directory_state.py with `node --test`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const DS = require(path.join(__dirname, "..", "..", "theme", "static", "js", "directory-state.js"));

// A facets.json (version 2) small enough to count by hand:
//   mentor  accepting  program  language  stage
//   ana     yes        p1       en, es    resident
//   ben     no         -        en        resident
//   cy      yes        p1       es        attending
//   dee     yes        p2       en        attending
//   eli     no         -        fr        resident
const FACETS = {
  version: 2,
  accepting: "accepting",
  pageSize: 2,
  groups: [
    { param: "language", label: "Language", values: ["en", "es", "fr"], labels: ["English", "Spanish", "French"] },
    { param: "stage", label: "Career stage", values: ["resident", "attending"], labels: ["Resident", "Attending"] },
  ],
  programs: [["p1", "Program One"], ["p2", "Program Two"]],
  mentors: [
    ["ana", "Ana", "she/her", 1, 0, [[0, 1], [0]]],
    ["ben", "Ben", "", 0, -1, [[0], [0]]],
    ["cy", "Cy", "", 1, 0, [[1], [1]]],
    ["dee", "Dee", "they/them", 1, 1, [[0], [1]]],
    ["eli", "Eli", "", 0, -1, [[2], [0]]],
  ],
};

const model = DS.createModel(FACETS);

function state(q, accepting, language, stage) {
  return { q: q, accepting: accepting, selected: { language: language, stage: stage } };
}

function ids(out) {
  return out.results.map((m) => m.id);
}

test("the model holds the mentors in the default order", () => {
  assert.equal(model.total, 5);
  assert.equal(model.pageSize, 2);
  assert.equal(model.acceptingParam, "accepting");
  assert.deepEqual(model.mentors[0], {
    id: "ana", name: "Ana", pronouns: "she/her", accepting: true, program: 0, values: [[0, 1], [0]], stale: "", order: 0,
  });
  assert.deepEqual(model.mentors.map((m) => m.order), [0, 1, 2, 3, 4]);
  assert.equal(model.groups[1].position.get("attending"), 1);
  assert.deepEqual(DS.labelsOf(model, model.mentors[0], "language"), [
    { id: "en", label: "English" }, { id: "es", label: "Spanish" },
  ]);
  assert.deepEqual(DS.labelsOf(model, model.mentors[0], "specialty"), []); // not a group here
});

test("URL round trip: parse, serialize, parse gives the same state", () => {
  const queries = [
    "",
    "?q=cardiology",
    "?q=board+exams&accepting=1",
    "?language=en&language=fr&stage=attending",
    "language=es&q=Jos%C3%A9+N%C3%BA%C3%B1ez&accepting=1&stage=resident&stage=attending",
  ];
  for (const query of queries) {
    const first = DS.parseQuery(model, query);
    const text = DS.toQuery(model, first);
    assert.deepEqual(DS.parseQuery(model, text), first, query);
    assert.equal(DS.toQuery(model, DS.parseQuery(model, text)), text, query);
  }
  assert.deepEqual(DS.parseQuery(model, "?q=board+exams&accepting=1&stage=attending&language=es&language=en"),
    state("board exams", true, ["en", "es"], ["attending"]));
  // Parameters in a fixed order: the search, the accepting box, then the groups' values in order.
  assert.equal(DS.toQuery(model, state("heart", true, ["en", "fr"], ["resident"])),
    "?q=heart&accepting=1&language=en&language=fr&stage=resident");
});

test("an empty or blank state writes no query string and is not filtered", () => {
  assert.equal(DS.toQuery(model, DS.emptyState()), "");
  assert.equal(DS.toQuery(model, state("   ", false, [], [])), "");
  assert.equal(DS.isFiltered(model, DS.emptyState()), false);
  assert.equal(DS.isFiltered(model, state("  ", false, [], [])), false);
  assert.equal(DS.isFiltered(model, state("", true, [], [])), true);
  assert.equal(DS.isFiltered(model, state("", false, [], ["resident"])), true);
  assert.equal(DS.toQuery(model, state("  two words ", false, [], [])), "?q=two+words");
  assert.deepEqual(DS.parseQuery(model, "?"), state("", false, [], []));
});

test("unknown parameters and values are ignored", () => {
  const parsed = DS.parseQuery(model,
    "?utm_source=x&language=klingon&language=en&language=en&stage=&__proto__=1&constructor=2&toString=3" +
    "&__proto__%5Bpolluted%5D=yes&specialty=cardiology&page=3");
  assert.deepEqual(parsed, state("", false, ["en"], []));
  assert.deepEqual(Object.keys(parsed.selected), ["language", "stage"]);
  assert.equal({}.polluted, undefined);
  assert.equal(DS.toQuery(model, parsed), "?language=en");
  assert.deepEqual(DS.selectedOf(parsed, "constructor"), []);
  assert.deepEqual(DS.selectedOf(DS.emptyState(), "language"), []);
});

test("hostile values stay strings", () => {
  const hostile = [
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "a&accepting=1&language=en#frag",
    "100% = ?q=x",
    "javascript:alert(1)",
    "__proto__",
    "\u202eevil\u0000nul",
  ];
  for (const q of hostile) {
    const text = DS.toQuery(model, state(q, false, [], []));
    const parsed = DS.parseQuery(model, text);
    assert.equal(typeof parsed.q, "string");
    assert.deepEqual(parsed, state(q, false, [], []), q); // nothing leaks into other parameters
  }
  assert.equal(DS.parseQuery(model, "?q=a&q=b").q, "a");
  assert.equal(DS.parseQuery(model, "?q=" + "x".repeat(1000)).q, "x".repeat(DS.MAX_QUERY));
  for (const value of ["true", "yes", "01", "1 ", "", "on"]) {
    assert.equal(DS.parseQuery(model, "?accepting=" + encodeURIComponent(value)).accepting, false, value);
  }
  assert.equal(DS.parseQuery(model, "?accepting=1&accepting=0").accepting, true);
});

test("no filter: every mentor, each value counted once per mentor", () => {
  const out = DS.compute(model, DS.emptyState(), null);
  assert.deepEqual(ids(out), ["ana", "ben", "cy", "dee", "eli"]);
  assert.deepEqual(out.counts, [[3, 2, 1], [3, 2]]);
  assert.equal(out.accepting, 3);
  assert.equal(out.searchFailed, false);
});

test("a count is what ticking only that value in its group would leave", () => {
  // Spanish: ana and cy. Language counts ignore the language choice: en ana ben dee, es ana cy,
  // fr eli. Stage counts take it: ana is a resident, cy attending.
  let out = DS.compute(model, state("", false, ["es"], []), null);
  assert.deepEqual(ids(out), ["ana", "cy"]);
  assert.deepEqual(out.counts, [[3, 2, 1], [1, 1]]);
  assert.equal(out.accepting, 2);

  // Spanish, attending, accepting only: cy. Languages of the accepting attendings: cy (es),
  // dee (en); stages of the accepting Spanish speakers: ana (resident), cy (attending).
  out = DS.compute(model, state("", true, ["es"], ["attending"]), null);
  assert.deepEqual(ids(out), ["cy"]);
  assert.deepEqual(out.counts, [[1, 1, 0], [1, 1]]);
  assert.equal(out.accepting, 1);

  // Accepting only: ana, cy, dee.
  out = DS.compute(model, state("", true, [], []), null);
  assert.deepEqual(ids(out), ["ana", "cy", "dee"]);
  assert.deepEqual(out.counts, [[2, 2, 0], [1, 2]]);
  assert.equal(out.accepting, 3);

  // Accepting attendings: cy, dee. The stage counts are those of the accepting mentors only
  // (ana resident; cy, dee attending): ben and eli do not accept new mentees.
  out = DS.compute(model, state("", true, [], ["attending"]), null);
  assert.deepEqual(ids(out), ["cy", "dee"]);
  assert.deepEqual(out.counts, [[1, 1, 0], [1, 2]]);
  assert.equal(out.accepting, 2);

  // OR within a group: English or French residents: ana, ben, eli. Languages of the
  // residents: ana (en, es), ben (en), eli (fr); stages of the English or French speakers:
  // ana, ben, eli residents, dee attending.
  out = DS.compute(model, state("", false, ["en", "fr"], ["resident"]), null);
  assert.deepEqual(ids(out), ["ana", "ben", "eli"]);
  assert.deepEqual(out.counts, [[2, 1, 1], [3, 1]]);
  assert.equal(out.accepting, 1);

  out = DS.compute(model, state("", false, ["fr"], ["attending"]), null);
  assert.deepEqual(ids(out), []);
  assert.equal(DS.countText(out, true, model.total), "No mentor matches. Remove a filter or change the search.");
});

test("a search keeps its hits, best score first, ties in the default order", () => {
  const hits = new Map([["dee", 2], ["cy", 5], ["ana", 5], ["nobody", 9]]);
  let out = DS.compute(model, state("spanish", false, [], []), hits);
  assert.deepEqual(ids(out), ["ana", "cy", "dee"]);
  assert.deepEqual(out.counts, [[2, 2, 0], [1, 2]]);
  assert.equal(out.searchFailed, false);
  out = DS.compute(model, state("spanish", false, [], ["attending"]), hits);
  assert.deepEqual(ids(out), ["cy", "dee"]);
  // No hits for a search (it could not be loaded): the filters alone apply, and that is said.
  out = DS.compute(model, state("spanish", false, [], ["attending"]), null);
  assert.deepEqual(ids(out), ["cy", "dee"]);
  assert.equal(out.searchFailed, true);
  assert.equal(DS.countText(out, true, 5),
    "Search could not be loaded, so only the filters apply. 2 of 5 mentors match");
  // Hits are ignored when there is no search text.
  assert.deepEqual(ids(DS.compute(model, state(" ", false, [], []), hits)), ["ana", "ben", "cy", "dee", "eli"]);
});

test("mentorsWith lists the mentors of a value or a program, for search.js", () => {
  assert.deepEqual(model.mentorsWith("language", "en"), ["ana", "ben", "dee"]);
  assert.deepEqual(model.mentorsWith("stage", "attending"), ["cy", "dee"]);
  assert.deepEqual(model.mentorsWith("program", "p1"), ["ana", "cy"]);
  assert.deepEqual(model.mentorsWith("program", "p3"), []);
  assert.deepEqual(model.mentorsWith("language", "constructor"), []);
});

test("status texts", () => {
  const none = { results: [], searchFailed: false };
  const one = { results: [model.mentors[0]], searchFailed: false };
  assert.equal(DS.countText(none, false, 1), "1 mentor");
  assert.equal(DS.countText(one, true, 5), "1 of 5 mentors match");
  assert.equal(DS.showingText(4, true, 7, 50), "Showing 4 of 7 matching mentors");
  assert.equal(DS.showingText(24, false, 50, 50), "Showing 24 of 50 mentors");
  assert.equal(DS.searchBase("/mmm/search/lunr.min.js?v=abc/def"), "/mmm/search/");
  assert.equal(DS.searchBase("lunr.min.js"), "");
});

test("with no result: remove a filter (most mentors first) and the closest terms", () => {
  // French and attending: no one (eli is French and resident)
  const none = state("", true, ["fr"], ["attending"]);
  assert.deepEqual(ids(DS.compute(model, none, null)), []);
  const out = DS.suggestions(model, none, null);
  // removing "French" leaves cy and dee; removing "Attending" (eli) or the accepting box
  // (eli again, who is not attending) leaves no one
  assert.deepEqual(out.remove.map((r) => [r.label, r.count, r.query]), [
    ["French", 2, "?accepting=1&stage=attending"],
  ]);
  assert.deepEqual(out.terms, []);
  // a search a typo away from a label suggests that label as a filter, without the search
  const typo = state("spansh", false, [], []);
  const hits = new Map();
  const s = DS.suggestions(model, typo, hits);
  assert.deepEqual(s.terms.map((t) => [t.label, t.count, t.query]), [["Spanish", 2, "?language=es"]]);
  assert.deepEqual(s.remove, []);
  // far from every label: nothing
  assert.deepEqual(DS.suggestions(model, state("zzzzzz", false, [], []), hits).terms, []);
});

test("distance: Levenshtein, capped at the limit (match.js's closest mentor id uses it)", () => {
  assert.equal(DS.distance("ana-example", "ana-example", 3), 0);
  assert.equal(DS.distance("ana-exmple", "ana-example", 3), 1);
  assert.equal(DS.distance("ana-exampel", "ana-example", 3), 2);
  assert.equal(DS.distance("kitten", "sitting", 5), 3);
  assert.equal(DS.distance("kitten", "sitting", 2), 2); // given up at the limit
  assert.equal(DS.distance("a", "abcdef", 3), 3); // lengths alone are too far apart
  assert.equal(DS.distance("", "ab", 5), 2);
});

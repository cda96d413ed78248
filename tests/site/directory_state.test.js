// Node tests of theme/static/js/directory-state.js (the directory page's logic without the
// DOM), run by tests/site/test_directory_state.py with `node --test`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const DS = require(path.join(__dirname, "..", "..", "theme", "static", "js", "directory-state.js"));

// search/facets.json (version 3) and its pieces, small enough to count by hand:
//   ref  mentor  accepting  program  language  stage
//   0    ana     yes        p1       en, es    resident
//   1    ben     no         -        en        resident
//   2    cy      yes        p1       es        attending
//   3    dee     yes        p2       en        attending
//   4    eli     no         -        fr        resident
// The directory order: the accepting refs (0, 2, 3), then the others (1, 4).
const NAMES = ["ana", "ben", "cy", "dee", "eli"];
const META = {
  version: 3,
  accepting: "accepting",
  pageSize: 2,
  total: 5,
  cardsPerFile: 2,
  groups: [
    { param: "language", label: "Language", values: ["en", "es", "fr"], labels: ["English", "Spanish", "French"] },
    { param: "stage", label: "Career stage", values: ["resident", "attending"], labels: ["Resident", "Attending"] },
  ],
  cardGroups: ["language", "stage"],
  programs: [["p1", "Program One"], ["p2", "Program Two", "Peer Network", "2024-11-02"]],
  acceptingRefs: [0, 2, 1], // gaps: refs 0, 2, 3
};
// Postings: language as gaps; stage as base64 bitsets (0b10011 = refs 0, 1, 4; 0b01100 = 2, 3),
// or as a column (one character per ref: A resident, B attending).
const GROUPS = {
  language: [[0, 1, 2], [0, 2], [4]],
  stage: [Buffer.from([0b10011]).toString("base64"), Buffer.from([0b01100]).toString("base64")],
};
const STAGE_COLUMN = { column: "AABBA" };
const CARDS = [
  [["ana", "Ana", "she/her", 0, [[0, 1], [0]], ""], ["ben", "Ben", "", -1, [[0], [0]], "March 2023"]],
  [["cy", "Cy", "", 0, [[1], [1]], ""], ["dee", "Dee", "they/them", 1, [[0], [1]], ""]],
  [["eli", "Eli", "", -1, [[2], [0]], ""]],
];

function loaded() {
  const m = DS.createModel(META);
  DS.addGroup(m, "language", GROUPS.language);
  DS.addGroup(m, "stage", GROUPS.stage);
  return m;
}

const model = loaded();

function state(q, accepting, language, stage) {
  return { q: q, accepting: accepting, selected: { language: language, stage: stage } };
}

function ids(out) {
  return out.results.map((r) => NAMES[r]);
}

test("postings: gaps and base64 bitsets decode to ascending refs", () => {
  assert.deepEqual(DS.decodeRefs([3, 1, 4], 10), [3, 4, 8]);
  assert.deepEqual(DS.decodeRefs([], 10), []);
  // bit r % 8 of byte r >> 3: refs 1 and 9; a bit past the total is not a ref
  assert.deepEqual(DS.decodeRefs(Buffer.from([0b10, 0b10]).toString("base64"), 16), [1, 9]);
  assert.deepEqual(DS.decodeRefs(Buffer.from([0b10, 0b10]).toString("base64"), 9), [1]);
  assert.deepEqual(DS.decodeRefs("", 5), []);
});

test("the model: the directory order from the accepting refs, groups and cards as they load", () => {
  const m = DS.createModel(META);
  assert.equal(m.total, 5);
  assert.equal(m.pageSize, 2);
  assert.equal(m.acceptingParam, "accepting");
  assert.deepEqual(Array.from(m.order), [0, 2, 3, 1, 4]);
  assert.deepEqual(Array.from(m.rank), [0, 3, 1, 2, 4]);
  assert.equal(m.groups[1].position.get("attending"), 1);
  // nothing but the meta is loaded: no group, no card
  assert.equal(DS.isLoaded(m, "language"), false);
  assert.equal(DS.posting(m, "language", "en"), null);
  assert.deepEqual(DS.posting(m, "language", "klingon"), []); // no mentor has it: nothing to load
  assert.equal(DS.card(m, 0), null);
  assert.deepEqual(DS.groupsToLoad(m, state("", true, [], [])), []);
  assert.deepEqual(DS.groupsToLoad(m, state("", false, ["es"], ["resident"])), ["language", "stage"]);
  assert.throws(() => DS.compute(m, state("", false, ["es"], []), null), /language/);
  // with no group chosen, results and the accepting count need no group; counts are pending
  const out = DS.compute(m, state("", true, [], []), null);
  assert.deepEqual(ids(out), ["ana", "cy", "dee"]);
  assert.deepEqual(out.counts, [null, null]);
  assert.equal(out.accepting, 3);

  DS.addGroup(m, "language", GROUPS.language);
  assert.deepEqual(DS.groupsToLoad(m, state("", false, ["es"], ["resident"])), ["stage"]);
  assert.deepEqual(DS.posting(m, "language", "en"), [0, 1, 3]);
  assert.deepEqual(DS.compute(m, state("", true, [], []), null).counts, [[2, 2, 0], null]);
  assert.throws(() => DS.addGroup(m, "stage", [[0]]), /stage/); // not the meta's values

  // cards: the chunks of the mentors to show, then each card
  assert.deepEqual(DS.chunksToLoad(m, [4, 0, 1, 3]), [0, 1, 2]);
  DS.addCards(m, 0, CARDS[0]);
  assert.deepEqual(DS.chunksToLoad(m, [4, 0, 1, 3]), [1, 2]);
  assert.deepEqual(DS.card(m, 0), {
    ref: 0, id: "ana", name: "Ana", pronouns: "she/her", accepting: true, program: 0, values: [[0, 1], [0]], stale: "",
  });
  assert.equal(DS.card(m, 1).stale, "March 2023");
  assert.equal(DS.card(m, 1).accepting, false);
  assert.equal(DS.card(m, 2), null);
  assert.deepEqual(DS.labelsOf(m, DS.card(m, 0), "language"), [
    { id: "en", label: "English" }, { id: "es", label: "Spanish" },
  ]);
  assert.deepEqual(DS.labelsOf(m, DS.card(m, 0), "stage"), [{ id: "resident", label: "Resident" }]);
  assert.deepEqual(DS.labelsOf(m, DS.card(m, 0), "specialty"), []); // not a group here
});

test("a group as a column gives the same postings as its postings", () => {
  const m = DS.createModel(META);
  DS.addGroup(m, "stage", STAGE_COLUMN);
  assert.deepEqual(m.groups[1].postings, [[0, 1, 4], [2, 3]]);
  const none = DS.createModel(META);
  DS.addGroup(none, "stage", { column: "A.B.." });
  assert.deepEqual(none.groups[1].postings, [[0], [2]]);
  assert.throws(() => DS.addGroup(DS.createModel(META), "stage", { column: "AAC" }), /stage/);
  const both = loaded();
  DS.addGroup(m, "language", GROUPS.language);
  const s = state("", true, ["en"], ["attending"]);
  assert.deepEqual(DS.compute(m, s, null), DS.compute(both, s, null));
});

test("one value's posting alone, for a search's catalog hit; programs by id", () => {
  const m = DS.createModel(META);
  assert.equal(DS.valueFile(m, "language", "es"), "facets/language/1.json");
  assert.equal(DS.valueFile(m, "program", "p2"), "facets/program/1.json");
  assert.equal(DS.valueFile(m, "program", "p3"), null);
  assert.equal(DS.valueFile(m, "language", "klingon"), null);
  assert.equal(DS.valueFile(m, "hobby", "chess"), null);
  assert.equal(DS.posting(m, "program", "p1"), null);
  assert.deepEqual(DS.posting(m, "program", "p3"), []);
  DS.addValue(m, "program", "p1", [0, 2]);
  DS.addValue(m, "language", "es", [0, 2]);
  assert.deepEqual(DS.posting(m, "program", "p1"), [0, 2]);
  assert.deepEqual(DS.posting(m, "language", "es"), [0, 2]);
  assert.equal(DS.posting(m, "language", "en"), null);
  assert.equal(DS.isLoaded(m, "language"), false); // one value is not its group: no counts
  assert.deepEqual(DS.posting(m, "language", "constructor"), []);
});

test("facets/program.json: every program's posting at once, checked against facets.json", () => {
  const m = DS.createModel(META);
  DS.addPrograms(m, [[0, 2], [1]]); // gaps: p1 has refs 0 and 2, p2 has ref 1
  assert.deepEqual(DS.posting(m, "program", "p1"), [0, 2]);
  assert.deepEqual(DS.posting(m, "program", "p2"), [1]);
  assert.throws(() => DS.addPrograms(DS.createModel(META), [[0]]), /program\.json/);
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

test("no filter: every mentor in the directory order, each value counted once per mentor", () => {
  const out = DS.compute(model, DS.emptyState(), null);
  assert.deepEqual(ids(out), ["ana", "cy", "dee", "ben", "eli"]);
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
  assert.deepEqual(ids(out), ["ana", "ben", "eli"]); // the accepting ana first
  assert.deepEqual(out.counts, [[2, 1, 1], [3, 1]]);
  assert.equal(out.accepting, 1);

  out = DS.compute(model, state("", false, ["fr"], ["attending"]), null);
  assert.deepEqual(ids(out), []);
  assert.equal(DS.countText(out, true, model.total), "No mentor matches. Remove a filter or change the search.");
});

test("a search keeps its hits, best score first, ties in the directory order", () => {
  // refs: dee 3, cy 2, ana 0, ben 1; 99 is no mentor
  const hits = new Map([[3, 2], [2, 5], [1, 5], [0, 5], [99, 9]]);
  let out = DS.compute(model, state("spanish", false, [], []), hits);
  assert.deepEqual(ids(out), ["ana", "cy", "ben", "dee"]); // ben: a tie, after the accepting
  assert.deepEqual(out.counts, [[3, 2, 0], [2, 2]]);
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
  assert.deepEqual(ids(DS.compute(model, state(" ", false, [], []), hits)), ["ana", "cy", "dee", "ben", "eli"]);
  // hits and the accepting box and a group together
  out = DS.compute(model, state("spanish", true, ["en"], []), hits);
  assert.deepEqual(ids(out), ["ana", "dee"]);
  assert.deepEqual(out.counts, [[2, 2, 0], [1, 1]]);
  assert.equal(out.accepting, 2);
});

test("paging: the cards of one page of results are in as many chunks as they need", () => {
  const m = loaded();
  const out = DS.compute(m, DS.emptyState(), null); // ana, cy, dee, ben, eli: refs 0 2 3 1 4
  const first = out.results.slice(0, m.pageSize);
  assert.deepEqual(DS.chunksToLoad(m, first), [0, 1]);
  DS.addCards(m, 0, CARDS[0]);
  DS.addCards(m, 1, CARDS[1]);
  assert.deepEqual(first.map((r) => DS.card(m, r).id), ["ana", "cy"]);
  // "Show more mentors": the next page needs chunk 1 (loaded) only
  assert.deepEqual(DS.chunksToLoad(m, out.results.slice(2, 4)), []);
  assert.deepEqual(DS.chunksToLoad(m, out.results.slice(4, 6)), [2]);
});

test("status texts", () => {
  const none = { results: [], searchFailed: false };
  const one = { results: [0], searchFailed: false };
  assert.equal(DS.countText(none, false, 1), "1 mentor");
  assert.equal(DS.countText(one, true, 5), "1 of 5 mentors match");
  assert.equal(DS.showingText(4, true, 7, 50), "Showing 4 of 7 matching mentors");
  assert.equal(DS.showingText(24, false, 50, 50), "Showing 24 of 50 mentors");
  // thousands as the pages print them (the templates' `number` filter)
  const many = { results: new Array(1613).fill(0), searchFailed: false };
  assert.equal(DS.countText(many, true, 10000), "1,613 of 10,000 mentors match");
  assert.equal(DS.showingText(1200, true, 1613, 50000), "Showing 1,200 of 1,613 matching mentors");
  assert.deepEqual([0, 999, 1000, 123456789].map(DS.number), ["0", "999", "1,000", "123,456,789"]);
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
  assert.deepEqual(DS.closeTerms(model, typo), [{ param: "language", value: "es", label: "Spanish", distance: 1 }]);
  const s = DS.suggestions(model, typo, hits);
  assert.deepEqual(s.terms.map((t) => [t.label, t.count, t.query]), [["Spanish", 2, "?language=es"]]);
  assert.deepEqual(s.remove, []);
  // a close term whose group is not loaded yet is not offered (directory.js loads it first)
  const bare = DS.createModel(META);
  assert.deepEqual(DS.suggestions(bare, typo, hits).terms, []);
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

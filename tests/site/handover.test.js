// Node tests of theme/static/js/handover.js (the team page's hand-over to a coordinator, without
// the DOM), run by tests/site/test_handover_node.py with `node --test`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const H = require(path.join(__dirname, "..", "..", "theme", "static", "js", "handover.js"));

const CHOICES = {
  needs: ["research", "belonging", "board-exams"],
  affinities: ["first-generation"],
  specialties: ["pediatrics"],
  languages: ["es"],
  meeting: ["virtual"],
  must: ["state"],
  stage: ["ms2"],
  profession: ["md"],
  state: ["IL"],
  team_size: ["1", "2", "3", "4", "5"],
};
const known = (name, value) => (CHOICES[name] || []).includes(value);
const ANSWERS = {
  needs: ["board-exams", "research"],
  affinities: ["first-generation"],
  specialties: [],
  languages: ["es"],
  meeting: [],
  must: ["state"],
  mentors: ["ana-example"],
  stage: "ms2",
  profession: null,
  state: "IL",
  team_size: 2,
};

test("the fragment round trip keeps every answer and the order of importance", () => {
  const fragment = H.fragment(ANSWERS);
  assert.match(fragment, /^request=1&/);
  assert.deepEqual(H.read("#" + fragment, known), ANSWERS);
});

test("a fragment that is not a hand-over is no answers", () => {
  assert.equal(H.read("", known), null);
  assert.equal(H.read("#program-requests", known), null);
  assert.equal(H.read("#request=2&needs=research", known), null);
});

test("only the page's own choices and well-formed mentor ids are read back", () => {
  const crafted =
    "#request=1&needs=%3Cimg%20src%3Dx%3E,research,research,constructor&state=ZZ&stage=__proto__" +
    "&mentors=%3Cscript%3E,Ana,ok-id&team_size=99&must=nope,state";
  const read = H.read(crafted, known);
  assert.deepEqual(read.needs, ["research"]);
  assert.deepEqual(read.mentors, ["ok-id"]);
  assert.deepEqual(read.must, ["state"]);
  assert.equal(read.state, null);
  assert.equal(read.stage, null);
  assert.equal(read.team_size, null);
});

test("the text names the team, the answers in order, the link and how to file it", () => {
  const team = { members: [{ id: "ana-example", mentor: { name: "Ana Example, MD" } }] };
  const text = H.text({ ...ANSWERS, mentors: ["ana-example", "ben-sample"] }, team, {
    label: (name, value) => name + ":" + value,
    question: (name) => "Q-" + name,
    link: "https://site.example/match/#request=1",
    form: "https://github.com/o/r/issues/new?template=mentor-request.yml",
  });
  const lines = text.split("\n");
  assert.ok(lines.includes("Mentors suggested for my team: Ana Example, MD (ana-example)"));
  assert.ok(lines.includes("Mentors I also asked for: ben-sample"));
  assert.ok(lines.includes("Q-needs (most important first): needs:board-exams; needs:research"));
  assert.ok(lines.includes("Q-state: state:IL"));
  assert.ok(lines.includes("Q-team_size: 2"));
  assert.ok(!text.includes("Q-profession") && !text.includes("Q-specialties"));
  assert.ok(text.includes("https://site.example/match/#request=1"));
  assert.ok(text.includes("I am filing this for a mentee of my program"));
});

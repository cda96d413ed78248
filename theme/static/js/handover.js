/*
 * MentorMeMed team page: the request a mentee hands to their school's coordinator (issue 20).
 *
 * window.MentorHandover, no DOM and no request of any kind (Node loads it too):
 * - fragment(answers): the answers as the part of an address after "#", which browsers never
 *   send to a server: the link re-opens the team page with the same answers;
 * - read(hash, known): the answers in such a fragment, keeping only values KNOWN(name, value)
 *   accepts (the page's own choices), so a crafted link can only tick the page's own boxes;
 * - text(answers, team, words): the request as a short text block to send by any channel.
 */
(function (root) {
  "use strict";

  var VERSION = "1";
  var LISTS = ["needs", "affinities", "specialties", "languages", "meeting", "must", "mentors"];
  var SINGLES = ["stage", "profession", "state"];
  var MENTOR_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var MAX_ITEMS = 20;

  function fragment(answers) {
    var params = new URLSearchParams();
    params.set("request", VERSION);
    LISTS.forEach(function (name) {
      if (answers[name] && answers[name].length) params.set(name, answers[name].join(","));
    });
    SINGLES.forEach(function (name) {
      if (answers[name]) params.set(name, answers[name]);
    });
    params.set("team_size", String(answers.team_size));
    return params.toString();
  }

  /** The answers in HASH ("#request=1&needs=…"), or null when it holds none. */
  function read(hash, known) {
    var text = String(hash || "").replace(/^#/, "");
    if (!text) return null;
    var params;
    try {
      params = new URLSearchParams(text);
    } catch {
      return null;
    }
    if (params.get("request") !== VERSION) return null;
    var answers = { team_size: null };
    LISTS.forEach(function (name) {
      var seen = [];
      (params.get(name) || "").split(",").forEach(function (value) {
        var v = value.trim();
        var ok = name === "mentors" ? MENTOR_ID.test(v) && v.length <= 64 : known(name, v);
        if (v && ok && seen.indexOf(v) < 0 && seen.length < MAX_ITEMS) seen.push(v);
      });
      answers[name] = seen;
    });
    SINGLES.forEach(function (name) {
      var v = params.get(name);
      answers[name] = v && known(name, v) ? v : null;
    });
    var size = params.get("team_size");
    answers.team_size = size && known("team_size", size) ? parseInt(size, 10) : null;
    return answers;
  }

  /**
   * The request as text for the coordinator. WORDS: {label(name, value), question(name),
   * link, form}: the page's labels, the hand-over link and the request form's address.
   */
  function text(answers, team, words) {
    var lines = ["Mentor request for my school's coordinator to file for me (MentorMeMed)", ""];
    function add(question, values) {
      if (values.length) lines.push(question + ": " + values.join("; "));
    }
    var ids = team.members.map(function (m) {
      return m.id;
    });
    add("Mentors suggested for my team", team.members.map(function (m) {
      return m.mentor.name + " (" + m.id + ")";
    }));
    var asked = answers.mentors.filter(function (id) {
      return ids.indexOf(id) < 0;
    });
    add("Mentors I also asked for", asked);
    ["needs", "affinities", "specialties", "languages", "meeting"].forEach(function (name) {
      var suffix = name === "needs" || name === "affinities" ? " (most important first)" : "";
      add(words.question(name) + suffix, answers[name].map(function (v) {
        return words.label(name, v);
      }));
    });
    SINGLES.forEach(function (name) {
      if (answers[name]) add(words.question(name), [words.label(name, answers[name])]);
    });
    add(words.question("team_size"), [String(answers.team_size)]);
    add(words.question("must"), answers.must.map(function (v) {
      return words.label("must", v);
    }));
    lines.push("");
    lines.push("These answers on the team page: " + words.link);
    lines.push(
      "To file it: open " + words.form + ", tick “I am filing this for a mentee of my program”, " +
        "and put in only the mentors and the areas I want help with, unless I agree to more. " +
        "Nothing in the request may name me."
    );
    return lines.join("\n");
  }

  var api = { fragment: fragment, read: read, text: text };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.MentorHandover = api;
})(typeof window === "undefined" ? globalThis : window);

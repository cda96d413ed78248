/*
 * MentorMeMed "find my mentor team" page: runs theme/static/js/matcher.js on this device.
 *
 * match/mentors.json (the export's matching fields, packed: match-data.js decodes it; mentors
 * numbered by rank, no id, no name) and matching.json are loaded once, when the page opens (it
 * is ready then). Once it is idle, every names file (match/names/<k>.json: ids and names, each
 * file once), whatever the answers: a submit then shows its team without waiting for the
 * network, and no request tells which mentors the answers found. With Save-Data on, only the
 * shown mentors' names files, when they are shown, and, when the mentee types mentor ids,
 * every id (match/ids.json, once; not needed once every names file is in). Never any answer.
 * Answers are never stored; a shortlist of mentor ids and names is kept in localStorage only
 * when the mentee asks, and "Clear" removes it.
 *
 * - Needs and affinities are ranked: the order they are ticked in, shown as a list with Up and
 *   Down buttons (keyboard and touch), is their order of importance.
 * - Each collapsed group's summary says what is chosen in it.
 * - An answer that cannot be used (no need, too many, a "must" without an answer, an unknown
 *   mentor id) is an error shown next to its question, in a live region that gets the focus.
 * - "Request this team" carries the mentor ids and the needs; the opt-in adds exactly the
 *   answers its label lists (the label is written from the same list as the link).
 * - "Ask through your school's coordinator" (issue 20): the request as a text to send, and a link
 *   that re-opens this page with the same answers in its fragment (handover.js: never sent to a
 *   server); opened with such a link, the page ticks those answers and finds the team again.
 *
 * Needs matcher.js (window.MentorMatcher), match-data.js (window.MentorMatchData), dom.js (window.MentorDom), directory-state.js
 * (window.DirectoryState, for its Levenshtein distance and its counts) and handover.js (window.MentorHandover),
 * loaded before it.
 */
(function () {
  "use strict";

  var STORE_KEY = "mentormemed-shortlist";
  var MULTI = ["needs", "affinities", "specialties", "languages", "meeting"];
  var SINGLE = ["stage", "profession", "state"];
  // a mentor of this network, or of a peer network ("<peer>--<their id>", docs/federation.md)
  var MENTOR_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:--[a-z0-9]+(?:-[a-z0-9]+)*)?$/;
  var app = document.getElementById("match-app");
  if (!app || !window.MentorMatcher || !window.MentorMatchData || !window.MentorDom || !window.DirectoryState || !window.MentorHandover) return;
  var handover = window.MentorHandover;
  // Levenshtein distance, given up (returns `limit`) once it reaches `limit`.
  var distance = window.DirectoryState.distance;
  var el = window.MentorDom.el;
  var fetchJson = window.MentorDom.fetchJson;
  var form = document.getElementById("match-form");
  var submit = document.getElementById("match-submit");
  var loading = document.getElementById("match-loading");
  var statusLine = document.getElementById("match-status");
  var result = document.getElementById("match-result");
  var heading = document.getElementById("match-heading");
  var requestLink = document.getElementById("match-request");
  var publicBox = document.getElementById("m-public");
  var publicLabel = document.getElementById("m-public-label");
  var mentorsInput = document.getElementById("m-mentors");
  var mentorsMax = parseInt(app.getAttribute("data-mentors-max"), 10) || 5;
  var requestBase = requestLink.href.split("?")[0];
  var matchData = window.MentorMatchData;
  // index: the matcher's, mentors numbered by rank; named: the same with their ids (built when
  // the mentee first types mentor ids, from match/ids.json; ids: those ids, as a Set)
  var state = { index: null, named: null, ids: null, labels: null, team: null, answers: null, networks: {} };
  // what the page knows of each rank (ids and names, from the names files), the names files'
  // size and number, the files asked for (file number → Promise, each fetched once), whether
  // every one is in, and every id's (from them, or from match/ids.json)
  var names = { mentors: null, config: null, people: null, perFile: 1, files: 0, loading: {}, everyName: false, ids: null };
  var shown = 0; // the latest submit: an earlier one whose names arrive late shows nothing

  // ------------------------------------------------------------------ answers

  // The order of importance of needs and affinities: the order they were ticked in, then moved.
  var order = { needs: [], affinities: [] };

  function ticked(name) {
    var values = Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (i) {
      return i.value;
    });
    if (!order[name]) return values;
    var ranked = order[name].filter(function (v) {
      return values.indexOf(v) >= 0;
    });
    values.forEach(function (v) {
      if (ranked.indexOf(v) < 0) ranked.push(v);
    });
    return ranked;
  }

  function labelOf(name, value) {
    var input = form.querySelector('input[name="' + name + '"][value="' + value + '"]');
    if (input) return form.querySelector('label[for="' + input.id + '"]').textContent;
    var option = form.querySelector('select[name="' + name + '"] option[value="' + value + '"]');
    return option ? option.textContent : value;
  }

  function questionOf(name) {
    var holder = form.querySelector('[data-name="' + name + '"]') || form.elements[name];
    return holder.getAttribute("data-label");
  }

  function one(name) {
    var v = form.elements[name].value;
    return v === "" ? null : v;
  }

  /** The mentor ids typed, in order, without repeats; a page address counts as its id. */
  function typedMentors() {
    var out = [];
    mentorsInput.value.split(/[\s,;]+/).forEach(function (word) {
      var w = word.trim().replace(/\/+$/, "");
      if (!w) return;
      var parts = w.split("/");
      w = parts[parts.length - 1].toLowerCase();
      if (out.indexOf(w) < 0) out.push(w);
    });
    return out;
  }

  function answers() {
    var request = {
      stage: one("stage"),
      profession: one("profession"),
      state: one("state"),
      team_size: parseInt(form.elements.team_size.value, 10) || 3,
      mentors: typedMentors(),
      must: ticked("must"),
    };
    MULTI.forEach(function (name) {
      request[name] = ticked(name);
    });
    return request;
  }

  // ------------------------------------------------------------------ errors next to the field

  function setError(name, message) {
    var box = document.getElementById("error-" + name);
    box.textContent = message || "";
    if (name === "mentors") {
      if (message) mentorsInput.setAttribute("aria-invalid", "true");
      else mentorsInput.removeAttribute("aria-invalid");
    }
    return box;
  }

  function closestId(word) {
    var best = null;
    var bestDistance = 3;
    state.ids.forEach(function (id) {
      var d = distance(word, id, bestDistance);
      if (d < bestDistance) {
        best = id;
        bestDistance = d;
      }
    });
    return best;
  }

  /** Every problem of these answers, by question, in the form's order. */
  function problems(request) {
    var found = [];
    MULTI.forEach(function (name) {
      var set = form.querySelector('fieldset[data-name="' + name + '"]');
      var max = parseInt(set.getAttribute("data-max"), 10);
      if (max && request[name].length > max) {
        found.push([name, "Choose at most " + max + " under: " + questionOf(name) + ". You chose " + request[name].length + "."]);
      } else if (name === "needs" && !request.needs.length) {
        found.push(["needs", "Choose at least one area you want help with."]);
      }
    });
    var empty = request.must.filter(function (name) {
      var value = request[name];
      return Array.isArray(value) ? !value.length : !value;
    });
    if (empty.length) {
      found.push([
        "must",
        "A requirement needs an answer: " +
          empty
            .map(function (name) {
              return "“" + labelOf("must", name) + "” but nothing is chosen under " + questionOf(name);
            })
            .join("; ") +
          ". Answer that question, or untick the requirement.",
      ]);
    }
    var bad = [];
    if (request.mentors.length > mentorsMax) {
      bad.push("name at most " + mentorsMax + " mentors (you named " + request.mentors.length + ")");
    }
    request.mentors.forEach(function (id) {
      if (!MENTOR_ID.test(id) || !state.ids.has(id)) {
        var near = closestId(id);
        bad.push("no mentor has the id “" + id + "”" + (near ? " (did you mean “" + near + "”?)" : ""));
      }
    });
    if (bad.length) found.push(["mentors", bad.join("; ").replace(/^./, function (c) {
          return c.toUpperCase();
        }) + "."]);
    return found;
  }

  // ------------------------------------------------------------------ ranked lists and summaries

  function moveButton(value, label, direction, disabled) {
    var button = el("button", { type: "button", class: "button-small", "data-move": direction, "data-value": value });
    button.appendChild(document.createTextNode(direction === "up" ? "Up" : "Down"));
    button.appendChild(el("span", { class: "visually-hidden" }, ": move " + label + " " + direction));
    button.disabled = disabled;
    return button;
  }

  function drawRanking(name) {
    var box = document.getElementById("ranking-" + name);
    if (!box) return;
    var values = ticked(name);
    order[name] = values;
    var list = document.getElementById("ranked-" + name);
    list.textContent = "";
    values.forEach(function (value, i) {
      var label = labelOf(name, value);
      var li = el("li", { "data-value": value });
      li.appendChild(el("span", { class: "ranked-name" }, label));
      var moves = el("span", { class: "ranked-moves" });
      moves.appendChild(moveButton(value, label, "up", i === 0));
      moves.appendChild(moveButton(value, label, "down", i === values.length - 1));
      li.appendChild(moves);
      list.appendChild(li);
    });
    box.hidden = values.length < 2;
  }

  function move(name, value, direction) {
    var values = order[name];
    var at = values.indexOf(value);
    var to = direction === "up" ? at - 1 : at + 1;
    if (at < 0 || to < 0 || to >= values.length) return;
    values.splice(at, 1);
    values.splice(to, 0, value);
    drawRanking(name);
    summarize(name);
    var buttons = document.querySelectorAll("#ranked-" + name + ' li[data-value="' + value + '"] button');
    var again = direction === "up" ? buttons[0] : buttons[1];
    (again.disabled ? buttons[direction === "up" ? 1 : 0] : again).focus();
    document.getElementById("ranked-" + name + "-status").textContent =
      labelOf(name, value) + " is now " + (to + 1) + " of " + values.length + ".";
  }

  function shortList(labels) {
    if (labels.length <= 3) return labels.join(", ");
    return labels.slice(0, 3).join(", ") + " and " + (labels.length - 3) + " more";
  }

  function summarize(name) {
    var target = MULTI.indexOf(name) >= 0 || name === "must" ? name : SINGLE.indexOf(name) >= 0 ? "about" : null;
    if (!target) return;
    var labels;
    if (target === "about") {
      labels = SINGLE.filter(one).map(function (n) {
        return labelOf(n, one(n));
      });
    } else {
      labels = ticked(target).map(function (v) {
        return target === "must" ? questionOf(v) : labelOf(target, v);
      });
    }
    var prefix = target === "must" ? "must match: " : labels.length + " chosen: ";
    document.getElementById("chosen-" + target).textContent = labels.length ? "(" + prefix + shortList(labels) + ")" : "";
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || !input.name) return;
    if (order[input.name]) {
      var list = order[input.name];
      var at = list.indexOf(input.value);
      if (at >= 0) list.splice(at, 1);
      if (input.checked) list.push(input.value);
      drawRanking(input.name);
    }
    summarize(input.name);
  });
  form.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-move]") : null;
    if (!button) return;
    var name = button.closest("fieldset").getAttribute("data-name");
    move(name, button.getAttribute("data-value"), button.getAttribute("data-move"));
  });

  // ------------------------------------------------------------------ results

  function card(member, asTeam) {
    var li = el("li", { class: "card" });
    var h = el("h3", { class: "card-name" });
    h.appendChild(el("a", { href: "../mentors/" + encodeURIComponent(member.id) + "/" }, member.mentor.name || member.id));
    li.appendChild(h);
    var peer = member.id.indexOf("--") > 0 ? member.id.split("--")[0] : "";
    if (peer && Object.prototype.hasOwnProperty.call(state.networks, peer)) {
      // a peer network's mentor: requested on their network's form, from their page
      li.appendChild(el("p", { class: "card-meta provenance" },
        "From " + state.networks[peer] + ": request this mentor from their page, on their network's form."));
    }
    var reasons = el("ul", { class: "facts" });
    member.reasons.forEach(function (r) {
      reasons.appendChild(el("li", null, r));
    });
    li.appendChild(reasons);
    if (asTeam && member.covers.length) {
      li.appendChild(
        el(
          "p",
          null,
          "In this team, for: " +
            member.covers
              .map(function (n) {
                return labelOf("needs", n);
              })
              .join(", ")
        )
      );
    }
    return li;
  }

  /** What the opt-in adds to the request, as [parameter, question, answer]: the link and the
   * opt-in's label are both written from it. */
  function additions(request) {
    var out = [];
    ["affinities", "specialties", "languages", "meeting"].forEach(function (name) {
      if (request[name].length) {
        out.push([
          name,
          questionOf(name),
          request[name]
            .map(function (v) {
              return labelOf(name, v);
            })
            .join(","),
        ]);
      }
    });
    SINGLE.forEach(function (name) {
      if (request[name]) out.push([name, questionOf(name), labelOf(name, request[name])]);
    });
    out.push(["team_size", questionOf("team_size"), String(request.team_size)]);
    return out;
  }

  /** The mentors a request names: those typed first, then the team's, at most the form's limit. */
  function namedMentors(team, request) {
    var ids = [];
    request.mentors.concat(team.members.map(function (m) { return m.id; })).forEach(function (id) {
      // A peer network's mentor (id "<peer>--<id>") is requested on their own network's form,
      // from their page: this network's form and bot do not know them.
      if (ids.indexOf(id) < 0 && id.indexOf("--") < 0) ids.push(id);
    });
    return ids.slice(0, mentorsMax);
  }

  function requestUrl(team, request) {
    var params = new URLSearchParams();
    params.set("template", app.getAttribute("data-form"));
    params.set("mentors", namedMentors(team, request).join(", "));
    params.set(
      "needs",
      request.needs
        .map(function (n) {
          return labelOf("needs", n);
        })
        .join(",")
    );
    if (publicBox.checked) {
      additions(request).forEach(function (a) {
        params.set(a[0], a[2]);
      });
    }
    return requestBase + "?" + params.toString();
  }

  function updateLink() {
    if (!state.team) return;
    publicLabel.textContent =
      "Also put these answers in the request: " +
      additions(state.answers)
        .map(function (a) {
          return a[1] + ": " + a[2].split(",").join(", ");
        })
        .join("; ") +
      ".";
    requestLink.href = requestUrl(state.team, state.answers);
    updateHandover();
  }

  // ------------------------------------------------------------------ hand-over to a coordinator

  function handoverLink(request) {
    return window.location.origin + window.location.pathname + "#" + handover.fragment(request);
  }

  function updateHandover() {
    var link = handoverLink(state.answers);
    document.getElementById("handover-link").value = link;
    document.getElementById("handover-text").value = handover.text(state.answers, state.team, {
      label: labelOf,
      question: questionOf,
      link: link,
      form: requestLink.href,
    });
    document.getElementById("handover-status").textContent = "";
  }

  /** Whether VALUE is one of the page's own choices for the question NAME. */
  function known(name, value) {
    var field = form.elements[name];
    if (!field || value === "") return false;
    var inputs = field.tagName === "SELECT" ? field.options : field.length !== undefined ? field : [field];
    return Array.prototype.some.call(inputs, function (input) {
      return input.value === value;
    });
  }

  /** Tick the answers of a hand-over link, in their order of importance, and find the team. */
  function applyAnswers(given) {
    MULTI.concat(["must"]).forEach(function (name) {
      Array.prototype.forEach.call(form.querySelectorAll('input[name="' + name + '"]'), function (input) {
        input.checked = given[name].indexOf(input.value) >= 0;
        if (input.checked) input.closest("details").open = true;
      });
      if (order[name]) {
        order[name] = given[name].slice();
        drawRanking(name);
      }
      summarize(name);
    });
    SINGLE.forEach(function (name) {
      form.elements[name].value = given[name] || "";
      summarize(name);
    });
    if (given.team_size) form.elements.team_size.value = String(given.team_size);
    mentorsInput.value = given.mentors.join(", ");
    form.requestSubmit();
  }

  function copyField(id, done) {
    var field = document.getElementById(id);
    var status = document.getElementById("handover-status");
    field.focus();
    field.select();
    var fallback = function () {
      status.textContent = "Selected: copy it with your device's copy command.";
    };
    if (!navigator.clipboard || !navigator.clipboard.writeText) return fallback();
    navigator.clipboard.writeText(field.value).then(function () {
      status.textContent = done;
    }, fallback);
  }

  document.getElementById("handover-copy-text").addEventListener("click", function () {
    copyField("handover-text", "The text is copied.");
  });
  document.getElementById("handover-copy-link").addEventListener("click", function () {
    copyField("handover-link", "The link is copied.");
  });

  function show(team, request) {
    state.team = team;
    state.answers = request;
    var teamList = document.getElementById("match-team");
    var alternates = document.getElementById("match-alternates");
    teamList.textContent = "";
    alternates.textContent = "";
    team.members.forEach(function (m) {
      teamList.appendChild(card(m, true));
    });
    team.alternates.forEach(function (m) {
      alternates.appendChild(card(m, false));
    });
    document.getElementById("match-explanation").textContent = team.explanation.text;
    document.getElementById("alternates-heading").hidden = !team.alternates.length;
    document.getElementById("request-team").hidden = !team.members.length;
    updateLink();
    result.hidden = false;
    statusLine.textContent = team.members.length
      ? "A team of " + team.members.length + (team.members.length === 1 ? " mentor." : " mentors.")
      : "No team: see why below.";
    heading.focus();
  }

  /** The submit's final render is done (a team, the answers' problems, or a load that failed):
   * the benchmarks time a submit to it (benchmarks/bench_site.py). */
  function rendered() {
    app.dispatchEvent(new CustomEvent("team-rendered"));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!state.index) return;
    var request = answers();
    var mine = ++shown;
    if (!request.mentors.length) return find(request, mine);
    // typed mentor ids: checked against every id, and matched with the ids themselves
    withIds().then(function (ok) {
      if (mine !== shown) return;
      if (ok) return find(request, mine);
      statusLine.textContent = "The mentors' ids could not be loaded: check your connection and find the team again.";
      rendered();
    });
  });

  /** The matcher's team for a request, as a submit asks for it (the warm-up runs the same call). */
  function matchTeam(request, index) {
    return window.MentorMatcher.matchTeam(request, index, { labels: state.labels, alternates: 3 });
  }

  /** Check the answers, then find the team and show it once its names are in. */
  function find(request, mine) {
    var found = problems(request);
    ["needs", "affinities", "specialties", "languages", "meeting", "must", "mentors"].forEach(function (name) {
      setError(name, "");
    });
    if (found.length) {
      found.forEach(function (p) {
        setError(p[0], p[1]);
      });
      result.hidden = true;
      state.team = null;
      statusLine.textContent =
        found.length === 1 ? "One answer needs a change: see the message by it." : found.length + " answers need a change: see the messages by them.";
      var first = document.getElementById("error-" + found[0][0]);
      var details = first.closest("details");
      if (details) details.open = true;
      first.focus();
      first.scrollIntoView({ block: "center" });
      rendered();
      return;
    }
    var index = request.mentors.length ? state.named : state.index;
    var team = matchTeam(request, index);
    if (window.performance && performance.mark) performance.mark("team-matched"); // for the benchmarks
    var ranks = team.members.concat(team.alternates).map(function (m) {
      return index.row.get(m.id); // a profile's row is its rank, in either index
    });
    withNames(ranks).then(function (ok) {
      if (mine !== shown) return;
      if (!ok) {
        result.hidden = true;
        state.team = null;
        statusLine.textContent = "The team's names could not be loaded: check your connection and find the team again.";
        rendered();
        return;
      }
      team.members = team.members.map(function (m, i) {
        return present(m, ranks[i]);
      });
      team.alternates = team.alternates.map(function (m, i) {
        return present(m, ranks[team.members.length + i]);
      });
      show(team, request);
      rendered();
    });
  }

  /** A team member or alternate as the page shows it: with its id and name. */
  function present(member, rank) {
    var id = names.people.ids[rank];
    var mentor = Object.assign({}, member.mentor, { id: id, name: names.people.names[rank] });
    return Object.assign({}, member, { id: id, mentor: mentor });
  }

  /** Load every id (match/ids.json, once; none when every names file is in: they hold every
   * id) and the index that knows them; resolves true once they are in, false when the file
   * could not be loaded. */
  function withIds() {
    if (!names.ids) {
      var every = names.everyName ? Promise.resolve(names.people.ids) : fetchJson(app.getAttribute("data-ids"));
      names.ids = every.then(function (ids) {
        state.named = window.MentorMatcher.buildIndex(matchData.withIds(names.mentors, ids), names.config);
        state.ids = new Set(ids);
      });
      names.ids.catch(function () {
        names.ids = null; // asked again by the next submit
      });
    }
    return names.ids.then(
      function () {
        return true;
      },
      function () {
        return false;
      }
    );
  }

  /** Load the ids and names of these ranks (the files not yet loaded); resolves true once
   * every one is in, false when a file could not be loaded. */
  function withNames(ranks) {
    return loadNamesFiles(
      matchData.namesFiles(
        ranks.filter(function (rank) {
          return names.people.ids[rank] === null;
        }),
        names.perFile
      )
    );
  }

  /** Load these names files (each fetched once: a file asked again waits for the same fetch);
   * resolves true once every one is in, false when one could not be loaded (asked again next
   * time). `init`: fetch's options for the files not asked for yet. */
  function loadNamesFiles(files, init) {
    return Promise.all(
      files.map(function (k) {
        if (!names.loading[k]) {
          names.loading[k] = fetchJson(app.getAttribute("data-names").replace("{file}", String(k)), init).then(function (file) {
            matchData.setNames(names.people, k, names.perFile, file);
          });
          names.loading[k].catch(function () {
            delete names.loading[k]; // asked again by the next submit
          });
        }
        return names.loading[k];
      })
    ).then(
      function () {
        return true;
      },
      function () {
        return false;
      }
    );
  }

  publicBox.addEventListener("change", updateLink);

  // ------------------------------------------------------------------ shortlist (opt-in)

  function readShortlist() {
    try {
      return JSON.parse(window.localStorage.getItem(STORE_KEY) || "[]");
    } catch {
      return [];
    }
  }

  function drawShortlist() {
    var kept = readShortlist();
    var list = document.getElementById("shortlist");
    list.textContent = "";
    kept.forEach(function (team) {
      list.appendChild(
        el(
          "li",
          null,
          team
            .map(function (m) {
              return m.name + " (" + m.id + ")";
            })
            .join(", ")
        )
      );
    });
    document.getElementById("shortlist-status").textContent = kept.length
      ? kept.length + (kept.length === 1 ? " team is" : " teams are") + " kept on this device (mentor names only)."
      : "Nothing is kept on this device.";
  }

  document.getElementById("shortlist-keep").addEventListener("click", function () {
    if (!state.team || !state.team.members.length) return;
    var kept = readShortlist();
    kept.push(
      state.team.members.map(function (m) {
        return { id: m.id, name: m.mentor.name };
      })
    );
    try {
      window.localStorage.setItem(STORE_KEY, JSON.stringify(kept));
    } catch {
      document.getElementById("shortlist-status").textContent = "This browser does not allow keeping anything.";
      return;
    }
    drawShortlist();
  });
  document.getElementById("shortlist-clear").addEventListener("click", function () {
    try {
      window.localStorage.removeItem(STORE_KEY);
    } catch {
      /* nothing was kept */
    }
    drawShortlist();
  });

  // ------------------------------------------------------------------ warm-up

  function whenIdle(task) {
    if (window.requestIdleCallback) window.requestIdleCallback(task, { timeout: 2000 });
    else window.setTimeout(task, 200);
  }

  /** The browser compiles the matcher on its first runs, which made a mentee's first submit
   * three times slower than the next. Once the page is ready and idle, one match of the form's
   * first options runs and its team is discarded: nothing is shown, fetched or kept. */
  function warmUp() {
    function first(name) {
      var input = form.querySelector('input[name="' + name + '"]');
      return input ? [input.value] : [];
    }
    var request = { stage: null, profession: null, state: null, team_size: 3, mentors: [], must: [] };
    MULTI.forEach(function (name) {
      request[name] = first(name);
    });
    if (request.affinities.length) request.must = ["affinities"];
    try {
      matchTeam(request, state.index);
    } catch {
      /* only a warm-up: a real submit reports its own problems */
    }
  }

  /** Every names file, whatever the answers (see the top of this file), at low priority so a
   * submit's own files are not kept waiting; #match-app gets data-names-loaded="true" once every
   * name is in. Not with Save-Data on: then only the shown mentors' files, when shown. */
  function loadEveryName() {
    if (navigator.connection && navigator.connection.saveData) return;
    var every = [];
    for (var k = 0; k < names.files; k++) every.push(k);
    loadNamesFiles(every, { priority: "low" }).then(function (ok) {
      if (!ok) return;
      names.everyName = true;
      app.setAttribute("data-names-loaded", "true");
    });
  }

  // ------------------------------------------------------------------ data (loaded once)

  Promise.all([fetchJson(app.getAttribute("data-mentors")), fetchJson(app.getAttribute("data-matching"))])
    .then(function (data) {
      var decoded = matchData.decode(data[0]);
      state.labels = decoded.vocabulary;
      state.networks = decoded.networks;
      state.index = window.MentorMatcher.buildIndex(decoded.mentors, data[1]);
      names.mentors = decoded.mentors;
      names.config = data[1];
      names.people = matchData.people(decoded.mentors.length);
      names.perFile = decoded.perFile;
      names.files = decoded.files;
      submit.disabled = false;
      loading.textContent =
        window.DirectoryState.plural(decoded.mentors.length, "mentor", "mentors") + " loaded; the matching runs on this device.";
      app.setAttribute("data-ready", "true");
      if (window.performance && performance.mark) performance.mark("match-ready"); // for the tests and benchmarks
      drawShortlist();
      whenIdle(function () {
        warmUp();
        loadEveryName();
      });
      var given = handover.read(window.location.hash, known);
      if (given) applyAnswers(given);
    })
    .catch(function () {
      loading.textContent = "The directory could not be loaded. Reload the page to try again.";
    });
})();

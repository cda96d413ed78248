/*
 * The directory page's logic that does not touch the page, for the browser
 * (window.DirectoryState, used by directory.js) and for Node (tests/site/directory_state.test.js).
 *
 *   var model = DirectoryState.createModel(facetsJson);  // search/facets.json, version 2
 *   var state = DirectoryState.parseQuery(model, location.search);  // {q, accepting, selected}
 *   DirectoryState.toQuery(model, state)       // "?q=…&affinity=…&accepting=1", or ""
 *   DirectoryState.compute(model, state, hits)  // {results, counts, accepting, searchFailed}
 *   model.mentorsWith(param, value)            // the ids search.js asks for
 *   DirectoryState.distance(a, b, limit)       // Levenshtein, capped (match.js uses it too)
 *
 * A state is what the visitor asked for: the search text `q`, `accepting` (only mentors
 * accepting new mentees) and `selected[param]`, the values ticked in each filter group, in the
 * group's order. It lives in the URL query string; parameters that are not the search, the
 * accepting box or a group, and values a group does not have, are ignored.
 *
 * Filters: OR within a group, AND across groups. A value's count is how many mentors match the
 * search and the *other* groups' choices (and the accepting box) and have that value: what
 * ticking only it in its group would leave.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.DirectoryState = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /* The longest search text read from a URL. */
  var MAX_QUERY = 200;

  // ------------------------------------------------------------------ model

  /* facets.json (version 2) → {acceptingParam, pageSize, total, programs, groups, mentors,
     mentorsWith}. groups: [{param, label, values, labels, position: Map value -> index}];
     mentors: [{id, name, pronouns, accepting, program, values: [[positions] per group], order}],
     in the default order. */
  function createModel(data) {
    var groupIndex = new Map();
    var groups = data.groups.map(function (g, gi) {
      groupIndex.set(g.param, gi);
      var position = new Map();
      g.values.forEach(function (v, i) { position.set(v, i); });
      return { param: g.param, label: g.label, values: g.values, labels: g.labels, position: position };
    });
    var mentors = data.mentors.map(function (row, order) {
      return { id: row[0], name: row[1], pronouns: row[2], accepting: row[3] === 1, program: row[4],
        values: row[5], stale: row[6] || "", order: order };
    });
    return {
      acceptingParam: data.accepting,
      pageSize: data.pageSize || null,
      total: mentors.length,
      programs: data.programs,
      groups: groups,
      groupIndex: groupIndex,
      mentors: mentors,
      mentorsWith: mentorsWithIndex(mentors, groups, data.programs),
    };
  }

  /* The function search.js calls for the ids of the mentors having a filter value ("program"
     takes a program id). All lists are made in one pass over the mentors the first time one is
     asked for (a query can match a hundred vocabulary terms; one pass each would cost more than
     the search). */
  function mentorsWithIndex(mentors, groups, programs) {
    var lists = null;

    function addTo(key, id) {
      var ids = lists.get(key);
      if (ids === undefined) lists.set(key, (ids = []));
      ids.push(id);
    }

    return function mentorsWith(param, valueId) {
      if (lists === null) {
        lists = new Map();
        mentors.forEach(function (m) {
          var program = programs[m.program];
          if (program) addTo("program\u0000" + program[0], m.id);
          m.values.forEach(function (positions, gi) {
            var g = groups[gi];
            positions.forEach(function (p) { addTo(g.param + "\u0000" + g.values[p], m.id); });
          });
        });
      }
      return lists.get(param + "\u0000" + valueId) || [];
    };
  }

  /* A mentor's values in one group, as [{id, label}] (the card's order). */
  function labelsOf(model, mentor, param) {
    var gi = model.groupIndex.get(param);
    if (gi === undefined) return [];
    var g = model.groups[gi];
    return mentor.values[gi].map(function (p) { return { id: g.values[p], label: g.labels[p] }; });
  }

  // ------------------------------------------------------------------ state and URL

  function emptyState() {
    return { q: "", accepting: false, selected: {} };
  }

  function selectedOf(state, param) {
    return Object.prototype.hasOwnProperty.call(state.selected, param) ? state.selected[param] : [];
  }

  /* The state a query string ("?q=…", with or without "?") asks for. */
  function parseQuery(model, query) {
    var params = new URLSearchParams(query);
    var state = emptyState();
    state.q = (params.get("q") || "").slice(0, MAX_QUERY);
    state.accepting = params.get(model.acceptingParam) === "1";
    model.groups.forEach(function (g) {
      var wanted = params.getAll(g.param);
      state.selected[g.param] = g.values.filter(function (v) { return wanted.indexOf(v) !== -1; });
    });
    return state;
  }

  /* The query string of a state: "" when nothing is asked, else "?" and the parameters. */
  function toQuery(model, state) {
    var params = new URLSearchParams();
    if (state.q.trim()) params.set("q", state.q.trim());
    if (state.accepting) params.set(model.acceptingParam, "1");
    model.groups.forEach(function (g) {
      selectedOf(state, g.param).forEach(function (v) { params.append(g.param, v); });
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function isFiltered(model, state) {
    return state.q.trim() !== "" || state.accepting ||
      model.groups.some(function (g) { return selectedOf(state, g.param).length > 0; });
  }

  // ------------------------------------------------------------------ results and counts

  function matches(mentor, gi, selected) {
    if (selected.length === 0) return true;
    var mine = mentor.values[gi];
    for (var i = 0; i < mine.length; i++) {
      if (selected.indexOf(mine[i]) !== -1) return true;
    }
    return false;
  }

  /* The mentors matching a state, and the counts. hits (Map id -> score) are the results of
     the state's search, or null when there is none for it (no search text, or the search could
     not run: then only the filters apply and searchFailed says so). Results are in the default
     order, or by score (ties in the default order) when there is a search.
     counts[group][value position] are the groups' counts; accepting, how many mentors match
     the search and every group and accept new mentees. */
  function compute(model, state, hits) {
    var q = state.q.trim();
    var useHits = q !== "" && hits !== null && hits !== undefined;
    var groups = model.groups;
    var selectedPositions = groups.map(function (g) {
      return selectedOf(state, g.param).map(function (v) { return g.position.get(v); });
    });
    var counts = groups.map(function (g) { return new Array(g.values.length).fill(0); });
    var acceptingCount = 0;
    var found = [];
    model.mentors.forEach(function (m) {
      if (useHits && !hits.has(m.id)) return;
      var failing = [];
      for (var gi = 0; gi < groups.length && failing.length < 2; gi++) {
        if (!matches(m, gi, selectedPositions[gi])) failing.push(gi);
      }
      var failsAccepting = state.accepting && !m.accepting;
      if (failing.length === 0) {
        if (m.accepting) acceptingCount += 1;
        if (!failsAccepting) {
          found.push(m);
          m.values.forEach(function (positions, i) {
            positions.forEach(function (p) { counts[i][p] += 1; });
          });
        }
      } else if (failing.length === 1 && !failsAccepting) {
        m.values[failing[0]].forEach(function (p) { counts[failing[0]][p] += 1; });
      }
    });
    if (useHits) {
      found.sort(function (a, b) { return hits.get(b.id) - hits.get(a.id) || a.order - b.order; });
    }
    return { results: found, counts: counts, accepting: acceptingCount, searchFailed: q !== "" && !useHits };
  }

  // ------------------------------------------------------------------ text

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  /* The live status after a search or filter (out: what compute gave). */
  function countText(out, filtered, total) {
    var text;
    if (!filtered) text = plural(total, "mentor", "mentors");
    else if (out.results.length === 0) text = "No mentor matches. Remove a filter or change the search.";
    else text = out.results.length + " of " + plural(total, "mentor", "mentors") + " match";
    if (out.searchFailed) text = "Search could not be loaded, so only the filters apply. " + text;
    return text;
  }

  /* The live status after "Show more mentors". */
  function showingText(shown, filtered, matching, total) {
    var what = filtered ? plural(matching, "matching mentor", "matching mentors") : plural(total, "mentor", "mentors");
    return "Showing " + shown + " of " + what;
  }

  // ------------------------------------------------------------------ when nothing matches

  function foldText(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  /* Levenshtein distance of two words, or `limit` once it reaches it (given up early). Also
     used by match.js for the closest mentor id: the page loads this file for it. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) >= limit) return limit;
    var previous = [];
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var low = i;
      for (var k = 1; k <= b.length; k++) {
        row.push(Math.min(previous[k] + 1, row[k - 1] + 1, previous[k - 1] + (a[i - 1] === b[k - 1] ? 0 : 1)));
        low = Math.min(low, row[k]);
      }
      if (low >= limit) return limit;
      previous = row;
    }
    return Math.min(previous[b.length], limit);
  }

  function copyState(state) {
    var selected = {};
    Object.keys(state.selected).forEach(function (p) { selected[p] = state.selected[p].slice(); });
    return { q: state.q, accepting: state.accepting, selected: selected };
  }

  /* What to offer when a state matches no mentor (hits as for compute):
     - remove: each single filter (or the accepting box) whose removal leaves mentors, most first;
     - terms: filter values whose label has a word close to a word of the search (a typo away:
       one edit below 8 letters, two from 8), as a filter in place of the search, with their count.
     Each has {label, count, query}; at most `limit` (3) of each. */
  function suggestions(model, state, hits, limit) {
    limit = limit || 3;
    var remove = [];
    function tryRemoval(label, change) {
      var next = copyState(state);
      change(next);
      var n = compute(model, next, hits).results.length;
      if (n > 0) remove.push({ label: label, count: n, query: toQuery(model, next) });
    }
    if (state.accepting) tryRemoval("Accepting new mentees only", function (s) { s.accepting = false; });
    model.groups.forEach(function (g) {
      selectedOf(state, g.param).forEach(function (v) {
        tryRemoval(g.labels[g.position.get(v)], function (s) {
          s.selected[g.param] = s.selected[g.param].filter(function (x) { return x !== v; });
        });
      });
    });
    remove.sort(function (a, b) { return b.count - a.count; });
    var terms = [];
    var words = foldText(state.q).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length >= 4; });
    if (words.length) {
      model.groups.forEach(function (g) {
        g.values.forEach(function (v, vi) {
          if (selectedOf(state, g.param).indexOf(v) !== -1) return;
          var labelWords = foldText(g.labels[vi]).split(/[^\p{L}\p{N}]+/u);
          var best = 3;
          words.forEach(function (w) {
            var allowed = w.length >= 8 ? 3 : 2;
            labelWords.forEach(function (lw) {
              if (lw.length >= 4) best = Math.min(best, distance(w, lw, allowed));
            });
          });
          if (best >= 3 || (best === 2 && words.every(function (w) { return w.length < 8; }))) return;
          var next = copyState(state);
          next.q = "";
          next.selected[g.param] = g.values.filter(function (x) {
            return x === v || selectedOf(state, g.param).indexOf(x) !== -1;
          });
          var n = compute(model, next, null).results.length;
          if (n > 0) terms.push({ label: g.labels[vi], count: n, query: toQuery(model, next), distance: best });
        });
      });
      terms.sort(function (a, b) { return a.distance - b.distance || b.count - a.count; });
    }
    return { remove: remove.slice(0, limit), terms: terms.slice(0, limit) };
  }

  // ------------------------------------------------------------------ card avatars

  /* Words before a name that are not part of it (generator/site/avatars.py's _TITLES). */
  var TITLES = ["dr", "dr.", "prof", "prof.", "mx", "mx."];
  var AVATAR_COLOURS = 8;

  /* The first letters of the first and last word of a name, without the degrees after a comma
     or a title before it: generator.site.avatars.initials (a test runs both). */
  function initials(name, fallback) {
    var words = name.split(",")[0].split(/\s+/).filter(function (w) {
      return w !== "" && /^\p{L}/u.test(w) && TITLES.indexOf(w.toLowerCase()) === -1;
    });
    if (!words.length) return Array.from(fallback || "").slice(0, 1).join("").toUpperCase();
    var letters = Array.from(words[0])[0] + (words.length > 1 ? Array.from(words[words.length - 1])[0] : "");
    return letters.toUpperCase();
  }

  /* The avatar's colour for a mentor id: generator.site.avatars.avatar_colour. */
  function avatarColour(id) {
    var value = 0;
    for (var i = 0; i < id.length; i++) value = (value * 31 + id.charCodeAt(i)) % 4294967296;
    return value % AVATAR_COLOURS;
  }

  /* The folder of the search files: the one lunr.min.js is in ("/search/lunr.min.js?v=1" → "/search/"). */
  function searchBase(lunrUrl) {
    return lunrUrl.split("?")[0].replace(/[^/]*$/, "");
  }

  return {
    MAX_QUERY: MAX_QUERY,
    createModel: createModel,
    labelsOf: labelsOf,
    emptyState: emptyState,
    selectedOf: selectedOf,
    parseQuery: parseQuery,
    toQuery: toQuery,
    isFiltered: isFiltered,
    compute: compute,
    plural: plural,
    countText: countText,
    showingText: showingText,
    suggestions: suggestions,
    distance: distance,
    initials: initials,
    avatarColour: avatarColour,
    searchBase: searchBase,
  };
});

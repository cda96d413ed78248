/*
 * The directory page's logic that does not touch the page, for the browser
 * (window.DirectoryState, used by directory.js) and for Node (tests/site/directory_state.test.js).
 *
 * The data comes in pieces (generator/search/facets.py), every mentor numbered by its ref:
 *
 *   var model = DirectoryState.createModel(meta);      // search/facets.json, version 3
 *   DirectoryState.addGroup(model, param, postings);   // search/facets/<param>.json
 *   DirectoryState.addValue(model, param, value, refs); // search/facets/<param>/<i>.json, decoded
 *   DirectoryState.addCards(model, chunk, rows);       // search/cards/<chunk>.json
 *   var state = DirectoryState.parseQuery(model, location.search);  // {q, accepting, selected}
 *   DirectoryState.toQuery(model, state)       // "?q=…&affinity=…&accepting=1", or ""
 *   DirectoryState.groupsToLoad(model, state)  // the chosen groups whose postings are not loaded
 *   DirectoryState.compute(model, state, hits) // {results: [refs], counts, accepting, searchFailed}
 *   DirectoryState.chunksToLoad(model, refs)   // the card chunks those mentors need
 *   DirectoryState.card(model, ref)            // {ref, id, name, pronouns, accepting, program, values, stale}
 *   DirectoryState.posting(model, param, value) // the refs having a value, if loaded, else null
 *   DirectoryState.valueFile(model, param, value) // "facets/<param>/<i>.json" of a value or program
 *   DirectoryState.distance(a, b, limit)       // Levenshtein, capped (match.js uses it too)
 *
 * A state is what the visitor asked for: the search text `q`, `accepting` (only mentors
 * accepting new mentees) and `selected[param]`, the values ticked in each filter group, in the
 * group's order. It lives in the URL query string; parameters that are not the search, the
 * accepting box or a group, and values a group does not have, are ignored.
 *
 * Filters: OR within a group, AND across groups. A value's count is how many mentors match the
 * search and the *other* groups' choices (and the accepting box) and have that value: what
 * ticking only it in its group would leave. compute needs the postings of the chosen groups
 * (groupsToLoad); a group whose postings are not loaded yet has no counts (null) — its counts
 * fill in when they are (directory.js loads them after the results are shown).
 *
 * Order: with no search, the directory order — the accepting refs ascending, then the others
 * ascending (generator/search/order.py); with a search, by score, ties in that order.
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

  // ------------------------------------------------------------------ postings

  /* The refs of a posting (generator.search.facets.encode_refs): a JSON array of gaps, or the
     base64 of a bitset (bit r % 8 of byte r >> 3 set for ref r). Ascending. */
  function decodeRefs(posting, total) {
    var refs = [];
    if (typeof posting === "string") {
      var bytes = atob(posting);
      var end = Math.min(total, bytes.length * 8);
      for (var r = 0; r < end; r++) {
        if ((bytes.charCodeAt(r >> 3) >> (r & 7)) & 1) refs.push(r);
      }
      return refs;
    }
    var ref = 0;
    for (var i = 0; i < posting.length; i++) {
      ref += posting[i];
      refs.push(ref);
    }
    return refs;
  }

  // ------------------------------------------------------------------ model

  /* facets.json (version 3) → the model: {acceptingParam, pageSize, total, cardsPerFile,
     programs, groups: [{param, label, values, labels, position: Map value -> index,
     postings: null or [[refs] per value]}], accepting: Uint8Array by ref, order: the refs in
     the directory order, rank: Int32Array ref -> place in it, cards: Map chunk -> rows}. */
  function createModel(data) {
    var total = data.total;
    var groupIndex = new Map();
    var groups = data.groups.map(function (g, gi) {
      groupIndex.set(g.param, gi);
      var position = new Map();
      g.values.forEach(function (v, i) { position.set(v, i); });
      return { param: g.param, label: g.label, values: g.values, labels: g.labels, position: position,
        postings: null };
    });
    var cardGroup = new Map();
    (data.cardGroups || []).forEach(function (param, i) { cardGroup.set(param, i); });
    var programPosition = new Map();
    data.programs.forEach(function (p, i) { programPosition.set(p[0], i); });
    var accepting = new Uint8Array(total);
    decodeRefs(data.acceptingRefs, total).forEach(function (r) { accepting[r] = 1; });
    var order = new Int32Array(total);
    var rank = new Int32Array(total);
    var at = 0;
    for (var pass = 1; pass >= 0; pass--) {
      for (var r = 0; r < total; r++) {
        if (accepting[r] === pass) {
          rank[r] = at;
          order[at++] = r;
        }
      }
    }
    return {
      acceptingParam: data.accepting,
      pageSize: data.pageSize || null,
      total: total,
      cardsPerFile: data.cardsPerFile,
      programs: data.programs,
      programPosition: programPosition,
      groups: groups,
      groupIndex: groupIndex,
      cardGroup: cardGroup,
      accepting: accepting,
      order: order,
      rank: rank,
      cards: new Map(),
      values: new Map(), // "param\0value" -> refs, loaded one value at a time
    };
  }

  function groupOf(model, param) {
    var gi = model.groupIndex.get(param);
    return gi === undefined ? null : model.groups[gi];
  }

  /* The characters of a column (generator.search.facets.COLUMN_CHARS): value i is CHARS[i]. */
  var COLUMN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /* A group's postings (facets/<param>.json): one posting per value, in the group's order, or
     {column: text}, character r of text naming the value of ref r (COLUMN_CHARS, "." none). */
  function addGroup(model, param, data) {
    var g = groupOf(model, param);
    if (!g || g.postings) return;
    var postings;
    if (data && typeof data.column === "string") {
      postings = g.values.map(function () { return []; });
      for (var r = 0; r < data.column.length && r < model.total; r++) {
        var i = COLUMN_CHARS.indexOf(data.column.charAt(r));
        if (i >= postings.length) throw new Error("facets/" + param + ".json does not match facets.json");
        if (i >= 0) postings[i].push(r);
      }
    } else if (Array.isArray(data) && data.length === g.values.length) {
      postings = data.map(function (p) { return decodeRefs(p, model.total); });
    } else {
      throw new Error("facets/" + param + ".json does not match facets.json");
    }
    g.postings = postings;
  }

  function isLoaded(model, param) {
    var g = groupOf(model, param);
    return !!(g && g.postings);
  }

  /* facets/program.json (every program's posting, in the order of programs) into the model. */
  function addPrograms(model, data) {
    if (!Array.isArray(data) || data.length !== model.programs.length) {
      throw new Error("facets/program.json does not match facets.json");
    }
    data.forEach(function (p, i) { addValue(model, "program", model.programs[i][0], decodeRefs(p, model.total)); });
  }

  /* One value's refs, loaded alone (a search's catalog hit). */
  function addValue(model, param, value, refs) {
    model.values.set(param + "\u0000" + value, refs);
  }

  /* The refs of the mentors having a value ("program" takes a program id), or null when
     neither its group nor the value alone is loaded; [] for a value no mentor has. */
  function posting(model, param, value) {
    var alone = model.values.get(param + "\u0000" + value);
    if (alone) return alone;
    if (param === "program") return model.programPosition.has(value) ? null : [];
    var g = groupOf(model, param);
    if (!g || !g.position.has(value)) return [];
    return g.postings ? g.postings[g.position.get(value)] : null;
  }

  /* The file holding one value's posting (relative to the search folder), or null when no
     mentor has it. */
  function valueFile(model, param, value) {
    var i;
    if (param === "program") {
      i = model.programPosition.get(value);
    } else {
      var g = groupOf(model, param);
      i = g ? g.position.get(value) : undefined;
    }
    return i === undefined ? null : "facets/" + param + "/" + i + ".json";
  }

  /* A card chunk (cards/<chunk>.json): rows of [id, name, pronouns, program, values, stale]. */
  function addCards(model, chunk, rows) {
    model.cards.set(chunk, rows);
  }

  /* The card chunks (numbers, ascending) holding these refs and not loaded yet. */
  function chunksToLoad(model, refs) {
    var wanted = [];
    refs.forEach(function (r) {
      var chunk = Math.floor(r / model.cardsPerFile);
      if (!model.cards.has(chunk) && wanted.indexOf(chunk) === -1) wanted.push(chunk);
    });
    return wanted.sort(function (a, b) { return a - b; });
  }

  /* The card of a ref: {ref, id, name, pronouns, accepting, program (position, -1: none),
     values: [[positions] per card group], stale}, or null when its chunk is not loaded. */
  function card(model, ref) {
    var rows = model.cards.get(Math.floor(ref / model.cardsPerFile));
    var row = rows && rows[ref % model.cardsPerFile];
    if (!row) return null;
    return { ref: ref, id: row[0], name: row[1], pronouns: row[2], accepting: model.accepting[ref] === 1,
      program: row[3], values: row[4], stale: row[5] || "" };
  }

  /* A card's values in one group, as [{id, label}] (the card's order). */
  function labelsOf(model, mentor, param) {
    var ci = model.cardGroup.get(param);
    var g = groupOf(model, param);
    if (ci === undefined || !g) return [];
    return mentor.values[ci].map(function (p) { return { id: g.values[p], label: g.labels[p] }; });
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

  /* The chosen groups whose postings compute needs and are not loaded yet (params). */
  function groupsToLoad(model, state) {
    return model.groups.filter(function (g) {
      return !g.postings && selectedOf(state, g.param).length > 0;
    }).map(function (g) { return g.param; });
  }

  /* The mentors matching a state, and the counts. hits (Map ref -> score) are the results of
     the state's search, or null when there is none for it (no search text, or the search could
     not run: then only the filters apply and searchFailed says so). Results are refs in the
     directory order, or by score (ties in the directory order) when there is a search.
     counts[group] is [count per value], or null while the group's postings are not loaded;
     accepting, how many mentors match the search and every group and accept new mentees.
     Throws if a chosen group is not loaded (groupsToLoad). */
  function compute(model, state, hits) {
    var q = state.q.trim();
    var useHits = q !== "" && hits !== null && hits !== undefined;
    var total = model.total;
    var inHits = null;
    if (useHits) {
      inHits = new Uint8Array(total);
      hits.forEach(function (score, r) { if (r >= 0 && r < total) inHits[r] = 1; });
    }
    // For each ref, how many chosen groups it fails, and the last of them.
    var fails = new Uint8Array(total);
    var failing = new Int16Array(total);
    model.groups.forEach(function (g, gi) {
      var selected = selectedOf(state, g.param);
      if (!selected.length) return;
      if (!g.postings) throw new Error("the postings of " + g.param + " are not loaded");
      var member = new Uint8Array(total);
      selected.forEach(function (v) {
        g.postings[g.position.get(v)].forEach(function (r) { member[r] = 1; });
      });
      for (var r = 0; r < total; r++) {
        if (!member[r]) {
          fails[r] += 1;
          failing[r] = gi;
        }
      }
    });
    function base(r) { // the search and the accepting box
      return (!inHits || inHits[r] === 1) && (!state.accepting || model.accepting[r] === 1);
    }
    var found = [];
    var acceptingCount = 0;
    for (var i = 0; i < total; i++) {
      var r = model.order[i];
      if (fails[r] !== 0 || (inHits && !inHits[r])) continue;
      if (model.accepting[r]) acceptingCount += 1;
      if (base(r)) found.push(r);
    }
    var counts = model.groups.map(function (g, gi) {
      if (!g.postings) return null;
      return g.postings.map(function (refs) {
        var n = 0;
        for (var k = 0; k < refs.length; k++) {
          var r = refs[k];
          if (base(r) && (fails[r] === 0 || (fails[r] === 1 && failing[r] === gi))) n += 1;
        }
        return n;
      });
    });
    if (useHits) {
      found.sort(function (a, b) { return hits.get(b) - hits.get(a) || model.rank[a] - model.rank[b]; });
    }
    return { results: found, counts: counts, accepting: acceptingCount, searchFailed: q !== "" && !useHits };
  }

  // ------------------------------------------------------------------ text

  /* A count as the pages print it: 10,000 (the templates' `number` filter). */
  function number(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function plural(n, one, many) {
    return number(n) + " " + (n === 1 ? one : many);
  }

  /* The live status after a search or filter (out: what compute gave). */
  function countText(out, filtered, total) {
    var text;
    if (!filtered) text = plural(total, "mentor", "mentors");
    else if (out.results.length === 0) text = "No mentor matches. Remove a filter or change the search.";
    else text = number(out.results.length) + " of " + plural(total, "mentor", "mentors") + " match";
    if (out.searchFailed) text = "Search could not be loaded, so only the filters apply. " + text;
    return text;
  }

  /* The live status after "Show more mentors". */
  function showingText(shown, filtered, matching, total) {
    var what = filtered ? plural(matching, "matching mentor", "matching mentors") : plural(total, "mentor", "mentors");
    return "Showing " + number(shown) + " of " + what;
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

  /* The filter values whose label has a word close to a word of the search (a typo away: one
     edit below 8 letters, two from 8), not chosen already: [{param, value, label, distance}]. */
  function closeTerms(model, state) {
    var words = foldText(state.q).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length >= 4; });
    var close = [];
    if (!words.length) return close;
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
        close.push({ param: g.param, value: v, label: g.labels[vi], distance: best });
      });
    });
    return close;
  }

  /* What to offer when a state matches no mentor (hits as for compute):
     - remove: each single filter (or the accepting box) whose removal leaves mentors, most first;
     - terms: filter values close to a word of the search (closeTerms), as a filter in place
       of the search, with their count — those whose group is loaded (directory.js loads the
       groups of closeTerms first).
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
    closeTerms(model, state).forEach(function (t) {
      if (!isLoaded(model, t.param)) return;
      var next = copyState(state);
      next.q = "";
      var g = groupOf(model, t.param);
      next.selected[t.param] = g.values.filter(function (x) {
        return x === t.value || selectedOf(state, t.param).indexOf(x) !== -1;
      });
      var n = compute(model, next, null).results.length;
      if (n > 0) terms.push({ label: t.label, count: n, query: toQuery(model, next), distance: t.distance });
    });
    terms.sort(function (a, b) { return a.distance - b.distance || b.count - a.count; });
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
    decodeRefs: decodeRefs,
    createModel: createModel,
    addGroup: addGroup,
    addValue: addValue,
    addCards: addCards,
    isLoaded: isLoaded,
    posting: posting,
    valueFile: valueFile,
    chunksToLoad: chunksToLoad,
    card: card,
    labelsOf: labelsOf,
    emptyState: emptyState,
    selectedOf: selectedOf,
    parseQuery: parseQuery,
    toQuery: toQuery,
    isFiltered: isFiltered,
    groupsToLoad: groupsToLoad,
    compute: compute,
    plural: plural,
    addPrograms: addPrograms,
    number: number,
    countText: countText,
    showingText: showingText,
    closeTerms: closeTerms,
    suggestions: suggestions,
    distance: distance,
    initials: initials,
    avatarColour: avatarColour,
    searchBase: searchBase,
  };
});

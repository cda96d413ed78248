/*
 * MentorMeMed directory: client-side search and filters.
 *
 * The page lists every mentor as plain HTML (it works without JavaScript). This script
 * loads search/facets.json (small: filter values per mentor), shows the filter form,
 * and hides, shows and orders the cards. The lunr index (search/index.json) and lunr.js
 * are loaded only when a query is typed. State lives in the URL query string.
 *
 * The text functions mirror generator/search_index.py; a Node test checks that this
 * file's search() returns what the Python twin returns for the same index.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------ text (shared with Node)

  var EXACT_BOOST = 10;
  var PREFIX_BOOST = 3;
  var FUZZY_BOOST = 1;
  var PREFIX_MIN_LENGTH = 2;
  var FUZZY_MIN_LENGTH = 4;
  var FUZZY_TWO_EDITS_LENGTH = 8;

  function separatorPattern(chars) {
    return new RegExp("[" + chars.replace(/[\\\]\[^-]/g, "\\$&") + "]+", "u");
  }

  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function trim(token) {
    return token.replace(/^[^\p{L}\p{N}]+/u, "").replace(/[^\p{L}\p{N}]+$/u, "");
  }

  function tokenize(text, separator) {
    return fold(text).split(separator).map(trim).filter(function (t) { return t.length > 0; });
  }

  function queryWords(lunr, text, separator) {
    var words = [];
    tokenize(text, separator).forEach(function (token) {
      if (lunr.stopWordFilter(token) !== undefined && words.indexOf(token) === -1) words.push(token);
    });
    return words;
  }

  function length(word) {
    return Array.from(word).length;
  }

  function wordQuery(lunr, index, word) {
    return index.query(function (q) {
      q.term(word, { usePipeline: true, boost: EXACT_BOOST });
      if (length(word) >= PREFIX_MIN_LENGTH) {
        q.term(word, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: PREFIX_BOOST });
      }
      if (length(word) >= FUZZY_MIN_LENGTH) {
        var distance = length(word) >= FUZZY_TWO_EDITS_LENGTH ? 2 : 1;
        q.term(word, { usePipeline: true, editDistance: distance, boost: FUZZY_BOOST });
      }
    });
  }

  /* Mentors matching every word, best first: [[id, score], ...] (ties by id); ids[ref] is the id. */
  function search(lunr, index, text, separatorChars, ids) {
    var words = queryWords(lunr, text, separatorPattern(separatorChars));
    if (words.length === 0) return [];
    var scores = null;
    for (var i = 0; i < words.length; i++) {
      var hits = new Map();
      wordQuery(lunr, index, words[i]).forEach(function (r) { hits.set(ids[Number(r.ref)], r.score); });
      if (scores === null) {
        scores = hits;
      } else {
        var next = new Map();
        scores.forEach(function (score, ref) {
          if (hits.has(ref)) next.set(ref, score + hits.get(ref));
        });
        scores = next;
      }
      if (scores.size === 0) return [];
    }
    return Array.from(scores.entries()).sort(function (a, b) {
      return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    });
  }

  var api = { fold: fold, trim: trim, tokenize: tokenize, separatorPattern: separatorPattern,
    queryWords: queryWords, search: search };

  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }

  // ------------------------------------------------------------------ browser

  var app = document.getElementById("directory-app");
  if (!app) return;

  var form = document.getElementById("filters");
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("result-count");
  var clear = document.getElementById("clear");
  var cards = new Map();
  Array.prototype.forEach.call(list.children, function (li) { cards.set(li.id.slice(2), li); });

  var facets = null; // {groups: [...], mentors: [...], accepting: "accepting"}
  var mentors = []; // [{id, accepting, values: [[positions], ...]}] in default order
  var groups = []; // [{param, values, position: Map, boxes: Map value -> input, summary}]
  var acceptingBox = null;
  var state = emptyState();
  var searchIndex = null; // {index, separator}
  var searchLoading = null;
  var searchFailed = false;
  var hits = null; // Map ref -> score for state.q, or null
  var hitsFor = null;
  var typing = false;
  var timer = null;

  function emptyState() {
    return { q: "", accepting: false, selected: {} };
  }

  function selectedList(param) {
    return state.selected[param] || [];
  }

  function readState(query) {
    var params = new URLSearchParams(query);
    var s = emptyState();
    s.q = (params.get("q") || "").slice(0, 200);
    s.accepting = params.get(facets.accepting) === "1";
    groups.forEach(function (g) {
      var wanted = params.getAll(g.param);
      s.selected[g.param] = g.values.filter(function (v) { return wanted.indexOf(v) !== -1; });
    });
    return s;
  }

  function stateQuery(s) {
    var params = new URLSearchParams();
    if (s.q.trim()) params.set("q", s.q.trim());
    if (s.accepting) params.set(facets.accepting, "1");
    groups.forEach(function (g) {
      (s.selected[g.param] || []).forEach(function (v) { params.append(g.param, v); });
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function saveUrl(push) {
    var url = window.location.pathname + stateQuery(state);
    if (url === window.location.pathname + window.location.search) return;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }

  // ---- loading

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.lunr) { resolve(); return; }
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function loadSearch() {
    if (searchIndex) return Promise.resolve(searchIndex);
    if (!searchLoading) {
      searchLoading = Promise.all([
        loadScript(app.getAttribute("data-lunr")),
        fetch(app.getAttribute("data-index")).then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })
      ]).then(function (loaded) {
        var payload = loaded[1];
        // The same separator as lunr.py used for the index ("USMLE/COMLEX" is two tokens).
        window.lunr.tokenizer.separator = separatorPattern(payload.separator);
        searchIndex = { index: window.lunr.Index.load(payload.index), separator: payload.separator,
          ids: payload.ids };
        return searchIndex;
      }, function (error) {
        searchFailed = true;
        searchLoading = null;
        throw error;
      });
    }
    return searchLoading;
  }

  // ---- computing results and counts

  function matches(m, gi, selected) {
    if (selected.length === 0) return true;
    var mine = m.values[gi];
    for (var i = 0; i < mine.length; i++) {
      if (selected.indexOf(mine[i]) !== -1) return true;
    }
    return false;
  }

  function compute() {
    var q = state.q.trim();
    var useHits = q !== "" && searchIndex !== null;
    if (useHits && hitsFor !== q) {
      hits = new Map(search(window.lunr, searchIndex.index, q, searchIndex.separator, searchIndex.ids));
      hitsFor = q;
    }
    var selectedPositions = groups.map(function (g) {
      return selectedList(g.param).map(function (v) { return g.position.get(v); });
    });
    var counts = groups.map(function (g) { return new Array(g.values.length).fill(0); });
    var acceptingCount = 0;
    var results = [];
    mentors.forEach(function (m) {
      if (useHits && !hits.has(m.id)) return;
      var failing = [];
      for (var gi = 0; gi < groups.length && failing.length < 2; gi++) {
        if (!matches(m, gi, selectedPositions[gi])) failing.push(gi);
      }
      var failsAccepting = state.accepting && !m.accepting;
      if (failing.length === 0) {
        if (m.accepting) acceptingCount += 1;
        if (!failsAccepting) {
          results.push(m);
          m.values.forEach(function (positions, i) {
            positions.forEach(function (p) { counts[i][p] += 1; });
          });
        }
      } else if (failing.length === 1 && !failsAccepting) {
        m.values[failing[0]].forEach(function (p) { counts[failing[0]][p] += 1; });
      }
    });
    if (useHits) {
      results.sort(function (a, b) { return hits.get(b.id) - hits.get(a.id) || a.order - b.order; });
    }
    return { results: results, counts: counts, accepting: acceptingCount,
      searching: q !== "" && !useHits && !searchFailed, searchFailed: q !== "" && !useHits };
  }

  // ---- rendering

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function isFiltered() {
    return state.q.trim() !== "" || state.accepting ||
      groups.some(function (g) { return selectedList(g.param).length > 0; });
  }

  function render() {
    var out = compute();
    if (out.searching) {
      list.setAttribute("aria-busy", "true");
      status.textContent = "Searching…";
      return;
    }
    list.removeAttribute("aria-busy");
    var shown = new Set(out.results.map(function (m) { return m.id; }));
    var ordered = out.results.concat(mentors.filter(function (m) { return !shown.has(m.id); }));
    var fragment = document.createDocumentFragment();
    ordered.forEach(function (m) {
      var li = cards.get(m.id);
      if (!li) return;
      li.hidden = !shown.has(m.id);
      fragment.appendChild(li);
    });
    list.appendChild(fragment);

    groups.forEach(function (g, gi) {
      g.values.forEach(function (v, vi) {
        var box = g.boxes.get(v);
        if (box) box.count.textContent = "(" + out.counts[gi][vi] + ")";
      });
      var n = selectedList(g.param).length;
      g.summary.textContent = n ? "(" + n + " selected)" : "";
    });
    if (acceptingBox) acceptingBox.count.textContent = "(" + out.accepting + ")";

    var total = mentors.length;
    var text;
    if (!isFiltered()) text = plural(total, "mentor", "mentors");
    else if (out.results.length === 0) text = "No mentor matches. Remove a filter or change the search.";
    else text = out.results.length + " of " + plural(total, "mentor", "mentors") + " match";
    if (out.searchFailed) text = "Search could not be loaded, so only the filters apply. " + text;
    if (status.textContent !== text) status.textContent = text;
  }

  function syncControls() {
    if (document.activeElement !== input || input.value.trim() !== state.q.trim()) input.value = state.q;
    acceptingBox.input.checked = state.accepting;
    groups.forEach(function (g) {
      var selected = selectedList(g.param);
      g.boxes.forEach(function (box, v) { box.input.checked = selected.indexOf(v) !== -1; });
      if (selected.length) g.details.open = true;
    });
  }

  function update() {
    if (state.q.trim() && !searchIndex) {
      render();
      loadSearch().then(render, render);
      return;
    }
    render();
  }

  // ---- events

  function readControls() {
    state.accepting = acceptingBox.input.checked;
    groups.forEach(function (g) {
      state.selected[g.param] = g.values.filter(function (v) {
        var box = g.boxes.get(v);
        return box && box.input.checked;
      });
    });
  }

  function onInput() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      state.q = input.value;
      saveUrl(!typing);
      typing = true;
      update();
    }, 200);
  }

  function onChange(event) {
    if (event.target === input) return;
    typing = false;
    readControls();
    saveUrl(true);
    update();
  }

  function onSubmit(event) {
    event.preventDefault();
    window.clearTimeout(timer);
    state.q = input.value;
    saveUrl(!typing);
    typing = false;
    update();
  }

  function onClear() {
    window.clearTimeout(timer);
    state = emptyState();
    typing = false;
    syncControls();
    saveUrl(true);
    update();
    input.focus();
  }

  function onPopState() {
    window.clearTimeout(timer);
    typing = false;
    state = readState(window.location.search);
    syncControls();
    update();
  }

  function boxFor(inputEl) {
    var label = form.querySelector('label[for="' + inputEl.id + '"]');
    return { input: inputEl, count: label ? label.querySelector("[data-count]") : document.createElement("span") };
  }

  function start(data) {
    facets = data;
    mentors = data.mentors.map(function (row, order) {
      return { id: row[0], accepting: row[1] === 1, values: row[2], order: order };
    });
    groups = data.groups.map(function (g) {
      var details = form.querySelector('details[data-group="' + g.param + '"]');
      var boxes = new Map();
      form.querySelectorAll('input[name="' + g.param + '"]').forEach(function (el) {
        boxes.set(el.value, boxFor(el));
      });
      var position = new Map();
      g.values.forEach(function (v, i) { position.set(v, i); });
      return { param: g.param, values: g.values, position: position, boxes: boxes, details: details,
        summary: details ? details.querySelector("[data-selected]") : document.createElement("span") };
    });
    acceptingBox = boxFor(document.getElementById("f-" + data.accepting));

    state = readState(window.location.search);
    form.hidden = false;
    app.classList.add("is-enhanced");
    syncControls();

    form.addEventListener("submit", onSubmit);
    form.addEventListener("change", onChange);
    input.addEventListener("input", onInput);
    input.addEventListener("focus", function () { loadSearch().catch(function () {}); }, { once: true });
    input.addEventListener("blur", function () { typing = false; });
    clear.addEventListener("click", onClear);
    window.addEventListener("popstate", onPopState);
    update();
  }

  fetch(app.getAttribute("data-facets"))
    .then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    })
    .then(start)
    .catch(function () {
      // Without the facet data the plain list of every mentor stays as it is.
      status.textContent = status.textContent + " (search and filters could not be loaded)";
    });
})();

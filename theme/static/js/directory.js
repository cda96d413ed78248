/*
 * MentorMeMed directory, first page: search, filters and "Show more mentors".
 *
 * Without JavaScript the directory is server-rendered pages of 24 cards (/directory/,
 * /directory/page/2/, …) with a pagination nav. This script enhances page 1 only:
 *
 * - search/facets.json (version 2: every mentor's name, pronouns, program and filter values)
 *   is fetched when it is first needed (the URL has a search or filter, the form is used, or
 *   "Show more mentors" is pressed), never merely because the page was opened;
 * - filters and their counts are computed from it (OR within a group, AND across groups; a
 *   count is how many mentors match the search and the *other* groups and have that value);
 * - results are rendered here, 24 at a time, with cards built by DOM calls (never innerHTML)
 *   identical to the server's `mentor_card` macro (a browser test compares them);
 * - search: lunr.min.js and theme/js/search.js (window.MentorSearch.createSearch, see that
 *   file) are loaded when the search box gets focus or the URL has q=; while a search is
 *   pending the status says "Searching…"; if it cannot load, the filters still work.
 *
 * With no search or filter in the URL the server's cards are kept as they are (no layout
 * shift). State lives in the URL query string: bookmark, reload and the back button work.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------ browser

  var app = document.getElementById("directory-app");
  if (!app) return;

  var form = document.getElementById("filters");
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("result-count");
  var clear = document.getElementById("clear");
  var pagesNav = document.getElementById("pages");
  var root = app.getAttribute("data-root") || "";
  var pageSize = Number(app.getAttribute("data-page-size")) || 24;
  var total = Number(app.getAttribute("data-total")) || list.children.length;
  var acceptingParam = document.querySelector("#filters .accepting input").name;

  var facets = null;
  var facetsLoading = null;
  var mentors = []; // [{id, name, pronouns, accepting, program, values: [[positions], ...], order}]
  var groups = []; // [{param, values, labels, position: Map, boxes: Map, details, summary}]
  var groupIndex = {}; // param -> position in groups
  var programs = []; // [[id, name], ...]
  var acceptingBox = null;
  var state = emptyState();
  var searcher = null; // {ready(), search(text, mentorsWith)}
  var searchLoading = null;
  var searchFailed = false;
  var hits = null; // Map id -> score for hitsFor
  var hitsFor = null;
  var results = null; // mentors matching the state, in display order
  var shown = 0; // how many of them are in the list
  var serverCards = true; // the list still holds the server's page-1 cards
  var typing = false;
  var timer = null;
  var withCache = new Map();

  // ---- the "Show more mentors" button, in place of the no-JavaScript pagination

  var more = document.createElement("p");
  more.className = "more";
  var moreButton = document.createElement("button");
  moreButton.type = "button";
  moreButton.className = "button-secondary";
  moreButton.id = "show-more";
  moreButton.textContent = "Show more mentors";
  var moreNote = document.createElement("span");
  moreNote.className = "more-note";
  more.appendChild(moreButton);
  more.appendChild(moreNote);
  more.hidden = !pagesNav;
  if (pagesNav) {
    moreNote.textContent = "Showing " + list.children.length + " of " + total;
    pagesNav.parentNode.replaceChild(more, pagesNav);
  } else {
    list.parentNode.appendChild(more);
  }

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
    s.accepting = params.get(acceptingParam) === "1";
    groups.forEach(function (g) {
      var wanted = params.getAll(g.param);
      s.selected[g.param] = g.values.filter(function (v) { return wanted.indexOf(v) !== -1; });
    });
    return s;
  }

  function stateQuery(s) {
    var params = new URLSearchParams();
    if (s.q.trim()) params.set("q", s.q.trim());
    if (s.accepting) params.set(acceptingParam, "1");
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

  function isFiltered() {
    return state.q.trim() !== "" || state.accepting ||
      groups.some(function (g) { return selectedList(g.param).length > 0; });
  }

  // ---- loading

  var scripts = {};

  function loadScript(src) {
    if (!scripts[src]) {
      scripts[src] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(); };
        script.onerror = function () {
          delete scripts[src];
          script.remove();
          reject(new Error("could not load " + src));
        };
        document.head.appendChild(script);
      });
    }
    return scripts[src];
  }

  function fetchJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  /* The folder of the search files: the one lunr.min.js is in (data-lunr). */
  function searchBase() {
    return app.getAttribute("data-lunr").split("?")[0].replace(/[^/]*$/, "");
  }

  function loadSearch() {
    if (searcher) return Promise.resolve(searcher);
    if (!searchLoading) {
      searchLoading = loadScript(app.getAttribute("data-lunr"))
        .then(function () { return loadScript(app.getAttribute("data-search-js")); })
        .then(function () {
          var created = window.MentorSearch.createSearch({ lunr: window.lunr, base: searchBase(),
            version: app.getAttribute("data-version") });
          return created.ready().then(function () { return created; });
        })
        .then(function (created) {
          searcher = created;
          searchFailed = false;
          return created;
        }, function (error) {
          searchFailed = true;
          searchLoading = null;
          throw error;
        });
    }
    return searchLoading;
  }

  /* The ids of the mentors with one filter value ("program" takes a program id). All lists are
     made in one pass over the mentors the first time one is asked for (a query can match a
     hundred vocabulary terms; one pass each would cost more than the search). */
  function mentorsWith(param, valueId) {
    if (withCache.size === 0) {
      mentors.forEach(function (m) {
        var program = programs[m.program];
        if (program) addTo("program\u0000" + program[0], m.id);
        m.values.forEach(function (positions, gi) {
          var g = groups[gi];
          positions.forEach(function (p) { addTo(g.param + "\u0000" + g.values[p], m.id); });
        });
      });
    }
    return withCache.get(param + "\u0000" + valueId) || [];
  }

  function addTo(key, id) {
    var ids = withCache.get(key);
    if (ids === undefined) withCache.set(key, (ids = []));
    ids.push(id);
  }

  // ---- results and counts

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
    var useHits = q !== "" && hits !== null && hitsFor === q;
    var selectedPositions = groups.map(function (g) {
      return selectedList(g.param).map(function (v) { return g.position.get(v); });
    });
    var counts = groups.map(function (g) { return new Array(g.values.length).fill(0); });
    var acceptingCount = 0;
    var found = [];
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

  // ---- cards (the same markup as the mentor_card macro in theme/templates/_macros.html)

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var i = 0; i < attrs.length; i += 2) node.setAttribute(attrs[i], attrs[i + 1]);
    }
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function labelsOf(m, param) {
    var gi = groupIndex[param];
    if (gi === undefined) return [];
    var g = groups[gi];
    return m.values[gi].map(function (p) { return { id: g.values[p], label: g.labels[p] }; });
  }

  function fact(dl, term, dd) {
    var div = el("div");
    div.appendChild(el("dt", null, term));
    div.appendChild(dd);
    dl.appendChild(div);
  }

  function card(m) {
    var li = el("li", ["class", "card", "id", "m-" + m.id]);
    var article = el("article", ["aria-labelledby", "m-" + m.id + "-name"]);
    var heading = el("h3", ["class", "card-name", "id", "m-" + m.id + "-name"]);
    heading.appendChild(el("a", ["href", root + "/mentors/" + m.id + "/"], m.name));
    if (m.pronouns) {
      heading.appendChild(document.createTextNode(" "));
      heading.appendChild(el("span", ["class", "pronouns"], "(" + m.pronouns + ")"));
    }
    article.appendChild(heading);
    article.appendChild(m.accepting
      ? el("p", ["class", "status status-open"], "Accepting new mentees")
      : el("p", ["class", "status status-full"], "Not accepting new mentees now"));
    var stage = labelsOf(m, "stage");
    var meta = el("p", ["class", "card-meta"], stage.length ? stage[0].label : "");
    var program = programs[m.program];
    if (program) {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(el("a", ["href", root + "/programs/" + program[0] + "/"], program[1]));
    }
    article.appendChild(meta);
    var dl = el("dl", ["class", "facts"]);
    var specialties = labelsOf(m, "specialty");
    if (specialties.length) {
      var dd = el("dd");
      specialties.forEach(function (t, i) {
        if (i) dd.appendChild(document.createTextNode(", "));
        dd.appendChild(el("a", ["href", root + "/specialties/" + t.id + "/"], t.label));
      });
      fact(dl, "Specialties", dd);
    }
    function joined(param) {
      return labelsOf(m, param).map(function (t) { return t.label; }).join(", ");
    }
    var affinities = joined("affinity");
    if (affinities) fact(dl, "Affinities", el("dd", null, affinities));
    fact(dl, "Can help with", el("dd", null, joined("area")));
    fact(dl, "Languages", el("dd", null, joined("language")));
    var place = labelsOf(m, "state");
    fact(dl, "Meets", el("dd", null, joined("meeting") + (place.length ? " · " + place[0].label : "")));
    article.appendChild(dl);
    li.appendChild(article);
    return li;
  }

  // ---- rendering

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function setStatus(text) {
    if (status.textContent !== text) status.textContent = text;
  }

  function countText(out) {
    var text;
    if (!isFiltered()) text = plural(total, "mentor", "mentors");
    else if (out.results.length === 0) text = "No mentor matches. Remove a filter or change the search.";
    else text = out.results.length + " of " + plural(total, "mentor", "mentors") + " match";
    if (out.searchFailed) text = "Search could not be loaded, so only the filters apply. " + text;
    return text;
  }

  function updateMore() {
    var left = results ? results.length - shown : 0;
    more.hidden = left <= 0;
    var note = results ? "Showing " + shown + " of " + results.length : "";
    if (moreNote.textContent !== note) moreNote.textContent = note;
  }

  function showCards(from, to) {
    var fragment = document.createDocumentFragment();
    var first = null;
    results.slice(from, to).forEach(function (m) {
      var li = card(m);
      if (!first) first = li;
      fragment.appendChild(li);
    });
    list.appendChild(fragment);
    shown = Math.min(to, results.length);
    return first;
  }

  function render() {
    var pending = state.q.trim() !== "" && !searchFailed && !(hits !== null && hitsFor === state.q.trim());
    if (pending) {
      list.setAttribute("aria-busy", "true");
      setStatus("Searching…");
      return;
    }
    list.removeAttribute("aria-busy");
    var out = compute();
    results = out.results;
    if (serverCards && !isFiltered()) {
      shown = list.children.length; // the server's first page is already there
    } else {
      serverCards = false;
      list.replaceChildren();
      showCards(0, pageSize);
    }
    groups.forEach(function (g, gi) {
      g.values.forEach(function (v, vi) {
        var box = g.boxes.get(v);
        var text = "(" + out.counts[gi][vi] + ")";
        if (box && box.count.textContent !== text) box.count.textContent = text;
      });
      var n = selectedList(g.param).length;
      var summary = n ? "(" + n + " selected)" : "";
      if (g.summary.textContent !== summary) g.summary.textContent = summary;
    });
    var acceptingText = "(" + out.accepting + ")";
    if (acceptingBox.count.textContent !== acceptingText) acceptingBox.count.textContent = acceptingText;
    setStatus(countText(out));
    updateMore();
    // For tests and the benchmark: the result list is final for the current search and filters.
    app.dispatchEvent(new CustomEvent("results-rendered"));
  }

  function syncControls() {
    if (document.activeElement !== input || input.value.trim() !== state.q.trim()) input.value = state.q;
    acceptingBox.input.checked = state.accepting;
    groups.forEach(function (g) {
      var selected = selectedList(g.param);
      g.boxes.forEach(function (box, v) { box.input.checked = selected.indexOf(v) !== -1; });
      if (selected.length && g.details) g.details.open = true;
    });
  }

  function update() {
    var q = state.q.trim();
    if (q && hitsFor !== q && !searchFailed) {
      render(); // "Searching…" and aria-busy until the results are in
      loadSearch()
        .then(function (s) { return s.search(q, mentorsWith); })
        .then(function (found) {
          if (state.q.trim() !== q) return;
          hits = new Map(found);
          hitsFor = q;
          render();
        }, function () {
          if (state.q.trim() === q) render();
        });
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
      ready(function () {
        state.q = input.value;
        saveUrl(!typing);
        typing = true;
        update();
      });
    }, 200);
  }

  function onChange(event) {
    if (event.target === input) return;
    ready(function () {
      typing = false;
      readControls();
      saveUrl(true);
      update();
    });
  }

  function onSubmit(event) {
    event.preventDefault();
    window.clearTimeout(timer);
    ready(function () {
      state.q = input.value;
      saveUrl(!typing);
      typing = false;
      update();
    });
  }

  function onClear() {
    window.clearTimeout(timer);
    input.focus();
    ready(function () {
      state = emptyState();
      typing = false;
      syncControls();
      saveUrl(true);
      update();
    });
  }

  function onPopState() {
    window.clearTimeout(timer);
    ready(function () {
      typing = false;
      state = readState(window.location.search);
      syncControls();
      update();
    });
  }

  function onMore() {
    ready(function () {
      if (!results) render();
      var first = showCards(shown, shown + pageSize);
      updateMore();
      var what = isFiltered() ? plural(results.length, "matching mentor", "matching mentors")
        : plural(total, "mentor", "mentors");
      setStatus("Showing " + shown + " of " + what);
      if (first) first.querySelector("a").focus();
    });
  }

  function boxFor(inputEl) {
    var label = form.querySelector('label[for="' + inputEl.id + '"]');
    return { input: inputEl, count: label ? label.querySelector("[data-count]") : document.createElement("span") };
  }

  function start(data) {
    facets = data;
    programs = data.programs;
    total = data.mentors.length;
    mentors = data.mentors.map(function (row, order) {
      return { id: row[0], name: row[1], pronouns: row[2], accepting: row[3] === 1, program: row[4],
        values: row[5], order: order };
    });
    groups = data.groups.map(function (g, gi) {
      groupIndex[g.param] = gi;
      var details = form.querySelector('details[data-group="' + g.param + '"]');
      var boxes = new Map();
      form.querySelectorAll('input[name="' + g.param + '"]').forEach(function (box) {
        boxes.set(box.value, boxFor(box));
      });
      var position = new Map();
      g.values.forEach(function (v, i) { position.set(v, i); });
      return { param: g.param, values: g.values, labels: g.labels, position: position, boxes: boxes,
        details: details,
        summary: details ? details.querySelector("[data-selected]") : document.createElement("span") };
    });
    acceptingBox = boxFor(document.getElementById("f-" + data.accepting));
    acceptingParam = data.accepting;
    if (data.pageSize) pageSize = data.pageSize;
  }

  var waiting = [];

  function loadFacets() {
    if (!facetsLoading) {
      facetsLoading = fetchJson(app.getAttribute("data-facets")).then(function (data) {
        start(data);
        var queue = waiting;
        waiting = [];
        queue.forEach(function (fn) { fn(); });
      }, function (error) {
        facetsLoading = null;
        setStatus(plural(total, "mentor", "mentors") + " (search and filters could not be loaded: " +
          "use the page links)");
        if (pagesNav && more.parentNode) more.parentNode.replaceChild(pagesNav, more);
        throw error;
      });
    }
    return facetsLoading;
  }

  /* Runs fn once facets.json is loaded (loading it now if needed). */
  function ready(fn) {
    if (facets) { fn(); return; }
    waiting.push(fn);
    loadFacets().catch(function () {});
  }

  form.addEventListener("submit", onSubmit);
  form.addEventListener("change", onChange);
  form.addEventListener("focusin", function () { loadFacets().catch(function () {}); });
  input.addEventListener("input", onInput);
  input.addEventListener("focus", function () {
    loadSearch().catch(function () {});
  }, { once: true });
  input.addEventListener("blur", function () { typing = false; });
  clear.addEventListener("click", onClear);
  moreButton.addEventListener("click", onMore);
  window.addEventListener("popstate", onPopState);

  if (window.location.search) {
    if (new URLSearchParams(window.location.search).get("q")) loadSearch().catch(function () {});
    ready(function () {
      state = readState(window.location.search);
      syncControls();
      if (isFiltered()) update();
    });
  }
})();

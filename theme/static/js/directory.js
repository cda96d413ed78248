/*
 * MentorMeMed directory, first page: search, filters and "Show more mentors".
 *
 * Without JavaScript the directory is server-rendered pages of 24 cards (/directory/,
 * /directory/page/2/, …) with a pagination nav. This script enhances page 1 only:
 *
 * - search/facets.json (version 2: every mentor's name, pronouns, program and filter values)
 *   is fetched when it is first needed (the URL has a search or filter, the form is used, or
 *   "Show more mentors" is pressed), never merely because the page was opened;
 * - filters, counts and the URL state are computed by theme/js/directory-state.js
 *   (window.DirectoryState, which has no DOM and is tested in Node);
 * - results are rendered here, 24 at a time, with cards built by DOM calls (never innerHTML)
 *   identical to the server's `mentor_card` macro (a browser test compares them);
 * - search: lunr.min.js and theme/js/search.js (window.MentorSearch.createSearch, see that
 *   file) are loaded when the search box gets focus or the URL has q=, with search/version.json
 *   (the index's version: no page carries it, see docs/performance.md); while a search is
 *   pending the status says "Searching…"; if it cannot load, the filters still work.
 *
 * - on a phone the filters are collapsed behind #filters-toggle (aria-expanded), whose bar
 *   repeats the count (aria-hidden: the live status is #result-count) and stays in view.
 *
 * With no search or filter in the URL the server's cards are kept as they are (no layout
 * shift). State lives in the URL query string: bookmark, reload and the back button work.
 * Needs theme/js/dom.js (window.MentorDom) and directory-state.js, loaded before it.
 */
(function () {
  "use strict";

  var app = document.getElementById("directory-app");
  if (!app || !window.MentorDom || !window.DirectoryState) return;
  var DS = window.DirectoryState;
  var el = window.MentorDom.el;
  var fetchJson = window.MentorDom.fetchJson;

  // The page's elements (never replaced).
  var form = document.getElementById("filters");
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("result-count");
  var clear = document.getElementById("clear");
  var pagesNav = document.getElementById("pages");
  // On a phone: the filters' disclosure, and the count beside it (kept in view: site.css)
  var toggle = document.getElementById("filters-toggle");
  var barCount = document.getElementById("filter-bar-count");
  var chosen = document.getElementById("filters-chosen");
  var root = app.getAttribute("data-root") || "";

  /* Everything that changes while the page is open. */
  var page = {
    pageSize: Number(app.getAttribute("data-page-size")) || 24,
    total: Number(app.getAttribute("data-total")) || list.children.length,
    model: null, // DirectoryState.createModel(facets.json), once it is loaded
    controls: null, // the form's boxes for the model: {accepting: box, groups: [{boxes, details, summary}]}
    facetsLoading: null, // Promise of facets.json
    waiting: [], // what runs once facets.json is loaded
    state: DS.emptyState(), // what is asked for: {q, accepting, selected}, as in the URL
    search: { engine: null, loading: null, failed: false }, // engine: {ready(), search(text, mentorsWith)}
    hits: null, // {q, scores: Map id -> score}: the last search that finished
    results: null, // the mentors matching the state, in display order
    shown: 0, // how many of them are in the list
    serverCards: true, // the list still holds the server's page-1 cards
    typing: false, // the URL entry of the search being typed is pushed already
    timer: null, // the pending search-as-you-type
  };

  // ---- the "Show more mentors" button, in place of the no-JavaScript pagination

  var more = el("p", { class: "more" });
  var moreButton = el("button", { type: "button", class: "button-secondary", id: "show-more" }, "Show more mentors");
  var moreNote = el("span", { class: "more-note" });
  more.appendChild(moreButton);
  more.appendChild(moreNote);
  more.hidden = !pagesNav;
  if (pagesNav) {
    moreNote.textContent = "Showing " + list.children.length + " of " + page.total;
    pagesNav.parentNode.replaceChild(more, pagesNav);
  } else {
    list.parentNode.appendChild(more);
  }

  function isFiltered() {
    return DS.isFiltered(page.model, page.state);
  }

  function saveUrl(push) {
    var url = window.location.pathname + DS.toQuery(page.model, page.state);
    if (url === window.location.pathname + window.location.search) return;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }

  /* The scores of the state's search, or null while there are none for it. */
  function currentHits() {
    var q = page.state.q.trim();
    return page.hits !== null && page.hits.q === q ? page.hits.scores : null;
  }

  // ---- loading

  var scripts = {}; // src -> Promise

  function loadScript(src) {
    if (!scripts[src]) {
      scripts[src] = new Promise(function (resolve, reject) {
        var script = el("script", { src: src });
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

  function loadSearch() {
    var search = page.search;
    if (search.engine) return Promise.resolve(search.engine);
    if (!search.loading) {
      // The index's version is in no page (it changes with every bio edit): search/version.json
      // holds it, asked of the server each time (no-cache: a 304 when unchanged), while the
      // scripts load, so the index files are never a stale copy from the browser's cache.
      var version = fetchJson(app.getAttribute("data-search-version"), { cache: "no-cache" });
      version.catch(function () {}); // reported through search.loading, if the scripts load
      search.loading = loadScript(app.getAttribute("data-lunr"))
        .then(function () { return loadScript(app.getAttribute("data-search-js")); })
        .then(function () { return version; })
        .then(function (versions) {
          var base = DS.searchBase(app.getAttribute("data-lunr"));
          var created = window.MentorSearch.createSearch({ lunr: window.lunr,
            base: base, version: versions.index, fetchJson: fetchJson });
          // ---- TEMPORARY GLUE (issue 19, until the ref-based directory.js lands): search.js
          // answers refs; the model speaks mentor ids. search/ids.json maps one to the other.
          var ids = fetchJson(base + "ids.json?v=" + encodeURIComponent(versions.index));
          return Promise.all([created.ready(), ids]).then(function (loaded) {
            var idOf = loaded[1];
            var refOf = new Map(idOf.map(function (id, ref) { return [id, ref]; }));
            return { search: function (text, mentorsWith) {
              function refsWith(param, value) {
                return mentorsWith(param, value).map(function (id) { return refOf.get(id); })
                  .sort(function (a, b) { return a - b; });
              }
              return created.search(text, refsWith).then(function (found) {
                return found.map(function (hit) { return [idOf[hit[0]], hit[1]]; });
              });
            } };
          });
          // ---- END OF TEMPORARY GLUE
        })
        .then(function (created) {
          search.engine = created;
          search.failed = false;
          return created;
        }, function (error) {
          search.failed = true;
          search.loading = null;
          throw error;
        });
    }
    return search.loading;
  }

  // ---- cards (the same markup as the mentor_card macro in theme/templates/_macros.html)

  function fact(dl, term, dd) {
    var div = el("div");
    div.appendChild(el("dt", null, term));
    div.appendChild(dd);
    dl.appendChild(div);
  }

  /* The areas of need chosen in the filters, for the mentor's page: its "Request this mentor"
   * pre-fills them (theme/js/mentor.js), and nothing else of the search. */
  function needsQuery() {
    var areas = DS.selectedOf(page.state, "area");
    return areas.length
      ? "?" + areas.map(function (a) { return "area=" + encodeURIComponent(a); }).join("&")
      : "";
  }

  function card(m) {
    var model = page.model;
    function labels(param) {
      return DS.labelsOf(model, m, param);
    }
    function joined(param) {
      return labels(param).map(function (t) { return t.label; }).join(", ");
    }
    var li = el("li", { class: "card", id: "m-" + m.id });
    var article = el("article", { "aria-labelledby": "m-" + m.id + "-name" });
    var profile = root + "/mentors/" + m.id + "/" + needsQuery();
    var head = el("div", { class: "card-head" });
    head.appendChild(el("span", { class: "avatar avatar-" + DS.avatarColour(m.id), "aria-hidden": "true" },
      DS.initials(m.name, m.id)));
    var title = el("div", { class: "card-title" });
    var heading = el("h3", { class: "card-name", id: "m-" + m.id + "-name" });
    heading.appendChild(el("a", { href: profile }, m.name));
    if (m.pronouns) {
      heading.appendChild(document.createTextNode(" "));
      heading.appendChild(el("span", { class: "pronouns" }, "(" + m.pronouns + ")"));
    }
    title.appendChild(heading);
    var stage = labels("stage");
    var meta = el("p", { class: "card-meta" }, stage.length ? stage[0].label : "");
    var program = model.programs[m.program];
    if (program) {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(el("a", { href: root + "/programs/" + program[0] + "/" }, program[1]));
    }
    title.appendChild(meta);
    if (program && program.length > 3) {
      // a peer network's mentor: [id, name, network, date of its snapshot]
      var from = el("p", { class: "card-meta provenance" }, "From " + program[2] + ", as of ");
      from.appendChild(el("time", { datetime: program[3] }, program[3]));
      title.appendChild(from);
    }
    head.appendChild(title);
    article.appendChild(head);
    article.appendChild(m.accepting
      ? el("p", { class: "status status-open" }, "Accepting new mentees")
      : el("p", { class: "status status-full" }, "Not accepting new mentees now"));
    if (m.stale) article.appendChild(el("p", { class: "stale-note" }, "Not confirmed since " + m.stale));
    var dl = el("dl", { class: "facts" });
    var specialties = labels("specialty");
    if (specialties.length) {
      var dd = el("dd");
      specialties.forEach(function (t, i) {
        if (i) dd.appendChild(document.createTextNode(", "));
        dd.appendChild(el("a", { href: root + "/specialties/" + t.id + "/" }, t.label));
      });
      fact(dl, "Specialties", dd);
    }
    var affinities = joined("affinity");
    if (affinities) fact(dl, "Affinities", el("dd", null, affinities));
    fact(dl, "Can help with", el("dd", null, joined("area")));
    fact(dl, "Languages", el("dd", null, joined("language")));
    var place = labels("state");
    fact(dl, "Meets", el("dd", null, joined("meeting") + (place.length ? " · " + place[0].label : "")));
    article.appendChild(dl);
    if (m.accepting && !m.stale) {
      // to the mentor's request button, which says what a request publishes before GitHub opens
      var request = el("a", { class: "button", href: profile + "#request" }, "Request");
      request.appendChild(el("span", { class: "visually-hidden" }, " " + m.name));
      var actions = el("p", { class: "card-actions" });
      actions.appendChild(request);
      article.appendChild(actions);
    }
    li.appendChild(article);
    return li;
  }

  // ---- rendering

  function setStatus(text) {
    if (status.textContent !== text) status.textContent = text;
    if (barCount && barCount.textContent !== text) barCount.textContent = text; // aria-hidden: a copy
  }

  function setCount(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function updateMore() {
    var left = page.results ? page.results.length - page.shown : 0;
    more.hidden = left <= 0;
    var note = page.results ? "Showing " + page.shown + " of " + page.results.length : "";
    if (moreNote.textContent !== note) moreNote.textContent = note;
  }

  function showCards(from, to) {
    var fragment = document.createDocumentFragment();
    var first = null;
    page.results.slice(from, to).forEach(function (m) {
      var li = card(m);
      if (!first) first = li;
      fragment.appendChild(li);
    });
    list.appendChild(fragment);
    page.shown = Math.min(to, page.results.length);
    return first;
  }

  /* When nothing matches: links that remove one filter, or search by a close term instead. */
  function showSuggestions(found) {
    var box = document.getElementById("no-results");
    if (!box) return;
    box.hidden = !found;
    if (!found) return;
    var items = document.getElementById("no-results-list");
    items.replaceChildren();
    found.terms.forEach(function (t) {
      var li = el("li");
      li.appendChild(document.createTextNode("filter on "));
      li.appendChild(el("a", { href: window.location.pathname + t.query }, t.label));
      li.appendChild(document.createTextNode(" (" + DS.plural(t.count, "mentor", "mentors") + "), a term close to your search"));
      items.appendChild(li);
    });
    found.remove.forEach(function (r) {
      var li = el("li");
      li.appendChild(document.createTextNode("remove the filter "));
      li.appendChild(el("a", { href: window.location.pathname + r.query }, r.label));
      li.appendChild(document.createTextNode(" (" + DS.plural(r.count, "mentor", "mentors") + ")"));
      items.appendChild(li);
    });
    if (!items.children.length) items.appendChild(el("li", null, "change or shorten the search"));
  }

  function render() {
    var q = page.state.q.trim();
    var hits = currentHits();
    if (q !== "" && !page.search.failed && hits === null) {
      list.setAttribute("aria-busy", "true");
      setStatus("Searching…");
      return;
    }
    list.removeAttribute("aria-busy");
    var model = page.model;
    var out = DS.compute(model, page.state, hits);
    page.results = out.results;
    if (page.serverCards && !isFiltered()) {
      page.shown = list.children.length; // the server's first page is already there
    } else {
      page.serverCards = false;
      list.replaceChildren();
      showCards(0, page.pageSize);
    }
    model.groups.forEach(function (g, gi) {
      var controls = page.controls.groups[gi];
      g.values.forEach(function (v, vi) {
        var box = controls.boxes.get(v);
        if (box) setCount(box.count, "(" + out.counts[gi][vi] + ")");
      });
      var n = DS.selectedOf(page.state, g.param).length;
      setCount(controls.summary, n ? "(" + n + " selected)" : "");
    });
    setCount(page.controls.accepting.count, "(" + out.accepting + ")");
    if (chosen) {
      var n = (page.state.accepting ? 1 : 0) + model.groups.reduce(function (sum, g) {
        return sum + DS.selectedOf(page.state, g.param).length;
      }, 0);
      setCount(chosen, n ? " (" + n + " chosen)" : "");
    }
    setStatus(DS.countText(out, isFiltered(), page.total));
    showSuggestions(out.results.length === 0 && isFiltered() ? DS.suggestions(model, page.state, hits) : null);
    updateMore();
    // For tests and the benchmark: the result list is final for the current search and filters.
    app.dispatchEvent(new CustomEvent("results-rendered"));
  }

  function syncControls() {
    var state = page.state;
    if (document.activeElement !== input || input.value.trim() !== state.q.trim()) input.value = state.q;
    page.controls.accepting.input.checked = state.accepting;
    page.model.groups.forEach(function (g, gi) {
      var controls = page.controls.groups[gi];
      var selected = DS.selectedOf(state, g.param);
      controls.boxes.forEach(function (box, v) { box.input.checked = selected.indexOf(v) !== -1; });
      if (selected.length && controls.details) controls.details.open = true;
    });
  }

  function update() {
    var q = page.state.q.trim();
    if (q && currentHits() === null && !page.search.failed) {
      render(); // "Searching…" and aria-busy until the results are in
      loadSearch()
        .then(function (engine) { return engine.search(q, page.model.mentorsWith); })
        .then(function (found) {
          if (page.state.q.trim() !== q) return;
          page.hits = { q: q, scores: new Map(found) };
          render();
        }, function () {
          if (page.state.q.trim() === q) render();
        });
      return;
    }
    render();
  }

  // ---- events

  function readControls() {
    var state = page.state;
    state.accepting = page.controls.accepting.input.checked;
    page.model.groups.forEach(function (g, gi) {
      var boxes = page.controls.groups[gi].boxes;
      state.selected[g.param] = g.values.filter(function (v) {
        var box = boxes.get(v);
        return box && box.input.checked;
      });
    });
  }

  function onInput() {
    window.clearTimeout(page.timer);
    page.timer = window.setTimeout(function () {
      ready(function () {
        page.state.q = input.value;
        saveUrl(!page.typing);
        page.typing = true;
        update();
      });
    }, 200);
  }

  function onChange(event) {
    if (event.target === input) return;
    ready(function () {
      page.typing = false;
      readControls();
      saveUrl(true);
      update();
    });
  }

  function onSubmit(event) {
    event.preventDefault();
    window.clearTimeout(page.timer);
    ready(function () {
      page.state.q = input.value;
      saveUrl(!page.typing);
      page.typing = false;
      update();
    });
  }

  function onClear() {
    window.clearTimeout(page.timer);
    input.focus();
    ready(function () {
      page.state = DS.emptyState();
      page.typing = false;
      syncControls();
      saveUrl(true);
      update();
    });
  }

  function onPopState() {
    window.clearTimeout(page.timer);
    ready(function () {
      page.typing = false;
      page.state = DS.parseQuery(page.model, window.location.search);
      syncControls();
      update();
    });
  }

  function onMore() {
    ready(function () {
      if (!page.results) render();
      var first = showCards(page.shown, page.shown + page.pageSize);
      updateMore();
      setStatus(DS.showingText(page.shown, isFiltered(), page.results.length, page.total));
      if (first) first.querySelector("a").focus();
    });
  }

  // ---- facets.json

  function boxFor(inputEl) {
    var label = form.querySelector('label[for="' + inputEl.id + '"]');
    return { input: inputEl, count: label ? label.querySelector("[data-count]") : el("span") };
  }

  function start(data) {
    var model = DS.createModel(data);
    page.controls = {
      accepting: boxFor(document.getElementById("f-" + model.acceptingParam)),
      groups: model.groups.map(function (g) {
        var details = form.querySelector('details[data-group="' + g.param + '"]');
        var boxes = new Map();
        form.querySelectorAll('input[name="' + g.param + '"]').forEach(function (box) {
          boxes.set(box.value, boxFor(box));
        });
        return { boxes: boxes, details: details,
          summary: details ? details.querySelector("[data-selected]") : el("span") };
      }),
    };
    page.total = model.total;
    if (model.pageSize) page.pageSize = model.pageSize;
    page.model = model;
  }

  function loadFacets() {
    if (!page.facetsLoading) {
      page.facetsLoading = fetchJson(app.getAttribute("data-facets")).then(function (data) {
        start(data);
        var queue = page.waiting;
        page.waiting = [];
        queue.forEach(function (fn) { fn(); });
      }, function (error) {
        page.facetsLoading = null;
        setStatus(DS.plural(page.total, "mentor", "mentors") + " (search and filters could not be loaded: " +
          "use the page links)");
        if (pagesNav && more.parentNode) more.parentNode.replaceChild(pagesNav, more);
        throw error;
      });
    }
    return page.facetsLoading;
  }

  /* Runs fn once facets.json is loaded (loading it now if needed). */
  function ready(fn) {
    if (page.model) { fn(); return; }
    page.waiting.push(fn);
    loadFacets().catch(function () {});
  }

  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      form.classList.toggle("filters-collapsed", !open);
    });
  }
  form.addEventListener("submit", onSubmit);
  form.addEventListener("change", onChange);
  form.addEventListener("focusin", function () { loadFacets().catch(function () {}); });
  input.addEventListener("input", onInput);
  input.addEventListener("focus", function () {
    loadSearch().catch(function () {});
  }, { once: true });
  input.addEventListener("blur", function () { page.typing = false; });
  clear.addEventListener("click", onClear);
  moreButton.addEventListener("click", onMore);
  window.addEventListener("popstate", onPopState);

  if (window.location.search) {
    if (new URLSearchParams(window.location.search).get("q")) loadSearch().catch(function () {});
    ready(function () {
      page.state = DS.parseQuery(page.model, window.location.search);
      syncControls();
      if (isFiltered()) update();
    });
  }
})();

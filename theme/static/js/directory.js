/*
 * MentorMeMed directory, first page: search, filters and "Show more mentors".
 *
 * Without JavaScript the directory is server-rendered pages of 24 cards (/directory/,
 * /directory/page/2/, …) with a pagination nav. This script enhances page 1 only. Its data
 * comes in pieces, every mentor numbered by its ref (generator/search/facets.py):
 *
 * - search/facets.json (version 3, a few KB: the groups, programs, the accepting mentors'
 *   refs) is fetched when it is first needed (the URL has a search or filter, the form is
 *   used, or "Show more mentors" is pressed), never merely because the page was opened;
 * - a chosen group's postings (search/facets/<param>.json) load before its results, and a
 *   search's catalog hits ask for one value's posting (search/facets/<param>/<i>.json, through
 *   mentorsWith); the results wait for nothing else;
 * - a page of results loads the card chunks (search/cards/<k>.json) of the mentors it shows,
 *   and "Show more mentors" those of the next page;
 * - after the results are shown, the postings of the other groups load (a second step) and
 *   their counts fill in: until then those counts are empty and their group is aria-busy;
 *   the live status (#result-count) speaks of the results only;
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
  // The facets' files: facets.json's folder, and its "?v=…" (every facets file carries it)
  var facetsUrl = app.getAttribute("data-facets");
  var facetsBase = DS.searchBase(facetsUrl);
  var facetsQuery = facetsUrl.indexOf("?") === -1 ? "" : facetsUrl.slice(facetsUrl.indexOf("?"));

  /* Everything that changes while the page is open. */
  var page = {
    pageSize: Number(app.getAttribute("data-page-size")) || 24,
    total: Number(app.getAttribute("data-total")) || list.children.length,
    model: null, // DirectoryState.createModel(facets.json), once it is loaded
    controls: null, // the form's boxes for the model: {accepting: box, groups: [{boxes, details, summary}]}
    facetsLoading: null, // Promise of facets.json
    waiting: [], // what runs once facets.json is loaded
    files: {}, // path -> Promise of a facets file (postings, cards)
    state: DS.emptyState(), // what is asked for: {q, accepting, selected}, as in the URL
    search: { engine: null, loading: null, failed: false }, // engine: {ready(), search(text, mentorsWith)}
    searching: null, // {q, done: Promise}: the search running
    hits: null, // {q, scores: Map ref -> score, or null if that search failed}: the last search that finished
    results: null, // the refs matching the state, in display order
    shown: 0, // how many of them are in the list
    serverCards: true, // the list still holds the server's page-1 cards
    run: 0, // the number of the latest update: an older one that finishes late is dropped
    pending: false, // an update is loading what it needs
    moreLoading: false, // "Show more mentors" is loading the next cards
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

  /* The scores of the state's search, or null while there are none for it (or it failed). */
  function currentHits() {
    var q = page.state.q.trim();
    return page.hits !== null && page.hits.q === q ? page.hits.scores : null;
  }

  /* Whether the state's search is still to be run (its results are not in, and it can run). */
  function searchPending() {
    var q = page.state.q.trim();
    return q !== "" && !page.search.failed && (page.hits === null || page.hits.q !== q);
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
          var created = window.MentorSearch.createSearch({ lunr: window.lunr,
            base: DS.searchBase(app.getAttribute("data-lunr")), version: versions.index,
            fetchJson: fetchJson });
          return created.ready().then(function () { return created; });
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

  /* A facets file (relative to facets.json's folder), fetched once. */
  function loadFile(path) {
    if (!page.files[path]) {
      page.files[path] = fetchJson(facetsBase + path + facetsQuery).catch(function (error) {
        delete page.files[path];
        throw error;
      });
    }
    return page.files[path];
  }

  /* The postings of groups (params), into the model. */
  function loadGroups(params) {
    return Promise.all(params.map(function (param) {
      return loadFile("facets/" + param + ".json").then(function (postings) {
        DS.addGroup(page.model, param, postings);
      });
    }));
  }

  /* The card chunks of the mentors with these refs, into the model. */
  function loadCards(refs) {
    return Promise.all(DS.chunksToLoad(page.model, refs).map(function (chunk) {
      return loadFile("cards/" + chunk + ".json").then(function (rows) {
        DS.addCards(page.model, chunk, rows);
      });
    }));
  }

  /* From how many values of one group (or programs) one search asks for, their group's file is
     loaded instead of each value's (generator.search.facets.GROUP_FILE_AT). */
  var GROUP_FILE_AT = 8;
  var asked = null; // Map param -> [{value, resolve, reject}]: this tick's asks, not yet loaded

  /* What search.js asks for (the contract in search.js): the refs of the mentors having a
     filter value or a program — at once if its group is loaded, else a Promise. search.js asks
     for all its values in one go: they are gathered until the end of the tick, then each
     param's are loaded as single files, or as their group's file when there are many. */
  function mentorsWith(param, value) {
    var known = DS.posting(page.model, param, value);
    if (known) return known;
    if (!asked) {
      asked = new Map();
      Promise.resolve().then(loadAsked);
    }
    if (!asked.has(param)) asked.set(param, []);
    return new Promise(function (resolve, reject) {
      asked.get(param).push({ value: value, resolve: resolve, reject: reject });
    });
  }

  function loadAsked() {
    var model = page.model;
    var now = asked;
    asked = null;
    now.forEach(function (asks, param) {
      if (asks.length >= GROUP_FILE_AT) {
        var whole = param === "program"
          ? loadFile("facets/program.json").then(function (data) { DS.addPrograms(model, data); })
          : loadGroups([param]);
        whole.then(function () {
          asks.forEach(function (a) { a.resolve(DS.posting(model, param, a.value) || []); });
        }, function (error) {
          asks.forEach(function (a) { a.reject(error); });
        });
        return;
      }
      asks.forEach(function (a) {
        loadFile(DS.valueFile(model, param, a.value)).then(function (posting) {
          var refs = DS.decodeRefs(posting, model.total);
          DS.addValue(model, param, a.value, refs);
          a.resolve(refs);
        }, a.reject);
      });
    });
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

  function setBusy(busy) {
    if (busy) list.setAttribute("aria-busy", "true");
    else list.removeAttribute("aria-busy");
  }

  function updateMore() {
    var left = page.results ? page.results.length - page.shown : 0;
    more.hidden = left <= 0;
    var note = page.results ? "Showing " + page.shown + " of " + page.results.length : "";
    if (moreNote.textContent !== note) moreNote.textContent = note;
  }

  /* Appends the cards of results from..to (their chunks loaded); the first new card. */
  function showCards(from, to) {
    var fragment = document.createDocumentFragment();
    var first = null;
    page.results.slice(from, to).forEach(function (ref) {
      var li = card(DS.card(page.model, ref));
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

  /* The counts beside the boxes: a group whose postings are not loaded yet shows none (and is
     aria-busy) while the state is filtered; unfiltered, the server's counts are right. */
  function showCounts(out) {
    var model = page.model;
    var filtered = isFiltered();
    model.groups.forEach(function (g, gi) {
      var controls = page.controls.groups[gi];
      var counts = out.counts[gi];
      g.values.forEach(function (v, vi) {
        var box = controls.boxes.get(v);
        if (!box) return;
        if (counts) setCount(box.count, "(" + DS.number(counts[vi]) + ")");
        else if (filtered) setCount(box.count, "");
        else setCount(box.count, box.serverCount);
      });
      if (controls.fieldset) {
        if (!counts && filtered) controls.fieldset.setAttribute("aria-busy", "true");
        else controls.fieldset.removeAttribute("aria-busy");
      }
      var n = DS.selectedOf(page.state, g.param).length;
      setCount(controls.summary, n ? "(" + n + " selected)" : "");
    });
    setCount(page.controls.accepting.count, "(" + DS.number(out.accepting) + ")");
    if (chosen) {
      var n = (page.state.accepting ? 1 : 0) + model.groups.reduce(function (sum, g) {
        return sum + DS.selectedOf(page.state, g.param).length;
      }, 0);
      setCount(chosen, n ? " (" + n + " chosen)" : "");
    }
  }

  /* The second step, after the results are shown: the other groups' postings, each group's
     counts as soon as its file is in. */
  function loadOtherCounts(run) {
    if (!isFiltered()) return;
    page.model.groups.forEach(function (g) {
      if (g.postings) return;
      loadGroups([g.param]).then(function () {
        if (run !== page.run || page.pending) return; // a newer update shows them
        showCounts(DS.compute(page.model, page.state, currentHits()));
      }, function () {}); // that group's counts stay empty: the results and the others are right
    });
  }

  /* Draws the results and counts of the state (everything it needs is loaded). */
  function render(run) {
    var model = page.model;
    var hits = currentHits();
    var out = DS.compute(model, page.state, hits);
    page.results = out.results;
    if (page.serverCards && !isFiltered()) {
      page.shown = list.children.length; // the server's first page is already there
    } else {
      page.serverCards = false;
      list.replaceChildren();
      showCards(0, page.pageSize);
    }
    setBusy(false);
    showCounts(out);
    setStatus(DS.countText(out, isFiltered(), page.total));
    var none = out.results.length === 0 && isFiltered();
    showSuggestions(none ? DS.suggestions(model, page.state, hits) : null);
    updateMore();
    // For tests and the benchmark: the result list is final for the current search and filters
    // (the mark tells the files fetched for the results from those of the second step).
    if (window.performance && performance.mark) performance.mark("results-rendered");
    app.dispatchEvent(new CustomEvent("results-rendered"));
    if (none) {
      // close terms in groups not loaded yet: load them, then offer them too
      var groups = DS.closeTerms(model, page.state).map(function (t) { return t.param; })
        .filter(function (p, i, all) { return all.indexOf(p) === i && !DS.isLoaded(model, p); });
      if (groups.length) {
        loadGroups(groups).then(function () {
          if (run === page.run && !page.pending) showSuggestions(DS.suggestions(model, page.state, currentHits()));
        }, function () {});
      }
    }
    window.setTimeout(function () { loadOtherCounts(run); }, 0);
  }

  /* A piece of the data could not be loaded: say so, and give the page links back. */
  function failed() {
    setBusy(false);
    page.pending = false;
    setStatus(DS.plural(page.total, "mentor", "mentors") + " (search and filters could not be loaded: " +
      "use the page links)");
    if (pagesNav && more.parentNode) more.parentNode.replaceChild(pagesNav, more);
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

  /* Loads what the state needs (the chosen groups, the search's hits, the cards of the first
     page), then renders; an update started later wins. */
  function update() {
    var run = ++page.run;
    var q = page.state.q.trim();
    page.pending = true;
    setBusy(true);
    var searching = searchPending();
    if (searching) setStatus("Searching…");
    var groups = loadGroups(DS.groupsToLoad(page.model, page.state));
    var hits = null;
    if (searching) {
      if (!page.searching || page.searching.q !== q) {
        page.searching = { q: q, done: loadSearch()
          .then(function (engine) { return engine.search(q, mentorsWith); })
          .then(function (found) {
            page.hits = { q: q, scores: new Map(found) };
          }, function () {
            // the search could not run (a file did not load): the filters alone apply
            if (!page.search.failed) page.hits = { q: q, scores: null };
          }) };
      }
      hits = page.searching.done;
    }
    Promise.all([groups, hits])
      .then(function () {
        if (run !== page.run) return null;
        if (page.serverCards && !isFiltered()) return null; // the server's cards stay
        var first = DS.compute(page.model, page.state, currentHits()).results.slice(0, page.pageSize);
        return loadCards(first);
      })
      .then(function () {
        if (run !== page.run) return;
        page.pending = false;
        render(run);
      }, function () {
        if (run === page.run) failed();
      });
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
      if (page.moreLoading || page.pending) return;
      if (!page.results) {
        // the server's first page: the rest of the directory order (no search, no filter)
        page.results = DS.compute(page.model, page.state, currentHits()).results;
        page.shown = list.children.length;
      }
      var from = page.shown;
      var run = page.run;
      page.moreLoading = true;
      setBusy(true);
      loadCards(page.results.slice(from, from + page.pageSize)).then(function () {
        page.moreLoading = false;
        setBusy(false);
        if (run !== page.run || page.shown !== from) return;
        var first = showCards(from, from + page.pageSize);
        updateMore();
        setStatus(DS.showingText(page.shown, isFiltered(), page.results.length, page.total));
        if (first) first.querySelector("a").focus();
      }, function () {
        page.moreLoading = false;
        failed();
      });
    });
  }

  // ---- facets.json

  function boxFor(inputEl) {
    var label = form.querySelector('label[for="' + inputEl.id + '"]');
    var count = label ? label.querySelector("[data-count]") : el("span");
    return { input: inputEl, count: count, serverCount: count.textContent };
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
          fieldset: details ? details.querySelector("fieldset") : null,
          summary: details ? details.querySelector("[data-selected]") : el("span") };
      }),
    };
    page.total = model.total;
    if (model.pageSize) page.pageSize = model.pageSize;
    page.model = model;
  }

  function loadFacets() {
    if (!page.facetsLoading) {
      page.facetsLoading = fetchJson(facetsUrl).then(function (data) {
        start(data);
        var queue = page.waiting;
        page.waiting = [];
        queue.forEach(function (fn) { fn(); });
      }, function (error) {
        page.facetsLoading = null;
        failed();
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

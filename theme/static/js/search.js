/*
 * The directory's text search, for the browser and for Node (the parity tests).
 *
 *   var s = MentorSearch.createSearch({ lunr: window.lunr, base: "/search/", version: "abc123",
 *                                       fetchJson: MentorDom.fetchJson });
 *   // fetchJson(url) → Promise<object>: theme/js/dom.js's in the browser, a file reader in tests
 *   s.ready()                     // Promise: terms.json loaded (the catalog index, file names)
 *   s.search(text, mentorsWith)   // Promise<[[ref, score], ...]>, best first, ties by ref ascending
 *   s.stats()                     // {fetches, builds}: files fetched, per-word indexes built and queried
 *   s.expansions(word)            // Promise<{people, catalog}>: a word's [term, boost]s (tests)
 *
 * A ref is a mentor's number in the search files: its position in the ref order
 * (generator/search/order.py). mentorsWith(param, value) returns the refs (ascending) of the
 * mentors having a filter value ("specialty", "cardiology") or a program ("program",
 * "<program id>"), or a Promise of them; the calls of one search are awaited together, and
 * with the shard loads. search.js never needs mentor ids.
 *
 * Files (written by generator/search/shards.py, under `base`, each with ?v=<version>):
 * - terms.json, loaded first: the catalog lunr index (vocabulary terms and programs;
 *   catalogRefs[ref] is "<param>:<id>"), separator, pipeline, fields, stop words, exact names,
 *   the keys of the term files and the number of shards;
 * - terms/<key>.json: the people-index terms starting with one character (key: that character
 *   if [a-z0-9], else "u" + its code point in hex), sorted, with the shard holding each and its
 *   document frequency (parallel arrays terms, shard, df);
 * - people/<n>.json: shards of the people index (names and bios), each a serialized lunr index.
 *
 * A query word is expanded into an explicit, ranked, capped list of terms per index by the rules
 * of generator/search/expansion.py (exact stem > prefixes of the typed word by document
 * frequency > typos keeping the first character, only for a word with no exact or prefix match;
 * at most MAX_EXPANSIONS): its people expansions all start with its first character, so it
 * loads one term file, then the shards holding its chosen terms. Its lunr query is one clause
 * per term (no pipeline, no wildcard, the boost of its kind), run on a small index made of those
 * terms' postings and field-vector elements only: lunr scores a field as dot(query vector, field
 * vector) / |query vector|, and both only involve the query's terms, all present, so the scores
 * are those of the unsharded index (generator.search.index.search, checked by a Node test).
 *
 * Caches (no eviction thrash on repeated queries): each word's expansions and hits in both
 * indexes (up to WORD_CACHE_SIZE words holding WORD_CACHE_HITS hits), and the loaded term files
 * and shards (up to FILE_CACHE_BYTES of their JSON); least recently used dropped first, after a
 * search. A query repeated while its words are cached fetches nothing and runs no lunr query.
 *
 * The text functions mirror generator/search/index.py; Node tests check that both agree.
 * No dependency but lunr (passed in); no eval, so it runs under a strict CSP.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.MentorSearch = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // ------------------------------------------------------------------ rules (expansion.py)

  var EXACT_BOOST = 10;
  var PREFIX_BOOST = 3;
  var FUZZY_BOOST = 1;
  var PREFIX_MIN_LENGTH = 2;
  var FUZZY_MIN_LENGTH = 5;
  var FUZZY_TWO_EDITS_LENGTH = 9;
  var MAX_EXPANSIONS = 12;
  var EXACT_NAME_BONUS = 1;

  /* The caches' bounds: words by count and by the hits they hold ([ref, score] pairs: 500,000
     are about 20 MB in V8, fifty words matching all of 10,000 mentors), loaded files by their
     JSON's size (the benchmark's 16 queries load about 2 MB of shards at 10,000 mentors). */
  var WORD_CACHE_SIZE = 64;
  var WORD_CACHE_HITS = 500000;
  var FILE_CACHE_BYTES = 4 * 1024 * 1024;

  // ------------------------------------------------------------------ stemmer (lunr.py's)

  /* The Porter stemmer exactly as lunr.py's (lunr/stemmer.py: M. Porter's algorithm with its
     "departures"), which stemmed the index: lunr.js's own differs on a terminal "y" (lunr.py
     makes "always" "alwai" and keeps "try"; lunr.js keeps "alway" and makes "tri"), so query
     words are stemmed here, by code point, with Python's negative indexing. */
  function porterStem(word) {
    var b = Array.from(word);
    var k = b.length - 1;
    var k0 = 0;
    var j = 0;
    if (k <= k0 + 1) return word;

    function at(i) { return i < 0 ? b[b.length + i] : b[i]; }

    function cons(i) {
      var ch = at(i);
      if (ch === "a" || ch === "e" || ch === "i" || ch === "o" || ch === "u") return false;
      if (ch === "y") return i === k0 ? true : !cons(i - 1);
      return true;
    }

    function m() {
      var n = 0;
      var i = k0;
      for (;;) {
        if (i > j) return n;
        if (!cons(i)) break;
        i++;
      }
      i++;
      for (;;) {
        for (;;) {
          if (i > j) return n;
          if (cons(i)) break;
          i++;
        }
        i++;
        n++;
        for (;;) {
          if (i > j) return n;
          if (!cons(i)) break;
          i++;
        }
        i++;
      }
    }

    function vowelInStem() {
      for (var i = k0; i <= j; i++) if (!cons(i)) return true;
      return false;
    }

    function doublec(x) {
      if (x < k0 + 1) return false;
      if (at(x) !== at(x - 1)) return false;
      return cons(x);
    }

    function cvc(i) {
      if (i < k0 + 2 || !cons(i) || cons(i - 1) || !cons(i - 2)) return false;
      var ch = at(i);
      return !(ch === "w" || ch === "x" || ch === "y");
    }

    function ends(s) {
      var n = s.length;
      if (s[n - 1] !== at(k)) return false;
      if (n > k - k0 + 1) return false;
      if (b.slice(k - n + 1, k + 1).join("") !== s) return false;
      j = k - n;
      return true;
    }

    function setto(s) {
      b = b.slice(0, j + 1).concat(Array.from(s), b.slice(j + s.length + 1));
      k = j + s.length;
    }

    function r(s) { if (m() > 0) setto(s); }

    function step1ab() {
      if (at(k) === "s") {
        if (ends("sses")) k -= 2;
        else if (ends("ies")) setto("i");
        else if (at(k - 1) !== "s") k -= 1;
      }
      if (ends("eed")) {
        if (m() > 0) k -= 1;
      } else if ((ends("ed") || ends("ing")) && vowelInStem()) {
        k = j;
        if (ends("at")) setto("ate");
        else if (ends("bl")) setto("ble");
        else if (ends("iz")) setto("ize");
        else if (doublec(k)) {
          k -= 1;
          var ch = at(k);
          if (ch === "l" || ch === "s" || ch === "z") k += 1;
        } else if (m() === 1 && cvc(k)) setto("e");
      }
    }

    function step1c() {
      if (ends("y") && vowelInStem()) b = b.slice(0, k).concat(["i"], b.slice(k + 1));
    }

    /* Tries the suffixes in order; the first that ends the word is replaced (if m() > 0). */
    function first(pairs) {
      for (var i = 0; i < pairs.length; i += 2) {
        if (ends(pairs[i])) { r(pairs[i + 1]); return; }
      }
    }

    function step2() {
      var ch = at(k - 1);
      if (ch === "a") first(["ational", "ate", "tional", "tion"]);
      else if (ch === "c") first(["enci", "ence", "anci", "ance"]);
      else if (ch === "e") first(["izer", "ize"]);
      else if (ch === "l") first(["bli", "ble", "alli", "al", "entli", "ent", "eli", "e", "ousli", "ous"]);
      else if (ch === "o") first(["ization", "ize", "ation", "ate", "ator", "ate"]);
      else if (ch === "s") first(["alism", "al", "iveness", "ive", "fulness", "ful", "ousness", "ous"]);
      else if (ch === "t") first(["aliti", "al", "iviti", "ive", "biliti", "ble"]);
      else if (ch === "g") first(["logi", "log"]);
    }

    function step3() {
      var ch = at(k);
      if (ch === "e") first(["icate", "ic", "ative", "", "alize", "al"]);
      else if (ch === "i") first(["iciti", "ic"]);
      else if (ch === "l") first(["ical", "ic", "ful", ""]);
      else if (ch === "s") first(["ness", ""]);
    }

    function endsAny(suffixes) {
      for (var i = 0; i < suffixes.length; i++) if (ends(suffixes[i])) return true;
      return false;
    }

    function step4() {
      var ch = at(k - 1);
      var found;
      if (ch === "a") found = endsAny(["al"]);
      else if (ch === "c") found = endsAny(["ance", "ence"]);
      else if (ch === "e") found = endsAny(["er"]);
      else if (ch === "i") found = endsAny(["ic"]);
      else if (ch === "l") found = endsAny(["able", "ible"]);
      else if (ch === "n") found = endsAny(["ant", "ement", "ment", "ent"]);
      else if (ch === "o") found = (ends("ion") && (at(j) === "s" || at(j) === "t")) || ends("ou");
      else if (ch === "s") found = endsAny(["ism"]);
      else if (ch === "t") found = endsAny(["ate", "iti"]);
      else if (ch === "u") found = endsAny(["ous"]);
      else if (ch === "v") found = endsAny(["ive"]);
      else if (ch === "z") found = endsAny(["ize"]);
      else found = false;
      if (found && m() > 1) k = j;
    }

    function step5() {
      j = k;
      if (at(k) === "e") {
        var a = m();
        if (a > 1 || (a === 1 && !cvc(k - 1))) k -= 1;
      }
      if (at(k) === "l" && doublec(k) && m() > 1) k -= 1;
    }

    step1ab();
    step1c();
    step2();
    step3();
    step4();
    step5();
    return b.slice(k0, k + 1).join("");
  }

  // ------------------------------------------------------------------ text

  function separatorPattern(chars) {
    return new RegExp("[" + chars.replace(/[\\\][^-]/g, "\\$&") + "]+", "u");
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

  /* The words of a query that can match: tokens that are not stop words (lunr's, and
     stopWords: terms.json's, the vocabulary's search_stop_words), in order, once each. */
  function queryWords(lunr, text, separator, stopWords) {
    var extra = stopWords || [];
    var words = [];
    tokenize(text, separator).forEach(function (token) {
      if (lunr.stopWordFilter(token) !== undefined && extra.indexOf(token) === -1 && words.indexOf(token) === -1) {
        words.push(token);
      }
    });
    return words;
  }

  function length(word) {
    return Array.from(word).length;
  }

  /* Code point order (Python's str order): a UTF-16 surrogate sorts above every other unit. */
  function compareTerms(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x !== y) {
        if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
        if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
        return x - y;
      }
    }
    return a.length - b.length;
  }

  /* The key of the term file holding a word's expansions (shards.term_key). */
  function termKey(word) {
    var first = Array.from(word)[0];
    return /^[a-z0-9]$/.test(first) ? first : "u" + first.codePointAt(0).toString(16);
  }

  /* Optimal string alignment distance of two strings (by code point), or limit + 1 if more. */
  function editDistance(word, term, limit) {
    var a = Array.from(word);
    var b = Array.from(term);
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var previous2 = [];
    var previous = [];
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      var current = [i];
      var least = i;
      for (j = 1; j <= b.length; j++) {
        var value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2] + 1);
        current.push(value);
        if (value < least) least = value;
      }
      if (least > limit) return limit + 1;
      previous2 = previous;
      previous = current;
    }
    return Math.min(previous[b.length], limit + 1);
  }

  function typoEdits(word) {
    var n = length(word);
    return n >= FUZZY_TWO_EDITS_LENGTH ? 2 : n >= FUZZY_MIN_LENGTH ? 1 : 0;
  }

  /* A lexicon: {terms (code point order), df (parallel), position: Map term -> index}. */
  function lexicon(terms, df) {
    var position = new Map();
    terms.forEach(function (t, i) { position.set(t, i); });
    return { terms: terms, df: df, position: position };
  }

  /* A serialized lunr index's lexicon (the catalog's): document frequency as lunr counts it
     for its idf, documents having the term once per field (expansion.document_frequency). */
  function lexiconOfIndex(serialized) {
    var rows = serialized.invertedIndex.map(function (entry) {
      var df = 0;
      serialized.fields.forEach(function (f) { df += Object.keys(entry[1][f] || {}).length; });
      return [entry[0], df];
    });
    rows.sort(function (a, b) { return compareTerms(a[0], b[0]); });
    return lexicon(rows.map(function (r) { return r[0]; }), rows.map(function (r) { return r[1]; }));
  }

  /* [start, end) of the terms starting with prefix. */
  function startingWith(lex, prefix) {
    var lo = 0;
    var hi = lex.terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compareTerms(lex.terms[mid], prefix) < 0) lo = mid + 1; else hi = mid;
    }
    var end = lo;
    while (end < lex.terms.length && lex.terms[end].startsWith(prefix)) end++;
    return [lo, end];
  }

  function usable(term) {
    return term.indexOf("*") === -1; // lunr's wildcard: no clause names such a term exactly
  }

  /* Exact and prefix expansions, ranked and capped (expansion.known). */
  function known(lex, word, stem) {
    var found = [];
    if (lex.position.has(stem) && usable(stem)) found.push({ term: stem, boost: EXACT_BOOST });
    if (length(word) >= PREFIX_MIN_LENGTH) {
      var range = startingWith(lex, word);
      var prefixed = [];
      for (var i = range[0]; i < range[1]; i++) {
        if (lex.terms[i] !== stem && usable(lex.terms[i])) prefixed.push(i);
      }
      prefixed.sort(function (x, y) { return lex.df[y] - lex.df[x] || compareTerms(lex.terms[x], lex.terms[y]); });
      prefixed.slice(0, MAX_EXPANSIONS - found.length).forEach(function (i) {
        found.push({ term: lex.terms[i], boost: PREFIX_BOOST });
      });
    }
    return found;
  }

  /* Typo expansions keeping the first character, ranked and capped (expansion.typos). */
  function typos(lex, word, stem) {
    var edits = typoEdits(word);
    if (!edits) return [];
    var range = startingWith(lex, Array.from(word)[0]);
    var candidates = [];
    for (var i = range[0]; i < range[1]; i++) {
      var term = lex.terms[i];
      var distance = Math.min(editDistance(word, term, edits), editDistance(stem, term, edits));
      if (distance <= edits && usable(term)) candidates.push([distance, i]);
    }
    candidates.sort(function (x, y) {
      return x[0] - y[0] || lex.df[y[1]] - lex.df[x[1]] || compareTerms(lex.terms[x[1]], lex.terms[y[1]]);
    });
    return candidates.slice(0, MAX_EXPANSIONS).map(function (c) { return { term: lex.terms[c[1]], boost: FUZZY_BOOST }; });
  }

  /* A word's expansions in each lexicon: exact and prefix terms, or typos when no lexicon has
     any exact or prefix term (expansion.expand). */
  function expand(lexicons, word, stem) {
    var found = lexicons.map(function (lex) { return known(lex, word, stem); });
    if (found.some(function (f) { return f.length > 0; })) return found;
    return lexicons.map(function (lex) { return typos(lex, word, stem); });
  }

  /* Runs a word's query (one clause per expansion, no pipeline) on a lunr index. */
  function runExpansions(index, expansions) {
    if (!expansions.length) return [];
    return index.query(function (q) {
      expansions.forEach(function (e) { q.term(e.term, { usePipeline: false, boost: e.boost }); });
    });
  }

  function byScoreThenRef(a, b) {
    return b[1] - a[1] || a[0] - b[0];
  }

  // ------------------------------------------------------------------ shards

  /* A loaded shard, ready for taking terms out: postings by term, and per term index the
     field-vector elements of that term ({refs: [fieldRef], scores: [score]}). bytes: about its
     JSON's size. */
  function openShard(shard) {
    var postings = new Map();
    var elements = new Map();
    var bytes = 0;
    shard.invertedIndex.forEach(function (entry) {
      postings.set(entry[0], entry[1]);
      elements.set(entry[1]._index, { refs: [], scores: [] });
      bytes += entry[0].length + 24;
    });
    shard.fieldVectors.forEach(function (tuple) {
      var ref = tuple[0];
      var pairs = tuple[1];
      bytes += ref.length + 6;
      for (var i = 0; i < pairs.length; i += 2) {
        var of = elements.get(pairs[i]);
        of.refs.push(ref);
        of.scores.push(pairs[i + 1]);
        bytes += 24; // the element here, and its ref in the posting
      }
    });
    return { postings: postings, elements: elements, bytes: bytes };
  }

  /* A lunr index of just `terms` (shardOf(term): the opened shard holding it) — what lunr.Index.load
     would make of their postings and field-vector elements. */
  function smallIndex(lunr, terms, shardOf, fields, pipeline) {
    var chosen = terms.map(function (term) {
      var shard = shardOf(term);
      return { term: term, posting: shard.postings.get(term), shard: shard };
    });
    // by _index: each field vector's elements come out in ascending order, as lunr keeps them
    chosen.sort(function (a, b) { return a.posting._index - b.posting._index; });
    var invertedIndex = Object.create(null);
    var flat = new Map();
    chosen.forEach(function (c) {
      invertedIndex[c.term] = c.posting;
      var of = c.shard.elements.get(c.posting._index);
      for (var i = 0; i < of.refs.length; i++) {
        var elements = flat.get(of.refs[i]);
        if (!elements) flat.set(of.refs[i], (elements = []));
        elements.push(c.posting._index, of.scores[i]);
      }
    });
    var fieldVectors = {};
    flat.forEach(function (elements, ref) { fieldVectors[ref] = new lunr.Vector(elements); });
    return new lunr.Index({
      invertedIndex: invertedIndex,
      fieldVectors: fieldVectors,
      tokenSet: lunr.TokenSet.fromArray(terms.slice().sort()), // lunr's TokenSet wants UTF-16 order
      fields: fields,
      pipeline: pipeline,
    });
  }

  // ------------------------------------------------------------------ search

  function createSearch(options) {
    var lunr = options.lunr;
    var base = options.base === undefined ? "/search/" : options.base;
    var version = options.version === undefined ? "" : String(options.version);
    var fetchJson = options.fetchJson;
    if (typeof fetchJson !== "function") throw new TypeError("createSearch: options.fetchJson is required");
    // the caches' bounds (options for the tests only)
    var wordCacheSize = options.wordCacheSize === undefined ? WORD_CACHE_SIZE : options.wordCacheSize;
    var wordCacheHits = options.wordCacheHits === undefined ? WORD_CACHE_HITS : options.wordCacheHits;
    var fileCacheBytes = options.fileCacheBytes === undefined ? FILE_CACHE_BYTES : options.fileCacheBytes;

    var terms = null; // terms.json, with separator, pipeline, catalog and its lexicon added
    var loading = null;
    var files = new Map(); // "terms/<key>" or "people/<n>" -> {value, bytes}, least recent first
    var fileBytes = 0;
    var pending = new Map(); // same keys -> Promise of value
    var wordCache = new Map(); // word -> its plan (see plan()), least recent first
    var counts = { fetches: 0, builds: 0 };

    function url(path) {
      return base + path + "?v=" + encodeURIComponent(version);
    }

    function fetchCounted(path) {
      counts.fetches++;
      return fetchJson(url(path));
    }

    function ready() {
      if (!loading) {
        loading = fetchCounted("terms.json").then(function (data) {
          var separator = separatorPattern(data.separator);
          lunr.tokenizer.separator = separator;
          terms = {
            data: data,
            separator: separator,
            pipeline: lunr.Pipeline.load(data.pipeline),
            catalog: lunr.Index.load(data.catalog),
            catalogLexicon: lexiconOfIndex(data.catalog),
            keys: new Set(data.termFiles),
          };
        }, function (error) {
          loading = null; // a later call tries again
          throw error;
        });
      }
      return loading;
    }

    /* A file from the cache (marked recently used) or fetched once; open(value) -> {value, bytes}. */
    function load(path, open) {
      var cached = files.get(path);
      if (cached) {
        files.delete(path);
        files.set(path, cached);
        return Promise.resolve(cached.value);
      }
      if (!pending.has(path)) {
        pending.set(path, fetchCounted(path + ".json").then(function (data) {
          var entry = open(data);
          files.set(path, entry);
          fileBytes += entry.bytes;
          pending.delete(path);
          return entry.value;
        }, function (error) {
          pending.delete(path);
          throw error;
        }));
      }
      return pending.get(path);
    }

    /* Drops the least recently used files and words beyond the bounds (after a search: the
       files it needed are in use until then). */
    function trimCaches() {
      var oldest = files.keys();
      while (fileBytes > fileCacheBytes && files.size > 0) {
        var path = oldest.next().value;
        fileBytes -= files.get(path).bytes;
        files.delete(path);
      }
      var held = 0; // hits (people and catalog) the cached words hold
      wordCache.forEach(function (entry) { held += entry.hits.length + (entry.peopleHits || []).length; });
      var words = wordCache.keys();
      while (wordCache.size > wordCacheSize || (held > wordCacheHits && wordCache.size > 0)) {
        var entry = wordCache.get(words.next().value);
        held -= entry.hits.length + (entry.peopleHits || []).length;
        wordCache.delete(entry.word);
      }
    }

    function openTermFile(data) {
      var lex = lexicon(data.terms, data.df);
      lex.shard = data.shard;
      var bytes = 0;
      data.terms.forEach(function (t) { bytes += t.length + 12; });
      return { value: lex, bytes: bytes };
    }

    var EMPTY = lexicon([], []);

    /* The people lexicon of a word's first character ({terms, df, shard}). */
    function termFile(word) {
      var key = termKey(word);
      if (!terms.keys.has(key)) return Promise.resolve(EMPTY);
      return load("terms/" + key, openTermFile);
    }

    function shard(number) {
      return load("people/" + number, function (data) {
        var opened = openShard(data);
        return { value: opened, bytes: opened.bytes };
      });
    }

    /* A word's plan: its expansions in both indexes, the shards of its people terms and its
       catalog hits [[position, score]]; peopleHits: its people-index hits [[ref, score]], once its
       shards are loaded (the lunr query's results: a repeated word runs no query at all). */
    function plan(word, lex) {
      var stem = porterStem(word);
      var found = expand([lex, terms.catalogLexicon], word, stem);
      var shardOfTerm = new Map();
      found[0].forEach(function (e) { shardOfTerm.set(e.term, lex.shard[lex.position.get(e.term)]); });
      var hits = runExpansions(terms.catalog, found[1]).map(function (r) { return [Number(r.ref), r.score]; });
      return { word: word, people: found[0], catalog: found[1], shardOfTerm: shardOfTerm, hits: hits,
        peopleHits: found[0].length ? null : [] };
    }

    /* Builds a word's small index from the opened shards (Map number -> shard) it needs and
       keeps its hits. */
    function build(entry, opened) {
      if (entry.peopleHits) return;
      var index = smallIndex(lunr, entry.people.map(function (e) { return e.term; }),
        function (term) { return opened.get(entry.shardOfTerm.get(term)); }, terms.data.fields, terms.pipeline);
      entry.peopleHits = runExpansions(index, entry.people).map(function (r) {
        return [Number(r.ref), r.score];
      });
      counts.builds++;
    }

    function exactPositions(words) {
      var exact = terms.data.exact || {};
      var key = words.join(" ");
      return Object.prototype.hasOwnProperty.call(exact, key) ? exact[key] : [];
    }

    /* mentorsWith for every catalog position in `positions`: Promise<Map position -> refs>. */
    function mentorsOfPositions(positions, mentorsWith) {
      var unique = [];
      positions.forEach(function (p) { if (unique.indexOf(p) === -1) unique.push(p); });
      return Promise.all(unique.map(function (position) {
        var name = terms.data.catalogRefs[position];
        var colon = name.indexOf(":");
        return Promise.resolve(mentorsWith(name.slice(0, colon), name.slice(colon + 1)));
      })).then(function (lists) {
        var having = new Map();
        unique.forEach(function (p, i) { having.set(p, lists[i] ? Array.from(lists[i]) : []); });
        return having;
      });
    }

    /* Every word preferred, none required: at least half of the words must match, and a mentor's
       score is matched words + sum / (sum + 1), plus EXACT_NAME_BONUS when the query is exactly
       the name of a term or program the mentor has (generator.search.index.search). */
    function score(entries, exact, having) {
      var sums = new Map();
      var matched = new Map();
      entries.forEach(function (entry) {
        var hits = new Map();
        entry.peopleHits.forEach(function (hit) { hits.set(hit[0], hit[1]); });
        entry.hits.forEach(function (hit) {
          having.get(hit[0]).forEach(function (ref) { hits.set(ref, (hits.get(ref) || 0) + hit[1]); });
        });
        hits.forEach(function (s, ref) {
          sums.set(ref, (sums.get(ref) || 0) + s);
          matched.set(ref, (matched.get(ref) || 0) + 1);
        });
      });
      var needed = Math.floor((entries.length + 1) / 2);
      var exactRefs = new Set();
      exact.forEach(function (p) { having.get(p).forEach(function (ref) { exactRefs.add(ref); }); });
      var scores = [];
      sums.forEach(function (total, ref) {
        if (matched.get(ref) >= needed) {
          scores.push([ref, matched.get(ref) + (exactRefs.has(ref) ? EXACT_NAME_BONUS : 0) + total / (total + 1)]);
        }
      });
      return scores.sort(byScoreThenRef);
    }

    /* The cached plan of each word (marked recently used), made from its term file if needed. */
    function plans(words) {
      return Promise.all(words.map(function (word) {
        var cached = wordCache.get(word);
        if (cached) {
          wordCache.delete(word);
          wordCache.set(word, cached);
          return cached;
        }
        return termFile(word).then(function (lex) {
          var entry = wordCache.get(word) || plan(word, lex);
          wordCache.set(word, entry);
          return entry;
        });
      }));
    }

    function search(text, mentorsWith) {
      return ready().then(function () {
        var words = queryWords(lunr, text, terms.separator, terms.data.stopWords);
        if (words.length === 0) return [];
        return plans(words).then(function (entries) {
          var numbers = [];
          var positions = exactPositions(words).slice();
          entries.forEach(function (entry) {
            if (!entry.peopleHits) {
              entry.shardOfTerm.forEach(function (n) { if (numbers.indexOf(n) === -1) numbers.push(n); });
            }
            entry.hits.forEach(function (hit) { positions.push(hit[0]); });
          });
          return Promise.all([mentorsOfPositions(positions, mentorsWith), Promise.all(numbers.map(shard))])
            .then(function (loaded) {
              var opened = new Map();
              numbers.forEach(function (n, i) { opened.set(n, loaded[1][i]); });
              entries.forEach(function (entry) { build(entry, opened); });
              var found = score(entries, exactPositions(words), loaded[0]);
              trimCaches();
              return found;
            });
        });
      });
    }

    /* A word's expansions (for the tests): Promise<{people: [[term, boost]], catalog: [...]}>. */
    function expansions(word) {
      return ready().then(function () { return plans([word]); }).then(function (entries) {
        function pairs(list) { return list.map(function (e) { return [e.term, e.boost]; }); }
        return { people: pairs(entries[0].people), catalog: pairs(entries[0].catalog) };
      });
    }

    return {
      ready: ready,
      search: search,
      expansions: expansions,
      stats: function () { return { fetches: counts.fetches, builds: counts.builds }; },
    };
  }

  return {
    createSearch: createSearch,
    fold: fold,
    trim: trim,
    tokenize: tokenize,
    separatorPattern: separatorPattern,
    queryWords: queryWords,
    termKey: termKey,
    stem: porterStem,
    editDistance: editDistance,
    compareTerms: compareTerms,
    expand: expand,
    lexicon: lexicon,
  };
});

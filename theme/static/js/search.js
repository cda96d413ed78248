/*
 * The directory's text search, for the browser and for Node (the parity tests).
 *
 *   var s = MentorSearch.createSearch({ lunr: window.lunr, base: "/search/", version: "abc123",
 *                                       fetchJson: MentorDom.fetchJson });
 *   // fetchJson(url) → Promise<object>: theme/js/dom.js's in the browser, a file reader in tests
 *   s.ready()                     // Promise: terms.json loaded (catalog index + term list)
 *   s.search(text, mentorsWith)   // Promise<[[ref, score], ...]>, best first, ties by ref ascending
 *
 * A ref is a mentor's number in the search files: its position in the ref order
 * (generator/search/order.py). mentorsWith(param, value) returns the refs (ascending) of the
 * mentors having a filter value ("specialty", "cardiology") or a program ("program",
 * "<program id>"), or a Promise of them; the calls of one search are awaited together, and
 * with the shard loads. search.js never needs mentor ids.
 *
 * Files (written by generator/search/shards.py): search/terms.json is loaded first — the
 * catalog lunr index (vocabulary terms and programs; catalogRefs[ref] is "<param>:<id>"),
 * every term of the people index (names and bios) and the first term of each
 * shard; search/people/<n>.json are shards of the people index, each a valid serialized lunr
 * index holding contiguous sorted terms.
 *
 * For each query word the expansions lunr's Index.query would look up (the exact stemmed term,
 * the prefix, the typos) are computed over the term list with lunr.TokenSet, only the shards
 * holding them are fetched (once, in parallel), the word's shards are merged into one
 * serialized index (kept for the next word needing the same shards) and queried with lunr.
 * lunr divides a score by the query vector's magnitude, which only depends on the word's
 * expansions — all present in the merged index — so the scores are those of the unsharded
 * index (see generator/search/shards.py).
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

  // ------------------------------------------------------------------ text

  var EXACT_BOOST = 10;
  var PREFIX_BOOST = 3;
  var FUZZY_BOOST = 1;
  var PREFIX_MIN_LENGTH = 2;
  var FUZZY_MIN_LENGTH = 5;
  var FUZZY_TWO_EDITS_LENGTH = 9;
  var EXACT_NAME_BONUS = 1;

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

  /* Adds one word's clauses to a lunr.Query: exact (stemmed), prefix and, if `typos`,
     typo-tolerant (none below 5 letters, one edit from 5, two from 9). */
  function wordClauses(lunr, q, word, typos) {
    q.term(word, { usePipeline: true, boost: EXACT_BOOST });
    if (length(word) >= PREFIX_MIN_LENGTH) {
      q.term(word, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: PREFIX_BOOST });
    }
    if (typos && length(word) >= FUZZY_MIN_LENGTH) {
      var distance = length(word) >= FUZZY_TWO_EDITS_LENGTH ? 2 : 1;
      q.term(word, { usePipeline: true, editDistance: distance, boost: FUZZY_BOOST });
    }
  }

  function wordQuery(lunr, index, word, typos) {
    return index.query(function (q) { wordClauses(lunr, q, word, typos); });
  }

  /* The terms of tokenSet one word's query looks up, expanded as lunr's Index.query does. */
  function wordExpansions(lunr, tokenSet, pipeline, fields, word, typos) {
    var query = new lunr.Query(fields);
    wordClauses(lunr, query, word, typos);
    var found = [];
    query.clauses.forEach(function (clause) {
      var terms = clause.usePipeline ? pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
      terms.forEach(function (term) {
        var expanded = tokenSet.intersect(lunr.TokenSet.fromClause(Object.assign({}, clause, { term: term })));
        expanded.toArray().forEach(function (t) { if (found.indexOf(t) === -1) found.push(t); });
      });
    });
    return found;
  }

  /* The shard holding term: the last whose first term is not after it. */
  function shardOf(firstTerms, term) {
    var lo = 0;
    var hi = firstTerms.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firstTerms[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /* One serialized lunr index from shards (numbers in order: their terms are contiguous). */
  function mergeShards(shards, fields, pipeline, version) {
    var inverted = [];
    var vectors = new Map();
    shards.forEach(function (shard) {
      shard.invertedIndex.forEach(function (entry) { inverted.push(entry); });
      shard.fieldVectors.forEach(function (tuple) {
        var pairs = vectors.get(tuple[0]);
        if (!pairs) vectors.set(tuple[0], (pairs = []));
        var elements = tuple[1];
        for (var i = 0; i < elements.length; i += 2) pairs.push([elements[i], elements[i + 1]]);
      });
    });
    var fieldVectors = [];
    vectors.forEach(function (pairs, ref) {
      pairs.sort(function (a, b) { return a[0] - b[0]; });
      var elements = [];
      pairs.forEach(function (p) { elements.push(p[0], p[1]); });
      fieldVectors.push([ref, elements]);
    });
    return { version: version, fields: fields, fieldVectors: fieldVectors, invertedIndex: inverted, pipeline: pipeline };
  }

  function byScoreThenRef(a, b) {
    return b[1] - a[1] || a[0] - b[0];
  }

  // ------------------------------------------------------------------ search

  /* How many per-word indexes to keep (each covers a few shards). */
  var MAX_INDEXES = 16;

  function createSearch(options) {
    var lunr = options.lunr;
    var base = options.base === undefined ? "/search/" : options.base;
    var version = options.version === undefined ? "" : String(options.version);
    var fetchJson = options.fetchJson;
    if (typeof fetchJson !== "function") throw new TypeError("createSearch: options.fetchJson is required");

    var terms = null; // terms.json, with separator, tokenSet, pipeline and catalog added
    var loading = null;
    var shards = new Map(); // number -> serialized shard
    var pending = new Map(); // number -> Promise
    var indexes = new Map(); // "shard numbers" -> lunr.Index over them, least recently used first

    function url(path) {
      return base + path + "?v=" + encodeURIComponent(version);
    }

    function ready() {
      if (!loading) {
        loading = fetchJson(url("terms.json")).then(function (data) {
          var separator = separatorPattern(data.separator);
          lunr.tokenizer.separator = separator;
          terms = {
            data: data,
            separator: separator,
            tokenSet: lunr.TokenSet.fromArray(data.terms),
            pipeline: lunr.Pipeline.load(data.pipeline),
            catalog: lunr.Index.load(data.catalog),
          };
        }, function (error) {
          loading = null; // a later call tries again
          throw error;
        });
      }
      return loading;
    }

    function loadShard(number) {
      if (shards.has(number)) return Promise.resolve();
      if (!pending.has(number)) {
        pending.set(number, fetchJson(url("people/" + number + ".json")).then(function (shard) {
          shards.set(number, shard);
          pending.delete(number);
        }, function (error) {
          pending.delete(number);
          throw error;
        }));
      }
      return pending.get(number);
    }

    /* A lunr index over exactly the shards `numbers` (sorted), kept for the next query that
       needs the same ones. Each word gets the index of its own shards, so its cost does not grow
       with every shard loaded so far; it holds every expansion of the word, hence the same scores. */
    function peopleIndex(numbers) {
      var key = numbers.join(",");
      var index = indexes.get(key);
      if (index === undefined) {
        var data = terms.data;
        var version = numbers.length ? shards.get(numbers[0]).version : data.catalog.version;
        index = lunr.Index.load(mergeShards(numbers.map(function (n) { return shards.get(n); }),
          data.fields, data.pipeline, version));
        if (indexes.size >= MAX_INDEXES) indexes.delete(indexes.keys().next().value);
      }
      indexes.delete(key);
      indexes.set(key, index); // most recently used last
      return index;
    }

    /* A word known to either index exactly or as a prefix gets no typo clause, so that a typo
       match never outranks an exact one (generator.search.index.typos_allowed). */
    function typosAllowed(word) {
      var catalog = terms.catalog;
      return (
        wordExpansions(lunr, terms.tokenSet, terms.pipeline, terms.data.fields, word, false).length === 0 &&
        wordExpansions(lunr, catalog.tokenSet, catalog.pipeline, catalog.fields, word, false).length === 0
      );
    }

    /* The catalog hits of each word (catalog positions and scores) and the catalog positions
       a query equal to a name names (terms.json's exact: generator.search.index.exact_names). */
    function catalogHits(words, typos) {
      return words.map(function (word, i) {
        return wordQuery(lunr, terms.catalog, word, typos[i]).map(function (r) { return [Number(r.ref), r.score]; });
      });
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
    function score(words, typos, shardsOfWord, catalog, exact, having) {
      var sums = new Map();
      var matched = new Map();
      for (var i = 0; i < words.length; i++) {
        var hits = new Map();
        var people = peopleIndex(shardsOfWord[i]);
        wordQuery(lunr, people, words[i], typos[i]).forEach(function (r) { hits.set(Number(r.ref), r.score); });
        catalog[i].forEach(function (hit) {
          having.get(hit[0]).forEach(function (ref) { hits.set(ref, (hits.get(ref) || 0) + hit[1]); });
        });
        hits.forEach(function (s, ref) {
          sums.set(ref, (sums.get(ref) || 0) + s);
          matched.set(ref, (matched.get(ref) || 0) + 1);
        });
      }
      var needed = Math.floor((words.length + 1) / 2);
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

    function search(text, mentorsWith) {
      return ready().then(function () {
        var words = queryWords(lunr, text, terms.separator, terms.data.stopWords);
        if (words.length === 0) return [];
        var data = terms.data;
        var needed = [];
        var typos = words.map(typosAllowed);
        var shardsOfWord = words.map(function (word, i) {
          var numbers = [];
          wordExpansions(lunr, terms.tokenSet, terms.pipeline, data.fields, word, typos[i]).forEach(function (term) {
            var n = shardOf(data.shards, term);
            if (numbers.indexOf(n) === -1) numbers.push(n);
            if (needed.indexOf(n) === -1) needed.push(n);
          });
          return numbers.sort(function (a, b) { return a - b; });
        });
        var catalog = catalogHits(words, typos);
        var exact = exactPositions(words);
        var positions = exact.slice();
        catalog.forEach(function (hits) { hits.forEach(function (hit) { positions.push(hit[0]); }); });
        return Promise.all([mentorsOfPositions(positions, mentorsWith), Promise.all(needed.map(loadShard))])
          .then(function (loaded) {
            return score(words, typos, shardsOfWord, catalog, exact, loaded[0]);
          });
      });
    }

    return {
      ready: ready,
      search: search,
      loadedShards: function () { return Array.from(shards.keys()); },
    };
  }

  return {
    createSearch: createSearch,
    fold: fold,
    trim: trim,
    tokenize: tokenize,
    separatorPattern: separatorPattern,
    queryWords: queryWords,
    wordQuery: wordQuery,
    wordExpansions: wordExpansions,
    shardOf: shardOf,
    mergeShards: mergeShards,
  };
});

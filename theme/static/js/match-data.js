/*
 * The match page's data: decodes the packed match/mentors.json written by
 * generator/site/match_pack.py (its docstring describes the format) into the mentors
 * matcher.js's buildIndex reads, in rank order (by id), each with `id` = its rank (a small
 * integer: ranks sort as the ids do, so the matcher's order and ties are the same) and
 * `name` null. Ids and names are in match/names/<k>.json, loaded only for the cards shown
 * (namesFiles tells which files a set of ranks needs, setNames fills them in; an id written
 * null there is derivedId(name)); all the ids (match/ids.json) only when the mentee types
 * mentor ids (withIds gives the mentors with them).
 *
 *   MentorMatchData.decode(packed)    // {version, vocabulary, networks, mentors, perFile, files}
 *   MentorMatchData.people(count)     // {ids: [], names: []}: what the names files filled in
 *   MentorMatchData.namesFiles(ranks, perFile)          // the names files ranks need, sorted
 *   MentorMatchData.setNames(people, k, perFile, file)  // names file k into people
 *   MentorMatchData.withIds(mentors, ids)               // the mentors with their ids
 *   MentorMatchData.derivedId(name)   // the id a name gives, or null (match_pack.derived_id)
 *
 * Works in the browser (window.MentorMatchData) and in Node (module.exports: the tests decode
 * with it and compare with the Python packer's input).
 */
(function (root) {
  "use strict";

  var FORMAT = 4;
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var HALF = 32;
  // [field, whether it is a list], in generator/site/match_pack.py's PACKED_FIELDS order
  var FIELDS = [
    ["program", false],
    ["profession", false],
    ["stage", false],
    ["specialties", true],
    ["areas", true],
    ["affinities", true],
    ["languages", true],
    ["meeting", true],
    ["state", false],
    ["timezone", false],
    ["capacity", false],
    ["accepting", false],
  ];
  var DIGIT = new Int8Array(128).fill(-1);
  for (var d = 0; d < ALPHABET.length; d++) DIGIT[ALPHABET.charCodeAt(d)] = d;

  function broken(field, what) {
    return new Error("match/mentors.json: column " + field + " " + what);
  }

  function digit(field, data, at) {
    var code = data.charCodeAt(at);
    var value = code < 128 ? DIGIT[code] : -1;
    if (value < 0) throw broken(field, "has a stray character");
    return value;
  }

  /** A scalar column: each mentor's index into its values, in the column's order. */
  function scalars(field, column, count) {
    var data = column.data;
    var width = column.width;
    if (data.length !== count * width) throw broken(field, "does not fit its mentors");
    var out = new Array(count);
    for (var i = 0, at = 0; i < count; i++) {
      var index = 0;
      for (var k = 0; k < width; k++, at++) index = index * 64 + digit(field, data, at);
      if (index >= column.values.length) throw broken(field, "names a missing value");
      out[i] = index;
    }
    return out;
  }

  /** A list column: each value's rows, read from their gaps, added to `lists` (one per row). */
  function sets(field, column, lists) {
    if (column.rows.length !== column.values.length) throw broken(field, "has not one row list per value");
    column.values.forEach(function (value, v) {
      var data = column.rows[v];
      var row = -1;
      var gap = 0;
      var pending = false;
      for (var at = 0; at < data.length; at++) {
        var dg = digit(field, data, at);
        gap = gap * HALF + (dg % HALF);
        pending = dg >= HALF;
        if (pending) continue;
        row += gap + 1;
        gap = 0;
        if (row >= lists.length) throw broken(field, "names a missing mentor");
        lists[row].push(value);
      }
      if (pending) throw broken(field, "ends early");
    });
  }

  function decode(packed) {
    if (!packed || packed.format !== FORMAT) throw new Error("match/mentors.json is not of format " + FORMAT);
    var count = packed.count;
    var columns = packed.columns;
    var programs = scalars("program", columns.program, count);
    // rows: by program (values order), then rank; the program column turns ranks into rows
    var start = new Array(columns.program.values.length).fill(0);
    programs.forEach(function (p) {
      start[p] += 1;
    });
    for (var p = 0, total = 0; p < start.length; p++) {
      var size = start[p];
      start[p] = total;
      total += size;
    }
    var mentors = new Array(count);
    var rows = new Array(count);
    for (var rank = 0; rank < count; rank++) {
      var m = { id: rank, name: null, program: columns.program.values[programs[rank]] };
      mentors[rank] = m;
      rows[start[programs[rank]]++] = m;
    }
    FIELDS.forEach(function (f) {
      var field = f[0];
      if (field === "program") return;
      var column = columns[field];
      if (f[1]) {
        var lists = rows.map(function (row) {
          return (row[field] = []);
        });
        sets(field, column, lists);
      } else {
        scalars(field, column, count).forEach(function (index, i) {
          rows[i][field] = column.values[index];
        });
      }
    });
    return {
      version: packed.version,
      vocabulary: packed.vocabulary,
      networks: packed.networks || {},
      mentors: mentors,
      perFile: packed.names.per_file,
      files: packed.names.files,
    };
  }

  function people(count) {
    return { ids: new Array(count).fill(null), names: new Array(count).fill(null) };
  }

  function namesFiles(ranks, perFile) {
    var files = [];
    ranks.forEach(function (rank) {
      var k = Math.floor(rank / perFile);
      if (files.indexOf(k) < 0) files.push(k);
    });
    return files.sort(function (a, b) {
      return a - b;
    });
  }

  /* Latin letters (and ASCII) assigned in Unicode 1.1: every browser decomposes them as
     Python does (match_pack._latin). */
  function latin(point) {
    return point < 0x250 || (point >= 0x1e00 && point < 0x1f00);
  }

  /** The id a mentor's name gives, or null: generator/site/match_pack.py's derived_id (its part
   * before the first comma, without accents, lower case, other characters a hyphen). */
  function derivedId(name) {
    var part = String(name).split(",")[0];
    for (var i = 0; i < part.length; i++) {
      if (!latin(part.charCodeAt(i))) return null; // a surrogate (> U+FFFF) is not latin either
    }
    var folded = part.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
    return folded.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || null;
  }

  function setNames(people, k, perFile, file) {
    var start = k * perFile;
    var end = Math.min(start + perFile, people.ids.length);
    var fits = file && Array.isArray(file.ids) && Array.isArray(file.names);
    if (!fits || file.ids.length !== end - start || file.names.length !== end - start) {
      throw new Error("names file " + k + " does not fit the mentors");
    }
    for (var rank = start; rank < end; rank++) {
      var name = file.names[rank - start];
      var id = file.ids[rank - start];
      if (id === null) id = derivedId(name);
      if (typeof id !== "string" || typeof name !== "string") {
        throw new Error("names file " + k + " gives no id or name to a mentor");
      }
      people.ids[rank] = id;
      people.names[rank] = name;
    }
  }

  function withIds(mentors, ids) {
    if (!Array.isArray(ids) || ids.length !== mentors.length) throw new Error("match/ids.json does not fit the mentors");
    return mentors.map(function (m, rank) {
      var copy = Object.assign({}, m);
      copy.id = ids[rank];
      return copy;
    });
  }

  var api = {
    decode: decode,
    people: people,
    namesFiles: namesFiles,
    setNames: setNames,
    withIds: withIds,
    derivedId: derivedId,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.MentorMatchData = api;
})(typeof self !== "undefined" ? self : this);

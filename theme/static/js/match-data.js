/*
 * The match page's data: decodes the packed match/mentors.json written by
 * generator/site/match_pack.py (its docstring describes the format) into the mentors
 * matcher.js's buildIndex reads, the same objects the unpacked payload gave, with `name` left
 * null: names are in match/names/<k>.json, loaded only for the cards shown (namesFiles tells
 * which files a set of mentors needs, setNames fills them in).
 *
 *   MentorMatchData.decode(packed)     // {version, vocabulary, networks, mentors, perFile, files}
 *   MentorMatchData.namesFiles(rows, perFile)   // the names files rows (file order) need, sorted
 *   MentorMatchData.setNames(mentors, k, perFile, names)   // names of file k onto its mentors
 *
 * Works in the browser (window.MentorMatchData) and in Node (module.exports: the tests decode
 * with it and compare with the Python packer's input).
 */
(function (root) {
  "use strict";

  var FORMAT = 2;
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
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
  var DIGIT = {};
  for (var d = 0; d < ALPHABET.length; d++) DIGIT[ALPHABET.charAt(d)] = d;

  function reader(field, column) {
    var data = column.data;
    var values = column.values;
    var width = column.width;
    var at = 0;
    function char() {
      if (at >= data.length) throw new Error("match/mentors.json: column " + field + " ends early");
      var digit = DIGIT[data.charAt(at)];
      if (digit === undefined) throw new Error("match/mentors.json: column " + field + " has a stray character");
      at += 1;
      return digit;
    }
    function value() {
      var index = 0;
      for (var i = 0; i < width; i++) index = index * 64 + char();
      if (index >= values.length) throw new Error("match/mentors.json: column " + field + " names a missing value");
      return values[index];
    }
    return {
      read: function (isList) {
        if (!isList) return value();
        var n = char();
        var out = new Array(n);
        for (var i = 0; i < n; i++) out[i] = value();
        return out;
      },
      done: function () {
        return at === data.length;
      },
    };
  }

  function decode(packed) {
    if (!packed || packed.format !== FORMAT) throw new Error("match/mentors.json is not of format " + FORMAT);
    var readers = FIELDS.map(function (f) {
      return reader(f[0], packed.columns[f[0]]);
    });
    var mentors = packed.ids.map(function (id) {
      var m = { id: id, name: null };
      FIELDS.forEach(function (f, i) {
        m[f[0]] = readers[i].read(f[1]);
      });
      return m;
    });
    readers.forEach(function (r, i) {
      if (!r.done()) throw new Error("match/mentors.json: column " + FIELDS[i][0] + " is longer than its mentors");
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

  function namesFiles(rows, perFile) {
    var files = [];
    rows.forEach(function (row) {
      var k = Math.floor(row / perFile);
      if (files.indexOf(k) < 0) files.push(k);
    });
    return files.sort(function (a, b) {
      return a - b;
    });
  }

  function setNames(mentors, k, perFile, names) {
    var start = k * perFile;
    var end = Math.min(start + perFile, mentors.length);
    if (!Array.isArray(names) || names.length !== end - start) throw new Error("names file " + k + " does not fit the mentors");
    for (var row = start; row < end; row++) mentors[row].name = names[row - start];
  }

  var api = { decode: decode, namesFiles: namesFiles, setNames: setNames };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.MentorMatchData = api;
})(typeof self !== "undefined" ? self : this);

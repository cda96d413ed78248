/*
 * MentorMeMed matcher: the bot's scorer and team selection, run on the mentee's device.
 *
 * A port of generator/matching/scoring.py (score, hard constraints, reasons) and generator/matching/team.py
 * (match_team: greedy selection by marginal gain, covers, explanation) restricted to the
 * PUBLIC data of directory.json: private affinities are never published, and current load
 * is unknown (0 for every mentor unless a load map is given). Weights come from
 * matching.json, which the build writes from schemas/matching.yml.
 *
 * Additions happen in the same order as in Python (docs/matching.md), so scores are equal
 * to the last bit; tests/site/test_matcher_parity.py checks teams, order and
 * scores on generated cases. No framework, no network, no storage: pure functions.
 *
 * Usable from Node (module.exports) and from the browser (window.MentorMatcher).
 */
(function (root) {
  "use strict";

  var CONSTRAINT_WORDS = {
    accepting: "accepting new mentees",
    capacity: "with a place free",
    affinities: "sharing an affinity you require (one per team is enough)",
    languages: "speaking a language you require",
    meeting: "able to meet the way you require",
    profession: "in your profession",
    state: "working in your state",
  };
  var NAMED_WORDS = {
    accepting: "is not accepting new mentees",
    capacity: "has no place free",
  };
  var MUST_WORDS = "does not meet a requirement you marked as a must";
  var NOT_NEEDED = "was not needed: the team was full with closer fits";

  function byId(a, b) {
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  function lookup(obj, key) {
    return key !== null && key !== undefined && has(obj, key) ? obj[key] : null;
  }

  function list(value) {
    return Array.isArray(value) ? value : [];
  }

  // ------------------------------------------------------------------ profiles

  /** The mentors of the directory as matching profiles, sorted by id (the engine's order). */
  function buildIndex(mentors, config) {
    var urim = new Set(config.urim);
    var profiles = mentors.map(function (m) {
      var offset = m.timezone ? lookup(config.timezone_utc_offset, m.timezone) : null;
      if (offset === null && m.state) offset = lookup(config.state_utc_offset, m.state);
      var affinities = new Set(list(m.affinities));
      var isProtected = false;
      affinities.forEach(function (a) {
        if (urim.has(a)) isProtected = true;
      });
      var rank = lookup(config.stage_order, m.stage);
      return {
        id: m.id,
        name: m.name,
        url: m.url,
        program: m.program,
        profession: m.profession,
        stage: m.stage,
        stageRank: rank === null ? 0 : rank,
        specialties: new Set(list(m.specialties)),
        areas: new Set(list(m.areas)),
        affinities: affinities,
        languages: new Set(list(m.languages)),
        meeting: new Set(list(m.meeting)),
        state: m.state || null,
        utcOffset: offset,
        capacity: m.capacity,
        accepting: m.accepting,
        isProtected: isProtected,
      };
    });
    profiles.sort(byId);
    var row = new Map();
    profiles.forEach(function (p, i) {
      row.set(p.id, i);
    });
    // columns for the per-request loops over every mentor: per set field, per value, which
    // rows have it (1/0), and each row's program as a number
    var holders = {};
    SET_FIELDS.forEach(function (field) {
      var byValue = new Map();
      profiles.forEach(function (p, r) {
        p[field].forEach(function (value) {
          var rows = byValue.get(value);
          if (!rows) byValue.set(value, (rows = new Uint8Array(profiles.length)));
          rows[r] = 1;
        });
      });
      holders[field] = byValue;
    });
    var programCodes = new Map();
    var program = new Int32Array(profiles.length);
    var isProtected = new Uint8Array(profiles.length);
    // with no mentee yet (the page knows no load): who is accepting, who has a place, the load part
    var accepting = new Uint8Array(profiles.length);
    var place = new Uint8Array(profiles.length);
    var freeLoad = new Float64Array(profiles.length);
    profiles.forEach(function (p, r) {
      if (!programCodes.has(p.program)) programCodes.set(p.program, programCodes.size);
      program[r] = programCodes.get(p.program);
      isProtected[r] = p.isProtected ? 1 : 0;
      accepting[r] = constraintHolds("accepting", null, p, 0) ? 1 : 0;
      place[r] = constraintHolds("capacity", null, p, 0) ? 1 : 0;
      freeLoad[r] = -loadCost(0, p.capacity, config);
    });
    return {
      config: config,
      profiles: profiles,
      row: row,
      size: profiles.length,
      holders: holders,
      program: program,
      programs: programCodes.size,
      isProtected: isProtected,
      free: { accepting: accepting, capacity: place, load: freeLoad },
    };
  }

  var SET_FIELDS = ["specialties", "areas", "affinities", "languages", "meeting"];
  var NONE = new Uint8Array(0);

  /** Which rows have `value` in the set `field` (1/0; NONE, all 0, when no row has it). */
  function holdersOf(index, field, value) {
    return index.holders[field].get(value) || NONE;
  }

  /** Which rows have any of `values` in the set `field`, as 1/0. */
  function holdersOfAny(index, field, values) {
    var out = new Uint8Array(index.size);
    values.forEach(function (value) {
      var rows = holdersOf(index, field, value);
      for (var r = 0; r < rows.length; r++) if (rows[r]) out[r] = 1;
    });
    return out;
  }

  function rankWeight(config, index) {
    var r = config.rank_weights;
    return r[Math.min(index, r.length - 1)];
  }

  /** The scoring view of a request (generator.matching.scoring.request_profile). */
  function requestProfile(request, config) {
    var w = config.weights;
    var needs = list(request.needs);
    var affinities = list(request.affinities);
    var needPoints = needs.map(function (_, i) {
      return w.need * rankWeight(config, i);
    });
    var affinityPoints = affinities.map(function (_, i) {
      return w.affinity * rankWeight(config, i);
    });
    var affinityCovers = affinities.map(function (_, i) {
      return config.team.cover_affinity * rankWeight(config, i);
    });
    var maxPoints = 0.0;
    affinityPoints.concat(needPoints).forEach(function (v) {
      maxPoints += v;
    });
    var asked = [
      [w.specialty, list(request.specialties).length > 0],
      [w.stage_ahead, !!request.stage],
      [w.profession, !!request.profession],
      [w.language, list(request.languages).length > 0],
      [w.meeting, list(request.meeting).length > 0],
      [w.same_state, !!request.state],
      [w.named, list(request.mentors).length > 0],
    ];
    asked.forEach(function (pair) {
      if (pair[1]) maxPoints += pair[0];
    });
    var must = new Set(list(request.must));
    var languages = list(request.languages);
    var specialties = list(request.specialties);
    // what the mentee asked for that a team covers, in quilt order (scoring.asked_items)
    var items = needs.map(function (n) {
      return ["need", n];
    });
    affinities.forEach(function (a) {
      items.push(["identity", a]);
    });
    if (languages.length) items.push(["language", languages[0]]);
    if (specialties.length) items.push(["specialty", ""]);
    list(request.mentors).forEach(function (m) {
      items.push(["named", m]);
    });
    return {
      needs: needs,
      needPoints: needPoints,
      affinities: affinities,
      affinityPoints: affinityPoints,
      affinityCovers: affinityCovers,
      specialties: specialties,
      stageRank: request.stage ? lookup(config.stage_order, request.stage) : null,
      profession: request.profession || null,
      languages: languages,
      firstLanguage: languages.length ? languages[0] : null,
      meeting: list(request.meeting),
      state: request.state || null,
      utcOffset: request.state ? lookup(config.state_utc_offset, request.state) : null,
      named: new Set(list(request.mentors)),
      must: config.hard_constraints.filter(function (name) {
        return must.has(name);
      }),
      teamSize: request.team_size === undefined ? 3 : request.team_size,
      maxPoints: maxPoints,
      items: items,
    };
  }

  function isTeamMust(config, name) {
    return config.team_musts.indexOf(name) >= 0;
  }

  /** The items of the request each mentor (row) brings, as bits (scoring.item_mask of every
   * mentor, scoring.has_item), one item at a time over all of them. */
  function itemMasks(req, index) {
    var masks = new Array(index.size).fill(0);
    req.items.forEach(function (item, bit) {
      var flag = 1 << bit;
      var kind = item[0];
      var key = item[1];
      if (kind === "named") {
        if (index.row.has(key)) masks[index.row.get(key)] |= flag;
        return;
      }
      var rows;
      if (kind === "need") rows = holdersOf(index, "areas", key);
      else if (kind === "identity") rows = holdersOf(index, "affinities", key);
      else if (kind === "language") rows = holdersOf(index, "languages", key);
      else if (kind === "specialty") rows = holdersOfAny(index, "specialties", req.specialties);
      else throw new Error("unknown item kind " + kind);
      for (var r = 0; r < rows.length; r++) if (rows[r]) masks[r] |= flag;
    });
    return masks;
  }

  // ------------------------------------------------------------------ hard constraints

  function anyIn(wanted, offered) {
    for (var i = 0; i < wanted.length; i++) if (offered.has(wanted[i])) return true;
    return false;
  }

  function constraintHolds(name, req, mentor, load) {
    switch (name) {
      case "accepting":
        return mentor.accepting;
      case "capacity":
        return load < mentor.capacity;
      case "affinities":
        return anyIn(req.affinities, mentor.affinities);
      case "languages":
        return anyIn(req.languages, mentor.languages);
      case "meeting":
        return anyIn(req.meeting, mentor.meeting);
      case "profession":
        return req.profession !== null && mentor.profession === req.profession;
      case "state":
        return req.state !== null && mentor.state === req.state;
      default:
        throw new Error("unknown constraint " + name);
    }
  }

  /** constraintHolds for every row (1/0), from the index's columns where it has them. */
  function constraintColumn(name, req, index, loads) {
    if (!loads.any && (name === "accepting" || name === "capacity")) return index.free[name];
    if (name === "affinities") return holdersOfAny(index, "affinities", req.affinities);
    if (name === "languages") return holdersOfAny(index, "languages", req.languages);
    if (name === "meeting") return holdersOfAny(index, "meeting", req.meeting);
    var column = new Uint8Array(index.size);
    for (var r = 0; r < index.size; r++) column[r] = constraintHolds(name, req, index.profiles[r], loads[r]) ? 1 : 0;
    return column;
  }

  /** The first hard constraint a member must meet that fails (team musts are the team's). */
  function failedConstraint(req, mentor, load, config) {
    if (!mentor.accepting) return "accepting";
    if (load >= mentor.capacity) return "capacity";
    for (var i = 0; i < req.must.length; i++) {
      if (config && isTeamMust(config, req.must[i])) continue;
      if (!constraintHolds(req.must[i], req, mentor, load)) return req.must[i];
    }
    return null;
  }

  // ------------------------------------------------------------------ scores

  function loadCost(load, capacity, config) {
    if (capacity <= 0) return config.load.weight;
    var share = Math.pow((load + 1) / capacity, config.load.exponent);
    return config.load.weight * share;
  }

  function shared(wanted, offered) {
    return wanted.filter(function (item) {
      return offered.has(item);
    });
  }

  /** The parts of the mentor's score for the request (generator.matching.scoring.score). */
  function scoreParts(req, mentor, load, config) {
    var w = config.weights;
    var affinities = 0.0;
    for (var a = 0; a < req.affinities.length; a++) {
      if (mentor.affinities.has(req.affinities[a])) affinities += req.affinityPoints[a];
    }
    var needs = 0.0;
    for (var n = 0; n < req.needs.length; n++) {
      if (mentor.areas.has(req.needs[n])) needs += req.needPoints[n];
    }
    var language = 0.0;
    // the best-ranked language the mentor speaks: the first listed earns the most
    for (var l = 0; l < req.languages.length; l++) {
      if (mentor.languages.has(req.languages[l])) {
        language = w.language * rankWeight(config, l);
        break;
      }
    }
    var peers = lookup(config.profession_peers, req.profession);
    var sameProfession =
      req.profession !== null && (peers === null ? mentor.profession === req.profession : peers.indexOf(mentor.profession) >= 0);
    var place = 0.0;
    if (req.state !== null && mentor.state === req.state) {
      place = w.same_state;
    } else if (req.utcOffset !== null && mentor.utcOffset !== null && Math.abs(req.utcOffset - mentor.utcOffset) <= 1) {
      place = w.near_timezone;
    }
    return {
      affinities: affinities,
      needs: needs,
      specialty: anyIn(req.specialties, mentor.specialties) ? w.specialty : 0.0,
      stage: req.stageRank !== null && mentor.stageRank > req.stageRank ? w.stage_ahead : 0.0,
      profession: sameProfession ? w.profession : 0.0,
      language: language,
      meeting: anyIn(req.meeting, mentor.meeting) ? w.meeting : 0.0,
      place: place,
      named: req.named.has(mentor.id) ? w.named : 0.0,
      load: -loadCost(load, mentor.capacity, config),
    };
  }

  /** The preference (every part but the load, in the configuration's order) of these parts. */
  function preferenceOf(parts, config) {
    var preference = 0.0;
    var names = config.part_names;
    for (var i = 0; i < names.length - 1; i++) preference += parts[names[i]];
    return preference;
  }

  /**
   * Every mentor's total score, score(...).total for each row, a column at a time: each part
   * is computed as scoreParts computes it and the parts are added in the same order, so each
   * total is the same number to the last bit.
   */
  function scoreTotals(req, index, loads) {
    var config = index.config;
    var w = config.weights;
    var n = index.size;
    var profiles = index.profiles;
    function weighted(field, values, points) {
      var out = new Float64Array(n); // 0.0, as scoreParts starts
      values.forEach(function (value, i) {
        var rows = holdersOf(index, field, value);
        for (var r = 0; r < rows.length; r++) if (rows[r]) out[r] += points[i];
      });
      return out;
    }
    function flag(rows, weight) {
      var out = new Float64Array(n);
      for (var r = 0; r < n; r++) out[r] = rows[r] ? weight : 0.0;
      return out;
    }
    var language = new Float64Array(n);
    var spoken = new Uint8Array(n);
    req.languages.forEach(function (value, l) {
      var rows = holdersOf(index, "languages", value);
      var points = w.language * rankWeight(config, l);
      for (var r = 0; r < rows.length; r++) {
        if (rows[r] && !spoken[r]) {
          language[r] = points;
          spoken[r] = 1;
        }
      }
    });
    // a part nobody can earn for this request is all 0.0 (left out of the sum below: x + 0.0
    // is x, and every preference starts at 0.0)
    var peers = lookup(config.profession_peers, req.profession);
    var stage = req.stageRank === null ? null : new Float64Array(n);
    var profession = req.profession === null ? null : new Float64Array(n);
    var place = req.state === null && req.utcOffset === null ? null : new Float64Array(n);
    var named = req.named.size ? new Float64Array(n) : null;
    for (var r = 0; r < n && (stage || profession || place || named); r++) {
      var mentor = profiles[r];
      if (stage) stage[r] = mentor.stageRank > req.stageRank ? w.stage_ahead : 0.0;
      if (profession) {
        var same = peers === null ? mentor.profession === req.profession : peers.indexOf(mentor.profession) >= 0;
        profession[r] = same ? w.profession : 0.0;
      }
      if (!place) {
        // nothing to compare
      } else if (req.state !== null && mentor.state === req.state) {
        place[r] = w.same_state;
      } else if (req.utcOffset !== null && mentor.utcOffset !== null && Math.abs(req.utcOffset - mentor.utcOffset) <= 1) {
        place[r] = w.near_timezone;
      }
      if (named) named[r] = req.named.has(mentor.id) ? w.named : 0.0;
    }
    var load = index.free.load;
    if (loads.any) {
      load = new Float64Array(n);
      for (var k = 0; k < n; k++) load[k] = -loadCost(loads[k], profiles[k].capacity, config);
    }
    var parts = {
      affinities: req.affinities.length ? weighted("affinities", req.affinities, req.affinityPoints) : null,
      needs: req.needs.length ? weighted("areas", req.needs, req.needPoints) : null,
      specialty: req.specialties.length ? flag(holdersOfAny(index, "specialties", req.specialties), w.specialty) : null,
      stage: stage,
      profession: profession,
      language: req.languages.length ? language : null,
      meeting: req.meeting.length ? flag(holdersOfAny(index, "meeting", req.meeting), w.meeting) : null,
      place: place,
      named: named,
    };
    var names = config.part_names;
    var columns = [];
    names.slice(0, names.length - 1).forEach(function (name) {
      if (!has(parts, name)) throw new Error("unknown score part " + name);
      if (parts[name] !== null) columns.push(parts[name]);
    });
    var totals = new Float64Array(n);
    for (var row = 0; row < n; row++) {
      var preference = 0.0;
      for (var c = 0; c < columns.length; c++) preference += columns[c][row];
      totals[row] = preference + load[row];
    }
    return totals;
  }

  /** The mentor's score for the request, with its parts (generator.matching.scoring.score). */
  function score(req, mentor, load, config) {
    var parts = scoreParts(req, mentor, load, config);
    var preference = preferenceOf(parts, config);
    return {
      total: preference + parts.load,
      preference: preference,
      parts: parts,
      needs: shared(req.needs, mentor.areas),
      sharedAffinities: shared(req.affinities, mentor.affinities),
      specialties: shared(req.specialties, mentor.specialties),
      languages: shared(req.languages, mentor.languages),
      meeting: shared(req.meeting, mentor.meeting),
    };
  }

  function label(labels, kind, id) {
    var table = labels && labels[kind];
    return table && has(table, id) ? table[id] : id;
  }

  /** Why this mentor was suggested, in words (generator.matching.scoring.reasons, public data only). */
  function reasons(req, mentor, sc, load, labels) {
    var out = [];
    function words(kind, ids) {
      return ids
        .map(function (id) {
          return label(labels, kind, id);
        })
        .join(", ");
    }
    if (sc.sharedAffinities.length) out.push("shares: " + words("affinities", sc.sharedAffinities));
    if (sc.needs.length) out.push("helps with: " + words("areas", sc.needs));
    if (sc.specialties.length) out.push(words("specialties", sc.specialties));
    if (sc.parts.stage) out.push("further along: " + label(labels, "stages", mentor.stage));
    if (sc.parts.profession) out.push("profession: " + label(labels, "professions", mentor.profession));
    if (sc.languages.length) out.push("speaks: " + words("languages", sc.languages));
    if (sc.meeting.length) {
      out.push(
        "meets: " +
          sc.meeting
            .map(function (m) {
              return label(labels, "meeting", m).toLowerCase();
            })
            .join(", ")
      );
    }
    if (sc.parts.place && mentor.state === req.state && mentor.state) {
      out.push("works in " + label(labels, "states", mentor.state));
    } else if (sc.parts.place) {
      out.push("time zone within an hour of yours");
    }
    if (sc.parts.named) out.push("you asked for this mentor");
    var free = Math.max(mentor.capacity - load, 0);
    out.push(free + " of " + mentor.capacity + " place" + (mentor.capacity !== 1 ? "s" : "") + " free");
    return out;
  }

  // ------------------------------------------------------------------ team

  /**
   * Who may be a member (mentor_index.eligibility): accepting, a place free and every member
   * must; empty when a team must (affinities) cannot be met by any of them. Steps: the
   * member constraints, then each team must with the possible members who meet it.
   */
  function eligibility(req, index, loads) {
    var config = index.config;
    var members = req.must.filter(function (name) {
      return !isTeamMust(config, name);
    });
    var teams = req.must.filter(function (name) {
      return isTeamMust(config, name);
    });
    var order = ["accepting", "capacity"].concat(members);
    var n = index.size;
    var holds = {};
    order.concat(teams).forEach(function (name) {
      holds[name] = constraintColumn(name, req, index, loads);
    });
    var mask = new Array(n).fill(true);
    var steps = [];
    order.forEach(function (name) {
      var count = 0;
      for (var r = 0; r < n; r++) {
        mask[r] = mask[r] && holds[name][r] === 1;
        if (mask[r]) count += 1;
      }
      steps.push({ constraint: name, remaining: count });
    });
    teams.forEach(function (name) {
      var count = 0;
      for (var r = 0; r < n; r++) if (mask[r] && holds[name][r]) count += 1;
      steps.push({ constraint: name, remaining: count });
    });
    function eligibleWithout(dropped) {
      var count = 0;
      var teamOk = {};
      for (var r = 0; r < n; r++) {
        var ok = holds.accepting[r] && holds.capacity[r];
        for (var k = 0; k < members.length && ok; k++) {
          if (members[k] !== dropped && !holds[members[k]][r]) ok = false;
        }
        if (!ok) continue;
        count += 1;
        teams.forEach(function (name) {
          if (holds[name][r]) teamOk[name] = true;
        });
      }
      for (var t = 0; t < teams.length; t++) {
        if (teams[t] !== dropped && !teamOk[teams[t]]) return 0;
      }
      return count;
    }
    var current = eligibleWithout(null);
    if (current === 0) mask.fill(false);
    var relax = {};
    req.must.forEach(function (name) {
      var more = eligibleWithout(name) - current;
      if (more > 0) relax[name] = more;
    });
    return { mask: mask, steps: steps, relax: relax };
  }

  /**
   * Greedy selection by marginal gain (generator.matching.team.select): candidates are the
   * open mentors; with affinities as a must and no sharer yet, only sharers of the first
   * identity one of them shares; and, if given, only rows of `among`. Adds to `chosen`
   * until the team is full.
   */
  function select(req, index, pool, chosen, among) {
    var config = index.config;
    var t = config.team;
    var keepNeed = 1.0 - t.repeat_need;
    var keepAffinity = 1.0 - t.repeat_affinity;
    var urim = new Set(config.urim);
    var masks = pool.masks;
    var mustShare = req.must.some(function (name) {
      return isTeamMust(config, name);
    });
    var identityBits = 0;
    req.items.forEach(function (item, bit) {
      if (item[0] === "identity") identityBits |= 1 << bit;
    });
    var n = index.size;
    var open = Uint8Array.from(pool.eligibility.mask, Number);
    var team = (chosen || []).slice();
    var covered = 0;
    // mentors per program (by number) in the team, and whether any is
    var programs = new Int32Array(index.programs);
    var anyProgram = false;
    team.forEach(function (p) {
      var row = index.row.get(p.mentor.id);
      open[row] = 0;
      covered |= masks[row];
      programs[index.program[row]] += 1;
      anyProgram = true;
    });
    var openCount = 0;
    for (var o = 0; o < n; o++) openCount += open[o];
    var allowed = new Uint8Array(n);
    while (team.length < req.teamSize && openCount > 0) {
      for (var z = 0; z < n; z++) allowed[z] = open[z] && (!among || among[z]) ? 1 : 0;
      if (mustShare && !(covered & identityBits)) {
        var target = null;
        for (var a = 0; a < req.affinities.length && target === null; a++) {
          var sharers = holdersOf(index, "affinities", req.affinities[a]);
          for (var q = 0; q < sharers.length; q++) {
            if (allowed[q] && sharers[q]) {
              target = sharers;
              break;
            }
          }
        }
        if (target === null) break;
        for (var x = 0; x < n; x++) if (!target[x]) allowed[x] = 0;
      }
      // what each item the mentor brings adds to the gain, in item order (a - x is a + -x
      // exactly, so the sums are Python's to the last bit); null: nothing
      var delta = req.items.map(function (item, bit) {
        var kind = item[0];
        var key = item[1];
        var done = (covered & (1 << bit)) !== 0;
        if (kind === "need") return done ? -(keepNeed * req.needPoints[req.needs.indexOf(key)]) : t.cover_need;
        if (kind === "identity") {
          var at = req.affinities.indexOf(key);
          if (done) return -(keepAffinity * req.affinityPoints[at]);
          return urim.has(key) ? req.affinityCovers[at] + t.protect : req.affinityCovers[at];
        }
        if (kind === "language") return done ? null : t.cover_language;
        if (kind === "specialty") return done ? null : t.cover_specialty;
        return null;
      });
      var best = -1;
      var bestGain = -Infinity;
      var totals = pool.totals;
      var isProtected = index.isProtected;
      var program = index.program;
      for (var r = 0; r < n; r++) {
        if (!allowed[r]) continue;
        var gain = totals[r] - (isProtected[r] ? t.protect : 0.0);
        var has = masks[r];
        for (var bit = 0; has !== 0 && bit < delta.length; bit++) {
          if (has & (1 << bit) && delta[bit] !== null) gain += delta[bit];
        }
        if (anyProgram) gain -= t.same_program * programs[program[r]];
        if (best < 0 || gain > bestGain) {
          best = r;
          bestGain = gain;
        }
      }
      if (best < 0) break;
      team.push(pool.pick(best));
      open[best] = 0;
      openCount -= 1;
      covered |= masks[best];
      programs[index.program[best]] += 1;
      anyProgram = true;
    }
    return team;
  }

  /** What a team is worth: the sum of its members' gains (generator.matching.team.team_total). */
  function teamTotal(req, team, config) {
    var t = config.team;
    var keepNeed = 1.0 - t.repeat_need;
    var keepAffinity = 1.0 - t.repeat_affinity;
    var urim = new Set(config.urim);
    var total = 0.0;
    var programs = new Map();
    var coveredNeeds = new Set();
    var shared = new Set();
    team.forEach(function (p) {
      var sc = p.score;
      total += sc.total;
      if (p.mentor.isProtected) total -= t.protect;
      sc.needs.forEach(function (n) {
        total -= keepNeed * req.needPoints[req.needs.indexOf(n)];
        coveredNeeds.add(n);
      });
      sc.sharedAffinities.forEach(function (a) {
        total -= keepAffinity * req.affinityPoints[req.affinities.indexOf(a)];
        shared.add(a);
      });
      programs.set(p.mentor.program, (programs.get(p.mentor.program) || 0) + 1);
    });
    req.needs.forEach(function (n, i) {
      if (coveredNeeds.has(n)) total += keepNeed * req.needPoints[i] + t.cover_need;
    });
    req.affinities.forEach(function (a, i) {
      if (!shared.has(a)) return;
      total += keepAffinity * req.affinityPoints[i] + req.affinityCovers[i];
      if (urim.has(a)) total += t.protect;
    });
    var first = req.firstLanguage;
    if (
      first !== null &&
      team.some(function (p) {
        return p.score.languages.indexOf(first) >= 0;
      })
    ) {
      total += t.cover_language;
    }
    if (
      team.some(function (p) {
        return p.score.specialties.length > 0;
      })
    ) {
      total += t.cover_specialty;
    }
    programs.forEach(function (count) {
      total -= (t.same_program * count * (count - 1)) / 2;
    });
    return total;
  }

  /** The mentors who beat team[i] on what it brings to the team (generator.matching.team.beaten_by). */
  function beatenBy(index, pool, team, i) {
    var masks = pool.masks;
    var rest = 0;
    team.forEach(function (p, j) {
      if (j !== i) rest |= masks[index.row.get(p.mentor.id)];
    });
    var brings = masks[index.row.get(team[i].mentor.id)] & ~rest;
    var inTeam = new Uint8Array(index.size);
    team.forEach(function (p) {
      inTeam[index.row.get(p.mentor.id)] = 1;
    });
    var better = new Array(index.size).fill(false);
    var any = false;
    var eligible = pool.eligibility.mask;
    for (var r = 0; r < index.size; r++) {
      if (!eligible[r] || inTeam[r]) continue;
      var offer = masks[r] & ~rest;
      if ((offer & brings) === brings && offer !== brings) {
        better[r] = true;
        any = true;
      }
    }
    return any ? better : null;
  }

  /** The team with no member another mentor beats (generator.matching.team.repair). */
  function repair(req, index, pool, team) {
    var current = team.slice();
    for (;;) {
      var best = null;
      var bestTotal = -Infinity;
      for (var i = 0; i < current.length; i++) {
        var better = beatenBy(index, pool, current, i);
        if (!better) continue;
        var rest = current.slice(0, i).concat(current.slice(i + 1));
        var extended = select(req, index, pool, rest, better);
        if (extended.length > rest.length) {
          var total = teamTotal(req, extended, index.config);
          if (total > bestTotal) {
            best = extended;
            bestTotal = total;
          }
        }
      }
      if (best === null) return current;
      current = best;
    }
  }

  function rankCompare(a, b) {
    if (a.score.total !== b.score.total) return b.score.total - a.score.total;
    return byId(a.mentor, b.mentor);
  }

  /** Each item goes to one member who has it: the one with fewest so far (ties: earlier). */
  function assign(items, holders) {
    var assigned = holders.map(function () {
      return [];
    });
    items.forEach(function (item) {
      var pick = -1;
      holders.forEach(function (held, i) {
        if (held.indexOf(item) < 0) return;
        if (pick < 0 || assigned[i].length < assigned[pick].length) pick = i;
      });
      if (pick >= 0) assigned[pick].push(item);
    });
    return assigned;
  }

  /** A count with thousands separators, as team._mentors prints it: "8,334" (the same as
   * directory-state.js's number, which the matcher cannot use: it runs alone in Node too). */
  function thousands(count) {
    return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function mentorsWord(count) {
    return thousands(count) + " mentor" + (count === 1 ? "" : "s");
  }

  /** Why nobody in the team has what `has` marks (an identity or a language): team._missing. */
  function missingWhy(req, index, has, final) {
    var config = index.config;
    var members = req.must.filter(function (name) {
      return !isTeamMust(config, name);
    });
    var any = false;
    var able = false;
    var free = false;
    for (var r = 0; r < index.size; r++) {
      var mentor = index.profiles[r];
      if (!has(mentor)) continue;
      any = true;
      if (!mentor.accepting) continue;
      var ok = true;
      for (var k = 0; k < members.length && ok; k++) ok = constraintHolds(members[k], req, mentor, final[r]);
      if (!ok) continue;
      able = true;
      if (final[r] < mentor.capacity) free = true;
    }
    if (!any) return "no mentor in the directory does";
    var requirements = "is accepting new mentees" + (members.length ? " and meets your requirements" : "");
    if (!able) return "no mentor who does " + requirements;
    if (!free) {
      return "every mentor who does" + (members.length ? " and meets your requirements" : "") + " has all their places taken";
    }
    return (
      "the mentors who do have places, but each member of the team brings something else" +
      " you asked for that they do not"
    );
  }

  /** The explanation of generator.matching.team.explain, sentence for sentence. */
  function explain(req, index, pool, chosen, labels) {
    var config = index.config;
    var eligible = pool.eligible;
    var steps = pool.eligibility.steps;
    var size = req.teamSize;
    var sentences = [];
    var limitedBy = null;
    var relaxation = null;
    var final = pool.loads.slice();
    chosen.forEach(function (p) {
      final[index.row.get(p.mentor.id)] += 1;
    });
    if (eligible < size) {
      for (var s = 0; s < steps.length; s++) {
        var limits = isTeamMust(config, steps[s].constraint) ? steps[s].remaining === 0 : steps[s].remaining < size;
        if (limits) {
          limitedBy = steps[s].constraint;
          break;
        }
      }
      var chain = [];
      for (var c = 0; c < steps.length; c++) {
        chain.push(thousands(steps[c].remaining) + " " + CONSTRAINT_WORDS[steps[c].constraint]);
        if (steps[c].remaining === 0) break;
      }
      var what =
        eligible === 0 ? "No mentor meets" : "Only " + mentorsWord(eligible) + " meet" + (eligible === 1 ? "s" : "");
      var poolText = "of " + mentorsWord(index.size) + ", " + chain.join(", then ");
      sentences.push(what + " every requirement for a team of " + size + ": " + poolText + ".");
      if (limitedBy !== null) {
        var emptied = eligible === 0 ? "emptied the pool" : "left too few mentors";
        sentences.push("The requirement that " + emptied + ": mentors " + CONSTRAINT_WORDS[limitedBy] + ".");
      }
      var relax = pool.eligibility.relax;
      var names = Object.keys(relax).sort();
      if (names.length) {
        var bestName = names[0];
        names.forEach(function (name) {
          if (relax[name] > relax[bestName]) bestName = name;
        });
        relaxation = { constraint: bestName, eligible: eligible + relax[bestName] };
        sentences.push(
          "Making " +
            bestName +
            " a preference instead of a must helps most: " +
            mentorsWord(relaxation.eligible) +
            " would then qualify."
        );
      } else if (limitedBy === "accepting" || limitedBy === "capacity") {
        sentences.push("No mentor has a place free right now; try again later.");
      }
    } else {
      sentences.push(mentorsWord(chosen.length) + " chosen from " + thousands(eligible) + " who meet every requirement.");
    }
    var covered = new Set();
    chosen.forEach(function (p) {
      p.score.needs.forEach(function (n) {
        covered.add(n);
      });
    });
    var missing = req.needs.filter(function (n) {
      return !covered.has(n);
    });
    if (missing.length && chosen.length) {
      var missingLabels = missing
        .map(function (n) {
          return label(labels, "areas", n);
        })
        .join(", ");
      var anyHelper = false;
      for (var r = 0; r < index.size && !anyHelper; r++) {
        if (pool.eligibility.mask[r] && anyIn(missing, index.profiles[r].areas)) anyHelper = true;
      }
      sentences.push(
        anyHelper
          ? "The team does not cover: " + missingLabels + "."
          : "No mentor who meets your requirements helps with: " + missingLabels + "."
      );
    }
    if (chosen.length) {
      var sharedNow = new Set();
      chosen.forEach(function (p) {
        p.score.sharedAffinities.forEach(function (a) {
          sharedNow.add(a);
        });
      });
      req.affinities.forEach(function (affinity) {
        if (sharedNow.has(affinity)) return;
        var why = missingWhy(
          req,
          index,
          function (m) {
            return m.affinities.has(affinity);
          },
          final
        );
        sentences.push("Nobody in the team shares " + label(labels, "affinities", affinity) + ": " + why + ".");
      });
      var first = req.firstLanguage;
      if (
        first !== null &&
        !chosen.some(function (p) {
          return p.score.languages.indexOf(first) >= 0;
        })
      ) {
        var whyLanguage = missingWhy(
          req,
          index,
          function (m) {
            return m.languages.has(first);
          },
          final
        );
        sentences.push("Nobody in the team speaks " + label(labels, "languages", first) + ": " + whyLanguage + ".");
      }
    }
    var chosenIds = new Set(
      chosen.map(function (p) {
        return p.mentor.id;
      })
    );
    Array.from(req.named)
      .filter(function (id) {
        return !chosenIds.has(id);
      })
      .sort()
      .forEach(function (name) {
        var why;
        if (!index.row.has(name)) {
          why = "is not in the directory";
        } else {
          var row = index.row.get(name);
          var failed = failedConstraint(req, index.profiles[row], pool.loads[row], config);
          if (failed === null) why = NOT_NEEDED;
          else why = has(NAMED_WORDS, failed) ? NAMED_WORDS[failed] : MUST_WORDS;
        }
        sentences.push("'" + name + "', whom you asked for, " + why + ".");
      });
    return { text: sentences.join(" "), pool: steps, limitedBy: limitedBy, relaxation: relaxation };
  }

  function loadRows(index, load) {
    if (!load || !Object.keys(load).length) {
      // no load: one array of zeros per index, only ever read
      if (!index.noLoad) {
        index.noLoad = new Array(index.size).fill(0);
        index.noLoad.any = false;
      }
      return index.noLoad;
    }
    var out = new Array(index.size).fill(0);
    out.any = false; // whether any row has a load (with none, the index's columns serve)
    if (load) {
      Object.keys(load).forEach(function (id) {
        if (index.row.has(id)) {
          out[index.row.get(id)] = load[id];
          if (load[id] !== 0) out.any = true;
        }
      });
    }
    return out;
  }

  function member(req, pick, covers, identities, language, labels) {
    return {
      id: pick.mentor.id,
      mentor: pick.mentor,
      score: pick.score,
      covers: covers,
      identities: identities,
      language: language,
      reasons: reasons(req, pick.mentor, pick.score, pick.load, labels),
    };
  }

  /**
   * The team for one request (generator.matching.team.match_team) plus up to `alternates` next-best
   * eligible mentors by score (page only; the bot does not list alternates).
   */
  function matchTeam(request, index, options) {
    options = options || {};
    var config = index.config;
    var labels = options.labels || {};
    var req = requestProfile(request, config);
    var loads = loadRows(index, options.load);
    var scores = new Array(index.size);
    var pool = {
      loads: loads,
      eligibility: eligibility(req, index, loads),
      totals: scoreTotals(req, index, loads),
      masks: itemMasks(req, index),
      pick: function (row) {
        if (!scores[row]) scores[row] = score(req, index.profiles[row], loads[row], config);
        return { mentor: index.profiles[row], score: scores[row], load: loads[row] };
      },
    };
    pool.eligible = pool.eligibility.mask.filter(Boolean).length;
    var chosen = repair(req, index, pool, select(req, index, pool, [], null));
    var ordered = chosen.slice().sort(rankCompare);
    var orderedScores = ordered.map(function (p) {
      return p.score;
    });
    var covers = assign(
      req.needs,
      orderedScores.map(function (sc) {
        return sc.needs;
      })
    );
    var identities = assign(
      req.affinities,
      orderedScores.map(function (sc) {
        return sc.sharedAffinities;
      })
    );
    var first = req.firstLanguage;
    var speaker = -1;
    if (first !== null) {
      for (var i = 0; i < orderedScores.length && speaker < 0; i++) {
        if (orderedScores[i].languages.indexOf(first) >= 0) speaker = i;
      }
    }
    var members = ordered.map(function (p, k) {
      return member(req, p, covers[k], identities[k], k === speaker ? [first] : [], labels);
    });
    var covered = new Set();
    var sharedAll = new Set();
    members.forEach(function (m) {
      m.score.needs.forEach(function (n) {
        covered.add(n);
      });
      m.score.sharedAffinities.forEach(function (a) {
        sharedAll.add(a);
      });
    });
    var inTeam = new Uint8Array(index.size);
    members.forEach(function (m) {
      inTeam[index.row.get(m.id)] = 1;
    });
    // the next best by score (rankCompare's order: rows are in id order), scored in full
    var wanted = options.alternates === undefined ? 3 : options.alternates;
    var next = [];
    var eligible = pool.eligibility.mask;
    for (var row = 0; row < index.size && wanted > 0; row++) {
      if (!eligible[row] || inTeam[row]) continue;
      var at = next.length;
      while (at > 0 && pool.totals[next[at - 1]] < pool.totals[row]) at--;
      if (at >= wanted) continue;
      next.splice(at, 0, row);
      if (next.length > wanted) next.pop();
    }
    var alternates = next.map(function (r) {
      return member(req, pool.pick(r), [], [], [], labels);
    });
    return {
      members: members,
      uncovered: req.needs.filter(function (n) {
        return !covered.has(n);
      }),
      uncoveredIdentities: req.affinities.filter(function (a) {
        return !sharedAll.has(a);
      }),
      uncoveredLanguage: first !== null && speaker < 0 ? [first] : [],
      explanation: explain(req, index, pool, chosen, labels),
      eligible: pool.eligible,
      filled: members.length === req.teamSize,
      alternates: alternates,
    };
  }

  var api = {
    buildIndex: buildIndex,
    requestProfile: requestProfile,
    score: score,
    failedConstraint: failedConstraint,
    loadCost: loadCost,
    reasons: reasons,
    matchTeam: matchTeam,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.MentorMatcher = api;
})(typeof self !== "undefined" ? self : this);

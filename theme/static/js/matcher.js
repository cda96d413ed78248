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
    affinities: "sharing an affinity you require",
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
    return { config: config, profiles: profiles, row: row, size: profiles.length };
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
    var maxPoints = 0.0;
    affinityPoints.concat(needPoints).forEach(function (v) {
      maxPoints += v;
    });
    var asked = [
      [w.specialty, list(request.specialties).length > 0],
      [w.stage_ahead, !!request.stage],
      [w.language, list(request.languages).length > 0],
      [w.meeting, list(request.meeting).length > 0],
      [w.same_state, !!request.state],
      [w.named, list(request.mentors).length > 0],
    ];
    asked.forEach(function (pair) {
      if (pair[1]) maxPoints += pair[0];
    });
    var must = new Set(list(request.must));
    return {
      needs: needs,
      needPoints: needPoints,
      affinities: affinities,
      affinityPoints: affinityPoints,
      specialties: list(request.specialties),
      stageRank: request.stage ? lookup(config.stage_order, request.stage) : null,
      profession: request.profession || null,
      languages: list(request.languages),
      meeting: list(request.meeting),
      state: request.state || null,
      utcOffset: request.state ? lookup(config.state_utc_offset, request.state) : null,
      named: new Set(list(request.mentors)),
      must: config.hard_constraints.filter(function (name) {
        return must.has(name);
      }),
      teamSize: request.team_size === undefined ? 3 : request.team_size,
      maxPoints: maxPoints,
    };
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

  function failedConstraint(req, mentor, load) {
    if (!mentor.accepting) return "accepting";
    if (load >= mentor.capacity) return "capacity";
    for (var i = 0; i < req.must.length; i++) {
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

  /** The mentor's score for the request, with its parts (generator.matching.scoring.score). */
  function score(req, mentor, load, config) {
    var w = config.weights;
    var affinities = 0.0;
    req.affinities.forEach(function (a, i) {
      if (mentor.affinities.has(a)) affinities += req.affinityPoints[i];
    });
    var needs = 0.0;
    req.needs.forEach(function (n, i) {
      if (mentor.areas.has(n)) needs += req.needPoints[i];
    });
    var specialties = shared(req.specialties, mentor.specialties);
    var languages = shared(req.languages, mentor.languages);
    var meeting = shared(req.meeting, mentor.meeting);
    var place = 0.0;
    if (req.state !== null && mentor.state === req.state) {
      place = w.same_state;
    } else if (req.utcOffset !== null && mentor.utcOffset !== null && Math.abs(req.utcOffset - mentor.utcOffset) <= 1) {
      place = w.near_timezone;
    }
    var parts = {
      affinities: affinities,
      needs: needs,
      specialty: specialties.length ? w.specialty : 0.0,
      stage: req.stageRank !== null && mentor.stageRank > req.stageRank ? w.stage_ahead : 0.0,
      language: languages.length ? w.language : 0.0,
      meeting: meeting.length ? w.meeting : 0.0,
      place: place,
      named: req.named.has(mentor.id) ? w.named : 0.0,
      load: -loadCost(load, mentor.capacity, config),
    };
    var preference = 0.0;
    var names = config.part_names;
    for (var i = 0; i < names.length - 1; i++) preference += parts[names[i]];
    return {
      total: preference + parts.load,
      preference: preference,
      parts: parts,
      needs: shared(req.needs, mentor.areas),
      sharedAffinities: shared(req.affinities, mentor.affinities),
      specialties: specialties,
      languages: languages,
      meeting: meeting,
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

  function eligibility(req, index, loads) {
    var order = ["accepting", "capacity"].concat(req.must);
    var n = index.size;
    var mask = new Array(n);
    var misses = new Array(n);
    var base = new Array(n);
    var counts = order.map(function () {
      return 0;
    });
    var relax = {};
    for (var r = 0; r < n; r++) {
      var mentor = index.profiles[r];
      var ok = true;
      var missed = 0;
      var lastMissed = null;
      for (var k = 0; k < order.length; k++) {
        var holds = constraintHolds(order[k], req, mentor, loads[r]);
        if (!holds && k >= 2) {
          missed += 1;
          lastMissed = order[k];
        }
        ok = ok && holds;
        if (ok) counts[k] += 1;
      }
      mask[r] = ok;
      misses[r] = missed;
      base[r] = mentor.accepting && loads[r] < mentor.capacity;
      if (base[r] && missed === 1) relax[lastMissed] = (relax[lastMissed] || 0) + 1;
    }
    var steps = order.map(function (name, k) {
      return { constraint: name, remaining: counts[k] };
    });
    return { mask: mask, steps: steps, relax: relax };
  }

  /** Greedy selection by marginal gain (generator.matching.team.select). */
  function select(req, index, pool) {
    var config = index.config;
    var t = config.team;
    var keepNeed = 1.0 - t.repeat_need;
    var keepAffinity = 1.0 - t.repeat_affinity;
    var urim = new Set(config.urim);
    var open = pool.eligibility.mask.slice();
    var openCount = open.filter(Boolean).length;
    var team = [];
    var coveredNeeds = new Set();
    var coveredAffinities = new Set();
    var programs = new Map();
    while (team.length < req.teamSize && openCount > 0) {
      var best = -1;
      var bestGain = -Infinity;
      for (var r = 0; r < index.size; r++) {
        if (!open[r]) continue;
        var mentor = index.profiles[r];
        var gain = pool.totals[r] - (mentor.isProtected ? t.protect : 0.0);
        for (var i = 0; i < req.needs.length; i++) {
          var need = req.needs[i];
          if (!mentor.areas.has(need)) continue;
          if (coveredNeeds.has(need)) gain -= keepNeed * req.needPoints[i];
          else gain += t.cover_need;
        }
        for (var j = 0; j < req.affinities.length; j++) {
          var affinity = req.affinities[j];
          if (!mentor.affinities.has(affinity)) continue;
          if (coveredAffinities.has(affinity)) gain -= keepAffinity * req.affinityPoints[j];
          else if (urim.has(affinity)) gain += t.cover_affinity + t.protect;
          else gain += t.cover_affinity;
        }
        if (programs.size) gain -= t.same_program * (programs.get(mentor.program) || 0);
        if (best < 0 || gain > bestGain) {
          best = r;
          bestGain = gain;
        }
      }
      var pick = pool.pick(best);
      team.push(pick);
      open[best] = false;
      openCount -= 1;
      pick.score.needs.forEach(function (n) {
        coveredNeeds.add(n);
      });
      pick.score.sharedAffinities.forEach(function (a) {
        coveredAffinities.add(a);
      });
      programs.set(pick.mentor.program, (programs.get(pick.mentor.program) || 0) + 1);
    }
    return team;
  }

  function rankCompare(a, b) {
    if (a.score.total !== b.score.total) return b.score.total - a.score.total;
    return byId(a.mentor, b.mentor);
  }

  function assignCovers(req, scores) {
    var assigned = scores.map(function () {
      return [];
    });
    req.needs.forEach(function (need) {
      var pick = -1;
      scores.forEach(function (sc, i) {
        if (sc.needs.indexOf(need) < 0) return;
        if (pick < 0 || assigned[i].length < assigned[pick].length) pick = i;
      });
      if (pick >= 0) assigned[pick].push(need);
    });
    return assigned;
  }

  function mentorsWord(count) {
    return count + " mentor" + (count === 1 ? "" : "s");
  }

  /** The explanation of generator.matching.team.explain, sentence for sentence. */
  function explain(req, index, pool, chosen, labels) {
    var eligible = pool.eligible;
    var steps = pool.eligibility.steps;
    var size = req.teamSize;
    var sentences = [];
    var limitedBy = null;
    var relaxation = null;
    if (eligible < size) {
      for (var s = 0; s < steps.length; s++) {
        if (steps[s].remaining < size) {
          limitedBy = steps[s].constraint;
          break;
        }
      }
      var chain = [];
      for (var c = 0; c < steps.length; c++) {
        chain.push(steps[c].remaining + " " + CONSTRAINT_WORDS[steps[c].constraint]);
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
      sentences.push(mentorsWord(chosen.length) + " chosen from " + eligible + " who meet every requirement.");
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
    if (
      req.affinities.length &&
      chosen.length &&
      !chosen.some(function (p) {
        return p.score.sharedAffinities.length > 0;
      })
    ) {
      sentences.push("No mentor who meets your requirements shares an affinity you asked for.");
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
          var failed = failedConstraint(req, index.profiles[row], pool.loads[row]);
          if (failed === null) why = NOT_NEEDED;
          else why = has(NAMED_WORDS, failed) ? NAMED_WORDS[failed] : MUST_WORDS;
        }
        sentences.push("'" + name + "', whom you asked for, " + why + ".");
      });
    return { text: sentences.join(" "), pool: steps, limitedBy: limitedBy, relaxation: relaxation };
  }

  function loadRows(index, load) {
    var out = new Array(index.size).fill(0);
    if (load) {
      Object.keys(load).forEach(function (id) {
        if (index.row.has(id)) out[index.row.get(id)] = load[id];
      });
    }
    return out;
  }

  function member(req, pick, covers, labels) {
    return {
      id: pick.mentor.id,
      mentor: pick.mentor,
      score: pick.score,
      covers: covers,
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
      totals: new Array(index.size),
      pick: function (row) {
        if (!scores[row]) scores[row] = score(req, index.profiles[row], loads[row], config);
        return { mentor: index.profiles[row], score: scores[row], load: loads[row] };
      },
    };
    pool.eligible = pool.eligibility.mask.filter(Boolean).length;
    for (var r = 0; r < index.size; r++) {
      if (pool.eligibility.mask[r]) pool.totals[r] = pool.pick(r).score.total;
    }
    var chosen = select(req, index, pool);
    var ordered = chosen.slice().sort(rankCompare);
    var covers = assignCovers(
      req,
      ordered.map(function (p) {
        return p.score;
      })
    );
    var members = ordered.map(function (p, i) {
      return member(req, p, covers[i], labels);
    });
    var covered = new Set();
    members.forEach(function (m) {
      m.score.needs.forEach(function (n) {
        covered.add(n);
      });
    });
    var inTeam = new Set(
      members.map(function (m) {
        return m.id;
      })
    );
    var rest = [];
    for (var row = 0; row < index.size; row++) {
      if (pool.eligibility.mask[row] && !inTeam.has(index.profiles[row].id)) rest.push(pool.pick(row));
    }
    rest.sort(rankCompare);
    var alternates = rest.slice(0, options.alternates === undefined ? 3 : options.alternates).map(function (p) {
      return member(req, p, [], labels);
    });
    return {
      members: members,
      uncovered: req.needs.filter(function (n) {
        return !covered.has(n);
      }),
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

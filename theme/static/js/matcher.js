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

  /** Whether the mentor brings the item [kind, key] of the request (scoring.has_item). */
  function hasItem(item, req, mentor) {
    var kind = item[0];
    var key = item[1];
    if (kind === "need") return mentor.areas.has(key);
    if (kind === "identity") return mentor.affinities.has(key);
    if (kind === "language") return mentor.languages.has(key);
    if (kind === "specialty") return anyIn(req.specialties, mentor.specialties);
    if (kind === "named") return key === mentor.id;
    throw new Error("unknown item kind " + kind);
  }

  /** The items of the request the mentor brings, as bits (scoring.item_mask). */
  function itemMask(req, mentor) {
    var mask = 0;
    for (var bit = 0; bit < req.items.length; bit++) {
      if (hasItem(req.items[bit], req, mentor)) mask |= 1 << bit;
    }
    return mask;
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
    var language = 0.0;
    // the best-ranked language the mentor speaks: the first listed earns the most
    if (languages.length) language = w.language * rankWeight(config, req.languages.indexOf(languages[0]));
    var peers = lookup(config.profession_peers, req.profession);
    var sameProfession =
      req.profession !== null && (peers === null ? mentor.profession === req.profession : peers.indexOf(mentor.profession) >= 0);
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
      profession: sameProfession ? w.profession : 0.0,
      language: language,
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
      var column = new Array(n);
      for (var r = 0; r < n; r++) column[r] = constraintHolds(name, req, index.profiles[r], loads[r]);
      holds[name] = column;
    });
    var mask = new Array(n).fill(true);
    var steps = [];
    order.forEach(function (name) {
      var count = 0;
      for (var r = 0; r < n; r++) {
        mask[r] = mask[r] && holds[name][r];
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
    var open = pool.eligibility.mask.slice();
    var team = (chosen || []).slice();
    var covered = 0;
    var programs = new Map();
    team.forEach(function (p) {
      var row = index.row.get(p.mentor.id);
      open[row] = false;
      covered |= masks[row];
      programs.set(p.mentor.program, (programs.get(p.mentor.program) || 0) + 1);
    });
    function anyOpen() {
      for (var r = 0; r < index.size; r++) if (open[r]) return true;
      return false;
    }
    while (team.length < req.teamSize && anyOpen()) {
      var allowed = open.map(function (o, r) {
        return o && (!among || among[r]);
      });
      if (mustShare && !(covered & identityBits)) {
        var target = null;
        for (var a = 0; a < req.affinities.length && target === null; a++) {
          for (var q = 0; q < index.size; q++) {
            if (allowed[q] && index.profiles[q].affinities.has(req.affinities[a])) {
              target = req.affinities[a];
              break;
            }
          }
        }
        if (target === null) break;
        for (var x = 0; x < index.size; x++) {
          if (allowed[x] && !index.profiles[x].affinities.has(target)) allowed[x] = false;
        }
      }
      var best = -1;
      var bestGain = -Infinity;
      for (var r = 0; r < index.size; r++) {
        if (!allowed[r]) continue;
        var mentor = index.profiles[r];
        var gain = pool.totals[r] - (mentor.isProtected ? t.protect : 0.0);
        for (var bit = 0; bit < req.items.length; bit++) {
          var kind = req.items[bit][0];
          var key = req.items[bit][1];
          var done = (covered & (1 << bit)) !== 0;
          if (kind === "need") {
            if (!mentor.areas.has(key)) continue;
            if (done) gain -= keepNeed * req.needPoints[req.needs.indexOf(key)];
            else gain += t.cover_need;
          } else if (kind === "identity") {
            if (!mentor.affinities.has(key)) continue;
            if (done) gain -= keepAffinity * req.affinityPoints[req.affinities.indexOf(key)];
            else if (urim.has(key)) gain += req.affinityCovers[req.affinities.indexOf(key)] + t.protect;
            else gain += req.affinityCovers[req.affinities.indexOf(key)];
          } else if (kind === "language") {
            if (!done && mentor.languages.has(key)) gain += t.cover_language;
          } else if (kind === "specialty") {
            if (!done && anyIn(req.specialties, mentor.specialties)) gain += t.cover_specialty;
          }
        }
        if (programs.size) gain -= t.same_program * (programs.get(mentor.program) || 0);
        if (best < 0 || gain > bestGain) {
          best = r;
          bestGain = gain;
        }
      }
      if (best < 0) break;
      var pick = pool.pick(best);
      team.push(pick);
      open[best] = false;
      covered |= masks[best];
      programs.set(pick.mentor.program, (programs.get(pick.mentor.program) || 0) + 1);
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
    var inTeam = new Set(
      team.map(function (p) {
        return index.row.get(p.mentor.id);
      })
    );
    var better = new Array(index.size).fill(false);
    var any = false;
    for (var r = 0; r < index.size; r++) {
      if (!pool.eligibility.mask[r] || inTeam.has(r)) continue;
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

  function mentorsWord(count) {
    return count + " mentor" + (count === 1 ? "" : "s");
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
    var out = new Array(index.size).fill(0);
    if (load) {
      Object.keys(load).forEach(function (id) {
        if (index.row.has(id)) out[index.row.get(id)] = load[id];
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
      totals: new Array(index.size),
      masks: index.profiles.map(function (m) {
        return itemMask(req, m);
      }),
      pick: function (row) {
        if (!scores[row]) scores[row] = score(req, index.profiles[row], loads[row], config);
        return { mentor: index.profiles[row], score: scores[row], load: loads[row] };
      },
    };
    pool.eligible = pool.eligibility.mask.filter(Boolean).length;
    for (var r = 0; r < index.size; r++) {
      if (pool.eligibility.mask[r]) pool.totals[r] = pool.pick(r).score.total;
    }
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
      return member(req, p, [], [], [], labels);
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

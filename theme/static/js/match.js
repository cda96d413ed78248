/*
 * MentorMeMed "find my mentor team" page: runs theme/static/js/matcher.js on this device.
 *
 * match/mentors.json (the export's matching fields) and matching.json are loaded once, when
 * the page opens; after that the page makes no request at all. Answers are never stored; a shortlist of mentor ids and
 * names is kept in localStorage only when the mentee asks, and "Clear" removes it.
 * Needs matcher.js (window.MentorMatcher) and dom.js (window.MentorDom), loaded before it.
 */
(function () {
  "use strict";

  var STORE_KEY = "mentormemed-shortlist";
  var app = document.getElementById("match-app");
  if (!app || !window.MentorMatcher || !window.MentorDom) return;
  var el = window.MentorDom.el;
  var fetchJson = window.MentorDom.fetchJson;
  var form = document.getElementById("match-form");
  var submit = document.getElementById("match-submit");
  var loading = document.getElementById("match-loading");
  var statusLine = document.getElementById("match-status");
  var result = document.getElementById("match-result");
  var heading = document.getElementById("match-heading");
  var requestLink = document.getElementById("match-request");
  var publicBox = document.getElementById("m-public");
  var requestBase = requestLink.href.split("?")[0];
  var state = { index: null, labels: null, team: null, answers: null, needOrder: [] };

  // The order in which needs and affinities are ticked is their order of importance.
  var tickOrder = { needs: [], affinities: [] };
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || !tickOrder[input.name]) return;
    var list = tickOrder[input.name];
    var at = list.indexOf(input.value);
    if (at >= 0) list.splice(at, 1);
    if (input.checked) list.push(input.value);
  });

  function ticked(name) {
    var values = Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (i) {
      return i.value;
    });
    if (!tickOrder[name]) return values;
    var ordered = tickOrder[name].filter(function (v) {
      return values.indexOf(v) >= 0;
    });
    values.forEach(function (v) {
      if (ordered.indexOf(v) < 0) ordered.push(v);
    });
    return ordered;
  }

  function labelOf(name, value) {
    var input = form.querySelector('input[name="' + name + '"][value="' + value + '"]');
    if (input) return form.querySelector('label[for="' + input.id + '"]').textContent;
    var option = form.querySelector('select[name="' + name + '"] option[value="' + value + '"]');
    return option ? option.textContent : value;
  }

  function answers() {
    var one = function (name) {
      var v = form.elements[name].value;
      return v === "" ? null : v;
    };
    var request = {
      needs: ticked("needs"),
      affinities: ticked("affinities"),
      specialties: ticked("specialties"),
      languages: ticked("languages"),
      meeting: ticked("meeting"),
      stage: one("stage"),
      profession: one("profession"),
      state: one("state"),
      team_size: parseInt(form.elements.team_size.value, 10) || 3,
      mentors: [],
      must: [],
    };
    // A must without an answer would mean nothing (the bot refuses it): leave it out.
    ticked("must").forEach(function (name) {
      var value = request[name];
      if (Array.isArray(value) ? value.length : value) request.must.push(name);
    });
    return request;
  }

  function card(member, asTeam) {
    var li = el("li", { class: "card" });
    var h = el("h3", { class: "card-name" });
    h.appendChild(el("a", { href: "../mentors/" + encodeURIComponent(member.id) + "/" }, member.mentor.name));
    li.appendChild(h);
    var reasons = el("ul", { class: "facts" });
    member.reasons.forEach(function (r) {
      reasons.appendChild(el("li", null, r));
    });
    li.appendChild(reasons);
    if (asTeam && member.covers.length) {
      li.appendChild(
        el(
          "p",
          null,
          "In this team, for: " +
            member.covers
              .map(function (n) {
                return labelOf("needs", n);
              })
              .join(", ")
        )
      );
    }
    return li;
  }

  function requestUrl(team, request) {
    var params = new URLSearchParams();
    params.set("template", app.getAttribute("data-form"));
    params.set(
      "mentors",
      team.members
        .map(function (m) {
          return m.id;
        })
        .join(", ")
    );
    params.set(
      "needs",
      request.needs
        .map(function (n) {
          return labelOf("needs", n);
        })
        .join(",")
    );
    if (publicBox.checked) {
      ["affinities", "specialties", "languages", "meeting"].forEach(function (name) {
        if (request[name].length) {
          params.set(
            name,
            request[name]
              .map(function (v) {
                return labelOf(name, v);
              })
              .join(",")
          );
        }
      });
      ["profession", "stage", "state"].forEach(function (name) {
        if (request[name]) params.set(name, labelOf(name, request[name]));
      });
      params.set("team_size", String(request.team_size));
    }
    return requestBase + "?" + params.toString();
  }

  function updateLink() {
    if (state.team) requestLink.href = requestUrl(state.team, state.answers);
  }

  function show(team, request) {
    state.team = team;
    state.answers = request;
    var teamList = document.getElementById("match-team");
    var alternates = document.getElementById("match-alternates");
    teamList.textContent = "";
    alternates.textContent = "";
    team.members.forEach(function (m) {
      teamList.appendChild(card(m, true));
    });
    team.alternates.forEach(function (m) {
      alternates.appendChild(card(m, false));
    });
    document.getElementById("match-explanation").textContent = team.explanation.text;
    document.getElementById("alternates-heading").hidden = !team.alternates.length;
    requestLink.parentNode.parentNode.hidden = !team.members.length;
    updateLink();
    result.hidden = false;
    statusLine.textContent = team.members.length
      ? "A team of " + team.members.length + (team.members.length === 1 ? " mentor." : " mentors.")
      : "No team: see why below.";
    heading.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!state.index) return;
    var tooMany = Array.prototype.filter.call(form.querySelectorAll("fieldset[data-max]"), function (set) {
      return set.querySelectorAll("input:checked").length > parseInt(set.getAttribute("data-max"), 10);
    })[0];
    if (tooMany) {
      var legend = tooMany.querySelector("legend").textContent.replace(" (required)", "");
      statusLine.textContent = "Choose at most " + tooMany.getAttribute("data-max") + " under: " + legend + ".";
      var details = tooMany.closest("details");
      if (details) details.open = true;
      tooMany.querySelector("input:checked").focus();
      return;
    }
    var request = answers();
    if (!request.needs.length) {
      statusLine.textContent = "Choose at least one area you want help with.";
      form.querySelector('input[name="needs"]').focus();
      return;
    }
    show(window.MentorMatcher.matchTeam(request, state.index, { labels: state.labels, alternates: 3 }), request);
  });
  publicBox.addEventListener("change", updateLink);

  // ------------------------------------------------------------------ shortlist (opt-in)

  function readShortlist() {
    try {
      return JSON.parse(window.localStorage.getItem(STORE_KEY) || "[]");
    } catch {
      return [];
    }
  }

  function drawShortlist() {
    var kept = readShortlist();
    var list = document.getElementById("shortlist");
    list.textContent = "";
    kept.forEach(function (team) {
      list.appendChild(
        el(
          "li",
          null,
          team
            .map(function (m) {
              return m.name + " (" + m.id + ")";
            })
            .join(", ")
        )
      );
    });
    document.getElementById("shortlist-status").textContent = kept.length
      ? kept.length + (kept.length === 1 ? " team is" : " teams are") + " kept on this device (mentor names only)."
      : "Nothing is kept on this device.";
  }

  document.getElementById("shortlist-keep").addEventListener("click", function () {
    if (!state.team || !state.team.members.length) return;
    var kept = readShortlist();
    kept.push(
      state.team.members.map(function (m) {
        return { id: m.id, name: m.mentor.name };
      })
    );
    try {
      window.localStorage.setItem(STORE_KEY, JSON.stringify(kept));
    } catch {
      document.getElementById("shortlist-status").textContent = "This browser does not allow keeping anything.";
      return;
    }
    drawShortlist();
  });
  document.getElementById("shortlist-clear").addEventListener("click", function () {
    try {
      window.localStorage.removeItem(STORE_KEY);
    } catch {
      /* nothing was kept */
    }
    drawShortlist();
  });

  // ------------------------------------------------------------------ data (loaded once)

  Promise.all([fetchJson(app.getAttribute("data-mentors")), fetchJson(app.getAttribute("data-matching"))])
    .then(function (data) {
      state.labels = data[0].vocabulary;
      state.index = window.MentorMatcher.buildIndex(data[0].mentors, data[1]);
      submit.disabled = false;
      loading.textContent = data[0].mentors.length + " mentors loaded; the matching runs on this device.";
      app.setAttribute("data-ready", "true");
      drawShortlist();
    })
    .catch(function () {
      loading.textContent = "The directory could not be loaded. Reload the page to try again.";
    });
})();

/*
 * A mentor's page: "Request this mentor" pre-fills, as needs, only the areas the mentee chose in
 * the directory's filters (carried in this page's address as `area=<id>`, as the directory
 * writes them), never the mentor's own list. Without such a choice, or without JavaScript, the
 * link names the mentor only. Ids not in the link's `data-need-labels` map are ignored.
 */
(function () {
  "use strict";

  var link = document.getElementById("request-link");
  var words = document.getElementById("request-needs");
  if (!link || !words) return;
  var labels;
  try {
    labels = JSON.parse(link.getAttribute("data-need-labels") || "{}");
  } catch {
    return;
  }
  var chosen = [];
  new URLSearchParams(window.location.search).getAll("area").forEach(function (id) {
    if (Object.prototype.hasOwnProperty.call(labels, id) && chosen.indexOf(labels[id]) < 0) chosen.push(labels[id]);
  });
  chosen = chosen.slice(0, parseInt(link.getAttribute("data-max-needs"), 10) || 10);
  if (!chosen.length) return;
  var url = new URL(link.href);
  url.searchParams.set("needs", chosen.join(","));
  link.href = url.toString();
  words.textContent = " and the areas you chose in the directory (" + chosen.join(", ") + ")";
})();

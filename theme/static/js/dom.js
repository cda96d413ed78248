/*
 * What the site's pages share (window.MentorDom), loaded before directory.js and match.js:
 *
 *   MentorDom.el("a", { href: "/x/", class: "y" }, "text")  // an element, attributes in that
 *                                                          // order, text as text (never HTML)
 *   MentorDom.fetchJson(url[, init])  // Promise of the parsed JSON; rejects on an HTTP error
 *                                     // (init: fetch's options, e.g. { cache: "no-cache" })
 */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    }
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function fetchJson(url, init) {
    return fetch(url, init).then(function (response) {
      if (!response.ok) throw new Error(url + " answered HTTP " + response.status);
      return response.json();
    });
  }

  window.MentorDom = { el: el, fetchJson: fetchJson };
})();

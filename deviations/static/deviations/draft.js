// Keeps what was typed in the report form in the browser until it is sent, so a lost
// connection or a closed tab does not lose the text. Progressive: the form works without it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-key]");
  if (!form || !window.localStorage) { return; }
  var key = form.getAttribute("data-draft-key");
  // qms.js focuses the error summary; here it only tells a failed submit from a sent one.
  var summary = document.querySelector(".ds-error-summary");
  if (sessionStorage.getItem(key + "-sent")) {
    sessionStorage.removeItem(key + "-sent");
    // Back on an error-free, empty form after a submit: the server accepted the last report.
    if (!summary) { localStorage.removeItem(key); }
  }
  var fields = form.querySelectorAll("input[type=text], textarea, input[type=datetime-local]");
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
  fields.forEach(function (el) {
    if (!summary && saved[el.name] && el.type !== "datetime-local") { el.value = saved[el.name]; }
    el.addEventListener("input", function () {
      saved[el.name] = el.value;
      try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* full or private */ }
    });
  });
  form.addEventListener("submit", function () { sessionStorage.setItem(key + "-sent", "1"); });
})();

/* Page behaviour that the Content-Security-Policy keeps out of the markup (no inline scripts,
   event handlers or style attributes):
   data-bg="#rrggbb"  -> background colour (risk cells, category swatches)
   data-indent="1.5"  -> left padding in rem (tree lists)
   data-print         -> a button that prints the page
   .ds-error-summary  -> focused when the page comes back from a failed submit; its links
                         focus the field they name
   data-file-upload   -> lists the names of the files chosen in its file inputs
   Setting element.style from a script file is allowed by the policy; style="" is not. */
(function () {
  "use strict";

  function apply(root) {
    root.querySelectorAll("[data-bg]").forEach(function (el) {
      el.style.backgroundColor = el.dataset.bg;
    });
    root.querySelectorAll("[data-indent]").forEach(function (el) {
      var rem = parseFloat(el.dataset.indent);
      if (!isNaN(rem)) el.style.paddingLeft = rem + "rem";
    });
  }

  // After a failed submit the page is rendered again with an error summary at the top of the
  // form: move focus there, so a screen reader reads it and a phone scrolls to it.
  function focusErrorSummary() {
    var summary = document.querySelector(".ds-error-summary");
    if (!summary) return;
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
  }

  // Following "#id_field" only scrolls; focus the field itself so the person can type.
  function focusNamedField(link) {
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return false;
    target.focus();
    var label = document.querySelector('label[for="' + target.id + '"]');
    (label || target).scrollIntoView({ block: "start" });
    return true;
  }

  function listFiles(box) {
    var out = box.querySelector("[data-file-list]");
    if (!out) return;
    var names = [];
    box.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { names.push(file.name); });
    });
    out.textContent = names.join(", ");
  }

  document.addEventListener("DOMContentLoaded", function () {
    apply(document);
    focusErrorSummary();
  });
  document.addEventListener("htmx:load", function (event) { apply(event.target); });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
    var link = event.target.closest(".ds-error-summary a[href^='#']");
    if (link && focusNamedField(link)) event.preventDefault();
  });
  document.addEventListener("change", function (event) {
    var box = event.target.closest && event.target.closest("[data-file-upload]");
    if (box && event.target.type === "file") listFiles(box);
  });
})();

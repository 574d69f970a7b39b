/* Page behaviour that the Content-Security-Policy keeps out of the markup (no inline scripts,
   event handlers or style attributes):
   data-bg="#rrggbb"  -> background colour (risk cells, category swatches)
   data-indent="1.5"  -> left padding in rem (tree lists)
   data-print         -> a button that prints the page
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

  document.addEventListener("DOMContentLoaded", function () { apply(document); });
  document.addEventListener("htmx:load", function (event) { apply(event.target); });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();

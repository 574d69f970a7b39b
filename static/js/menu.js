// The header's menu collapses behind a "Meny" button on narrow screens. Without this script
// the button stays hidden and the menu open, so every link is always reachable.
(function () {
  "use strict";
  const button = document.querySelector(".qms-menu-button");
  const menu = document.getElementById("qms-menu");
  if (!button || !menu) return;
  const narrow = window.matchMedia("(max-width: 48rem)");

  function setOpen(open) {
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("qms-menu--closed", !open);
  }

  function follow() {
    button.hidden = !narrow.matches;
    setOpen(!narrow.matches);
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
  narrow.addEventListener("change", follow);
  follow();
})();

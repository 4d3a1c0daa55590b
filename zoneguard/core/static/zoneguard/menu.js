// On a phone the main menu folds behind its button, so that a page's own content comes first.
// Without this script the menu stays open, as on a wide screen.
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("mainnav");
  if (!toggle || !menu) {
    return;
  }
  menu.classList.add("foldable");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = menu.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();

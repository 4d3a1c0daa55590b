// Search as you type for filters and forms over thousands of organisations or sites: an input with
// data-suggest-url gets a datalist filled from that small JSON view (the user's scope only).
// Without this script the text is searched, or looked up as typed in full.
(function () {
  "use strict";
  function attach(input, index) {
    var list = document.createElement("datalist");
    list.id = "suggest-" + index;
    input.setAttribute("list", list.id);
    input.parentNode.appendChild(list);
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var text = input.value.trim();
      if (timer) { clearTimeout(timer); }
      if (!text || text === last) { return; }
      timer = setTimeout(function () {
        last = text;
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { items: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.items.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest-url]").forEach(attach);
  });
})();

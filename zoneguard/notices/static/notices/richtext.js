/* A small rich-text editor for notices: a toolbar over a contenteditable area that writes its
   HTML back into the textarea on submit. The server keeps only safe formatting. */
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-richtext]").forEach(function (textarea) {
    var toolbar = document.createElement("div");
    toolbar.className = "rt-toolbar";
    var editor = document.createElement("div");
    editor.className = "rt-editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    editor.innerHTML = textarea.value;
    [["bold", "B"], ["italic", "I"], ["insertUnorderedList", "•"], ["insertOrderedList", "1."], ["formatBlock", "H3", "h3"], ["createLink", "URL"]].forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = b[1];
      button.addEventListener("click", function () {
        var value = b[2] || null;
        if (b[0] === "createLink") { value = window.prompt("https://"); if (!value) { return; } }
        document.execCommand(b[0], false, value);
        editor.focus();
      });
      toolbar.appendChild(button);
    });
    textarea.style.display = "none";
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(editor, textarea);
    textarea.form.addEventListener("submit", function () { textarea.value = editor.innerHTML; });
  });
})();

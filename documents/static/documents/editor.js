// Progressive enhancement: a textarea[data-richtext] becomes the Trix editor. Without
// JavaScript the textarea posts HTML as it is; the server sanitizes it either way.
(function () {
  if (!window.Trix) return;
  Trix.config.blockAttributes.heading1.tagName = "h2";
  document.addEventListener("trix-file-accept", function (event) { event.preventDefault(); });
  document.querySelectorAll("textarea[data-richtext]").forEach(function (area) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = area.name;
    input.id = area.id + "_value";
    input.value = area.value;
    var editor = document.createElement("trix-editor");
    editor.setAttribute("input", input.id);
    editor.id = area.id;
    editor.className = "trix-content ds-input";
    var label = document.querySelector('label[for="' + area.id + '"]');
    if (label) editor.setAttribute("aria-label", label.textContent.replace(/\s+/g, " ").trim());
    var described = area.getAttribute("aria-describedby");
    if (described) editor.setAttribute("aria-describedby", described);
    area.replaceWith(input, editor);
  });
})();

/*
 * Markdown editor: live preview (debounced POST to the preview URL; the
 * server sanitises the HTML), Tab indentation, Ctrl/Cmd+S to save and a
 * warning before leaving with unsaved changes. The form works without it.
 */
(function () {
  "use strict";

  var form = document.getElementById("editor-form");
  var area = document.getElementById("id_content");
  var preview = document.getElementById("editor-preview");
  var status = document.getElementById("preview-status");
  if (!form || !area || !preview) return;

  var pathInput = document.getElementById("id_path");
  var DELAY = 350;
  var timer = null;
  var controller = null;
  var lastSent = null;
  var escaped = false;
  var saved = area.value;
  var submitting = false;

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function currentPath() {
    return (pathInput && pathInput.value.trim()) || form.dataset.path || "preview.md";
  }

  function refreshPreview() {
    var body = new FormData();
    body.append("content", area.value);
    body.append("path", currentPath());
    var key = area.value + "\u0000" + currentPath();
    if (key === lastSent) return;
    lastSent = key;
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    preview.setAttribute("aria-busy", "true");
    status.textContent = "Updating…";
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "text/html" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.text().then(function (text) {
        if (!response.ok) throw new Error(text || "HTTP " + response.status);
        return text;
      });
    }).then(function (html) {
      /* The server sanitised this HTML with the same allow-list as saved pages. */
      preview.innerHTML = html;
      preview.removeAttribute("aria-busy");
      status.textContent = "";
      document.dispatchEvent(new CustomEvent("deepwiki:contentchanged", { detail: { root: preview } }));
    }).catch(function (error) {
      if (error && error.name === "AbortError") return;
      preview.removeAttribute("aria-busy");
      lastSent = null;
      status.textContent = "Preview unavailable: " + (error && error.message ? error.message.slice(0, 200) : "network error");
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refreshPreview, DELAY);
  }

  area.addEventListener("input", schedule);
  if (pathInput) pathInput.addEventListener("change", schedule);

  /* Tab indents (two spaces); Shift+Tab outdents; Esc then Tab leaves the field. */
  function lineStart(text, index) {
    return text.lastIndexOf("\n", index - 1) + 1;
  }

  function indent(outdent) {
    var text = area.value;
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var from = lineStart(text, start);
    if (start === end && !outdent) {
      area.setRangeText("  ", start, end, "end");
      return;
    }
    var block = text.slice(from, end);
    var changed = outdent
      ? block.replace(/^ {1,2}/gm, "")
      : block.replace(/^/gm, "  ");
    area.setRangeText(changed, from, end, "preserve");
    area.selectionStart = start === end ? Math.max(from, start + (changed.length - block.length)) : from;
    area.selectionEnd = from + changed.length;
  }

  area.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
      return;
    }
    if (event.key === "Escape") { escaped = true; return; }
    if (event.key === "Tab" && !escaped && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      indent(event.shiftKey);
      schedule();
      return;
    }
    escaped = false;
  });
  area.addEventListener("blur", function () { escaped = false; });

  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && area.value !== saved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  refreshPreview();
})();

/*
 * DeepWiki code blocks: the "Copy" button on every highlighted block.
 * Plain script (no inline code, no build step); the page works without it.
 */
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "copy-buffer";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text);
      });
    }
    return fallbackCopy(text);
  }

  function flash(button, label) {
    button.textContent = label;
    button.setAttribute("aria-label", label);
    clearTimeout(button._deepwikiTimer);
    button._deepwikiTimer = setTimeout(function () {
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy code");
    }, 2000);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".copy-button");
    if (!button) return;
    var block = button.closest(".codeblock");
    var code = block && block.querySelector("pre code");
    if (!code) return;
    copyText(code.textContent).then(
      function () {
        flash(button, "Copied");
      },
      function () {
        flash(button, "Press Ctrl+C to copy");
      }
    );
  });
})();

/* Small progressive enhancements shared by every page. */
(function () {
  "use strict";
  var root = document.documentElement;

  function setTheme(theme, persist) {
    root.dataset.theme = theme;
    if (persist) {
      try { localStorage.setItem("deepwiki-theme", theme); } catch (e) { /* ignore */ }
    }
    var toggle = document.getElementById("theme-toggle");
    if (toggle) toggle.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
    document.dispatchEvent(new CustomEvent("deepwiki:themechange", { detail: { theme: theme } }));
  }

  var toggle = document.getElementById("theme-toggle");
  if (toggle) {
    toggle.setAttribute("aria-pressed", root.dataset.theme === "dark" ? "true" : "false");
    toggle.addEventListener("click", function () {
      setTheme(root.dataset.theme === "dark" ? "light" : "dark", true);
    });
  }
  if (window.matchMedia) {
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function (e) {
      var saved = null;
      try { saved = localStorage.getItem("deepwiki-theme"); } catch (err) { /* ignore */ }
      if (!saved) setTheme(e.matches ? "dark" : "light", false);
    });
  }

  // Close the user menu with Escape and when focus leaves it.
  document.querySelectorAll("details.usermenu").forEach(function (menu) {
    menu.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { menu.open = false; menu.querySelector("summary").focus(); }
    });
  });

  // Confirmation for destructive forms: <form data-confirm="Delete it?">
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) e.preventDefault();
  }, true);
})();

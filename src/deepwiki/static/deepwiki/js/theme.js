/* Apply the saved theme before first paint (loaded synchronously in <head>). */
(function () {
  "use strict";
  var saved = null;
  try { saved = localStorage.getItem("deepwiki-theme"); } catch (e) { /* private mode */ }
  var prefersDark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.dataset.theme = saved || (prefersDark ? "dark" : "light");
})();

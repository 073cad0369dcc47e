// Search box suggestions: an ARIA combobox with a listbox popup.
// Debounced fetches, keyboard navigation, Enter opens the chosen suggestion
// (or the full search page), Escape closes. Text only: never innerHTML.
(function () {
  "use strict";
  var DELAY_MS = 150;
  var MIN_CHARS = 2;
  var TYPE_LABELS = { wiki: "Wiki", page: "Page", heading: "Section" };

  function setup(form) {
    var input = form.querySelector("[role=combobox]");
    var list = form.querySelector("[role=listbox]");
    var status = form.querySelector("[data-navsearch-status]");
    var url = form.getAttribute("data-suggest-url");
    if (!input || !list || !url) return;
    var timer = null;
    var controller = null;
    var items = [];
    var active = -1;
    var lastQuery = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      items.forEach(function (item, i) {
        item.el.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].el.id);
        items[index].el.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function option(s, i) {
      var li = document.createElement("li");
      li.id = "navsearch-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.className = "navsearch-option";
      li.setAttribute("data-url", s.url);
      var text = document.createElement("span");
      text.className = "navsearch-text";
      text.textContent = s.text;
      var meta = document.createElement("span");
      meta.className = "navsearch-meta";
      meta.textContent = (TYPE_LABELS[s.type] || s.type) + (s.type === "wiki" ? "" : " · " + s.wiki);
      li.appendChild(text);
      li.appendChild(meta);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); });
      li.addEventListener("click", function () { window.location.assign(s.url); });
      return { el: li, url: s.url };
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions.map(option);
      items.forEach(function (item) { list.appendChild(item.el); });
      active = -1;
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      if (status) {
        status.textContent = items.length
          ? items.length + " suggestion" + (items.length === 1 ? "" : "s") + " available."
          : "";
      }
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q === lastQuery) return;
      lastQuery = q;
      if (controller) controller.abort();
      if (q.length < MIN_CHARS) { show([]); return; }
      controller = new AbortController();
      var target = url + "?limit=8&q=" + encodeURIComponent(q);
      fetch(target, { signal: controller.signal, credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          if (input.value.trim() === q) show(data.suggestions || []);
        })
        .catch(function (err) { if (err.name !== "AbortError") show([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { lastQuery = ""; fetchSuggestions(); return; }
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          window.location.assign(items[active].url);
        }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("focus", function () {
      if (items.length && input.value.trim() === lastQuery) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    });
    form.addEventListener("submit", function (event) {
      if (!input.value.trim()) { event.preventDefault(); input.focus(); }
    });
  }

  function focusShortcut(event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var el = document.activeElement;
    var tag = el && el.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (el && el.isContentEditable)) return;
    var input = document.getElementById("navsearch-input");
    if (input) { event.preventDefault(); input.focus(); input.select(); }
  }

  function init() {
    document.querySelectorAll("form.navsearch").forEach(setup);
    document.addEventListener("keydown", focusShortcut);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

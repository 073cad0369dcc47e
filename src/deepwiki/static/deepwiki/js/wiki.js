/*
 * Wiki pages: the phone sidebar toggle, the table of contents that follows
 * scrolling, and the "select two versions" helper on the history page.
 * The pages work without it.
 */
(function () {
  "use strict";

  /* On small screens the file tree hides behind a button. */
  function initSidebar() {
    var button = document.querySelector(".sidebar-toggle");
    var sidebar = document.getElementById("wiki-sidebar");
    if (!button || !sidebar) return;
    document.documentElement.classList.add("js-sidebar");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      sidebar.classList.toggle("is-open", open);
      if (open) {
        var current = sidebar.querySelector("[aria-current=page]") || sidebar.querySelector("a");
        if (current) current.focus();
      }
    });
    sidebar.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && sidebar.classList.contains("is-open")) {
        button.click();
        button.focus();
      }
    });
    var current = sidebar.querySelector("[aria-current=page]");
    if (current && current.scrollIntoView && sidebar.scrollHeight > sidebar.clientHeight) {
      current.scrollIntoView({ block: "center" });
      window.scrollTo(0, 0);
    }
  }

  /* Big trees arrive with closed folders: fetch a folder's entries when it is
     opened (click, or Enter/Space on its summary). Without JavaScript the
     folder holds a link to its folder page instead. */
  function initLazyTree() {
    var sidebar = document.getElementById("wiki-sidebar");
    if (!sidebar) return;
    sidebar.addEventListener("toggle", function (event) {
      var details = event.target;
      if (!details.open || !details.dataset || !details.dataset.treeSrc) return;
      var src = details.dataset.treeSrc;
      delete details.dataset.treeSrc;
      details.setAttribute("aria-busy", "true");
      fetch(src, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          var list = details.querySelector(":scope > ul");
          var holder = document.createElement("div");
          holder.innerHTML = html;
          if (list && holder.firstElementChild) list.replaceWith(holder.firstElementChild);
        })
        .catch(function () {
          details.dataset.treeSrc = src; /* the folder link stays; retry next time */
        })
        .finally(function () {
          details.removeAttribute("aria-busy");
        });
    }, true);
  }

  /* Highlight the TOC entry of the section being read. */
  function initToc() {
    var links = document.querySelectorAll(".wiki-toc a[data-toc-id]");
    if (!links.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    var headings = [];
    links.forEach(function (link) {
      var heading = document.getElementById(link.dataset.tocId);
      if (!heading) return;
      byId[heading.id] = link;
      headings.push(heading);
    });
    var visible = new Set();
    function setActive(id) {
      links.forEach(function (link) {
        var active = link.dataset.tocId === id;
        link.classList.toggle("is-active", active);
        if (active) link.setAttribute("aria-current", "location");
        else link.removeAttribute("aria-current");
      });
    }
    function update() {
      var active = null;
      for (var i = 0; i < headings.length; i++) {
        if (visible.has(headings[i].id)) { active = headings[i].id; break; }
      }
      if (!active) {
        /* Between headings: the last one above the viewport wins. */
        for (var j = headings.length - 1; j >= 0; j--) {
          if (headings[j].getBoundingClientRect().top < 80) { active = headings[j].id; break; }
        }
      }
      if (active) setActive(active);
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) visible.add(entry.target.id);
        else visible.delete(entry.target.id);
      });
      update();
    }, { rootMargin: "-64px 0px -55% 0px", threshold: 0 });
    headings.forEach(function (heading) { observer.observe(heading); });
  }

  /* History: "Compare" needs exactly two versions ticked. */
  function initCompare() {
    var form = document.querySelector("form.compare-form");
    if (!form) return;
    /* The boxes sit in the table and join the form through form="…". */
    var boxes = Array.prototype.filter.call(form.elements, function (el) {
      return el.type === "checkbox" && el.name === "v";
    });
    var submit = form.querySelector("button[type=submit]");
    function refresh() {
      var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; });
      boxes.forEach(function (b) { b.disabled = !b.checked && ticked.length >= 2; });
      if (submit) submit.disabled = ticked.length !== 2;
    }
    boxes.forEach(function (b) { b.addEventListener("change", refresh); });
    refresh();
  }

  /* Bulk delete: a "select all" box and a live count on the button. */
  function initBulk() {
    var form = document.getElementById("bulk-delete-form");
    if (!form) return;
    var all = document.getElementById("select-all");
    var boxes = document.querySelectorAll("input[type=checkbox][form=bulk-delete-form]");
    var button = form.querySelector("button[type=submit]");
    function refresh() {
      var count = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      button.disabled = count === 0;
      button.textContent = count ? "Delete selected (" + count + ")" : "Delete selected";
      form.setAttribute("data-confirm", "Delete " + count + " wiki" + (count === 1 ? "" : "s") +
        " with all files and history? This cannot be undone.");
      if (all) all.checked = count === boxes.length && count > 0;
    }
    boxes.forEach(function (b) { b.addEventListener("change", refresh); });
    if (all) all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
      refresh();
    });
    refresh();
  }

  function start() {
    initSidebar();
    initLazyTree();
    initToc();
    initCompare();
    initBulk();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

/*
 * DeepWiki diagrams: turns every <pre class="mermaid"> into a Mermaid diagram.
 *
 * Loaded as a plain <script src defer> (no inline script, no build step).
 * Mermaid itself is loaded on demand, only when a page has a diagram, from
 * data-mermaid-src on this script tag or /static/vendor/mermaid/mermaid.min.js.
 * Mermaid runs with securityLevel "strict"; the source always stays viewable;
 * errors show inline; click or Enter opens a zoom/pan dialog.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var MERMAID_SRC =
    (script && script.dataset.mermaidSrc) || "/static/vendor/mermaid/mermaid.min.js";
  var diagrams = [];
  var counter = 0;
  var loading = null;
  var queue = Promise.resolve();

  /* Mermaid's render is not re-entrant: every (re)draw waits for the last. */
  function schedule() {
    queue = queue.then(drawAll, drawAll);
    return queue;
  }

  function currentTheme() {
    var theme = document.documentElement.dataset.theme;
    if (theme === "dark") return "dark";
    if (theme === "light") return "default";
    var media = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");
    return media && media.matches ? "dark" : "default";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Replace the <pre> with a figure: diagram view + collapsible source. */
  function prepare(pre) {
    var source = pre.textContent;
    var figure = el("figure", { class: "diagram" });
    var view = el("div", { class: "diagram-view", "aria-busy": "true" });
    view.appendChild(el("p", { class: "diagram-notice" }, "Drawing diagram\u2026"));
    var details = el("details", { class: "diagram-source" });
    var code = el("pre", { class: "diagram-source-code" });
    code.appendChild(el("code", {}, source));
    details.appendChild(el("summary", {}, "View source"));
    details.appendChild(code);
    figure.appendChild(view);
    figure.appendChild(details);
    pre.replaceWith(figure);
    var diagram = { source: source, figure: figure, view: view, details: details };
    view.addEventListener("click", function () {
      openZoom(diagram);
    });
    view.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        openZoom(diagram);
      }
    });
    return diagram;
  }

  function loadMermaid() {
    if (window.mermaid) return Promise.resolve(window.mermaid);
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var tag = el("script", { src: MERMAID_SRC });
      tag.onload = function () {
        if (window.mermaid) resolve(window.mermaid);
        else reject(new Error("Mermaid did not initialise"));
      };
      tag.onerror = function () {
        reject(new Error("Mermaid could not be loaded"));
      };
      document.head.appendChild(tag);
    });
    return loading;
  }

  function configure(mermaid) {
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: currentTheme(),
      suppressErrorRendering: true,
      // Directives inside diagrams may never change these.
      secure: [
        "secure",
        "securityLevel",
        "startOnLoad",
        "maxTextSize",
        "suppressErrorRendering",
        "maxEdges",
        "htmlLabels",
        "dompurifyConfig",
      ],
    });
  }

  function errorText(error) {
    var message = (error && (error.message || error.str)) || String(error);
    if (/line \d+/i.test(message)) return message;
    var hash = error && error.hash;
    var line = hash && (hash.line !== undefined ? hash.line : hash.loc && hash.loc.first_line);
    return typeof line === "number" ? "Line " + (line + 1) + ": " + message : message;
  }

  function showError(diagram, error) {
    var box = el("div", { class: "mermaid-error", role: "alert" });
    box.appendChild(el("strong", {}, "This diagram could not be drawn."));
    box.appendChild(el("pre", { class: "mermaid-error-message" }, errorText(error)));
    diagram.view.replaceChildren(box);
    diagram.view.removeAttribute("tabindex");
    diagram.view.removeAttribute("role");
    diagram.view.removeAttribute("aria-label");
    diagram.view.classList.add("has-error");
    diagram.details.open = true;
  }

  function showDiagram(diagram, svg) {
    diagram.view.innerHTML = svg; // produced by Mermaid in strict mode (DOMPurify)
    diagram.view.classList.remove("has-error");
    diagram.view.setAttribute("tabindex", "0");
    diagram.view.setAttribute("role", "button");
    diagram.view.setAttribute("aria-label", "Diagram: press Enter to zoom");
  }

  async function draw(mermaid, diagram) {
    var id = "dw-mermaid-" + ++counter;
    try {
      await mermaid.parse(diagram.source);
      var result = await mermaid.render(id, diagram.source);
      showDiagram(diagram, result.svg);
    } catch (error) {
      var leftover = document.getElementById("d" + id);
      if (leftover) leftover.remove();
      showError(diagram, error);
    } finally {
      diagram.view.removeAttribute("aria-busy");
    }
  }

  async function drawAll() {
    var mermaid;
    try {
      mermaid = await loadMermaid();
    } catch (error) {
      diagrams.forEach(function (diagram) {
        var notice = el("p", { class: "diagram-notice", role: "status" });
        notice.textContent = "Diagrams are unavailable (" + error.message + "); the source is shown below.";
        diagram.view.replaceChildren(notice);
        diagram.view.removeAttribute("aria-busy");
        diagram.details.open = true;
      });
      return;
    }
    configure(mermaid);
    for (var i = 0; i < diagrams.length; i++) {
      await draw(mermaid, diagrams[i]);
    }
    document.documentElement.dataset.diagramsReady = "true";
    document.dispatchEvent(new CustomEvent("deepwiki:diagramsrendered"));
  }

  /* ---- zoom / pan dialog ------------------------------------------------ */

  function openZoom(diagram) {
    var svg = diagram.view.querySelector("svg");
    if (!svg) return;
    var dialog = el("dialog", { class: "diagram-dialog", "aria-label": "Diagram (zoom and pan)" });
    var bar = el("div", { class: "diagram-dialog-toolbar" });
    var zoomIn = el("button", { type: "button", "aria-label": "Zoom in" }, "+");
    var zoomOut = el("button", { type: "button", "aria-label": "Zoom out" }, "\u2212");
    var reset = el("button", { type: "button", "aria-label": "Reset zoom" }, "1:1");
    var close = el("button", { type: "button", class: "diagram-dialog-close", "aria-label": "Close" }, "\u00d7");
    [zoomIn, zoomOut, reset, close].forEach(function (b) {
      bar.appendChild(b);
    });
    var stage = el("div", { class: "diagram-stage" });
    var canvas = el("div", { class: "diagram-canvas" });
    var clone = svg.cloneNode(true);
    clone.style.maxWidth = "none";
    canvas.appendChild(clone);
    stage.appendChild(canvas);
    dialog.appendChild(bar);
    dialog.appendChild(stage);
    document.body.appendChild(dialog);

    var view = { scale: 1, x: 0, y: 0 };
    var apply = function () {
      canvas.style.transform =
        "translate(" + view.x + "px," + view.y + "px) scale(" + view.scale + ")";
    };
    var zoomAt = function (factor, cx, cy) {
      var next = Math.min(20, Math.max(0.1, view.scale * factor));
      var rect = stage.getBoundingClientRect();
      var px = (cx === undefined ? rect.width / 2 : cx - rect.left);
      var py = (cy === undefined ? rect.height / 2 : cy - rect.top);
      view.x = px - ((px - view.x) * next) / view.scale;
      view.y = py - ((py - view.y) * next) / view.scale;
      view.scale = next;
      apply();
    };
    zoomIn.addEventListener("click", function () { zoomAt(1.25); });
    zoomOut.addEventListener("click", function () { zoomAt(0.8); });
    reset.addEventListener("click", function () {
      view = { scale: 1, x: 0, y: 0 };
      apply();
    });
    close.addEventListener("click", function () { dialog.close(); });
    stage.addEventListener("wheel", function (event) {
      event.preventDefault();
      zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX, event.clientY);
    }, { passive: false });
    bindPointers(stage, view, zoomAt, apply);
    dialog.addEventListener("keydown", function (event) {
      var step = 40;
      if (event.key === "+" || event.key === "=") zoomAt(1.25);
      else if (event.key === "-") zoomAt(0.8);
      else if (event.key === "ArrowLeft") view.x += step;
      else if (event.key === "ArrowRight") view.x -= step;
      else if (event.key === "ArrowUp") view.y += step;
      else if (event.key === "ArrowDown") view.y -= step;
      else return;
      event.preventDefault();
      apply();
    });
    dialog.addEventListener("close", function () {
      dialog.remove();
      diagram.view.focus();
    });
    dialog.showModal();
    close.focus();
  }

  /* Drag to pan with one pointer, pinch to zoom with two. */
  function bindPointers(stage, view, zoomAt, apply) {
    var pointers = new Map();
    var lastDistance = 0;
    stage.addEventListener("pointerdown", function (event) {
      stage.setPointerCapture(event.pointerId);
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      lastDistance = 0;
    });
    stage.addEventListener("pointermove", function (event) {
      var last = pointers.get(event.pointerId);
      if (!last) return;
      var now = { x: event.clientX, y: event.clientY };
      pointers.set(event.pointerId, now);
      if (pointers.size === 1) {
        view.x += now.x - last.x;
        view.y += now.y - last.y;
        apply();
        return;
      }
      var points = Array.from(pointers.values());
      var distance = Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y);
      if (lastDistance) {
        zoomAt(distance / lastDistance, (points[0].x + points[1].x) / 2, (points[0].y + points[1].y) / 2);
      }
      lastDistance = distance;
    });
    var release = function (event) {
      pointers.delete(event.pointerId);
      lastDistance = 0;
    };
    stage.addEventListener("pointerup", release);
    stage.addEventListener("pointercancel", release);
  }

  /* ---- start ------------------------------------------------------------ */

  function redrawForTheme() {
    if (!window.mermaid || !diagrams.length) return;
    schedule();
  }

  function start() {
    var blocks = document.querySelectorAll("pre.mermaid");
    if (!blocks.length) return;
    diagrams = Array.prototype.map.call(blocks, prepare);
    schedule();
    document.addEventListener("deepwiki:themechange", redrawForTheme);
    if (window.matchMedia) {
      var media = window.matchMedia("(prefers-color-scheme: dark)");
      if (media.addEventListener) media.addEventListener("change", redrawForTheme);
    }
  }

  /* Content replaced in place (the editor's live preview) asks for a rescan. */
  document.addEventListener("deepwiki:contentchanged", function (event) {
    var root = (event.detail && event.detail.root) || document;
    diagrams = diagrams.filter(function (d) { return d.figure.isConnected; });
    var blocks = root.querySelectorAll("pre.mermaid");
    if (!blocks.length) return;
    diagrams = diagrams.concat(Array.prototype.map.call(blocks, prepare));
    schedule();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

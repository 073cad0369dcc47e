/* Dashboard and admin pages: local-time greeting, feed loading/error states,
   and live status of maintenance runs. Works without it; this only improves. */
(function () {
  "use strict";

  function greetingFor(hour) {
    if (hour >= 5 && hour < 12) return "Good morning";
    if (hour >= 12 && hour < 18) return "Good afternoon";
    return "Good evening";
  }

  var greeting = document.getElementById("greeting");
  if (greeting && greeting.dataset.greetingName) {
    greeting.textContent = greetingFor(new Date().getHours()) + ", " + greeting.dataset.greetingName;
  }

  var feed = document.getElementById("activity-feed");
  var feedError = document.getElementById("feed-error");
  var lastFailedPath = null;
  if (feed && feedError) {
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      if (event.detail.target !== feed) return;
      feedError.hidden = true;
      feed.setAttribute("aria-busy", "true");
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.target !== feed) return;
      feed.removeAttribute("aria-busy");
      if (!event.detail.successful) {
        var info = event.detail.pathInfo || {};
        lastFailedPath = info.finalRequestPath || info.requestPath || null;
        feedError.hidden = false;
      }
    });
    document.body.addEventListener("htmx:sendError", function () {
      feed.removeAttribute("aria-busy");
      feedError.hidden = false;
    });
    var retry = document.getElementById("feed-retry");
    if (retry) {
      retry.addEventListener("click", function () {
        if (window.htmx && lastFailedPath) {
          window.htmx.ajax("GET", lastFailedPath, { target: feed, swap: "innerHTML" });
        } else {
          window.location.reload();
        }
      });
    }
  }

  var run = document.querySelector("[data-run-poll]");
  if (run) {
    var status = document.getElementById("run-status");
    var url = run.dataset.runPoll;
    var failures = 0;
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          if (data.status === "succeeded" || data.status === "failed") {
            window.location.reload();
            return;
          }
          if (status) status.textContent = data.status === "running" ? "Running" : "Queued";
          window.setTimeout(poll, 2000);
        })
        .catch(function () {
          failures += 1;
          if (status && failures >= 3) status.textContent = "Status unavailable — reload the page to check again";
          window.setTimeout(poll, Math.min(30000, 2000 * Math.pow(2, failures)));
        });
    };
    window.setTimeout(poll, 1500);
  }
})();

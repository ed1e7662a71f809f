// Olive Branch: small enhancements only. Every page works without this file.
(function () {
  "use strict";

  // Quick exit: leave for a neutral page without adding it to history, so Back does
  // not return here. Escape pressed twice within a second does the same.
  function quickExit() {
    var link = document.getElementById("quick-exit");
    var target = link && navigator.onLine ? link.getAttribute("href") : "about:blank";
    document.title = "";
    document.body.style.visibility = "hidden";
    window.location.replace(target);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#quick-exit");
    if (link) {
      event.preventDefault();
      quickExit();
    }
  });
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEscape < 1000) quickExit();
    lastEscape = now;
  });

  // The pause: a gentle countdown.
  function startTimer(box) {
    var display = box.querySelector("[data-timer-display]");
    var minutes = parseInt(box.getAttribute("data-minutes"), 10) || 10;
    var end = Date.now() + minutes * 60 * 1000;
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var m = Math.floor(left / 60);
      var s = left % 60;
      display.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      if (left === 0) {
        display.textContent = "Time's up. How does the urge feel now?";
        box.classList.add("done");
        return;
      }
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  // The time zone: preselect the one this device uses, unless the person chose one.
  function guessZone(select) {
    if (select.getAttribute("aria-invalid") === "true") return;
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (e) {
      return;
    }
    if (!zone) return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) {
        select.value = zone;
        return;
      }
    }
  }

  // Charts: the data sits in a data-chart attribute; the text summary beside each
  // chart says the same for screen readers and without JavaScript.
  function drawChart(canvas) {
    if (!window.Chart || canvas.dataset.drawn) return;
    var spec = JSON.parse(canvas.getAttribute("data-chart"));
    var style = getComputedStyle(document.documentElement);
    var colours = [style.getPropertyValue("--accent").trim(), style.getPropertyValue("--warn-line").trim()];
    canvas.dataset.drawn = "1";
    new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          return {
            label: s.label,
            data: s.data,
            borderColor: colours[i % 2],
            backgroundColor: colours[i % 2],
            spanGaps: true,
            tension: 0.25
          };
        })
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: true,
        aspectRatio: 1.6,
        scales: { y: { beginAtZero: true, suggestedMax: spec.max || undefined, ticks: { precision: 0 } } },
        plugins: { legend: { labels: { color: style.getPropertyValue("--fg").trim() } } }
      }
    });
  }

  // Offline: a request that cannot reach the server leaves the page as it is (with what
  // was typed) and says so calmly.
  function offline(show) {
    var notice = document.getElementById("offline-notice");
    if (notice) notice.hidden = !show;
  }
  document.addEventListener("htmx:sendError", function () { offline(true); });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail && event.detail.successful !== undefined && event.detail.xhr && event.detail.xhr.status) offline(false);
  });
  window.addEventListener("online", function () { offline(false); });
  window.addEventListener("offline", function () { offline(true); });

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active && navigator.onLine) registration.active.postMessage("refresh-help");
    });
  }

  // Run on the first page and on every page htmx swaps in (boosted navigation keeps the
  // whole visit in one history entry, so the quick exit leaves nothing to go Back to).
  function setUp(root) {
    root.querySelectorAll("[data-timer]").forEach(startTimer);
    root.querySelectorAll("select[data-guess-zone]").forEach(guessZone);
    root.querySelectorAll("canvas[data-chart]").forEach(drawChart);
    var errors = root.querySelector("#form-errors");
    if (errors) errors.focus();
  }
  if (window.htmx) {
    window.htmx.onLoad(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  }
})();

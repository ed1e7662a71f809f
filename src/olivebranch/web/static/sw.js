// Olive Branch service worker: the app shell and static files open fast and work offline.
// Personal pages are never cached (the server marks them no-store); only the static files,
// the support lines page and a calm offline page are kept.
"use strict";

var VERSION = "ob-shell-v1";
var SHELL = [
  "/offline",
  "/help",
  "/static/app.css",
  "/static/app.js",
  "/static/icon.svg",
  "/static/vendor/htmx.min.js",
  "/static/vendor/chart.umd.min.js"
];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(VERSION).then(function (cache) { return cache.addAll(SHELL); }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k !== VERSION; }).map(function (k) {
        return caches.delete(k);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

// Each full page load asks for the support lines to be refreshed, so that the copy kept for
// offline use follows the person's region.
self.addEventListener("message", function (event) {
  if (event.data !== "refresh-help") return;
  event.waitUntil(
    fetch("/help").then(function (answer) {
      if (answer.ok) return caches.open(VERSION).then(function (cache) { return cache.put("/help", answer); });
    }).catch(function () {})
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  // Live requests from the page (htmx) are left alone: when they fail, the page stays as it
  // is, with everything typed in it, and says it is offline.
  if (request.headers.get("HX-Request")) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(
      caches.match(request).then(function (hit) {
        return hit || fetch(request).then(function (answer) {
          var copy = answer.clone();
          if (answer.ok) caches.open(VERSION).then(function (cache) { cache.put(request, copy); });
          return answer;
        });
      })
    );
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).then(function (answer) {
        if (url.pathname === "/help" && answer.ok) {
          var copy = answer.clone();
          caches.open(VERSION).then(function (cache) { cache.put("/help", copy); });
        }
        return answer;
      }).catch(function () {
        return caches.match(url.pathname === "/help" ? "/help" : "/offline").then(function (hit) {
          return hit || caches.match("/offline");
        });
      })
    );
  }
});

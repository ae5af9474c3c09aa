// The courier's manifest, openable with no network (issue 18). This service worker keeps the last
// manifest the server drew for this phone and the two files the page needs; it touches no other page,
// so nothing else a staff member opened is kept on the phone. Scans do not go through here: the page
// writes each one to IndexedDB first (courier.js), so a reload while offline shows the manifest from
// this cache and the queue of scans from IndexedDB, and sends them when the network returns.
"use strict";
var CACHE = "cbd-courier-v1";
var PAGE = "/console/bang-ke";
var ASSETS = ["/console/assets/console.css", "/console/assets/courier.js"];

// Keeps a manifest response only if it is the manifest (not the sign-in page a redirect led to).
function keep(cache, response) {
  if (response.ok && !response.redirected && response.type === "basic") {
    return cache.put(PAGE, response);
  }
  return cache.delete(PAGE);
}

self.addEventListener("install", function (event) {
  self.skipWaiting();
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ASSETS).then(function () {
      return fetch(PAGE, { credentials: "same-origin" }).then(function (response) { return keep(cache, response); });
    }).catch(function () { /* offline at install: the next visit fills the cache */ });
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) {
      return caches.delete(name);
    }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === "/console/dang-nhap") {
    // Signed out (or never signed in): the last courier's manifest must not stay on a shared phone.
    event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.delete(PAGE); }));
    return;
  }
  if (url.pathname === PAGE && request.mode === "navigate") {
    // The network first (the manifest changes when the clerk plans again); the kept copy without one.
    event.respondWith(fetch(request).then(function (response) {
      var copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) {
        return url.search === "" || url.search.indexOf("?ket-qua=") === 0 ? keep(cache, copy) : null;
      }));
      return response;
    }).catch(function () {
      return caches.match(PAGE).then(function (kept) {
        return kept || new Response("Không có mạng và máy chưa lưu bảng kê nào. Hãy mở lại khi có sóng.", {
          status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" },
        });
      });
    }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    // The kept copy at once, refreshed in the background for next time.
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(url.pathname).then(function (kept) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) cache.put(url.pathname, response.clone());
          return response;
        });
        if (kept) {
          event.waitUntil(fresh.catch(function () {}));
          return kept;
        }
        return fresh;
      });
    }));
  }
});

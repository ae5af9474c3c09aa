// The route page's map (issue 18): each run's stops as numbered points joined in route order, the post
// office as a square, drawn with Leaflet (vendored from Debian's libjs-leaflet, BSD-2-Clause, see
// leaflet-LICENSE.txt). No tile layer: nothing is fetched from the internet, so the map works in an
// office without a connection; the stop list under it carries the addresses.
(function () {
  "use strict";
  var COLOURS = ["#b3261e", "#1f5fae", "#2e7d32", "#8e44ad"];

  function draw() {
    var element = document.getElementById("ban-do");
    if (!element || typeof L === "undefined") return;
    var data;
    try { data = JSON.parse(element.getAttribute("data-route")); } catch (e) { return; }
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    var bounds = [];
    var office = data.office;
    if (office && (office.lat !== 0 || office.lon !== 0)) {
      var home = [office.lat, office.lon];
      L.marker(home, { icon: L.divIcon({ className: "map-office", html: "BC", iconSize: [26, 26] }), title: office.name })
        .addTo(map);
      bounds.push(home);
    }
    (data.runs || []).forEach(function (run, index) {
      var colour = COLOURS[index % COLOURS.length];
      var line = bounds.length ? [bounds[0]] : [];
      run.stops.forEach(function (stop) {
        var point = [stop.lat, stop.lon];
        line.push(point);
        bounds.push(point);
        L.marker(point, {
          icon: L.divIcon({ className: "map-stop map-stop-" + (index % COLOURS.length), html: String(stop.sequence), iconSize: [24, 24] }),
          title: stop.sequence + ". " + stop.name + " (" + run.label + ")",
        }).addTo(map);
      });
      if (line.length > 1) L.polyline(line, { color: colour, weight: 3, opacity: 0.8 }).addTo(map);
    });
    function fit() { if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 }); }
    fit();
    // A phone turned sideways (or a window resized) keeps every stop in view.
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { map.invalidateSize(); fit(); }, 150);
    });
    element.setAttribute("data-drawn", String(bounds.length));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

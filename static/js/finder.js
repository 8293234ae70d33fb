// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // 1. The seeker's time zone, so times can be shown in their own zone.
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  // IANA names are plain ASCII ("America/New_York"): kept as they are, so the server can read them.
  if (!/^[A-Za-z0-9_+\/-]{1,64}$/.test(zone)) { zone = ""; }
  document.querySelectorAll("input[name=tz]").forEach(function (input) {
    if (!input.value && zone) { input.value = zone; }
  });
  // Remembered in a cookie (a zone name, nothing personal) so the server can show times in it.
  // No reload: until the cookie arrives the server shows times in the searched place's zone, or
  // each meeting's own zone named by its place, which is right for a first visit.
  if (zone && document.cookie.split("; ").indexOf("tz=" + zone) === -1) {
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
  }

  // 2. "Use my location": fill the hidden coordinates and search.
  var locate = document.getElementById("use-location");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      var form = locate.form;
      var status = document.getElementById("location-status");
      if (status) { status.textContent = locate.dataset.finding || "Finding your location…"; }
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(4);
        form.elements.lon.value = position.coords.longitude.toFixed(4);
        form.elements.near.value = "";
        form.submit();
      }, function () {
        if (status) { status.textContent = locate.dataset.failed || "Your location is not available. Type a place instead."; }
      }, { timeout: 10000, maximumAge: 600000 });
    });
  }
  // Typing a place replaces coordinates from an earlier "use my location".
  var near = document.querySelector("input[name=near]");
  if (near && near.form && near.form.elements.lat) {
    near.addEventListener("input", function () {
      near.form.elements.lat.value = "";
      near.form.elements.lon.value = "";
    });
  }

  // 3. A map of the results, when a tile server is configured and Leaflet loaded.
  var mapEl = document.getElementById("map");
  if (mapEl && mapEl.dataset.tiles && window.L) {
    var points = [];
    document.querySelectorAll("[data-lat][data-lon]").forEach(function (item) {
      var link = item.querySelector("a.name");
      points.push({ lat: +item.dataset.lat, lon: +item.dataset.lon, label: item.dataset.label || "",
                    name: link ? link.textContent : "", href: link ? link.getAttribute("href") : "" });
    });
    if (points.length) {
      mapEl.hidden = false;
      // One tab stop: the map itself (arrow keys pan); markers are named but not tab stops,
      // since the list below holds the same meetings as links.
      var map = window.L.map(mapEl, { scrollWheelZoom: false, zoomControl: false });
      window.L.tileLayer(mapEl.dataset.tiles, { attribution: mapEl.dataset.attribution || "", maxZoom: 18 }).addTo(map);
      var bounds = [];
      points.forEach(function (p) {
        var marker = window.L.marker([p.lat, p.lon], { title: p.label, alt: p.label, keyboard: false }).addTo(map);
        var a = document.createElement("a");
        a.href = p.href; a.textContent = p.name;
        marker.bindPopup(a);
        bounds.push([p.lat, p.lon]);
      });
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
    }
  }

  // 4. Copy buttons (the plan's calendar URL).
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.dataset.copy);
      navigator.clipboard.writeText(target.value || target.textContent).then(function () {
        button.textContent = button.dataset.copied || "Copied";
      });
    });
  });
})();

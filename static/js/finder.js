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

  // 3. The results map is static/js/results-map.js, loaded with Leaflet only when a map is shown.

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

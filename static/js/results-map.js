// The results map (loaded with Leaflet, only when the page shows a map). Every page works without it.
// Markers close together are grouped so that no two targets overlap (WCAG 2.2 target size): the
// groups are made again at each zoom, from the icons' own boxes on screen.
(function () {
  "use strict";
  var mapEl = document.getElementById("map");
  var L = window.L;
  if (!mapEl || !mapEl.dataset.tiles || !L) { return; }

  var SPACING = 4; // pixels kept clear between two targets
  var GROUP = 36;  // a group's round target, in pixels
  var MARKER = { left: 12, right: 13, top: 41, bottom: 0 }; // Leaflet's pin, anchored at its tip

  var points = [];
  document.querySelectorAll("[data-lat][data-lon]").forEach(function (item) {
    var link = item.querySelector("a.name");
    points.push({ latlng: L.latLng(+item.dataset.lat, +item.dataset.lon), label: item.dataset.label || "",
                  name: link ? link.textContent : "", href: link ? link.getAttribute("href") : "" });
  });
  if (!points.length) { return; }
  mapEl.hidden = false;

  // One tab stop: the map itself (arrow keys pan); markers are named but not tab stops, since
  // the list below holds the same meetings as links.
  var map = L.map(mapEl, { scrollWheelZoom: false, zoomControl: false });
  L.tileLayer(mapEl.dataset.tiles, { attribution: mapEl.dataset.attribution || "", maxZoom: 18 }).addTo(map);
  map.attributionControl.setPrefix(false); // the tiles' attribution stays; no extra link to Leaflet
  var layer = L.layerGroup();

  function box(group) {
    var p = group.at;
    if (group.members.length === 1) {
      return [p.x - MARKER.left, p.y - MARKER.top, p.x + MARKER.right, p.y + MARKER.bottom];
    }
    return [p.x - GROUP / 2, p.y - GROUP / 2, p.x + GROUP / 2, p.y + GROUP / 2];
  }

  function overlap(a, b) {
    var s = SPACING;
    return a[0] < b[2] + s && b[0] < a[2] + s && a[1] < b[3] + s && b[1] < a[3] + s;
  }

  function merged(a, b) {
    var members = a.members.concat(b.members);
    var x = 0, y = 0;
    members.forEach(function (m) { x += m.px.x; y += m.px.y; });
    return { members: members, at: L.point(x / members.length, y / members.length) };
  }

  // Merge any two groups whose targets touch, until none do (fifty rows at most: cheap).
  function groups() {
    var found = points.map(function (p) {
      var px = map.latLngToLayerPoint(p.latlng);
      return { members: [{ point: p, px: px }], at: px };
    });
    for (var changed = true; changed;) {
      changed = false;
      for (var i = 0; i < found.length && !changed; i++) {
        for (var j = i + 1; j < found.length; j++) {
          if (overlap(box(found[i]), box(found[j]))) {
            found[i] = merged(found[i], found[j]);
            found.splice(j, 1);
            changed = true;
            break;
          }
        }
      }
    }
    return found;
  }

  function popupList(members) {
    var list = document.createElement("ul");
    list.className = "map-list";
    members.forEach(function (m) {
      var item = document.createElement("li");
      var a = document.createElement("a");
      a.href = m.point.href; a.textContent = m.point.label || m.point.name;
      item.appendChild(a);
      list.appendChild(item);
    });
    return list;
  }

  function draw() {
    layer.clearLayers();
    groups().forEach(function (group) {
      var at = map.layerPointToLatLng(group.at);
      var members = group.members;
      if (members.length === 1) {
        var p = members[0].point;
        var a = document.createElement("a");
        a.href = p.href; a.textContent = p.name;
        L.marker(at, { title: p.label, alt: p.label, keyboard: false }).bindPopup(a).addTo(layer);
        return;
      }
      var names = members.map(function (m) { return m.point.label; }).join("; ");
      var label = (mapEl.dataset.group || "{n} meetings").replace("{n}", members.length);
      var marker = L.marker(at, {
        keyboard: false, title: label + ": " + names,
        icon: L.divIcon({ className: "map-group", html: String(members.length), iconSize: [GROUP, GROUP] })
      });
      marker.on("add", function () {
        marker.getElement().setAttribute("role", "img");
        marker.getElement().setAttribute("aria-label", label + ": " + names);
      });
      marker.addTo(layer);
      var bounds = L.latLngBounds(members.map(function (m) { return m.point.latlng; }));
      marker.on("click", function () {
        // Zoom in to part the group; where it cannot part (one building), list its meetings.
        var zoom = Math.min(map.getBoundsZoom(bounds.pad(0.2)), map.getMaxZoom());
        if (zoom > map.getZoom()) {
          map.fitBounds(bounds.pad(0.2));
        } else {
          marker.bindPopup(popupList(members)).openPopup();
        }
      });
    });
  }

  map.fitBounds(points.map(function (p) { return p.latlng; }), { padding: [24, 24], maxZoom: 14 });
  layer.addTo(map);
  draw();
  map.on("zoomend", draw);
})();

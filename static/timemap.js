/* TimeMap: shows a pack's borders for any day in the browser, without a server round trip.
 *
 * Every polygon version arrives once with its lifetime [s, e) in proleptic day ordinals (the
 * numbering of Python's date.toordinal); changing the day only switches which versions are on
 * the map. In the dashboard ("app" mode) the day follows the page's year slider and the `date`
 * URL parameter; in exported pages ("standalone" mode) the map carries its own slider.
 * Names arrive HTML-escaped from the server and are only ever inserted as such.
 */
(function () {
  "use strict";
  var EPOCH = 719163; // date(1970, 1, 1).toordinal()
  var DASH = { precise: null, moderate: "7 4", approximate: "2 5" };
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function ordinal(year, month, day) {
    return Math.round(Date.UTC(year, month - 1, day) / 86400000) + EPOCH;
  }
  function fromOrdinal(n) {
    var d = new Date((n - EPOCH) * 86400000);
    return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
  }
  function longDate(n) {
    var t = fromOrdinal(n);
    return t.d + " " + MONTHS[t.m - 1] + " " + t.y;
  }
  function parseIso(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return m ? ordinal(+m[1], +m[2], +m[3]) : null;
  }
  function yearEnd(year) { return ordinal(year, 12, 31); }
  function unescape(escaped) {  // names arrive HTML-escaped; a textarea decodes, never runs
    var area = document.createElement("textarea");
    area.innerHTML = escaped;
    return area.value;
  }

  function attach(map, data, options) {
    var api = { day: null, map: map, ready: false };
    if (data.url) {
      fetch(data.url).then(function (r) { return r.json(); })
        .then(function (loaded) { build(api, map, loaded, options || {}); });
    } else {
      build(api, map, data, options || {});
    }
    return api;
  }

  function baseLayers(map, data, opts, labels) {
    map.createPane("tm-land").style.zIndex = 350;
    map.createPane("tm-modern").style.zIndex = 450;
    map.getPane("tm-modern").style.pointerEvents = "none";
    var overlays = {};
    if (data.lines) {
      L.geoJSON(data.lines, { pane: "tm-land", interactive: false, style: {
        color: "#9a9a9a", weight: 0.6, fillColor: "#ecebe6", fillOpacity: 1 } }).addTo(map);
      overlays["Today's borders"] = L.geoJSON(data.lines, { pane: "tm-modern",
        interactive: false, style: { color: "#1f1f1f", weight: 1.6, fill: false,
          dashArray: "8 3 2 3" } });
    }
    overlays["Names"] = labels;
    if (opts.tiles) {
      overlays["Web map tiles (needs internet)"] = L.tileLayer(opts.tiles.url, {
        attribution: opts.tiles.attribution, pane: "tm-land", maxZoom: 18 });
    }
    L.control.layers(null, overlays, { collapsed: true }).addTo(map);
  }

  function build(api, map, data, opts) {
    var shown = L.layerGroup().addTo(map);
    var labels = L.layerGroup();
    if (opts.labels !== false) { labels.addTo(map); }
    baseLayers(map, data, opts, labels);
    api.shown = shown;
    var items = [];
    // Below Leaflet's overlay pane (400), so a treaty's highlighted areas stay on top even
    // though the day's polygons are re-added at every change.
    map.createPane("tm-borders").style.zIndex = 390;
    L.geoJSON(data.versions, {
      pane: "tm-borders",
      style: function (f) {
        return { color: "#3b3b3b", weight: 1.1, opacity: 0.9, fillColor: f.properties.c,
          fillOpacity: 0.62, dashArray: DASH[f.properties.q] || null };
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(f.properties.n, { sticky: true, className: "tm-tip" });
        var label = L.marker([f.properties.l[1], f.properties.l[0]], {
          interactive: false, keyboard: false,
          icon: L.divIcon({ className: "tm-label", html: "<span>" + f.properties.n + "</span>",
            iconSize: null })
        });
        items.push({ p: f.properties, layer: layer, label: label });
      }
    });
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "tm-legend");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    legend.addTo(map);
    var caption = L.control({ position: "topright" });
    caption.onAdd = function () { return L.DomUtil.create("div", "tm-caption"); };
    caption.addTo(map);

    api.setDay = function (day) {
      if (day === api.day || day === null || isNaN(day)) { return; }
      api.day = day;
      var seen = {}, entries = [], precisions = {};
      items.forEach(function (it) {
        var on = it.p.s <= day && day < it.p.e;
        if (on) {
          shown.addLayer(it.layer); labels.addLayer(it.label);
          if (!seen[it.p.p]) { seen[it.p.p] = 1; entries.push(it.p); }
          precisions[it.p.q] = 1;
        } else {
          shown.removeLayer(it.layer); labels.removeLayer(it.label);
        }
      });
      entries.sort(function (a, b) { return a.n < b.n ? -1 : 1; });
      var html = "<div class='tm-legend-title'>Holders</div>";
      entries.forEach(function (p) {
        html += "<div><span class='tm-swatch' style='background:" + p.c + "'></span>" + p.n +
          "</div>";
      });
      html += "<div class='tm-legend-title'>Borders</div>";
      ["precise", "moderate", "approximate"].forEach(function (q) {
        if (precisions[q]) {
          html += "<div><svg width='28' height='8'><line x1='0' y1='4' x2='28' y2='4' " +
            "stroke='#3b3b3b' stroke-width='2' stroke-dasharray='" + (DASH[q] || "") +
            "'/></svg> " + q + "</div>";
        }
      });
      legend.getContainer().innerHTML = html;
      caption.getContainer().textContent = "Borders on " + longDate(day);
      // The text alternative for screen readers: the date and who held the land.
      var plain = entries.map(function (p) { return unescape(p.n); }).join(", ");
      map.getContainer().setAttribute("role", "region");
      var changed = (opts.events || []).filter(function (e) { return e.d === day; })
        .map(function (e) { return " " + unescape(e.t); }).join("");
      map.getContainer().setAttribute("aria-label", "Map of the borders on " +
        longDate(day) + ". Holders: " + plain + "." + changed);
      map.getContainer().setAttribute("data-day", String(day));
      if (api.onDay) { api.onDay(day); }
    };
    api.visibleCount = function () { return shown.getLayers().length; };
    api.visiblePolities = function () {
      return items.filter(function (it) { return shown.hasLayer(it.layer); })
        .map(function (it) { return it.p.p; });
    };
    api.setDay(opts.initialDay || yearEnd(opts.startYear || 1900));
    if (opts.mode === "app") { followPage(api, opts); }
    if (opts.mode === "standalone") { addSlider(api, opts); }
    api.ready = true;
    window.timeMap = api;
  }

  /* Dashboard: the year slider lives in the parent page (same origin). Follow its value at
   * once, then the `date` URL parameter that the server writes after the rerun. */
  function followPage(api, opts) {
    var observed = null, expected = null, lastUrl = null, bound = null, lastUser = 0;
    function slider() {
      try {
        return window.parent.document.querySelector(
          "[data-testid='stSlider'] input[type='range']");
      } catch (err) { return null; }
    }
    // A slider value the server set (alongside an exact day in the URL) is `expected` and
    // already shown; any other new value is the person's and shows 31 December of that year.
    function fromSlider(input) {
      var year = parseInt(input.value, 10);
      if (isNaN(year) || year === observed) { return; }
      observed = year;
      if (year !== expected) { api.setDay(yearEnd(year)); }
    }
    function touched() { lastUser = Date.now(); }
    function tick() {
      var input = slider();
      if (input && input !== bound) {
        bound = input;
        var box = input.closest("[data-testid='stSlider']") || input;
        ["keydown", "pointerdown", "input"].forEach(function (name) {
          box.addEventListener(name, touched, true);
        });
        input.addEventListener("input", function () { fromSlider(input); });
        observed = parseInt(input.value, 10);
      }
      // The URL carries the exact day the server chose (previous/next change, playback, a
      // treaty's before/after). It wins, unless the person has just moved the slider past it:
      // then it answers an earlier position and the newer position stays.
      var url = null;
      try { url = new URLSearchParams(window.parent.location.search).get("date"); } catch (e) {}
      if (url !== lastUrl) {
        lastUrl = url;
        var day = parseIso(url);
        var year = day ? fromOrdinal(day).y : null;
        var stale = input && Date.now() - lastUser < 1500 && year !== parseInt(input.value, 10);
        if (day && !stale) { api.setDay(day); expected = year; }
      }
      if (input) { fromSlider(input); }
    }
    // Checked every animation frame: the slider's keyboard and pointer moves change its value
    // without always firing an input event, and a frame is the soonest anything can be drawn.
    function loop() { tick(); window.requestAnimationFrame(loop); }
    loop();
  }

  /* Standalone pages: a slider, previous/next change buttons and play, inside the map. */
  function addSlider(api, opts) {
    var control = L.control({ position: "bottomleft" });
    var playing = null;
    var changes = (opts.events || []).map(function (e) { return e.d; }).sort(function (a, b) {
      return a - b;
    });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "tm-slider");
      L.DomEvent.disableClickPropagation(div);
      var ticks = "<datalist id='tm-ticks'>";
      (opts.events || []).forEach(function (e) { ticks += "<option value='" + e.y + "'>"; });
      ticks += "</datalist>";
      div.innerHTML = "<button type='button' class='tm-prev' title='Previous change'>&#9664;" +
        "</button><button type='button' class='tm-play' title='Play'>&#9654;</button>" +
        "<button type='button' class='tm-next' title='Next change'>&#9654;&#9654;</button>" +
        "<input type='range' aria-label='Year' list='tm-ticks' min='" + opts.startYear +
        "' max='" + opts.endYear + "' step='1' value='" + fromOrdinal(api.day).y + "'>" +
        "<span class='tm-year'></span>" + ticks;
      var input = div.querySelector("input"), year = div.querySelector(".tm-year");
      function show() { year.textContent = input.value; }
      input.addEventListener("input", function () { api.setDay(yearEnd(+input.value)); show(); });
      function jump(day) { if (day) { api.setDay(day); input.value = fromOrdinal(day).y; show(); } }
      function next() { return changes.filter(function (d) { return d > api.day; })[0]; }
      function prev() { return changes.filter(function (d) { return d < api.day; }).pop(); }
      div.querySelector(".tm-next").addEventListener("click", function () { jump(next()); });
      div.querySelector(".tm-prev").addEventListener("click", function () { jump(prev()); });
      div.querySelector(".tm-play").addEventListener("click", function (ev) {
        if (playing) { clearInterval(playing); playing = null; ev.target.innerHTML = "&#9654;";
          return; }
        ev.target.innerHTML = "&#10074;&#10074;";
        playing = setInterval(function () {
          var d = next();
          if (!d) { clearInterval(playing); playing = null; ev.target.innerHTML = "&#9654;"; }
          jump(d);
        }, opts.playMs || 1200);
      });
      show();
      api.slider = input;
      var previous = api.onDay;
      // Keep the thumb on the year shown when a lesson step or a card button moves the map.
      api.onDay = function (day) {
        input.value = fromOrdinal(day).y; show();
        if (previous) { previous(day); }
      };
      return div;
    };
    control.addTo(api.map);
  }

  window.TimeMap = { attach: attach, ordinal: ordinal, parseIso: parseIso };
})();

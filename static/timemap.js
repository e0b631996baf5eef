/* TimeMap: a pack's borders for any day, drawn in the browser from topology-encoded data.
 *
 * The data (geo/topology.py, decoded by static/topology.js) holds every atom of land once with
 * the dated list of its holders, and every border arc once with its precision over time. A day
 * is shown by recolouring the atoms and redrawing the arcs whose two sides differ; nothing is
 * fetched. The map owns its time controls (year slider with change ticks, previous/next change,
 * play/pause with a speed); a page that embeds it hears about the day through `api.onDay` and
 * about clicks through `api.onClick`, and moves it with `api.goto`. The dashboard's Streamlit
 * component and the standalone pages use this same file.
 * Names arrive HTML-escaped from the server and are only ever inserted as such.
 */
(function () {
  "use strict";
  var EPOCH = 719163; // date(1970, 1, 1).toordinal()
  var DASH = { p: null, m: "7 4", a: "2 5" };
  var PRECISION = { p: "surveyed line (today's border)", m: "moderate", a: "approximate" };
  var SPEEDS = { slow: 2400, normal: 1200, fast: 600 };
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
  function isoDate(n) {
    var t = fromOrdinal(n);
    function two(v) { return (v < 10 ? "0" : "") + v; }
    return ("000" + t.y).slice(-4) + "-" + two(t.m) + "-" + two(t.d);
  }
  function yearEnd(year) { return ordinal(year, 12, 31); }
  function unescape(escaped) {  // names arrive HTML-escaped; a textarea decodes, never runs
    var area = document.createElement("textarea");
    area.innerHTML = escaped;
    return area.value;
  }
  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
  /* A holder's colour lightened towards white, drawn opaque: the atoms of one holder, each
   * outlined in the same tint, then meet without the darker seam translucent edges leave. */
  function tinted(polity) {
    if (polity.tint) { return polity.tint; }
    var c = /^#([0-9a-f]{6})$/i.exec(polity.c), n = c ? parseInt(c[1], 16) : 0x888888;
    var rgb = [n >> 16, (n >> 8) & 255, n & 255].map(function (v) {
      return Math.round(v * 0.66 + 255 * 0.34);
    });
    polity.tint = "#" + rgb.map(function (v) { return (v < 16 ? "0" : "") + v.toString(16); })
      .join("");
    return polity.tint;
  }

  function attach(map, data, options) {
    var api = { day: null, map: map, ready: false, onDay: null, onClick: null, pending: [] };
    // Calls made before the data arrives are replayed once it is drawn.
    api.goto = function (command) { api.pending.push(command); };
    if (data.url) {
      fetch(data.url).then(function (r) { return r.json(); })
        .then(function (loaded) { build(api, map, loaded, options || {}); });
    } else {
      build(api, map, data, options || {});
    }
    window.timeMap = api;
    return api;
  }

  function panes(map) {
    [["tm-context", 300], ["tm-fill", 350], ["tm-borders", 390], ["tm-event", 410],
      ["tm-modern", 450], ["tm-labels", 460], ["tm-click", 620]].forEach(function (p) {
      map.createPane(p[0]).style.zIndex = p[1];
    });
    ["tm-modern", "tm-labels", "tm-context"].forEach(function (name) {
      map.getPane(name).style.pointerEvents = "none";
    });
  }

  /* Land outside the pack's scope: today's countries, faded and named, so that a state whose
   * history the pack does not cover never reads as empty grey. */
  function contextLayer(topo) {
    var group = L.layerGroup();
    topo.context().forEach(function (c) {
      L.polygon(c.latlngs, { pane: "tm-context", interactive: false, color: "#c9c5bb",
        weight: 0.7, fillColor: "#eceae4", fillOpacity: 1 }).addTo(group);
    });
    return group;
  }

  function contextLabels(topo) {
    return topo.context().map(function (c) {
      return { html: c.n, lat: c.lat, lng: c.lng, area: -1, cls: "tm-label tm-context-label" };
    });
  }

  function build(api, map, data, opts) {
    var topo = TreatyTopology.decode(data);
    topo.data = topo.data || data;
    var state = { topo: topo, opts: opts, labelsOn: opts.labels !== false,
      legendOpen: map.getSize().x >= 640 };  // on a phone the key starts folded
    panes(map);
    if (opts.fit) {
      map.options.zoomSnap = 0.25;
      // A treaty's land opens with its neighbours around it, as a focus does.
      var first = L.latLngBounds(opts.fit).pad(opts.event ? 0.5 : 0);
      map.fitBounds(first, { animate: false, maxZoom: opts.event ? 7 : 18 });
    }
    contextLayer(topo).addTo(map);
    state.fills = fillLayers(topo, map);
    state.borders = borderLayers(map);
    state.labels = L.layerGroup().addTo(map);
    state.event = L.layerGroup().addTo(map);
    state.modern = L.polyline(topo.modernLines(), { pane: "tm-modern", interactive: false,
      color: "#1f1f1f", weight: 1.6, dashArray: "8 3 2 3" });
    state.contextLabels = contextLabels(topo);
    state.legend = legendControl(map);
    state.caption = captionControl(map);
    layersControl(map, state);
    clickMarker(api, map);
    api.setDay = function (day) { setDay(api, state, day); };
    api.showEvent = function (eventId) { showEvent(api, state, eventId); };
    api.focus = function (bounds) { focus(map, bounds); };
    api.visiblePolities = function () { return visiblePolities(state); };
    api.visibleLabels = function () {
      return state.labels.getLayers().map(function (m) { return m.options.title; });
    };
    api.goto = function (command) { goto(api, state, command); };
    map.on("zoomend moveend", function () { refreshView(map, state); });
    setDay(api, state, opts.initialDay || yearEnd(opts.endYear || 1900));
    if (opts.event) { showEvent(api, state, opts.event); }
    if (opts.controls !== false) { timeControls(api, state); }
    refreshView(map, state);  // the controls now take room that labels must leave free
    api.ready = true;
    var pending = api.pending; api.pending = [];
    pending.forEach(function (c) { api.goto(c); });
    if (api.onReady) { api.onReady(); }
  }

  function fillLayers(topo, map) {
    var fills = [];
    for (var i = 0; i < topo.atomCount; i++) {
      // Each atom is outlined in its own fill colour: neighbours held by the same polity then
      // meet without a hairline seam. Borders are drawn separately, once, from the arcs.
      var poly = L.polygon(topo.atomLatLngs(i), { pane: "tm-fill", weight: 1, opacity: 1,
        fillOpacity: 1, className: "tm-atom" });
      poly.atom = i;
      var box = poly.getBounds();
      poly.box = box.isValid() ? box : null;
      poly.bindTooltip("", { sticky: true, className: "tm-tip" });
      fills.push(poly);
    }
    fills.forEach(function (f) { f.addTo(map); });
    return fills;
  }

  function borderLayers(map) {
    var layers = {};
    ["a", "m", "p"].forEach(function (q) {
      layers[q] = L.polyline([], { pane: "tm-borders", interactive: false, color: "#2e2e2e",
        weight: q === "p" ? 1.5 : 1.3, opacity: 0.95, dashArray: DASH[q],
        className: "tm-border tm-border-" + q }).addTo(map);
    });
    layers.scope = L.polyline([], { pane: "tm-borders", interactive: false, color: "#7a7a7a",
      weight: 0.9, opacity: 0.9, className: "tm-scope" }).addTo(map);
    return layers;
  }

  function setDay(api, state, day) {
    if (day === api.day || day === null || isNaN(day)) { return; }
    api.day = day;
    state.day = day;
    var topo = state.topo, polities = topo.polities;
    state.fills.forEach(function (f) {
      var h = topo.holder(f.atom, day);
      f.holder = h;
      if (h < 0) { f.setStyle({ fillOpacity: 0, opacity: 0 }); return; }
      var tint = tinted(polities[h]);
      f.setStyle({ fillColor: tint, color: tint, fillOpacity: 1, opacity: 1 });
      f.setTooltipContent(polities[h].n);
    });
    var lines = topo.borders(day);
    ["a", "m", "p", "scope"].forEach(function (q) { state.borders[q].setLatLngs(lines[q] || []); });
    state.precisions = { p: (lines.p || []).length > 0, m: (lines.m || []).length > 0,
      a: (lines.a || []).length > 0 };
    state.caption.getContainer().textContent = "Borders on " + longDate(day);
    describe(api, state, day);
    refreshView(api.map, state);
    if (state.onDayControls) { state.onDayControls(day); }
    if (api.onDay) { api.onDay(day); }
  }

  /* The text alternative for screen readers: the date, who held the land, what changed. */
  function describe(api, state, day) {
    var seen = {}, names = [];
    state.fills.forEach(function (f) {
      if (f.holder >= 0 && !seen[f.holder]) {
        seen[f.holder] = 1; names.push(unescape(state.topo.polities[f.holder].n));
      }
    });
    names.sort();
    var changed = (state.opts.events || []).filter(function (e) { return e.d === day; })
      .map(function (e) { return " " + unescape(e.t); }).join("");
    var box = api.map.getContainer();
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Map of the borders on " + longDate(day) + ". Holders: " +
      names.join(", ") + "." + changed);
    box.setAttribute("data-day", String(day));
  }

  function visiblePolities(state) {
    var seen = {}, out = [];
    state.fills.forEach(function (f) {
      if (f.holder >= 0 && !seen[f.holder]) {
        seen[f.holder] = 1; out.push(state.topo.polities[f.holder].id);
      }
    });
    return out.sort();
  }

  /* What depends on the part of the map in view: the legend and the labels. */
  function refreshView(map, state) {
    var view = map.getBounds(), inView = {};
    state.fills.forEach(function (f) {
      if (f.holder >= 0 && f.box && view.intersects(f.box)) { inView[f.holder] = 1; }
    });
    state.map = map;
    state.inView = inView;
    legend(state, inView);
    placeLabels(map, state, inView);
  }

  function legend(state, inView) {
    var polities = state.topo.polities, entries = [];
    Object.keys(inView).forEach(function (h) { entries.push(polities[h]); });
    entries.sort(function (a, b) { return unescape(a.n) < unescape(b.n) ? -1 : 1; });
    var html = "<details class='tm-legend-box'" + (state.legendOpen ? " open" : "") +
      "><summary>Key</summary><div class='tm-legend-rows'>";
    entries.forEach(function (p) {
      html += "<div class='tm-legend-row'><span class='tm-swatch' style='background:" + tinted(p) +
        "'></span>" + p.n + "</div>";
    });
    var lines = "";
    ["p", "m", "a"].forEach(function (q) {
      if (state.precisions && state.precisions[q]) {
        lines += "<div class='tm-legend-row'><svg width='26' height='8' aria-hidden='true'>" +
          "<line x1='0' y1='4' x2='26' y2='4' stroke='#2e2e2e' stroke-width='2'" +
          (DASH[q] ? " stroke-dasharray='" + DASH[q] + "'" : "") + "/></svg> " + PRECISION[q] +
          "</div>";
      }
    });
    if (lines) { html += "<div class='tm-legend-title'>Border drawn</div>" + lines; }
    html += "</div></details>";
    var box = state.legend.getContainer();
    box.innerHTML = html;
    box.querySelector("details").addEventListener("toggle", function (ev) {
      if (state.legendOpen === ev.target.open) { return; }
      state.legendOpen = ev.target.open;
      placeLabels(state.map, state, state.inView);
    });
  }

  /* Labels that would overlap are hidden: the larger holder's (or the bigger country's) wins.
   * Placement runs in screen pixels at the current zoom, so zooming in reveals more names. */
  function placeLabels(map, state, inView) {
    state.labels.clearLayers();
    if (!state.labelsOn) { return; }
    var candidates = state.topo.labels(state.day);
    var items = candidates.filter(function (l) { return inView[l.p]; }).map(function (l) {
      return { html: state.topo.polities[l.p].n, lat: l.lat, lng: l.lng, area: l.area,
        cls: "tm-label" };
    }).concat(state.contextLabels);
    var size = map.getSize(), kept = controlBoxes(map);
    items.sort(function (a, b) { return b.area - a.area || (a.html < b.html ? -1 : 1); });
    items.forEach(function (it) {
      var pt = map.latLngToContainerPoint([it.lat, it.lng]);
      var text = unescape(it.html), lines = [it.html], split = wrap(it.html);
      var box = fits(labelBox(pt, [text]), size, kept);
      if (!box && split) {  // a long name that collides may fit on two lines
        box = fits(labelBox(pt, split.map(unescape)), size, kept);
        lines = split;
      }
      if (!box) { return; }
      kept.push(box);
      L.marker([it.lat, it.lng], { pane: "tm-labels", interactive: false, keyboard: false,
        title: text, icon: L.divIcon({ className: it.cls, iconSize: null,
          html: "<span>" + lines.join("<br>") + "</span>" }) }).addTo(state.labels);
    });
  }

  function labelBox(pt, lines) {
    var longest = Math.max.apply(null, lines.map(function (l) { return l.length; }));
    var w = longest * 6.3 + 8, h = 13 * lines.length + 3;
    return { x0: pt.x - w / 2, y0: pt.y - h / 2, x1: pt.x + w / 2, y1: pt.y + h / 2 };
  }

  /* The box if it lies inside the map and clear of every kept box, else null. */
  function fits(box, size, kept) {
    if (box.x0 < 2 || box.y0 < 2 || box.x1 > size.x - 2 || box.y1 > size.y - 2) { return null; }
    for (var k = 0; k < kept.length; k++) {
      var o = kept[k];
      if (box.x0 < o.x1 && o.x0 < box.x1 && box.y0 < o.y1 && o.y0 < box.y1) { return null; }
    }
    return box;
  }

  /* An escaped name split at the space nearest its middle (entities never contain spaces). */
  function wrap(escaped) {
    var spaces = [], i = escaped.indexOf(" ");
    while (i > 0) { spaces.push(i); i = escaped.indexOf(" ", i + 1); }
    if (!spaces.length) { return null; }
    var mid = escaped.length / 2, cut = spaces.reduce(function (a, b) {
      return Math.abs(b - mid) < Math.abs(a - mid) ? b : a;
    });
    return [escaped.slice(0, cut), escaped.slice(cut + 1)];
  }

  /* The map's own controls (key, time controls, buttons) as boxes no label may cover. */
  function controlBoxes(map) {
    var origin = map.getContainer().getBoundingClientRect();
    return Array.prototype.map.call(map.getContainer().querySelectorAll(".leaflet-control"),
      function (el) {
        var r = el.getBoundingClientRect();
        return { x0: r.left - origin.left, y0: r.top - origin.top, x1: r.right - origin.left,
          y1: r.bottom - origin.top };
      }).filter(function (b) { return b.x1 > b.x0 && b.y1 > b.y0; });
  }

  function legendControl(map) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "tm-legend");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    return control.addTo(map);
  }

  function captionControl(map) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "tm-caption");
      div.setAttribute("aria-live", "polite");
      return div;
    };
    return control.addTo(map);
  }

  function layersControl(map, state) {
    var names = L.layerGroup();
    var overlays = { "Names": names, "Today's borders": state.modern };
    if (state.labelsOn) { names.addTo(map); }
    map.on("overlayadd overlayremove", function (ev) {
      if (ev.layer === names) { state.labelsOn = ev.type === "overlayadd"; refreshView(map, state); }
    });
    if (state.opts.tiles) {
      overlays["Web map tiles (needs internet)"] = L.tileLayer(state.opts.tiles.url, {
        attribution: state.opts.tiles.attribution, pane: "tm-context", maxZoom: 18 });
    }
    L.control.layers(null, overlays, { collapsed: true }).addTo(map);
  }

  /* A click marks the place (a ring, not a focus rectangle) and is reported to the page. */
  function clickMarker(api, map) {
    var marker = null;
    map.on("click", function (ev) {
      var ll = ev.latlng;
      if (!marker) {
        marker = L.circleMarker(ll, { pane: "tm-click", radius: 7, weight: 2.5, color: "#b3261e",
          fillColor: "#ffffff", fillOpacity: 0.9, interactive: false }).addTo(map);
      } else { marker.setLatLng(ll); }
      if (api.onClick) { api.onClick(Math.round(ll.lat * 1e5) / 1e5, Math.round(ll.lng * 1e5) / 1e5); }
    });
  }

  /* A treaty's land: filled in the receiver's colour, outlined in the giver's. A treaty that
   * moved no land outlines its parties' territory on the day shown instead. */
  function showEvent(api, state, eventId) {
    state.event.clearLayers();
    state.eventId = eventId || null;
    api.eventId = state.eventId;
    if (!eventId) { return; }
    var topo = state.topo, polities = topo.polities;
    var transfers = (topo.data.transfers || {})[eventId] || [];
    transfers.forEach(function (t) {
      var giver = polities[t.from], receiver = polities[t.to], cession = t.mode === "cession";
      var tip = "<b>" + t.n + "</b><br>" + giver.n + " → " + receiver.n + " (" +
        (cession ? "ceded to" : "recognised as") + ")<br>" + t.area.toLocaleString("en") +
        " km² · " + t.q;
      t.atoms.forEach(function (i) {
        L.polygon(topo.atomLatLngs(i), { pane: "tm-event", stroke: false,
          fillColor: receiver.c, fillOpacity: cession ? 0.85 : 0.35, className: "tm-transfer" })
          .bindTooltip(tip, { sticky: true, className: "tm-tip" }).addTo(state.event);
      });
      L.polyline(topo.outline(t.atoms), { pane: "tm-event", color: giver.c, weight: 3,
        dashArray: cession ? null : "6 4", interactive: false }).addTo(state.event);
    });
    if (!transfers.length) {
      var parties = (topo.data.parties || {})[eventId] || [];
      parties.forEach(function (p) {
        var held = partyAtoms(state, p);
        if (!held.length) { return; }
        L.polyline(topo.outline(held), { pane: "tm-event", color: polities[p].c, weight: 4,
          interactive: false, className: "tm-party" }).addTo(state.event);
      });
    }
  }

  function partyAtoms(state, polity) {
    var out = [];
    state.fills.forEach(function (f) { if (f.holder === polity) { out.push(f.atom); } });
    return out;
  }

  function eventBounds(state, eventId) {
    var topo = state.topo, transfers = (topo.data.transfers || {})[eventId] || [];
    var atoms = [];
    transfers.forEach(function (t) { atoms = atoms.concat(t.atoms); });
    if (!atoms.length) {
      ((topo.data.parties || {})[eventId] || []).forEach(function (p) {
        atoms = atoms.concat(partyAtoms(state, p));
      });
    }
    return atoms.length ? topo.bounds(atoms) : null;
  }

  /* Zoom to a treaty or a lesson step with its neighbours in view: the bounds grow by half
   * their size on every side, and the zoom stops at a regional scale. */
  function focus(map, bounds) {
    if (!bounds) { return; }
    var b = L.latLngBounds(bounds);
    var grown = b.pad(0.5);
    map.fitBounds(grown, { animate: false, maxZoom: 7 });
  }

  /* A move asked for by the page: a day, a selected event, a view to focus on. The
   * page gives each command an id; the same command arriving again changes nothing, so the
   * page may resend it on every run. */
  function goto(api, state, command) {
    if (!command || command.id === state.lastCommand) { return; }
    state.lastCommand = command.id;
    if ("event" in command) { api.showEvent(command.event); }
    if (command.day) { api.setDay(command.day); }
    if (command.focus === "event" && state.eventId) { focus(api.map, eventBounds(state, state.eventId)); }
    else if (command.focus && command.focus.length === 4) {
      var f = command.focus;
      focus(api.map, [[f[1], f[0]], [f[3], f[2]]]);
    }
    if (command.playing === false && state.stop) { state.stop(); }
  }

  /* The time controls: previous/next change, play/pause, speed, and the year slider with a
   * tick for every year in which the map changes. */
  function timeControls(api, state) {
    var opts = state.opts, control = L.control({ position: "bottomleft" });
    var changes = (opts.events || []).map(function (e) { return e.d; }).sort(function (a, b) {
      return a - b;
    });
    var playing = null, ui = {};
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "tm-slider");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      div.innerHTML = controlsHtml(opts);
      ui.input = div.querySelector("input");
      ui.year = div.querySelector(".tm-year");
      ui.play = div.querySelector(".tm-play");
      ui.speed = div.querySelector(".tm-speed");
      ui.ticks = div.querySelector(".tm-ticks");
      drawTicks(ui.ticks, opts);
      return div;
    };
    control.addTo(api.map);
    function show(day) {
      ui.input.value = fromOrdinal(day).y;
      ui.year.textContent = fromOrdinal(day).y;
      ui.input.setAttribute("aria-valuetext", longDate(day));
    }
    function next() { return changes.filter(function (d) { return d > api.day; })[0]; }
    function prev() { return changes.filter(function (d) { return d < api.day; }).pop(); }
    // Stepping through the changes shows each change's land, so the map says what moved.
    function land(day) {
      var change = (opts.events || []).filter(function (e) { return e.d === day; })[0];
      if (change) { api.showEvent(change.id); }
      api.setDay(day);
    }
    function stop() {
      if (playing) { clearTimeout(playing); playing = null; }
      ui.play.textContent = "▶"; ui.play.title = "Play"; ui.play.setAttribute("aria-label", "Play");
    }
    function tick() {
      var d = next();
      if (!d) { stop(); return; }
      land(d);
      playing = setTimeout(tick, SPEEDS[ui.speed.value] || SPEEDS.normal);
    }
    ui.input.addEventListener("input", function () {
      stop(); api.setDay(clamp(yearEnd(+ui.input.value), opts.startDay || 0, opts.endDay || 1e9));
    });
    api.map.getContainer().querySelector(".tm-next").addEventListener("click", function () {
      stop(); var d = next(); if (d) { land(d); }
    });
    api.map.getContainer().querySelector(".tm-prev").addEventListener("click", function () {
      stop(); var d = prev(); if (d) { land(d); }
    });
    ui.play.addEventListener("click", function () {
      if (playing) { stop(); return; }
      ui.play.textContent = "❚❚"; ui.play.title = "Pause"; ui.play.setAttribute("aria-label", "Pause");
      tick();
    });
    state.stop = stop;
    state.onDayControls = show;
    show(api.day);
  }

  function controlsHtml(opts) {
    return "<button type='button' class='tm-prev' title='Previous change' " +
      "aria-label='Previous change'>◀</button>" +
      "<button type='button' class='tm-play' title='Play' aria-label='Play'>▶</button>" +
      "<button type='button' class='tm-next' title='Next change' aria-label='Next change'>▶▶" +
      "</button><select class='tm-speed' aria-label='Playback speed' title='Playback speed'>" +
      "<option value='slow'>slow</option><option value='normal' selected>normal</option>" +
      "<option value='fast'>fast</option></select>" +
      "<div class='tm-track'><input type='range' aria-label='Year' min='" + opts.startYear +
      "' max='" + opts.endYear + "' step='1'><div class='tm-ticks' aria-hidden='true'></div>" +
      "</div><span class='tm-year'></span>";
  }

  function drawTicks(box, opts) {
    var span = Math.max(1, opts.endYear - opts.startYear), seen = {};
    (opts.events || []).forEach(function (e) {
      if (seen[e.y]) { return; }
      seen[e.y] = 1;
      var tick = document.createElement("span");
      tick.className = "tm-tick";
      tick.style.left = ((e.y - opts.startYear) / span * 100) + "%";
      tick.title = String(e.y);
      box.appendChild(tick);
    });
  }

  window.TimeMap = { attach: attach, isoDate: isoDate };
})();

/* The border map as a Streamlit component: state in both directions, nothing polled.
 *
 * Python sends the folium map (its header, body and script, the same on every run) and a
 * `command` (a day, an event, a place or a view to focus on, with an id). The map owns the time
 * controls; this bridge reports back the day shown (once the person stops moving it) and each
 * click, as {day, click, seq}. It speaks Streamlit's component protocol over postMessage, so it
 * never reads the page's DOM or URL.
 */
(function () {
  "use strict";
  var QUIET_MS = 250;  // a drag or a run of key presses is reported once, when it stops
  var built = false, api = null, lastArgs = null, seq = 0, timer = null, height = null;
  var clicked = null, lastCommand = null;

  function post(type, extra) {
    var msg = { isStreamlitMessage: true, type: type };
    for (var k in extra) { msg[k] = extra[k]; }
    window.parent.postMessage(msg, "*");
  }
  function report() {
    timer = null;
    seq += 1;
    post("streamlit:setComponentValue", { dataType: "json", value: {
      day: TimeMap.isoDate(api.day), event: api.eventId || null, click: clicked, seq: seq } });
  }
  function soon() { if (timer) { clearTimeout(timer); } timer = setTimeout(report, QUIET_MS); }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  /* The folium header: stylesheets and scripts by address (loaded in order), inline styles. */
  function installHeader(header) {
    var box = document.createElement("div");
    box.innerHTML = header;
    var chain = Promise.resolve();
    Array.prototype.forEach.call(box.querySelectorAll("link[rel=stylesheet], style, script"),
      function (el) {
        if (el.tagName === "LINK") {
          var link = document.createElement("link");
          link.rel = "stylesheet"; link.href = el.getAttribute("href");
          document.head.appendChild(link);
        } else if (el.tagName === "STYLE") {
          document.head.appendChild(el.cloneNode(true));
        } else if (el.src) {
          var src = el.getAttribute("src");
          chain = chain.then(function () { return loadScript(src); });
        } else {
          var code = el.textContent;
          chain = chain.then(function () { (0, eval)(code); });
        }
      });
    return chain;
  }

  function build(args) {
    built = true;
    installHeader(args.parts.header).then(function () {
      document.getElementById("tm-root").innerHTML = args.parts.html;
      (0, eval)(args.parts.script);
      api = window.timeMap;
      api.onDay = function () { soon(); };
      api.onClick = function (lat, lng) {
        clicked = [lng, lat];
        if (timer) { clearTimeout(timer); }
        report();
      };
      apply(lastArgs);
    });
  }

  function apply(args) {
    if (!api || !args || !args.command) { return; }
    var command = args.command;
    if (command.id === lastCommand) { return; }
    lastCommand = command.id;
    api.goto(command);
  }

  window.addEventListener("message", function (ev) {
    var data = ev.data || {};
    if (data.type !== "streamlit:render") { return; }
    var args = data.args || {};
    lastArgs = args;
    if (args.height && args.height !== height) {
      height = args.height;
      post("streamlit:setFrameHeight", { height: height });
    }
    if (!built) { build(args); } else { apply(args); }
  });
  post("streamlit:componentReady", { apiVersion: 1 });
})();

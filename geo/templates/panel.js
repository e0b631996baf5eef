(function () {
  var sent = 0;
  // A card's Before/After or a lesson step moves the map with one command (see timemap.js).
  function go(el) {
    var tm = window.timeMap; if (!tm) { return; }
    sent += 1;
    var command = { id: "panel-" + sent, day: parseInt(el.dataset.day, 10) };
    if (el.dataset.event !== undefined) { command.event = el.dataset.event || null; }
    if (el.dataset.focus) { command.focus = JSON.parse(el.dataset.focus); }
    else if (el.dataset.event) { command.focus = "event"; }
    tm.goto(command);
  }
  document.querySelectorAll("#tm-panel [data-day]").forEach(function (el) {
    if (el.tagName === "BUTTON") { el.addEventListener("click", function () { go(el); }); }
  });
  var steps = Array.prototype.slice.call(document.querySelectorAll(".tm-step"));
  if (!steps.length) { return; }
  var index = 0;
  function show(i) {
    index = Math.max(0, Math.min(steps.length - 1, i));
    steps.forEach(function (s, j) {
      s.classList.toggle("current", j === index); s.hidden = j !== index; });
    document.getElementById("tm-progress").textContent =
      "Step " + (index + 1) + " of " + steps.length;
    go(steps[index]);
  }
  document.getElementById("tm-back").addEventListener("click", function () { show(index - 1); });
  document.getElementById("tm-next").addEventListener("click", function () { show(index + 1); });
  window.lessonStep = show;
  show(0);
})();

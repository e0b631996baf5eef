(function () {
  function go(el) {
    var tm = window.timeMap; if (!tm) { return; }
    if (el.dataset.day) { tm.setDay(parseInt(el.dataset.day, 10)); }
    if (el.dataset.focus) {
      var b = JSON.parse(el.dataset.focus);
      tm.map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { animate: false });
    }
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

"""Standalone offline pages: the border map with its own slider, treaty cards and lessons.

Every script and style is inlined (Leaflet from the installed xstatic-leaflet package, the map
code from static/), so a page opens from file:// with no network. All text from data files is
HTML-escaped before it is written into a page.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
from pathlib import Path

import folium
from branca.element import Element

from geo import assets, render, text
from geo.lessons import Lesson
from geo.pack import Event, Pack
from geo.timeline import event_day

STATIC = assets.PROJECT_STATIC
PLACEHOLDERS = {k: f"@@{k}@@" for k in render.ASSET_NAMES}
PANEL_CSS = """
.folium-map { width: calc(100% - 400px) !important; }
#tm-panel { position: absolute; top: 0; right: 0; bottom: 0; width: 400px; overflow-y: auto;
  box-sizing: border-box; padding: 14px 16px; font: 14px/1.45 system-ui, sans-serif;
  color: #1d1d1d; background: #fbfaf7; border-left: 1px solid #ccc; }
#tm-panel h1 { font-size: 20px; margin: 0 0 6px; } #tm-panel h2 { font-size: 16px; }
#tm-panel table { border-collapse: collapse; font-size: 12px; }
#tm-panel td, #tm-panel th { border: 1px solid #ddd; padding: 2px 4px; vertical-align: top; }
#tm-panel button { margin: 2px 4px 2px 0; cursor: pointer; }
#tm-panel .tm-step.current { outline: 2px solid #c2493d; padding: 4px; }
.tm-describe { font-style: italic; }
@media (max-width: 800px) {
  .folium-map { width: 100% !important; height: 60vh !important; }
  #tm-panel { position: static; width: auto; border-left: 0; }
}
"""
PANEL_JS = """
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
"""


def _data_uri(path: Path, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()


def _inline(page: str) -> str:
    """Replace the asset placeholders with the files' contents (no external references)."""
    leaflet_css = re.sub(
        r"url\(images/([\w.-]+\.png)\)",
        lambda m: f"url({_data_uri(assets.leaflet_dir() / 'images' / m.group(1), 'image/png')})",
        assets.read_text("leaflet.css"),
    )
    contents = {
        "leaflet_js": ("script", assets.read_text("leaflet.js")),
        "leaflet_css": ("style", leaflet_css),
        "topology_js": ("script", (STATIC / "topology.js").read_text(encoding="utf-8")),
        "timemap_js": ("script", (STATIC / "timemap.js").read_text(encoding="utf-8")),
        "timemap_css": ("style", (STATIC / "timemap.css").read_text(encoding="utf-8")),
    }
    for key, (tag, body) in contents.items():
        body = body.replace("</script", "<\\/script") if tag == "script" else body
        marker = PLACEHOLDERS[key]
        if tag == "script":
            page = page.replace(f'<script src="{marker}"></script>', f"<script>{body}</script>")
        else:
            page = page.replace(
                f'<link rel="stylesheet" href="{marker}"/>', f"<style>{body}</style>"
            )
    if "@@" in page:
        raise RuntimeError("an asset placeholder was left in the exported page")
    return page


def _number_elements(root: Element) -> None:
    """Name every element by its place in the tree: folium names them from random bytes, and
    the same page must come out byte for byte the same."""
    elements = [root]
    for number, element in enumerate(elements):  # grows while it is walked: breadth first
        element._id = str(number)
        elements.extend(element._children.values())


def _page(m: folium.Map, panel: str, title: str) -> str:
    _number_elements(m.get_root())
    page = m.get_root().render()
    page = page.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>", 1)
    page = page.replace("</head>", f"<style>{PANEL_CSS}</style>\n</head>", 1)
    page = page.replace("</body>", f'<aside id="tm-panel">{panel}</aside>\n</body>', 1)
    page += f"\n<script>{PANEL_JS}</script>\n"
    return _inline(page)


def _footer(pack: Pack) -> str:
    scope = pack.meta["scope"]
    items = "".join(f"<li>{html.escape(item)}</li>" for item in scope.get("limitations", []))
    return (
        f"<h2>What this map cannot show</h2><p>{html.escape(scope['description'])}.</p>"
        f"<ul>{items}</ul><p><small>Data: {html.escape(pack.meta['title'])} "
        f"({html.escape(pack.meta['license'])}); base map Natural Earth (public domain). "
        "Leaflet © its authors (BSD-2-Clause).</small></p>"
    )


def event_card_html(pack: Pack, event: Event, buttons: bool = True) -> str:
    """A treaty card as escaped HTML, for standalone pages."""
    e = html.escape
    record = event.record
    names = "".join(
        f"<div><b>{e(label)}:</b> {e(name)}</div>" for label, name in text.other_names(event)
    )
    facts = text.card_facts(pack, event)
    rows = "".join(f"<div><b>{e(k)}:</b> {e(v)}</div>" for k, v in facts)
    clauses = "".join(
        f"<li><i>{e(c['topic'])}</i>: {e(c['text'])}</li>" for c in record.get("clauses", [])
    )
    areas = pack.timeline.transfer_areas
    transfers = "".join(
        f"<tr><td>{e(t.name)}</td><td>{e(pack.polities[t.source].name)} → "
        f"{e(pack.polities[t.target].name)}</td><td>{areas[(event.id, t.id)]:,.0f}</td>"
        f"<td>{e('; '.join(t.modern_units))}</td><td>{e(t.precision)}</td></tr>"
        for t in event.transfers
    )
    table = (
        (
            f"<table><tr><th>Territory</th><th>From → to</th><th>km²</th><th>Today</th>"
            f"<th>Precision</th></tr>{transfers}</table>"
        )
        if transfers
        else ""
    )
    sources = "".join(_source_item(pack, s) for s in record["sources"])
    day = event.effective.toordinal()
    before = event_day(pack, event.id, "before").toordinal()
    controls = (
        (f'<button data-day="{before}">Before</button><button data-day="{day}">After</button>')
        if buttons
        else ""
    )
    return (
        f'<section class="tm-card"><h2>{e(event.name)}</h2>{names}'
        f'<p class="tm-describe">{e(text.describe(pack, event))}</p>{controls}{rows}'
        f"<p>{e(record['summary'])}</p>"
        + (f"<b>Notable clauses</b><ul>{clauses}</ul>" if clauses else "")
        + table
        + f"<b>Sources</b><ul>{sources}</ul></section>"
    )


def _source_item(pack: Pack, source_id: str) -> str:
    source = pack.meta["sources"][source_id]
    title = html.escape(source["title"])
    url = source.get("url")
    if url:
        return f'<li><a href="{html.escape(url, quote=True)}" rel="noopener">{title}</a></li>'
    return f"<li>{title}</li>"


def standalone_html(
    pack: Pack, event: Event | None = None, year_from: int | None = None, year_to: int | None = None
) -> str:
    """One offline page: the borders over a range with a year slider, cards and attribution."""
    start = dt.date(year_from, 1, 1) if year_from else pack.baseline_date
    end = dt.date(year_to, 12, 31) if year_to else pack.end_date
    start, end = max(start, pack.baseline_date), min(end, pack.end_date)
    if start > end:
        raise ValueError(f"the range {year_from}–{year_to} has no days in this pack")
    bounds = render.event_bounds(pack, event) if event else None
    m = render.base_map(
        pack,
        PLACEHOLDERS,
        data=render.map_data(pack),
        initial_day=event.effective if event else end,
        span=(start, end),
        bounds=bounds,
        event=event.id if event else None,
    )
    events = [e for e in pack.events if start <= e.effective <= end]
    cards = "".join(
        f"<details><summary>{e_.effective.year} · {html.escape(e_.name)}</summary>"
        f"{event_card_html(pack, e_)}</details>"
        for e_ in events
        if e_ is not event
    )
    heading = html.escape(pack.meta["title"])
    lead = event_card_html(pack, event) if event else ""
    panel = (
        f"<h1>{heading}</h1><p>{html.escape(pack.meta['description'])}</p>{lead}"
        f"<h2>Events {start.year}–{end.year}</h2>{cards}{_footer(pack)}"
    )
    title = f"{event.name} — {pack.meta['title']}" if event else pack.meta["title"]
    return _page(m, panel, title)


def lesson_html(pack: Pack, lesson: Lesson) -> str:
    """A standalone lesson page: the map with its slider, and the steps with their captions."""
    m = render.base_map(
        pack, PLACEHOLDERS, initial_day=lesson.steps[0].day, data=render.map_data(pack)
    )
    steps = []
    for i, step in enumerate(lesson.steps):
        event = pack.event(step.event) if step.event else None
        focus = step.focus or (
            render.event_bounds(pack, event) if event and event.transfers else None
        )
        attrs = f' data-day="{step.day.toordinal()}"'
        if focus:
            attrs += f" data-focus='{json.dumps([round(v, 3) for v in focus])}'"
        words = text.describe(pack, event) if event else text.describe_day(pack, step.day)
        described = f'<p class="tm-describe">{html.escape(words)}</p>'

        steps.append(
            f'<section class="tm-step"{attrs}><h2>{i + 1}. '
            f"{html.escape(text.long_date(step.day))}"
            + (f" — {html.escape(event.name)}" if event else "")
            + f"</h2><p>{html.escape(step.caption)}</p>{described}</section>"
        )
    panel = (
        f"<h1>{html.escape(lesson.title)}</h1><p><b>For:</b> "
        f"{html.escape(lesson.audience)}</p>"
        + (f"<p>{html.escape(lesson.summary)}</p>" if lesson.summary else "")
        + '<p><button id="tm-back">◀ Back</button><button id="tm-next">Next ▶</button> '
        '<span id="tm-progress"></span></p>' + "".join(steps) + _footer(pack)
    )
    return _page(m, panel, lesson.title)

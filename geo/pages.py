"""Standalone offline pages: the border map with its own slider, treaty cards and lessons.

The pages are Jinja2 templates (``geo/templates``) with autoescaping, so every string from a
data file is HTML-escaped. The map is folium's own rendering, its header, body and script
parts placed by ``page.html``; every script and style is inlined as a ``data:`` URL (Leaflet
from the installed xstatic-leaflet package, the map code from static/), so a page opens from
file:// with no network.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re

import folium
import jinja2
from markupsafe import Markup

from geo import assets, cards, render, text
from geo.lessons import Lesson, Step
from geo.pack import Event, Pack
from geo.timeline import event_day

STATIC = assets.PROJECT_STATIC
TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("geo", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _number(value):
    """Numbers with thousands separators (whole numbers without a decimal point)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int | float) else value


TEMPLATES.filters["number"] = _number
TEMPLATES.globals["transfer_columns"] = cards.TRANSFER_COLUMNS


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode()


def inline_assets() -> dict[str, list[Markup]]:
    """The map's styles and scripts as text for the page's own <style> and <script> elements
    (Leaflet's marker images as data: URLs); ``</`` is escaped so nothing ends them early."""
    images = assets.leaflet_dir() / "images"
    leaflet_css = re.sub(
        r"url\(images/([\w.-]+\.png)\)",
        lambda m: f"url({_data_uri((images / m.group(1)).read_bytes(), 'image/png')})",
        assets.read_text("leaflet.css"),
    )
    styles = [leaflet_css, (STATIC / "timemap.css").read_text(encoding="utf-8")]
    scripts = [
        assets.read_text("leaflet.js"),
        *((STATIC / name).read_text(encoding="utf-8") for name in ("topology.js", "timemap.js")),
    ]
    return {
        "styles": [Markup(css.replace("</", "<\\/")) for css in styles],
        "scripts": [Markup(js.replace("</", "<\\/")) for js in scripts],
    }


def _map_parts(m: folium.Map) -> dict[str, Markup]:
    """Folium's rendering of the map as the header, body and script parts of a page. They are
    code folium generated (data text in them was escaped by ``geo.render``), so marked safe."""
    return {part: Markup(code) for part, code in render.figure_parts(m).items()}


def _days(pack: Pack, event: Event) -> tuple[int, int]:
    """The days (ordinals) a card's Before and After buttons move the map to."""
    return (event_day(pack, event.id, "before").toordinal(), event.effective.toordinal())


def event_card_html(pack: Pack, event: Event, buttons: bool = True) -> str:
    """A treaty card as escaped HTML, for standalone pages."""
    card = cards.event_card(pack, event)
    macro = TEMPLATES.get_template("card.html").module.event_card
    return str(macro(card, _days(pack, event) if buttons else None))


def standalone_html(
    pack: Pack, event: Event | None = None, year_from: int | None = None, year_to: int | None = None
) -> str:
    """One offline page: the borders over a range with a year slider, cards and attribution."""
    start = dt.date(year_from, 1, 1) if year_from else pack.baseline_date
    end = dt.date(year_to, 12, 31) if year_to else pack.end_date
    start, end = max(start, pack.baseline_date), min(end, pack.end_date)
    if start > end:
        raise ValueError(f"the range {year_from}–{year_to} has no days in this pack")
    m = render.base_map(
        pack,
        None,
        data=render.map_data(pack),
        initial_day=event.effective if event else end,
        span=(start, end),
        bounds=render.event_bounds(pack, event) if event else None,
        event=event.id if event else None,
    )
    others = [
        (cards.event_card(pack, e), _days(pack, e))
        for e in pack.events
        if start <= e.effective <= end and e is not event
    ]
    return TEMPLATES.get_template("standalone.html").render(
        title=f"{event.name} — {pack.meta['title']}" if event else pack.meta["title"],
        map=_map_parts(m),
        assets=inline_assets(),
        meta=pack.meta,
        scope=pack.meta["scope"],
        lead=cards.event_card(pack, event) if event else None,
        lead_days=_days(pack, event) if event else None,
        others=others,
        start=start,
        end=end,
    )


@dataclasses.dataclass(frozen=True)
class _StepView:
    """One lesson step as the page shows it."""

    day: int
    focus: list[float] | None
    date: str
    event: str | None
    event_id: str | None
    caption: str
    described: str


def _step_view(pack: Pack, step: Step) -> _StepView:
    event = pack.event(step.event) if step.event else None
    focus = step.focus or (render.event_bounds(pack, event) if event and event.transfers else None)
    return _StepView(
        day=step.day.toordinal(),
        focus=[round(v, 3) for v in focus] if focus else None,
        date=text.long_date(step.day),
        event=event.name if event else None,
        event_id=event.id if event else None,
        caption=step.caption,
        described=text.describe(pack, event) if event else text.describe_day(pack, step.day),
    )


def lesson_html(pack: Pack, lesson: Lesson) -> str:
    """A standalone lesson page: the map with its slider, and the steps with their captions."""
    m = render.base_map(pack, None, initial_day=lesson.steps[0].day, data=render.map_data(pack))
    return TEMPLATES.get_template("lesson.html").render(
        title=lesson.title,
        map=_map_parts(m),
        assets=inline_assets(),
        meta=pack.meta,
        scope=pack.meta["scope"],
        lesson=lesson,
        steps=[_step_view(pack, step) for step in lesson.steps],
    )

"""Folium maps of a pack: the time-switching border map and the treaty overlay (no UI code).

The base map is the same for every date, so the dashboard never rebuilds it: ``static/
timemap.js`` switches the visible polygon versions in the browser. Leaflet itself comes from the
``xstatic-leaflet`` package; ``asset_urls`` says where the page finds it (served by the app, or
inlined into a standalone file by ``geo.export``).
"""

from __future__ import annotations

import datetime as dt
import html

import folium
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo import layers, text, topology
from geo.areas import area_km2
from geo.pack import Event, Pack, per_pack
from geo.timeline import borders_at, map_changes


class TimeLayer(JSCSSMixin, MacroElement):
    """All polygon versions of a pack, switched by day in the browser by ``TimeMap``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = TimeMap.attach({{ this._parent.get_name() }},
            {{ this.data }}, {{ this.options }});
        {% endmacro %}
    """)

    def __init__(self, data: dict, options: dict, assets: dict[str, str] | None):
        super().__init__()
        self._name = "TimeLayer"
        self.data = layers.script_json(data)
        self.options = layers.script_json(options)
        names = (("topology", "topology_js"), ("timemap", "timemap_js"))
        self.default_js = [(name, assets[key]) for name, key in names] if assets else []
        self.default_css = [("timemap_css", assets["timemap_css"])] if assets else []


@per_pack
def map_data(pack: Pack) -> dict:
    """What the browser map needs for every day of the pack (see geo/topology.py)."""
    return topology.map_data(pack)


def base_map(
    pack: Pack,
    assets: dict[str, str] | None,
    *,
    initial_day: dt.date | None = None,
    data: dict | None = None,
    data_url: str | None = None,
    span: tuple[dt.date, dt.date] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    event: str | None = None,
) -> folium.Map:
    """The border map of ``pack``, with its time controls; the browser draws every day.

    The data is inlined, or fetched from ``data_url`` (the dashboard serves it as a static
    file, so it never travels with a rerun and the browser caches it). ``span`` limits the
    slider's years, ``bounds`` the first view; ``event`` is highlighted from the start.
    """
    start, end = span or (pack.baseline_date, pack.end_date)
    box = bounds or pack.timeline.scope.bounds
    # A starting view only: the map fits ``box`` (options["fit"]) as soon as it is drawn.
    m = folium.Map(
        location=[(box[1] + box[3]) / 2, (box[0] + box[2]) / 2],
        zoom_start=5,
        tiles=None,
        control_scale=True,
        zoom_control=True,
    )
    # Without ``assets`` the page brings Leaflet and our scripts itself (offline pages).
    m.default_js = [("leaflet", assets["leaflet_js"])] if assets else []
    m.default_css = [("leaflet_css", assets["leaflet_css"])] if assets else []
    options = map_options(pack, start, end, initial_day or end, event)
    options["fit"] = [[box[1], box[0]], [box[3], box[2]]]
    TimeLayer({"url": data_url} if data_url else (data or map_data(pack)), options, assets).add_to(
        m
    )
    return m


def figure_parts(m: folium.Map) -> dict[str, str]:
    """The map rendered by folium as the three parts of a page: header, body and script.

    Elements are named by their place in the tree first: folium names them from random bytes,
    and the same map must come out byte for byte the same.
    """
    root = m.get_root()
    elements = [root]
    for number, element in enumerate(elements):  # grows while it is walked: breadth first
        element._id = str(number)
        elements.extend(element._children.values())
    root.render()  # renders the map into the figure's three parts
    return {part: getattr(root, part).render() for part in ("header", "html", "script")}


def map_options(pack: Pack, start: dt.date, end: dt.date, day: dt.date, event: str | None):
    """The map's settings: the slider's range, its change ticks, the first day and event."""
    return {
        "startYear": start.year,
        "endYear": end.year,
        "startDay": start.toordinal(),
        "endDay": end.toordinal(),
        "events": [e for e in change_marks(pack) if start.toordinal() <= e["d"] <= end.toordinal()],
        "initialDay": day.toordinal(),
        "event": event,
        "tiles": {
            "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "attribution": "© OpenStreetMap contributors",
        },
    }


@per_pack
def change_marks(pack: Pack) -> list[dict]:
    """The map's changes for the browser (slider ticks, previous/next, the text alternative);
    computed once per pack, not on every rerun of the dashboard."""
    return [
        {
            "d": e.effective.toordinal(),
            "y": e.effective.year,
            "id": e.id,
            "t": html.escape(text.describe(pack, e)),
        }
        for e in map_changes(pack)
    ]


def event_bounds(pack: Pack, event: Event) -> tuple[float, float, float, float]:
    """What to zoom to for an event: its transfers, else its parties, else the whole scope."""
    if event.transfers:
        return shapely.union_all([t.geometry for t in event.transfers]).bounds
    parties = set(event.parties)
    frame = borders_at(pack, max(event.effective, pack.baseline_date))
    chosen = frame[frame.polity.isin(parties)]
    return (
        shapely.union_all(chosen.geometry.values).bounds
        if len(chosen)
        else pack.timeline.scope.bounds
    )


def total_area(event: Event) -> float:
    """Area moved by an event's cessions, in km² (recognitions excluded)."""
    geoms = [t.geometry for t in event.transfers if t.mode == "cession"]
    return float(area_km2([shapely.union_all(geoms)])[0]) if geoms else 0.0

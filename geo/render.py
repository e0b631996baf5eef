"""Folium maps of a pack: the time-switching border map and the treaty overlay (no UI code).

The base map is the same for every date, so the dashboard never rebuilds it: ``static/
timemap.js`` switches the visible polygon versions in the browser. Leaflet itself comes from the
``xstatic-leaflet`` package; ``asset_urls`` says where the page finds it (served by the app, or
inlined into a standalone file by ``geo.export``).
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass

import folium
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo import layers, text
from geo.areas import area_km2
from geo.pack import Event, Pack, per_pack
from geo.timeline import borders_at, map_changes

APP_ASSETS = {
    "leaflet_js": "/app/static/vendor/leaflet/leaflet.js",
    "leaflet_css": "/app/static/vendor/leaflet/leaflet.css",
    "timemap_js": "/app/static/timemap.js",
    "timemap_css": "/app/static/timemap.css",
}


@dataclass(frozen=True)
class View:
    """Where the map looks: a centre and a Leaflet zoom level."""

    lat: float
    lon: float
    zoom: int


def view_of(
    bounds: tuple[float, float, float, float], width_px: int = 900, height_px: int = 600
) -> View:
    """The centre and the largest zoom at which ``bounds`` (minx, miny, maxx, maxy) fits."""
    minx, miny, maxx, maxy = bounds

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = max(maxx - minx, 1e-3) / 360
    span_y = max(mercator(maxy) - mercator(miny), 1e-5) / (2 * math.pi)
    zoom = math.floor(min(math.log2(width_px / 256 / span_x), math.log2(height_px / 256 / span_y)))
    return View((miny + maxy) / 2, (minx + maxx) / 2, max(2, min(zoom, 10)))


class TimeLayer(JSCSSMixin, MacroElement):
    """All polygon versions of a pack, switched by day in the browser by ``TimeMap``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = TimeMap.attach({{ this._parent.get_name() }},
            {{ this.data }}, {{ this.options }});
        {% endmacro %}
    """)

    def __init__(self, data: dict, options: dict, assets: dict[str, str]):
        super().__init__()
        self._name = "TimeLayer"
        self.data = layers.script_json(data)
        self.options = layers.script_json(options)
        self.default_js = [("timemap", assets["timemap_js"])]
        self.default_css = [("timemap_css", assets["timemap_css"])]


@per_pack
def map_data(pack: Pack) -> dict:
    """What the browser map needs, computed once per pack: every polygon version with its
    lifetime, and today's country outlines for the land background and the borders overlay."""
    return {"versions": layers.versions_geojson(pack), "lines": layers.base_lines(pack)}


def base_map(
    pack: Pack,
    mode: str = "app",
    assets: dict[str, str] | None = None,
    initial_day: dt.date | None = None,
    labels: bool = True,
    data: dict | None = None,
    data_url: str | None = None,
    span: tuple[dt.date, dt.date] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> folium.Map:
    """The border map of ``pack``; the browser draws everything from ``map_data``.

    The data is inlined, or fetched from ``data_url`` (the dashboard serves it as a static
    file, so it never travels with each rerun and the browser can cache it). ``span`` limits
    the slider's years, ``bounds`` the first view. A new map each call: streamlit-folium alters
    the map it renders, so maps are not reused.
    """
    assets = assets or APP_ASSETS
    start, end = span or (pack.baseline_date, pack.end_date)
    view = view_of(bounds or pack.timeline.scope.bounds)
    m = folium.Map(
        location=[view.lat, view.lon],
        zoom_start=view.zoom,
        tiles=None,
        control_scale=True,
        zoom_control=True,
    )
    m.default_js = [("leaflet", assets["leaflet_js"])]
    m.default_css = [("leaflet_css", assets["leaflet_css"])]
    options = {
        "mode": mode,
        "labels": labels,
        "startYear": start.year,
        "endYear": end.year,
        "events": [e for e in change_marks(pack) if start.toordinal() <= e["d"] <= end.toordinal()],
        "initialDay": (initial_day or end).toordinal(),
        "tiles": {
            "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "attribution": "© OpenStreetMap contributors",
        },
    }
    payload = {"url": data_url} if data_url else (data or map_data(pack))
    TimeLayer(payload, options, assets).add_to(m)
    return m


@per_pack
def change_marks(pack: Pack) -> list[dict]:
    """The map's changes for the browser (slider ticks, previous/next, the text alternative);
    computed once per pack, not on every rerun of the dashboard."""
    return [
        {
            "d": e.effective.toordinal(),
            "y": e.effective.year,
            "id": e.id,
            "n": html.escape(e.name),
            "t": html.escape(text.describe(pack, e)),
        }
        for e in map_changes(pack)
    ]


def transfer_group(pack: Pack, event: Event) -> folium.FeatureGroup:
    """The event's transferred areas, filled with the receiver's colour and outlined in the
    giver's; a treaty that moved no land highlights its parties' territory instead."""
    group = folium.FeatureGroup(name="Selected event")
    areas = pack.timeline.transfer_areas
    for transfer in event.transfers:
        giver, receiver = pack.polities[transfer.source], pack.polities[transfer.target]
        verb = "recognised as" if transfer.mode == "recognition" else "ceded to"
        tip = (
            f"<b>{html.escape(transfer.name)}</b><br>{html.escape(giver.name)} → "
            f"{html.escape(receiver.name)} ({verb})<br>"
            f"{areas[(event.id, transfer.id)]:,.0f} km² · {html.escape(transfer.precision)}"
        )
        style = {
            "color": giver.colour,
            "weight": 3,
            "fillColor": receiver.colour,
            "fillOpacity": 0.85 if transfer.mode == "cession" else 0.35,
            "dashArray": None if transfer.mode == "cession" else "6 4",
        }
        folium.GeoJson(
            shapely.geometry.mapping(shapely.simplify(transfer.geometry, 0.002)),
            style_function=lambda _, s=style: s,
            tooltip=folium.Tooltip(tip, sticky=True),
        ).add_to(group)
    if not event.transfers:
        parties = set(event.record.get("parties", []))
        frame = borders_at(pack, max(event.effective, pack.baseline_date))
        for row in frame[frame.polity.isin(parties)].itertuples():
            folium.GeoJson(
                shapely.geometry.mapping(shapely.simplify(row.geometry, 0.005)),
                style_function=lambda _, c=row.colour: {"color": c, "weight": 4, "fill": False},
                tooltip=folium.Tooltip(f"Party: {html.escape(row.name)}", sticky=True),
            ).add_to(group)
    return group


def event_bounds(pack: Pack, event: Event) -> tuple[float, float, float, float]:
    """What to zoom to for an event: its transfers, else its parties, else the whole scope."""
    if event.transfers:
        return shapely.union_all([t.geometry for t in event.transfers]).bounds
    parties = set(event.record.get("parties", []))
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

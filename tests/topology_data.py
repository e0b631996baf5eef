"""Reading ``treaty-map-topology/1`` data back into shapely geometry, for the tests.

Written from the format's description in ``geo/topology.py``, independently of the code that
writes it, so that the tests check the format and not the writer against itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from bisect import bisect_right

import shapely


def compact(data: dict) -> bytes:
    """The bytes the app serves (see ``geo.assets.publish_json``)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def arc_points(data: dict) -> list[list[tuple[float, float]]]:
    """Every arc as (lon, lat) points."""
    (sx, sy), (tx, ty) = data["transform"]["scale"], data["transform"]["translate"]
    out = []
    for arc in data["arcs"]:
        xs = itertools.accumulate(step[0] for step in arc)
        ys = itertools.accumulate(step[1] for step in arc)
        out.append([(x * sx + tx, y * sy + ty) for x, y in zip(xs, ys, strict=True)])
    return out


def arc_lines(data: dict) -> list:
    return [shapely.LineString(points) for points in arc_points(data)]


def shape(data: dict, refs: list, points: list | None = None):
    """A MultiPolygon from polygons → rings → arc references (~i: arc i backward)."""
    points = points or arc_points(data)
    polygons = []
    for polygon in refs:
        rings = []
        for ring in polygon:
            coords: list = []
            for ref in ring:
                part = points[ref] if ref >= 0 else points[~ref][::-1]
                coords += part if not coords else part[1:]
            rings.append(coords)
        polygons.append(shapely.Polygon(rings[0], rings[1:]))
    return shapely.MultiPolygon(polygons)


def holder(data: dict, atom: int, day: int) -> int:
    rows = data["atoms"][atom]["h"]
    k = bisect_right([start for start, _ in rows], day) - 1
    return rows[k][1] if k >= 0 else -1


def precision(data: dict, arc: int, day: int) -> str:
    rows = data["q"][arc]
    k = bisect_right([start for start, _ in rows], day) - 1
    return rows[max(k, 0)][1]


def ordinal(year: int, month: int = 1, day: int = 1) -> int:
    return dt.date(year, month, day).toordinal()


def nearest_arc(data: dict, lon: float, lat: float, lines: list | None = None) -> int:
    lines = lines or arc_lines(data)
    point = shapely.Point(lon, lat)
    return min(range(len(lines)), key=lambda i: lines[i].distance(point))

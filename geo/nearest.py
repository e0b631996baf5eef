"""The land nearest a point that lies off it: which atom, and how far on the ellipsoid.

Coasts are simplified, so a town on the shore can fall a few hundred metres into the sea of a
pack's outline. ``nearest_atom`` finds the atom closest to such a point within a given
distance. Degrees only pick the candidates (an STRtree query); the distance itself is measured
in metres in an azimuthal equidistant projection centred on the point, where the distance from
the centre to any place is its geodesic distance on the WGS 84 ellipsoid.
"""

from __future__ import annotations

import math

import pyproj
import shapely
from shapely.geometry import Point

from geo.pack import Pack

# A degree of latitude is at least 110.57 km (at the equator) and one of longitude about
# 111.32·cos(lat) km, so neither is shorter than this times cos(lat).
_SHORTEST_DEGREE_KM = 110.5
# Room on top of the degree radius, so that the box the atoms are cut to never ends within
# the distance asked for.
_MARGIN = 1.1
# Atom edges are straight in lon/lat; points this far apart (degrees, about 50 m) keep them
# so once projected (the curve between two of them bends by far less than a metre).
_STEP_DEG = 0.0005


def degree_radius(lat: float, max_km: float) -> float:
    """Degrees (in lon/lat, as shapely measures) that surely hold every place within
    ``max_km`` of a point at latitude ``lat``."""
    cos_lat = math.cos(math.radians(min(abs(lat), 90.0)))
    if cos_lat < 1e-6:
        return 360.0  # at a pole every longitude is near
    return min(360.0, _MARGIN * max_km / (_SHORTEST_DEGREE_KM * cos_lat))


def nearest_atom(pack: Pack, lon: float, lat: float, max_km: float) -> tuple[int, float] | None:
    """(atom number, metres) of the atom nearest the point within ``max_km``, or None.

    Meant for points outside every atom (inside one the distance is 0). Of atoms equally near,
    the lowest number wins, as in ``timeline.atom_at``.
    """
    radius = degree_radius(lat, max_km)
    point = Point(lon, lat)
    timeline = pack.timeline
    # query_nearest would give only the nearest in degrees, which need not be the nearest on
    # the ground (a degree of longitude is shorter than one of latitude here): take them all.
    candidates = timeline.atom_tree.query(point, predicate="dwithin", distance=radius)
    if not len(candidates):
        return None
    box = (lon - radius, lat - radius, lon + radius, lat + radius)
    around = pyproj.Proj(proj="aeqd", lat_0=lat, lon_0=lon, ellps="WGS84")
    best: tuple[float, int] | None = None
    for atom in sorted(int(i) for i in candidates):
        metres = _metres_to(timeline.atoms.values[atom], box, around)
        if metres is not None and (best is None or metres < best[0]):
            best = (metres, atom)
    if best is None or best[0] > max_km * 1000:
        return None
    return best[1], best[0]


def _metres_to(atom, box, around: pyproj.Proj) -> float | None:
    """Metres from the projection's centre to the part of ``atom`` inside ``box``."""
    near = shapely.clip_by_rect(atom, *box)
    if near.is_empty:
        return None
    near = shapely.segmentize(near, _STEP_DEG)
    projected = shapely.transform(near, lambda lon, lat: around(lon, lat), interleaved=False)
    return float(shapely.distance(Point(0.0, 0.0), projected))

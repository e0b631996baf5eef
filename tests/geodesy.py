"""Oracles that share no code with geo: geodesic areas on the WGS84 ellipsoid (pyproj.Geod,
not a projection to an equal-area plane) and distances along meridians and parallels from the
ellipsoid's formulas (not a projection around a point)."""

from __future__ import annotations

import math

from pyproj import Geod

WGS84 = Geod(ellps="WGS84")


def geodesic_km2(geometry) -> float:
    """Area of a lon/lat polygon or multipolygon on the ellipsoid, in km²."""
    area, _perimeter = WGS84.geometry_area_perimeter(geometry)
    return abs(area) / 1e6


# Distances along a meridian or a parallel from the ellipsoid's own formulas, for checking
# distances that geo measures in a projection; nothing here comes from pyproj.
WGS84_A = 6_378_137.0
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)


def meridian_radius(lat: float) -> float:
    """Radius of curvature along the meridian at ``lat`` (degrees), in metres."""
    s = math.sin(math.radians(lat))
    return WGS84_A * (1 - WGS84_E2) / (1 - WGS84_E2 * s * s) ** 1.5


def meridian_arc_m(lat1: float, lat2: float, steps: int = 64) -> float:
    """Metres along a meridian between two latitudes (Simpson's rule; exact to far below 1 mm
    over a few km)."""
    h = (lat2 - lat1) / steps
    total = meridian_radius(lat1) + meridian_radius(lat2)
    total += sum((4 if i % 2 else 2) * meridian_radius(lat1 + i * h) for i in range(1, steps))
    return abs(math.radians(h) * total / 3)


def parallel_arc_m(lat: float, dlon: float) -> float:
    """Metres along the parallel at ``lat`` for ``dlon`` degrees of longitude (within a few km
    of a meridian this is the distance to it: the parallel bends away by far less than 1 mm)."""
    s = math.sin(math.radians(lat))
    prime_vertical = WGS84_A / math.sqrt(1 - WGS84_E2 * s * s)
    return prime_vertical * math.cos(math.radians(lat)) * math.radians(abs(dlon))


def degrees_of_latitude(lat: float, metres: float) -> float:
    """Degrees north of ``lat`` that are ``metres`` along the meridian (to well under 1 mm)."""
    dlat = math.degrees(metres / meridian_radius(lat))
    for _ in range(3):  # Newton steps on the arc length
        dlat -= math.degrees((meridian_arc_m(lat, lat + dlat) - metres) / meridian_radius(lat))
    return dlat


def degrees_of_longitude(lat: float, metres: float) -> float:
    """Degrees of longitude that are ``metres`` along the parallel at ``lat``."""
    return metres / parallel_arc_m(lat, 1.0)

"""An oracle for areas that shares no code with geo.areas: geodesic areas on the WGS84
ellipsoid (pyproj.Geod), not a projection to an equal-area plane."""

from __future__ import annotations

from pyproj import Geod

WGS84 = Geod(ellps="WGS84")


def geodesic_km2(geometry) -> float:
    """Area of a lon/lat polygon or multipolygon on the ellipsoid, in km²."""
    area, _perimeter = WGS84.geometry_area_perimeter(geometry)
    return abs(area) / 1e6

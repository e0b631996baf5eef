"""Areas in km², computed in an equal-area projection (never in degrees or Web Mercator)."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np

# EASE-Grid 2.0 global cylindrical equal-area: exact areas anywhere, so any pack can use it.
EQUAL_AREA_CRS = "EPSG:6933"
# Lon/lat edges are not straight lines in the projection; densify them first.
SEGMENT_DEGREES = 0.05


def area_km2(geometries: Sequence) -> np.ndarray:
    """Area of each lon/lat geometry in square kilometres."""
    series = gpd.GeoSeries(list(geometries), crs="EPSG:4326")
    projected = series.segmentize(SEGMENT_DEGREES).to_crs(EQUAL_AREA_CRS)
    return projected.area.to_numpy() / 1e6

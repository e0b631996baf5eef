"""Canonical GeoJSON: one stable byte form so that diffs of data files show real changes only.

Files are RFC 7946 FeatureCollections with coordinates rounded to a fixed number of
decimals, exterior rings counter-clockwise, one feature per line and sorted property keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

PRECISION = 5  # decimals of a degree: about 1 m, enough for borders drawn from 1:10m data


def _round(value: Any, digits: int) -> Any:
    if isinstance(value, float):
        rounded = round(value, digits)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, list | tuple):
        return [_round(item, digits) for item in value]
    return value


def geometry_dict(geometry: BaseGeometry, digits: int = PRECISION) -> dict:
    """Return the GeoJSON mapping of ``geometry`` with RFC 7946 ring order, rounded."""
    oriented = shapely.orient_polygons(geometry, exterior_cw=False)
    raw = mapping(oriented)
    return {"type": raw["type"], "coordinates": _round(raw["coordinates"], digits)}


def dumps(
    features: Iterable[tuple[Mapping[str, Any], BaseGeometry | None]],
    digits: int = PRECISION,
) -> str:
    """Serialise ``(properties, geometry)`` pairs as a canonical FeatureCollection."""
    lines = []
    for properties, geometry in features:
        feature = {
            "type": "Feature",
            "properties": dict(sorted(properties.items())),
            "geometry": None if geometry is None else geometry_dict(geometry, digits),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(lines)
    return '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"


def write(
    path: Path,
    features: Iterable[tuple[Mapping[str, Any], BaseGeometry | None]],
    digits: int = PRECISION,
) -> None:
    """Write ``features`` to ``path`` in canonical form (UTF-8, trailing newline)."""
    Path(path).write_text(dumps(features, digits), encoding="utf-8")


def is_canonical(text: str, digits: int = PRECISION) -> bool:
    """Whether ``text`` is byte-identical to its canonical re-serialisation."""
    data = json.loads(text)
    pairs = [
        (
            f.get("properties") or {},
            shapely.geometry.shape(f["geometry"]) if f.get("geometry") else None,
        )
        for f in data.get("features", [])
    ]
    return dumps(pairs, digits) == text

"""Map-ready geometry of a pack: simplified atoms, today's borders as lines, script-safe JSON.

Simplification runs on the atoms, which tile the scope, with ``coverage_simplify`` so that
neighbours keep sharing their borders at every date (geo/topology.py encodes them for the
browser; pictures draw today's borders from ``base_lines``).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import shapely

from geo import files, geojson
from geo.pack import Pack, per_pack

SIMPLIFY = 0.015  # Visvalingam–Whyatt tolerance (≈ √area removed, degrees); regional zoom
DIGITS = 3  # about 100 m: finer than the 1:10m source can show at the zooms used


def simplified_atoms(pack: Pack) -> list:
    """Atoms simplified as one coverage, so that neighbours keep sharing their borders."""
    atoms = shapely.set_precision(pack.timeline.atoms.values, 10.0**-geojson.PRECISION)
    if not shapely.coverage_is_valid(atoms):
        atoms = shapely.coverage_clean(atoms)
    simplified = shapely.coverage_simplify(atoms, SIMPLIFY)
    return list(shapely.set_precision(simplified, 10.0**-DIGITS))


@per_pack
def base_lines(pack: Pack) -> dict | None:
    """Modern country borders from the pack's ``base/admin0.geojson`` as lines, if present.

    Read once per pack: pictures and animations draw them on every frame."""
    path = Path(pack.path) / "base" / "admin0.geojson"
    if not path.exists():
        return None
    features, _problems = files.read_geojson(path, Path(pack.path), str(path))
    if features is None:  # an unreadable reference layer only costs the map its background
        return None
    polygons = [shapely.geometry.shape(f["geometry"]) for f in features]
    simplified = shapely.simplify(shapely.set_precision(polygons, 10.0**-DIGITS), SIMPLIFY / 4)
    lines = [
        {
            "type": "Feature",
            "properties": {"n": html.escape(str(f["properties"].get("name", "")))},
            "geometry": geojson.geometry_dict(g, DIGITS),
        }
        for f, g in zip(features, simplified, strict=True)
    ]
    return {"type": "FeatureCollection", "features": lines}


def script_json(data) -> str:
    """JSON safe to place inside a <script> element (no closing tags, no entities)."""
    return (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )

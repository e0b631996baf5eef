"""Map-ready layers of a pack: simplified polygon versions with lifetimes, labels, base lines.

Everything the browser needs to show any date is computed once per pack, so moving the year
slider only switches which features are visible. Simplification runs on the atoms, which tile
the scope, with ``coverage_simplify`` so that neighbours keep sharing their borders at every date.
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


def versions_geojson(pack: Pack) -> dict:
    """Every polygon version as a GeoJSON FeatureCollection for the browser.

    Properties are short to keep the payload small: ``p`` polity id, ``n`` name (HTML-escaped),
    ``c`` colour, ``s``/``e`` first and last-plus-one day as proleptic ordinals, ``q`` precision,
    ``l`` label point [lon, lat].
    """
    atoms = simplified_atoms(pack)
    features = []
    for row in pack.timeline.versions.itertuples():
        members = row.atoms
        geometry = shapely.union_all([atoms[a] for a in members])
        if geometry.is_empty:
            continue
        label = (
            geometry.point_on_surface()
            if geometry.geom_type == "Polygon"
            else max(shapely.get_parts(geometry), key=lambda g: g.area).point_on_surface()
        )
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "p": row.polity,
                    "n": html.escape(row.name),
                    "c": row.colour,
                    "s": int(row.start_ord),
                    "e": int(row.end_ord),
                    "q": row.precision,
                    "l": [round(label.x, 3), round(label.y, 3)],
                },
                "geometry": geojson.geometry_dict(geometry, DIGITS),
            }
        )
    return {"type": "FeatureCollection", "features": features}


@per_pack  # read once per pack: pictures and animations draw them on every frame
def base_lines(pack: Pack) -> dict | None:
    """Modern country borders from the pack's ``base/admin0.geojson`` as lines, if present."""
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

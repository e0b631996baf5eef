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
from geo.pack import Pack

SIMPLIFY = 0.015  # Visvalingam–Whyatt tolerance (≈ √area removed, degrees); regional zoom
DIGITS = 3  # about 100 m: finer than the 1:10m source can show at the zooms used
PRECISION_RANK = {"precise": 0, "moderate": 1, "approximate": 2}


def simplified_atoms(pack: Pack) -> list:
    """Atoms simplified as one coverage, so that neighbours keep sharing their borders."""
    atoms = shapely.set_precision(pack.derived["atoms"].values, 10.0**-geojson.PRECISION)
    if not shapely.coverage_is_valid(atoms):
        atoms = shapely.coverage_clean(atoms)
    simplified = shapely.coverage_simplify(atoms, SIMPLIFY)
    return list(shapely.set_precision(simplified, 10.0**-DIGITS))


def version_precision(pack: Pack) -> list[str]:
    """How precise each polygon version's outline is: set by the event that made it."""
    return pack.memo("version_precision", lambda: _version_precision(pack))


def _version_precision(pack: Pack) -> list[str]:
    baseline = pack.meta.get("baseline_precision", "approximate")
    precisions = []
    for row in pack.derived["versions"].itertuples():
        event = _event_starting(pack, row.polity, row.start)
        precisions.append(_event_precision(event, row.polity) if event else baseline)
    return precisions


def _event_starting(pack: Pack, polity: str, day):
    for event in pack.events:
        if event.effective == day and (
            any(polity in (t.source, t.target) for t in event.transfers)
            or any(polity in pair for pair in event.successions)
        ):
            return event
    return None


def _event_precision(event, polity: str) -> str:
    stated = event.record.get("border_precision")
    if stated in PRECISION_RANK:
        return stated
    ranks = [PRECISION_RANK[t.precision] for t in event.transfers if polity in (t.source, t.target)]
    worst = max(ranks, default=PRECISION_RANK["approximate"])
    return next(k for k, v in PRECISION_RANK.items() if v == worst)


def versions_geojson(pack: Pack) -> dict:
    """Every polygon version as a GeoJSON FeatureCollection for the browser.

    Properties are short to keep the payload small: ``p`` polity id, ``n`` name (HTML-escaped),
    ``c`` colour, ``s``/``e`` first and last-plus-one day as proleptic ordinals, ``q`` precision,
    ``l`` label point [lon, lat].
    """
    atoms = simplified_atoms(pack)
    versions = pack.derived["versions"]
    precisions = version_precision(pack)
    features = []
    for row, precision in zip(versions.itertuples(), precisions, strict=True):
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
                    "q": precision,
                    "l": [round(label.x, 3), round(label.y, 3)],
                },
                "geometry": geojson.geometry_dict(geometry, DIGITS),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def base_lines(pack: Pack) -> dict | None:
    """Modern country borders from the pack's ``base/admin0.geojson`` as lines, if present.

    Read once per pack: pictures and animations draw them on every frame.
    """
    return pack.memo("base_lines", lambda: _base_lines(pack))


def _base_lines(pack: Pack) -> dict | None:
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

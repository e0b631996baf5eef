"""Geometry recipes: historical polygons built as unions of modern units.

A pack may keep its modern administrative units in ``base/admin1.geojson`` and rough
hand-drawn cutters in ``base/pieces.geojson``. A piece is its cutter clipped to the unit it is
cut from (``cut_from``), so only the cut line is hand-drawn and every other edge is the unit's
own; the unit's remainder is then called ``<unit>/rest``. ``base/baseline-units.toml`` lists
each polity's units on the baseline date, and a transfer lists its units in ``units``. The build
(``scripts/build_geometry.py``) writes the resulting polygons into ``baseline.geojson`` and
``events/<id>.geojson``; a data test checks that the committed files equal the recipes.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import shapely

from geo import geojson

GRID = 10.0**-geojson.PRECISION


class RecipeError(Exception):
    """A recipe that cannot be built (unknown unit, a whole unit that was cut, overlap)."""


def load_units(pack_dir: Path) -> dict[str, dict]:
    """Units by id: admin-1 units, pieces and remainders, each ``{"geometry", "name"}``."""
    base = pack_dir / "base"
    units = {}
    for feature in json.loads((base / "admin1.geojson").read_text(encoding="utf-8"))["features"]:
        props = feature["properties"]
        units[props["unit"]] = {
            "geometry": shapely.geometry.shape(feature["geometry"]),
            "name": props.get("name_en"),
        }
    pieces_path = base / "pieces.geojson"
    if not pieces_path.exists():
        return units
    cut: dict[str, list] = {}
    for feature in json.loads(pieces_path.read_text(encoding="utf-8"))["features"]:
        props = feature["properties"]
        parent = props["cut_from"]
        if parent not in units:
            raise RecipeError(f"piece {props['piece']!r}: cut_from {parent!r} is not a unit")
        cutter = shapely.geometry.shape(feature["geometry"])
        piece = _clean(shapely.intersection(units[parent]["geometry"], cutter))
        units[props["piece"]] = {"geometry": piece, "name": props["name"], "cut_from": parent}
        cut.setdefault(parent, []).append(piece)
    for parent, pieces in cut.items():
        rest = _clean(shapely.difference(units[parent]["geometry"], shapely.union_all(pieces)))
        units[f"{parent}/rest"] = {"geometry": rest, "name": f"{units[parent]['name']} (rest)"}
        units[parent]["is_cut"] = True
    return units


def _clean(geometry):
    """Snap to the file grid so pieces and remainders share their cut line exactly."""
    snapped = shapely.set_precision(geometry, GRID)
    parts = [p for p in shapely.get_parts(snapped) if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


def resolve(units: dict[str, dict], ids: list[str], what: str):
    """The union of the named units."""
    geoms = []
    for unit_id in ids:
        if unit_id not in units:
            raise RecipeError(f"{what}: unknown unit {unit_id!r}")
        if units[unit_id].get("is_cut"):
            raise RecipeError(
                f"{what}: unit {unit_id!r} is cut into pieces; list its pieces "
                f"and {unit_id}/rest instead"
            )
        geoms.append(units[unit_id]["geometry"])
    return _clean(shapely.union_all(geoms))


def baseline_features(pack_dir: Path, units: dict[str, dict]) -> list[tuple[dict, object]]:
    """Baseline features from ``base/baseline-units.toml``; a unit may appear only once."""
    recipe = tomllib.loads((pack_dir / "base" / "baseline-units.toml").read_text("utf-8"))
    seen: dict[str, str] = {}
    features = []
    for polity, table in recipe.items():
        for unit_id in table["units"]:
            if unit_id in seen:
                raise RecipeError(
                    f"baseline: unit {unit_id!r} given to both {seen[unit_id]!r} and {polity!r}"
                )
            seen[unit_id] = polity
        features.append(({"polity": polity}, resolve(units, table["units"], polity)))
    return features


def transfer_features(event_path: Path, units: dict[str, dict]) -> list[tuple[dict, object]] | None:
    """Transfer features for an event whose transfers all list ``units`` (else None)."""
    record = tomllib.loads(event_path.read_text(encoding="utf-8"))
    transfers = record.get("transfers", [])
    if not transfers or any("units" not in t for t in transfers):
        return None
    return [
        ({"transfer": t["id"]}, resolve(units, t["units"], f"{event_path.stem}/{t['id']}"))
        for t in transfers
    ]


def build(pack_dir: Path) -> dict[Path, str]:
    """Every file the recipes define, as canonical text, keyed by path."""
    units = load_units(pack_dir)
    outputs = {pack_dir / "baseline.geojson": geojson.dumps(baseline_features(pack_dir, units))}
    for event_path in sorted((pack_dir / "events").glob("*.toml")):
        features = transfer_features(event_path, units)
        if features is not None:
            outputs[event_path.with_suffix(".geojson")] = geojson.dumps(features)
    return outputs

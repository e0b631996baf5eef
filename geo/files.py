"""Reading pack files defensively: size limits, symbolic links, encodings, TOML and GeoJSON.

Every reader returns ``(value, problems)``: a bad file yields problems, never an exception,
so that one broken file does not hide the problems in the others.
"""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.problems import Problem

# Checked before parsing so a huge or hostile file cannot exhaust memory.
MAX_TOML_BYTES = 256 * 1024
MAX_GEOJSON_BYTES = 8 * 1024 * 1024


def display(path: Path, root: Path) -> str:
    """The path as shown in messages: relative to the treaties folder when possible."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def read_text(
    path: Path, pack_dir: Path, limit: int, shown: str
) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file inside ``pack_dir``; links leading outside are never followed."""
    # Resolving the whole path also catches a linked folder (events/ → elsewhere), not only a
    # linked file; nothing outside the pack is ever read.
    target = path.resolve()
    if not target.is_relative_to(pack_dir.resolve()):
        return None, [
            Problem(
                shown,
                "file",
                f"symbolic link to {target} leads outside the pack; "
                "copy the file into the pack instead",
            )
        ]
    if not path.is_file():
        return None, [Problem(shown, "file", "required file is missing")]
    size = path.stat().st_size
    if size > limit:
        return None, [
            Problem(shown, "file", f"file is {size:,} bytes, over the limit of {limit:,} bytes")
        ]
    raw = path.read_bytes()
    if not raw.strip():
        return None, [Problem(shown, "file", "file is empty")]
    if b"\x00" in raw:
        return None, [Problem(shown, "file", "file is binary (contains NUL bytes), not text")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as err:
        return None, [
            Problem(shown, f"byte {err.start}", "file is not UTF-8 text; save it as UTF-8")
        ]


def read_toml(path: Path, pack_dir: Path, shown: str) -> tuple[dict | None, list[Problem]]:
    """Parse a TOML file; syntax errors name the line and column."""
    text, problems = read_text(path, pack_dir, MAX_TOML_BYTES, shown)
    if text is None:
        return None, problems
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        where = "file"
        if "(at line" in message:
            message, _, rest = message.partition(" (at ")
            where = rest.rstrip(")")
        if "date" in message.lower():
            message += "; dates are real days written YYYY-MM-DD without quotes"
        return None, [Problem(shown, where, f"malformed TOML: {message}")]


def read_geojson(path: Path, pack_dir: Path, shown: str) -> tuple[list[dict] | None, list[Problem]]:
    """Parse a GeoJSON FeatureCollection and return its features (structure checked)."""
    text, problems = read_text(path, pack_dir, MAX_GEOJSON_BYTES, shown)
    if text is None:
        return None, problems
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno}, column {err.colno}"
        return None, [Problem(shown, where, f"malformed JSON: {err.msg} (file truncated?)")]
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return None, [Problem(shown, "type", "expected a GeoJSON FeatureCollection")]
    features = data.get("features")
    if not isinstance(features, list):
        return None, [Problem(shown, "features", "expected a list of features")]
    bad = [
        Problem(shown, f"features[{i}]", "expected a Feature with properties and geometry")
        for i, f in enumerate(features)
        if not (
            isinstance(f, dict)
            and f.get("type") == "Feature"
            and isinstance(f.get("properties"), dict)
        )
    ]
    return (None, bad) if bad else (features, [])


def polygon(feature: dict, shown: str, where: str) -> tuple[BaseGeometry | None, list[Problem]]:
    """The feature's geometry if it is a valid Polygon or MultiPolygon in lon/lat range."""
    geometry = feature.get("geometry")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        return None, [
            Problem(
                shown,
                f"{where}.geometry",
                f"geometry type {kind!r} is not allowed; expected Polygon or MultiPolygon",
            )
        ]
    bad = _bad_coordinate(geometry.get("coordinates"))
    if bad is not None:
        return None, [Problem(shown, f"{where}.geometry", bad)]
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as err:
        return None, [Problem(shown, f"{where}.geometry", f"unreadable coordinates: {err}")]
    if geom.is_empty:
        return None, [Problem(shown, f"{where}.geometry", "geometry is empty")]
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        return None, [
            Problem(
                shown,
                f"{where}.geometry",
                f"invalid polygon: {reason}; fix the rings so "
                "they do not cross themselves or each other",
            )
        ]
    return geom, []


def _bad_coordinate(coords: Any) -> str | None:
    """Why the nested coordinate list is unusable (None when every position is fine)."""
    stack = [coords]
    while stack:
        item = stack.pop()
        if not isinstance(item, list) or not item:
            return "coordinates must be nested non-empty lists of [lon, lat] positions"
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in item):
            if len(item) < 2:
                return f"position {item!r} needs a longitude and a latitude"
            lon, lat = item[0], item[1]
            if not (math.isfinite(lon) and math.isfinite(lat)):
                return f"position {item!r} is not finite"
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                return (
                    f"position {item!r} is out of range; longitude must be within "
                    "-180..180 and latitude within -90..90 (GeoJSON order is [lon, lat])"
                )
        else:
            stack.extend(item)
    return None

"""Reference layers from a pack's ``base/`` folder: its towns and cities, and its rivers.

Both files are optional and come from Natural Earth (see ``base/PROVENANCE.md``): a pack
without them gets maps without them. Each is read once per pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import shapely

from geo import files
from geo.pack import Pack, per_pack


@dataclass(frozen=True)
class Place:
    name: str
    lon: float
    lat: float
    key: bool  # one of the places the pack's maps name first
    scalerank: int | None  # Natural Earth: 0 most important, 10 least
    pop: int | None


@dataclass(frozen=True)
class River:
    name: str | None
    scalerank: int
    geometry: shapely.Geometry  # LineString or MultiLineString, lon/lat


@per_pack
def places(pack: Pack) -> list[Place]:
    """The pack's ``base/places.geojson`` as places, in file order (by name)."""
    return _places(pack)


@per_pack
def rivers(pack: Pack) -> list[River]:
    """The pack's ``base/rivers.geojson`` as rivers, in file order."""
    return _rivers(pack)


def _features(pack: Pack, name: str) -> list[dict]:
    path = Path(pack.path) / "base" / name
    if not path.exists():
        return []
    features, _problems = files.read_geojson(path, Path(pack.path), str(path))
    return features or []  # an unreadable reference layer only costs the map its names


def _places(pack: Pack) -> list[Place]:
    found = []
    for feature in _features(pack, "places.geojson"):
        props, geometry = feature["properties"], feature.get("geometry") or {}
        if geometry.get("type") != "Point" or not props.get("name"):
            continue
        lon, lat = geometry["coordinates"][:2]
        found.append(
            Place(
                str(props["name"]),
                float(lon),
                float(lat),
                bool(props.get("key")),
                props.get("scalerank"),
                props.get("pop"),
            )
        )
    return found


def _rivers(pack: Pack) -> list[River]:
    found = []
    for feature in _features(pack, "rivers.geojson"):
        geometry = feature.get("geometry")
        if not geometry or geometry.get("type") not in ("LineString", "MultiLineString"):
            continue
        props = feature["properties"]
        found.append(
            River(
                props.get("name"),
                int(props.get("scalerank", 10)),
                shapely.geometry.shape(geometry),
            )
        )
    return found

"""The places layer of a pack's base data: how scripts/build_base.py cuts it, and the files cut.

The Natural Earth sources are too large to ship, so the builder runs here on tiny sources of
the same shape; the committed files are checked against their region.toml.
"""

from __future__ import annotations

import importlib.util
import json
import tomllib
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo import geojson
from geo.catalog import TREATIES, pack_dirs

ROOT = Path(__file__).resolve().parent.parent
BASES = [d / "base" for d in pack_dirs(TREATIES) if (d / "base" / "places.geojson").exists()]


def builder():
    spec = importlib.util.spec_from_file_location("build_base", ROOT / "scripts" / "build_base.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tiny_sources(src: Path) -> None:
    """A populated-places shapefile and an admin-1 file laid out as obtain_geodata.sh does."""
    rows = [  # name, scalerank, pop_max, lon, lat
        ("Naxcivan", 7, 94788, 45.41, 39.21),
        ("Alpha", 3, 0, 10.0, 10.0),
        ("Beta", 8, 5000, 11.5, 10.5),
        ("Far Away", 1, 9_000_000, 40.0, 40.0),  # outside the bbox
    ]
    places = gpd.GeoDataFrame(
        {
            "name": [r[0] for r in rows],
            "scalerank": [r[1] for r in rows],
            "pop_max": [r[2] for r in rows],
            "adm0_a3": ["AZE", "AAA", "BBB", "CCC"],
            "featurecla": ["Admin-1 capital", "Populated place", "Populated place", "x"],
            "longitude": [r[3] for r in rows],
            "latitude": [r[4] for r in rows],
        },
        geometry=[shapely.Point(r[3], r[4]) for r in rows],
        crs=4326,
    )
    shp = src / builder().PLACES
    shp.parent.mkdir(parents=True)
    places.to_file(shp, encoding="cp1252")
    admin1 = gpd.GeoDataFrame(
        {
            "adm1_code": ["XXX-1", "XXX-2"],
            "name_en": ["Gamma Town", "Delta District"],
            "adm0_a3": ["XXX", "XXX"],
            "latitude": [10.25, 11.0],
            "longitude": [12.75, 13.0],
        },
        geometry=[shapely.box(12, 10, 13, 11), shapely.box(13, 10, 14, 11)],
        crs=4326,
    )
    path = src / builder().ADMIN1
    path.parent.mkdir(parents=True)
    admin1.to_file(path, driver="GeoJSON")


REGION = {
    "bbox": [9.0, 9.0, 46.0, 39.5],
    "places": {
        "rename": {"Naxcivan": "Nakhchivan"},
        "from_admin1": ["XXX-1"],
        "key": ["Nakhchivan", "Gamma Town"],
    },
}


def test_places_are_cut_renamed_marked_and_sorted(tmp_path):
    tiny_sources(tmp_path)
    features = builder().place_features(tmp_path, REGION)
    props = [p for p, _ in features]
    assert [p["name"] for p in props] == ["Alpha", "Beta", "Gamma Town", "Nakhchivan"]
    assert {p["name"]: p["key"] for p in props} == {
        "Alpha": False,
        "Beta": False,
        "Gamma Town": True,
        "Nakhchivan": True,
    }
    by_name = {p["name"]: (p, g) for p, g in features}
    assert by_name["Gamma Town"][1].equals(shapely.Point(12.75, 10.25))  # NE's label point
    assert by_name["Gamma Town"][0]["source"].endswith("XXX-1")
    assert by_name["Nakhchivan"][0]["pop"] == 94788
    assert by_name["Alpha"][0]["pop"] is None  # NE writes 0 for unknown


def test_a_rebuild_gives_the_same_bytes(tmp_path):
    tiny_sources(tmp_path)
    first = geojson.dumps(builder().place_features(tmp_path, REGION))
    second = geojson.dumps(builder().place_features(tmp_path, REGION))
    assert first == second
    assert geojson.is_canonical(first)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"key": ["Nowhere"]}, "no place named Nowhere"),
        ({"from_admin1": ["XXX-9"]}, "no admin-1 unit XXX-9"),
    ],
)
def test_a_region_naming_a_missing_place_stops_the_build(tmp_path, change, message):
    tiny_sources(tmp_path)
    region = {**REGION, "places": {**REGION["places"], **change}}
    with pytest.raises(SystemExit) as stop:
        builder().place_features(tmp_path, region)
    assert message in str(stop.value)


@pytest.mark.parametrize("base", BASES, ids=[b.parent.name for b in BASES])
def test_committed_places_match_their_region(base):
    region = tomllib.loads((base / "region.toml").read_text(encoding="utf-8"))
    cfg = region.get("places", {})
    features = json.loads((base / "places.geojson").read_text(encoding="utf-8"))["features"]
    names = [f["properties"]["name"] for f in features]
    assert names == sorted(names)
    key = sorted(f["properties"]["name"] for f in features if f["properties"]["key"])
    assert key == sorted(cfg.get("key", []))
    assert not set(cfg.get("rename", {})) & set(names), "a renamed NE name is still in the file"
    area = shapely.box(*region["bbox"])
    assert all(area.contains(shapely.geometry.shape(f["geometry"])) for f in features)
    provenance = (base / "PROVENANCE.md").read_text(encoding="utf-8")
    assert f"- Features: {len(features)}, of which {len(key)} key places." in provenance

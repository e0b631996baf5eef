"""The dashboard's side of the map: Leaflet and our scripts served as static files, and each
pack's map data published once per content as a file the browser fetches and caches.

The name of the published file is a hash of the pack's files and of the code that encodes them,
so a restart finds the file it wrote before and does not encode the pack again, and an edited
pack gets a new name (older copies are removed).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import xstatic.pkg.leaflet as xstatic_leaflet

from geo import assets, topology
from geo.pack import Pack

STATIC = Path(__file__).resolve().parent.parent / "static"
APP_ASSETS = {
    "leaflet_js": "/app/static/vendor/leaflet/leaflet.js",
    "leaflet_css": "/app/static/vendor/leaflet/leaflet.css",
    "topology_js": "/app/static/topology.js",
    "timemap_js": "/app/static/timemap.js",
    "timemap_css": "/app/static/timemap.css",
}
# The code whose output the published file holds: a change to it must change the file's name.
ENCODERS = [Path(topology.__file__), Path(topology.__file__).with_name("layers.py")]


def install_leaflet(static_dir: Path = STATIC) -> Path:
    """Copy Leaflet into ``static/vendor/leaflet`` for the app to serve; idempotent."""
    target = static_dir / "vendor" / "leaflet"
    marker = target / "VERSION"
    version = xstatic_leaflet.VERSION
    if marker.exists() and marker.read_text() == version:
        return target
    source = assets.leaflet_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copyfile(source / name, target / name)
    shutil.copytree(source / "images", target / "images", dirs_exist_ok=True)
    marker.write_text(version)
    return target


def content_key(pack: Pack) -> str:
    """A hash of every file of the pack (in path order) and of the encoding code."""
    digest = hashlib.sha256()
    root = Path(pack.path)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    for path in ENCODERS:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def publish(pack: Pack, static_dir: Path = STATIC) -> str:
    """The URL of the pack's map data, writing the file only if this content has none yet."""
    folder = static_dir / "cache"
    name = f"{pack.id}-map-{content_key(pack)}.json"
    target = folder / name
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(topology.map_data(pack), ensure_ascii=False, separators=(",", ":"))
        tmp = folder / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    for old in folder.glob(f"{pack.id}-map-*.json"):
        if old.name != name:
            old.unlink(missing_ok=True)
    return f"/app/static/cache/{name}"

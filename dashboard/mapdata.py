"""The dashboard's side of the map: Leaflet and our scripts served as static files, and each
pack's map data published once per content as a file the browser fetches and caches.

The name of the published file is a hash of the pack's files and of the code that encodes them,
so a restart finds the file it wrote before and does not encode the pack again, and an edited
pack gets a new name (older copies are removed).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
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
ENCODERS = [
    Path(topology.__file__).with_name(name) for name in ("topology.py", "arcs.py", "layers.py")
]
_ENCODERS_DIGEST = hashlib.sha256(b"".join(p.read_bytes() for p in ENCODERS)).digest()


def install_leaflet(static_dir: Path | None = None) -> Path:
    """Copy Leaflet into ``static/vendor/leaflet`` for the app to serve; idempotent."""
    target = (static_dir or STATIC) / "vendor" / "leaflet"
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
    digest.update(_ENCODERS_DIGEST)  # the code is read once, at import
    return digest.hexdigest()[:16]


def publish(pack: Pack, static_dir: Path | None = None, key: str | None = None) -> str:
    """The URL of the pack's map data; encoded and written only if this content has no file
    yet, so a restart reuses the file an earlier process wrote.

    ``key`` is the pack's ``content_key`` taken when it was loaded: the files may have changed
    since, and their new hash must never name this older pack's data."""

    def encode() -> str:
        return json.dumps(topology.map_data(pack), ensure_ascii=False, separators=(",", ":"))

    return publish_text(f"{pack.id}-map", key or content_key(pack), encode, static_dir)


def publish_json(data, stem: str, static_dir: Path | None = None) -> str:
    """Write ``data`` as ``static/cache/<stem>-<hash of the data>.json``; return its URL."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    key = hashlib.sha256(text.encode()).hexdigest()[:16]
    return publish_text(stem, key, lambda: text, static_dir)


def publish_text(stem: str, key: str, make_text, static_dir: Path | None = None) -> str:
    """``static/cache/<stem>-<key>.json``, written from ``make_text()`` only if missing; older
    copies of the same stem are removed, so the folder holds one file per stem. The key in the
    name lets browsers cache the file for good: new content, new name."""
    folder = (static_dir or STATIC) / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{stem}-{key}.json"
    if not (folder / name).exists():
        _write_atomically(folder / name, make_text())
    _remove_other_copies(folder, stem, name)
    return f"/app/static/cache/{name}"


def _write_atomically(path: Path, text: str) -> None:
    """Readers see the whole file or none: write a private temporary file, then rename it."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the app serves it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_other_copies(folder: Path, stem: str, keep: str) -> None:
    # An exact pattern: stem "russia" must not match the files of stem "russia-iran-map".
    pattern = re.compile(re.escape(stem) + r"-[0-9a-f]{16}\.json")
    for path in folder.iterdir():
        if path.name != keep and pattern.fullmatch(path.name):
            path.unlink(missing_ok=True)  # another process may have removed it already

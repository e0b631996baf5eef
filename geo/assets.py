"""Leaflet's files, taken from the installed ``xstatic-leaflet`` package (never from a CDN)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import xstatic.pkg.leaflet as xstatic_leaflet

PROJECT_STATIC = Path(__file__).resolve().parent.parent / "static"


def leaflet_dir() -> Path:
    """The folder holding leaflet.js, leaflet.css and images/ of the installed package."""
    return Path(xstatic_leaflet.BASE_DIR)


def install_app_assets(static_dir: Path = PROJECT_STATIC) -> Path:
    """Copy Leaflet into ``static/vendor/leaflet`` for the app to serve; idempotent."""
    target = static_dir / "vendor" / "leaflet"
    source = leaflet_dir()
    marker = target / "VERSION"
    version = xstatic_leaflet.VERSION
    if marker.exists() and marker.read_text() == version:
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copyfile(source / name, target / name)
    shutil.copytree(source / "images", target / "images", dirs_exist_ok=True)
    marker.write_text(version)
    return target


def read_text(name: str) -> str:
    """Text of a Leaflet file (for inlining into standalone pages)."""
    return (leaflet_dir() / name).read_text(encoding="utf-8")


def publish_json(data, stem: str, static_dir: Path = PROJECT_STATIC) -> str:
    """Write ``data`` to ``static/cache/<stem>-<hash>.json`` and return its URL in the app.

    The content hash in the name lets browsers cache the file for good: new data, new name.
    A file is written once per content; older copies of the same stem are then removed, so the
    folder holds one file per stem however often the data changes.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    folder = static_dir / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{stem}-{digest}.json"
    if not (folder / name).exists():
        _write_atomically(folder / name, text)
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

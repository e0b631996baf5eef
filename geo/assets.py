"""Leaflet's files, taken from the installed ``xstatic-leaflet`` package (never from a CDN)."""

from __future__ import annotations

from pathlib import Path

import xstatic.pkg.leaflet as xstatic_leaflet

PROJECT_STATIC = Path(__file__).resolve().parent.parent / "static"


def leaflet_dir() -> Path:
    """The folder holding leaflet.js, leaflet.css and images/ of the installed package."""
    return Path(xstatic_leaflet.BASE_DIR)


def read_text(name: str) -> str:
    """Text of a Leaflet file (for inlining into standalone pages)."""
    return (leaflet_dir() / name).read_text(encoding="utf-8")

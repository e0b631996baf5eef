"""The packs and their map, held once per process for every session.

A plain module cache rather than Streamlit's: ``dashboard.serve`` fills it before the first
visitor arrives (so a restarted server shows its first map without loading the packs then),
and every session reads the same objects. A lock makes a session that arrives during that
loading wait for it instead of loading the packs a second time.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from geo.catalog import Catalog, load_catalog

_LOCK = threading.Lock()


def catalog(root: str) -> Catalog:
    """Every pack under ``root``, loaded once per process."""
    with _LOCK:
        return _catalog(root)


@cache
def _catalog(root: str) -> Catalog:
    return load_catalog(Path(root))


def map_parts(root: str, pack_id: str) -> dict[str, str]:
    """The folium map of a pack split for the map component; the same for every session."""
    with _LOCK:
        return _map_parts(root, pack_id)


@cache
def _map_parts(root: str, pack_id: str) -> dict[str, str]:
    # Not dashboard.timemap: declaring the component before Streamlit's runtime exists (the
    # warm-up runs first) would leave it unregistered.
    from dashboard import mapdata
    from geo import render

    pack = _catalog(root).packs[pack_id]
    mapdata.install_leaflet()
    m = render.base_map(pack, mapdata.APP_ASSETS, data_url=mapdata.publish(pack))
    return render.figure_parts(m)


def warm(root: str) -> None:
    """Load every pack and prepare every map (the work a first visitor would wait for)."""
    for pack_id in catalog(root).packs:
        map_parts(root, pack_id)

"""The packs and their map, held once per process for every session and kept in step with the
pack folders while the app runs.

A plain module cache rather than Streamlit's: ``dashboard.serve`` fills it before the first
visitor arrives (so a restarted server shows its first map without loading the packs then),
and every session reads the same objects. A lock makes a session that arrives during that
loading wait for it instead of loading the packs a second time.

Every page run calls ``refresh``: one stat per file (about 0.2 ms for the bundled pack) tells
whether a pack folder changed, and only the folders that changed are loaded again. A pack that
no longer validates keeps its last valid version in use, with its problems beside it, so an edit
in progress never takes a pack away from the people looking at it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import mapdata
from geo.catalog import Catalog, Signature, folder_signature, load_pack, pack_signatures
from geo.pack import Pack
from geo.problems import Problem

_LOCK = threading.Lock()
# A folder that keeps changing while it is read is read again on the next page run.
_READ_TRIES = 3


@dataclass(frozen=True)
class Packs:
    """One consistent version of the packs under a folder; a session keeps one per page run,
    so another session's reload never takes a pack away in the middle of a run."""

    catalog: Catalog
    keys: Mapping[str, str] = field(default_factory=dict)  # content key of each loaded pack
    loaded_at: Mapping[str, dt.datetime] = field(default_factory=dict)  # UTC, for the page only
    # Packs whose folder now fails validation: the problems; the last valid version is served.
    stale: Mapping[str, tuple[Problem, ...]] = field(default_factory=dict)
    version: int = 0  # one more at every change: a cache key for what is derived from these


@dataclass
class _Folder:
    signatures: dict[str, Signature]  # of the folders as they were when last loaded
    packs: Packs


_FOLDERS: dict[str, _Folder] = {}
_PARTS: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}  # (root, pack id) → (key, parts)


def refresh(root: str) -> Packs:
    """The packs under ``root`` as they are on disk now, loading only the folders that changed
    since the last call (the first call loads them all)."""
    with _LOCK:
        folder = _folder(root)
        now = pack_signatures(Path(root))
        if now != folder.signatures:
            folder.packs, folder.signatures = _reload(Path(root), folder, now)
        return folder.packs


def current(root: str) -> Packs:
    """The packs under ``root`` as last loaded (loaded now if they never were)."""
    with _LOCK:
        return _folder(root).packs


def catalog(root: str) -> Catalog:
    """Every pack under ``root`` as last loaded."""
    return current(root).catalog


def map_parts(root: str, pack_id: str) -> dict[str, str]:
    """The folium map of the pack's current version split for the map component; the same for
    every session, and built again only when the pack's content changed."""
    with _LOCK:
        packs = _folder(root).packs
        built = _PARTS.get((root, pack_id))
        if pack_id not in packs.catalog.packs:
            if built is None:
                raise KeyError(f"no pack {pack_id!r} under {root}")
            return built[1]  # removed meanwhile: a session still showing it keeps its map
        key = packs.keys[pack_id]
        if built is None or built[0] != key:
            built = key, _build_parts(packs.catalog.packs[pack_id], key)
            _PARTS[(root, pack_id)] = built
        return built[1]


def warm(root: str) -> None:
    """Load every pack and prepare every map (the work a first visitor would wait for)."""
    for pack_id in catalog(root).packs:
        map_parts(root, pack_id)


def changed(before: Packs, after: Packs, pack_id: str) -> bool:
    """Whether the pack was edited, removed or added between two versions."""
    return before.keys.get(pack_id) != after.keys.get(pack_id)


def stale_notices(packs: Packs) -> list[str]:
    """A sentence for each pack whose folder is now invalid while its older version is shown."""
    notices = []
    for pack_id, problems in packs.stale.items():
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        loaded = packs.loaded_at[pack_id].strftime("%H:%M")
        notices.append(
            f"Pack “{pack_id}” changed on disk but is now invalid: {problems[0]}{more}. Still "
            f"showing the version loaded at {loaded} UTC."
        )
    return notices


def _folder(root: str) -> _Folder:
    # Called with the lock held.
    if root not in _FOLDERS:
        empty = _Folder({}, Packs(Catalog()))
        empty.packs, empty.signatures = _reload(Path(root), empty, pack_signatures(Path(root)))
        _FOLDERS[root] = empty
    return _FOLDERS[root]


def _reload(
    root: Path, folder: _Folder, now: dict[str, Signature]
) -> tuple[Packs, dict[str, Signature]]:
    """The next version: folders gone are dropped, changed or new ones loaded, the rest kept."""
    old = folder.packs
    loaded, skipped = dict(old.catalog.packs), dict(old.catalog.skipped)
    keys, loaded_at, stale = dict(old.keys), dict(old.loaded_at), dict(old.stale)
    signatures = {name: sig for name, sig in folder.signatures.items() if name in now}
    changed = len(signatures) < len(folder.signatures)  # a folder went away
    for table in (loaded, skipped, keys, loaded_at, stale):
        for name in [name for name in table if name not in now]:
            del table[name]
    for name in sorted(now):
        if signatures.get(name) == now[name]:
            continue
        read = _read(root / name)
        if read is None:
            continue
        changed = True
        signatures[name], pack, key, problems = read
        if pack is not None:
            loaded[name], keys[name] = pack, key
            loaded_at[name] = dt.datetime.now(dt.UTC)
            stale.pop(name, None)
            skipped.pop(name, None)
        elif name in loaded:
            stale[name] = tuple(problems)
        else:
            skipped[name] = problems
    if not changed:  # every changed folder is still being written: the next run tries again
        return old, folder.signatures
    catalog = Catalog(
        {name: loaded[name] for name in sorted(loaded)},
        {name: skipped[name] for name in sorted(skipped)},
    )
    packs = Packs(catalog, keys, loaded_at, {n: stale[n] for n in sorted(stale)}, old.version + 1)
    return packs, signatures


def _read(pack_dir: Path) -> tuple[Signature, Pack | None, str | None, list[Problem]] | None:
    """The pack, the content key naming its map data and its signature, all of one content;
    None if the folder kept changing while it was read."""
    for _ in range(_READ_TRIES):
        before = folder_signature(pack_dir)
        pack, problems = load_pack(pack_dir)
        try:
            key = mapdata.content_key(pack) if pack is not None else None
        except OSError:  # a file went away after the pack was read
            continue
        if folder_signature(pack_dir) == before:
            return before, pack, key, problems
    return None


def _build_parts(pack: Pack, key: str) -> dict[str, str]:
    # Not dashboard.timemap: declaring the component before Streamlit's runtime exists (the
    # warm-up runs first) would leave it unregistered.
    from geo import render

    mapdata.install_leaflet()
    m = render.base_map(pack, mapdata.APP_ASSETS, data_url=mapdata.publish(pack, key=key))
    return render.figure_parts(m)

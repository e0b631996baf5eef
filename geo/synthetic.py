"""Synthetic packs on a grid of square cells, for tests and benchmarks.

A grid world is ``columns × rows`` cells of ``size`` degrees starting at (``lon0``, ``lat0``);
the baseline gives each polity a block of cells, and each event moves one or more cells from
their current holder to another polity. Cells share exact vertices, so the baseline is a valid
coverage by construction.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import shapely

from geo import geojson

PALETTE = [
    "#8c510a",
    "#bf812d",
    "#dfc27d",
    "#80cdc1",
    "#35978f",
    "#01665e",
    "#c51b7d",
    "#4d9221",
    "#2166ac",
    "#b2182b",
]


def toml_value(value) -> str:
    """TOML text for the few value types packs use."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | int | float):
        return value.isoformat() if isinstance(value, dt.date) else repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _is_table_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _section(name: str, table: dict, header: str) -> list[str]:
    """Lines of one table: its plain keys first, then its arrays of tables."""
    lines = [header.format(name)] if name else []
    lines += [f"{k} = {toml_value(v)}" for k, v in table.items() if not _is_table_list(v)]
    for key, items in table.items():
        if _is_table_list(items):
            for item in items:
                full = f"{name}.{key}" if name else key
                lines += ["", *_section(full, item, "[[{}]]")]
    return lines


# Top-level tables kept inline: an event's names read best next to its kind.
INLINE_TABLES = ("names",)


def toml_text(table: dict) -> str:
    """A TOML document: top-level tables become [sections], lists of tables [[arrays]]."""

    def is_section(key, value) -> bool:
        return isinstance(value, dict) and key not in INLINE_TABLES

    lines = _section("", {k: v for k, v in table.items() if not is_section(k, v)}, "")
    for key, value in table.items():
        if is_section(key, value):
            lines += ["", *_section(key, value, "[{}]")]
    return "\n".join(lines) + "\n"


def cell(col: int, row: int, size: float = 1.0, lon0: float = 0.0, lat0: float = 0.0):
    """The square grid cell at (col, row)."""
    x, y = lon0 + col * size, lat0 + row * size
    return shapely.box(x, y, x + size, y + size)


def write_pack(
    folder: Path,
    polities: dict[str, dict],
    baseline: list[tuple[str, object]],
    events: dict[str, dict],
    meta: dict | None = None,
    comments: dict[str, str] | None = None,
) -> Path:
    """Write a pack folder. ``events`` maps id to the event table; transfers carry ``geometry``.

    ``comments`` maps a TOML file's path in the pack (``pack.toml``, ``events/<id>.toml``) to
    ``#`` lines written at its top.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "events").mkdir(exist_ok=True)
    comments = comments or {}

    def write_toml(name: str, table: dict) -> None:
        text = toml_text(table)
        if name in comments:
            text = comments[name] + "\n" + text.lstrip("\n")
        (folder / name).write_text(text, encoding="utf-8")

    pack_meta = {
        "title": "Synthetic pack",
        "description": "A grid world for tests.",
        "license": "CC0-1.0",
        "baseline_date": dt.date(1800, 1, 1),
        "scope": {"description": "the grid"},
        "sources": {"synthetic": {"title": "Made up for tests", "kind": "web"}},
    }
    pack_meta.update(meta or {})
    write_toml("pack.toml", pack_meta)
    write_toml("polities.toml", polities)
    geojson.write(folder / "baseline.geojson", [({"polity": p}, g) for p, g in baseline])
    for event_id, event in events.items():
        table = dict(event)
        transfers = [dict(t) for t in table.get("transfers", [])]
        features = [({"transfer": t["id"]}, t.pop("geometry")) for t in transfers]
        if transfers:
            table["transfers"] = transfers
            geojson.write(folder / "events" / f"{event_id}.geojson", features)
        write_toml(f"events/{event_id}.toml", table)
    return folder


def polity_table(polity_id: str, index: int = 0) -> dict:
    return {
        "names": {"en": polity_id.replace("_", " ").title()},
        "colour": PALETTE[index % len(PALETTE)],
    }


def transfer(transfer_id: str, source: str, target: str, geometry, **extra) -> dict:
    return {
        "id": transfer_id,
        "from": source,
        "to": target,
        "name": transfer_id,
        "modern_units": ["none (synthetic)"],
        "precision": "precise",
        "method": "grid cells",
        "geometry": geometry,
        **extra,
    }


def event(day: dt.date, transfers: list[dict] | None = None, **extra) -> dict:
    table = {
        "kind": "annexation",
        "names": {"en": f"Event of {day}"},
        "date": day,
        "summary": "Synthetic change.",
        "sources": ["synthetic"],
    }
    if transfers:
        table["transfers"] = transfers
    table.update(extra)
    return table


def random_world(folder: Path, n_polities: int = 200, n_events: int = 1000, seed: int = 1) -> Path:
    """A grid pack with ``n_polities`` polities and ``n_events`` single-cell transfers."""
    rng = random.Random(seed)
    side = 4  # each polity starts with a side × side block
    per_row = max(1, int(n_polities**0.5))
    holders: dict[tuple[int, int], str] = {}
    polities = {}
    for k in range(n_polities):
        pid = f"p{k:03d}"
        polities[pid] = polity_table(pid, k)
        bx, by = (k % per_row) * side, (k // per_row) * side
        for c in range(bx, bx + side):
            for r in range(by, by + side):
                holders[(c, r)] = pid
    size = 0.25
    baseline = [(holders[c], cell(*c, size=size)) for c in sorted(holders)]
    events = {}
    day = dt.date(1800, 1, 1)
    cells = sorted(holders)
    for n in range(n_events):
        day += dt.timedelta(days=rng.randint(1, 60))
        col, row = rng.choice(cells)
        source = holders[(col, row)]
        target = rng.choice([p for p in polities if p != source])
        holders[(col, row)] = target
        events[f"e{n:04d}"] = event(day, [transfer("t", source, target, cell(col, row, size=size))])
    return write_pack(folder, polities, baseline, events)

"""Reading ``events/<id>.toml`` and its transfer polygons ``events/<id>.geojson``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from geo import files, schema
from geo.problems import Problem, unknown_polity
from geo.records import Event, Transfer, effective_date


def read_events(
    pack_dir: Path, shown, meta: dict, polities: dict
) -> tuple[list[Event], list[Problem]]:
    events_dir = pack_dir / "events"
    if not events_dir.resolve().is_relative_to(pack_dir.resolve()):
        return [], [
            Problem(
                shown(events_dir),
                "folder",
                "symbolic link leads outside the pack; copy the folder into the pack instead",
            )
        ]
    if not events_dir.is_dir():
        return [], [Problem(shown(events_dir), "folder", "required folder 'events' is missing")]
    problems: list[Problem] = []
    events = []
    names = sorted(p.name for p in events_dir.iterdir())
    for name in names:
        path = events_dir / name
        if name.endswith(".geojson") and not (events_dir / (name[:-8] + ".toml")).exists():
            problems.append(
                Problem(
                    shown(path),
                    "file",
                    f"geometry file without a matching {name[:-8]}.toml event file",
                )
            )
        if not name.endswith(".toml"):
            continue
        event, more = _read_event(path, pack_dir, shown, meta, polities)
        problems += more
        if event is not None:
            events.append(event)
    events.sort(key=lambda e: (e.effective, e.id))
    return events, problems


def _read_event(path: Path, pack_dir: Path, shown, meta: dict, polities: dict):
    event_id = path.stem
    label = shown(path)
    if not schema.ID_PATTERN.match(event_id):
        return None, [
            Problem(
                label,
                "file name",
                f"{event_id!r} is not a valid event id (lower-case letters, digits, '-')",
            )
        ]
    record, problems = files.read_toml(path, pack_dir, label)
    if record is None:
        return None, problems
    problems = schema.check_table(record, schema.EVENT, label, "")
    if problems:
        return None, problems
    problems += _check_event_dates(record, meta, label)
    sources = meta.get("sources") if isinstance(meta.get("sources"), dict) else {}
    problems += _check_references(record, label, polities, sources)
    successions, more = _read_successions(record, label, polities)
    problems += more
    transfers, more = _read_transfers(path, pack_dir, shown, record, polities, sources)
    problems += more
    if problems:
        return None, problems
    event = Event(
        event_id,
        record["kind"],
        effective_date(record),
        record["names"],
        record,
        tuple(transfers),
        tuple(successions),
    )
    return event, []


def _check_references(record: dict, label: str, polities: dict, sources: dict) -> list[Problem]:
    """Every party is a known polity; every cited source is in pack.toml; at least one."""
    problems = [
        Problem(label, f"parties[{i}]", unknown_polity(party, polities))
        for i, party in enumerate(record.get("parties", []))
        if party not in polities
    ]
    problems += [
        Problem(
            label,
            f"sources[{i}]",
            f"unknown source id {source!r}; add it under [sources] in pack.toml",
        )
        for i, source in enumerate(record["sources"])
        if source not in sources
    ]
    if not record["sources"]:
        problems.append(Problem(label, "sources", "every event must cite at least one source"))
    return problems


def _read_successions(record: dict, label: str, polities: dict):
    """The (old, new) holder pairs of the event's renamings, checked."""
    problems, successions = [], []
    for i, succ in enumerate(record.get("successions", [])):
        for key in ("from", "to"):
            if succ[key] not in polities:
                problems.append(
                    Problem(label, f"successions[{i}].{key}", unknown_polity(succ[key], polities))
                )
        if succ["from"] == succ["to"]:
            problems.append(Problem(label, f"successions[{i}]", "a polity cannot succeed itself"))
        successions.append((succ["from"], succ["to"]))
    return successions, problems


def _check_event_dates(record: dict, meta: dict, label: str) -> list[Problem]:
    problems = []
    if record["kind"] == "treaty":
        for key in ("signed", "parties"):
            if key not in record:
                problems.append(Problem(label, key, f"required for a treaty ({key})"))
    elif "date" not in record:
        problems.append(Problem(label, "date", "required field is missing (the event's date)"))
    signed = record.get("signed")
    for key in ("in_force", "ended"):
        if signed and record.get(key) and record[key] < signed:
            problems.append(
                Problem(
                    label,
                    key,
                    f"{record[key]} is before the signature ({signed}); dates must be in order",
                )
            )
    effective = effective_date(record)
    baseline = meta.get("baseline_date")
    if isinstance(effective, dt.date) and isinstance(baseline, dt.date) and effective < baseline:
        problems.append(
            Problem(
                label,
                "effective date",
                f"{effective} is before the pack's "
                f"baseline_date ({baseline}); events must come after it",
            )
        )
    end = meta.get("end_date")
    if isinstance(effective, dt.date) and isinstance(end, dt.date) and effective > end:
        problems.append(
            Problem(label, "effective date", f"{effective} is after the pack's end_date ({end})")
        )
    return problems


def _read_transfers(path: Path, pack_dir: Path, shown, record: dict, polities: dict, sources: dict):
    label = shown(path)
    tables = record.get("transfers", [])
    problems = _check_transfer_tables(tables, label, polities, sources)
    ids = {t["id"] for t in tables}
    geo_path = path.with_suffix(".geojson")
    geometries: dict[str, Any] = {}
    if tables or geo_path.exists():
        geometries, more = _read_transfer_geometries(geo_path, pack_dir, shown, ids)
        problems += more
    if problems:
        return [], problems
    return [_transfer(t, path.stem, geometries[t["id"]]) for t in tables], []


def _check_transfer_tables(tables: list, label: str, polities: dict, sources: dict):
    """Unique ids, known and distinct parties, known sources."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, table in enumerate(tables):
        where = f"transfers[{i}]"
        if table["id"] in seen:
            problems.append(Problem(label, f"{where}.id", f"duplicate transfer id {table['id']!r}"))
        seen.add(table["id"])
        problems += [
            Problem(label, f"{where}.{key}", unknown_polity(table[key], polities))
            for key in ("from", "to")
            if table[key] not in polities
        ]
        if table["from"] == table["to"]:
            problems.append(
                Problem(
                    label,
                    where,
                    f"transfer from {table['from']!r} to itself; 'from' and 'to' must differ",
                )
            )
        problems += [
            Problem(label, f"{where}.sources[{j}]", f"unknown source id {source!r}")
            for j, source in enumerate(table.get("sources", []))
            if source not in sources
        ]
    return problems


def _transfer(table: dict, event_id: str, geometry) -> Transfer:
    return Transfer(
        table["id"],
        event_id,
        table["from"],
        table["to"],
        table.get("mode", "cession"),
        table["name"],
        table["precision"],
        table["method"],
        tuple(table["modern_units"]),
        geometry,
        table.get("note"),
        tuple(table.get("units", ())),
        table.get("published_area_km2"),
        tuple(table.get("sources", ())),
    )


def _read_transfer_geometries(geo_path: Path, pack_dir: Path, shown, transfer_ids: set[str]):
    label = shown(geo_path)
    features, problems = files.read_geojson(geo_path, pack_dir, label)
    if features is None:
        return {}, problems
    geometries = {}
    for i, feature in enumerate(features):
        where = f"features[{i}]"
        transfer_id = feature["properties"].get("transfer")
        if transfer_id not in transfer_ids:
            problems.append(
                Problem(
                    label,
                    f"{where}.properties.transfer",
                    f"{transfer_id!r} names no transfer of this event "
                    f"(known: {', '.join(sorted(transfer_ids)) or 'none'})",
                )
            )
            continue
        if transfer_id in geometries:
            problems.append(
                Problem(
                    label,
                    f"{where}.properties.transfer",
                    f"second feature for transfer {transfer_id!r}; "
                    "use one (Multi)Polygon per transfer",
                )
            )
            continue
        geom, more = files.polygon(feature, label, where)
        problems += more
        geometries[transfer_id] = geom
    for missing in sorted(transfer_ids - geometries.keys()):
        problems.append(Problem(label, "features", f"no geometry for transfer {missing!r}"))
    return geometries, problems

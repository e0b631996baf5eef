"""Load one treaty pack from its folder into plain records, checking every file and reference.

A pack folder holds ``pack.toml``, ``polities.toml``, ``baseline.geojson`` and ``events/``
(one ``<id>.toml`` per event, plus ``<id>.geojson`` with one feature per transfer). Loading never
raises for bad data: it returns the problems found, all of them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo import files, schema
from geo.problems import Problem


@dataclass(frozen=True)
class Polity:
    """A state or principality that can hold land."""

    id: str
    names: dict[str, str]
    colour: str
    wikidata: str | None = None
    note: str | None = None
    suzerain: tuple[dict, ...] = ()

    @property
    def name(self) -> str:
        return self.names["en"]


@dataclass(frozen=True)
class Transfer:
    """Land passing from one polity to another through an event."""

    id: str
    event: str
    source: str  # the giving polity ("from" in the files; a Python keyword)
    target: str
    mode: str
    name: str
    precision: str
    method: str
    modern_units: tuple[str, ...]
    geometry: Any
    note: str | None = None
    units: tuple[str, ...] = ()
    published_area_km2: float | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """A treaty or another dated event, with its transfers and renamings."""

    id: str
    kind: str
    effective: dt.date
    names: dict[str, str]
    record: dict  # every field as written in the file, for cards and exports
    transfers: tuple[Transfer, ...] = ()
    successions: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.names["en"]


@dataclass
class Pack:
    """One region's story: metadata, polities, the baseline partition and the events."""

    id: str
    path: Path
    meta: dict
    polities: dict[str, Polity]
    events: list[Event]
    baseline: gpd.GeoDataFrame  # columns: polity, geometry
    derived: dict = field(default_factory=dict)  # filled by geo.timeline at load

    @property
    def baseline_date(self) -> dt.date:
        return self.meta["baseline_date"]

    @property
    def end_date(self) -> dt.date:
        return self.meta.get("end_date") or dt.date.today()

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)


def effective_date(record: dict) -> dt.date | None:
    """The day the map changes: ``effective``, else ``signed`` (treaties) or ``date``."""
    return record.get("effective") or record.get("signed") or record.get("date")


def read_pack(pack_dir: Path) -> tuple[Pack | None, list[Problem]]:
    """Read and check every file of the pack at ``pack_dir`` (geometry overlaps excluded)."""
    root = pack_dir.parent

    def shown(p: Path) -> str:
        return files.display(p, root)

    meta, problems = files.read_toml(
        pack_dir / "pack.toml", pack_dir, shown(pack_dir / "pack.toml")
    )
    if meta is not None:
        problems += schema.check_table(meta, schema.PACK, shown(pack_dir / "pack.toml"), "")
    polities_raw, more = files.read_toml(
        pack_dir / "polities.toml", pack_dir, shown(pack_dir / "polities.toml")
    )
    problems += more
    if polities_raw is None:
        # Without the registry every polity reference would be reported as unknown: noise.
        return None, problems + _read_baseline(pack_dir, shown, {})[1]
    polities, more = _read_polities(polities_raw, shown(pack_dir / "polities.toml"))
    problems += more
    baseline, more = _read_baseline(pack_dir, shown, polities)
    problems += more
    if meta is None:
        return None, problems
    events, more = _read_events(pack_dir, shown, meta, polities)
    problems += more
    problems += _check_pack_references(meta, events, polities, shown(pack_dir / "pack.toml"))
    if problems or baseline is None:
        return None, problems
    pack = Pack(pack_dir.name, pack_dir, meta, polities, events, baseline)
    return pack, []


def _read_polities(raw: dict, shown: str) -> tuple[dict[str, Polity], list[Problem]]:
    problems: list[Problem] = []
    polities = {}
    for polity_id, table in raw.items():
        if not schema.ID_PATTERN.match(polity_id):
            problems.append(
                Problem(
                    shown, polity_id, "polity id must be lower-case letters, digits, '-' or '_'"
                )
            )
            continue
        found = schema.check_table(table, schema.POLITY, shown, f"{polity_id}.")
        problems += found
        if not found:
            polities[polity_id] = Polity(
                polity_id,
                table["names"],
                table["colour"],
                table.get("wikidata"),
                table.get("note"),
                tuple(table.get("suzerain", ())),
            )
    if not raw:
        problems.append(Problem(shown, "file", "no polities defined; add a [<id>] table"))
    for polity in polities.values():
        for i, period in enumerate(polity.suzerain):
            where = f"{polity.id}.suzerain[{i}]"
            if period["polity"] not in polities:
                problems.append(
                    Problem(shown, f"{where}.polity", _unknown(period["polity"], polities))
                )
            elif period["polity"] == polity.id:
                problems.append(
                    Problem(shown, f"{where}.polity", "a polity cannot be its own suzerain")
                )
            if period.get("to") and period["to"] <= period["from"]:
                problems.append(
                    Problem(
                        shown,
                        f"{where}.to",
                        f"{period['to']} is not after "
                        f"'from' ({period['from']}); dates must be in order",
                    )
                )
    problems += _check_suzerain_periods(polities, shown)
    return polities, problems


def _check_suzerain_periods(polities: dict[str, Polity], shown: str) -> list[Problem]:
    """Periods of one polity must not overlap, and no chain of overlords may loop."""
    problems = []
    for polity in polities.values():
        periods = sorted(enumerate(polity.suzerain), key=lambda item: item[1]["from"])
        for (_, earlier), (j, later) in itertools.pairwise(periods):
            if earlier.get("to") is None or earlier["to"] > later["from"]:
                problems.append(
                    Problem(
                        shown,
                        f"{polity.id}.suzerain[{j}]",
                        f"overlaps the period from {earlier['from']}; a polity has one overlord at "
                        "a time (end the earlier period with 'to')",
                    )
                )
    for polity in polities.values():
        for period in polity.suzerain:
            day, seen, current = period["from"], [polity.id], period["polity"]
            while current in polities and current not in seen:
                seen.append(current)
                over = [
                    q
                    for q in polities[current].suzerain
                    if q["from"] <= day and (q.get("to") is None or day < q["to"])
                ]
                current = over[0]["polity"] if over else None
            if current in seen:
                chain = " → ".join([*seen, current])
                problems.append(
                    Problem(
                        shown, f"{polity.id}.suzerain", f"overlords form a loop on {day}: {chain}"
                    )
                )
                break
    return problems


def _unknown(polity_id: str, polities: dict) -> str:
    near = sorted(p for p in polities if p.split("_")[0] == polity_id.split("_")[0])[:3]
    hint = f"; similar ids: {', '.join(near)}" if near else ""
    return f"unknown polity id {polity_id!r} (not in polities.toml){hint}"


def _read_baseline(
    pack_dir: Path, shown, polities: dict
) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    path = pack_dir / "baseline.geojson"
    features, problems = files.read_geojson(path, pack_dir, shown(path))
    if features is None:
        return None, problems
    rows = []
    for i, feature in enumerate(features):
        where = f"features[{i}]"
        polity_id = feature["properties"].get("polity")
        if polities and polity_id not in polities:
            problems.append(
                Problem(
                    shown(path), f"{where}.properties.polity", _unknown(str(polity_id), polities)
                )
            )
        geom, more = files.polygon(feature, shown(path), where)
        problems += more
        if geom is not None:
            rows.append({"polity": polity_id, "geometry": geom})
    if not features:
        problems.append(Problem(shown(path), "features", "the baseline has no features"))
    if problems:
        return None, problems
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326"), []


def _read_events(
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
    for i, party in enumerate(record.get("parties", [])):
        if party not in polities:
            problems.append(Problem(label, f"parties[{i}]", _unknown(party, polities)))
    sources = meta.get("sources") if isinstance(meta.get("sources"), dict) else {}
    for i, source in enumerate(record["sources"]):
        if source not in sources:
            problems.append(
                Problem(
                    label,
                    f"sources[{i}]",
                    f"unknown source id {source!r}; add it under [sources] in pack.toml",
                )
            )
    if not record["sources"]:
        problems.append(Problem(label, "sources", "every event must cite at least one source"))
    successions = []
    for i, succ in enumerate(record.get("successions", [])):
        for key in ("from", "to"):
            if succ[key] not in polities:
                problems.append(
                    Problem(label, f"successions[{i}].{key}", _unknown(succ[key], polities))
                )
        if succ["from"] == succ["to"]:
            problems.append(Problem(label, f"successions[{i}]", "a polity cannot succeed itself"))
        successions.append((succ["from"], succ["to"]))
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
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, table in enumerate(tables):
        where = f"transfers[{i}]"
        if table["id"] in seen:
            problems.append(Problem(label, f"{where}.id", f"duplicate transfer id {table['id']!r}"))
        seen.add(table["id"])
        for key in ("from", "to"):
            if table[key] not in polities:
                problems.append(Problem(label, f"{where}.{key}", _unknown(table[key], polities)))
        if table["from"] == table["to"]:
            problems.append(
                Problem(
                    label,
                    where,
                    f"transfer from {table['from']!r} to itself; 'from' and 'to' must differ",
                )
            )
        for j, source in enumerate(table.get("sources", [])):
            if source not in sources:
                problems.append(
                    Problem(label, f"{where}.sources[{j}]", f"unknown source id {source!r}")
                )
    geo_path = path.with_suffix(".geojson")
    geometries: dict[str, Any] = {}
    if tables or geo_path.exists():
        geometries, more = _read_transfer_geometries(geo_path, pack_dir, shown, seen)
        problems += more
    if problems:
        return [], problems
    transfers = [
        Transfer(
            t["id"],
            path.stem,
            t["from"],
            t["to"],
            t.get("mode", "cession"),
            t["name"],
            t["precision"],
            t["method"],
            tuple(t["modern_units"]),
            geometries[t["id"]],
            t.get("note"),
            tuple(t.get("units", ())),
            t.get("published_area_km2"),
            tuple(t.get("sources", ())),
        )
        for t in tables
    ]
    return transfers, []


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


def _check_pack_references(
    meta: dict, events: list[Event], polities: dict[str, Polity], shown: str
) -> list[Problem]:
    ids = {e.id for e in events}
    problems = []
    polities_file = shown.rsplit("/", 1)[0] + "/polities.toml"
    sources = meta.get("sources") if isinstance(meta.get("sources"), dict) else {}
    for polity in polities.values():
        for i, period in enumerate(polity.suzerain):
            where = f"{polity.id}.suzerain[{i}]"
            if period.get("event") and period["event"] not in ids:
                problems.append(
                    Problem(
                        polities_file, f"{where}.event", f"unknown event id {period['event']!r}"
                    )
                )
            for j, source in enumerate(period.get("sources", [])):
                if source not in sources:
                    problems.append(
                        Problem(
                            polities_file, f"{where}.sources[{j}]", f"unknown source id {source!r}"
                        )
                    )
    default = meta.get("default_event")
    if default and default not in ids:
        problems.append(Problem(shown, "default_event", f"unknown event id {default!r}"))
    for event in events:
        for i, later in enumerate(event.record.get("superseded_by", [])):
            if later not in ids:
                problems.append(
                    Problem(
                        f"{shown.rsplit('/', 1)[0]}/events/{event.id}.toml",
                        f"superseded_by[{i}]",
                        f"unknown event id {later!r}",
                    )
                )
    return problems

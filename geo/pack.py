"""Load one treaty pack from its folder into plain records, checking every file and reference.

A pack folder holds ``pack.toml``, ``polities.toml``, ``baseline.geojson`` and ``events/``
(one ``<id>.toml`` per event, plus ``<id>.geojson`` with one feature per transfer). Loading never
raises for bad data: it returns the problems found, all of them.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import geopandas as gpd

from geo import files, schema
from geo.events_file import read_events
from geo.problems import Problem, unknown_polity
from geo.records import Event, Pack, Polity, Transfer, effective_date, per_pack

__all__ = ["Event", "Pack", "Polity", "Transfer", "effective_date", "per_pack", "read_pack"]


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
    events, more = read_events(pack_dir, shown, meta, polities)
    problems += more
    problems += _check_pack_references(meta, events, polities, shown(pack_dir / "pack.toml"))
    if problems or baseline is None:
        return None, problems
    pack = Pack(pack_dir.name, pack_dir, meta, polities, tuple(events), baseline)
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
    problems += _check_suzerains(polities, shown)
    problems += _check_suzerain_periods(polities, shown)
    return polities, problems


def _check_suzerains(polities: dict[str, Polity], shown: str) -> list[Problem]:
    """Each overlord period names another known polity and ends after it starts."""
    problems: list[Problem] = []
    for polity in polities.values():
        for i, period in enumerate(polity.suzerain):
            where = f"{polity.id}.suzerain[{i}]"
            if period["polity"] not in polities:
                problems.append(
                    Problem(shown, f"{where}.polity", unknown_polity(period["polity"], polities))
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
    return problems


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
                    shown(path),
                    f"{where}.properties.polity",
                    unknown_polity(str(polity_id), polities),
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

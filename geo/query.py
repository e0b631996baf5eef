"""Answers as plain JSON-ready dicts: where a point lay, what an event moved, the borders."""

from __future__ import annotations

import datetime as dt

from geo import geojson, timeline
from geo.dates import iso
from geo.pack import Event, Pack
from geo.suzerainty import sovereign_of, suzerain_on


def polity_ref(pack: Pack, polity_id: str) -> dict:
    return {"id": polity_id, "name": pack.polities[polity_id].name}


def where(pack: Pack, lon: float, lat: float, day: dt.date) -> dict:
    """Who held the point on ``day``, since when and through which event, and its history."""
    answer: dict = {"pack": pack.id, "date": iso(day), "lon": lon, "lat": lat}
    if day < pack.baseline_date:
        return answer | {
            "polity": None,
            "history": [],
            "note": f"before this pack's baseline date ({pack.baseline_date})",
        }
    if day > pack.end_date:
        return answer | {
            "polity": None,
            "history": [],
            "note": f"after the last date this pack is complete for ({pack.end_date})",
        }
    atom = timeline.atom_at(pack, lon, lat)
    if atom is None:
        return answer | {
            "polity": None,
            "history": [],
            "note": f"outside the area this pack covers ({pack.meta['scope']['description']})",
        }
    periods = timeline.history_of_atom(pack, atom)
    current = [p for p in periods if p["from"] <= day][-1]
    answer["polity"] = polity_ref(pack, current["polity"])
    sovereign = sovereign_of(pack, current["polity"], day)
    if sovereign:
        answer["sovereign"] = polity_ref(pack, sovereign)
        answer["status"] = suzerain_on(pack, current["polity"], day)["status"]
    answer["since"] = {"date": iso(current["from"]), "event": current["event"]}
    answer["history"] = [
        _history_item(pack, part) for period in periods for part in _by_overlord(pack, period)
    ]
    return answer


def _by_overlord(pack: Pack, period: dict) -> list[dict]:
    """Split a holder's period where its overlord changed (Karabakh: Persian, then Russian
    vassal from the Treaty of Kurakchay), so the history shows every change of rule."""
    cuts = sorted(
        {
            day
            for over in pack.polities[period["polity"]].suzerain
            for day in (over["from"], over.get("to"))
            if day and period["from"] < day and (period["to"] is None or day < period["to"])
        }
    )
    starts = [period["from"], *cuts]
    ends = [*cuts, period["to"]]
    parts = []
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        event = (
            period["event"]
            if i == 0
            else next(
                (
                    o.get("event")
                    for o in pack.polities[period["polity"]].suzerain
                    if o["from"] == start
                ),
                None,
            )
        )
        parts.append({"polity": period["polity"], "from": start, "to": end, "event": event})
    return parts


def _history_item(pack: Pack, part: dict) -> dict:
    item = {
        "polity": polity_ref(pack, part["polity"]),
        "from": iso(part["from"]),
        "to": iso(part["to"]),
        "event": part["event"],
        "event_name": _event_name(pack, part["event"]),
    }
    sovereign = sovereign_of(pack, part["polity"], part["from"])
    if sovereign:
        item["sovereign"] = polity_ref(pack, sovereign)
        item["status"] = suzerain_on(pack, part["polity"], part["from"])["status"]
    return item


def _event_name(pack: Pack, event_id: str | None) -> str | None:
    event = pack.event(event_id) if event_id else None
    return event.name if event else None


def event_summary(pack: Pack, event: Event) -> dict:
    """The event as listed by ``python -m geo events``."""
    record = event.record
    row = {
        "id": event.id,
        "name": event.name,
        "kind": event.kind,
        "effective": iso(event.effective),
    }
    for key in ("signed", "date", "in_force", "date_qualifier"):
        if key in record:
            row[key] = iso(record[key]) if isinstance(record[key], dt.date) else record[key]
    areas = pack.derived["transfer_areas"]
    row["transfers"] = [
        {
            "id": t.id,
            "name": t.name,
            "from": t.source,
            "to": t.target,
            "mode": t.mode,
            "area_km2": round(float(areas[(event.id, t.id)]), 1),
            "precision": t.precision,
        }
        for t in event.transfers
    ]
    row["successions"] = [{"from": a, "to": b} for a, b in event.successions]
    row["sources"] = list(record["sources"])
    return row


def events(pack: Pack) -> list[dict]:
    return [event_summary(pack, e) for e in pack.events]


def borders_geojson(pack: Pack, day: dt.date) -> str:
    """The partition in force on ``day`` as canonical GeoJSON."""
    frame = timeline.borders_at(pack, day)
    features = []
    for row in frame.itertuples():
        properties = {
            "polity": row.polity,
            "name": row.name,
            "colour": row.colour,
            "since": iso(row.start),
            "until": iso(row.end),
            "date": iso(day),
        }
        sovereign = sovereign_of(pack, row.polity, day)
        if sovereign:
            properties["sovereign"] = sovereign
        features.append((properties, row.geometry))
    return geojson.dumps(features)

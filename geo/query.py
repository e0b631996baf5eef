"""Answers as typed records with real dates: where a place lay, what an event moved.

Every answer is a frozen dataclass, so it can be used from Python as it is (a notebook, the
dashboard, the exports); ``geo.cli`` alone turns answers into JSON. The borders on a day come
as a GeoDataFrame from ``borders_at`` (re-exported here from ``geo.timeline``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from geo import nearest, text, timeline
from geo.pack import Event, Pack
from geo.problems import PackError
from geo.suzerainty import sovereign_of, suzerain_on
from geo.timeline import Period, borders_at

__all__ = [
    "COAST_KM",
    "EventSummary",
    "HistoryItem",
    "PlaceAnswer",
    "PolityRef",
    "TransferSummary",
    "borders_at",
    "event_summary",
    "events",
    "polity_ref",
    "transfers",
    "where",
]


# A point off the land but at most this far from it (km, on the ellipsoid) gets the answer of
# the nearest land: the packs' coasts are simplified, and a town on the shore can fall a few
# hundred metres into their sea. Beyond this the point is outside the area.
COAST_KM = 3.0


@dataclass(frozen=True)
class PolityRef:
    """A polity by id, with its English name."""

    id: str
    name: str


@dataclass(frozen=True)
class HistoryItem:
    """One period of rule over a place: its holder and, if it was a dependency, its overlord.

    A holder's period is split where its overlord changed, with the event that changed it.
    """

    polity: PolityRef
    start: dt.date
    end: dt.date | None  # the first day of the next period; None while it lasts
    event: str | None  # the event that began the period; None for the baseline
    event_name: str | None
    sovereign: PolityRef | None = None  # the top of the overlord chain when the period began
    status: str | None = None  # vassal, protectorate, constituent republic, …


@dataclass(frozen=True)
class PlaceAnswer:
    """Who held a point on a day, since when and through which event, and its history.

    Outside the pack's scope or dates ``polity`` is None and ``note`` says why. A point off the
    land but within ``COAST_KM`` of it gets the answer of the nearest land: ``snapped_km`` is
    how far that land is and ``note`` says so.
    """

    pack: str
    day: dt.date
    lon: float
    lat: float
    polity: PolityRef | None = None
    sovereign: PolityRef | None = None
    status: str | None = None
    since: dt.date | None = None  # when the holder got the place
    since_event: str | None = None  # through which event; None for the baseline
    history: tuple[HistoryItem, ...] = ()
    snapped_km: float | None = None  # off the land: km to the land answered for (0.1 km steps)
    note: str | None = None


@dataclass(frozen=True)
class TransferSummary:
    """Land an event moved (or recognised), with its computed area."""

    id: str
    name: str
    source: PolityRef  # "from" in the files
    target: PolityRef
    mode: str  # cession or recognition
    area_km2: float
    precision: str
    geometry: Any  # a shapely (Multi)Polygon in lon/lat


@dataclass(frozen=True)
class EventSummary:
    """An event as listed by ``python -m geo events``; dates not given in its file are None."""

    id: str
    name: str
    kind: str
    effective: dt.date
    signed: dt.date | None
    date: dt.date | None
    in_force: dt.date | None
    date_qualifier: str | None
    transfers: tuple[TransferSummary, ...]
    successions: tuple[tuple[PolityRef, PolityRef], ...]  # (old, new) holder of the same land
    sources: tuple[str, ...]


def polity_ref(pack: Pack, polity_id: str) -> PolityRef:
    return PolityRef(polity_id, pack.polities[polity_id].name)


def where(pack: Pack, lon: float, lat: float, day: dt.date) -> PlaceAnswer:
    """Who held the point on ``day``, since when and through which event, and its history."""
    asked = PlaceAnswer(pack.id, day, lon, lat)
    if day < pack.baseline_date:
        return _noted(asked, f"before this pack's baseline date ({pack.baseline_date})")
    if day > pack.end_date:
        return _noted(asked, f"after the last date this pack is complete for ({pack.end_date})")
    atom, snapped_km, note = timeline.atom_at(pack, lon, lat), None, None
    if atom is None:
        near = nearest.nearest_atom(pack, lon, lat, COAST_KM)
        if near is None:
            scope = pack.meta["scope"]["description"]
            return _noted(asked, f"outside the area this pack covers ({scope})")
        atom, snapped_km = near[0], round(near[1] / 1000, 1)
        note = (
            f"off the land of this pack's map: answered for the nearest land, "
            f"{text.km_away(snapped_km)} away (as every point up to {COAST_KM:g} km off it is)"
        )
    periods = timeline.history_of_atom(pack, atom)
    current = [p for p in periods if p.start <= day][-1]
    sovereign = sovereign_of(pack, current.polity, day)
    return PlaceAnswer(
        pack.id,
        day,
        lon,
        lat,
        polity=polity_ref(pack, current.polity),
        sovereign=polity_ref(pack, sovereign) if sovereign else None,
        status=suzerain_on(pack, current.polity, day)["status"] if sovereign else None,
        since=current.start,
        since_event=current.event,
        history=tuple(
            _history_item(pack, part) for period in periods for part in _by_overlord(pack, period)
        ),
        snapped_km=snapped_km,
        note=note,
    )


def _noted(asked: PlaceAnswer, note: str) -> PlaceAnswer:
    return PlaceAnswer(asked.pack, asked.day, asked.lon, asked.lat, note=note)


def _by_overlord(pack: Pack, period: Period) -> list[Period]:
    """Split a holder's period where its overlord changed (Karabakh: Persian, then Russian
    vassal from the Treaty of Kurakchay), so the history shows every change of rule."""
    overlords = pack.polities[period.polity].suzerain
    cuts = sorted(
        {
            day
            for over in overlords
            for day in (over["from"], over.get("to"))
            if day and period.start < day and (period.end is None or day < period.end)
        }
    )
    starts = [period.start, *cuts]
    ends = [*cuts, period.end]
    parts = [Period(period.polity, starts[0], ends[0], period.event)]
    for start, end in zip(starts[1:], ends[1:], strict=True):
        event = next((o.get("event") for o in overlords if o["from"] == start), None)
        parts.append(Period(period.polity, start, end, event))
    return parts


def _history_item(pack: Pack, part: Period) -> HistoryItem:
    sovereign = sovereign_of(pack, part.polity, part.start)
    return HistoryItem(
        polity_ref(pack, part.polity),
        part.start,
        part.end,
        part.event,
        _event_name(pack, part.event),
        sovereign=polity_ref(pack, sovereign) if sovereign else None,
        status=suzerain_on(pack, part.polity, part.start)["status"] if sovereign else None,
    )


def _event_name(pack: Pack, event_id: str | None) -> str | None:
    event = pack.event(event_id) if event_id else None
    return event.name if event else None


def event_summary(pack: Pack, event: Event) -> EventSummary:
    """The event with its dates, its transfers and their areas, its renamings and sources."""
    return EventSummary(
        event.id,
        event.name,
        event.kind,
        event.effective,
        event.signed,
        event.date,
        event.in_force,
        event.date_qualifier,
        _transfer_summaries(pack, event),
        tuple((polity_ref(pack, old), polity_ref(pack, new)) for old, new in event.successions),
        event.sources,
    )


def events(pack: Pack) -> list[EventSummary]:
    """Every event of the pack, in date order."""
    return [event_summary(pack, e) for e in pack.events]


def transfers(pack: Pack, event_id: str) -> tuple[TransferSummary, ...]:
    """The land one event moved: from, to, mode, area in km², precision and geometry."""
    event = pack.event(event_id)
    if event is None:
        raise PackError(f"unknown event {event_id!r} in pack {pack.id!r}")
    return _transfer_summaries(pack, event)


def _transfer_summaries(pack: Pack, event: Event) -> tuple[TransferSummary, ...]:
    areas = pack.timeline.transfer_areas
    return tuple(
        TransferSummary(
            t.id,
            t.name,
            polity_ref(pack, t.source),
            polity_ref(pack, t.target),
            t.mode,
            areas[(event.id, t.id)],
            t.precision,
            t.geometry,
        )
        for t in event.transfers
    )

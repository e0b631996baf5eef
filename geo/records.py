"""The records a pack is made of: polities, events, transfers and the pack itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd


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

    def memo(self, key: str, compute):
        """A value derived from the pack, computed on first use and kept in ``derived``."""
        if key not in self.derived:
            self.derived[key] = compute()
        return self.derived[key]

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)


def effective_date(record: dict) -> dt.date | None:
    """The day the map changes: ``effective``, else ``signed`` (treaties) or ``date``."""
    return record.get("effective") or record.get("signed") or record.get("date")

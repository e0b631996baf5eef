"""The records a pack is made of: polities, events, transfers and the pack itself."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import shapely

from geo.problems import PackError

T = TypeVar("T")


@dataclass(frozen=True)
class Holding:
    """One period in which a polity held an atom."""

    start: dt.date
    polity: str
    event: str | None  # None for the baseline


Histories = tuple[tuple[Holding, ...], ...]  # each atom's holders, in date order


@dataclass(frozen=True, eq=False)
class Timeline:
    """A pack's borders over time, derived once from its baseline and events.

    - ``atoms``: the pieces of the scope that no transfer splits; an atom's number is its
      position here and in ``histories`` and ``atom_areas``.
    - ``atom_tree``: a spatial index over ``atoms``.
    - ``histories``: each atom's holders in date order (the first is the baseline holder).
    - ``atom_areas``: each atom's area in km² (read-only).
    - ``scope``: the whole area the pack covers.
    - ``versions``: each polity's territory between two changes, one row per version with
      ``polity``, ``name``, ``colour``, ``start``, ``end`` (None while it lasts),
      ``start_ord``/``end_ord`` (proleptic ordinals, ``FOREVER`` while it lasts), ``atoms``
      (sorted atom numbers), ``event`` (the id of the event that started the version, None
      for the baseline), ``precision`` (how precise its outline is) and ``geometry``.
    - ``transfer_areas``: km² of each transfer, keyed by (event id, transfer id).
    """

    atoms: gpd.GeoSeries
    atom_tree: shapely.STRtree
    histories: Histories
    atom_areas: np.ndarray
    scope: Any  # a shapely (Multi)Polygon
    versions: gpd.GeoDataFrame
    transfer_areas: Mapping[tuple[str, str], float]


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

    # The fields every module reads, typed; the rest of ``record`` is for cards and exports.
    @property
    def signed(self) -> dt.date | None:
        """Treaties: the day of signature."""
        return self.record.get("signed")

    @property
    def date(self) -> dt.date | None:
        """Events other than treaties: the day it happened."""
        return self.record.get("date")

    @property
    def in_force(self) -> dt.date | None:
        return self.record.get("in_force")

    @property
    def date_qualifier(self) -> str | None:
        """How uncertain ``signed`` or ``date`` is: circa, before, after or uncertain."""
        return self.record.get("date_qualifier")

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(self.record.get("parties", ()))

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.record["sources"])

    @property
    def summary(self) -> str:
        return self.record["summary"]

    @property
    def border_precision(self) -> str | None:
        """The precision the event states for every border it drew, if it states one."""
        return self.record.get("border_precision")


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: caches are kept per pack
class Pack:
    """One region's story: metadata, polities, the baseline partition and the events.

    ``read_pack`` gives a pack without its timeline; ``geo.catalog.load_pack`` checks the
    events against the baseline and returns the same pack with its timeline attached.
    """

    id: str
    path: Path
    meta: dict
    polities: dict[str, Polity]
    events: tuple[Event, ...]
    baseline: gpd.GeoDataFrame  # columns: polity, geometry
    _timeline: Timeline | None = field(default=None, repr=False)

    @property
    def timeline(self) -> Timeline:
        """The borders over time (``geo.timeline.Timeline``); only a loaded pack has one."""
        if self._timeline is None:
            raise PackError(
                f"pack {self.id!r} has no timeline: it was read but not built; load it with "
                "geo.catalog.load_pack (or attach geo.timeline.build's result with with_timeline)"
            )
        return self._timeline

    def with_timeline(self, timeline: Timeline) -> Pack:
        """This pack with its timeline attached (a new object; packs never change)."""
        if self._timeline is not None:
            raise PackError(f"pack {self.id!r} already has a timeline")
        return dataclasses.replace(self, _timeline=timeline)

    @property
    def baseline_date(self) -> dt.date:
        return self.meta["baseline_date"]

    @property
    def end_date(self) -> dt.date:
        return self.meta.get("end_date") or dt.date.today()

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)


def per_pack(compute: Callable[[Pack], T]) -> Callable[[Pack], T]:
    """Cache ``compute(pack)`` for each pack object; the value goes when the pack goes."""
    values: weakref.WeakKeyDictionary[Pack, T] = weakref.WeakKeyDictionary()

    @functools.wraps(compute)
    def cached(pack: Pack) -> T:
        if pack not in values:
            values[pack] = compute(pack)
        return values[pack]

    return cached


def effective_date(record: dict) -> dt.date | None:
    """The day the map changes: ``effective``, else ``signed`` (treaties) or ``date``."""
    return record.get("effective") or record.get("signed") or record.get("date")

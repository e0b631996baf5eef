"""The borders engine: from the baseline and the events to polygon versions with lifetimes.

At load the scope is cut into *atoms*, the pieces no transfer ever splits, and each atom gets
the dated list of its holders. From those come the *polygon versions*: each polity's territory
between two changes, with a ``[start, end)`` lifetime. ``build`` returns all of it as one frozen
``Timeline``, which ``geo.catalog.load_pack`` attaches to the pack (``pack.timeline``). A date
query is then a filter over versions (``borders_at``) or a look-up of one atom (``atom_at``,
``history_of_atom``). ``reference_fold`` computes the same borders the slow way, by applying
transfers to the baseline with geometry operations; the tests check that both agree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.areas import area_km2
from geo.pack import Event, Pack
from geo.problems import PackError, Problem
from geo.records import Histories, Holding, Timeline
from geo.schema import PRECISIONS
from geo.suzerainty import chain

# Pieces smaller than this (in square degrees, about 100 m²) are rounding dust, not land.
DUST = 1e-8
# Overlaps or gaps above this share of the smaller piece are reported as problems.
TOLERANCE_SHARE = 0.001
# Gaps smaller than this (km²) are slivers left by rounding coordinates to about 1 m.
SLIVER_KM2 = 0.01
FOREVER = dt.date.max.toordinal()


@dataclass(frozen=True)
class Period:
    """A polity's uninterrupted hold on one atom: from ``start`` until ``end`` (None: still)."""

    polity: str
    start: dt.date
    end: dt.date | None
    event: str | None  # the event that gave it the atom; None for the baseline


@dataclass(frozen=True)
class Change:
    """Land that one polity held on an earlier date and another on a later one."""

    source: str
    target: str
    area_km2: float
    events: tuple[str, ...]  # the events in between that moved it, in id order
    geometry: Any


def build(pack: Pack) -> tuple[Timeline | None, list[Problem]]:
    """Check the baseline and every transfer against the holdings, then index the pack."""
    problems = check_baseline(pack)
    if problems:
        return None, problems
    atoms, histories, problems = _cut_into_atoms(pack)
    if problems:
        return None, problems
    frozen = tuple(tuple(history) for history in histories)
    areas = area_km2(atoms)
    areas.flags.writeable = False
    return Timeline(
        atoms=gpd.GeoSeries(atoms, crs="EPSG:4326"),
        atom_tree=shapely.STRtree(atoms),
        histories=frozen,
        atom_areas=areas,
        scope=_union(atoms),
        versions=_versions(pack, atoms, frozen),
        transfer_areas=MappingProxyType(_transfer_areas(pack)),
    ), []


def _cut_into_atoms(pack: Pack) -> tuple[list, list[list[Holding]], list[Problem]]:
    """Apply every event to the baseline's parts, splitting them where a transfer's edge runs."""
    atoms = list(shapely.get_parts(pack.baseline.geometry.values))
    owners = np.repeat(
        pack.baseline["polity"].values, shapely.get_num_geometries(pack.baseline.geometry.values)
    )
    histories = [[Holding(pack.baseline_date, polity, None)] for polity in owners]
    problems = []
    for event in pack.events:
        problems += _apply_event(pack, event, atoms, histories)
    return atoms, histories, problems


def check_baseline(pack: Pack) -> list[Problem]:
    """Report overlaps and gaps in the baseline partition."""
    shown = f"{pack.path.parent.name}/{pack.id}/baseline.geojson"
    return _baseline_overlaps(pack, shown) + _baseline_gaps(pack, shown)


def _baseline_overlaps(pack: Pack, shown: str) -> list[Problem]:
    geoms = pack.baseline.geometry.values
    problems = []
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i >= j:
            continue
        overlap = shapely.intersection(geoms[i], geoms[j])
        smaller = min(geoms[i].area, geoms[j].area)
        if overlap.area > max(DUST, TOLERANCE_SHARE * smaller):
            where = overlap.representative_point()
            problems.append(
                Problem(
                    shown,
                    f"features[{i}] and features[{j}]",
                    f"baseline polygons overlap ({pack.baseline.polity.iloc[i]} and "
                    f"{pack.baseline.polity.iloc[j]}, {area_km2([overlap])[0]:.1f} km² near "
                    f"lon {where.x:.3f}, lat {where.y:.3f}); each place needs exactly one holder",
                )
            )
    return problems


def _baseline_gaps(pack: Pack, shown: str) -> list[Problem]:
    union = shapely.union_all(pack.baseline.geometry.values)
    holes_allowed = [Point(p) for p in pack.meta["scope"].get("holes", [])]
    # Faces of the noded outline that the union does not cover are gaps: this also finds
    # holes closed only by corner-touching polygons, which have no interior ring.
    faces = shapely.get_parts(
        shapely.polygonize(shapely.get_parts(shapely.node(shapely.boundary(union))))
    )
    problems = []
    for face in faces:
        if face.area <= DUST or union.contains(face.representative_point()):
            continue
        if area_km2([face])[0] < SLIVER_KM2:
            continue
        if any(face.contains(p) for p in holes_allowed):
            continue
        where = face.representative_point()
        problems.append(
            Problem(
                shown,
                "features",
                f"gap in the baseline: {area_km2([face])[0]:.1f} km² held by no polity near "
                f"lon {where.x:.3f}, lat {where.y:.3f}; give it a holder or list a point in it "
                "under [scope] holes in pack.toml",
            )
        )
    return problems


def _apply_event(pack, event: Event, atoms, histories) -> list[Problem]:
    shown = f"{pack.path.parent.name}/{pack.id}/events/{event.id}.toml"
    problems = []
    for transfer in event.transfers:
        inside = _split_atoms(atoms, histories, transfer.geometry)
        holders = [histories[i][-1].polity for i in inside]
        expected = transfer.source if transfer.mode == "cession" else transfer.target
        # A treaty may cede a vassal's land in the overlord's name: Persia ceded the Erivan
        # khanate. So the expected party may be the holder or any of its overlords.
        rightful = {h for h in set(holders) if expected in chain(pack, h, event.effective)}
        problems += _check_holders(event, transfer, atoms, inside, holders, rightful, shown)
        if transfer.mode == "cession":
            for i, holder in zip(inside, holders, strict=True):
                if holder in rightful:
                    histories[i].append(Holding(event.effective, transfer.target, event.id))
    for old, new in event.successions:
        for history in histories:
            if history[-1].polity == old:
                history.append(Holding(event.effective, new, event.id))
    return problems


def _check_holders(event, transfer, atoms, inside, holders, rightful, shown):
    wrong = [i for i, h in zip(inside, holders, strict=True) if h not in rightful]
    covered = shapely.union_all([atoms[i] for i in inside]) if inside else shapely.Polygon()
    outside = shapely.difference(transfer.geometry, covered)
    problems = []
    total = transfer.geometry.area
    if outside.area > max(DUST, TOLERANCE_SHARE * total):
        problems.append(
            Problem(
                shown,
                f"transfer {transfer.id!r}",
                f"{outside.area / total:.1%} of its area lies outside the pack's scope "
                "(the baseline); draw it inside the baseline",
            )
        )
    wrong_area = sum(atoms[i].area for i in wrong)
    if wrong_area > max(DUST, TOLERANCE_SHARE * total):
        others = sorted({h for h in holders if h not in rightful})
        role = "hold" if transfer.mode == "cession" else "already hold (for a recognition)"
        problems.append(
            Problem(
                shown,
                f"transfer {transfer.id!r}",
                f"{transfer.source if transfer.mode == 'cession' else transfer.target!r} did not "
                f"{role} {wrong_area / total:.1%} of this land on {event.effective} (held by: "
                f"{', '.join(others)}); check 'from', the date, or the geometry",
            )
        )
    return problems


def _split_atoms(atoms: list, histories: list, geometry) -> list[int]:
    """Split atoms along ``geometry``'s edges; return the indices of atoms inside it."""
    tree = shapely.STRtree(atoms)
    inside = []
    for i in tree.query(geometry, predicate="intersects"):
        atom = atoms[i]
        part_in = shapely.intersection(atom, geometry)
        if part_in.area <= DUST:
            continue
        part_out = shapely.difference(atom, geometry)
        if part_out.area <= DUST:
            inside.append(int(i))
            continue
        atoms[i] = _polygonal(part_in)
        atoms.append(_polygonal(part_out))
        histories.append(list(histories[i]))
        inside.append(int(i))
    return sorted(inside)


def _polygonal(geom):
    """Keep only the polygon parts (overlay can leave stray lines or points on edges)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area > DUST]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


def _versions(pack: Pack, atoms: list, histories: Histories) -> gpd.GeoDataFrame:
    """Each polity's territory between consecutive changes, with its lifetime and its cause."""
    rows = _version_rows(pack, histories)
    for row in rows:
        row["geometry"] = _union([atoms[i] for i in row["atoms"]])
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    # Object dtype keeps None for the baseline (a string column would turn it into NaN).
    frame["event"] = pd.Series([row["event"] for row in rows], index=frame.index, dtype=object)
    frame["start_ord"] = [d.toordinal() for d in frame.start]
    frame["end_ord"] = [FOREVER if d is None else d.toordinal() for d in frame.end]
    frame["name"] = [pack.polities[p].name for p in frame.polity]
    frame["colour"] = [pack.polities[p].colour for p in frame.polity]
    events = {e.id: e for e in pack.events}
    frame["precision"] = [
        _precision(pack, polity, events.get(event))
        for polity, event in zip(frame.polity, frame.event, strict=True)
    ]
    return frame


def _version_rows(pack: Pack, histories: Histories) -> list[dict]:
    """One row per version, in order of start day and then polity id."""
    order = {e.id: i for i, e in enumerate(pack.events)}
    change_days = sorted({h.start for history in histories for h in history})
    rows: list[dict] = []
    previous: dict[str, frozenset[int]] = {}
    open_rows: dict[str, int] = {}
    for day in change_days:
        holdings = [_holder_on(history, day) for history in histories]
        held: dict[str, set[int]] = {}
        for i, holding in enumerate(holdings):
            held.setdefault(holding.polity, set()).add(i)
        current = {p: frozenset(s) for p, s in held.items()}
        # Sorted: set order changes with PYTHONHASHSEED, and the row order is the output order.
        for polity in sorted(previous.keys() | current.keys()):
            if previous.get(polity) == current.get(polity):
                continue
            if polity in open_rows:
                rows[open_rows.pop(polity)]["end"] = day
            if polity in current:
                # Every atom that came or went changed holder today, through today's event.
                moved = current[polity] ^ previous.get(polity, frozenset())
                causes = {holdings[i].event for i in moved} - {None}
                open_rows[polity] = len(rows)
                rows.append(
                    {
                        "polity": polity,
                        "start": day,
                        "end": None,
                        "atoms": tuple(sorted(current[polity])),
                        "event": min(causes, key=order.__getitem__) if causes else None,
                    }
                )
        previous = current
    return rows


def baseline_precision(pack: Pack) -> str:
    """How precise the baseline's borders are (approximate unless the pack says)."""
    return pack.meta.get("baseline_precision", "approximate")


def transfer_precision(event: Event, transfer) -> str:
    """How precisely a transfer's border is drawn: the event may state it for all its lines."""
    stated = event.border_precision
    return stated if stated in PRECISIONS else transfer.precision


def _precision(pack: Pack, polity: str, event: Event | None) -> str:
    """How precise a version's outline is: set by the event that started it (the least precise
    of the transfers it gave or took from the polity)."""
    if event is None:
        return baseline_precision(pack)
    if event.border_precision in PRECISIONS:
        return event.border_precision
    ranks = [
        PRECISIONS.index(t.precision) for t in event.transfers if polity in (t.source, t.target)
    ]
    return PRECISIONS[max(ranks, default=PRECISIONS.index("approximate"))]


def _union(parts: list):
    # Not coverage_union: splitting atoms leaves T-junctions on neighbours' edges, and
    # coverage union assumes exactly matching vertices.
    return shapely.union_all(parts)


def _holder_on(history: Sequence[Holding], day: dt.date) -> Holding:
    index = bisect_right([h.start for h in history], day) - 1
    return history[index]


def _transfer_areas(pack: Pack) -> dict[tuple[str, str], float]:
    keys = [(e.id, t.id) for e in pack.events for t in e.transfers]
    geoms = [t.geometry for e in pack.events for t in e.transfers]
    return dict(zip(keys, map(float, area_km2(geoms)), strict=True)) if keys else {}


def require_date(pack: Pack, day: dt.date) -> None:
    """Raise PackError for a date the pack cannot answer for."""
    if day < pack.baseline_date:
        raise PackError(f"{day} is before the pack's baseline date ({pack.baseline_date})")
    if day > pack.end_date:
        raise PackError(f"{day} is after the last date the pack is complete for ({pack.end_date})")


def map_changes(pack: Pack) -> list[Event]:
    """Events that change the map: a cession or a renaming (recognitions move nothing)."""
    return [
        e for e in pack.events if e.successions or any(t.mode == "cession" for t in e.transfers)
    ]


def event_day(pack: Pack, event_id: str, view: str = "after") -> dt.date:
    """The day that shows the borders just before or just after an event."""
    event = pack.event(event_id)
    if event is None:
        raise PackError(f"unknown event {event_id!r} in pack {pack.id!r}")
    effective = event.effective
    if view == "before":
        return max(effective - dt.timedelta(days=1), pack.baseline_date)
    return effective


def borders_at(pack: Pack, day: dt.date) -> gpd.GeoDataFrame:
    """The partition in force at the start of ``day``: one row per polity."""
    require_date(pack, day)
    versions = pack.timeline.versions
    ordinal = day.toordinal()
    mask = (versions["start_ord"].values <= ordinal) & (ordinal < versions["end_ord"].values)
    return versions[mask]


def reference_fold(pack: Pack, day: dt.date) -> dict[str, object]:
    """Borders at ``day`` the slow way: apply every transfer to the baseline geometrically."""
    require_date(pack, day)
    holdings = {
        polity: shapely.union_all(group.geometry.values)
        for polity, group in pack.baseline.groupby("polity")
    }
    for event in pack.events:
        if event.effective > day:
            break
        for transfer in event.transfers:
            if transfer.mode != "cession":
                continue
            givers = [p for p in holdings if transfer.source in chain(pack, p, event.effective)]
            for giver in givers:
                moved = shapely.intersection(holdings[giver], transfer.geometry)
                holdings[giver] = shapely.difference(holdings[giver], moved)
                holdings[transfer.target] = shapely.union(
                    holdings.get(transfer.target, shapely.Polygon()), moved
                )
        for old, new in event.successions:
            if old in holdings:
                holdings[new] = shapely.union(
                    holdings.get(new, shapely.Polygon()), holdings.pop(old)
                )
    return {p: g for p, g in holdings.items() if g.area > DUST}


def atom_at(pack: Pack, lon: float, lat: float) -> int | None:
    """Number of the atom containing the point, or None outside the scope."""
    hits = pack.timeline.atom_tree.query(Point(lon, lat), predicate="intersects")
    return int(min(hits)) if len(hits) else None


def history_of_atom(pack: Pack, atom: int, until: dt.date | None = None) -> list[Period]:
    """The holders of one atom, merged where a holder did not change, up to ``until``."""
    periods: list[Period] = []
    for holding in pack.timeline.histories[atom]:
        if until is not None and holding.start > until:
            break
        if periods and periods[-1].polity == holding.polity:
            continue
        if periods:
            periods[-1] = dataclasses.replace(periods[-1], end=holding.start)
        periods.append(Period(holding.polity, holding.start, None, holding.event))
    return periods


def changes_between(pack: Pack, start: dt.date, end: dt.date) -> list[Change]:
    """What moved between two dates: one change per (from, to) pair, largest first."""
    require_date(pack, min(start, end))
    earlier, later = sorted((start, end))
    timeline = pack.timeline
    moved: dict[tuple[str, str], list[int]] = {}
    for i, history in enumerate(timeline.histories):
        before, after = _holder_on(history, earlier), _holder_on(history, later)
        if before.polity != after.polity:
            moved.setdefault((before.polity, after.polity), []).append(i)
    changes = [_change(timeline, pair, atoms, earlier, later) for pair, atoms in moved.items()]
    return sorted(changes, key=lambda c: (-c.area_km2, c.source, c.target))


def _change(
    timeline: Timeline, pair: tuple[str, str], atoms: list[int], earlier: dt.date, later: dt.date
) -> Change:
    events = {
        h.event
        for i in atoms
        for h in timeline.histories[i]
        if h.event and earlier < h.start <= later
    }
    return Change(
        *pair,
        area_km2=float(sum(timeline.atom_areas[i] for i in atoms)),
        events=tuple(sorted(events)),
        geometry=_union([timeline.atoms.iloc[i] for i in atoms]),
    )

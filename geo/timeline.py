"""The borders engine: from the baseline and the events to polygon versions with lifetimes.

At load the scope is cut into *atoms*, the pieces no transfer ever splits, and each atom gets
the dated list of its holders. From those come the *polygon versions*: each polity's territory
between two changes, with a ``[start, end)`` lifetime. A date query is then a filter over
versions (``borders_at``) or a look-up of one atom (``holders_of_point``). ``reference_fold``
computes the same borders the slow way, by applying transfers to the baseline with geometry
operations; the tests check that both agree.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point

from geo.areas import area_km2
from geo.pack import Event, Pack
from geo.problems import PackError, Problem
from geo.suzerainty import chain

# Pieces smaller than this (in square degrees, about 100 m²) are rounding dust, not land.
DUST = 1e-8
# Overlaps or gaps above this share of the smaller piece are reported as problems.
TOLERANCE_SHARE = 0.001
# Gaps smaller than this (km²) are slivers left by rounding coordinates to about 1 m.
SLIVER_KM2 = 0.01
FOREVER = dt.date.max.toordinal()


@dataclass(frozen=True)
class Holding:
    """One period in which a polity held an atom."""

    start: dt.date
    polity: str
    event: str | None  # None for the baseline


def build(pack: Pack) -> list[Problem]:
    """Check the baseline and every transfer against the holdings, then index the pack."""
    problems = check_baseline(pack)
    if problems:
        return problems
    atoms = list(shapely.get_parts(pack.baseline.geometry.values))
    owners = np.repeat(
        pack.baseline["polity"].values, shapely.get_num_geometries(pack.baseline.geometry.values)
    )
    histories = [[Holding(pack.baseline_date, polity, None)] for polity in owners]
    for event in pack.events:
        problems += _apply_event(pack, event, atoms, histories)
    if problems:
        return problems
    atoms_gs = gpd.GeoSeries(atoms, crs="EPSG:4326")
    pack.derived.update(
        atoms=atoms_gs,
        atom_tree=shapely.STRtree(atoms),
        histories=histories,
        atom_areas=area_km2(atoms),
        scope=_union(atoms),
        versions=_versions(pack, atoms, histories),
        transfer_areas=_transfer_areas(pack),
    )
    return []


def check_baseline(pack: Pack) -> list[Problem]:
    """Report overlaps and gaps in the baseline partition."""
    shown = f"{pack.path.parent.name}/{pack.id}/baseline.geojson"
    geoms = pack.baseline.geometry.values
    problems = []
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
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
    union = shapely.union_all(geoms)
    holes_allowed = [Point(p) for p in pack.meta["scope"].get("holes", [])]
    # Faces of the noded outline that the union does not cover are gaps: this also finds
    # holes closed only by corner-touching polygons, which have no interior ring.
    faces = shapely.get_parts(
        shapely.polygonize(shapely.get_parts(shapely.node(shapely.boundary(union))))
    )
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


def _versions(pack: Pack, atoms: list, histories: list) -> gpd.GeoDataFrame:
    """Each polity's territory between consecutive changes, with its lifetime."""
    change_days = sorted({h.start for history in histories for h in history})
    rows = []
    previous: dict[str, frozenset[int]] = {}
    open_rows: dict[str, int] = {}
    for day in change_days:
        held: dict[str, set[int]] = {}
        for i, history in enumerate(histories):
            holder = _holder_on(history, day)
            held.setdefault(holder.polity, set()).add(i)
        current = {p: frozenset(s) for p, s in held.items()}
        # Sorted: set order changes with PYTHONHASHSEED, and the row order is the output order.
        for polity in sorted(previous.keys() | current.keys()):
            if previous.get(polity) == current.get(polity):
                continue
            if polity in open_rows:
                rows[open_rows.pop(polity)]["end"] = day
            if polity in current:
                open_rows[polity] = len(rows)
                rows.append({"polity": polity, "start": day, "end": None, "atoms": current[polity]})
        previous = current
    for row in rows:
        row["atoms"] = tuple(sorted(row["atoms"]))  # kept: the map layers reuse them
        row["geometry"] = _union([atoms[i] for i in row["atoms"]])
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    frame["start_ord"] = [d.toordinal() for d in frame.start]
    frame["end_ord"] = [FOREVER if d is None else d.toordinal() for d in frame.end]
    frame["name"] = [pack.polities[p].name for p in frame.polity]
    frame["colour"] = [pack.polities[p].colour for p in frame.polity]
    return frame


def _union(parts: list):
    # Not coverage_union: splitting atoms leaves T-junctions on neighbours' edges, and
    # coverage union assumes exactly matching vertices.
    return shapely.union_all(parts)


def _holder_on(history: list[Holding], day: dt.date) -> Holding:
    index = bisect_right([h.start for h in history], day) - 1
    return history[index]


def _transfer_areas(pack: Pack) -> dict[tuple[str, str], float]:
    keys = [(e.id, t.id) for e in pack.events for t in e.transfers]
    geoms = [t.geometry for e in pack.events for t in e.transfers]
    return dict(zip(keys, area_km2(geoms), strict=True)) if keys else {}


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
    effective = pack.event(event_id).effective
    if view == "before":
        return max(effective - dt.timedelta(days=1), pack.baseline_date)
    return effective


def borders_at(pack: Pack, day: dt.date) -> gpd.GeoDataFrame:
    """The partition in force at the start of ``day``: one row per polity."""
    require_date(pack, day)
    versions = pack.derived["versions"]
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
    """Index of the atom containing the point, or None outside the scope."""
    point = Point(lon, lat)
    hits = pack.derived["atom_tree"].query(point, predicate="intersects")
    return int(min(hits)) if len(hits) else None


def history_of_atom(pack: Pack, atom: int, until: dt.date | None = None) -> list[dict]:
    """The holders of one atom, merged where a holder did not change, up to ``until``."""
    history = pack.derived["histories"][atom]
    periods: list[dict] = []
    for holding in history:
        if until is not None and holding.start > until:
            break
        if periods and periods[-1]["polity"] == holding.polity:
            continue
        if periods:
            periods[-1]["to"] = holding.start
        periods.append(
            {"polity": holding.polity, "from": holding.start, "to": None, "event": holding.event}
        )
    return periods


def changes_between(pack: Pack, start: dt.date, end: dt.date) -> list[dict]:
    """What moved between two dates: one row per (from, to) pair, with area and events."""
    require_date(pack, min(start, end))
    earlier, later = sorted((start, end))
    moved: dict[tuple[str, str], dict] = {}
    atoms = pack.derived["atoms"]
    areas = pack.derived["atom_areas"]
    for i, history in enumerate(pack.derived["histories"]):
        before, after = _holder_on(history, earlier), _holder_on(history, later)
        if before.polity == after.polity:
            continue
        row = moved.setdefault(
            (before.polity, after.polity),
            {
                "from": before.polity,
                "to": after.polity,
                "area_km2": 0.0,
                "events": set(),
                "geometry": [],
            },
        )
        row["area_km2"] += float(areas[i])
        row["events"].update(h.event for h in history if earlier < h.start <= later)
        row["geometry"].append(atoms.iloc[i])
    result = []
    for row in moved.values():
        row["events"] = sorted(e for e in row["events"] if e)
        row["geometry"] = _union(row["geometry"])
        result.append(row)
    return sorted(result, key=lambda r: -r["area_km2"])

"""Map data for the browser as a topology: each border once, atoms' holders, edges' precision.

Instead of every polygon version whole, the browser gets the outline of each *atom* (the pieces
no transfer splits, see ``geo.timeline``) once, as shared arcs, and the dated list of each
atom's holders. It fills the atoms with their holder's colour for the chosen day and draws the
arcs whose two sides have different holders, dashed by that edge's precision on that day
(``static/topology.js`` decodes it). Faded land outside the scope, with country names, and
today's international borders come from the pack's ``base/admin0.geojson``.

Format ``treaty-map-topology/1`` (JSON; names are HTML-escaped; lists are sorted or in index
order, so the same pack always gives the same bytes)::

  format     "treaty-map-topology/1"
  transform  {"scale": [sx, sy], "translate": [tx, ty]}: grid point (x, y) is the place
             lon = x * sx + tx, lat = y * sy + ty (TopoJSON quantisation)
  arcs       [[[x0, y0], [dx, dy], ...], ...]: grid points, each after the first given as the
             offset from the previous one (TopoJSON delta encoding)
  polities   [{"id", "n": name, "c": "#rrggbb"}, ...] sorted by id; "polity index" = position
  atoms      [{"arcs": polygons → rings → arc references, "h": [[start, polity index], ...]}]
             An arc reference i follows arc i forward, ~i (= -i - 1) follows arc i backward;
             the first ring of a polygon is its exterior, the others its holes, and every ring
             has its interior on its left. "h" lists the atom's holders from the pack's
             baseline date, each from its start day until the next one's. An atom thinner than
             the grid has no polygons.
  sides      [[left, right], ...] per arc: the atoms on its left and right (looking along the
             arc as stored, with north up); -1 for land outside the scope, the sea, or an arc
             that bounds no atom (context land, extra modern borders)
  q          per arc, the precision of the border it draws as change periods
             [[start, "p"|"m"|"a"], ...] (precise, moderate, approximate) from the baseline
             date on; [] for arcs that bound no atom. See ``arc_precision`` for the rule.
  labels     [[polity index, start, end, lon, lat, area km²], ...] one per polygon version
             (a polity's territory between two changes): where to write its name; sorted by
             start, then polity index
  transfers  {event id: [{"id", "n": name, "from", "to": polity index,
             "mode": "cession"|"recognition", "q": the transfer's precision as written
             ("precise", "moderate" or "approximate"), "area": km² (rounded), "atoms": [atom
             index, ...]}, ...]} for events with transfers, in the event file's order
  parties    {event id: [polity index, ...]} for events that moved no land
  context    [{"n": country name, "arcs": polygons → rings → arc references,
             "l": [lon, lat] for its name}, ...] sorted by name: today's countries outside the
             scope, within MARGIN degrees around it, slivers left out
  modern     [arc index, ...] ascending: today's international borders (admin-0 lines shared
             by two countries), as the very arcs of outlines that follow them within
             MODERN_TOLERANCE, plus arcs of their own where none does

Days are proleptic ordinals (Python's ``date.toordinal()``); ``start`` is the first day of a
period and ``end`` the first day after it. An ``end`` of 3652059 (``date.max``, the engine's
``timeline.FOREVER``) means the period had not ended when the pack's data ends.
"""

from __future__ import annotations

import html
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from geo import arcs as arcs_mod
from geo import files, layers, timeline
from geo.pack import Pack
from geo.schema import PRECISIONS

FORMAT = "treaty-map-topology/1"
GRID = 10.0**-layers.DIGITS  # degrees per grid step (about 100 m), as the simplified atoms
MARGIN = 3.0  # degrees of context land shown around the scope
# Context faces narrower than this on average (2·area/perimeter, in grid steps) are slivers
# between the scope's coast or border (Natural Earth admin-1) and admin-0's slightly different
# line, not land worth drawing.
SLIVER_WIDTH = 15
# An arc within this many grid steps of an admin-0 border line lies on today's border: the
# scope's units (admin-1) and admin-0 come from different Natural Earth releases and are
# simplified separately.
MODERN_TOLERANCE = 20
PRECISION_CODE = {"precise": "p", "moderate": "m", "approximate": "a"}
RANK = {name: i for i, name in enumerate(PRECISIONS)}  # schema order: worse is larger


# --- Everything this module reads from the pack (re-point these when the pack's API changes).


def _simplified_atoms(pack: Pack) -> list:
    """Atom outlines as drawn, in index order (lon/lat)."""
    return layers.simplified_atoms(pack)


def _raw_atoms(pack: Pack) -> list:
    """Atom outlines as derived, for matching transfers to atoms."""
    return list(pack.timeline.atoms.values)


def _atom_areas(pack: Pack) -> list[float]:
    return [float(a) for a in pack.timeline.atom_areas]


def _histories(pack: Pack) -> list[list[tuple[int, str, str | None]]]:
    """Per atom, its holdings as (start ordinal, polity id, event id or None), oldest first."""
    return [
        [(h.start.toordinal(), h.polity, h.event) for h in history]
        for history in pack.timeline.histories
    ]


def _versions(pack: Pack) -> list[tuple[str, int, int, tuple[int, ...]]]:
    """Polygon versions as (polity id, start ordinal, end ordinal, atom indices)."""
    return [
        (row.polity, int(row.start_ord), int(row.end_ord), tuple(int(a) for a in row.atoms))
        for row in pack.timeline.versions.itertuples()
    ]


def _transfer_area(pack: Pack, event_id: str, transfer_id: str) -> float:
    return float(pack.timeline.transfer_areas[(event_id, transfer_id)])


def _admin0(pack: Pack) -> list[tuple[str, object]]:
    """Modern countries as (name, polygon) from ``base/admin0.geojson``; none if absent."""
    path = Path(pack.path) / "base" / "admin0.geojson"
    if not path.exists():
        return []
    features, _problems = files.read_geojson(path, Path(pack.path), str(path))
    if features is None:  # an unreadable reference layer only costs the map its context
        return []
    countries = []
    for i, feature in enumerate(features):
        geometry, _problems = files.polygon(feature, str(path), f"features[{i}]")
        if geometry is not None:  # a broken feature costs the map one country's context
            countries.append((str(feature["properties"].get("name", "")), geometry))
    return countries


# --- The map data.


def map_data(pack: Pack) -> dict:
    """The pack's map data in the ``treaty-map-topology/1`` format (see the module docstring)."""
    polity_ids = sorted(pack.polities)
    polity_index = {p: i for i, p in enumerate(polity_ids)}
    shapes = outlines(pack)
    histories = _histories(pack)
    transfer_atoms = _transfer_atoms(pack)
    changes = cession_changes(pack, histories, transfer_atoms)
    start = pack.baseline_date.toordinal()
    baseline = timeline.baseline_precision(pack)
    return {
        "format": FORMAT,
        "transform": {
            "scale": [GRID, GRID],
            "translate": [round(shapes.origin[0] * GRID, 9), round(shapes.origin[1] * GRID, 9)],
        },
        "arcs": [arcs_mod.delta_encode(a) for a in shapes.arcs],
        "polities": [
            {"id": p, "n": html.escape(pack.polities[p].name), "c": pack.polities[p].colour}
            for p in polity_ids
        ],
        "atoms": [
            {"arcs": shapes.refs[i], "h": _timeline(history, polity_index)}
            for i, history in enumerate(histories)
        ],
        "sides": shapes.sides,
        "q": [
            arc_precision(s, near, changes, start, baseline) if max(s) >= 0 else []
            for s, near in zip(shapes.sides, shapes.on_modern, strict=True)
        ],
        "labels": _labels(pack, shapes, polity_index),
        "transfers": _transfers(pack, transfer_atoms, polity_index),
        "parties": _parties(pack, polity_index),
        "context": _context(shapes),
        "modern": [i for i, near in enumerate(shapes.on_modern) if near],
    }


def _parties(pack: Pack, polity_index: dict[str, int]) -> dict[str, list[int]]:
    """The parties of each event that moved no land, by event id."""
    return {
        e.id: sorted(polity_index[p] for p in set(e.parties))
        for e in sorted(pack.events, key=lambda e: e.id)
        if not e.transfers and e.parties
    }


def _context(shapes) -> list[dict]:
    """Today's countries outside the scope: name, outline and where to write the name."""
    n_atoms = len(shapes.atoms)
    return [
        {
            "n": html.escape(name),
            "arcs": shapes.refs[n_atoms + k],
            "l": _lonlat(_label_point(geometry), shapes.origin),
        }
        for k, (name, geometry) in enumerate(shapes.context)
    ]


@dataclass(frozen=True)
class Outlines:
    """The map's shapes on the grid, and the arcs they share."""

    origin: tuple[int, int]  # the grid point (0, 0) in grid steps from lon 0, lat 0
    atoms: list  # per atom, its outline in grid units (empty if thinner than the grid)
    context: list[tuple[str, object]]  # (country name, land outside the scope)
    arcs: list[list[tuple[int, int]]]  # grid points
    refs: list  # arc references of each atom, then of each context entry
    sides: list[list[int]]  # per arc: the atoms on its left and right, -1 for none
    on_modern: list[bool]  # per arc: whether it follows one of today's borders


def outlines(pack: Pack) -> Outlines:
    """Atoms and context land as one coverage on the grid, cut into shared arcs; today's
    borders as the arcs that follow them, plus arcs of their own where no outline does."""
    atoms_lonlat = _simplified_atoms(pack)
    bounds = shapely.total_bounds(atoms_lonlat)
    origin = (math.floor((bounds[0] - MARGIN) / GRID), math.floor((bounds[1] - MARGIN) / GRID))
    to_grid = _grid_transform(origin)
    frame = to_grid(shapely.box(*(bounds + np.array([-MARGIN, -MARGIN, MARGIN, MARGIN]))))
    countries = _countries(pack, to_grid, frame)
    atoms, context = planar_pieces(to_grid(np.array(atoms_lonlat)), countries)
    shapes = [arcs_mod.grid_rings(g) for g in [*atoms, *(g for _, g in context)]]
    borders = modern_lines([g for _, g in countries])
    zone = _zone(borders)
    arcs, refs = arcs_mod.build(shapes, _zone_edges(shapes, zone))
    sides = _sides(refs[: len(atoms)], len(arcs))
    on_modern = [bool(b) for b in shapely.covered_by([shapely.LineString(a) for a in arcs], zone)]
    extra = _uncovered(borders, [a for a, near in zip(arcs, on_modern, strict=True) if near])
    return Outlines(
        origin=origin,
        atoms=atoms,
        context=context,
        arcs=arcs + extra,
        refs=refs,
        sides=sides + [[-1, -1] for _ in extra],
        on_modern=on_modern + [True] * len(extra),
    )


def _grid_transform(origin: tuple[int, int]):
    """Lon/lat → grid units, with the grid's origin at ``origin`` (in grid steps)."""
    offset = np.array(origin, dtype=float)
    return lambda g: shapely.transform(g, lambda c: c / GRID - offset)


def _lonlat(point, origin: tuple[int, int]) -> list[float]:
    return [round((point.x + origin[0]) * GRID, 3), round((point.y + origin[1]) * GRID, 3)]


def _countries(pack: Pack, to_grid, frame) -> list[tuple[str, object]]:
    """Admin-0 countries simplified as one coverage, in grid units, clipped to ``frame``."""
    named = _admin0(pack)
    if not named:
        return []
    polygons = shapely.set_precision([g for _, g in named], 1e-5)
    if not shapely.coverage_is_valid(polygons):
        polygons = shapely.coverage_clean(polygons)
    simplified = shapely.coverage_simplify(polygons, layers.SIMPLIFY)
    clipped = shapely.intersection(to_grid(simplified), frame)
    return [(name, g) for (name, _), g in zip(named, clipped, strict=True) if not g.is_empty]


def planar_pieces(atoms, countries: list[tuple[str, object]]) -> tuple[list, list]:
    """The atoms and the context land as one exact coverage on the integer grid.

    The atoms' outlines, rounded each on its own, can miss each other by a grid step where a
    neighbour was split (a vertex on an edge, not of it), and the countries come from another
    source. So every outline is noded onto the grid together, the plane is cut into faces, and
    each face goes to the atom it lies in (the first, should two overlap), else to the country
    it lies in (see ``_context_owners``), else to the sea. Returns the atoms (an empty polygon
    for one thinner than the grid) and the context land as (country name, geometry), sorted by
    name.
    """
    scope = shapely.union_all(atoms)
    outlines = list(shapely.boundary(atoms))
    if countries:
        country_lines = shapely.boundary([g for _, g in countries])
        outlines += list(shapely.difference(country_lines, scope))
    noded = shapely.union_all(outlines, grid_size=1)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    inside = shapely.point_on_surface(faces)
    owner = np.full(len(faces), -1)
    face_ids, atom_ids = shapely.STRtree(atoms).query(inside, predicate="within")
    for face, atom in sorted(zip(face_ids.tolist(), atom_ids.tolist(), strict=True), reverse=True):
        owner[face] = atom  # reversed, so that the lowest atom index wins
    pieces = [_union(faces[owner == i]) for i in range(len(atoms))]
    if not countries:
        return pieces, []
    rest = np.flatnonzero(owner < 0)
    country = _context_owners(faces[rest], inside[rest], [g for _, g in countries])
    context = [
        (name, _union(faces[rest[country == c]]))
        for c, (name, _) in enumerate(countries)
        if (country == c).any()
    ]
    return pieces, sorted(context, key=lambda item: item[0])


def _union(faces):
    """Faces of one noded plane share their edges exactly, so a coverage union joins them."""
    return shapely.coverage_union_all(faces) if len(faces) else shapely.Polygon()


def _context_owners(faces, inside, countries: list) -> np.ndarray:
    """The country index of each face outside the scope, -1 for none.

    A face narrower than ``SLIVER_WIDTH`` lies between two versions of one line (the scope's
    edge and admin-0's): it joins the wide face it shares most of its outline with, so that
    context land reaches the scope's edge, or is left out where it only lines a coast.
    """
    owner = np.full(len(faces), -1)
    face_ids, country_ids = shapely.STRtree(countries).query(inside, predicate="within")
    owner[face_ids] = country_ids
    thin = 2 * shapely.area(faces) < SLIVER_WIDTH * shapely.length(faces)
    wide = np.flatnonzero(~thin & (owner >= 0))
    tree = shapely.STRtree(faces[wide])
    result = np.where(thin, -1, owner)
    for i in np.flatnonzero(thin):
        near = wide[tree.query(faces[i], predicate="touches")]
        if not len(near):
            continue
        shared = shapely.length(
            shapely.intersection(faces[i].boundary, shapely.boundary(faces[near]))
        )
        best = int(np.argmax(shared))
        if shared[best] >= 0.25 * faces[i].length:
            result[i] = owner[near[best]]
    return result


def _sides(atom_refs: list, n_arcs: int) -> list[list[int]]:
    """Per arc, the atoms on its left and right (an atom's rings keep it on their left)."""
    sides = [[-1, -1] for _ in range(n_arcs)]
    for atom, polygons in enumerate(atom_refs):
        for ring in (r for polygon in polygons for r in polygon):
            for ref in ring:
                arc, side = (ref, 0) if ref >= 0 else (~ref, 1)
                if sides[arc][side] != -1:
                    raise ValueError(
                        f"atoms {sides[arc][side]} and {atom} overlap along arc {arc}; "
                        "the atoms must tile the scope"
                    )
                sides[arc][side] = atom
    return sides


def modern_lines(countries: list) -> list:
    """Today's international borders: the lines two countries share (not their coasts)."""
    if len(countries) < 2:
        return []
    boundaries = shapely.boundary(countries)
    left, right = shapely.STRtree(countries).query(countries, predicate="intersects")
    lines = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j:
            shared = shapely.intersection(boundaries[i], boundaries[j])
            lines += [p for p in shapely.get_parts(shared) if p.geom_type == "LineString"]
    return list(shapely.get_parts(shapely.line_merge(shapely.union_all(lines)))) if lines else []


def _zone(borders: list):
    """Where an outline counts as following today's borders: within ``MODERN_TOLERANCE``."""
    if not borders:
        return shapely.Polygon()
    zone = shapely.buffer(shapely.union_all(borders), MODERN_TOLERANCE, quad_segs=2)
    shapely.prepare(zone)
    return zone


def _zone_edges(shapes: list, zone) -> frozenset:
    """Ring points where an outline joins or leaves today's borders, so that arcs end there
    and each arc either follows a border all along or not at all."""
    rings = [ring for shape in shapes for polygon in shape for ring in polygon]
    if zone.is_empty or not rings:
        return frozenset()
    points = np.array([p for ring in rings for p in ring], dtype=float)
    inside = iter(shapely.contains_xy(zone, points[:, 0], points[:, 1]).tolist())
    edges = set()
    for ring in rings:
        flags = [next(inside) for _ in ring]
        for k, p in enumerate(ring):
            if flags[k] != flags[k - 1]:
                edges.add(p if flags[k] else ring[k - 1])
    return frozenset(edges)


def _uncovered(borders: list, modern_arcs: list) -> list[list[tuple[int, int]]]:
    """The stretches of today's borders that no arc follows (where a border crosses an atom),
    as extra arcs, reaching to the nearest arc that does follow the border."""
    if not borders:
        return []
    drawn = shapely.union_all([shapely.LineString(a) for a in modern_arcs])
    rest = shapely.difference(
        shapely.union_all(borders),
        shapely.buffer(drawn, MODERN_TOLERANCE, quad_segs=2),
        grid_size=1,
    )
    extra = []
    for part in shapely.get_parts(shapely.line_merge(rest)):
        if part.length < 2 * MODERN_TOLERANCE:
            continue  # a stub beside a drawn border
        points = [(round(x), round(y)) for x, y in part.coords]
        if not drawn.is_empty:
            joints = []
            for end in (points[0], points[-1]):
                joint = shapely.shortest_line(shapely.Point(end), drawn)
                x, y = joint.coords[-1]
                joints.append(
                    [(round(x), round(y))] if joint.length <= 2 * MODERN_TOLERANCE else []
                )
            points = joints[0] + points + joints[1]
        extra.append([p for k, p in enumerate(points) if k == 0 or p != points[k - 1]])
    return sorted(extra)


def _timeline(history: list[tuple[int, str, str | None]], polity_index: dict) -> list:
    """The atom's holders as [[start, polity index], ...], a holder's renewals merged."""
    out: list[list[int]] = []
    for start, polity, _event in history:
        if not out or out[-1][1] != polity_index[polity]:
            out.append([start, polity_index[polity]])
    return out


def _transfer_atoms(pack: Pack) -> dict[tuple[str, str], list[int]]:
    """The atoms each transfer is made of: those with a point inside it (atoms are cut along
    every transfer's edges, so an atom lies wholly inside a transfer or wholly outside)."""
    points = shapely.point_on_surface(_raw_atoms(pack))
    tree = shapely.STRtree(points)
    return {
        (event.id, transfer.id): sorted(
            tree.query(transfer.geometry, predicate="contains").tolist()
        )
        for event in pack.events
        for transfer in event.transfers
    }


def cession_changes(
    pack: Pack, histories: list, transfer_atoms: dict
) -> list[list[tuple[int, int]]]:
    """Per atom, the days a cession gave it a new holder, with the rank of that border's
    precision (a renaming or a recognition moves no border, so it is not a change here)."""
    rank: dict[tuple[str, int], int] = {}
    for event in pack.events:
        for transfer in event.transfers:
            if transfer.mode != "cession":
                continue
            value = RANK[timeline.transfer_precision(event, transfer)]
            for atom in transfer_atoms[(event.id, transfer.id)]:
                rank[(event.id, atom)] = max(value, rank.get((event.id, atom), value))
    changes = []
    for atom, history in enumerate(histories):
        changes.append(
            [
                (day, rank[(event, atom)])
                for (_, before, _), (day, polity, event) in itertools.pairwise(history)
                if polity != before and (event, atom) in rank
            ]
        )
    return changes


def arc_precision(
    sides: list[int], on_modern: bool, changes: list, start: int, baseline: str
) -> list[list]:
    """How precise the border along an arc is, as change periods [[first day, code], ...].

    On day D the line is as precise as the latest cession up to D that gave either side a new
    holder (the baseline's precision before any). But if the arc follows today's international
    border and no later cession changes either side, the line on D already is today's
    surveyed border: precise.
    """
    worst: dict[int, int] = {}  # the change days of either side, with the worst precision
    for atom in sides:
        if atom >= 0:
            for day, value in changes[atom]:
                worst[day] = max(value, worst.get(day, value))
    worst = {start: RANK[baseline], **worst}
    if on_modern:
        worst[max(worst)] = RANK["precise"]
    code = {v: PRECISION_CODE[k] for k, v in RANK.items()}
    periods: list[list] = []
    for day in sorted(worst):
        if not periods or periods[-1][1] != code[worst[day]]:
            periods.append([day, code[worst[day]]])
    return periods


def _label_point(geometry):
    """A point inside the largest part, where a name reads best."""
    parts = shapely.get_parts(geometry)
    return max(parts, key=lambda g: g.area).point_on_surface()


def _labels(pack: Pack, shapes: Outlines, polity_index: dict) -> list:
    """One label per polygon version: [polity index, start, end, lon, lat, area km²], by start
    day and polity."""
    areas = _atom_areas(pack)
    points: dict[tuple[int, ...], list[float]] = {}
    rows = []
    for polity, start, end, members in _versions(pack):
        if members not in points:
            shown = [shapes.atoms[i] for i in members if not shapes.atoms[i].is_empty]
            if shown:
                territory = shapely.coverage_union_all(shown)
                points[members] = _lonlat(_label_point(territory), shapes.origin)
            else:  # thinner than the grid: place the name by the atoms as derived
                raw = _raw_atoms(pack)
                point = _label_point(shapely.union_all([raw[i] for i in members]))
                points[members] = [round(point.x, 3), round(point.y, 3)]
        area = round(sum(areas[i] for i in members))
        rows.append([polity_index[polity], start, end, *points[members], area])
    return sorted(rows, key=lambda row: (row[1], row[0]))  # versions come in no fixed order


def _transfers(pack: Pack, transfer_atoms: dict, polity_index: dict) -> dict:
    """Per event with transfers, what each moved (in the event file's order)."""
    out = {}
    for event in sorted(pack.events, key=lambda e: e.id):
        if not event.transfers:
            continue
        out[event.id] = [
            {
                "id": t.id,
                "n": html.escape(t.name),
                "from": polity_index[t.source],
                "to": polity_index[t.target],
                "mode": t.mode,
                "q": t.precision,
                "area": round(_transfer_area(pack, event.id, t.id)),
                "atoms": transfer_atoms[(event.id, t.id)],
            }
            for t in event.transfers
        ]
    return out

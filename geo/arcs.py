"""Shared arcs of polygons on an integer grid: each border once, however many polygons use it.

Polygons arrive as rings of integer grid points (``grid_rings``). A point where three or more
borders meet, or where a border ends, is a *junction*; an *arc* is the path between two
junctions, stored once in a canonical direction. Each ring becomes a list of arc references in
the TopoJSON convention: ``i`` follows arc ``i`` forward, ``~i`` (that is ``-i - 1``) backward.
Rings are oriented with the interior on the left (exteriors counter-clockwise, holes clockwise),
so a polygon follows an arc forward when it lies on the arc's left.

Everything is integers and ordered lists, so the same polygons always give the same arcs.
"""

from __future__ import annotations

import itertools

import shapely

Point = tuple[int, int]
Ring = list[Point]


def grid_rings(geometry) -> list[list[Ring]]:
    """``geometry``'s polygons (coordinates in grid steps) as rings of integer grid points.

    Rounding can make points repeat or a thin part fold onto itself; repeats and such spikes
    are removed, and rings left without area are dropped. Returns polygons → rings (exterior
    first, interior on the left of each ring).
    """
    polygons = []
    for part in shapely.get_parts(geometry):
        if part.geom_type != "Polygon":
            continue
        rings = []
        for k, ring in enumerate([part.exterior, *part.interiors]):
            points = _clean([(round(x), round(y)) for x, y in ring.coords[:-1]])
            area = _signed_area(points)
            if area == 0:
                if k == 0:
                    break  # the whole polygon collapsed
                continue
            if (area > 0) != (k == 0):
                points.reverse()
            rings.append(points)
        if rings:
            polygons.append(rings)
    return polygons


def _clean(points: Ring) -> Ring:
    """Drop repeated points and spikes (a, b, a) until none is left, around the closed ring."""
    changed = True
    while changed and len(points) >= 3:
        changed = False
        out: Ring = []
        for p in points:
            if out and out[-1] == p:
                changed = True
            elif len(out) >= 2 and out[-2] == p:
                out.pop()
                changed = True
            else:
                out.append(p)
        while len(out) >= 2 and out[0] == out[-1]:
            out.pop()
            changed = True
        if len(out) >= 3 and out[1] == out[-1]:  # a spike at the ring's start
            out = out[1:-1]
            changed = True
        points = out
    return points if len(points) >= 3 else []


def _signed_area(points: Ring) -> int:
    """Twice the signed area (shoelace); positive when counter-clockwise."""
    n = len(points)
    return sum(
        points[i][0] * points[(i + 1) % n][1] - points[(i + 1) % n][0] * points[i][1]
        for i in range(n)
    )


def build(
    shapes: list[list[list[Ring]]], breaks: frozenset[Point] = frozenset()
) -> tuple[list[list[Point]], list[list[list[list[int]]]]]:
    """Cut the rings of ``shapes`` (shapes → polygons → rings) into shared arcs.

    ``breaks`` are further points where arcs must end (where a line of another kind joins or
    leaves an outline). Returns the arcs (lists of grid points, each stored once) and, per
    shape, its polygons → rings → arc references. Arcs are numbered in order of first use.
    """
    rings = [ring for shape in shapes for polygon in shape for ring in polygon]
    junctions = _junctions(rings, breaks)
    index: dict[tuple[Point, ...], int] = {}
    arcs: list[list[Point]] = []
    refs = []
    for shape in shapes:
        shape_refs = []
        for polygon in shape:
            polygon_refs = []
            for ring in polygon:
                ring_refs = []
                for path in _cut(ring, junctions):
                    backward = tuple(reversed(path))
                    key, forward = (path, True) if path <= backward else (backward, False)
                    if key not in index:
                        index[key] = len(arcs)
                        arcs.append(list(key))
                    ring_refs.append(index[key] if forward else ~index[key])
                polygon_refs.append(ring_refs)
            shape_refs.append(polygon_refs)
        refs.append(shape_refs)
    return arcs, refs


def _junctions(rings: list[Ring], breaks: frozenset[Point]) -> set[Point]:
    """Points where borders meet or part, the ``breaks``, and a fixed point on each ring that
    has none of these."""
    neighbours: dict[Point, set[Point]] = {}
    for ring in rings:
        n = len(ring)
        for i, p in enumerate(ring):
            links = neighbours.setdefault(p, set())
            links.add(ring[i - 1])
            links.add(ring[(i + 1) % n])
    junctions = {p for p, links in neighbours.items() if len(links) != 2 or p in breaks}
    for ring in rings:
        if not any(p in junctions for p in ring):
            # A closed border touching nothing (an island, a lake): every ring that runs along
            # it has the same points, so its smallest point is the same junction for all.
            junctions.add(min(ring))
    return junctions


def _cut(ring: Ring, junctions: set[Point]) -> list[tuple[Point, ...]]:
    """The ring's paths from junction to junction, in ring order."""
    stops = [i for i, p in enumerate(ring) if p in junctions]
    start = stops[0]
    rotated = ring[start:] + ring[:start]
    stops = [i - start for i in stops]
    stops.append(len(ring))
    closed = [*rotated, rotated[0]]
    return [tuple(closed[a : b + 1]) for a, b in itertools.pairwise(stops)]


def delta_encode(arc: list[Point]) -> list[list[int]]:
    """TopoJSON's arc encoding: the first point, then each point's offset from the previous."""
    out = [list(arc[0])]
    out += [[b[0] - a[0], b[1] - a[1]] for a, b in itertools.pairwise(arc)]
    return out

"""Shared arcs on the integer grid: each border stored once, rings as arc references."""

from __future__ import annotations

import shapely

from geo import arcs


def ring_points(built: list, ring: list[int]) -> list[tuple[int, int]]:
    points: list = []
    for ref in ring:
        part = built[ref] if ref >= 0 else built[~ref][::-1]
        points += part if not points else part[1:]
    return points


def test_neighbours_share_one_arc_in_opposite_directions():
    left = arcs.grid_rings(shapely.box(0, 0, 2, 2))
    right = arcs.grid_rings(shapely.box(2, 0, 4, 2))
    built, refs = arcs.build([left, right])
    shared = {r if r >= 0 else ~r for r in refs[0][0][0]} & {
        r if r >= 0 else ~r for r in refs[1][0][0]
    }
    assert len(shared) == 1
    (arc,) = shared
    assert sorted(built[arc]) == [(2, 0), (2, 2)]
    # Each square runs along the shared arc once, the two in opposite directions.
    directions = {r >= 0 for square in refs for r in square[0][0] if (r if r >= 0 else ~r) == arc}
    assert directions == {True, False}
    for square, box in zip(refs, (shapely.box(0, 0, 2, 2), shapely.box(2, 0, 4, 2)), strict=True):
        assert shapely.Polygon(ring_points(built, square[0][0])).equals(box)


def test_an_island_and_the_hole_around_it_are_one_closed_arc():
    # The two rings start at different corners: the arc must not depend on where they start.
    hole = [(3, 3), (3, 6), (6, 6), (6, 3)]
    outer = arcs.grid_rings(shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [hole]))
    island = arcs.grid_rings(shapely.Polygon([(6, 6), (3, 6), (3, 3), (6, 3)]))
    built, refs = arcs.build([outer, island])
    hole, coast = refs[0][0][1], refs[1][0][0]
    assert len(hole) == len(coast) == 1
    assert hole[0] == ~coast[0]
    loop = built[coast[0] if coast[0] >= 0 else ~coast[0]]
    assert loop[0] == loop[-1]


def test_rings_keep_their_interior_on_the_left():
    (polygon,) = arcs.grid_rings(
        shapely.Polygon(
            [(0, 0), (0, 10), (10, 10), (10, 0)],  # clockwise on purpose
            [[(2, 2), (4, 2), (4, 4), (2, 4)]],  # counter-clockwise on purpose
        )
    )
    assert shapely.LinearRing(polygon[0]).is_ccw
    assert not shapely.LinearRing(polygon[1]).is_ccw


def test_rounding_drops_repeats_spikes_and_collapsed_rings():
    spiky = shapely.Polygon([(0, 0), (4, 0), (4.2, 3), (4.4, 0.1), (8, 0), (8, 4), (0, 4)])
    (polygon,) = arcs.grid_rings(spiky)
    assert polygon == [[(0, 0), (4, 0), (8, 0), (8, 4), (0, 4)]]
    assert arcs.grid_rings(shapely.box(0, 0, 5, 0.2)) == []


def test_breaks_end_arcs_where_asked():
    square = arcs.grid_rings(shapely.box(0, 0, 4, 4))
    built, refs = arcs.build([square])
    assert len(built) == 1
    built, refs = arcs.build([square], frozenset({(4, 0), (0, 4)}))
    assert len(built) == 2
    assert len(refs[0][0][0]) == 2
    assert {p for arc in built for p in (arc[0], arc[-1])} == {(4, 0), (0, 4)}


def test_delta_encoding_keeps_the_first_point():
    assert arcs.delta_encode([(5, 7), (6, 7), (6, 5)]) == [[5, 7], [1, 0], [0, -2]]

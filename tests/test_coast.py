"""Points just off the land: within COAST_KM they get the nearest land's holder and say how far
it is; beyond it they stay outside the area. Distances are checked against the ellipsoid's own
formulas along meridians and parallels, not against the projection the code measures in."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import geopandas as gpd
import pytest
import shapely
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point
from shapely.ops import nearest_points

from geo import nearest, query, timeline
from geo.catalog import TREATIES, load_pack
from tests.conftest import tiny_world, two_state_world
from tests.geodesy import (
    WGS84,
    degrees_of_latitude,
    degrees_of_longitude,
    meridian_arc_m,
    parallel_arc_m,
)

D = dt.date


@pytest.fixture
def grid(tmp_path):
    """West holds the cell lon 0..1, East the cell lon 1..2, both lat 0..1, from 1800."""
    pack, problems = load_pack(two_state_world(tmp_path / "grid"))
    assert problems == []
    return pack


def north_of_west(metres: float) -> tuple[float, float]:
    """A point ``metres`` due north of the West cell's northern edge (lat 1) at lon 0.5."""
    return 0.5, 1.0 + degrees_of_latitude(1.0, metres)


def east_of_east(metres: float) -> tuple[float, float]:
    """A point ``metres`` due east of the East cell's eastern edge (lon 2) at lat 0.5."""
    return 2.0 + degrees_of_longitude(0.5, metres), 0.5


def test_coast_km_is_three():
    assert query.COAST_KM == 3.0


def off_the_grid(side: str, metres: float) -> tuple[float, float, float, str]:
    """(lon, lat) of a point ``metres`` off one edge of the grid, that distance measured along
    the meridian or parallel it lies on, and the holder of the edge."""
    if side == "north":
        lon, lat = north_of_west(metres)
        return lon, lat, meridian_arc_m(1.0, lat), "west"
    lon, lat = east_of_east(metres)
    return lon, lat, parallel_arc_m(0.5, lon - 2.0), "east"


@pytest.mark.parametrize(("side", "metres"), [("north", 1000), ("east", 1000), ("north", 2900)])
def test_a_point_off_the_edge_gets_the_holder_next_to_it_and_its_distance(grid, side, metres):
    lon, lat, expected_m, holder = off_the_grid(side, metres)
    assert timeline.atom_at(grid, lon, lat) is None
    _atom, measured = nearest.nearest_atom(grid, lon, lat, query.COAST_KM)
    assert measured == pytest.approx(expected_m, abs=0.5)
    answer = query.where(grid, lon, lat, D(1850, 1, 1))
    assert answer.polity.id == holder
    assert answer.snapped_km == round(expected_m / 1000, 1)
    assert f"nearest land, {answer.snapped_km:.1f} km away" in answer.note
    assert answer.history[0].polity.id == holder
    assert answer.since == D(1800, 1, 1)


@pytest.mark.parametrize(("lon", "holder"), [(0.99, "west"), (1.01, "east")])
def test_between_two_holders_the_nearer_land_wins(grid, lon, holder):
    # 1 km north of the grid, 0.01° (1.1 km) from where West's and East's edges meet: the land
    # straight south is 1 km away, the other holder's corner about 1.5 km.
    lat = 1.0 + degrees_of_latitude(1.0, 1000)
    answer = query.where(grid, lon, lat, D(1850, 1, 1))
    assert answer.polity.id == holder
    assert answer.snapped_km == round(meridian_arc_m(1.0, lat) / 1000, 1)


@pytest.mark.parametrize("place", [north_of_west(5000), east_of_east(5000), east_of_east(3100)])
def test_a_point_further_off_stays_outside_with_its_note(grid, place):
    answer = query.where(grid, *place, D(1850, 1, 1))
    assert (answer.polity, answer.snapped_km, answer.history) == (None, None, ())
    assert answer.note.startswith("outside the area this pack covers")


def test_a_point_on_the_land_is_not_snapped(grid):
    answer = query.where(grid, 0.5, 0.999, D(1850, 1, 1))
    assert answer.polity.id == "west"
    assert (answer.snapped_km, answer.note) == (None, None)


def test_the_nearest_land_is_nearest_on_the_ground_not_in_degrees():
    # At lat 60 a degree of longitude is half as long as one of latitude: the land 0.03° east
    # (1.67 km) is nearer than the land 0.02° north (2.2 km), though further in degrees.
    north = shapely.box(-0.5, 60.02, 0.5, 60.5)
    east = shapely.box(0.03, 59.0, 0.5, 60.01)
    atoms = gpd.GeoSeries([north, east], crs="EPSG:4326")
    world = SimpleNamespace(
        timeline=SimpleNamespace(atoms=atoms, atom_tree=shapely.STRtree(atoms.values))
    )
    atom, metres = nearest.nearest_atom(world, 0.0, 60.0, 3.0)
    assert atom == 1
    assert metres == pytest.approx(parallel_arc_m(60.0, 0.03), abs=0.5)
    assert nearest.nearest_atom(world, 0.0, 60.0, 1.5) is None
    # The edge of the northern land is a parallel, a curve around the point: measured along it,
    # not along the chord between the ends of the piece that is looked at.
    only_north = gpd.GeoSeries([north], crs="EPSG:4326")
    world.timeline = SimpleNamespace(atoms=only_north, atom_tree=shapely.STRtree(only_north.values))
    atom, metres = nearest.nearest_atom(world, 0.0, 60.0, 3.0)
    assert atom == 0
    assert metres == pytest.approx(meridian_arc_m(60.0, 60.02), abs=0.5)


# -- the property: the holder is that of the nearest point of the world's outline -------------

DAYS = [D(1800, 1, 1), D(1813, 10, 23), D(1813, 10, 24), D(1900, 1, 1)]
SIDES = {  # a point on each side of the tiny world at parameter t, and the outward direction
    "south": (lambda t: (2 * t, 0.0), (0.0, -1.0)),
    "north": (lambda t: (2 * t, 1.0), (0.0, 1.0)),
    "west": (lambda t: (0.0, t), (-1.0, 0.0)),
    "east": (lambda t: (2.0, t), (1.0, 0.0)),
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The tiny world: West's lower half goes to East on 24 October 1813."""
    pack, problems = load_pack(tiny_world(tmp_path_factory.mktemp("coast") / "tiny"))
    assert problems == []
    return pack


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
# Points off an edge within 0.01° of where two holders meet, which random draws seldom hit.
@example(side="north", t=0.495, off=0.009, day=D(1900, 1, 1))
@example(side="north", t=0.505, off=0.009, day=D(1900, 1, 1))
@example(side="west", t=0.49, off=0.009, day=D(1900, 1, 1))
@example(side="west", t=0.51, off=0.009, day=D(1900, 1, 1))
@given(
    side=st.sampled_from(sorted(SIDES)),
    t=st.floats(-0.02, 1.02),
    off=st.floats(1e-6, 0.03),
    day=st.sampled_from(DAYS),
)
def test_a_point_near_the_world_gets_the_holder_of_the_nearest_point_of_its_outline(
    tiny, side, t, off, day
):
    on_side, (dx, dy) = SIDES[side]
    x, y = on_side(t)
    point = Point(x + dx * off, y + dy * off)
    borders = query.borders_at(tiny, day)
    world = shapely.union_all(borders.geometry.values)
    assume(not world.intersects(point))
    foot = nearest_points(world, point)[0]
    # The distance to ``foot`` is at least the distance to the land: stay clear of 3 km.
    assume(WGS84.inv(point.x, point.y, foot.x, foot.y)[2] < 2900)
    gaps = sorted(
        (float(g.distance(foot)), polity)
        for g, polity in zip(borders.geometry.values, borders.polity, strict=True)
    )
    # Where two holders meet near the foot, a few metres decide: leave those points out.
    assume(len(gaps) == 1 or gaps[1][0] > 0.002)
    answer = query.where(tiny, point.x, point.y, day)
    assert answer.polity is not None
    assert answer.polity.id == gaps[0][1]
    assert 0 <= answer.snapped_km <= query.COAST_KM


# -- the russia-iran pack: towns on the Caspian shore -----------------------------------------

# Each key place's point in the pack's places file, and a direction out to sea from it.
SHORE_TOWNS = {
    "Makhachkala": 90,
    "Derbent": 90,
    "Baku": 180,
    "Lankaran": 90,
    "Türkmenbaşy (Krasnovodsk)": 225,
}


def town_point(name: str) -> tuple[float, float]:
    with open(TREATIES / "russia-iran" / "base" / "places.geojson", encoding="utf-8") as file:
        places = json.load(file)["features"]
    (lon, lat) = next(
        f["geometry"]["coordinates"] for f in places if f["properties"]["name"] == name
    )
    return lon, lat


def off_the_shore(pack, lon: float, lat: float, azimuth: float, beyond_m: float):
    """Walk from the town out to sea in 50 m steps: the last point on the map's land, and the
    point ``beyond_m`` past the first one off it."""
    land = (lon, lat)
    for step in range(1, 1000):
        x, y, _ = WGS84.fwd(lon, lat, azimuth, 50 * step)
        if timeline.atom_at(pack, x, y) is None:
            sea_x, sea_y, _ = WGS84.fwd(x, y, azimuth, beyond_m)
            return land, (sea_x, sea_y)
        land = (x, y)
    raise AssertionError("no sea within 50 km")


@pytest.mark.parametrize("name", sorted(SHORE_TOWNS))
def test_the_sea_just_off_a_shore_town_gets_the_holder_of_the_shore(pack, name):
    land, sea = off_the_shore(pack, *town_point(name), SHORE_TOWNS[name], 250)
    assert timeline.atom_at(pack, *sea) is None
    shore = query.where(pack, *land, pack.end_date)
    days = [item.start for item in shore.history] + [pack.end_date]
    for day in days:
        answer = query.where(pack, *sea, day)
        assert answer.polity == query.where(pack, *land, day).polity, day
        assert 0 <= answer.snapped_km <= 0.3  # at most 50 m back to the land and 250 m out


def test_makhachkala_seafront_gets_the_towns_holders(pack):
    town = town_point("Makhachkala")
    seafront = (47.52, 42.98)  # on the map, the Caspian 1.6 km east of the town's point
    assert timeline.atom_at(pack, *seafront) is None
    for day in (D(1850, 1, 1), D(1860, 1, 1), D(1950, 1, 1), D(2000, 1, 1)):
        answer = query.where(pack, *seafront, day)
        assert answer.polity == query.where(pack, *town, day).polity
        assert 0 < answer.snapped_km < query.COAST_KM
    out_at_sea = WGS84.fwd(*seafront, 90, 10_000)[:2]
    answer = query.where(pack, *out_at_sea, D(1950, 1, 1))
    assert (answer.polity, answer.snapped_km) == (None, None)
    assert answer.note.startswith("outside the area this pack covers")
    on_land = query.where(pack, *town, D(1950, 1, 1))
    assert (on_land.snapped_km, on_land.note) == (None, None)

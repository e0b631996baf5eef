"""Engine unit tests on tiny worlds: borders at a date, areas, where, history, differences."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely

from geo import query, timeline
from geo.areas import area_km2
from geo.problems import PackError
from tests.conftest import EAST, WEST, half

D = dt.date


def holders(pack, day):
    frame = timeline.borders_at(pack, day)
    return {row.polity: row.geometry for row in frame.itertuples()}


def test_baseline_holds_until_the_day_before_the_event(world):
    before = holders(world, D(1813, 10, 23))
    assert before["west"].equals(WEST)
    assert before["east"].equals(EAST)


def test_change_takes_effect_at_the_start_of_its_day(world):
    after = holders(world, D(1813, 10, 24))
    assert after["west"].equals(half(0, "upper"))
    assert shapely.normalize(after["east"]).equals(
        shapely.normalize(shapely.union(EAST, half(0, "lower")))
    )


def test_dates_before_the_baseline_are_refused(world):
    with pytest.raises(PackError, match="before the pack's baseline date"):
        timeline.borders_at(world, D(1799, 12, 31))


def test_transfer_area_is_computed_in_an_equal_area_crs(world):
    areas = world.derived["transfer_areas"]
    # A 1° × 0.5° box at the equator: 111.32 km × 55.3 km on the WGS84 ellipsoid.
    assert areas[("cession-1813", "lower")] == pytest.approx(6154.0, rel=0.01)
    assert area_km2([half(0, "lower")])[0] == pytest.approx(areas[("cession-1813", "lower")])


def test_where_gives_holder_since_and_history(world):
    answer = query.where(world, 0.5, 0.25, D(1900, 1, 1))
    assert answer["polity"] == {"id": "east", "name": "East"}
    assert answer["since"] == {"date": "1813-10-24", "event": "cession-1813"}
    assert [h["polity"]["id"] for h in answer["history"]] == ["west", "east"]
    assert answer["history"][0]["to"] == "1813-10-24"


def test_where_in_the_untouched_half_has_one_holder(world):
    answer = query.where(world, 0.5, 0.75, D(1900, 1, 1))
    assert answer["polity"]["id"] == "west"
    assert answer["since"] == {"date": "1800-01-01", "event": None}
    assert len(answer["history"]) == 1


def test_where_outside_the_scope_says_so(world):
    answer = query.where(world, 5.0, 5.0, D(1900, 1, 1))
    assert answer["polity"] is None
    assert "outside the area this pack covers" in answer["note"]


def test_where_before_the_baseline_says_so(world):
    answer = query.where(world, 0.5, 0.5, D(1700, 1, 1))
    assert answer["polity"] is None
    assert "before this pack's baseline" in answer["note"]


def test_changes_between_two_dates(world):
    rows = timeline.changes_between(world, D(1810, 1, 1), D(1820, 1, 1))
    assert [(r["from"], r["to"], r["events"]) for r in rows] == [("west", "east", ["cession-1813"])]
    assert rows[0]["area_km2"] == pytest.approx(6154.0, rel=0.01)
    assert timeline.changes_between(world, D(1820, 1, 1), D(1830, 1, 1)) == []


def test_fast_path_equals_reference_fold(world):
    for day in (D(1800, 1, 1), D(1813, 10, 23), D(1813, 10, 24), D(2000, 1, 1)):
        fast = holders(world, day)
        slow = timeline.reference_fold(world, day)
        assert fast.keys() == slow.keys()
        for polity, geometry in fast.items():
            assert shapely.symmetric_difference(geometry, slow[polity]).area < 1e-9

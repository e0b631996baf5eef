"""Engine unit tests on tiny worlds: borders at a date, areas, where, history, differences."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import shapely

from geo import query, timeline
from geo import synthetic as syn
from geo.catalog import load_pack
from geo.pack import per_pack, read_pack
from geo.problems import PackError
from tests.conftest import EAST, WEST, half, tiny_world
from tests.geodesy import geodesic_km2

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
    areas = world.timeline.transfer_areas
    # A 1° × 0.5° box at the equator: 111.32 km × 55.3 km on the WGS84 ellipsoid.
    assert areas[("cession-1813", "lower")] == pytest.approx(6154.0, rel=0.01)
    geodesic = geodesic_km2(half(0, "lower"))
    assert areas[("cession-1813", "lower")] == pytest.approx(geodesic, rel=0.001)


def test_where_gives_holder_since_and_history(world):
    answer = query.where(world, 0.5, 0.25, D(1900, 1, 1))
    assert answer.polity == query.PolityRef("east", "East")
    assert (answer.since, answer.since_event) == (D(1813, 10, 24), "cession-1813")
    assert [h.polity.id for h in answer.history] == ["west", "east"]
    assert answer.history[0].end == D(1813, 10, 24)
    assert answer.history[1].event_name == "Event of 1813-10-24"


def test_where_in_the_untouched_half_has_one_holder(world):
    answer = query.where(world, 0.5, 0.75, D(1900, 1, 1))
    assert answer.polity.id == "west"
    assert (answer.since, answer.since_event) == (D(1800, 1, 1), None)
    assert len(answer.history) == 1


def test_where_outside_the_scope_says_so(world):
    answer = query.where(world, 5.0, 5.0, D(1900, 1, 1))
    assert answer.polity is None
    assert answer.history == ()
    assert "outside the area this pack covers" in answer.note


def test_where_before_the_baseline_says_so(world):
    answer = query.where(world, 0.5, 0.5, D(1700, 1, 1))
    assert answer.polity is None
    assert "before this pack's baseline" in answer.note


def test_changes_between_two_dates(world):
    rows = timeline.changes_between(world, D(1810, 1, 1), D(1820, 1, 1))
    assert [(r.source, r.target, r.events) for r in rows] == [("west", "east", ("cession-1813",))]
    assert rows[0].area_km2 == pytest.approx(6154.0, rel=0.01)
    assert rows[0].geometry.equals(half(0, "lower"))
    assert timeline.changes_between(world, D(1820, 1, 1), D(1830, 1, 1)) == []


def test_fast_path_equals_reference_fold(world):
    for day in (D(1800, 1, 1), D(1813, 10, 23), D(1813, 10, 24), D(2000, 1, 1)):
        fast = holders(world, day)
        slow = timeline.reference_fold(world, day)
        assert fast.keys() == slow.keys()
        for polity, geometry in fast.items():
            assert shapely.symmetric_difference(geometry, slow[polity]).area < 1e-9


def version_causes(pack) -> list[tuple]:
    versions = pack.timeline.versions
    columns = (versions.polity, versions.start, versions.event, versions.precision)
    return sorted(zip(*columns, strict=True))


def test_versions_carry_the_event_that_started_them_and_its_precision(world):
    assert version_causes(world) == [
        ("east", D(1800, 1, 1), None, "approximate"),  # the baseline's default precision
        ("east", D(1813, 10, 24), "cession-1813", "precise"),  # the transfer's precision
        ("west", D(1800, 1, 1), None, "approximate"),
        ("west", D(1813, 10, 24), "cession-1813", "precise"),
    ]


def test_a_vassal_that_loses_land_in_its_overlords_name_gets_that_event(tmp_path):
    # West is East's vassal; East cedes West's lower half to North. The treaty names only
    # East and North, yet West's smaller territory starts with it.
    west = syn.polity_table("west", 0) | {
        "suzerain": [{"polity": "east", "status": "vassal", "from": D(1800, 1, 1)}]
    }
    polities = {
        "west": west,
        "east": syn.polity_table("east", 1),
        "north": syn.polity_table("north", 2),
    }
    cession = syn.event(D(1813, 10, 24), [syn.transfer("lower", "east", "north", half(0, "lower"))])
    folder = syn.write_pack(
        tmp_path / "w",
        polities,
        [("west", WEST), ("east", EAST), ("north", syn.cell(0, 1))],
        {"cession-1813": cession},
    )
    pack, problems = load_pack(folder)
    assert problems == [], [str(p) for p in problems]
    started = {(p, day): event for p, day, event, _ in version_causes(pack)}
    assert started[("west", D(1813, 10, 24))] == "cession-1813"
    assert started[("north", D(1813, 10, 24))] == "cession-1813"
    assert ("east", D(1813, 10, 24)) not in started


def test_a_pack_that_was_read_but_not_built_says_so(tmp_path):
    pack, problems = read_pack(tiny_world(tmp_path / "tiny"))
    assert problems == []
    with pytest.raises(PackError, match=r"'tiny' has no timeline.*load_pack"):
        timeline.borders_at(pack, D(1900, 1, 1))
    with pytest.raises(PackError, match="has no timeline"):
        query.where(pack, 0.5, 0.25, D(1900, 1, 1))


def test_the_timeline_is_built_once_and_frozen(world):
    with pytest.raises(PackError, match="already has a timeline"):
        world.with_timeline(world.timeline)
    with pytest.raises(dataclasses.FrozenInstanceError):
        world.timeline.versions = None
    with pytest.raises(dataclasses.FrozenInstanceError):
        world.events = ()
    with pytest.raises(ValueError, match="read-only"):
        world.timeline.atom_areas[0] = 0.0
    with pytest.raises(TypeError):
        world.timeline.transfer_areas[("cession-1813", "lower")] = 0.0


def test_timeline_built_from_a_read_pack_can_be_attached(tmp_path):
    pack, _ = read_pack(tiny_world(tmp_path / "tiny"))
    built, problems = timeline.build(pack)
    assert problems == []
    loaded = pack.with_timeline(built)
    assert loaded.timeline is built
    assert len(built.atoms) == len(built.histories) == len(built.atom_areas) == 3
    assert built.histories[timeline.atom_at(loaded, 0.5, 0.25)] == (
        timeline.Holding(D(1800, 1, 1), "west", None),
        timeline.Holding(D(1813, 10, 24), "east", "cession-1813"),
    )


def test_transfers_answer_has_polities_area_precision_and_geometry(world):
    (moved,) = query.transfers(world, "cession-1813")
    assert (moved.source, moved.target) == (
        query.PolityRef("west", "West"),
        query.PolityRef("east", "East"),
    )
    assert (moved.id, moved.mode, moved.precision) == ("lower", "cession", "precise")
    assert moved.area_km2 == pytest.approx(6154.0, rel=0.01)
    assert moved.geometry.equals(half(0, "lower"))
    with pytest.raises(PackError, match="unknown event 'nothing-1900'"):
        query.transfers(world, "nothing-1900")


def test_per_pack_values_are_computed_once_for_each_pack(world, tmp_path):
    calls = []

    @per_pack
    def polity_count(pack):
        calls.append(pack.id)
        return len(pack.polities)

    other, _ = load_pack(tiny_world(tmp_path / "other"))
    assert [polity_count(world), polity_count(world), polity_count(other)] == [2, 2, 2]
    assert calls == ["tiny", "other"]

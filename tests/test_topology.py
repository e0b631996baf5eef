"""Topology map data: format, same bytes every run, transfers as whole atoms, size, and the
precision of each border edge, on tiny worlds and on the bundled pack."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
import shapely

from geo import geojson, layers, render, timeline, topology
from geo import synthetic as syn
from geo.catalog import load_pack
from tests import topology_data as td
from tests.conftest import EAST, WEST, cession_1813, half, two_state_world

ROOT = Path(__file__).resolve().parent.parent
D = td.ordinal
GRID = topology.GRID
BUDGET = 200_000  # bytes of JSON for the default pack


@pytest.fixture(scope="module")
def data(pack):
    return render.map_data(pack)  # computed once per pack for every test that needs it


def polity_id(data: dict, index: int) -> str:
    return data["polities"][index]["id"]


# --- Format


def test_format_lists_fit_together(pack, data):
    assert data["format"] == "treaty-map-topology/1"
    ids = [p["id"] for p in data["polities"]]
    assert ids == sorted(pack.polities)
    n_arcs = len(data["arcs"])
    assert len(data["sides"]) == len(data["q"]) == n_arcs
    assert all(isinstance(v, int) for arc in data["arcs"] for step in arc for v in step)
    assert len(data["atoms"]) == len(pack.timeline.atoms)
    refs = [r for a in data["atoms"] for polygon in a["arcs"] for ring in polygon for r in ring]
    refs += [r for c in data["context"] for polygon in c["arcs"] for ring in polygon for r in ring]
    assert all(-n_arcs <= r < n_arcs for r in refs)
    assert all(-1 <= s < len(data["atoms"]) for pair in data["sides"] for s in pair)
    assert all(0 <= i < n_arcs for i in data["modern"])
    with_land = {e.id for e in pack.events if e.transfers}
    assert set(data["transfers"]) == with_land
    assert set(data["parties"]) <= {e.id for e in pack.events} - with_land


def test_each_atom_has_its_holders_from_the_baseline(pack, data):
    for atom, entry in enumerate(data["atoms"]):
        periods = timeline.history_of_atom(pack, atom)
        assert [polity_id(data, p) for _, p in entry["h"]] == [p.polity for p in periods]
        assert [start for start, _ in entry["h"]] == [p.start.toordinal() for p in periods]


def test_one_label_per_polygon_version_inside_its_territory(pack, data):
    versions = {(v.polity, v.start_ord): v for v in pack.timeline.versions.itertuples()}
    assert len(data["labels"]) == len(versions)
    assert data["labels"] == sorted(data["labels"], key=lambda row: (row[1], row[0]))
    for polity, start, end, lon, lat, area in data["labels"]:
        version = versions[(polity_id(data, polity), start)]
        assert end == version.end_ord
        assert version.geometry.distance(shapely.Point(lon, lat)) < 0.02
        assert area == round(sum(pack.timeline.atom_areas[i] for i in version.atoms))


def test_a_holder_confirmed_in_its_land_is_one_period(tmp_path):
    """East, West's overlord, cedes West's land to West itself: the engine notes a new
    holding, but the holder did not change, so the timeline keeps one period."""
    grant = syn.event(dt.date(1820, 1, 1), [syn.transfer("all", "east", "west", WEST)])
    folder = two_state_world(tmp_path / "tiny", {"grant-1820": grant})
    text = (folder / "polities.toml").read_text()
    (folder / "polities.toml").write_text(
        text.replace(
            "[east]",
            '[[west.suzerain]]\npolity = "east"\nstatus = "vassal"\nfrom = 1800-01-01\n\n[east]',
        )
    )
    pack, problems = load_pack(folder)
    assert problems == []
    assert [len(h) for h in pack.timeline.histories] == [2, 1]  # the engine's two holdings
    data = topology.map_data(pack)
    west = [p["id"] for p in data["polities"]].index("west")
    assert data["atoms"][0]["h"] == [[D(1800), west]]


def test_size_within_budget(data):
    assert len(td.compact(data)) <= BUDGET


# --- Geometry


def test_atoms_are_the_simplified_atoms_and_tile_the_scope(pack, data):
    points = td.arc_points(data)
    decoded = [td.shape(data, a["arcs"], points) for a in data["atoms"]]
    assert all(g.is_valid for g in decoded)
    assert shapely.coverage_is_valid(decoded)
    for atom, drawn in zip(decoded, layers.simplified_atoms(pack), strict=True):
        # Rounding to the grid moves an outline by at most half a step.
        assert shapely.symmetric_difference(atom, drawn).area <= drawn.length * GRID


def test_sides_are_the_atoms_left_and_right_of_each_arc(data):
    points = td.arc_points(data)
    decoded = [td.shape(data, a["arcs"], points) for a in data["atoms"]]
    for arc, (left, right) in zip(points, data["sides"], strict=True):
        if max(left, right) < 0:
            continue  # context land or a modern border across an atom
        (x0, y0), (x1, y1) = max(
            itertools.pairwise(arc), key=lambda s: shapely.LineString(s).length
        )
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        nx, ny = -(y1 - y0) / length * GRID / 4, (x1 - x0) / length * GRID / 4
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        for side, (px, py) in ((left, (mx + nx, my + ny)), (right, (mx - nx, my - ny))):
            where = [i for i, g in enumerate(decoded) if g.contains(shapely.Point(px, py))]
            assert where == ([side] if side >= 0 else [])


def test_transfers_are_whole_atoms(pack, data):
    atoms = pack.timeline.atoms.values
    for event in pack.events:
        listed = {t["id"]: t for t in data["transfers"].get(event.id, [])}
        for transfer in event.transfers:
            members = listed[transfer.id]["atoms"]
            union = shapely.union_all([atoms[i] for i in members])
            missing = shapely.symmetric_difference(union, transfer.geometry).area
            assert missing <= 0.001 * transfer.geometry.area, (event.id, transfer.id)


def test_context_is_land_outside_the_scope(data):
    points = td.arc_points(data)
    scope = shapely.union_all([td.shape(data, a["arcs"], points) for a in data["atoms"]])
    names = [c["n"] for c in data["context"]]
    assert names == sorted(names)
    assert {"Iran", "Russia", "Turkey"} <= set(names)
    assert "Armenia" not in names  # all of it lies in the scope
    for entry in data["context"]:
        land = td.shape(data, entry["arcs"], points)
        assert land.is_valid
        assert land.area > 0
        assert shapely.intersection(land, scope).area < 1e-6
        assert land.contains(shapely.Point(entry["l"]))


def test_modern_arcs_follow_todays_international_borders(pack, data):
    features = geojson_features(Path(pack.path) / "base" / "admin0.geojson")
    borders = shapely.union_all(topology.modern_lines(features))
    lines = td.arc_lines(data)
    modern = [lines[i] for i in data["modern"]]
    for line in modern:
        far = shapely.distance(shapely.points(line.coords), borders).max()
        assert far <= topology.MODERN_TOLERANCE * GRID
    frame = shapely.box(*shapely.total_bounds(lines))
    drawn = sum(line.length for line in modern)
    assert drawn == pytest.approx(shapely.intersection(borders, frame).length, rel=0.02)


def test_todays_borders_reuse_the_outlines_that_follow_them(data):
    """Where an atom's or the context's outline follows today's border, the overlay is that
    very arc (cut where the outline leaves the border), never a second line beside it."""
    in_rings = {
        r if r >= 0 else ~r
        for entry in [*data["atoms"], *data["context"]]
        for polygon in entry["arcs"]
        for ring in polygon
        for r in ring
    }
    assert set(data["modern"]) <= in_rings


def geojson_features(path: Path) -> list:
    with open(path, encoding="utf-8") as f:
        return [shapely.geometry.shape(x["geometry"]) for x in json.load(f)["features"]]


# --- Precision of each border edge, on the bundled pack


def arcs_between(data: dict, day: int, first: set[str], second: set[str]) -> list[int]:
    found = []
    for arc, (left, right) in enumerate(data["sides"]):
        if min(left, right) < 0:
            continue
        pair = {
            polity_id(data, td.holder(data, left, day)),
            polity_id(data, td.holder(data, right, day)),
        }
        if len(pair) == 2 and pair & first and pair & second:
            found.append(arc)
    return found


def test_aras_line_is_todays_surveyed_border_in_2025(data):
    day = D(2025, 6, 1)
    aras = arcs_between(data, day, {"iran"}, {"azerbaijan", "armenia"})
    julfa = td.nearest_arc(data, 45.63, 38.95)  # the Aras at Julfa, Nakhchivan
    assert julfa in aras
    assert {td.precision(data, arc, day) for arc in aras} == {"p"}
    # Already so in 1950: the last cession on the Azerbaijani side was in 1918; the renamings
    # since (the Soviet republic in 1920, independence in 1991) moved no border.
    assert td.precision(data, julfa, D(1950)) == "p"
    assert td.precision(data, julfa, D(1918, 5, 27)) == "a"


def test_khanate_lines_of_1800_are_approximate(data):
    day = D(1800, 6, 1)
    khanates = arcs_between(
        data, day, {"erivan_khanate", "ganja_khanate"}, {"nakhchivan_khanate", "karabakh_khanate"}
    )
    assert khanates
    assert {td.precision(data, arc, day) for arc in khanates} == {"a"}
    # One of them lies on today's Armenia–Nakhchivan border, precise once drawn for good.
    on_todays_border = [arc for arc in khanates if arc in data["modern"]]
    assert on_todays_border
    assert {td.precision(data, arc, D(2025, 6, 1)) for arc in on_todays_border} == {"p"}


# --- Precision of each border edge, on a tiny world with today's border at lon 1


def tiny_with_today(tmp_path, more_events: dict | None = None, **event_extra):
    """West's lower half goes to East in 1813 (a 'moderate' line); today the two halves of
    the world are the countries Westland and Eastland, divided at lon 1."""
    cession = syn.event(
        dt.date(1813, 10, 24),
        [syn.transfer("lower", "west", "east", half(0, "lower"), precision="moderate")],
        kind="treaty",
        signed=dt.date(1813, 10, 24),
        parties=["west", "east"],
        **event_extra,
    )
    folder = two_state_world(tmp_path / "tiny", {"cession-1813": cession, **(more_events or {})})
    text = (folder / "polities.toml").read_text()
    (folder / "polities.toml").write_text(
        text + '\n[east_new]\nnames = { en = "New East" }\ncolour = "#123456"\n'
    )
    (folder / "base").mkdir()
    geojson.write(
        folder / "base" / "admin0.geojson",
        [({"name": "Westland"}, WEST), ({"name": "Eastland"}, EAST)],
    )
    pack, problems = load_pack(folder)
    assert problems == []
    return topology.map_data(pack)


def test_a_cession_sets_the_precision_of_the_lines_it_draws(tmp_path):
    data = tiny_with_today(tmp_path)
    new_line = td.nearest_arc(data, 0.5, 0.5)  # between West's halves, drawn in 1813
    assert data["q"][new_line] == [[D(1800), "a"], [D(1813, 10, 24), "m"]]


def test_the_event_can_state_the_precision_of_all_its_lines(tmp_path):
    data = tiny_with_today(tmp_path, border_precision="precise")
    assert data["q"][td.nearest_arc(data, 0.5, 0.5)] == [[D(1800), "a"], [D(1813, 10, 24), "p"]]


def test_todays_border_is_precise_once_no_cession_changes_its_sides(tmp_path):
    data = tiny_with_today(tmp_path)
    untouched = td.nearest_arc(data, 1.0, 0.75)  # West's upper half | East: never ceded
    moved = td.nearest_arc(data, 1.0, 0.25)  # West's lower half | East: lower ceded in 1813
    assert data["modern"] == sorted([untouched, moved])
    assert data["q"][untouched] == [[D(1800), "p"]]
    assert data["q"][moved] == [[D(1800), "a"], [D(1813, 10, 24), "p"]]


def test_a_renaming_is_not_a_cession(tmp_path):
    renaming = syn.event(
        dt.date(1900, 1, 1), kind="succession", successions=[{"from": "east", "to": "east_new"}]
    )
    data = tiny_with_today(tmp_path, {"renaming-1900": renaming})
    moved = td.nearest_arc(data, 1.0, 0.25)
    assert data["q"][moved] == [[D(1800), "a"], [D(1813, 10, 24), "p"]]
    assert data["q"][td.nearest_arc(data, 0.5, 0.5)] == [[D(1800), "a"], [D(1813, 10, 24), "m"]]


def test_todays_border_across_an_atom_gets_arcs_of_its_own(tmp_path):
    """Today the lower right quarter of West belongs with East: the border runs through both
    of West's atoms, then along West's upper half, and the overlay must be one unbroken line."""
    folder = two_state_world(tmp_path / "tiny", {"cession-1813": cession_1813()})
    (folder / "base").mkdir()
    quarter = shapely.box(0.5, 0, 1, 0.5)
    geojson.write(
        folder / "base" / "admin0.geojson",
        [({"name": "A"}, WEST.difference(quarter)), ({"name": "B"}, EAST.union(quarter))],
    )
    pack, problems = load_pack(folder)
    assert problems == []
    data = topology.map_data(pack)
    lines = td.arc_lines(data)
    overlay = shapely.line_merge(shapely.union_all([lines[i] for i in data["modern"]]))
    assert overlay.geom_type == "LineString"  # one line: the extra arc reaches the drawn one
    assert overlay.length == pytest.approx(1.5, abs=2 * GRID)
    crossing = [i for i in data["modern"] if data["sides"][i] == [-1, -1]]
    assert crossing
    assert all(data["q"][i] == [] for i in crossing)
    assert td.nearest_arc(data, 1.0, 0.75) in data["modern"]


def test_context_land_reaches_the_scope_across_slivers(tmp_path):
    """Admin-0 gives Westland a sliver 1 km wide along the scope's northern edge: it joins
    Northland's land beyond it, so no gap opens between the scope and the land around it."""
    folder = two_state_world(tmp_path / "tiny", {"cession-1813": cession_1813()})
    (folder / "base").mkdir()
    westland = shapely.union(shapely.box(-2, 0, 0, 1), shapely.box(0.2, 1, 1, 1.01))
    geojson.write(
        folder / "base" / "admin0.geojson",
        [
            ({"name": "Westland"}, westland),
            ({"name": "Eastland"}, EAST),
            ({"name": "Northland"}, shapely.box(-2, 1, 2, 3).difference(westland)),
        ],
    )
    pack, problems = load_pack(folder)
    assert problems == []
    data = topology.map_data(pack)
    points = td.arc_points(data)
    north = td.shape(
        data, next(c for c in data["context"] if c["n"] == "Northland")["arcs"], points
    )
    scope_edge = shapely.LineString([(0, 1), (2, 1)])
    assert north.intersection(scope_edge).length == pytest.approx(2.0)


def test_a_pack_without_modern_countries_has_no_context(world):
    data = topology.map_data(world)
    assert data["context"] == []
    assert data["modern"] == []
    assert len(data["atoms"]) == 3
    outside = [arc for arc, pair in enumerate(data["sides"]) if min(pair) < 0]
    assert outside
    assert all(max(data["sides"][arc]) >= 0 for arc in outside)


def test_names_from_the_data_are_escaped(tmp_path):
    polities = {
        "west": {"names": {"en": "<b>West & Co</b>"}, "colour": "#112233"},
        "east": syn.polity_table("east", 1),
    }
    event = syn.event(
        dt.date(1813, 10, 24),
        [syn.transfer("lower", "west", "east", half(0, "lower"), name="<i>Lower</i>")],
    )
    folder = syn.write_pack(
        tmp_path / "names", polities, [("west", WEST), ("east", EAST)], {"e-1813": event}
    )
    (folder / "base").mkdir()
    geojson.write(
        folder / "base" / "admin0.geojson",
        [({"name": "<script>x</script>"}, shapely.box(-2, 0, 0, 1))],
    )
    pack, problems = load_pack(folder)
    assert problems == []
    text = td.compact(topology.map_data(pack)).decode()
    assert "<" not in text
    assert "&lt;b&gt;West &amp; Co&lt;/b&gt;" in text
    assert "&lt;i&gt;Lower&lt;/i&gt;" in text
    assert "&lt;script&gt;x&lt;/script&gt;" in text

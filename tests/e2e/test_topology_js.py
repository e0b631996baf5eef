"""static/topology.js in Chromium: the decoder's days, borders, outlines and shapes agree with
the engine and with shapely, on the bundled pack's real map data."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely

from geo import layers, render, timeline, topology
from tests import topology_data as td
from tests.e2e.conftest import ROOT

DAYS = [
    dt.date(1800, 6, 1),
    dt.date(1813, 10, 23),
    dt.date(1813, 10, 24),
    dt.date(1828, 2, 22),
    dt.date(1881, 12, 21),
    dt.date(1918, 6, 4),
    dt.date(1921, 1, 1),
    dt.date(1936, 1, 1),
    dt.date(1992, 1, 1),
    dt.date(2025, 6, 1),
]
GRID = topology.GRID


@pytest.fixture(scope="module")
def data(pack):
    return render.map_data(pack)  # computed once per pack for every test that needs it


@pytest.fixture
def decoder(page, context, data, tmp_path):
    """A page holding the pack's map data and topology.js, decoded into window.topo."""
    html = tmp_path / "topology.html"
    script = (ROOT / "static" / "topology.js").as_uri()
    html.write_text(
        "<!doctype html><meta charset='utf-8'><title>topology</title>"
        f"<script src='{script}'></script>"
        f"<script>window.topo = TreatyTopology.decode({layers.script_json(data)});</script>",
        encoding="utf-8",
    )
    # Local files are as offline as loopback; everything else stays blocked.
    context.route(lambda url: url.startswith("file://"), lambda route: route.continue_())
    page.goto(html.as_uri())
    page.wait_for_function("window.topo !== undefined")
    yield page
    assert page.errors == []
    assert context.blocked == []


def length(polylines: list) -> float:
    """Total length of [[lat, lng], ...] polylines, in degrees as the engine measures."""
    return sum(shapely.LineString([(lng, lat) for lat, lng in line]).length for line in polylines)


def lonlat_shape(polygons: list):
    return shapely.MultiPolygon(
        [
            shapely.Polygon(
                [(lng, lat) for lat, lng in rings[0]],
                [[(lng, lat) for lat, lng in ring] for ring in rings[1:]],
            )
            for rings in polygons
        ]
    )


def test_holders_agree_with_the_engine(decoder, pack, data):
    index = {p["id"]: i for i, p in enumerate(data["polities"])}
    days = [d.toordinal() for d in DAYS] + [pack.baseline_date.toordinal() - 1]
    got = decoder.evaluate(
        "days => days.map(d => Array.from({length: topo.atomCount}, (_, i) => topo.holder(i, d)))",
        days,
    )
    for day, holders in zip(days, got, strict=True):
        expected = []
        for atom in range(len(data["atoms"])):
            periods = timeline.history_of_atom(pack, atom)
            held = [p.polity for p in periods if p.start.toordinal() <= day]
            expected.append(index[held[-1]] if held else -1)
        assert holders == expected, dt.date.fromordinal(day)


def test_borders_of_a_day_are_the_lines_between_different_holders(decoder, pack, data):
    atoms = layers.simplified_atoms(pack)
    scope = shapely.union_all(atoms)
    lines = td.arc_lines(data)
    for day in DAYS:
        got = decoder.evaluate("d => topo.borders(d)", day.toordinal())
        # Computed with shapely from the engine's territories on that day.
        territories = [
            shapely.union_all([atoms[i] for i in row.atoms])
            for row in timeline.borders_at(pack, day).itertuples()
        ]
        between = (sum(t.length for t in territories) - scope.length) / 2
        drawn = length(got["p"]) + length(got["m"]) + length(got["a"])
        assert drawn == pytest.approx(between, rel=0.01), day
        assert length(got["scope"]) == pytest.approx(scope.length, rel=0.01)
        # Grouped by each arc's precision on that day, as the format says.
        expected = {"p": 0.0, "m": 0.0, "a": 0.0}
        for arc, (left, right) in enumerate(data["sides"]):
            if min(left, right) < 0:
                continue
            d = day.toordinal()
            if td.holder(data, left, d) != td.holder(data, right, d):
                expected[td.precision(data, arc, d)] += lines[arc].length
        for group, total in expected.items():
            assert length(got[group]) == pytest.approx(total, abs=1e-6), (day, group)


def test_precise_borders_today_and_approximate_ones_in_1800(decoder):
    today = decoder.evaluate("d => topo.borders(d)", dt.date(2025, 6, 1).toordinal())
    early = decoder.evaluate("d => topo.borders(d)", dt.date(1800, 6, 1).toordinal())
    assert length(today["p"]) > 0
    assert length(early["p"]) == 0
    assert length(early["a"]) > 0


def test_outline_and_bounds_of_each_transfer(decoder, pack, data):
    atoms = layers.simplified_atoms(pack)
    for event in pack.events:
        for transfer, entry in zip(
            event.transfers, data["transfers"].get(event.id, []), strict=True
        ):
            members = entry["atoms"]
            got = decoder.evaluate("a => [topo.outline(a), topo.bounds(a)]", members)
            drawn = shapely.union_all([atoms[i] for i in members])
            assert length(got[0]) == pytest.approx(drawn.length, rel=0.01), transfer.id
            (south, west), (north, east) = got[1]
            minx, miny, maxx, maxy = transfer.geometry.bounds
            assert [west, south, east, north] == pytest.approx([minx, miny, maxx, maxy], abs=0.05)


def test_atom_shapes_are_the_simplified_atoms(decoder, pack):
    got = decoder.evaluate(
        "() => Array.from({length: topo.atomCount}, (_, i) => topo.atomLatLngs(i))"
    )
    for polygons, drawn in zip(got, layers.simplified_atoms(pack), strict=True):
        shape = lonlat_shape(polygons)
        assert shape.is_valid
        assert shapely.symmetric_difference(shape, drawn).area <= drawn.length * GRID


def test_labels_of_a_day_name_its_holders(decoder, pack, data):
    for day in DAYS:
        got = decoder.evaluate("d => topo.labels(d)", day.toordinal())
        holders = sorted(timeline.borders_at(pack, day).polity)
        assert sorted(data["polities"][row["p"]]["id"] for row in got) == holders
        assert all(row["area"] > 0 for row in got)


def test_context_and_todays_borders(decoder, data):
    context = decoder.evaluate("() => topo.context()")
    assert [c["n"] for c in context] == [c["n"] for c in data["context"]]
    for entry in context:
        land = lonlat_shape(entry["latlngs"])
        assert land.contains(shapely.Point(entry["lng"], entry["lat"]))
    modern = decoder.evaluate("() => topo.modernLines()")
    lines = td.arc_lines(data)
    assert length(modern) == pytest.approx(sum(lines[i].length for i in data["modern"]))
    assert len(modern) < len(data["modern"])  # arcs joined into longer lines

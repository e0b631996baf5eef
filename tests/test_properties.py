"""Property tests: after any sequence of valid transfers the borders stay a partition of the
scope (no overlaps, no land lost) and the fast path equals the reference fold."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import synthetic as syn
from geo import timeline
from geo.catalog import load_pack

COLS, ROWS = 3, 2
POLITIES = ["a", "b", "c"]
START = dt.date(1800, 1, 1)

boxes = st.tuples(
    st.floats(0, COLS, allow_nan=False),
    st.floats(0, ROWS, allow_nan=False),
    st.floats(0.2, 2.5, allow_nan=False),
    st.floats(0.2, 2.0, allow_nan=False),
).map(lambda t: shapely.box(t[0], t[1], min(t[0] + t[2], COLS), min(t[1] + t[3], ROWS)))
moves = st.lists(
    st.tuples(st.integers(1, 400), boxes, st.sampled_from(POLITIES), st.sampled_from(POLITIES)),
    max_size=6,
)


def build_world(folder: Path, steps) -> tuple:
    """Write a pack whose transfers are the given boxes cut to the giver's land at the time."""
    polities = {p: syn.polity_table(p, i) for i, p in enumerate(POLITIES)}
    baseline = [
        (POLITIES[c % len(POLITIES)], syn.cell(c, r)) for c in range(COLS) for r in range(ROWS)
    ]
    holdings = {p: shapely.union_all([g for q, g in baseline if q == p]) for p in POLITIES}
    events, day = {}, START
    for n, (gap, box, source, target) in enumerate(steps):
        day += dt.timedelta(days=gap)
        moved = shapely.set_precision(shapely.intersection(holdings[source], box), 1e-5)
        parts = [p for p in shapely.get_parts(moved) if p.geom_type == "Polygon" and p.area > 1e-4]
        if source == target or not parts:
            continue
        moved = shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]
        holdings[source] = shapely.difference(holdings[source], moved)
        holdings[target] = shapely.union(holdings[target], moved)
        events[f"e{n}"] = syn.event(day, [syn.transfer("t", source, target, moved)])
    syn.write_pack(folder, polities, baseline, events)
    pack, problems = load_pack(folder)
    return pack, problems, sorted({e["date"] for e in events.values()} | {START})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moves)
def test_borders_stay_a_partition_and_match_the_reference_fold(steps):
    with tempfile.TemporaryDirectory() as tmp:
        pack, problems, days = build_world(Path(tmp) / "world", steps)
    assert problems == [], [str(p) for p in problems]
    total = COLS * ROWS
    for day in days:
        frame = timeline.borders_at(pack, day)
        geoms = list(frame.geometry)
        assert sum(g.area for g in geoms) == pytest.approx(total, abs=1e-6)
        assert shapely.union_all(geoms).area == pytest.approx(total, abs=1e-6)
        assert frame.polity.is_unique
        slow = timeline.reference_fold(pack, day)
        assert set(frame.polity) == set(slow)
        for row in frame.itertuples():
            assert shapely.symmetric_difference(row.geometry, slow[row.polity]).area < 1e-6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moves, st.floats(0.01, COLS - 0.01), st.floats(0.01, ROWS - 0.01))
def test_history_of_a_point_agrees_with_borders_at_every_change(steps, lon, lat):
    with tempfile.TemporaryDirectory() as tmp:
        pack, problems, days = build_world(Path(tmp) / "world", steps)
    assert problems == []
    point = shapely.Point(lon, lat)
    atom = timeline.atom_at(pack, lon, lat)
    periods = timeline.history_of_atom(pack, atom)
    for day in days:
        frame = timeline.borders_at(pack, day)
        containing = [r.polity for r in frame.itertuples() if r.geometry.covers(point)]
        holder = [p.polity for p in periods if p.start <= day][-1]
        assert holder in containing

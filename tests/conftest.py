"""Tiny synthetic worlds shared by the tests (unit squares with exact shared vertices)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import shapely

from geo import synthetic as syn
from geo.catalog import load_pack

D = dt.date
WEST, EAST = syn.cell(0, 0), syn.cell(1, 0)


def two_state_world(folder: Path, events: dict | None = None, **meta) -> Path:
    """West holds cell (0,0) and East holds cell (1,0) on 1800-01-01."""
    polities = {"west": syn.polity_table("west", 0), "east": syn.polity_table("east", 1)}
    baseline = [("west", WEST), ("east", EAST)]
    return syn.write_pack(folder, polities, baseline, events or {}, meta or None)


def half(col: int, part: str):
    """The lower or upper half of a unit cell."""
    y0 = 0.0 if part == "lower" else 0.5
    return shapely.box(col, y0, col + 1, y0 + 0.5)


@pytest.fixture
def world(tmp_path):
    """A loaded two-state world where East takes West's lower half in 1813."""
    folder = two_state_world(
        tmp_path / "tiny",
        {
            "cession-1813": syn.event(
                D(1813, 10, 24),
                [syn.transfer("lower", "west", "east", half(0, "lower"))],
                kind="treaty",
                signed=D(1813, 10, 24),
                parties=["west", "east"],
            ),
        },
    )
    pack, problems = load_pack(folder)
    assert problems == []
    return pack

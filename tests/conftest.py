"""Tiny synthetic worlds shared by the tests (unit squares with exact shared vertices)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import shapely

from geo import synthetic as syn
from geo.catalog import TREATIES, load_pack

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


def cession_1813(**extra) -> dict:
    """The tiny world's treaty: East takes West's lower half on 24 October 1813."""
    return syn.event(
        D(1813, 10, 24),
        [syn.transfer("lower", "west", "east", half(0, "lower"))],
        kind="treaty",
        signed=D(1813, 10, 24),
        parties=["west", "east"],
        **extra,
    )


def tiny_world(folder: Path, more_events: dict | None = None, **meta) -> Path:
    """The two-state world with its 1813 cession (and any further events)."""
    return two_state_world(folder, {"cession-1813": cession_1813(), **(more_events or {})}, **meta)


@pytest.fixture
def world(tmp_path):
    """A loaded two-state world where East takes West's lower half in 1813."""
    folder = tiny_world(tmp_path / "tiny")
    pack, problems = load_pack(folder)
    assert problems == []
    return pack


@pytest.fixture(scope="session")
def pack():
    """The bundled russia-iran pack, loaded once for every test that reads it."""
    loaded, problems = load_pack(TREATIES / "russia-iran")
    assert problems == []
    return loaded

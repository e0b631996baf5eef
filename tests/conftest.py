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


# Payloads that would run script or make a link if any text reached a page unescaped.
IMG = '<img src=x onerror="window.top.__xss=1">'
SCRIPT = "<script>window.top.__xss=2</script>"
SVG = '<svg onload="window.top.__xss=4"></svg>'
ALERT = "<img src=x onerror=alert(1)>"
JS_URL = "javascript:window.top.__xss=3"


def payload_treaty() -> dict:
    """The tiny world's 1813 treaty with a payload in every text field its card shows."""
    return syn.event(
        D(1813, 10, 24),
        [
            syn.transfer(
                "lower",
                "west",
                "east",
                half(0, "lower"),
                name=f"{SVG}Lowland",
                note=f"{ALERT}note on the lowland",
                modern_units=[f"{SCRIPT}unit"],
                method=f"{IMG}method",
                published_area_km2=1234,
                sources=["sneaky"],
            )
        ],
        kind="treaty",
        signed=D(1813, 10, 24),
        parties=["west", "east"],
        names={"en": f"{SCRIPT}Treaty of Payloads", "ru": IMG},
        summary=f"**not bold** <b>not bold either</b> [x]({JS_URL})",
        place=f"{ALERT}Payload Hill",
        status=f"[status link]({JS_URL})",
        clauses=[{"topic": SVG, "text": f"{IMG}clause text", "article": f"{ALERT}7"}],
    )


def xss_world(folder: Path) -> Path:
    """The tiny world with HTML, script and Markdown payloads in every text field a card,
    legend, tooltip or page footer shows (URLs stay http(s) here: validation allows nothing
    else; tests that need other schemes change ``pack.meta`` after loading)."""
    sources = {
        "synthetic": {
            "title": f'<iframe src="{JS_URL}">',
            "kind": "primary",
            "author": IMG,
            "year": 1999,
        },
        "sneaky": {
            "title": "Quote breaker",
            "kind": "web",
            "url": 'https://example.org/"onmouseover="window.top.__xss=6',
            "publisher": SCRIPT,
            "note": f"{ALERT}source note",
        },
    }
    pack = two_state_world(
        folder,
        {"cession-1813": payload_treaty()},
        scope={"description": f"{IMG}the grid", "limitations": [SCRIPT]},
        sources=sources,
        title=f"{SVG}Payload pack",
    )
    text = (pack / "polities.toml").read_text()
    (pack / "polities.toml").write_text(text.replace('en = "West"', f"en = '{IMG}West'"))
    return pack

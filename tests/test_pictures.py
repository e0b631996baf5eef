"""The picture check: borders of the russia-iran pack at eight dates rendered to PNG.

The files land in test-output/pictures/ for people to look at; the test checks what a machine
can: size, that the map is not blank, that each holder's colour appears, and the title.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from geo import picture
from geo.areas import area_km2
from geo.catalog import load_pack
from geo.timeline import borders_at
from tests.conftest import two_state_world

OUT = Path(__file__).resolve().parent.parent / "test-output" / "pictures"
YEARS = [1800, 1814, 1829, 1882, 1894, 1919, 1930, 1995]


@pytest.mark.parametrize("year", YEARS)
def test_borders_picture(pack, year):
    day = dt.date(year, 1, 1) if year == 1800 else dt.date(year, 12, 31)
    path = picture.render(pack, day, OUT / f"borders-{year}.png")
    image = Image.open(path)
    assert image.size[0] >= 1600
    assert image.size[1] >= 1000
    assert f"Borders on {day.day} {day.strftime('%B')} {year}" in image.info["Title"]
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    colours = {tuple(c) for c in pixels[::97]}
    assert len(colours) > 50  # not blank
    frame = borders_at(pack, day)
    largest = frame.assign(area=area_km2(frame.geometry.values)).sort_values("area").iloc[-1]
    rgb = tuple(int(largest.colour[i : i + 2], 16) for i in (1, 3, 5))
    # The largest holder's fill (drawn at 85 % over the land colour) covers many pixels.
    blended = np.array(rgb) * 0.85 + np.array([0xEC, 0xEB, 0xE6]) * 0.15
    near = np.abs(pixels - blended).max(axis=1) < 6
    assert near.sum() > 20_000


def test_treaty_picture_highlights_the_transfers(pack, tmp_path):
    event = pack.event("turkmenchay-1828")
    path = picture.render(pack, event.effective, tmp_path / "turkmenchay.png", event=event)
    image = Image.open(path)
    assert "Treaty of Turkmenchay" in image.info["Title"]
    assert image.size == (picture.WIDTH_PX, picture.HEIGHT_PX)


def test_names_with_dollar_signs_are_drawn_as_text(tmp_path):
    folder = two_state_world(tmp_path / "dollars")
    text = (folder / "polities.toml").read_text()
    (folder / "polities.toml").write_text(text.replace('en = "West"', "en = '$\\foo$ West'"))
    world, problems = load_pack(folder)
    assert problems == []
    assert world.polities["west"].name == "$\\foo$ West"
    # matplotlib would parse "$\\foo$" as mathematics and fail; it must stay plain text.
    path = picture.render(world, dt.date(1900, 1, 1), tmp_path / "dollars.png")
    assert Image.open(path).size == (picture.WIDTH_PX, picture.HEIGHT_PX)

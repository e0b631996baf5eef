"""The README's notebook example runs against today's code, from any working directory."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import matplotlib.pyplot as plt

from geo.query import where

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks(text: str) -> list[str]:
    """The fenced Python blocks, each padded with blank lines so that an error in it is
    reported at its line in README.md."""
    pattern = re.compile(r"^```python\n(.*?)^```$", flags=re.DOTALL | re.MULTILINE)
    return ["\n" * text.count("\n", 0, m.start(1)) + m[1] for m in pattern.finditer(text)]


def test_readme_has_one_notebook_example():
    assert len(python_blocks(README.read_text(encoding="utf-8"))) == 1


def test_readme_notebook_example_runs(tmp_path, monkeypatch):
    (block,) = python_blocks(README.read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)  # a notebook's folder is not the checkout
    names: dict = {}
    exec(compile(block, str(README), "exec"), names)
    plt.close("all")  # the example ends with a plot (matplotlib draws off-screen without a display)

    borders = names["borders"]
    assert isinstance(borders, gpd.GeoDataFrame)
    assert len(borders) > 1
    assert borders["polity"].is_unique
    assert (borders["area_km2"] > 0).all()

    pack = names["pack"]
    history = names["history"]
    first = where(pack, 44.51, 40.18, pack.baseline_date).polity.name
    last = where(pack, 44.51, 40.18, pack.end_date).polity.name
    assert (history["holder"].iloc[0], history["holder"].iloc[-1]) == (first, last)

    transfers = names["transfers"]
    assert isinstance(transfers, gpd.GeoDataFrame)
    assert len(transfers) == len(pack.event("turkmenchay-1828").transfers) > 0
    assert (transfers["area_km2"] > 0).all()
    assert not transfers.geometry.is_empty.any()
    assert len(names["moved"]) > 0

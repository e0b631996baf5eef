"""Exports opened and checked: PNG decoded, GIF/MP4 frames counted, data files read back."""

from __future__ import annotations

import csv
import json

import imageio.v3 as iio
import numpy as np
import pytest
from PIL import Image

from geo import export
from geo.cli import main
from geo.lessons import lesson_files, read_lesson
from tests.html_reader import PageReader


def test_png_export_is_print_ready(tmp_path):
    out = tmp_path / "turkmenchay.png"
    status = main(
        ["export", "png", "--event", "turkmenchay-1828", "--date", "1828-02-22", "--out", str(out)]
    )
    assert status == 0
    image = Image.open(out)
    assert image.size[0] >= 1600
    assert image.size[1] >= 1000
    assert "Russia and Persia/Iran" in image.info["Title"]
    assert "Treaty of Turkmenchay" in image.info["Title"]
    pixels = np.asarray(image.convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3)[::50], axis=0)) > 50
    # The title is drawn: dark text pixels in the band at the top of the picture.
    assert (pixels[:80].min(axis=2) < 60).sum() > 1000


@pytest.mark.parametrize("kind", ["gif", "mp4"])
def test_animation_has_one_frame_per_change(pack, tmp_path, kind):
    out = tmp_path / f"caucasus.{kind}"
    assert main(["export", kind, "--from", "1800", "--to", "1830", "--out", str(out)]) == 0
    expected = len(export.change_days(pack, 1800, 1830))
    frames = iio.imread(out, index=None, plugin=None if kind == "gif" else "FFMPEG")
    assert expected > 10
    assert len(frames) == expected
    assert frames[0].shape[0] >= 700


def test_animation_every_n_years(pack, tmp_path):
    out = tmp_path / "decades.gif"
    frames = export.animation(pack, 1900, 1999, out, every=25)
    assert frames == len(iio.imread(out, index=None)) == 4


def test_data_export_has_every_event_and_transfer(pack, tmp_path):
    assert main(["export", "data", "--out", str(tmp_path)]) == 0
    with (tmp_path / "events.csv").open(encoding="utf-8") as handle:
        events = list(csv.DictReader(handle))
    assert [e["id"] for e in events] == [e.id for e in pack.events]
    gulistan = next(e for e in events if e["id"] == "gulistan-1813")
    assert gulistan["name_fa"] == "عهدنامه گلستان"
    with (tmp_path / "transfers.csv").open(encoding="utf-8") as handle:
        transfers = list(csv.DictReader(handle))
    assert len(transfers) == sum(len(e.transfers) for e in pack.events)
    erivan = next(t for t in transfers if t["event"] == "turkmenchay-1828" and "rivan" in t["name"])
    computed = pack.timeline.transfer_areas[("turkmenchay-1828", erivan["transfer"])]
    assert float(erivan["area_km2"]) == pytest.approx(computed, abs=0.1)
    features = json.loads((tmp_path / "transfers.geojson").read_text())["features"]
    assert len(features) == len(transfers)
    with (tmp_path / "sources.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == len(pack.meta["sources"])


def test_every_lesson_file_is_valid(pack):
    files = lesson_files()
    assert len(files) >= 2
    for path in files:
        lesson, problems = read_lesson(path, {pack.id: pack})
        assert problems == []
        assert len(lesson.steps) >= 5


def test_bad_lesson_is_reported(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'title = "x"\naudience = "y"\npack = "russia-iran"\n\n[[steps]]\n'
        'event = "no-such-treaty"\ncaption = "z"\n'
    )
    assert main(["export", "lesson", str(bad), "--out", str(tmp_path / "x.html")]) == 2
    assert "unknown event 'no-such-treaty'" in capsys.readouterr().err


def test_html_export_is_self_contained_and_small(tmp_path):
    out = tmp_path / "full.html"
    assert main(["export", "html", "--out", str(out)]) == 0
    page = PageReader(out.read_text(encoding="utf-8"))
    assert out.stat().st_size < 1.5 * 1024 * 1024
    # Scripts and styles are inside the page; nothing is fetched, not even from file://.
    fetched = [
        a.get("src") or a.get("href")
        for tag, a in page.tags
        if tag in ("script", "link", "img", "iframe") and (a.get("src") or a.get("href"))
    ]
    assert fetched == []
    html_text = out.read_text(encoding="utf-8")
    for code in (
        "Leaflet 1.9.3, a JS library",
        "window.TreatyTopology",
        "window.TimeMap",
        ".tm-legend",
    ):
        assert code in html_text
    assert "Treaty of Turkmenchay" in page.text
    assert "What this map cannot show" in page.text

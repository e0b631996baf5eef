"""Exports opened and checked: PNG decoded, PDF parsed, GIF/MP4 frames counted, data read back."""

from __future__ import annotations

import csv
import json

import imageio.v3 as iio
import matplotlib.pyplot as plt
import numpy as np
import pypdf
import pytest
from PIL import Image

from geo import export, picture
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


TURKMENCHAY = ["--event", "turkmenchay-1828", "--date", "1828-02-22"]


def test_pdf_export_is_vector_print_with_the_pictures_words_as_text(pack, tmp_path):
    out = tmp_path / "turkmenchay.pdf"
    assert main(["export", "pdf", *TURKMENCHAY, "--out", str(out)]) == 0
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert "Treaty of Turkmenchay" in reader.metadata.title
    # Every piece of text the picture draws (title, legend, holders, towns, rivers) is text in
    # the PDF, not curves: a reader can select and search it.
    event = pack.event("turkmenchay-1828")
    fig = picture.draw(pack, event.effective, event)
    drawn = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]
    plt.close(fig)
    words = set(page.extract_text().split())
    expected = {w.replace("\\$", "$") for text in drawn for w in text.split()}
    assert {"Yerevan", "Nakhchivan", "Aras", "Russian", "Qajar", "Persia"} <= expected
    assert expected - words == set()
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:  # TrueType embedded, never a Type 3 font drawn as curves
        assert font["/Subtype"] == "/Type0"
        assert "/FontFile2" in font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    images = [
        x.get_object()
        for x in page["/Resources"].get("/XObject", {}).values()
        if x.get_object()["/Subtype"] == "/Image"
    ]
    assert images == []  # drawn as vectors: no embedded raster
    assert out.stat().st_size < 2_000_000


def test_pdf_export_gives_the_same_bytes_every_time(tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (first, second):
        assert main(["export", "pdf", "--date", "1829-12-31", "--out", str(out)]) == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("kind", ["png", "pdf"])
def test_picture_export_refuses_a_file_of_another_kind(tmp_path, capsys, kind):
    other = "pdf" if kind == "png" else "png"
    out = tmp_path / f"map.{other}"
    assert main(["export", kind, *TURKMENCHAY, "--out", str(out)]) == 2
    assert f"--out must end in .{kind}" in capsys.readouterr().err
    assert not out.exists()


def test_download_panel_makes_the_pdf(pack):
    from dashboard.downloads import picture_bytes

    event = pack.event("turkmenchay-1828")
    data = picture_bytes(pack, event.effective, event, "pdf")
    assert data.startswith(b"%PDF-")
    assert b"/FontFile2" in data


@pytest.mark.parametrize("kind", ["gif", "mp4"])
def test_animation_has_one_frame_per_change(pack, tmp_path, kind):
    out = tmp_path / f"caucasus.{kind}"
    assert main(["export", kind, "--from", "1800", "--to", "1830", "--out", str(out)]) == 0
    # One frame per event that moved land or renamed a holder in the years asked for.
    expected = sum(
        1
        for e in pack.events
        if 1800 <= e.effective.year <= 1830
        and (e.successions or any(t.mode == "cession" for t in e.transfers))
    )
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
        sources = list(csv.DictReader(handle))
    assert len(sources) == len(pack.meta["sources"])
    assert {s["id"]: s["kind"] for s in sources} == {
        k: s["kind"] for k, s in pack.meta["sources"].items()
    }


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


def test_a_treaty_page_is_small_enough_to_mail(pack):
    from geo import pages

    page = pages.standalone_html(pack, pack.event("turkmenchay-1828"))
    assert len(page.encode()) <= 500_000
    # The treaty's own card is whole; every other event is still named on the page.
    assert "Notable clauses" in page
    shown = PageReader(page).text
    for event in pack.events:
        assert event.name in shown, event.id

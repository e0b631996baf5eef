"""Pictures checked as a reader would and as a machine can: what is drawn, and where.

Each picture is inspected twice: its matplotlib artists (names, dots, river lines, hatched
transfers, each tagged with a gid) and its pixels (the river's blue along the Aras, hatching
inside the land a treaty moved, the holders' colours). The borders at eight dates also land in
test-output/pictures/ for people to look at.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import shapely
from PIL import Image

from geo import picture, query, reference
from geo.areas import area_km2
from geo.catalog import load_pack
from geo.picture_names import shortened
from geo.timeline import borders_at
from tests.conftest import two_state_world

OUT = Path(__file__).resolve().parent.parent / "test-output" / "pictures"
YEARS = [1800, 1814, 1829, 1882, 1894, 1919, 1930, 1995]
TODAY = dt.date(2025, 1, 1)
# Cities every picture of the whole pack must name, with the holder each lay in on 1 January 2025
# (general knowledge, not read from the pack): a wrong point in the data lands in another holder.
KEY_CITIES = {
    "Tbilisi": "georgia",
    "Yerevan": "armenia",
    "Baku": "azerbaijan",
    "Tabriz": "iran",
    "Nakhchivan": "azerbaijan",
    "Ashgabat": "turkmenistan",
    "Derbent": "russian_federation",
}
MAIN_RIVERS = ["Aras", "Kura", "Atrek (Atrak)"]
RIVER_RGB = np.array([0x21, 0x66, 0xAC])


def drawn(pack, day, event=None):
    """The figure, its map axes and its pixels (rows top-down, as in the PNG)."""
    fig = picture.draw(pack, day, event)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=picture.DPI)
    pixels = np.asarray(Image.open(buffer).convert("RGB")).astype(int)
    return fig, fig.axes[0], pixels


@pytest.fixture(scope="module")
def today(pack):
    fig, ax, pixels = drawn(pack, TODAY)
    yield fig, ax, pixels
    plt.close(fig)


@pytest.fixture(scope="module")
def turkmenchay(pack):
    event = pack.event("turkmenchay-1828")
    fig, ax, pixels = drawn(pack, event.effective, event)
    yield event, fig, ax, pixels
    plt.close(fig)


def names(ax, kind: str) -> dict:
    """The text artists of one kind (holder, place, river), by what they name."""
    return {
        t.get_gid().split(":", 1)[1]: t
        for t in ax.texts
        if (t.get_gid() or "").startswith(f"{kind}:")
    }


def extent(artist):
    return artist.get_window_extent(artist.figure.canvas.get_renderer())


def to_row_col(ax, pixels, lon, lat) -> tuple[int, int]:
    x, y = ax.transData.transform((lon, lat))
    return int(pixels.shape[0] - y), int(x)


def in_geometry(ax, pixels, geometry, inset: float = 0.0) -> np.ndarray:
    """Mask of the map's pixels whose centres lie inside ``geometry`` shrunk by ``inset`` px."""
    frame = ax.get_window_extent()
    shape = shapely.transform(geometry, ax.transData.transform).intersection(
        shapely.box(frame.x0, frame.y0, frame.x1, frame.y1)
    )
    if inset:
        shape = shape.buffer(-inset)
    rows, cols = np.mgrid[0 : pixels.shape[0], 0 : pixels.shape[1]]
    return shapely.contains_xy(shape, cols + 0.5, pixels.shape[0] - rows - 0.5)


# --- the borders at eight dates --------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_borders_picture(pack, year):
    day = dt.date(year, 1, 1) if year == 1800 else dt.date(year, 12, 31)
    path = picture.render(pack, day, OUT / f"borders-{year}.png")
    image = Image.open(path)
    assert image.size == (picture.WIDTH_PX, picture.HEIGHT_PX)
    assert f"Borders on {day.day} {day.strftime('%B')} {year}" in image.info["Title"]
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3).astype(int)
    frame = borders_at(pack, day)
    largest = frame.assign(area=area_km2(frame.geometry.values)).sort_values("area").iloc[-1]
    rgb = tuple(int(largest.colour[i : i + 2], 16) for i in (1, 3, 5))
    # The largest holder's fill (drawn at 85 % over the land colour) covers many pixels.
    blended = np.array(rgb) * 0.85 + np.array([0xEC, 0xEB, 0xE6]) * 0.15
    assert (np.abs(pixels - blended).max(axis=1) < 6).sum() > 20_000


# --- towns -----------------------------------------------------------------------------------


def test_key_cities_are_where_the_pack_puts_their_holders(pack):
    places = {p.name: p for p in reference.places(pack)}
    for city, holder in KEY_CITIES.items():
        answer = query.where(pack, places[city].lon, places[city].lat, TODAY)
        assert answer.polity.id == holder, city


@pytest.mark.parametrize("day", [dt.date(1800, 1, 1), dt.date(1829, 12, 31), TODAY])
def test_key_cities_are_dots_with_their_names_beside_them(pack, day):
    fig, ax, pixels = drawn(pack, day)
    places = {p.name: p for p in reference.places(pack)}
    towns = names(ax, "place")
    dots = {
        line.get_gid().split(":", 1)[1]: line
        for line in ax.lines
        if "dot:" in (line.get_gid() or "")
    }
    for city in KEY_CITIES:
        place = places[city]
        assert city in towns, f"{city} is not named on {day}"
        label = towns[city]
        assert label.get_text() in shortened(city)
        assert label.xy == pytest.approx((place.lon, place.lat))
        assert list(dots[city].get_xydata()[0]) == pytest.approx([place.lon, place.lat])
        # the name touches its dot: within a few pixels of the dot's centre
        x, y = ax.transData.transform((place.lon, place.lat))
        box = extent(label)
        gap = max(box.x0 - x, x - box.x1, box.y0 - y, y - box.y1, 0)
        assert gap < 12, f"{city}'s name is {gap:.0f} px from its dot"
        row, col = to_row_col(ax, pixels, place.lon, place.lat)
        assert pixels[row - 1 : row + 2, col - 1 : col + 2].max(axis=2).min() < 60, city
    plt.close(fig)


def test_towns_outside_the_view_or_the_pack_are_not_named(pack, today):
    _fig, ax, _pixels = today
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    for place in reference.places(pack):
        label = names(ax, "place").get(place.name)
        if label is not None:
            assert x0 <= place.lon <= x1
            assert y0 <= place.lat <= y1
    assert "Baghdad" not in names(ax, "place")  # in the data, but outside the view


# --- rivers ----------------------------------------------------------------------------------


def test_main_rivers_are_blue_lines_with_their_names_along_them(pack, today):
    _fig, ax, _pixels = today
    lines = {
        line.get_gid().split(":", 1)[1]
        for line in ax.lines
        if "river-line:" in (line.get_gid() or "")
    }
    rivers = {r.name: r for r in reference.rivers(pack)}
    for river in MAIN_RIVERS:
        assert river in lines
        label = names(ax, "river")[river]
        assert label.get_text() in shortened(river)
        # the name sits beside the river: its centre within one text height of the line
        box = extent(label)
        line = shapely.transform(rivers[river].geometry, ax.transData.transform)
        centre = shapely.Point((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
        assert line.distance(centre) < 25, river


def test_the_aras_is_drawn_blue_along_its_course(pack, today):
    _fig, ax, pixels = today
    aras = next(r for r in reference.rivers(pack) if r.name == "Aras").geometry
    # where the pack has land (rivers are drawn over it only) and no name lies on top
    land = shapely.union_all(borders_at(pack, TODAY).geometry.values)
    samples = [aras.interpolate(f, normalized=True) for f in np.linspace(0.0, 1.0, 120)]
    covered = [extent(t).padded(3) for t in ax.texts if t.get_gid()]
    samples = [
        p
        for p in samples
        if land.contains(p)
        and not any(box.contains(*ax.transData.transform((p.x, p.y))) for box in covered)
    ]
    assert len(samples) > 60

    def blue_near(point, shift=0):
        row, col = to_row_col(ax, pixels, point.x, point.y)
        window = pixels[row - shift - 1 : row - shift + 2, col - 1 : col + 2].reshape(-1, 3)
        return bool((np.abs(window - RIVER_RGB).max(axis=1) < 45).any())

    assert np.mean([blue_near(p) for p in samples]) > 0.9
    assert np.mean([blue_near(p, shift=12) for p in samples]) < 0.2  # a line, not a blue fill


# --- holders ---------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [dt.date(1829, 12, 31), TODAY])
def test_holder_names_sit_inside_their_land_and_the_largest_is_named(pack, day):
    fig, ax, _pixels = drawn(pack, day)
    frame = borders_at(pack, day).set_index("polity")
    named = names(ax, "holder")
    assert named
    for polity, label in named.items():
        box = extent(label)
        lon, lat = ax.transData.inverted().transform(((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2))
        assert frame.loc[polity].geometry.contains(shapely.Point(lon, lat)), polity
        assert label.get_text().replace("\n", " ") in shortened(pack.polities[polity].name)
    view = shapely.box(*ax.get_xlim()[:1], ax.get_ylim()[0], ax.get_xlim()[1], ax.get_ylim()[1])
    visible = {p: shapely.intersection(g, view).area for p, g in frame.geometry.items()}
    assert max(visible, key=visible.get) in named
    plt.close(fig)


# --- names together --------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["today", "turkmenchay"])
def test_no_two_names_overlap_and_none_leaves_the_map(which, request):
    ax = request.getfixturevalue(which)[-2]
    texts = [t for t in ax.texts if t.get_gid()]
    assert len(texts) > 15
    frame = ax.get_window_extent()
    boxes = [extent(t) for t in texts]
    for box in boxes:
        assert frame.x0 <= box.x0
        assert box.x1 <= frame.x1
        assert frame.y0 <= box.y0
        assert box.y1 <= frame.y1
    for (a, ta), (b, tb) in itertools.combinations(zip(boxes, texts, strict=True), 2):
        overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
        overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
        assert min(overlap_x, overlap_y) <= 0.5, f"{ta.get_gid()} overlaps {tb.get_gid()}"
    dots = [line for line in ax.lines if "dot:" in (line.get_gid() or "")]
    for dot, text in itertools.product(dots, texts):
        if text.get_gid() != dot.get_gid().replace("place-dot:", "place:"):
            x, y = ax.transData.transform(dot.get_xydata()[0])
            assert not extent(text).contains(x, y), f"{text.get_gid()} hides {dot.get_gid()}"


# --- treaties --------------------------------------------------------------------------------


def test_treaty_picture_hatches_the_land_it_moved(pack, turkmenchay):
    event, _fig, ax, pixels = turkmenchay
    hatched = [p for p in ax.patches if (p.get_gid() or "").startswith("transfer:")]
    assert {p.get_gid() for p in hatched} == {f"transfer:{t.id}" for t in event.transfers}
    assert all(p.get_hatch() for p in hatched)
    # Pixels: inside the land moved, many pixels are much darker than the holder's fill there;
    # elsewhere in the same holder's land almost none are (the hatching, not the fill, is dark).
    names_mask = np.zeros(pixels.shape[:2], bool)
    for artist in ax.texts + [line for line in ax.lines if "dot:" in (line.get_gid() or "")]:
        box = extent(artist)
        rows = slice(max(int(pixels.shape[0] - box.y1) - 3, 0), int(pixels.shape[0] - box.y0) + 3)
        names_mask[rows, max(int(box.x0) - 3, 0) : int(box.x1) + 3] = True
    moved = shapely.union_all([t.geometry for t in event.transfers])
    holder = borders_at(pack, event.effective).set_index("polity").loc[event.transfers[0].target]
    inside = in_geometry(ax, pixels, moved, inset=6) & ~names_mask
    outside = in_geometry(ax, pixels, holder.geometry.difference(moved), inset=6) & ~names_mask
    assert inside.sum() > 5000
    assert outside.sum() > 5000
    fill = np.median(pixels[outside], axis=0)
    dark = pixels.sum(axis=2) < fill.sum() - 150
    assert dark[inside].mean() > 0.08
    assert dark[outside].mean() < 0.01


def test_treaty_picture_names_the_treaty_in_its_title(pack, tmp_path):
    event = pack.event("turkmenchay-1828")
    path = picture.render(pack, event.effective, tmp_path / "turkmenchay.png", event=event)
    image = Image.open(path)
    assert "Treaty of Turkmenchay" in image.info["Title"]
    assert image.size == (picture.WIDTH_PX, picture.HEIGHT_PX)


# --- packs without reference layers, and awkward names ---------------------------------------


def test_a_pack_without_towns_or_rivers_still_gets_a_picture_with_names(tmp_path):
    world, problems = load_pack(two_state_world(tmp_path / "plain"))
    assert problems == []
    fig, ax, _pixels = drawn(world, dt.date(1900, 1, 1))
    assert set(names(ax, "holder")) == {"west", "east"}
    assert not names(ax, "place")
    assert not names(ax, "river")
    plt.close(fig)


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

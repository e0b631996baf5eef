"""Names on a picture: holders, towns and rivers as label candidates, placed and drawn.

Candidates are measured in the figure's display pixels once the map axes have their final size,
so the collision rules of ``geo.labels`` see what the reader will see. Each candidate offers
boxes in order of preference (positions, then smaller or shorter text); the kept ones are drawn
as text artists tagged with a ``gid`` (``holder:<id>``, ``place:<name>``, ``river:<name>``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import shapely
from matplotlib.text import Text

from geo import labels
from geo.labels import Box, Candidate
from geo.reference import Place, River

HOLDER_SIZES = (15.0, 13.0, 11.5, 10.0, 9.0)  # points, largest first
PLACE_SIZE, KEY_PLACE_SIZE, RIVER_SIZE = 10.5, 11.5, 10.5
HOLDER_INK, PLACE_INK, RIVER_BLUE = "#1e1e1e", "#111111", "#2166ac"
MAX_SCALERANK = 8  # towns less important than this are never named (clutter at this scale)
PAD = 2.0  # pixels kept free around every label
_SIZES: dict = {}  # (text, style, dpi) -> (width, height) in pixels
# a faint light ground under town and river names, so they read over fills, borders and hatching
HALO = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.5}
FAINT_HALO = HALO | {"alpha": 0.3}  # holders' names: enough to read over hatching


@dataclass(frozen=True)
class Drawn:
    """How to draw one option: text anchored at a lon/lat point, offset in points."""

    text: str
    xy: tuple[float, float]
    style: dict
    offset: tuple[float, float] = (0.0, 0.0)
    ha: str = "center"
    va: str = "center"
    rotation: float = 0.0
    halo: dict | None = field(default_factory=lambda: HALO)


@dataclass
class Sheet:
    """The map axes as the label placer sees them: pixels, fonts and text sizes."""

    ax: object
    font_scale: float

    @property
    def px_per_pt(self) -> float:
        return self.ax.figure.dpi / 72

    def px(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.ax.transData.transform((lon, lat))
        return float(x), float(y)

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        lon, lat = self.ax.transData.inverted().transform((x, y))
        return float(lon), float(lat)

    def to_px(self, geometry: shapely.Geometry) -> shapely.Geometry:
        return shapely.transform(geometry, self.ax.transData.transform)

    def measure(self, text: str, style: dict) -> tuple[float, float]:
        """Width and height in pixels of ``text`` drawn with ``style``."""
        # kept across figures of the same DPI: animation frames measure the same names again
        key = (text, tuple(sorted(style.items())), self.ax.figure.dpi)
        if key not in _SIZES:
            artist = Text(0, 0, text, **style)
            artist.set_figure(self.ax.figure)
            extent = artist.get_window_extent(self.ax.figure.canvas.get_renderer())
            _SIZES[key] = (extent.width, extent.height)
        return _SIZES[key]

    def frame(self) -> Box:
        box = self.ax.get_window_extent()
        return (box.x0 + 4, box.y0 + 4, box.x1 - 4, box.y1 - 4)


def shortened(name: str) -> list[str]:
    """The name, then without a bracketed part ("Mary (Merv)" -> "Mary"), if it has one."""
    short = re.sub(r"\s*\([^)]*\)", "", name).strip()
    return [name] if not short or short == name else [name, short]


def wrapped(text: str) -> list[str]:
    """The text on one line, then on two lines split at the space nearest its middle."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return [text]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return [text, text[:cut] + "\n" + text[cut + 1 :]]


def padded(box: Box, pad: float = PAD) -> Box:
    return (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)


def plain(text: str) -> str:
    """Data text shown as written: matplotlib would read $…$ as mathematics."""
    return text.replace("$", r"\$")


# --- holders ---------------------------------------------------------------------------------


def holder_candidates(sheet: Sheet, frame, view: shapely.Geometry) -> list[tuple]:
    """(candidate, options) for every holder with land in view: its name inside its land."""
    visible = [(r, shapely.intersection(r.geometry, view)) for r in frame.itertuples()]
    shapes = [(r, sheet.to_px(g)) for r, g in visible if not g.is_empty]
    total = sum(g.area for _, g in shapes) or 1.0
    found = []
    for row, shape in shapes:
        options = _holder_options(sheet, row, shape)
        if options:
            priority = labels.holder_priority(shape.area / total)
            found.append((Candidate(f"holder:{row.polity}", priority, _boxes(options)), options))
    return found


def _holder_options(sheet: Sheet, row, shape: shapely.Geometry) -> list[tuple[Box, Drawn]]:
    parts = sorted(shapely.get_parts(shape), key=lambda p: -p.area)[:2]
    # Each part's most inland point, found once: it does not depend on the name's size.
    poles = [(part, shapely.ops.polylabel(part, tolerance=2.0)) for part in parts]
    fits = shapely.prepared.prep(shapely.buffer(shapely.simplify(shape, 1.0), 3.0))
    options = []
    for size in HOLDER_SIZES:
        style = {
            "fontsize": size * sheet.font_scale,
            "color": HOLDER_INK,
            "weight": "bold",
            "linespacing": 1.0,
        }
        for text in [w for s in shortened(row.name) for w in wrapped(s)]:
            width, height = sheet.measure(plain(text), style)
            if width * height > shape.area:
                continue
            for x, y in _anchors(poles, width, height):
                box = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
                if fits.contains(shapely.box(*box)):
                    drawn = Drawn(plain(text), sheet.lonlat(x, y), style, halo=FAINT_HALO)
                    options.append((padded(box), drawn))
    return options


def _anchors(poles, width: float, height: float) -> list[tuple[float, float]]:
    """Points to centre a holder's name on, given each (part, its most inland point): that
    point first, then points on a grid over the part, nearest it first (to make way for towns'
    names)."""
    points = []
    for part, pole in poles:
        x0, y0, x1, y1 = part.bounds
        step_x, step_y = max(width / 3, (x1 - x0) / 12), max(height, (y1 - y0) / 12)
        grid = [
            (pole.x + i * step_x, pole.y + j * step_y)
            for i in range(-12, 13)
            for j in range(-12, 13)
            if x0 <= pole.x + i * step_x <= x1 and y0 <= pole.y + j * step_y <= y1
        ]
        grid.sort(key=lambda q: (math.hypot(q[0] - pole.x, q[1] - pole.y), q))
        points += grid
    return points


# --- places ----------------------------------------------------------------------------------


def place_candidates(sheet: Sheet, places: list[Place], land, view) -> list[tuple]:
    """(candidate, options) for the towns worth naming: key places in view, others on land."""
    found = []
    for place in places:
        point = shapely.Point(place.lon, place.lat)
        if not view.contains(point):
            continue
        if not place.key and (
            labels.rank(place.scalerank) > MAX_SCALERANK or not land.contains(point)
        ):
            continue
        priority = labels.place_priority(place.key, place.scalerank, place.pop)
        options = _place_options(sheet, place)
        found.append((Candidate(f"place:{place.name}", priority, _boxes(options)), options))
    return found


def dot_radius(sheet: Sheet, place: Place) -> float:
    """Dot radius in points: larger for key and important places."""
    return 3.2 * sheet.font_scale if place.key or labels.rank(place.scalerank) <= 4 else 2.5


def _place_options(sheet: Sheet, place: Place) -> list[tuple[Box, Drawn]]:
    size = KEY_PLACE_SIZE if place.key else PLACE_SIZE
    style = {"fontsize": size * sheet.font_scale, "color": PLACE_INK}
    x, y = sheet.px(place.lon, place.lat)
    r = dot_radius(sheet, place) * sheet.px_per_pt
    around = _around(r, 2.5 * sheet.px_per_pt)
    full, short = shortened(place.name)[0], shortened(place.name)[-1]
    # the full name in the best position, then the short name anywhere, then the full name
    # elsewhere: a long name stretched away from its dot would seem to name something else
    tries = [(full, around[0])] + [(short, a) for a in around] + [(full, a) for a in around]
    options = []
    for text, (ha, va, dx, dy) in dict.fromkeys(tries):
        w, h = sheet.measure(plain(text), style)
        left = {"left": x + dx, "right": x + dx - w, "center": x + dx - w / 2}[ha]
        bottom = {"bottom": y + dy, "top": y + dy - h, "center": y + dy - h / 2}[va]
        box = _union((left, bottom, left + w, bottom + h), (x - r, y - r, x + r, y + r))
        offset = (dx / sheet.px_per_pt, dy / sheet.px_per_pt)
        drawn = Drawn(plain(text), (place.lon, place.lat), style, offset, ha, va)
        options.append((padded(box), drawn))
    return options


def _around(r: float, gap: float) -> list[tuple[str, str, float, float]]:
    """Label positions around a dot, most readable first: right, left, above, below, corners."""
    d, c = r + gap, (r + gap) * 0.7
    return [
        ("left", "center", d, 0),
        ("right", "center", -d, 0),
        ("center", "bottom", 0, d),
        ("center", "top", 0, -d),
        ("left", "bottom", c, c),
        ("left", "top", c, -c),
        ("right", "bottom", -c, c),
        ("right", "top", -c, -c),
    ]


# --- rivers ----------------------------------------------------------------------------------


def river_candidates(sheet: Sheet, rivers: list[tuple[River, shapely.Geometry]]) -> list[tuple]:
    """(candidate, options) for named rivers, given with their stretches over land: the name
    along a straight stretch."""
    shown = [(river, sheet.to_px(lines)) for river, lines in rivers if river.name]
    longest = max((lines.length for _, lines in shown), default=1.0) or 1.0
    found = []
    for river, lines in shown:
        options = _river_options(sheet, river.name, lines)
        if options:
            priority = labels.river_priority(lines.length / longest)
            found.append((Candidate(f"river:{river.name}", priority, _boxes(options)), options))
    return found


def _river_options(sheet: Sheet, name: str, lines) -> list[tuple[Box, Drawn]]:
    style = {"fontsize": RIVER_SIZE * sheet.font_scale, "color": RIVER_BLUE, "style": "italic"}
    parts = [p for p in shapely.get_parts(shapely.line_merge(lines)) if p.geom_type == "LineString"]
    parts = sorted(parts, key=lambda p: -p.length)[:3]
    options = []
    for text in shortened(name):
        w, h = sheet.measure(plain(text), style)
        for part in parts:
            for fraction in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9):
                for side in (1, -1):
                    found = _along(part, fraction, w, h, side)
                    if found:
                        (x, y), angle, box = found
                        drawn = Drawn(plain(text), sheet.lonlat(x, y), style, rotation=angle)
                        options.append((padded(box), drawn))
    return options


def _along(line, fraction: float, w: float, h: float, side: int):
    """Centre, angle and box of a w×h px label beside ``line`` (above it for side 1, else
    below) around ``fraction`` of its length; None where the line bends too much."""
    if line.length < w * 1.15:
        return None
    start = min(max(fraction * line.length - w / 2, 0.0), line.length - w)
    p0, p1 = line.interpolate(start), line.interpolate(start + w)
    chord = math.hypot(p1.x - p0.x, p1.y - p0.y)
    if chord < 0.9 * w:  # too bendy: the name would leave the river
        return None
    angle = math.degrees(math.atan2(p1.y - p0.y, p1.x - p0.x))
    angle = angle - 180 if angle > 90 else angle + 180 if angle <= -90 else angle
    rad = math.radians(angle)
    mid = line.interpolate(start + w / 2)
    lift = side * (h / 2 + 1.5)  # beside the line, not on it
    x, y = mid.x - math.sin(rad) * lift, mid.y + math.cos(rad) * lift
    ex = w / 2 * abs(math.cos(rad)) + h / 2 * abs(math.sin(rad))
    ey = w / 2 * abs(math.sin(rad)) + h / 2 * abs(math.cos(rad))
    return (x, y), angle, (x - ex, y - ey, x + ex, y + ey)


# --- placing and drawing ---------------------------------------------------------------------


def _boxes(options) -> tuple[Box, ...]:
    return tuple(box for box, _ in options)


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def draw(sheet: Sheet, candidates: list[tuple], obstacles: list[Box], dots: dict) -> list:
    """Place the candidates and draw the kept ones; returns the placements."""
    options = {candidate.key: opts for candidate, opts in candidates}
    placed = labels.place([c for c, _ in candidates], sheet.frame(), obstacles)
    for placement in placed:
        drawn = options[placement.key][placement.choice][1]
        if placement.key in dots:
            dots[placement.key]()
        sheet.ax.annotate(
            drawn.text,
            xy=drawn.xy,
            xytext=drawn.offset,
            textcoords="offset points",
            ha=drawn.ha,
            va=drawn.va,
            rotation=drawn.rotation,
            rotation_mode="anchor",
            annotation_clip=False,
            zorder=6,
            gid=placement.key,
            bbox=drawn.halo,
            **drawn.style,
        )
    return placed

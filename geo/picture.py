"""Print-ready pictures of the borders on a date, rendered server-side with matplotlib.

A picture has a title, the date, a legend of the holders, a scale bar, the attribution, the
holders' names inside their land, the pack's towns and rivers with their names and, for a
treaty, its transferred areas outlined and hatched. The same figure is saved as PNG or as a
vector PDF (fonts embedded, text kept as text). No browser is involved.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # rendering to files only; no display on servers

import matplotlib.pyplot as plt
import shapely
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo import layers, picture_names, reference, text
from geo.pack import Event, Pack
from geo.picture_names import RIVER_BLUE, Sheet, plain
from geo.timeline import borders_at

WIDTH_PX, HEIGHT_PX, DPI = 2000, 1250, 125
LINESTYLES = {"precise": "solid", "moderate": "dashed", "approximate": "dotted"}
LAND, WATER, EDGE = "#ecebe6", "#dfe9f2", "#3b3b3b"
FORMATS = {".png": "png", ".pdf": "pdf"}


def render(
    pack: Pack,
    day: dt.date,
    out: Path,
    event: Event | None = None,
    title: str | None = None,
    subtitle_extra: str | None = None,
    size: tuple[int, int] | None = None,
) -> Path:
    """Write a picture of the borders on ``day``: PNG (at least 1600×1000 px) or PDF by suffix."""
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise ValueError(f"{out}: a picture is written as .png or .pdf")
    fig = draw(pack, day, event, title, subtitle_extra, size)
    heading, subtitle = headings(pack, day, event, title, subtitle_extra)
    try:
        save(fig, out, f"{heading}: {subtitle}", "Natural Earth; " + pack.meta["title"])
    finally:
        plt.close(fig)
    return out


def draw(
    pack: Pack,
    day: dt.date,
    event: Event | None = None,
    title: str | None = None,
    subtitle_extra: str | None = None,
    size: tuple[int, int] | None = None,
) -> Figure:
    """The figure of the borders on ``day``; the caller closes it (``plt.close``)."""
    frame = borders_at(pack, day)
    bounds = pack.timeline.scope.bounds if event is None else _padded(pack, event)
    width, height = size or (WIDTH_PX, HEIGHT_PX)
    scale = width / WIDTH_PX
    fig = plt.figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    ax = _map_axes(fig, bounds)
    _draw_land(ax, pack)
    precisions = _draw_holders(ax, frame)
    if event is not None:
        _draw_transfers(ax, pack, event)
    # The day's holders always cover exactly the pack's scope, whose union is kept.
    land = shapely.intersection(pack.timeline.scope, shapely.box(*bounds))
    rivers = [(r, shapely.intersection(r.geometry, land)) for r in reference.rivers(pack)]
    rivers = [(r, shown) for r, shown in rivers if not shown.is_empty]  # clipped once, used twice
    drawn_rivers = _draw_rivers(ax, rivers)
    bar = _scale_bar(ax, bounds, scale)
    towns = _draw_names(ax, pack, frame, land, rivers, bounds, scale, [bar])
    heading, subtitle = headings(pack, day, event, title, subtitle_extra)
    fig.text(0.02, 0.955, heading, fontsize=22 * scale, weight="bold", va="center")
    fig.text(0.02, 0.915, subtitle, fontsize=15 * scale, va="center")
    _legend(ax, frame, bounds, event, precisions, scale, towns, drawn_rivers)
    _footer(fig, pack, scale)
    for artist in fig.texts:
        artist.set_parse_math(False)
    return fig


def headings(pack: Pack, day: dt.date, event, title, subtitle_extra) -> tuple[str, str]:
    """The picture's title and subtitle (the date, and the event or caption if any)."""
    subtitle = f"Borders on {text.long_date(day)}"
    if event is not None or subtitle_extra:
        subtitle += f" — {subtitle_extra or event.name}"
    return title or pack.meta["title"], subtitle


def save(fig: Figure, out: Path, title: str, source: str) -> None:
    """Save as PNG or PDF by suffix; the same figure gives the same bytes on every run."""
    out.parent.mkdir(parents=True, exist_ok=True)
    kind = FORMATS[out.suffix.lower()]
    if kind == "png":
        fig.savefig(out, dpi=DPI, metadata={"Title": title, "Source": source})
        return
    # Type 42 embeds the TrueType font itself, so text stays selectable and searchable text;
    # no CreationDate keeps reruns byte-identical.
    metadata = {"Title": title, "Subject": "Sources: " + source, "CreationDate": None}
    with matplotlib.rc_context({"pdf.fonttype": 42, "pdf.compression": 6}):
        fig.savefig(out, format="pdf", metadata=metadata)


def _map_axes(fig: Figure, bounds):
    ax = fig.add_axes((0.02, 0.09, 0.70, 0.80))
    ax.set_facecolor(WATER)
    minx, miny, maxx, maxy = bounds
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))
    ax.set_anchor("NW")  # under the title; any room left over goes below the map
    ax.set_xticks([])
    ax.set_yticks([])
    ax.apply_aspect()  # final size now: labels are measured in its pixels
    return ax


def _plot_polygons(ax, geometry, **style) -> None:
    for part in shapely.get_parts(geometry):
        if part.geom_type != "Polygon":
            continue
        xs, ys = part.exterior.xy
        ax.fill(xs, ys, **style)
        for ring in part.interiors:
            hx, hy = ring.xy
            ax.fill(hx, hy, color=style.get("background", WATER), linewidth=0)


def _draw_land(ax, pack: Pack) -> None:
    lines = layers.base_lines(pack)
    for feature in lines["features"] if lines else []:
        _plot_polygons(ax, shapely.geometry.shape(feature["geometry"]), color=LAND, linewidth=0)


def _draw_holders(ax, frame) -> set[str]:
    """Fill every holder's land; returns the border precisions drawn."""
    precisions = set()
    for row in frame.itertuples():
        precision = row.precision
        precisions.add(precision)
        _plot_polygons(
            ax,
            row.geometry,
            facecolor=row.colour,
            edgecolor=EDGE,
            linewidth=0.7,
            alpha=0.85,
            linestyle=LINESTYLES[precision],
            zorder=1,
        )
    return precisions


def hatch_colour(colour: str) -> tuple[float, float, float]:
    """A dark shade of the new holder's colour: hatching must show over that holder's fill."""
    return tuple(0.45 * c for c in to_rgb(colour))


def _draw_transfers(ax, pack: Pack, event: Event) -> None:
    for transfer in event.transfers:
        _plot_polygons(
            ax,
            transfer.geometry,
            facecolor="none",
            edgecolor=hatch_colour(pack.polities[transfer.target].colour),
            hatch="///",
            linewidth=2.2,
            zorder=2,
            gid=f"transfer:{transfer.id}",
        )


def _draw_rivers(ax, rivers) -> list[str]:
    """Draw the rivers' stretches over the holders' land, given as (river, stretch) pairs;
    returns the names of those drawn."""
    drawn = []
    for river, shown in rivers:
        width = 1.6 if river.scalerank <= 6 else 1.1
        for part in shapely.get_parts(shapely.line_merge(shown)):
            if part.geom_type != "LineString":
                continue
            xs, ys = part.xy
            ax.plot(
                xs,
                ys,
                color=RIVER_BLUE,
                linewidth=width,
                zorder=3,
                solid_capstyle="round",
                gid=f"river-line:{river.name}",
            )
        drawn.append(river.name)
    return drawn


def _draw_names(ax, pack: Pack, frame, land, rivers, bounds, scale: float, obstacles) -> list[str]:
    """Names of holders, towns and rivers, placed by the label rules; returns the towns named."""
    sheet = Sheet(ax, max(scale, 0.8))  # small animation frames keep readable names
    view = shapely.box(*bounds)
    places = reference.places(pack)
    candidates = (
        picture_names.holder_candidates(sheet, frame, view)
        + picture_names.place_candidates(sheet, places, land, view)
        + picture_names.river_candidates(sheet, rivers)
    )
    dots = {f"place:{p.name}": _dot_drawer(ax, sheet, p) for p in places}
    placed = picture_names.draw(sheet, candidates, obstacles, dots)
    return [p.key.split(":", 1)[1] for p in placed if p.key.startswith("place:")]


def _dot_drawer(ax, sheet: Sheet, place):
    def draw_dot() -> None:
        radius = picture_names.dot_radius(sheet, place)
        ax.plot(
            place.lon,
            place.lat,
            marker="o",
            markersize=2 * radius,
            markerfacecolor="#111111",
            markeredgecolor="white",
            markeredgewidth=0.8,
            zorder=5,
            gid=f"place-dot:{place.name}",
        )

    return draw_dot


def _scale_bar(ax, bounds, scale: float) -> tuple[float, float, float, float]:
    """Draw a scale bar in the lower left; returns the pixel box it covers."""
    minx, miny, maxx, maxy = bounds
    lat = miny + (maxy - miny) * 0.06
    km_per_degree = 111.32 * math.cos(math.radians(lat))
    target = (maxx - minx) * km_per_degree / 5
    nice = max(v for v in (10, 20, 50, 100, 200, 250, 500, 1000) if v <= max(target, 10))
    x0 = minx + (maxx - minx) * 0.04
    x1 = x0 + nice / km_per_degree
    ax.plot([x0, x1], [lat, lat], color="black", linewidth=3, solid_capstyle="butt", zorder=7)
    label = ax.text(
        (x0 + x1) / 2, lat + (maxy - miny) * 0.012, f"{nice} km", ha="center", va="bottom"
    )
    label.set_fontsize(11 * max(scale, 0.8))
    label.set_zorder(7)
    renderer = ax.figure.canvas.get_renderer()
    box = label.get_window_extent(renderer).union([ax.lines[-1].get_window_extent(renderer)])
    return (box.x0 - 6, box.y0 - 6, box.x1 + 6, box.y1 + 6)


def _legend(ax, frame, bounds, event, precisions, scale, towns, rivers) -> None:
    visible = [r for r in frame.itertuples() if shapely.box(*bounds).intersects(r.geometry)]
    handles = [
        Patch(facecolor=r.colour, edgecolor=EDGE, label=plain(r.name))
        for r in sorted(visible, key=lambda r: r.name)
    ]
    if event is not None and event.transfers:
        handles.append(
            Patch(
                facecolor="none", edgecolor="black", hatch="///", label="Land moved by this event"
            )
        )
    for precision in ("precise", "moderate", "approximate"):
        if precision in precisions:
            style = LINESTYLES[precision]
            handles.append(Line2D([], [], color=EDGE, linestyle=style, label=f"{precision} border"))
    if towns:
        handles.append(
            Line2D([], [], marker="o", color="#111111", linestyle="", label="town or city")
        )
    if rivers:
        handles.append(Line2D([], [], color=RIVER_BLUE, linewidth=1.6, label="river"))
    ax.figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(ax.get_position().x1 + 0.015, ax.get_position().y1),  # beside the map
        fontsize=10.5 * scale,
        frameon=False,
        title="Holders",
        title_fontsize=12 * scale,
        ncol=1 if len(handles) <= 34 else 2,
    )


def _footer(fig, pack: Pack, scale: float) -> None:
    note = (
        "Dotted and dashed outlines are approximate or moderately precise borders, "
        "drawn from modern administrative units; see the pack's limitations. "
        "Towns and rivers are modern (Natural Earth)."
    )
    fig.text(0.02, 0.045, note, fontsize=10 * scale)
    fig.text(
        0.02,
        0.02,
        f"Data: {pack.meta['title']} pack; base map Natural Earth. Made with the treaty map.",
        fontsize=9 * scale,
        color="#555555",
    )


def _padded(pack: Pack, event: Event) -> tuple[float, float, float, float]:
    from geo.render import event_bounds

    minx, miny, maxx, maxy = event_bounds(pack, event)
    pad_x, pad_y = max((maxx - minx) * 0.35, 0.5), max((maxy - miny) * 0.35, 0.4)
    return minx - pad_x, miny - pad_y, maxx + pad_x, maxy + pad_y

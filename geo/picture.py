"""Print-ready pictures of the borders on a date, rendered server-side with matplotlib.

A picture has a title, the date, a legend of the holders, a scale bar, the attribution and,
for a treaty, its transferred areas outlined and hatched. No browser is involved.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # rendering to files only; no display on servers

import matplotlib.pyplot as plt
import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo import layers, text
from geo.pack import Event, Pack
from geo.timeline import borders_at

WIDTH_PX, HEIGHT_PX, DPI = 2000, 1250, 125
LINESTYLES = {"precise": "solid", "moderate": "dashed", "approximate": "dotted"}
LAND, WATER, EDGE = "#ecebe6", "#dfe9f2", "#3b3b3b"


def _plot_polygons(ax, geometry, **style) -> None:
    for part in shapely.get_parts(geometry):
        if part.geom_type != "Polygon":
            continue
        xs, ys = part.exterior.xy
        ax.fill(xs, ys, **style)
        for ring in part.interiors:
            hx, hy = ring.xy
            ax.fill(hx, hy, color=style.get("background", WATER), linewidth=0)


def _scale_bar(ax, bounds) -> None:
    minx, miny, maxx, maxy = bounds
    lat = miny + (maxy - miny) * 0.06
    km_per_degree = 111.32 * math.cos(math.radians(lat))
    target = (maxx - minx) * km_per_degree / 5
    nice = max(v for v in (10, 20, 50, 100, 200, 250, 500, 1000) if v <= max(target, 10))
    x0 = minx + (maxx - minx) * 0.04
    x1 = x0 + nice / km_per_degree
    ax.plot([x0, x1], [lat, lat], color="black", linewidth=3, solid_capstyle="butt")
    ax.text(
        (x0 + x1) / 2,
        lat + (maxy - miny) * 0.012,
        f"{nice} km",
        ha="center",
        va="bottom",
        fontsize=11,
    )


def _plain(label: str) -> str:
    """Data text shown as written: matplotlib would read $…$ as mathematics."""
    return label.replace("$", r"\$")


def render(
    pack: Pack,
    day: dt.date,
    out: Path,
    event: Event | None = None,
    title: str | None = None,
    subtitle_extra: str | None = None,
    size: tuple[int, int] | None = None,
) -> Path:
    """Write a PNG of the borders on ``day`` (at least 1600×1000 px) and return its path."""
    frame = borders_at(pack, day)
    bounds = pack.timeline.scope.bounds if event is None else _padded(pack, event)
    width, height = size or (WIDTH_PX, HEIGHT_PX)
    scale = width / WIDTH_PX
    fig = plt.figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    ax = fig.add_axes((0.02, 0.09, 0.70, 0.80))
    ax.set_facecolor(WATER)
    lines = layers.base_lines(pack)
    if lines:
        for feature in lines["features"]:
            _plot_polygons(ax, shapely.geometry.shape(feature["geometry"]), color=LAND, linewidth=0)
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
        )
    if event is not None:
        for transfer in event.transfers:
            _plot_polygons(
                ax,
                transfer.geometry,
                facecolor="none",
                edgecolor=pack.polities[transfer.target].colour,
                hatch="///",
                linewidth=2.2,
            )

    minx, miny, maxx, maxy = bounds
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    _scale_bar(ax, bounds)
    heading = title or pack.meta["title"]
    fig.text(
        0.02, 0.955, heading, fontsize=22 * scale, weight="bold", va="center", parse_math=False
    )
    subtitle = f"Borders on {text.long_date(day)}"
    if event is not None or subtitle_extra:
        subtitle += f" — {subtitle_extra or event.name}"
    fig.text(0.02, 0.915, subtitle, fontsize=15 * scale, va="center", parse_math=False)
    visible = [r for r in frame.itertuples() if shapely.box(*bounds).intersects(r.geometry)]
    handles = [
        Patch(facecolor=r.colour, edgecolor=EDGE, label=_plain(r.name))
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
            handles.append(
                Line2D(
                    [], [], color=EDGE, linestyle=LINESTYLES[precision], label=f"{precision} border"
                )
            )
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.735, 0.89),
        fontsize=10.5 * scale,
        frameon=False,
        title="Holders",
        title_fontsize=12 * scale,
        ncol=1 if len(handles) <= 24 else 2,
    )
    note = (
        "Dotted and dashed outlines are approximate or moderately precise borders, "
        "drawn from modern administrative units; see the pack's limitations."
    )
    fig.text(0.02, 0.045, note, fontsize=10 * scale, parse_math=False)
    fig.text(
        0.02,
        0.02,
        f"Data: {pack.meta['title']} pack; base map Natural Earth. Made with the treaty map.",
        fontsize=9 * scale,
        color="#555555",
    )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(
        out,
        dpi=DPI,
        metadata={
            "Title": f"{heading}: {subtitle}",
            "Source": "Natural Earth; " + pack.meta["title"],
        },
    )
    plt.close(fig)
    return out


def _padded(pack: Pack, event: Event) -> tuple[float, float, float, float]:
    from geo.render import event_bounds

    minx, miny, maxx, maxy = event_bounds(pack, event)
    pad_x, pad_y = max((maxx - minx) * 0.35, 0.5), max((maxy - miny) * 0.35, 0.4)
    return minx - pad_x, miny - pad_y, maxx + pad_x, maxy + pad_y

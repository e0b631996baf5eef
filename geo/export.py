"""Exports that leave the app: print pictures, animations and the data itself.

Offline HTML pages live in ``geo.pages``; this module makes the files that are not web pages.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tempfile
from pathlib import Path

from geo import geojson, picture, text
from geo.pack import Event, Pack
from geo.timeline import map_changes


def png(pack: Pack, day: dt.date, out: Path, event: Event | None = None) -> Path:
    """A print-ready picture (2000×1250 px) of the borders on ``day``."""
    return picture.render(pack, day, _suffixed(out, ".png"), event=event)


def pdf(pack: Pack, day: dt.date, out: Path, event: Event | None = None) -> Path:
    """The same picture as a vector PDF for print: embedded fonts, text kept as text."""
    return picture.render(pack, day, _suffixed(out, ".pdf"), event=event)


def _suffixed(out: Path, suffix: str) -> Path:
    if Path(out).suffix.lower() != suffix:
        raise ValueError(f"--out must end in {suffix}")
    return Path(out)


def change_days(pack: Pack, year_from: int, year_to: int, every: int | None = None):
    """(day, event or None) for each frame: every change in the range, or every N years."""
    start = max(dt.date(year_from, 1, 1), pack.baseline_date)
    end = min(dt.date(year_to, 12, 31), pack.end_date)
    if every:
        return [
            (dt.date(y, 12, 31) if y < end.year else end, None)
            for y in range(start.year, end.year + 1, every)
        ]
    return [(e.effective, e) for e in map_changes(pack) if start <= e.effective <= end]


def animation(
    pack: Pack,
    year_from: int,
    year_to: int,
    out: Path,
    every: int | None = None,
    seconds_per_frame: float = 1.5,
) -> int:
    """A GIF or MP4 of the borders, one captioned frame per change; returns the frame count."""
    import imageio.v3 as iio
    import numpy as np
    from PIL import Image

    frames = change_days(pack, year_from, year_to, every)
    if not frames:
        raise ValueError(f"no changes between {year_from} and {year_to}")
    images = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (day, event) in enumerate(frames):
            path = picture.render(
                pack,
                day,
                Path(tmp) / f"{i}.png",
                event=None,
                title=pack.meta["title"],
                subtitle_extra=event.name if event else None,
                size=(1280, 800),
            )
            images.append(np.asarray(Image.open(path).convert("RGB")))
    out = Path(out)
    if out.suffix.lower() == ".gif":
        iio.imwrite(out, images, duration=int(seconds_per_frame * 1000), loop=0)
    else:
        iio.imwrite(
            out,
            images,
            plugin="FFMPEG",
            fps=1 / seconds_per_frame,
            codec="libx264",
            macro_block_size=16,
            ffmpeg_log_level="error",
        )
    return len(images)


def data(pack: Pack, out_dir: Path) -> list[Path]:
    """The pack as GeoJSON and CSV: events, transfers with areas, polities and sources."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    areas = pack.derived["transfer_areas"]
    written = []

    def table(name: str, header: list[str], rows: list[list]) -> None:
        path = out / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        written.append(path)

    table(
        "events.csv",
        [
            "id",
            "kind",
            "name_en",
            "name_ru",
            "name_fa",
            "signed_or_date",
            "date_qualifier",
            "in_force",
            "effective",
            "place",
            "parties",
            "summary",
            "description",
            "sources",
        ],
        [
            [
                e.id,
                e.kind,
                e.names["en"],
                e.names.get("ru", ""),
                e.names.get("fa", ""),
                (e.record.get("signed") or e.record.get("date")).isoformat(),
                e.record.get("date_qualifier", ""),
                _iso(e.record.get("in_force")),
                e.effective.isoformat(),
                e.record.get("place", ""),
                ";".join(e.record.get("parties", [])),
                e.record["summary"],
                text.describe(pack, e),
                ";".join(e.record["sources"]),
            ]
            for e in pack.events
        ],
    )
    table(
        "transfers.csv",
        [
            "event",
            "transfer",
            "name",
            "from",
            "to",
            "mode",
            "area_km2",
            "published_area_km2",
            "precision",
            "method",
            "modern_units",
            "sources",
        ],
        [
            [
                e.id,
                t.id,
                t.name,
                t.source,
                t.target,
                t.mode,
                round(float(areas[(e.id, t.id)]), 1),
                t.published_area_km2 or "",
                t.precision,
                t.method,
                "; ".join(t.modern_units),
                ";".join(t.sources or e.record["sources"]),
            ]
            for e in pack.events
            for t in e.transfers
        ],
    )
    table(
        "polities.csv",
        ["id", "name_en", "name_ru", "name_fa", "colour", "wikidata", "suzerain"],
        [
            [
                p.id,
                p.names["en"],
                p.names.get("ru", ""),
                p.names.get("fa", ""),
                p.colour,
                p.wikidata or "",
                json.dumps(p.suzerain, default=str, ensure_ascii=False),
            ]
            for p in pack.polities.values()
        ],
    )
    table(
        "sources.csv",
        ["id", "title", "author", "year", "url", "note"],
        [
            [
                k,
                s["title"],
                s.get("author", ""),
                s.get("year", ""),
                s.get("url", ""),
                s.get("note", ""),
            ]
            for k, s in pack.meta["sources"].items()
        ],
    )
    transfers = [
        (
            {
                "event": e.id,
                "transfer": t.id,
                "name": t.name,
                "from": t.source,
                "to": t.target,
                "mode": t.mode,
                "date": e.effective.isoformat(),
                "area_km2": round(float(areas[(e.id, t.id)]), 1),
                "precision": t.precision,
            },
            t.geometry,
        )
        for e in pack.events
        for t in e.transfers
    ]
    geojson.write(out / "transfers.geojson", transfers)
    geojson.write(
        out / "baseline.geojson",
        [({"polity": r.polity}, r.geometry) for r in pack.baseline.itertuples()],
    )
    written += [out / "transfers.geojson", out / "baseline.geojson"]
    readme = out / "README.txt"
    readme.write_text(
        f"{pack.meta['title']}\n\n{pack.meta['description']}\n\nLicense: "
        f"{pack.meta['license']}\nBase geometry: Natural Earth (public domain).\n"
        "Files: events.csv, transfers.csv (areas in km², equal-area projection EPSG:6933), "
        "polities.csv, sources.csv, transfers.geojson, baseline.geojson (RFC 7946, WGS 84).\n",
        encoding="utf-8",
    )
    written.append(readme)
    return written


def _iso(day) -> str:
    return day.isoformat() if day else ""

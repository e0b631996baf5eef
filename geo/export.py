"""Exports that leave the app: print pictures, animations and the data itself.

Offline HTML pages live in ``geo.pages``; this module makes the files that are not web pages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
import zipfile
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
    frames = change_days(pack, year_from, year_to, every)
    if not frames:
        raise ValueError(f"no changes between {year_from} and {year_to}")
    images = _frame_images(pack, frames)
    _write_movie(Path(out), images, seconds_per_frame)
    return len(images)


def _frame_images(pack: Pack, frames) -> list:
    """Each frame as an RGB array, captioned with the event that made the change."""
    import numpy as np
    from PIL import Image

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
    return images


def _write_movie(out: Path, images: list, seconds_per_frame: float) -> None:
    import imageio.v3 as iio

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


EVENT_COLUMNS = [
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
]
TRANSFER_COLUMNS = [
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
]
POLITY_COLUMNS = ["id", "name_en", "name_ru", "name_fa", "colour", "wikidata", "suzerain"]
SOURCE_COLUMNS = ["id", "title", "kind", "author", "year", "url", "note"]


def data(pack: Pack, out_dir: Path) -> list[Path]:
    """The pack as GeoJSON and CSV: events, transfers with areas, polities and sources."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [
        _table(out / "events.csv", EVENT_COLUMNS, _event_rows(pack)),
        _table(out / "transfers.csv", TRANSFER_COLUMNS, _transfer_rows(pack)),
        _table(out / "polities.csv", POLITY_COLUMNS, _polity_rows(pack)),
        _table(out / "sources.csv", SOURCE_COLUMNS, _source_rows(pack)),
        _transfers_geojson(pack, out / "transfers.geojson"),
        _baseline_geojson(pack, out / "baseline.geojson"),
        _readme(pack, out / "README.txt"),
    ]
    return written


def _table(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _event_rows(pack: Pack) -> list[list]:
    return [
        [
            e.id,
            e.kind,
            e.names["en"],
            e.names.get("ru", ""),
            e.names.get("fa", ""),
            (e.signed or e.date).isoformat(),
            e.date_qualifier or "",
            _iso(e.in_force),
            e.effective.isoformat(),
            e.record.get("place", ""),
            ";".join(e.parties),
            e.summary,
            text.describe(pack, e),
            ";".join(e.sources),
        ]
        for e in pack.events
    ]


def _transfer_rows(pack: Pack) -> list[list]:
    areas = pack.timeline.transfer_areas
    return [
        [
            e.id,
            t.id,
            t.name,
            t.source,
            t.target,
            t.mode,
            round(areas[(e.id, t.id)], 1),
            t.published_area_km2 or "",
            t.precision,
            t.method,
            "; ".join(t.modern_units),
            ";".join(t.sources or e.sources),
        ]
        for e in pack.events
        for t in e.transfers
    ]


def _polity_rows(pack: Pack) -> list[list]:
    return [
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
    ]


def _source_rows(pack: Pack) -> list[list]:
    return [
        [k, s["title"], s.get("kind", "")]
        + [s.get(f, "") for f in ("author", "year", "url", "note")]
        for k, s in pack.meta["sources"].items()
    ]


def _transfers_geojson(pack: Pack, path: Path) -> Path:
    areas = pack.timeline.transfer_areas
    features = [
        (
            {
                "event": e.id,
                "transfer": t.id,
                "name": t.name,
                "from": t.source,
                "to": t.target,
                "mode": t.mode,
                "date": e.effective.isoformat(),
                "area_km2": round(areas[(e.id, t.id)], 1),
                "precision": t.precision,
            },
            t.geometry,
        )
        for e in pack.events
        for t in e.transfers
    ]
    geojson.write(path, features)
    return path


def _baseline_geojson(pack: Pack, path: Path) -> Path:
    geojson.write(path, [({"polity": r.polity}, r.geometry) for r in pack.baseline.itertuples()])
    return path


def _readme(pack: Pack, path: Path) -> Path:
    path.write_text(
        f"{pack.meta['title']}\n\n{pack.meta['description']}\n\nLicense: "
        f"{pack.meta['license']}\nBase geometry: Natural Earth (public domain).\n"
        "Files: events.csv, transfers.csv (areas in km², equal-area projection EPSG:6933), "
        "polities.csv, sources.csv, transfers.geojson, baseline.geojson (RFC 7946, WGS 84).\n",
        encoding="utf-8",
    )
    return path


ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold: no clock in the file


def data_zip(pack: Pack) -> bytes:
    """The files of ``data`` as one zip; the same pack gives the same bytes at any time."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w") as archive:
        for path in data(pack, Path(tmp)):
            entry = zipfile.ZipInfo(path.name, date_time=ZIP_DATE)
            entry.external_attr = 0o644 << 16  # rw-r--r--, not whatever the temp file had
            archive.writestr(entry, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _iso(day) -> str:
    return day.isoformat() if day else ""

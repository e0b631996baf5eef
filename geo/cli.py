"""Command line: ``python -m geo validate|where|events|borders|export|new``.

Exit status: 0 success, 1 invalid packs (validate), 2 bad arguments or an unanswerable query.
Messages are one line each; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path

from geo import catalog as catalog_mod
from geo import geojson, query
from geo.dates import iso, parse_iso
from geo.pack import Event, Pack
from geo.problems import PackError
from geo.scaffold import ScaffoldError, new_pack
from geo.suzerainty import sovereign_of


class UsageError(Exception):
    """A bad argument: reported on one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print the whole usage block
        raise UsageError(message)


def _date(text: str) -> dt.date:
    try:
        return parse_iso(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _coordinate(limit: float, axis: str):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{axis} {text!r} is not a number") from None
        if not math.isfinite(value) or abs(value) > limit:
            raise argparse.ArgumentTypeError(
                f"{axis} {text} is out of range; it must be between -{limit:g} and {limit:g}"
            )
        return value

    return parse


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m geo", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--treaties",
        type=Path,
        default=catalog_mod.TREATIES,
        help="folder holding the packs (default: treaties/ of this project)",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    validate = commands.add_parser("validate", help="check packs; exit 1 if any is invalid")
    validate.add_argument("paths", nargs="*", type=Path, help="pack folders (default: all)")
    where = commands.add_parser("where", help="who held a place on a date, and its history")
    where.add_argument("--lon", type=_coordinate(180, "longitude"))
    where.add_argument("--lat", type=_coordinate(90, "latitude"))
    where.add_argument("--date", type=_date)
    where.add_argument("--pack")
    events = commands.add_parser("events", help="the pack's events as JSON, in date order")
    events.add_argument("--pack")
    borders = commands.add_parser("borders", help="the borders on a date as GeoJSON")
    borders.add_argument("--date", type=_date, required=True)
    borders.add_argument("--pack")
    borders.add_argument("--out", type=Path)
    _export_parser(commands)
    new = commands.add_parser("new", help="start a pack: a valid example folder to edit")
    new.add_argument("pack_id", metavar="PACK-ID", help="the new pack's id and folder name")
    # also accepted after the id; SUPPRESS keeps the global value when it is not given here
    new.add_argument("--treaties", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _export_parser(commands) -> None:
    export = commands.add_parser("export", help="pages, pictures, animations and data")
    kinds = export.add_subparsers(dest="kind", required=True, parser_class=_Parser)
    page = kinds.add_parser("html", help="one standalone offline page with a year slider")
    page.add_argument("--event")
    page.add_argument("--from", dest="year_from", type=int)
    page.add_argument("--to", dest="year_to", type=int)
    for name, what in (("png", "a print-ready picture"), ("pdf", "a vector PDF for print")):
        picture = kinds.add_parser(name, help=f"{what} of one date")
        picture.add_argument("--event")
        picture.add_argument("--date", type=_date, required=True)
    for name in ("gif", "mp4"):
        movie = kinds.add_parser(name, help=f"an animation of the borders ({name})")
        movie.add_argument("--from", dest="year_from", type=int, required=True)
        movie.add_argument("--to", dest="year_to", type=int, required=True)
        movie.add_argument("--every", type=_positive, help="one frame per N years, not per change")
    kinds.add_parser("data", help="the pack as GeoJSON and CSV files in a folder")
    lesson = kinds.add_parser("lesson", help="a standalone offline lesson page")
    lesson.add_argument("file", type=Path)
    for sub in kinds.choices.values():
        sub.add_argument("--pack")
        sub.add_argument("--out", type=Path, required=True)


def _catalog(args: argparse.Namespace) -> catalog_mod.Catalog:
    if not args.treaties.is_dir():
        raise UsageError(f"--treaties {args.treaties}: no such folder")
    return catalog_mod.load_catalog(args.treaties)


def run_validate(paths: list[Path], treaties: Path) -> int:
    dirs = paths or catalog_mod.pack_dirs(treaties)
    if not dirs:
        print(f"no packs found under {treaties}", file=sys.stderr)
        return 1
    failed = 0
    for pack_dir in dirs:
        if not str(pack_dir).strip() or not pack_dir.is_dir():
            print(f"{pack_dir}: folder: not a pack folder (expected a folder with pack.toml)")
            failed += 1
            continue
        pack, problems = catalog_mod.load_pack(pack_dir)
        for problem in problems:
            print(problem)
        if pack is None:
            failed += 1
        else:
            print(
                f"{pack_dir}: ok ({len(pack.events)} events, {len(pack.polities)} polities)",
                file=sys.stderr,
            )
    return 1 if failed else 0


def run_new(args: argparse.Namespace) -> int:
    folder = new_pack(args.treaties, args.pack_id)
    print(f"wrote {folder}; edit its files, then run: python -m geo validate {folder}")
    return 0


def run_where(args: argparse.Namespace) -> int:
    pack = _catalog(args).pack(args.pack)
    given = [v is not None for v in (args.lon, args.lat)]
    if any(given) and not all(given):
        raise UsageError("give both --lon and --lat, or neither to read CSV from standard input")
    if all(given):
        if args.date is None:
            raise UsageError("--date YYYY-MM-DD is required with --lon and --lat")
        print(_json_line(place_json(query.where(pack, args.lon, args.lat, args.date))))
        return 0
    for lon, lat, day in _csv_places(sys.stdin):
        print(_json_line(place_json(query.where(pack, lon, lat, day))), flush=True)
    return 0


def _csv_places(stream) -> Iterator[tuple[float, float, dt.date]]:
    """(lon, lat, day) for each CSV row ``lon,lat,date``; a header line is skipped."""
    rows = csv.reader(stream)
    number = 0
    while True:
        number += 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as err:
            raise UsageError(f"stdin line {number}: unreadable CSV ({err})") from None
        if not row or (number == 1 and row[0].strip().lower() == "lon"):
            continue
        yield _csv_row(row, number)


def _csv_row(row: list[str], number: int) -> tuple[float, float, dt.date]:
    if len(row) != 3:
        raise UsageError(f"stdin line {number}: expected 3 columns lon,lat,date, got {len(row)}")
    try:
        lon = _coordinate(180, "longitude")(row[0].strip())
        lat = _coordinate(90, "latitude")(row[1].strip())
        return lon, lat, _date(row[2].strip())
    except argparse.ArgumentTypeError as err:
        raise UsageError(f"stdin line {number}: {err}") from None


def run_events(args: argparse.Namespace) -> int:
    pack = _catalog(args).pack(args.pack)
    listed = [event_json(summary) for summary in query.events(pack)]
    print(json.dumps(listed, ensure_ascii=False, indent=1))
    return 0


def run_borders(args: argparse.Namespace) -> int:
    pack = _catalog(args).pack(args.pack)
    text = borders_geojson(pack, args.date)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _json_line(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


def _polity_json(ref: query.PolityRef | None) -> dict | None:
    return None if ref is None else {"id": ref.id, "name": ref.name}


def place_json(answer: query.PlaceAnswer) -> dict:
    """A ``where`` answer as printed: ISO dates, and keys only where they apply."""
    data: dict = {
        "pack": answer.pack,
        "date": iso(answer.day),
        "lon": answer.lon,
        "lat": answer.lat,
    }
    if answer.polity is None:
        return data | {"polity": None, "history": [], "note": answer.note}
    data["polity"] = _polity_json(answer.polity)
    if answer.sovereign is not None:
        data |= {"sovereign": _polity_json(answer.sovereign), "status": answer.status}
    data["since"] = {"date": iso(answer.since), "event": answer.since_event}
    data["history"] = [_history_json(item) for item in answer.history]
    if answer.snapped_km is not None:  # off the land: answered for the nearest land
        data |= {"snapped_km": answer.snapped_km, "note": answer.note}
    return data


def _history_json(item: query.HistoryItem) -> dict:
    data = {
        "polity": _polity_json(item.polity),
        "from": iso(item.start),
        "to": iso(item.end),
        "event": item.event,
        "event_name": item.event_name,
    }
    if item.sovereign is not None:
        data |= {"sovereign": _polity_json(item.sovereign), "status": item.status}
    return data


def event_json(summary: query.EventSummary) -> dict:
    """An event as listed by ``events``: dates the file does not give are left out."""
    data: dict = {
        "id": summary.id,
        "name": summary.name,
        "kind": summary.kind,
        "effective": iso(summary.effective),
    }
    optional = {
        "signed": iso(summary.signed),
        "date": iso(summary.date),
        "in_force": iso(summary.in_force),
        "date_qualifier": summary.date_qualifier,
    }
    data |= {key: value for key, value in optional.items() if value is not None}
    data["transfers"] = [_transfer_json(t) for t in summary.transfers]
    data["successions"] = [{"from": a.id, "to": b.id} for a, b in summary.successions]
    data["sources"] = list(summary.sources)
    return data


def _transfer_json(transfer: query.TransferSummary) -> dict:
    return {
        "id": transfer.id,
        "name": transfer.name,
        "from": transfer.source.id,
        "to": transfer.target.id,
        "mode": transfer.mode,
        "area_km2": round(transfer.area_km2, 1),
        "precision": transfer.precision,
    }


def borders_geojson(pack: Pack, day: dt.date) -> str:
    """The partition in force on ``day`` as canonical GeoJSON, one feature per polity."""
    features = []
    for row in query.borders_at(pack, day).itertuples():
        properties = {
            "polity": row.polity,
            "name": row.name,
            "colour": row.colour,
            "since": iso(row.start),
            "until": iso(row.end),
            "date": iso(day),
        }
        sovereign = sovereign_of(pack, row.polity, day)
        if sovereign:
            properties["sovereign"] = sovereign
        features.append((properties, row.geometry))
    return geojson.dumps(features)


def run_export(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    if args.kind == "lesson":
        return _export_lesson(catalog, args)
    pack = catalog.pack(args.pack)
    event = None
    if getattr(args, "event", None):
        event = pack.event(args.event)
        if event is None:
            raise UsageError(f"unknown event {args.event!r} in pack {pack.id!r}")
    try:
        _export(pack, event, args)
    except ValueError as err:
        raise UsageError(str(err)) from None
    return _wrote(args.out)


def _export_lesson(catalog: catalog_mod.Catalog, args: argparse.Namespace) -> int:
    from geo import pages
    from geo.lessons import read_lesson

    lesson, problems = read_lesson(args.file, catalog.packs)
    if lesson is None:
        raise UsageError("; ".join(str(p) for p in problems))
    args.out.write_text(pages.lesson_html(catalog.pack(lesson.pack), lesson), "utf-8")
    return _wrote(args.out)


def _export(pack: Pack, event: Event | None, args: argparse.Namespace) -> None:
    from geo import export, pages  # matplotlib and imageio load only when needed

    if args.kind == "html":
        text = pages.standalone_html(pack, event, args.year_from, args.year_to)
        args.out.write_text(text, encoding="utf-8")
    elif args.kind == "png":
        export.png(pack, args.date, args.out, event)
    elif args.kind == "pdf":
        export.pdf(pack, args.date, args.out, event)
    elif args.kind in ("gif", "mp4"):
        if args.out.suffix.lower() != f".{args.kind}":
            raise UsageError(f"--out must end in .{args.kind}")
        frames = export.animation(pack, args.year_from, args.year_to, args.out, args.every)
        print(f"{frames} frames", file=sys.stderr)
    else:
        export.data(pack, args.out)


def _wrote(path: Path) -> int:
    print(f"wrote {path}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "validate":
            return run_validate(args.paths, args.treaties)
        runner = {
            "where": run_where,
            "events": run_events,
            "borders": run_borders,
            "export": run_export,
            "new": run_new,
        }
        return runner[args.command](args)
    except (UsageError, PackError, ScaffoldError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as err:
        print(f"error: {err.strerror or err}: {err.filename}", file=sys.stderr)
        return 2

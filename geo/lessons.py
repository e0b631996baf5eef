"""Lesson sequences: a title, an audience and steps, each a treaty or a date with a caption.

A lesson is a TOML file (``lessons/<name>.toml``)::

    title = "How the South Caucasus changed hands, 1801–1828"
    audience = "Secondary school, ages 14–18"
    pack = "russia-iran"

    [[steps]]
    event = "kartli-kakheti-1801"     # or: date = 1813-10-24
    view = "after"                    # "before" or "after" an event (default after)
    caption = "What the class should notice here."
    focus = [40.0, 38.3, 50.5, 43.8]  # optional: lon/lat box to zoom to
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from geo import files, schema
from geo.pack import Pack
from geo.problems import Problem
from geo.timeline import event_day

LESSONS = Path(__file__).resolve().parent.parent / "lessons"

STEP = (
    schema.Field("event", "id", False, "Event id: the map shows the borders just after it."),
    schema.Field("date", "date", False, "A day to show instead of an event."),
    schema.Field(
        "view",
        "choice",
        False,
        "before or after the event (default after).",
        choices=("before", "after"),
    ),
    schema.Field("caption", "text", True, "What to say or notice at this step."),
    schema.Field("focus", "list[point]", False, "Two corners [lon, lat] of the area to show."),
)
LESSON = (
    schema.Field("title", "text", True, "Title of the lesson."),
    schema.Field("audience", "text", True, "Who the lesson is for."),
    schema.Field("pack", "id", True, "The pack the lesson uses."),
    schema.Field("summary", "text", False, "What the lesson is about, in a sentence or two."),
    schema.Field("steps", "list[table]", True, "The steps, in order.", sub=STEP),
)


@dataclass(frozen=True)
class Step:
    day: dt.date
    caption: str
    event: str | None = None
    view: str | None = None
    focus: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    audience: str
    pack: str
    steps: tuple[Step, ...]
    summary: str | None = None


def read_lesson(path: Path, packs: dict[str, Pack]) -> tuple[Lesson | None, list[Problem]]:
    """Read and check a lesson file against the packs it refers to."""
    shown = str(path)
    record, problems = files.read_toml(Path(path), Path(path).parent, shown)
    if record is None:
        return None, problems
    problems = schema.check_table(record, LESSON, shown, "")
    if problems:
        return None, problems
    pack = packs.get(record["pack"])
    if pack is None:
        return None, [
            Problem(
                shown,
                "pack",
                f"unknown or invalid pack {record['pack']!r} "
                f"(available: {', '.join(sorted(packs)) or 'none'})",
            )
        ]
    steps = []
    for i, table in enumerate(record["steps"]):
        step, more = _step(table, pack, shown, f"steps[{i}]")
        problems += more
        if step:
            steps.append(step)
    if not steps and not problems:
        problems.append(Problem(shown, "steps", "a lesson needs at least one step"))
    if problems:
        return None, problems
    return Lesson(
        Path(path).stem,
        record["title"],
        record["audience"],
        pack.id,
        tuple(steps),
        record.get("summary"),
    ), []


def _step(table: dict, pack: Pack, shown: str, where: str):
    if ("event" in table) == ("date" in table):
        return None, [Problem(shown, where, "give either 'event' or 'date', not both or neither")]
    focus = None
    if "focus" in table:
        if len(table["focus"]) != 2:
            return None, [Problem(shown, f"{where}.focus", "expected two corners [lon, lat]")]
        (x1, y1), (x2, y2) = table["focus"]
        focus = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    if "event" in table:
        event = pack.event(table["event"])
        if event is None:
            return None, [Problem(shown, f"{where}.event", f"unknown event {table['event']!r}")]
        view = table.get("view", "after")
        day = event_day(pack, event.id, view)
        return Step(day, table["caption"], event.id, view, focus), []
    day = table["date"]
    if not pack.baseline_date <= day <= pack.end_date:
        return None, [
            Problem(
                shown,
                f"{where}.date",
                f"{day} is outside the pack's range ({pack.baseline_date} to {pack.end_date})",
            )
        ]
    return Step(day, table["caption"], None, None, focus), []


def lesson_files(root: Path = LESSONS) -> list[Path]:
    return sorted(root.glob("*.toml")) if root.is_dir() else []

"""The view in the URL: parse query parameters (with notices for bad values) and write them.

Pure functions, no Streamlit: the app reads ``st.query_params`` once per session through
``from_params`` and writes ``to_params`` after every run. ``ViewState`` is the one copy of what
the page shows; the URL is only ever read into it and written from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from geo.catalog import DEFAULT_PACK, Catalog
from geo.dates import parse_iso
from geo.lessons import Lesson
from geo.timeline import event_day

VIEWS = ("before", "after")


@dataclass
class ViewState:
    """What the page shows: which pack, which day, which event and whether before or after it."""

    pack: str
    day: dt.date
    event: str | None = None
    view: str | None = None  # "before" / "after" the selected event, or None (slider date)
    embed: bool = False
    lesson: str | None = None
    step: int = 0  # index of the lesson's current step (the URL counts from 1)


def default_state(catalog: Catalog, pack_id: str | None = None) -> ViewState:
    pack = catalog.packs[pack_id or default_pack(catalog)]
    return ViewState(pack.id, year_end(pack.end_date.year, pack))


def default_pack(catalog: Catalog) -> str:
    """The pack a page opens on: the project's default if loaded, else the first by id (the
    page, unlike the command line, never asks which of several packs to use)."""
    return DEFAULT_PACK if DEFAULT_PACK in catalog.packs else next(iter(catalog.packs))


def year_end(year: int, pack) -> dt.date:
    """The day the slider's year stands for: 31 December, clamped to the pack's range."""
    return min(max(dt.date(year, 12, 31), pack.baseline_date), pack.end_date)


def from_params(
    params: Mapping[str, str], catalog: Catalog, lessons: Mapping[str, Lesson] | None = None
) -> tuple[ViewState, list[str]]:
    """The view a link asks for, and a notice for every value that had to be replaced.

    A lesson step decides the day and event itself, so ``date``/``event`` are then ignored.
    """
    state, notices = _pack_state(params, catalog)
    pack = catalog.pack(state.pack)
    _read_event(params, pack, state, notices)
    _read_date(params, pack, state, notices)
    _read_lesson(params, pack, lessons or {}, state, notices)
    return state, notices


def _pack_state(params: Mapping[str, str], catalog: Catalog) -> tuple[ViewState, list[str]]:
    notices = []
    pack_id = params.get("pack")
    if pack_id and pack_id not in catalog.packs:
        reason = "it failed validation" if pack_id in catalog.skipped else "there is no such pack"
        notices.append(
            f"The link asks for pack “{pack_id}”, but {reason}; showing the default pack instead."
        )
        pack_id = None
    state = default_state(catalog, pack_id)
    # Streamlit keeps its own `embed=true` out of st.query_params, so the compact layout has a
    # parameter of ours; the app also turns it on when Streamlit reports it is embedded.
    state.embed = params.get("layout", "") == "compact"
    return state, notices


def _read_event(params, pack, state: ViewState, notices: list[str]) -> None:
    event_id = params.get("event")
    if event_id:
        event = pack.event(event_id)
        if event is None:
            notices.append(
                f"The link names event “{event_id}”, which is not in this pack; no "
                "event is selected."
            )
        else:
            state.event = event.id
            state.view = params.get("view") if params.get("view") in VIEWS else "after"
            state.day = event_day(pack, event.id, state.view)
            if params.get("view") and params.get("view") not in VIEWS:
                notices.append(
                    f"The link's view “{params.get('view')}” is not one of "
                    f"{', '.join(VIEWS)}; showing the borders after the event."
                )


def _read_date(params, pack, state: ViewState, notices: list[str]) -> None:
    text = params.get("date")
    if text and not (state.event and params.get("view") in VIEWS):
        try:
            day = parse_iso(text)
        except ValueError:
            notices.append(
                f"The link's date “{text}” is not a real day (expected YYYY-MM-DD); "
                f"showing {state.day.isoformat()} instead."
            )
        else:
            if pack.baseline_date <= day <= pack.end_date:
                state.day, state.view = day, None
            else:
                notices.append(
                    f"The link's date {text} is outside this pack's range "
                    f"({pack.baseline_date} to {pack.end_date}); showing "
                    f"{state.day.isoformat()} instead."
                )


def _read_lesson(params, pack, lessons, state: ViewState, notices: list[str]) -> None:
    wanted = params.get("lesson")
    if not wanted:
        return
    lesson = lessons.get(wanted)
    if lesson is None or lesson.pack != pack.id:
        notices.append(
            f"The link names lesson “{wanted}”, which is not available for this pack; no "
            "lesson is open."
        )
        return
    number, count = params.get("step", "1"), len(lesson.steps)
    valid = number.isascii() and number.isdigit() and 1 <= int(number) <= count
    if not valid:
        notices.append(
            f"The link's lesson step “{number}” is not a number from 1 to {count}; starting at "
            "step 1."
        )
    go_to_step(state, lesson, pack, int(number) - 1 if valid else 0)


def go_to_step(state: ViewState, lesson: Lesson, pack, index: int) -> None:
    """Show step ``index`` (clamped) of ``lesson``: its event before or after, or its day."""
    index = max(0, min(index, len(lesson.steps) - 1))
    step = lesson.steps[index]
    state.lesson, state.step = lesson.id, index
    if step.event:
        state.event, state.view = step.event, step.view or "after"
        state.day = event_day(pack, step.event, state.view)
    else:
        state.event, state.view, state.day = None, None, step.day


def after_reload(
    state: ViewState, catalog: Catalog, lessons: Mapping[str, Lesson] | None = None
) -> tuple[ViewState, list[str]]:
    """The view again once its pack changed on disk or went away: what still exists is kept,
    anything else replaced, with a notice for each replacement."""
    if state.pack not in catalog.packs:
        view = default_state(catalog)
        view.embed = state.embed
        return view, [
            f"Pack “{state.pack}” is no longer in the treaties folder; showing "
            f"“{catalog.packs[view.pack].meta['title']}” instead."
        ]
    view, notices = from_params(to_params(state), catalog, lessons)
    view.embed = state.embed
    return view, [f"Pack “{state.pack}” changed on disk. {notice}" for notice in notices]


def to_params(state: ViewState) -> dict[str, str]:
    """Query parameters that restore ``state``."""
    params = {"pack": state.pack, "date": state.day.isoformat()}
    if state.event:
        params["event"] = state.event
        if state.view:
            params["view"] = state.view
    if state.embed:
        params["layout"] = "compact"
    if state.lesson:
        params["lesson"] = state.lesson
        params["step"] = str(state.step + 1)
    return params

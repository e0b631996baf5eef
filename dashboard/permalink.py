"""The view in the URL: parse query parameters (with notices for bad values) and write them.

Pure functions, no Streamlit: the app reads ``st.query_params`` once per session through
``from_params`` and writes ``to_params`` after every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from geo.catalog import Catalog
from geo.dates import parse_iso
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


def default_state(catalog: Catalog, pack_id: str | None = None) -> ViewState:
    pack = catalog.pack(pack_id)
    return ViewState(pack.id, year_end(pack.end_date.year, pack))


def year_end(year: int, pack) -> dt.date:
    """The day the slider's year stands for: 31 December, clamped to the pack's range."""
    return min(max(dt.date(year, 12, 31), pack.baseline_date), pack.end_date)


def from_params(params: Mapping[str, str], catalog: Catalog) -> tuple[ViewState, list[str]]:
    """The view a link asks for, and a notice for every value that had to be replaced."""
    notices = []
    pack_id = params.get("pack")
    if pack_id and pack_id not in catalog.packs:
        reason = "it failed validation" if pack_id in catalog.skipped else "there is no such pack"
        notices.append(
            f"The link asks for pack “{pack_id}”, but {reason}; showing the default pack instead."
        )
        pack_id = None
    state = default_state(catalog, pack_id)
    pack = catalog.pack(state.pack)
    # Streamlit keeps its own `embed=true` out of st.query_params, so the compact layout has a
    # parameter of ours; the app also turns it on when Streamlit reports it is embedded.
    state.embed = params.get("layout", "") == "compact"
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
    return state, notices


def to_params(state: ViewState) -> dict[str, str]:
    """Query parameters that restore ``state``."""
    params = {"pack": state.pack, "date": state.day.isoformat()}
    if state.event:
        params["event"] = state.event
        if state.view:
            params["view"] = state.view
    if state.embed:
        params["layout"] = "compact"
    return params

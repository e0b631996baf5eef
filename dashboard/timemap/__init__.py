"""The border map as a Streamlit component: the folium map goes in once, the day comes back.

The map (``geo.render.base_map``) owns its time controls in the browser. Python sends it the
same folium parts on every run plus a ``command`` (move to a day, show an event,
focus a view), each with an id so that resending it changes nothing; the browser reports the
day it shows, debounced, and the last click. Nothing here reads or writes the page's DOM.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit.components.v1 as components

FRONTEND = Path(__file__).resolve().parent / "frontend"
_component = components.declare_component("timemap", path=str(FRONTEND))


@dataclass(frozen=True)
class Report:
    """What the browser last reported: the day shown, the clicked place, a sequence number."""

    day: str
    event: str | None  # the event whose land the map highlights
    click: tuple[float, float] | None  # (lon, lat)
    seq: int


def timemap(map_parts: dict, command: dict, *, height: int, key: str) -> None:
    """Mount (or update) the map. Its reports arrive in ``st.session_state[key]``, which the
    page reads with ``report`` before drawing any widget that depends on them."""
    _component(parts=map_parts, command=command, height=height, key=key, default=None)


def report(value) -> Report | None:
    """The browser's last report (a component value), or None before the first."""
    if not isinstance(value, dict) or "day" not in value:
        return None
    click = value.get("click")
    event = value.get("event")
    return Report(
        str(value["day"]),
        str(event) if event else None,
        (float(click[0]), float(click[1])) if click else None,
        int(value.get("seq", 0)),
    )

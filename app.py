"""Treaty map dashboard: a year slider, treaty cards, place histories and shareable views.

Run with `streamlit run app.py`. The page only wires widgets to the engine in `geo/`; the map
itself switches borders in the browser (static/timemap.js), so the slider never reloads it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from dashboard import cards, downloads, lesson_mode, permalink, share
from geo import assets, render, text, timeline
from geo.catalog import TREATIES, Catalog, load_catalog

SPEEDS = {"slow": 2.5, "normal": 1.2, "fast": 0.6}  # seconds per change during playback

st.set_page_config(page_title="Treaty map", page_icon="🗺️", layout="wide")


@st.cache_resource
def load(root: str) -> Catalog:
    return load_catalog(Path(root))


def treaties_root() -> str:
    # An argument of the cached loaders, so that each test's folder gets its own entry.
    return os.environ.get("TREATY_MAP_TREATIES", str(TREATIES))


def catalog() -> Catalog:
    return load(treaties_root())


@st.cache_resource
def map_data_url(root: str, pack_id: str) -> str:
    """Write the pack's map data once as a static file; the browser fetches and caches it."""
    assets.install_app_assets()
    data = render.map_data(load(root).packs[pack_id])
    return assets.publish_json(data, f"{pack_id}-map")


def border_map(p):
    # Built anew each run (streamlit-folium alters the maps it renders); it only carries the
    # address of the data, so it is small and the same on every run.
    return render.base_map(p, data_url=map_data_url(treaties_root(), p.id))


def state() -> permalink.ViewState:
    return st.session_state["view"]


def pack():
    return catalog().packs[state().pack]


def set_day(day: dt.date, view: str | None = None) -> None:
    state().day, state().view = day, view
    st.session_state["year"] = day.year


def event_labels() -> dict[str, str | None]:
    """Searchable labels of the pack's events (AppTest needs plain string options)."""
    labels: dict[str, str | None] = {"— none —": None}
    for e in pack().events:
        label = f"{e.effective.year} · {e.name}"
        labels[label if label not in labels else f"{label} ({e.id})"] = e.id
    return labels


def label_of(event_id: str | None) -> str:
    return next(k for k, v in event_labels().items() if v == event_id)


def select_event(event_id: str | None, view: str = "after") -> None:
    st.session_state.pop("focus", None)
    state().event = event_id
    # The sidebar's event box is outside the playback fragment: setting it during a tick would
    # leave the browser's copy stale, and the next full run would "choose" the old event again.
    # So the box is brought in line at the start of the next full run instead.
    st.session_state["sync_choice"] = True
    st.session_state["recentre"] = True
    if event_id:
        set_day(timeline.event_day(pack(), event_id, view), view)


def lessons() -> dict:
    return lesson_mode.load_lessons(lesson_mode.lessons_root(), catalog(), treaties_root())[0]


def go_to_step(index: int) -> None:
    lesson = lessons()[st.session_state["lesson"]]
    index = max(0, min(index, len(lesson.steps) - 1))
    st.session_state["lesson_step"] = index
    step = lesson.steps[index]
    if step.event:
        select_event(step.event, step.view or "after")
    else:
        select_event(None)
        set_day(step.day)
    st.session_state["focus"] = step.focus  # after select_event, which clears it


def lesson_titles() -> dict[str, str | None]:
    """Lesson titles for the current pack (AppTest needs plain string options)."""
    titles: dict[str, str | None] = {"— none —": None}
    titles.update({v.title: k for k, v in lessons().items() if v.pack == pack().id})
    return titles


def on_lesson() -> None:
    st.session_state["lesson"] = lesson_titles()[st.session_state["lesson_choice"]]
    if st.session_state["lesson"]:
        go_to_step(0)
    else:
        st.session_state.pop("focus", None)


def step(direction: int) -> None:
    day = state().day
    if direction > 0:
        later = [e for e in timeline.map_changes(pack()) if e.effective > day]
        target = later[0] if later else None
    else:
        earlier = [
            e
            for e in timeline.map_changes(pack())
            if e.effective < day and not (state().view == "after" and e.id == state().event)
        ]
        target = earlier[-1] if earlier else None
    if target is None:
        st.session_state["playing"] = False
        return
    select_event(target.id)


def toggle_play() -> None:
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if playing:
        step(1)


def on_slider() -> None:
    state().view = None
    state().day = permalink.year_end(st.session_state["year"], pack())


def on_pack() -> None:
    st.session_state["view"] = permalink.default_state(catalog(), st.session_state["pack"])
    st.session_state.update(lesson=None, lesson_choice="— none —")
    st.session_state["year"] = state().day.year
    st.session_state.pop("place", None)
    select_event(None)


def on_event_choice() -> None:
    select_event(event_labels()[st.session_state["event_choice"]])


def on_view_choice() -> None:
    set_day(
        timeline.event_day(pack(), state().event, st.session_state["view_choice"]),
        st.session_state["view_choice"],
    )


def first_run() -> None:
    view, notices = permalink.from_params(st.query_params.to_dict(), catalog())
    view.embed = view.embed or bool(st.context.is_embedded)
    st.session_state.update(
        view=view,
        notices=notices,
        year=view.day.year,
        pack=view.pack,
        playing=False,
        recentre=bool(view.event),
    )
    st.session_state["event_choice"] = label_of(view.event)
    wanted = st.query_params.get("lesson")
    if wanted:
        if wanted in lessons() and lessons()[wanted].pack == view.pack:
            st.session_state["lesson"] = wanted
            st.session_state["lesson_choice"] = lessons()[wanted].title
            step = st.query_params.get("step", "1")
            count = len(lessons()[wanted].steps)
            valid = step.isascii() and step.isdigit() and 1 <= int(step) <= count
            if not valid:
                notices.append(
                    f"The link's lesson step “{step}” is not a number from 1 to "
                    f"{count}; starting at step 1."
                )
            go_to_step(int(step) - 1 if valid else 0)
        else:
            notices.append(
                f"The link names lesson “{wanted}”, which is not available for "
                "this pack; no lesson is open."
            )


def sidebar() -> None:
    cat = catalog()
    with st.sidebar:
        st.selectbox(
            "Region (pack)",
            list(cat.packs),
            key="pack",
            on_change=on_pack,
            format_func=lambda p: cat.packs[p].meta["title"],
        )
        for pack_id, problems in cat.skipped.items():
            st.warning(
                f"Pack “{text.md(pack_id)}” was skipped: {text.md(str(problems[0]))}"
                + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else "")
            )
        st.selectbox(
            "Treaty or event",
            list(event_labels()),
            key="event_choice",
            on_change=on_event_choice,
            help="Type to search the events",
        )
        st.selectbox("Lesson", list(lesson_titles()), key="lesson_choice", on_change=on_lesson)
        st.selectbox("Playback speed", list(SPEEDS), index=1, key="speed")
        downloads.panel(pack(), state(), lessons().get(st.session_state.get("lesson") or ""))
        with st.expander("What this map cannot show"):
            scope = pack().meta["scope"]
            st.markdown(f"**Scope:** {text.md(scope['description'])}")
            st.markdown("\n".join(f"- {text.md(item)}" for item in scope.get("limitations", [])))
        share.panel(state(), pack().meta["title"])


def play_controls() -> None:
    """Outside the fragment: pressing them reruns the page and re-registers the playback timer."""
    cols = st.columns([2, 2, 2, 5])
    cols[0].button("◀ Previous change", on_click=step, args=(-1,), width="stretch")
    playing = st.session_state.get("playing", False)
    cols[1].button("⏸ Pause" if playing else "▶ Play", width="stretch", on_click=toggle_play)
    cols[2].button("Next change ▶", on_click=step, args=(1,), width="stretch")


def main_view() -> None:
    """Slider, map, caption, card and place history: re-run alone on each playback tick."""
    # Only playback ticks (fragment reruns) advance here: in a full run the sidebar's widgets
    # already exist and their state may no longer be changed.
    if st.session_state.get("playing") and not st.session_state.get("full_run"):
        step(1)
        if not st.session_state.get("playing"):
            st.rerun()
    st.session_state["full_run"] = False
    p, view = pack(), state()
    compact = view.embed
    marks = sorted({e.effective.year for e in timeline.map_changes(pack())})
    st.slider(
        "Year",
        p.baseline_date.year,
        p.end_date.year,
        key="year",
        on_change=on_slider,
        help="Years with changes: " + ", ".join(map(str, marks)),
    )
    # Built from integers only (no text from data files), so raw HTML is safe here.
    st.markdown(
        share.year_marks(marks, p.baseline_date.year, p.end_date.year), unsafe_allow_html=True
    )
    caption = f"The map shows the borders on **{text.long_date(view.day)}**"
    if view.event and view.view:
        caption += f", {view.view} the {text.md(p.event(view.event).name)}"
    elif view.day.month == 12 and view.day.day == 31:
        caption += " (the last day of the year on the slider)"
    st.markdown(caption + ".")
    if view.event and not compact:
        st.radio(
            "Show",
            ["before", "after"],
            key="view_choice",
            horizontal=True,
            index=0 if view.view == "before" else 1,
            on_change=on_view_choice,
            label_visibility="collapsed",
        )
    if st.session_state.get("lesson") in lessons():
        lesson_mode.panel(
            lessons()[st.session_state["lesson"]],
            p,
            st.session_state.get("lesson_step", 0),
            go_to_step,
        )
    groups = [render.transfer_group(p, p.event(view.event))] if view.event else []
    centre = {}
    if st.session_state.pop("recentre", False):
        focus = st.session_state.get("focus")
        bounds = focus or (render.event_bounds(p, p.event(view.event)) if view.event else None)
        if bounds:
            target = render.view_of(bounds)
            centre = {"center": (target.lat, target.lon), "zoom": target.zoom}
    out = st_folium(
        border_map(p),
        key=f"map-{p.id}",
        height=520 if compact else 600,
        use_container_width=True,
        returned_objects=["last_clicked"],
        feature_group_to_add=groups,
        **centre,
    )
    clicked = (out or {}).get("last_clicked")
    if clicked:
        st.session_state["place"] = (clicked["lng"], clicked["lat"])
    params = permalink.to_params(view)
    if st.session_state.get("lesson"):
        params.update(
            lesson=st.session_state["lesson"], step=str(st.session_state.get("lesson_step", 0) + 1)
        )
    st.query_params.from_dict(params)
    if compact:
        return
    left, right = st.columns([3, 2])
    with left:
        if view.event:
            cards.event_card(p, p.event(view.event))
        else:
            st.info("Choose a treaty or event in the sidebar, or step through the changes.")
    with right:
        if "place" in st.session_state:
            lon, lat = st.session_state["place"]
            cards.place_history(p, lon, lat, view.day, on_event=select_event)
        else:
            st.caption("Click the map to see what ruled a place, and when it changed hands.")


def main() -> None:
    if not catalog().packs:
        st.error("No valid pack was found under treaties/.")
        for pack_id, problems in catalog().skipped.items():
            st.warning(f"{text.md(pack_id)}: " + "; ".join(text.md(str(p)) for p in problems[:5]))
        return
    if "view" not in st.session_state:
        first_run()
    for notice in st.session_state.pop("notices", []):
        st.warning(text.md(notice))
    if st.session_state.pop("sync_choice", False):
        st.session_state["event_choice"] = label_of(state().event)
    if not state().embed:
        st.title(text.md(pack().meta["title"]), anchor=False)
        sidebar()
    play_controls()
    speed = SPEEDS[st.session_state.get("speed", "normal")]
    st.session_state["full_run"] = True
    st.fragment(
        main_view, run_every=speed if st.session_state.get("playing") else None, key="main"
    )()


main()

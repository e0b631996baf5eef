"""Treaty map dashboard: the border map with its time controls, treaty cards, place histories,
lessons and shareable views.

Run with `python -m dashboard.serve` (or `streamlit run app.py`, without the warm start). The
map (dashboard/timemap) owns the day while the person moves it and reports it back once they
stop; only the map's fragment then reruns. Choosing an event, a lesson step or a pack reruns the
page and sends the map a command.
"""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from dashboard import cards, downloads, lesson_mode, packs, permalink, share
from dashboard.timemap import report as timemap_report
from dashboard.timemap import timemap
from geo import text, timeline
from geo.catalog import TREATIES, Catalog
from geo.dates import parse_iso
from geo.pack import Pack

st.set_page_config(page_title="Treaty map", page_icon="🗺️", layout="wide")
NONE = "— none —"


def treaties_root() -> str:
    # An argument of the cached loaders, so that each test's folder gets its own entry.
    return os.environ.get("TREATY_MAP_TREATIES", str(TREATIES))


def loaded() -> packs.Packs:
    """This session's version of the packs: the same for the whole run (see take_packs)."""
    if "packs" not in st.session_state:
        st.session_state["packs"] = packs.refresh(treaties_root())
    return st.session_state["packs"]


def catalog() -> Catalog:
    return loaded().catalog


@st.cache_resource
def event_labels(_pack: Pack, key: str) -> dict[str, str | None]:
    """Searchable labels of a pack's events (AppTest needs plain string options); ``key`` is
    the pack's content key. One shared, unchanged dict: read several times a run, never copied."""
    del key
    labels: dict[str, str | None] = {NONE: None}
    for e in _pack.events:
        label = f"{e.effective.year} · {e.name}"
        labels[label if label not in labels else f"{label} ({e.id})"] = e.id
    return labels


def lessons() -> dict:
    version = f"{treaties_root()}#{loaded().version}"
    return lesson_mode.load_lessons(lesson_mode.lessons_root(), catalog(), version)[0]


def state() -> permalink.ViewState:
    return st.session_state["view"]


def pack():
    return catalog().packs[state().pack]


def labels() -> dict[str, str | None]:
    return event_labels(pack(), loaded().keys[state().pack])


def label_of(event_id: str | None) -> str:
    return next(k for k, v in labels().items() if v == event_id)


def command(**fields) -> None:
    """Send the map a move (day, event, focus); the id makes each one happen once."""
    number = st.session_state.get("command", {}).get("id", 0) + 1
    view = state()
    st.session_state["command"] = {
        "id": number,
        "day": view.day.toordinal(),
        "event": view.event,
        **fields,
    }


def select_event(event_id: str | None, view: str = "after", focus: bool = True) -> None:
    current = state()
    current.event, current.view = event_id, (view if event_id else None)
    if event_id:
        current.day = timeline.event_day(pack(), event_id, view)
    command(focus="event" if event_id and focus else None)
    st.session_state["event_choice"] = label_of(event_id)


def on_event_choice() -> None:
    select_event(labels()[st.session_state["event_choice"]])


def on_view_choice() -> None:
    select_event(state().event, st.session_state["view_choice"], focus=False)


def on_pack() -> None:
    st.session_state["view"] = permalink.default_state(catalog(), st.session_state["pack"])
    st.session_state.pop("place", None)
    st.session_state["lesson_choice"] = NONE
    select_event(None)


def go_to_step(index: int) -> None:
    lesson = lessons()[state().lesson]
    permalink.go_to_step(state(), lesson, pack(), index)
    step = lesson.steps[state().step]
    command(focus=list(step.focus) if step.focus else ("event" if step.event else None))
    st.session_state["event_choice"] = label_of(state().event)


def lesson_titles() -> dict[str, str | None]:
    """Lesson titles for the current pack (AppTest needs plain string options)."""
    titles: dict[str, str | None] = {NONE: None}
    titles.update({v.title: k for k, v in lessons().items() if v.pack == state().pack})
    return titles


def on_lesson() -> None:
    state().lesson = lesson_titles()[st.session_state["lesson_choice"]]
    if state().lesson:
        go_to_step(0)
    else:
        command(focus=None)


def first_run() -> None:
    view, notices = permalink.from_params(st.query_params.to_dict(), catalog(), lessons())
    view.embed = view.embed or bool(st.context.is_embedded)
    show(view, notices)


def take_packs() -> None:
    """Take the packs as they are on disk now, once per page run; a session whose pack was
    edited or removed meanwhile moves its view onto what is there now."""
    before = st.session_state.get("packs")
    st.session_state["packs"] = packs.refresh(treaties_root())
    if before is None or "view" not in st.session_state or not catalog().packs:
        return
    if packs.changed(before, loaded(), state().pack):
        if state().pack not in catalog().packs:
            st.session_state.pop("place", None)
        show(*permalink.after_reload(state(), catalog(), lessons()))


def show(view: permalink.ViewState, notices: list[str]) -> None:
    """Make ``view`` the session's view and bring every widget and the map in line with it."""
    st.session_state.update(view=view, notices=notices, pack=view.pack)
    st.session_state["event_choice"] = label_of(view.event)
    titles = {k: t for t, k in lesson_titles().items()}
    st.session_state["lesson_choice"] = titles.get(view.lesson, NONE)
    step = lessons()[view.lesson].steps[view.step] if view.lesson else None
    focus = list(step.focus) if step and step.focus else ("event" if view.event else None)
    command(focus=focus)


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
        for notice in packs.stale_notices(loaded()):
            st.warning(text.md(notice))
        st.selectbox("Lesson", list(lesson_titles()), key="lesson_choice", on_change=on_lesson)
        with st.expander("What this map cannot show"):
            scope = pack().meta["scope"]
            st.markdown(f"**Scope:** {text.md(scope['description'])}")
            st.markdown("\n".join(f"- {text.md(item)}" for item in scope.get("limitations", [])))
        share.panel(state(), pack().meta["title"])


def take_report() -> None:
    """Bring the view in line with what the map last reported (each report once).

    Read from the component's state before any widget is drawn, so the event box can follow.
    """
    report = timemap_report(st.session_state.get(view_key()))
    seen = (view_key(), report.seq if report else None)
    if report is None or st.session_state.get("seen") == seen:
        return
    st.session_state["seen"] = seen
    view, p = state(), pack()
    view.day = min(max(parse_iso(report.day), p.baseline_date), p.end_date)
    if report.event != view.event and (report.event is None or p.event(report.event)):
        view.event = report.event
        st.session_state["event_choice"] = label_of(view.event)
    view.view = None
    for side in ("after", "before"):
        if view.event and view.day == timeline.event_day(p, view.event, side):
            view.view = side
            break
    if report.click:
        st.session_state["place"] = report.click


def view_key() -> str:
    return f"map-{state().pack}"


def event_controls() -> None:
    """The treaty picker and the before/after switch, right above the map."""
    p, view = pack(), state()
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.selectbox(
        "Treaty or event",
        list(labels()),
        key="event_choice",
        on_change=on_event_choice,
        help="Type to search the events",
    )
    if view.event and view.view:
        right.radio(
            f"Borders around the {p.event(view.event).name}",
            ["before", "after"],
            key="view_choice",
            horizontal=True,
            index=0 if view.view == "before" else 1,
            on_change=on_view_choice,
        )


def caption(p, view: permalink.ViewState) -> str:
    """The day shown, in words (the map says it too; this is what screen readers find first)."""
    words = f"The map shows the borders on **{text.long_date(view.day)}**"
    if view.event and view.view:
        words += f", {view.view} the {text.md(p.event(view.event).name)}"
    elif view.day.month == 12 and view.day.day == 31:
        words += " (the last day of the year on the slider)"
    return words + "."


@st.fragment
def map_view() -> None:
    """Picker, map, card and place history: the only part a report from the map reruns."""
    take_report()
    p, view = pack(), state()
    if not view.embed:
        event_controls()
    timemap(
        packs.map_parts(treaties_root(), p.id),
        st.session_state["command"],
        height=520 if view.embed else 620,
        key=view_key(),
    )
    st.markdown(caption(p, view))
    st.query_params.from_dict(permalink.to_params(view))
    if view.embed:
        return
    left, right = st.columns([3, 2])
    with left:
        if view.event:
            cards.event_card(p, p.event(view.event))
        else:
            st.info(
                "Choose a treaty or event above the map, or use the controls on the map: "
                "◀ and ▶▶ step through the changes, ▶ plays them."
            )
    with right:
        if "place" in st.session_state:
            lon, lat = st.session_state["place"]
            cards.place_history(p, lon, lat, view.day, on_event=select_event)
        else:
            st.caption("Click the map to see what ruled a place, and when it changed hands.")
        # Beside the map, not in the sidebar: the files follow the day the map shows.
        downloads.panel(p, view, lessons().get(view.lesson or ""))


@st.fragment(run_every=dt.timedelta(seconds=30))
def watch_packs() -> None:
    """Run the whole page when the packs changed on disk since this page's last run, so an open
    page follows an edit even while only its map is used.

    Being timed matters for a second reason: only a page with a timed fragment asks for a full
    run when it reconnects after a server restart; any other page stays bound to a new, empty
    session whose map reports go nowhere.
    """
    if packs.refresh(treaties_root()).version != loaded().version:
        st.rerun()


def main() -> None:
    take_packs()
    watch_packs()
    if not catalog().packs:
        st.error("No valid pack was found under treaties/.")
        for pack_id, problems in catalog().skipped.items():
            st.warning(f"{text.md(pack_id)}: " + "; ".join(text.md(str(p)) for p in problems[:5]))
        return
    if "view" not in st.session_state:
        first_run()
    for notice in st.session_state.pop("notices", []):
        st.warning(text.md(notice))
    if not state().embed:
        st.title(text.md(pack().meta["title"]), anchor=False)
        sidebar()
    lesson = lessons().get(state().lesson or "")
    if lesson:
        lesson_mode.panel(lesson, pack(), state().step, go_to_step)
    map_view()


main()

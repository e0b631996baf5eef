"""Streamlit pieces that show text from the data: the event card and the place history.

All data strings pass through ``geo.text.md`` (Markdown-escaped) or are given to widgets that
show plain text; nothing from a data file is rendered as HTML.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import streamlit as st

from geo import query, text
from geo.pack import Event, Pack
from geo.render import total_area


def source_link(pack: Pack, source_id: str) -> str:
    source = pack.meta["sources"][source_id]
    title = text.md(source["title"])
    extra = ", ".join(text.md(str(source[k])) for k in ("author", "year", "pages") if k in source)
    label = f"{title} ({extra})" if extra else title
    url = source.get("url")
    # Parentheses and spaces would end the Markdown link early; the schema allows http(s) only.
    return f"[{label}]({quote(url, safe=':/?&=#%~+,;@!*')})" if url else label


def event_card(pack: Pack, event: Event) -> None:
    """Everything the pack says about one event."""
    record = event.record
    st.subheader(text.md(event.name), anchor=False)
    st.markdown(f"*{text.md(text.describe(pack, event))}*")
    names = [f"**{label}:** {text.md(name)}" for label, name in text.other_names(event)]
    if names:
        st.markdown("  \n".join(names))
    facts = text.card_facts(pack, event)
    st.markdown("\n".join(f"- **{label}:** {text.md(value)}" for label, value in facts))
    st.markdown(text.md(record["summary"]))
    if record.get("clauses"):
        st.markdown("**Notable clauses**")
        st.markdown(
            "\n".join(
                f"- *{text.md(c['topic'])}*"
                + (f" (Art. {text.md(c['article'])})" if c.get("article") else "")
                + f": {text.md(c['text'])}"
                for c in record["clauses"]
            )
        )
    if event.transfers:
        transfer_table(pack, event)
    st.markdown("**Sources**")
    st.markdown("\n".join(f"- {source_link(pack, s)}" for s in record["sources"]))


def transfer_table(pack: Pack, event: Event) -> None:
    areas = pack.timeline.transfer_areas
    rows = []
    for t in event.transfers:
        row = {
            "Territory": t.name,
            "From": pack.polities[t.source].name,
            "To": pack.polities[t.target].name,
            "Kind": t.mode,
            "Area (km², computed)": round(float(areas[(event.id, t.id)])),
            "Published area (km²)": t.published_area_km2,
            "Today": "; ".join(t.modern_units),
            "Precision": t.precision,
            "How it was drawn": t.method,
        }
        rows.append(row)
    st.markdown(
        f"**Territory** — {total_area(event):,.0f} km² changed hands"
        if any(t.mode == "cession" for t in event.transfers)
        else "**Territory**"
    )
    st.dataframe(rows, hide_index=True, width="stretch")


def place_history(pack: Pack, lon: float, lat: float, day: dt.date, on_event) -> None:
    """'What ruled here': the chain of holders of a clicked point, each change linked."""
    answer = query.where(pack, lon, lat, day)
    st.subheader("What ruled here", anchor=False)
    st.caption(f"Point {lat:.3f}° N, {lon:.3f}° E")
    if answer.polity is None:
        note = answer.note
        st.info(text.md(note[:1].upper() + note[1:]))
        return
    holder = answer.polity.name
    line = f"On {text.long_date(day)}: **{text.md(holder)}**"
    if answer.sovereign:
        line += f" ({text.md(answer.status)} of {text.md(answer.sovereign.name)})"
    st.markdown(line)
    for i, period in enumerate(answer.history):
        start = text.long_date(period.start)
        end = text.long_date(period.end) if period.end else "today"
        cols = st.columns([3, 2])
        ruler = f"**{text.md(period.polity.name)}**"
        if period.sovereign:
            ruler += f" ({text.md(period.status)} of {text.md(period.sovereign.name)})"
        cols[0].markdown(f"{start} – {end}: {ruler}")
        if period.event:
            cols[1].button(
                text.md(period.event_name),
                key=f"history-{i}-{period.event}",
                on_click=on_event,
                args=(period.event,),
                help="Show this event on the map",
            )
        else:
            cols[1].caption("held on the baseline date" if i == 0 else "")

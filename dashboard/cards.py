"""Streamlit views of the card models in ``geo.cards``: the event card and the place history.

All data strings pass through ``geo.text.md`` (Markdown-escaped) or are given to widgets that
show plain text; nothing from a data file is rendered as HTML. The Markdown is built by plain
functions, so tests can compare it with the offline pages without running the app.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import streamlit as st

from geo import cards, text
from geo.cards import EventCard, Source
from geo.pack import Event, Pack


def source_line(source: Source) -> str:
    """'[Title (author, year, publisher, pages)](url) (kind) — note', linked only to web
    addresses."""
    label = text.md(source.title)
    if source.details:
        label += f" ({', '.join(text.md(d) for d in source.details)})"
    if source.link:
        # Parentheses and spaces would end the Markdown link early.
        label = f"[{label}]({quote(source.link, safe=':/?&=#%~+,;@!*')})"
    if source.kind:
        label += f" ({text.md(source.kind)})"
    return f"{label} — {text.md(source.note)}" if source.note else label


def head_markdown(card: EventCard) -> list[str]:
    """The Markdown blocks above the territory table: description, names, facts, clauses."""
    blocks = [f"*{text.md(card.description)}*"]
    if card.other_names:
        blocks.append("  \n".join(f"**{n.label}:** {text.md(n.value)}" for n in card.other_names))
    blocks.append("\n".join(f"- **{f.label}:** {text.md(f.value)}" for f in card.facts()))
    blocks.append(text.md(card.summary))
    if card.clauses:
        blocks.append("**Notable clauses**")
        blocks.append("\n".join(_clause(c) for c in card.clauses))
    return blocks


def _clause(clause: cards.Clause) -> str:
    article = f" (Art. {text.md(clause.article)})" if clause.article else ""
    return f"- *{text.md(clause.topic)}*{article}: {text.md(clause.text)}"


def territory_heading(card: EventCard) -> str:
    if card.ceded_km2 is None:
        return "**Territory**"
    return f"**Territory** — {card.ceded_km2:,} km² changed hands"


def transfer_rows(card: EventCard) -> list[dict]:
    """The territory table as rows for ``st.dataframe`` (plain text, never Markdown)."""
    return [
        {label: getattr(row, field) for label, field in cards.TRANSFER_COLUMNS}
        for row in card.transfers
    ]


def tail_markdown(card: EventCard) -> list[str]:
    """The Markdown blocks below the territory table: notes and sources."""
    blocks = []
    if card.notes:
        blocks.append("**Notes**")
        blocks.append("\n".join(f"- *{text.md(n.label)}*: {text.md(n.value)}" for n in card.notes))
    blocks.append("**Sources**")
    blocks.append("\n".join(f"- {source_line(s)}" for s in card.sources))
    return blocks


def card_elements(card: EventCard) -> list[tuple[str, object]]:
    """The card as (Streamlit element, content) pairs, in the order the app shows them."""
    parts: list[tuple[str, object]] = [("subheader", text.md(card.title))]
    parts += [("markdown", block) for block in head_markdown(card)]
    if card.transfers:
        parts += [("markdown", territory_heading(card)), ("dataframe", transfer_rows(card))]
    parts += [("markdown", block) for block in tail_markdown(card)]
    return parts


def event_card(pack: Pack, event: Event) -> None:
    """Everything the pack says about one event."""
    for element, content in card_elements(cards.event_card(pack, event)):
        if element == "subheader":
            st.subheader(content, anchor=False)
        elif element == "dataframe":
            st.dataframe(content, hide_index=True, width="stretch")
        else:
            st.markdown(content)


def place_history(pack: Pack, lon: float, lat: float, day: dt.date, on_event) -> None:
    """'What ruled here': the chain of holders of a clicked point, each change linked."""
    history = cards.place_history(pack, lon, lat, day)
    st.subheader("What ruled here", anchor=False)
    st.caption(f"Point {history.point}")
    if history.holder is None:
        st.info(text.md(history.note))
        return
    if history.nearby:
        st.info(text.md(history.nearby))
    st.markdown(f"On {history.day}: {_ruler(history.holder, history.dependency)}")
    for i, period in enumerate(history.periods):
        cols = st.columns([3, 2])
        cols[0].markdown(
            f"{period.start} – {period.end}: {_ruler(period.ruler, period.dependency)}"
        )
        if period.event_id:
            cols[1].button(
                text.md(period.event_name),
                key=f"history-{i}-{period.event_id}",
                on_click=on_event,
                args=(period.event_id,),
                help="Show this event on the map",
            )
        else:
            cols[1].caption("held on the baseline date" if i == 0 else "")


def _ruler(name: str, dependency: str | None) -> str:
    ruler = f"**{text.md(name)}**"
    return f"{ruler} ({text.md(dependency)})" if dependency else ruler

"""Sharing a view: the permalink, the iframe embed code, and the marks under the slider."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import streamlit as st

from dashboard import permalink


def embed_snippet(base: str, params: dict[str, str], title: str) -> str:
    """An iframe for the compact layout of this view (title escaped for the attribute)."""
    query = urlencode({**params, "layout": "compact", "embed": "true"})
    return (
        f'<iframe src="{base}?{query}" width="100%" height="640" style="border:0" '
        f'loading="lazy" title="{html.escape(title)}"></iframe>'
    )


def panel(view: permalink.ViewState, title: str) -> None:
    with st.expander("Share or embed this view"):
        params = permalink.to_params(view)
        base = (st.context.url or "").split("?")[0].rstrip("/") + "/"
        st.code(f"{base}?{urlencode(params)}", language=None)
        st.caption("Embed code (copy with the button at the right):")
        st.code(embed_snippet(base, params, title), language="html")


def year_marks(years: list[int], first: int, last: int) -> str:
    """An SVG strip of ticks, one per year in which the borders changed (numbers only)."""
    span = max(last - first, 1)
    ticks = "".join(
        f'<line x1="{(y - first) / span * 1000:.1f}" y1="0" '
        f'x2="{(y - first) / span * 1000:.1f}" y2="10"/>'
        for y in years
    )
    label = "Years with border changes: " + ", ".join(map(str, years))
    return (
        f'<svg viewBox="0 0 1000 10" preserveAspectRatio="none" width="100%" height="10" '
        f'role="img" aria-label="{label}" style="display:block;margin-top:-14px">'
        f'<g stroke="#c2493d" stroke-width="2">{ticks}</g></svg>'
    )

"""Sharing a view: the permalink and the iframe embed code."""

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

"""Download buttons for lessons: offline page, picture (PNG and PDF), animation, data, lesson.

Each export is a callable, made only when its button is pressed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from dashboard.permalink import ViewState
from geo import pages
from geo.lessons import Lesson
from geo.pack import Pack


def panel(pack: Pack, view: ViewState, lesson: Lesson | None) -> None:
    event = pack.event(view.event) if view.event else None
    stem = f"{pack.id}-{event.id if event else view.day.isoformat()}"
    years = (
        max(view.day.year - 25, pack.baseline_date.year),
        min(view.day.year + 25, pack.end_date.year),
    )
    with st.expander("Download for a lesson"):
        st.download_button(
            "Offline page (HTML)",
            file_name=f"{stem}.html",
            mime="text/html",
            data=lambda: pages.standalone_html(pack, event),
            width="stretch",
        )
        picture_buttons(pack, view.day, event, stem)
        st.download_button(
            f"Animation {years[0]}–{years[1]} (GIF)",
            mime="image/gif",
            file_name=f"{pack.id}-{years[0]}-{years[1]}.gif",
            width="stretch",
            data=lambda: animation_bytes(pack, *years),
        )
        st.download_button(
            "The data (GeoJSON and CSV, zip)",
            file_name=f"{pack.id}-data.zip",
            mime="application/zip",
            data=lambda: data_zip(pack),
            width="stretch",
        )
        if lesson is not None:
            st.download_button(
                "This lesson (HTML)",
                file_name=f"{lesson.id}.html",
                mime="text/html",
                width="stretch",
                data=lambda: pages.lesson_html(pack, lesson),
            )
        st.caption("The pages work offline: everything they need is inside the file.")


def picture_buttons(pack: Pack, day, event, stem: str) -> None:
    """The print picture as PNG (for slides) and as vector PDF (for paper)."""
    for kind, mime in (("png", "image/png"), ("pdf", "application/pdf")):
        st.download_button(
            f"Print picture ({kind.upper()})",
            file_name=f"{stem}.{kind}",
            mime=mime,
            data=lambda kind=kind: picture_bytes(pack, day, event, kind),
            width="stretch",
        )


def picture_bytes(pack: Pack, day, event, kind: str = "png") -> bytes:
    from geo import export  # matplotlib loads on the first download, not at app start

    write = {"png": export.png, "pdf": export.pdf}[kind]
    with tempfile.TemporaryDirectory() as tmp:
        return write(pack, day, Path(tmp) / f"map.{kind}", event).read_bytes()


def animation_bytes(pack: Pack, year_from: int, year_to: int) -> bytes:
    from geo import export

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "animation.gif"
        export.animation(pack, year_from, year_to, out)
        return out.read_bytes()


def data_zip(pack: Pack) -> bytes:
    from geo import export

    return export.data_zip(pack)

"""Lesson mode: step forward and back through a lesson, with its captions beside the map."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from geo import text
from geo.catalog import Catalog
from geo.lessons import LESSONS, Lesson, lesson_files, read_lesson


@st.cache_resource
def load_lessons(root: str, _catalog: Catalog, treaties_root: str) -> tuple[dict, dict]:
    """Valid lessons by id, and the problems of those that failed (keyed by file name)."""
    del treaties_root  # the cache key for the catalog, which cannot be hashed itself
    lessons, skipped = {}, {}
    for path in lesson_files(Path(root)):
        lesson, problems = read_lesson(path, _catalog.packs)
        if lesson is None:
            skipped[path.name] = problems
        else:
            lessons[lesson.id] = lesson
    return lessons, skipped


def lessons_root() -> str:
    return os.environ.get("TREATY_MAP_LESSONS", str(LESSONS))


def panel(lesson: Lesson, pack, index: int, on_step) -> None:
    """The current step's caption and what changed, with Back and Next."""
    step = lesson.steps[index]
    st.markdown(f"**Lesson:** {text.md(lesson.title)} · step {index + 1} of {len(lesson.steps)}")
    cols = st.columns([1, 1, 6])
    cols[0].button(
        "◀ Back",
        key="lesson-back",
        on_click=on_step,
        args=(index - 1,),
        disabled=index == 0,
        width="stretch",
    )
    cols[1].button(
        "Next ▶",
        key="lesson-next",
        on_click=on_step,
        args=(index + 1,),
        disabled=index == len(lesson.steps) - 1,
        width="stretch",
    )
    st.info(text.md(step.caption))
    words = (
        text.describe(pack, pack.event(step.event))
        if step.event
        else text.describe_day(pack, step.day)
    )
    st.caption(text.md(words))

"""Shared steps for the browser tests."""

from __future__ import annotations

import datetime as dt
import re

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def open_app(page, url: str, query: str = "") -> None:
    page.goto(f"{url}/{query}")
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)
    wait_map(page)


def map_frame(page):
    handle = page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    return handle.content_frame()


def wait_map(page) -> None:
    frame = map_frame(page)
    frame.wait_for_function("window.timeMap && window.timeMap.visibleCount() > 0", timeout=60_000)


def map_day(page) -> dt.date:
    return dt.date.fromordinal(map_frame(page).evaluate("window.timeMap.day"))


def wait_day(page, day: dt.date) -> None:
    map_frame(page).wait_for_function(f"window.timeMap.day === {day.toordinal()}", timeout=20_000)


def visible(page) -> set[str]:
    return set(map_frame(page).evaluate("window.timeMap.visiblePolities()"))


def url_param(page, name: str) -> str | None:
    match = re.search(rf"[?&]{name}=([^&]+)", page.url)
    return match.group(1) if match else None

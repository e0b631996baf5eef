"""Shared steps for the browser tests."""

from __future__ import annotations

import datetime as dt
import re

MAP_IFRAME = 'iframe[title="dashboard.timemap.timemap"]'


def open_app(page, url: str, query: str = "") -> None:
    page.goto(f"{url}/{query}")
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)
    wait_map(page)


def map_frame(page):
    handle = page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    return handle.content_frame()


def wait_map(page) -> None:
    frame = map_frame(page)
    frame.wait_for_function(
        "window.timeMap && window.timeMap.ready && window.timeMap.visiblePolities().length > 0",
        timeout=60_000,
    )


def map_day(page) -> dt.date:
    return dt.date.fromordinal(map_frame(page).evaluate("window.timeMap.day"))


def wait_day(page, day: dt.date) -> None:
    map_frame(page).wait_for_function(f"window.timeMap.day === {day.toordinal()}", timeout=20_000)


def wait_url(page, name: str, value: str) -> None:
    page.wait_for_function(
        f"new URLSearchParams(location.search).get({name!r}) === {value!r}", timeout=20_000
    )


def visible(page) -> set[str]:
    return set(map_frame(page).evaluate("window.timeMap.visiblePolities()"))


def url_param(page, name: str) -> str | None:
    match = re.search(rf"[?&]{name}=([^&]+)", page.url)
    return match.group(1) if match else None


def map_point(page, lat: float, lon: float) -> tuple[float, float]:
    """Where a place is on the page, in the page's pixels."""
    point = map_frame(page).evaluate(
        f"(() => {{ const p = window.timeMap.map.latLngToContainerPoint([{lat}, {lon}]);"
        " return [p.x, p.y]; })()"
    )
    box = page.locator(MAP_IFRAME).bounding_box()
    return box["x"] + point[0], box["y"] + point[1]


def click_map(page, lat: float, lon: float) -> None:
    """Click the map at a place, through the page as a person would."""
    page.mouse.click(*map_point(page, lat, lon))

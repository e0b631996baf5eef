"""A pack whose names, summaries and sources carry HTML and script payloads: in the browser no
script runs and the text shows literally, in the map legend, tooltips, labels, card and history."""

from __future__ import annotations

import pytest

from bench.appserver import start_app, stop_app
from tests.conftest import IMG, SCRIPT, xss_world
from tests.e2e.helpers import click_map, map_frame, map_point, open_app


@pytest.fixture(scope="module")
def xss_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xss") / "treaties"
    xss_world(folder / "xss")
    process, url = start_app(folder)
    yield url
    stop_app(process)


def test_no_script_runs_and_text_shows_literally(page, xss_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_app(page, xss_url, "?event=cession-1813&date=1813-10-24")
    page.get_by_text("Treaty of Payloads", exact=False).first.wait_for()
    frame = map_frame(page)
    frame.wait_for_function(
        "window.timeMap && window.timeMap.ready && window.timeMap.visiblePolities().length === 2"
    )
    tips = []
    for lat, lon in ((0.75, 0.5), (0.25, 0.5), (0.5, 1.5)):  # hover the land (tooltips)
        page.mouse.move(*map_point(page, lat, lon))
        page.wait_for_timeout(300)
        tips.append(frame.locator(".leaflet-tooltip").last.inner_text())
    assert IMG + "West" in tips[0]
    assert frame.evaluate("window.timeMap.visibleLabels()")  # names drawn as text too
    click_map(page, 0.25, 0.5)
    page.get_by_text("What ruled here").wait_for(timeout=20_000)
    page.get_by_text("What this map cannot show").click()
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__xss") is None
    assert frame.evaluate("window.top.__xss") is None
    legend = frame.locator(".tm-legend").inner_text()
    assert IMG + "West" in legend
    body = page.locator("body").inner_text()
    assert SCRIPT + "Treaty of Payloads" in body
    assert "**not bold** <b>not bold either</b>" in body
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert frame.locator("img[src='x']").count() == 0
    assert dialogs == []
    assert page.errors == []

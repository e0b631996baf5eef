"""A pack whose names, summaries and sources carry HTML and script payloads: in the browser no
script runs and the text shows literally, in the map legend, tooltips, labels, card and history."""

from __future__ import annotations

import datetime as dt

import pytest

from bench.appserver import start_app
from geo import synthetic as syn
from tests.conftest import half, two_state_world
from tests.e2e.helpers import map_frame, open_app

D = dt.date
IMG = '<img src=x onerror="window.top.__xss=1">'
SCRIPT = "<script>window.top.__xss=2</script>"
SVG = '<svg onload="window.top.__xss=4"></svg>'


@pytest.fixture(scope="module")
def xss_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xss") / "treaties"
    pack = two_state_world(
        folder / "xss",
        {
            "cession-1813": syn.event(
                D(1813, 10, 24),
                [syn.transfer("lower", "west", "east", half(0, "lower"), name=f"{SVG}Lowland")],
                kind="treaty",
                signed=D(1813, 10, 24),
                parties=["west", "east"],
                names={"en": f"{SCRIPT}Treaty of Payloads", "ru": IMG},
                summary="**not bold** <b>not bold either</b> [x](javascript:window.top.__xss=3)",
            ),
        },
        scope={"description": f"{IMG}the grid", "limitations": [SCRIPT]},
        sources={"synthetic": {"title": '<iframe src="javascript:window.top.__xss=5">'}},
    )
    text = (pack / "polities.toml").read_text()
    (pack / "polities.toml").write_text(text.replace('en = "West"', f"en = '{IMG}West'"))
    process, url = start_app(folder)
    yield url
    process.terminate()
    process.wait(timeout=20)


def test_no_script_runs_and_text_shows_literally(page, xss_url):
    open_app(page, xss_url, "?event=cession-1813&date=1813-10-24")
    page.get_by_text("Treaty of Payloads", exact=False).first.wait_for()
    frame = map_frame(page)
    frame.wait_for_function("window.timeMap && window.timeMap.visibleCount() === 2")
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    for fx, fy in ((0.45, 0.5), (0.55, 0.5), (0.5, 0.45)):  # hover the polygons (tooltips)
        page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.wait_for_timeout(300)
    page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.5)
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
    assert page.errors == []

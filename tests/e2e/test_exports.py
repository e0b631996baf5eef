"""Exported pages opened from file:// in Chromium with the network blocked: the map draws, the
slider and the lesson steps change the borders, no text from the data runs as script, and the
page raises no errors."""

from __future__ import annotations

import datetime as dt

import pytest

from geo import pages
from geo.catalog import load_pack
from geo.cli import main
from geo.lessons import LESSONS
from tests.conftest import JS_URL, SCRIPT, xss_world

D = dt.date


@pytest.fixture
def offline_page(browser, artifacts, request):
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    page.screenshot(path=str(artifacts / f"{request.node.name}.png"))
    context.close()


def open_export(page, path) -> None:
    page.goto(path.as_uri())
    page.wait_for_function(
        "window.timeMap && window.timeMap.ready && window.timeMap.visiblePolities().length > 0"
    )


def test_html_export_works_offline(offline_page, tmp_path):
    out = tmp_path / "full.html"
    assert main(["export", "html", "--out", str(out)]) == 0
    page = offline_page
    open_export(page, out)
    assert page.evaluate("window.timeMap.day") == D(2025, 12, 31).toordinal()
    slider = page.locator(".tm-slider input")
    slider.fill("1827")
    slider.dispatch_event("input")
    assert page.evaluate("window.timeMap.day") == D(1827, 12, 31).toordinal()
    assert "erivan_khanate" in page.evaluate("window.timeMap.visiblePolities()")
    page.locator(".tm-next").click()
    assert page.evaluate("window.timeMap.day") == D(1828, 2, 22).toordinal()
    assert "erivan_khanate" not in page.evaluate("window.timeMap.visiblePolities()")
    assert page.errors == []


def test_html_export_opens_on_the_treaty(offline_page, tmp_path):
    out = tmp_path / "gulistan.html"
    assert (
        main(
            [
                "export",
                "html",
                "--event",
                "gulistan-1813",
                "--from",
                "1800",
                "--to",
                "1830",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    page = offline_page
    open_export(page, out)
    assert page.evaluate("window.timeMap.day") == D(1813, 10, 24).toordinal()
    page.get_by_role("button", name="Before").first.click()
    assert page.evaluate("window.timeMap.day") == D(1813, 10, 23).toordinal()
    assert page.locator(".tm-slider input").get_attribute("max") == "1830"
    assert page.errors == []


def test_lesson_export_steps_through_the_lesson(offline_page, tmp_path):
    out = tmp_path / "lesson.html"
    source = LESSONS / "south-caucasus-1801-1828.toml"
    assert main(["export", "lesson", str(source), "--out", str(out)]) == 0
    page = offline_page
    open_export(page, out)
    assert page.evaluate("window.timeMap.day") == D(1800, 1, 1).toordinal()
    page.get_by_text("Step 1 of 8").wait_for()
    page.locator("#tm-next").click()
    assert page.evaluate("window.timeMap.day") == D(1801, 1, 30).toordinal()
    page.get_by_text("Step 2 of 8").wait_for()
    for _ in range(6):
        page.locator("#tm-next").click()
    assert page.evaluate("window.timeMap.day") == D(1828, 2, 22).toordinal()
    assert "Treaty of Turkmenchay" in page.locator(".tm-step.current").inner_text()
    assert page.errors == []


def test_offline_page_of_a_payload_pack_runs_no_script(offline_page, tmp_path):
    pack, problems = load_pack(xss_world(tmp_path / "xss"))
    assert problems == []
    pack.meta["sources"]["synthetic"]["url"] = JS_URL  # refused by validation; guard anyway
    out = tmp_path / "payloads.html"
    out.write_text(pages.standalone_html(pack, pack.event("cession-1813")), encoding="utf-8")
    page = offline_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_export(page, out)
    for button in page.locator("#tm-panel button").all():
        button.click()
    page.locator("#tm-panel a").first.hover()
    box = page.locator(".folium-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.5)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    assert f"{SCRIPT}Treaty of Payloads" in page.locator("#tm-panel").inner_text()
    assert page.locator("#tm-panel img, #tm-panel svg, #tm-panel iframe").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.errors == []

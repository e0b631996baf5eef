"""Exported pages opened from file:// in Chromium with the network blocked: the map draws, the
slider and the lesson steps change the borders, and the page raises no errors."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.cli import main
from geo.lessons import LESSONS

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
    page.wait_for_function("window.timeMap && window.timeMap.visibleCount() > 0")


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

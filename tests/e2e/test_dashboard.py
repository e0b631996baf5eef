"""The dashboard in a real browser (Debian's Chromium via Playwright), offline.

Each page blocks every request that does not go to the local app, so every test here also shows
that the app needs no internet. The map owns its time controls; the page hears the day back."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from bench.appserver import ROOT, start_streamlit, stop_app
from tests.e2e.helpers import (
    MAP_IFRAME,
    click_map,
    map_day,
    map_frame,
    open_app,
    url_param,
    visible,
    wait_day,
    wait_map,
    wait_url,
)

D = dt.date


def test_first_load_draws_the_map_offline(page, context, app_url):
    open_app(page, app_url)
    assert map_day(page) == D(2025, 12, 31)
    assert {"iran", "azerbaijan", "armenia", "georgia", "turkmenistan"} <= visible(page)
    frame = map_frame(page)
    assert frame.locator(".leaflet-tm-borders-pane path").count() > 0
    label = frame.evaluate("window.timeMap.map.getContainer().getAttribute('aria-label')")
    assert label.startswith("Map of the borders on 31 December 2025. Holders: ")
    assert "Islamic Republic of Iran" in label
    assert context.blocked == []
    assert page.errors == []


def test_slider_step_swaps_borders_without_reloading_the_map(page, app_url):
    open_app(page, app_url, "?date=1828-12-31")
    frame = map_frame(page)
    frame.evaluate("window.__planted = 42; window.timeMap.map.setZoom(7)")
    assert "erivan_khanate" not in visible(page)
    frame.get_by_role("slider", name="Year").focus()
    page.keyboard.press("ArrowLeft")
    wait_day(page, D(1827, 12, 31))
    assert "erivan_khanate" in visible(page)
    wait_url(page, "date", "1827-12-31")
    assert frame.evaluate("window.__planted") == 42  # same document: no remount
    assert frame.evaluate("window.timeMap.map.getZoom()") == 7
    assert page.errors == []


def test_twenty_fast_key_presses_end_on_one_day_and_url(page, app_url):
    open_app(page, app_url, "?date=1900-12-31")
    map_frame(page).get_by_role("slider", name="Year").focus()
    for _ in range(20):
        page.keyboard.press("ArrowLeft")
    wait_day(page, D(1880, 12, 31))
    wait_url(page, "date", "1880-12-31")
    page.wait_for_selector('[data-test-script-state="notRunning"]')
    page.wait_for_timeout(1500)  # nothing arriving late may move it again
    assert map_day(page) == D(1880, 12, 31)
    assert url_param(page, "date") == "1880-12-31"


def test_next_and_previous_change_show_the_change_and_its_card(page, app_url):
    open_app(page, app_url, "?date=1827-06-01")
    frame = map_frame(page)
    frame.get_by_role("button", name="Next change").click()
    wait_day(page, D(1828, 2, 22))
    page.get_by_role("heading", name="Treaty of Turkmenchay").wait_for()
    wait_url(page, "event", "turkmenchay-1828")
    # The map highlights the land that moved: five transfers outlined in the giver's colour.
    assert frame.locator(".leaflet-tm-event-pane path.tm-transfer").count() >= 5
    frame.get_by_role("button", name="Previous change").click()
    wait_day(page, D(1822, 12, 26))
    wait_url(page, "event", "karabakh-1822")


def test_play_advances_through_the_changes_and_pauses(page, app_url):
    open_app(page, app_url, "?date=1880-06-01")
    frame = map_frame(page)
    frame.get_by_role("button", name="Play").click()
    frame.wait_for_function(f"window.timeMap.day >= {D(1884, 2, 18).toordinal()}", timeout=30_000)
    frame.get_by_role("button", name="Pause").click()
    paused = map_day(page)
    page.wait_for_timeout(3000)
    assert map_day(page) == paused
    wait_url(page, "date", paused.isoformat())


def test_treaty_view_with_before_and_after(page, app_url):
    open_app(page, app_url, "?event=turkmenchay-1828")
    wait_day(page, D(1828, 2, 22))
    page.get_by_role("heading", name="Treaty of Turkmenchay").wait_for()
    body = page.locator("body").inner_text()
    assert "Туркманчайский" in body
    assert "عهدنامه ترکمانچای" in body
    assert "Qajar Persia ceded" in body
    frame = map_frame(page)
    frame.wait_for_function(
        "document.querySelectorAll('.leaflet-tm-event-pane path[stroke-width=\"3\"]').length === 5"
    )
    assert "russian_empire" in visible(page)
    page.get_by_text("before", exact=True).click()
    wait_day(page, D(1828, 2, 21))
    assert "erivan_khanate" in visible(page)
    wait_url(page, "view", "before")


def test_click_marks_the_place_and_shows_its_history(page, app_url):
    open_app(page, app_url, "?date=1995-06-01")
    click_map(page, 40.18, 44.51)  # Yerevan
    page.get_by_text("What ruled here").wait_for(timeout=20_000)
    page.get_by_text("Erivan Khanate", exact=True).first.wait_for(timeout=20_000)
    page.get_by_text("Armenian SSR").first.wait_for()
    frame = map_frame(page)
    # A ring marks the clicked place; the clicked area gets no focus rectangle.
    assert frame.locator(".leaflet-tm-click-pane path").count() == 1
    outline = frame.evaluate(
        "(() => { const a = document.activeElement; return a && a.tagName === 'path' ?"
        " getComputedStyle(a).outlineStyle : 'none'; })()"
    )
    assert outline == "none"
    page.get_by_role("button", name="Treaty of Turkmenchay").click()
    wait_day(page, D(1828, 2, 22))
    wait_url(page, "event", "turkmenchay-1828")


def test_labels_never_overlap_and_zooming_in_shows_more(page, app_url):
    open_app(page, app_url, "?date=1800-12-31")
    frame = map_frame(page)
    boxes = frame.evaluate(
        "Array.from(document.querySelectorAll('.tm-label span')).map(e => {"
        " const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )
    assert len(boxes) >= 4
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    before = len(boxes)
    frame.evaluate("window.timeMap.map.setView([40.5, 46.0], 8, {animate: false})")
    frame.wait_for_function(
        f"document.querySelectorAll('.tm-label:not(.tm-context-label)').length !== {before}"
    )
    names = frame.evaluate("window.timeMap.visibleLabels()")
    assert "Karabakh Khanate" in names


def test_key_lists_only_the_holders_in_view(page, app_url):
    open_app(page, app_url, "?date=1800-12-31")
    frame = map_frame(page)
    whole = frame.locator(".tm-legend").inner_text()
    assert "Khanate of Khiva" in whole or "Emirate of Bukhara" in whole
    frame.evaluate("window.timeMap.map.setView([40.2, 44.5], 9, {animate: false})")
    frame.wait_for_function("!document.querySelector('.tm-legend').innerText.includes('Khiva')")
    near = frame.locator(".tm-legend").inner_text()
    assert "Erivan Khanate" in near
    assert "Bukhara" not in near
    frame.locator(".tm-legend summary").click()  # the key folds away
    assert not frame.locator(".tm-legend-rows").is_visible()


def test_land_outside_the_scope_is_named_context(page, app_url):
    open_app(page, app_url, "?date=1900-12-31")
    frame = map_frame(page)
    names = frame.evaluate(
        "Array.from(document.querySelectorAll('.tm-context-label')).map(e => e.innerText)"
    )
    assert {"Turkey", "Kazakhstan"} <= set(names)
    assert frame.locator(".leaflet-tm-context-pane path").count() >= len(names)


def test_borders_are_dashed_per_edge_by_how_well_they_are_known(page, app_url):
    open_app(page, app_url)  # 2025: every border is today's surveyed line
    frame = map_frame(page)
    drawn = "(q) => { const p = document.querySelector('path.tm-border-' + q);"
    drawn += " return p ? [p.getAttribute('d') || '', p.getAttribute('stroke-dasharray')] : null; }"
    solid = frame.evaluate(f"({drawn})('p')")
    assert len(solid[0]) > 100
    assert solid[1] is None
    assert len(frame.evaluate(f"({drawn})('a')")[0]) < 10  # nothing approximate left
    frame.evaluate(f"window.timeMap.setDay({D(1800, 12, 31).toordinal()})")
    dotted = frame.evaluate(f"({drawn})('a')")
    assert len(dotted[0]) > 100
    assert dotted[1]  # khanate lines drawn from modern units, dotted


def test_permalink_round_trip(page, app_url, context):
    open_app(page, app_url, "?event=gulistan-1813&view=before")
    wait_day(page, D(1813, 10, 23))
    wait_url(page, "view", "before")
    query = page.url.split("?", 1)[1]
    other = context.new_page()
    open_app(other, app_url, "?" + query)
    wait_day(other, D(1813, 10, 23))
    other.get_by_role("heading", name="Treaty of Gulistan").wait_for()
    other.close()


def test_bad_permalink_gives_a_notice(page, app_url):
    open_app(page, app_url, "?date=1813-02-30&event=nowhere")
    body = page.locator("body").inner_text()
    assert "not a real day" in body
    assert "not in this pack" in body
    assert map_day(page) == D(2025, 12, 31)
    assert page.errors == []


def test_embed_layout(page, app_url):
    open_app(page, app_url, "?embed=true&layout=compact&date=1900-12-31")
    assert page.locator("h1").count() == 0
    assert (
        page.locator('[data-testid="stSidebar"]').count() == 0
        or not page.locator('[data-testid="stSidebar"]').is_visible()
    )
    assert map_day(page) == D(1900, 12, 31)
    assert map_frame(page).get_by_role("slider", name="Year").count() == 1


def test_embed_code_is_offered(page, app_url):
    open_app(page, app_url, "?event=turkmenchay-1828")
    page.get_by_text("Share or embed this view").click()
    code = page.locator("code").filter(has_text="<iframe").first.inner_text()
    assert re.search(r'<iframe src="http://127\.0\.0\.1:\d+/\?[^"]*event=turkmenchay-1828', code)
    assert "embed=true" in code


@pytest.fixture(scope="module")
def second_slider_url(tmp_path_factory):
    # Streamlit serves static/ beside the page's script, so the page gets the project's.
    folder = tmp_path_factory.mktemp("second-slider")
    shutil.copy(ROOT / "tests" / "e2e" / "second_slider_app.py", folder / "page.py")
    (folder / "static").symlink_to(ROOT / "static")
    process, url = start_streamlit(
        folder / "page.py", {"TREATY_MAP_TREATIES": str(ROOT / "treaties")}
    )
    yield url
    stop_app(process)


def test_a_second_slider_on_the_page_is_left_alone(page, second_slider_url):
    page.goto(second_slider_url)
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)
    wait_map(page)
    assert map_day(page) == D(1900, 12, 31)
    page.get_by_role("slider", name="Unrelated number").focus()
    page.keyboard.press("ArrowRight")
    page.get_by_text("Other slider: 4").wait_for()
    assert map_day(page) == D(1900, 12, 31)
    map_frame(page).get_by_role("slider", name="Year").focus()
    page.keyboard.press("ArrowRight")
    wait_day(page, D(1901, 12, 31))
    page.get_by_text("Reported day: 1901-12-31").wait_for()
    assert page.get_by_text("Other slider: 4").count() == 1
    assert page.locator(MAP_IFRAME).count() == 1

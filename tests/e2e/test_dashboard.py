"""The dashboard in a real browser (Debian's Chromium via Playwright), offline.

Each page blocks every request that does not go to the local app, so every test here also shows
that the app needs no internet."""

from __future__ import annotations

import datetime as dt
import re

from tests.e2e.helpers import map_day, map_frame, open_app, url_param, visible, wait_day

D = dt.date


def test_first_load_draws_the_map_offline(page, context, app_url):
    open_app(page, app_url)
    assert map_day(page) == D(2025, 12, 31)
    assert {"iran", "azerbaijan", "armenia", "georgia", "turkmenistan"} <= visible(page)
    frame = map_frame(page)
    drawn = frame.locator(".leaflet-tm-borders-pane path.leaflet-interactive").count()
    assert drawn == frame.evaluate("window.timeMap.visibleCount()") == 7
    assert frame.locator(".tm-legend").inner_text().count("\n") > 5
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
    slider = page.get_by_role("slider")
    slider.focus()
    page.keyboard.press("ArrowLeft")
    wait_day(page, D(1827, 12, 31))
    assert "erivan_khanate" in visible(page)
    page.wait_for_function("location.search.includes('date=1827-12-31')")
    assert frame.evaluate("window.__planted") == 42  # same document: no remount
    assert frame.evaluate("window.timeMap.map.getZoom()") == 7
    assert page.errors == []


def test_next_and_previous_change(page, app_url):
    open_app(page, app_url, "?date=1827-06-01")
    page.get_by_role("button", name="Next change ▶").click()
    wait_day(page, D(1828, 2, 22))
    page.get_by_text("after the Treaty of Turkmenchay").wait_for()
    assert url_param(page, "event") == "turkmenchay-1828"
    page.get_by_role("button", name="◀ Previous change").click()
    wait_day(page, D(1822, 12, 26))
    assert url_param(page, "event") == "karabakh-1822"


def test_play_advances_through_the_changes(page, app_url):
    open_app(page, app_url, "?date=1880-06-01")
    page.get_by_role("button", name="▶ Play").click()
    wait_day(page, D(1881, 1, 24))
    frame = map_frame(page)
    frame.wait_for_function(f"window.timeMap.day >= {D(1884, 2, 18).toordinal()}", timeout=30_000)
    page.get_by_role("button", name="⏸ Pause").click()
    page.wait_for_selector('[data-test-script-state="notRunning"]')
    paused = map_day(page)
    page.wait_for_timeout(3000)
    assert map_day(page) == paused


def test_treaty_view_with_before_and_after(page, app_url):
    open_app(page, app_url, "?event=turkmenchay-1828")
    wait_day(page, D(1828, 2, 22))
    page.get_by_role("heading", name="Treaty of Turkmenchay").wait_for()
    body = page.locator("body").inner_text()
    assert "Туркманчайский" in body
    assert "عهدنامه ترکمانچای" in body
    assert "Qajar Persia ceded" in body
    frame = map_frame(page)
    # The five transferred areas are outlined in the giver's colour, 3 px wide.
    frame.wait_for_function(
        "document.querySelectorAll('.leaflet-overlay-pane path[stroke-width=\"3\"]').length === 5"
    )
    assert "russian_empire" in visible(page)
    page.get_by_text("before", exact=True).click()
    wait_day(page, D(1828, 2, 21))
    assert "erivan_khanate" in visible(page)
    assert url_param(page, "view") == "before"


def test_click_shows_the_history_of_a_place(page, app_url):
    open_app(page, app_url, "?date=1995-06-01")
    frame = map_frame(page)
    # Click Yerevan: convert its position to a pixel in the map's container.
    point = frame.evaluate(
        "(() => { const p = window.timeMap.map.latLngToContainerPoint([40.18, 44.51]);"
        " return [p.x, p.y]; })()"
    )
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.get_by_text("What ruled here").wait_for(timeout=20_000)
    page.get_by_text("Erivan Khanate", exact=True).first.wait_for(timeout=20_000)
    body = page.locator("body").inner_text()
    assert "Armenian SSR" in body
    page.get_by_role("button", name="Treaty of Turkmenchay").click()
    wait_day(page, D(1828, 2, 22))


def test_permalink_round_trip(page, app_url, context):
    open_app(page, app_url, "?event=gulistan-1813&view=before")
    wait_day(page, D(1813, 10, 23))
    link = page.url
    other = context.new_page()
    open_app(
        other,
        link.replace(app_url, app_url).split(app_url)[0] or app_url,
        "?" + link.split("?", 1)[1],
    )
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
    assert page.get_by_role("slider").count() == 1


def test_embed_code_is_offered(page, app_url):
    open_app(page, app_url, "?event=turkmenchay-1828")
    page.get_by_text("Share or embed this view").click()
    code = page.locator("code").filter(has_text="<iframe").first.inner_text()
    assert re.search(r'<iframe src="http://127\.0\.0\.1:\d+/\?[^"]*event=turkmenchay-1828', code)
    assert "embed=true" in code

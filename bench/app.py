"""Dashboard benchmark in Chromium (Playwright, Debian's /usr/bin/chromium). Not a test.

Prints, for the russia-iran pack: slider step → new borders drawn (p50/p95 over 20 steps, the
map's own slider) and the same for a bare Streamlit app with one slider (bench/bare_app.py),
measured side by side, with their ratio; time from opening the URL to the first drawn map
(server warm; browser cache cold and warm); the first drawn map after a cold start of the
server; bytes received over the websocket per step; the sizes of the map data and of a
standalone treaty page. Usage: python bench/app.py
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from appserver import free_port, start_app, start_streamlit, stop_app  # bench/appserver.py
from percentiles import percentile  # bench/percentiles.py, beside it
from playwright.sync_api import sync_playwright

from geo import render

BARE_APP = Path(__file__).resolve().parent / "bare_app.py"

STEPS = 20
MAP = 'iframe[title="dashboard.timemap.timemap"]'
READY = "window.timeMap && window.timeMap.ready && window.timeMap.visiblePolities().length > 0"
MARK_KEYDOWN = """document.addEventListener('keydown', () => {
  window.__t0 = performance.timeOrigin + performance.now(); }, true);"""


def record_websocket(page) -> list[int]:
    """Sizes of the websocket frames the page receives (register before loading the page)."""
    received: list[int] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived",
            lambda payload: received.append(
                len(payload) if isinstance(payload, bytes | str) else 0
            ),
        ),
    )
    return received


def step_times(
    page, measure_js: str, received: list[int], where=None
) -> tuple[list[float], list[int]]:
    """Press ArrowLeft STEPS times on the slider in ``where`` (the page or the map's frame);
    return per-step latency (ms) and the websocket bytes each step brought."""
    where = where or page
    where.evaluate(MARK_KEYDOWN)
    slider = where.get_by_role("slider", name="Year")
    times, sizes = [], []
    for _ in range(STEPS):
        slider.focus()
        before = len(received)
        where.evaluate("window.__t1 = null")
        page.keyboard.press("ArrowLeft")
        t1 = where.wait_for_function(measure_js, timeout=20_000).json_value()
        times.append(t1 - where.evaluate("window.__t0"))
        page.wait_for_selector('[data-test-script-state="notRunning"]')
        page.wait_for_timeout(400)  # let the rerun's messages arrive before counting
        sizes.append(sum(received[before:]))
    return times, sizes


def dashboard(browser, url: str) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    received = record_websocket(page)
    page.goto(url + "/?date=1900-12-31")
    page.wait_for_selector('[data-test-script-state="notRunning"]')
    frame = page.wait_for_selector(MAP).content_frame()
    frame.wait_for_function(READY)
    # Borders redrawn = the first animation frame after the map switched the day.
    frame.evaluate("""(() => { const tm = window.timeMap, report = tm.onDay;
        tm.onDay = (d) => { report(d); requestAnimationFrame(() => {
          window.__t1 = performance.timeOrigin + performance.now(); }); }; })()""")
    times, sizes = step_times(page, "window.__t1", received, frame)
    page.close()
    cold, warm = [], []
    for _ in range(3):  # a fresh browser profile each time: Streamlit's own JS not cached
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        cold.append(first_map(context.new_page(), url))
        context.close()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    for _ in range(4):  # the same profile again: the browser cache is warm, as on a 2nd visit
        warm.append(first_map(context.new_page(), url))
    context.close()
    return {"times": times, "sizes": sizes, "cold": cold, "warm": warm[1:]}


def first_map(page, url: str) -> float:
    """Seconds from opening the URL to the borders drawn in the map."""
    start = time.perf_counter()
    page.goto(url + "/?date=1828-12-31")
    frame = page.wait_for_selector(MAP, timeout=60_000).content_frame()
    frame.wait_for_function(READY, timeout=60_000)
    seconds = time.perf_counter() - start
    page.close()
    return seconds


def bare(browser, url: str) -> list[float]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    received = record_websocket(page)
    page.goto(url)
    page.wait_for_selector('[data-test-script-state="notRunning"]')
    page.get_by_text("Selected year: 1900").wait_for()
    page.evaluate("""new MutationObserver(() => {
        const t = document.body.innerText.match(/Selected year: (\\d+)/);
        if (t && t[1] !== window.__last) { window.__last = t[1];
          requestAnimationFrame(() => {
            window.__t1 = performance.timeOrigin + performance.now(); });
        }}).observe(document.body, {subtree: true, childList: true, characterData: true});
        window.__last = '1900';""")
    times, _ = step_times(page, "window.__t1", received)
    page.close()
    return times


def cold_starts(browser, runs: int = 3) -> dict[str, list[float]]:
    """Seconds from a restarted app process answering its health check to the first drawn
    map, with the map data an earlier process prepared on disk. The server keeps its port, as
    a classroom's does: "warm" is a browser that has visited before (its cache holds
    Streamlit's own scripts), "cold" one that has not."""
    port = free_port()
    returning = browser.new_context(viewport={"width": 1400, "height": 1000})
    restart_and_open(port, returning)  # a first visit fills the returning browser's cache
    seconds: dict[str, list[float]] = {"warm": [], "cold": []}
    for _ in range(runs):
        seconds["warm"].append(restart_and_open(port, returning))
        fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
        seconds["cold"].append(restart_and_open(port, fresh))
        fresh.close()
    returning.close()
    return seconds


def restart_and_open(port: int, context) -> float:
    """Start a new app process on ``port`` and time its first map in ``context``."""
    process, url = start_app(port=port)
    try:
        return first_map(context.new_page(), url)
    finally:
        stop_app(process)


def page_sizes() -> dict[str, int]:
    """Bytes of the published map data and of a standalone treaty page."""
    from geo import pages
    from geo.catalog import load_catalog

    pack = load_catalog().pack("russia-iran")
    data = json.dumps(render.map_data(pack), ensure_ascii=False, separators=(",", ":"))
    page = pages.standalone_html(pack, pack.event("turkmenchay-1828"))
    return {"map data": len(data.encode()), "treaty page": len(page.encode())}


def main() -> None:
    app, app_url = start_app()
    bare_process, bare_url = start_streamlit(BARE_APP)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
            )
            ours = dashboard(browser, app_url)
            base = bare(browser, bare_url)
            stop_app(app)
            cold = cold_starts(browser)
            browser.close()
    finally:
        stop_app(app)
        stop_app(bare_process)
    p50, p95 = statistics.median(ours["times"]), percentile(ours["times"], 0.95)
    b50, b95 = statistics.median(base), percentile(base, 0.95)
    print(f"slider step → borders drawn: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({STEPS} steps)")
    print(f"bare Streamlit slider step:  p50 {b50:.1f} ms, p95 {b95:.1f} ms")
    print(f"ratio (ours / bare):         p50 {p50 / b50:.2f}×, p95 {p95 / b95:.2f}×")
    print(
        f"open URL → first drawn map, server warm, browser cache warm: "
        f"{statistics.median(ours['warm']):.2f} s; browser cache cold: "
        f"{statistics.median(ours['cold']):.2f} s"
    )
    for kind, times in cold.items():
        print(
            f"first drawn map after a restart (map data on disk), browser cache {kind}: "
            f"median {statistics.median(times):.2f} s of {[round(c, 2) for c in times]}"
        )
    print(
        f"bytes received per slider step: median {statistics.median(ours['sizes']):,.0f}, "
        f"max {max(ours['sizes']):,}"
    )
    for name, size in page_sizes().items():
        print(f"{name}: {size / 1000:.1f} KB")


if __name__ == "__main__":
    main()

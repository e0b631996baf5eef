"""A few real Chromium pages stepping the year slider at once: key press → borders redrawn.

The same measure as bench/app.py, with several students' pages in one browser. What "the borders
are redrawn" means belongs to the map, so it lives in the three definitions at the top.
"""

from __future__ import annotations

import asyncio
import random

from bench.recording import CHROMIUM, CHROMIUM_ARGS, IDLE, LOOPBACK, MAP
from bench.replay import THINK_SECONDS

# ---- The map's side. Change these with the map. ---------------------------------------------
MAP_DRAWN_JS = (
    "window.timeMap && window.timeMap.ready && window.timeMap.visiblePolities().length > 0"
)
# Run inside the map's frame: once a new day's borders are drawn, note the time there (the
# slider, and so the key press, is in that frame too).
ON_REDRAW_JS = """(() => { const previous = window.timeMap.onDay;
  window.timeMap.onDay = (day) => { if (previous) { previous(day); }
    requestAnimationFrame(() => { window.__t1 = performance.timeOrigin + performance.now(); });
  }; })()"""


async def map_frame(page):
    """The frame that draws the borders, once it has drawn them."""
    frame = await (await page.wait_for_selector(MAP, timeout=60_000)).content_frame()
    await frame.wait_for_function(MAP_DRAWN_JS, timeout=60_000)
    return frame


# ---- The page's side. -------------------------------------------------------------------------
MARK_KEYDOWN_JS = """document.addEventListener('keydown', () => {
  window.__t0 = performance.timeOrigin + performance.now(); }, true)"""


async def step_slider(browser, url: str, steps: int, rng: random.Random, errors: list[str]):
    """One student's page: open, then step the year back `steps` times; seconds per step."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})

    async def route(r) -> None:
        if r.request.url.startswith(LOOPBACK):
            await r.continue_()
        else:
            errors.append(f"blocked {r.request.url}")
            await r.abort()

    await context.route("**/*", route)
    page = await context.new_page()
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    times: list[float] = []
    try:
        await page.goto(f"{url}/?date=1900-12-31")
        await page.wait_for_selector(IDLE, timeout=60_000)
        frame = await map_frame(page)
        # The slider is the map's own, in the map's frame: time the key press there.
        await frame.evaluate(ON_REDRAW_JS)
        await frame.evaluate(MARK_KEYDOWN_JS)
        slider = frame.get_by_role("slider", name="Year")
        for _ in range(steps):
            await asyncio.sleep(rng.uniform(*THINK_SECONDS))
            await frame.evaluate("window.__t1 = null")
            await slider.focus()
            await page.keyboard.press("ArrowLeft")
            done = await frame.wait_for_function("window.__t1", timeout=30_000)
            t1 = await done.json_value()
            times.append((t1 - await frame.evaluate("window.__t0")) / 1000)
    except Exception as error:  # a timeout or a closed page: count it, keep the other pages
        errors.append(f"browser page: {type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        await context.close()
    return times


async def run_browsers(url: str, pages: int, steps: int, seed: int) -> tuple[list[float], list]:
    """`pages` pages in one Chromium, stepping concurrently; all step times and the errors."""
    from playwright.async_api import async_playwright

    errors: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            results = await asyncio.gather(
                *(
                    step_slider(browser, url, steps, random.Random(f"{seed}-browser-{i}"), errors)
                    for i in range(pages)
                )
            )
        finally:
            await browser.close()
    return [t for times in results for t in times], errors

"""Browser fixtures: `streamlit run app.py` on loopback (started by bench/appserver.py, which the
benchmarks share), driven by Playwright in Debian's Chromium (/usr/bin/chromium; never a
downloaded browser). Every page runs with all non-loopback requests blocked, so each test also
proves the app works offline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.appserver import LOOPBACK, start_app, stop_app

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-output" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # CI sets REQUIRE_BROWSER: there a missing browser is an error, never a skip.
            if not Path(CHROMIUM).exists() and not os.environ.get("REQUIRE_BROWSER"):
                item.add_marker(
                    pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
                )


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def app_url():
    process, url = start_app()
    yield url
    stop_app(process)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    """A browser context where anything beyond loopback is blocked and recorded."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
    ctx.blocked = []

    def route(r):
        if r.request.url.startswith(LOOPBACK):
            r.continue_()
        else:
            ctx.blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, request, artifacts):
    p = context.new_page()
    p.errors = []
    p.on("pageerror", lambda error: p.errors.append(str(error)))
    yield p
    p.screenshot(path=str(artifacts / f"{request.node.name}.png"), full_page=True)

"""The dashboard in a real browser while its packs or its server change under an open page."""

from __future__ import annotations

import datetime as dt

import pytest

from bench.appserver import free_port, start_app, stop_app
from tests.conftest import tiny_world
from tests.e2e.helpers import map_day, map_frame, open_app, wait_day, wait_map, wait_url

D = dt.date


@pytest.fixture
def tiny_app(tmp_path):
    """The dashboard on a port of its own, serving the tiny world from a folder the test edits;
    ``restart()`` stops the server and starts it again on the same port."""
    treaties = tmp_path / "treaties"
    tiny_world(treaties / "tiny", title="Tiny pack", end_date=D(1950, 12, 31))
    port = free_port()
    server = {"process": start_app(treaties, port)[0]}

    def restart():
        stop_app(server["process"])
        server["process"] = start_app(treaties, port)[0]

    yield f"http://127.0.0.1:{port}", treaties, restart
    stop_app(server["process"])


def wait_connected(page) -> None:
    """Until Streamlit's status no longer says it is connecting to the server."""
    page.wait_for_function(
        """() => {
            const status = document.querySelector('[data-testid="stStatusWidget"]');
            return !status || !/connecting/i.test(status.innerText);
        }""",
        timeout=60_000,
    )


def step_back_a_year(page, to: dt.date) -> None:
    map_frame(page).get_by_role("slider", name="Year").focus()
    page.keyboard.press("ArrowLeft")
    wait_day(page, to)
    wait_url(page, "date", to.isoformat())


def test_an_open_page_left_alone_follows_an_edit_on_disk(page, tiny_app):
    url, treaties, _ = tiny_app
    open_app(page, url)
    page.get_by_role("heading", name="Tiny pack").wait_for()
    tiny_world(treaties / "tiny", title="Tiny pack, edited", end_date=D(1950, 12, 31))
    # Nobody touches the page: its timed check (every 30 s) notices the edit and runs it.
    page.get_by_role("heading", name="Tiny pack, edited").wait_for(timeout=45_000)
    wait_map(page)
    step_back_a_year(page, D(1949, 12, 31))
    assert page.errors == []


def test_a_page_open_across_a_server_restart_reconnects_and_its_map_works(page, tiny_app):
    url, _, restart = tiny_app
    open_app(page, url, "?date=1900-12-31")
    assert map_day(page) == D(1900, 12, 31)
    restart()
    wait_connected(page)
    wait_map(page)
    wait_day(page, D(1900, 12, 31))  # the URL's view is kept
    step_back_a_year(page, D(1899, 12, 31))
    assert page.errors == []

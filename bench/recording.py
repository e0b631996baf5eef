"""Record one real Chromium session of the dashboard for bench/load.py to replay.

A recording is what the page asked of the server: the HTTP GETs it made and the websocket frames
(BackMsg protobufs) it sent, grouped by named actions. The first action opens the page; the
others are what a student does and are replayed in a loop. The replay never looks inside the
frames beyond the Streamlit protocol, so changing what a student does means editing ACTIONS
below and nothing else.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.appserver import LOOPBACK
from bench.protocol import MessageCache, Signature, widget_of

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]
IDLE = '[data-test-script-state="notRunning"]'
QUIET_SECONDS = 1.0  # no frame sent or received for this long: the page has settled
SEND_WAIT_SECONDS = 10  # how long an action may take to send its first frame
MAP = 'iframe[title="dashboard.timemap.timemap"]'  # the map component's frame

# ---- What a student does. Edit these when the page changes; the rest follows. ---------------


def open_page(page, url: str) -> None:
    page.goto(f"{url}/?date=1900-12-31")


def map_ready(page) -> None:
    """The map has drawn its borders (checked after each action, before the next one)."""
    frame = page.wait_for_selector(MAP, timeout=60_000).content_frame()
    frame.wait_for_function(
        "window.timeMap && window.timeMap.ready && window.timeMap.visiblePolities().length > 0",
        timeout=60_000,
    )


def year_key(key: str) -> Callable:
    """Press an arrow key on the map's year slider (one step, as a student using the keyboard);
    the map tells the server the new day once the keys stop."""

    def press(page) -> None:
        page.frame_locator(MAP).get_by_role("slider", name="Year").focus()
        page.keyboard.press(key)

    return press


def map_button(name: str) -> Callable:
    """Press one of the map's time controls (previous/next change)."""

    def press(page) -> None:
        page.frame_locator(MAP).get_by_role("button", name=name).click()

    return press


def choose(label: str, option: str) -> Callable:
    """Pick an option of a select box by typing part of it, as a student searching."""

    def pick(page) -> None:
        box = page.get_by_role("combobox", name=label)
        box.click()
        page.keyboard.type(option)
        page.keyboard.press("Enter")

    return pick


def click_map(page) -> None:
    """Click the middle of the map (after a treaty is chosen, the middle of its area)."""
    box = page.locator(MAP).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


OPENING = ("open", open_page)
ACTIONS: list[tuple[str, Callable]] = [
    ("year +1", year_key("ArrowRight")),
    ("year +1", year_key("ArrowRight")),
    ("next change", map_button("Next change")),
    ("treaty", choose("Treaty or event", "Turkmenchay")),
    ("click map", click_map),
    ("year -1", year_key("ArrowLeft")),
    ("no treaty", choose("Treaty or event", "none")),
]

# ---- Recording ----------------------------------------------------------------------------------


@dataclass
class Recording:
    """One browser session: where it ran, what it fetched, what it sent."""

    origin: str  # http://host:port of the recorded app, rewritten to the replayed one
    shell: list[str] = field(default_factory=list)  # GETs before the websocket opened
    assets: list[str] = field(default_factory=list)  # GETs after (components, map data, media)
    actions: list[tuple[str, list[bytes]]] = field(default_factory=list)  # [0] opens the page
    blocked: list[str] = field(default_factory=list)  # non-loopback requests refused
    silent: list[str] = field(default_factory=list)  # actions that sent no frame
    received: list[int] = field(default_factory=list)  # frames the page received, per action
    widgets: dict[str, list[Signature]] = field(default_factory=dict)  # where each widget was

    def save(self, path: Path) -> None:
        data = {
            "origin": self.origin,
            "shell": self.shell,
            "assets": self.assets,
            "actions": [
                {"name": name, "frames": [base64.b64encode(f).decode() for f in frames]}
                for name, frames in self.actions
            ],
            "blocked": self.blocked,
            "silent": self.silent,
            "received": self.received,
            "widgets": self.widgets,
        }
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Recording:
        data = json.loads(path.read_text(encoding="utf-8"))
        actions = [(a["name"], [base64.b64decode(f) for f in a["frames"]]) for a in data["actions"]]
        return cls(
            data["origin"],
            data["shell"],
            data["assets"],
            actions,
            data["blocked"],
            data["silent"],
            data["received"],
            {
                widget: [(kind, name, tuple(path)) for kind, name, path in signatures]
                for widget, signatures in data["widgets"].items()
            },
        )


def record(url: str, opening=OPENING, actions=ACTIONS, ready=map_ready) -> Recording:
    """Drive one Chromium page through the opening and the actions; return what it sent."""
    from playwright.sync_api import sync_playwright

    origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    recording = Recording(origin)
    traffic = {"last": time.monotonic(), "websocket": False}
    seen_gets: set[str] = set()

    def on_request(request) -> None:
        if request.method != "GET" or not request.url.startswith(origin):
            return
        path = request.url[len(origin) :]
        if path not in seen_gets:  # a browser fetches each file once, then uses its cache
            seen_gets.add(path)
            (recording.assets if traffic["websocket"] else recording.shell).append(path)

    def on_frame_sent(payload) -> None:
        recording.actions[-1][1].append(payload.encode() if isinstance(payload, str) else payload)
        traffic["last"] = time.monotonic()

    cache = MessageCache()  # to read the messages the server sent as a bare hash

    def on_frame_received(payload) -> None:
        recording.received[-1] += 1
        traffic["last"] = time.monotonic()
        if isinstance(payload, bytes):
            msg = cache.resolve(ForwardMsg.FromString(payload), payload)
            widget = msg and widget_of(msg)
            if widget:
                places = recording.widgets.setdefault(widget[0], [])
                if widget[1] in places:
                    places.remove(widget[1])
                places.append(widget[1])  # the last place it was drawn comes last

    def on_websocket(ws) -> None:
        if ws.url.endswith("/_stcore/stream"):
            traffic["websocket"] = True
            ws.on("framesent", on_frame_sent)
            ws.on("framereceived", on_frame_received)

    def route(r) -> None:
        if r.request.url.startswith(LOOPBACK):
            r.continue_()
        else:
            recording.blocked.append(r.request.url)
            r.abort()

    def settle(page) -> None:
        """Wait until the script is idle, the page ready, and no frame moved for QUIET_SECONDS."""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            page.wait_for_selector(IDLE, timeout=60_000)
            page.wait_for_load_state("networkidle")
            ready(page)
            quiet = time.monotonic() - traffic["last"]
            if quiet >= QUIET_SECONDS and page.locator(IDLE).count():
                return
            page.wait_for_timeout(int(1000 * (QUIET_SECONDS - min(quiet, QUIET_SECONDS))) + 50)
        raise RuntimeError(f"the page did not settle after “{recording.actions[-1][0]}”")

    def act(page, name: str, action) -> None:
        """Run one action; wait for it to send something (components may report late)."""
        frames: list[bytes] = []
        recording.actions.append((name, frames))
        recording.received.append(0)
        action(page)
        deadline = time.monotonic() + SEND_WAIT_SECONDS
        while not frames and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        if not frames:
            recording.silent.append(name)
        settle(page)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route("**/*", route)
            page = context.new_page()
            page.on("request", on_request)
            page.on("websocket", on_websocket)
            act(page, opening[0], lambda p: opening[1](p, url))
            for name, action in actions:
                act(page, name, action)
        finally:
            browser.close()
    return recording

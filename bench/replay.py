"""Replay a recorded browser session from light clients: one websocket each, no browser.

A client speaks the Streamlit protocol as the browser does: it opens its own session on
/_stcore/stream, sends the recorded BackMsg frames in order, and reads every ForwardMsg back. It
rewrites only what belongs to one browser session (bench/protocol.py); the widget values and
everything else are sent as recorded. The time of a rerun is from sending its frame to the
server's `script_finished` for the run that the frame started.
"""

from __future__ import annotations

import asyncio
import random
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from bench.protocol import EARLY, FAILED, MessageCache, Signature, rewrite, widget_of
from bench.recording import Recording

THINK_SECONDS = (1.5, 3.0)  # a student looks at the map this long between two interactions
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, always


@dataclass
class Outcome:
    """What one client saw."""

    open_seconds: float | None = None  # connect → first script_finished
    timings: list[tuple[str, float]] = field(default_factory=list)  # (action, seconds)
    errors: list[str] = field(default_factory=list)
    gets: int = 0
    get_bytes: int = 0
    get_failures: list[str] = field(default_factory=list)
    auto_reruns: int = 0  # the app asked for timed reruns, which a replay does not send
    received: list[int] = field(default_factory=list)  # messages received, per action in order
    unmatched: set[str] = field(default_factory=set)  # recorded widgets this session never drew


class Session:
    """One Streamlit session over one websocket."""

    def __init__(self, url: str, recording: Recording, timeout: float, outcome: Outcome) -> None:
        self.origin = url
        self.recording = recording
        self.timeout = timeout
        self.outcome = outcome
        self.cache = MessageCache()
        self.page_hash = ""
        self.max_age = 2
        self.new_session_seen = False
        self.waiter: asyncio.Future | None = None
        self.received = 0  # messages received so far
        self.widgets: dict[Signature, str] = {}  # widgets this session has drawn
        self.closing = False  # we are closing it
        self.lost = False  # the server closed it
        self.ws = None
        self.reader: asyncio.Task | None = None

    async def connect(self) -> None:
        host = self.origin.split("://", 1)[1]
        self.ws = await connect(
            f"ws://{host}/_stcore/stream",
            origin=self.origin,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=self.timeout,
            proxy=None,
        )
        self.reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await self.reader

    async def send(self, frame: bytes) -> float | None:
        """Send one recorded frame; for a rerun, wait for its end and return the seconds."""
        data, rerun = rewrite(
            frame,
            self.recording.origin,
            self.origin,
            self.page_hash,
            self.cache.hashes(),
            self.widget_id,
        )
        if not rerun:
            await self.ws.send(data)
            return None
        self.new_session_seen = False
        self.waiter = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        try:
            await self.ws.send(data)
            await asyncio.wait_for(asyncio.shield(self.waiter), self.timeout)
        except TimeoutError:
            self.outcome.errors.append(f"no script_finished within {self.timeout:g} s")
            return None
        except ConnectionClosed:
            return None  # counted by the reader
        finally:
            finished = self.waiter
            self.waiter = None
        end = finished.result() if finished.done() else None
        return None if end is None else end - start

    def widget_id(self, recorded: str) -> str:
        """This session's id of the widget the browser knew as `recorded`."""
        signatures = self.recording.widgets.get(recorded, [])
        for signature in reversed(signatures):  # where the browser saw it last, first
            if signature in self.widgets:
                return self.widgets[signature]
        if signatures and recorded not in self.widgets.values():
            self.outcome.unmatched.add(recorded)
        return recorded

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                if isinstance(raw, bytes):
                    self._on_message(ForwardMsg.FromString(raw), raw)
        except ConnectionClosed:
            pass
        if not self.closing:
            self.lost = True
            self.outcome.errors.append("the server closed the websocket")
            if self.waiter is not None and not self.waiter.done():
                self.waiter.set_result(None)  # no end to time

    def _on_message(self, msg: ForwardMsg, raw: bytes) -> None:
        self.received += 1
        resolved = self.cache.resolve(msg, raw)
        if resolved is None:
            self.outcome.errors.append("a cached message the client never received")
            return
        msg = resolved
        widget = widget_of(msg)
        if widget:
            self.widgets[widget[1]] = widget[0]
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
            self.max_age = msg.new_session.config.max_cached_message_age or self.max_age
            self.new_session_seen = True
        elif kind == "delta" and msg.delta.new_element.WhichOneof("type") == "exception":
            exception = msg.delta.new_element.exception
            self.outcome.errors.append(f"exception: {exception.type}: {exception.message}")
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self.outcome.errors.append("script compilation error")
        elif kind == "page_not_found":
            self.outcome.errors.append("page not found")
        elif kind == "auto_rerun":
            self.outcome.auto_reruns += 1
        elif kind == "script_finished" and msg.script_finished != EARLY:
            # The browser ages its cache only after a run it saw start.
            if self.new_session_seen:
                self.cache.run_finished(self.max_age, list(msg.metadata.run.fragment_ids))
            if msg.script_finished == FAILED:
                self.outcome.errors.append("script_finished with a compile error")
            if self.new_session_seen and self.waiter is not None and not self.waiter.done():
                self.waiter.set_result(time.perf_counter())


def fetch(url: str) -> tuple[int, int]:
    """GET one URL as a browser would (gzip accepted); return (status, bytes)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with NO_PROXY.open(request, timeout=60) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0
    except OSError:
        return 0, 0


async def fetch_all(
    pool: ThreadPoolExecutor, url: str, recording: Recording, paths: list[str], outcome: Outcome
) -> None:
    """Fetch each path once (a browser then has it cached); the recorded address is rewritten."""
    loop = asyncio.get_running_loop()
    recorded_host = recording.origin.split("://", 1)[1]
    host = url.split("://", 1)[1]
    jobs = []
    for path in paths:
        path = path.replace(recorded_host, host).replace(
            recorded_host.replace(":", "%3A"), host.replace(":", "%3A")
        )
        jobs.append((path, loop.run_in_executor(pool, fetch, url + path)))
    for path, job in jobs:
        status, size = await job
        outcome.gets += 1
        outcome.get_bytes += size
        if status != 200:
            outcome.get_failures.append(f"{status} {path}")


async def student(
    url: str,
    recording: Recording,
    seconds: float,
    rng: random.Random,
    pool: ThreadPoolExecutor,
    timeout: float,
    opened: asyncio.Event | None = None,
) -> tuple[Session, Outcome]:
    """One client: load the page, open a session, then interact until `seconds` have passed.

    A client never sends while its previous rerun runs (a student waits to see the map), so
    when the server is slower than the think time the next interaction follows at once.
    Returns the still-open session, so that the caller can read the server's memory with every
    session alive, and closes nothing.
    """
    outcome = Outcome()
    session = Session(url, recording, timeout, outcome)
    await fetch_all(pool, url, recording, recording.shell, outcome)
    start = time.perf_counter()
    try:
        await session.connect()
    except (OSError, TimeoutError) as error:
        outcome.errors.append(f"could not connect: {error}")
        return session, outcome
    (_, opening), *actions = recording.actions
    for frame in opening:
        took = await session.send(frame)
        if took is not None and outcome.open_seconds is None:
            outcome.open_seconds = time.perf_counter() - start
    outcome.received.append(session.received)
    # The page asks for components and map data once the first run has placed them (before
    # that, a component's files are not even served yet).
    assets = asyncio.create_task(fetch_all(pool, url, recording, recording.assets, outcome))
    if opened is not None:
        opened.set()
    deadline = time.perf_counter() + seconds
    next_at = time.perf_counter() + rng.uniform(*THINK_SECONDS)
    index = 0
    while actions and next_at < deadline and not session.lost:
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        name, frames = actions[index % len(actions)]
        index += 1
        sent_at = time.perf_counter()
        before = session.received
        for frame in frames:
            took = await session.send(frame)
            if took is not None:
                outcome.timings.append((name, took))
        outcome.received.append(session.received - before)
        next_at = sent_at + rng.uniform(*THINK_SECONDS)
    await assets
    return session, outcome

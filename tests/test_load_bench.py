"""The load benchmark's protocol pieces (bench/protocol.py, bench/replay.py), without a server."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.load import per_extra_session_kib, percentile
from bench.protocol import MessageCache, rewrite, widget_of
from bench.recording import Recording
from bench.replay import Outcome, Session

RECORDED = "http://127.0.0.1:1111"
HERE = "http://127.0.0.1:2222"


def run(coroutine):
    """Run a coroutine on an event loop of its own thread: the browser tests' Playwright keeps
    a loop running in the main thread for the whole session."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def rerun_frame(**widgets) -> bytes:
    msg = BackMsg()
    rerun = msg.rerun_script
    rerun.query_string = "date=1900-12-31"
    rerun.page_script_hash = "recorded-page"
    rerun.context_info.url = f"{RECORDED}/?date=1900-12-31"
    rerun.cached_message_hashes.extend(["browser-a", "browser-b"])
    for widget_id, value in widgets.items():
        state = rerun.widget_states.widgets.add()
        state.id = widget_id
        state.string_value = value
    return msg.SerializeToString()


def slider_delta(widget_id: str, label: str, path: list[int]) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend(path)
    msg.delta.new_element.slider.id = widget_id
    msg.delta.new_element.slider.label = label
    return msg


def test_rewrite_makes_a_recorded_rerun_this_sessions_own():
    data, rerun = rewrite(
        rerun_frame(old="1901"),
        RECORDED,
        HERE,
        "session-page",
        ["mine"],
        {"old": "new"}.get,
    )
    msg = BackMsg.FromString(data).rerun_script
    assert rerun
    assert msg.context_info.url == f"{HERE}/?date=1900-12-31"
    assert msg.page_script_hash == "session-page"
    assert list(msg.cached_message_hashes) == ["mine"]
    assert [(w.id, w.string_value) for w in msg.widget_states.widgets] == [("new", "1901")]
    assert msg.query_string == "date=1900-12-31"  # the student's view: sent as recorded


def test_rewrite_leaves_other_messages_alone():
    frame = BackMsg(app_heartbeat=True).SerializeToString()
    assert rewrite(frame, RECORDED, HERE, "page", [], str) == (frame, False)


def test_widget_of_names_a_widget_by_kind_label_and_place():
    assert widget_of(slider_delta("$$ID-1-year", "Year", [0, 4])) == (
        "$$ID-1-year",
        ("slider", "Year", (0, 4)),
    )
    component = ForwardMsg()
    component.delta.new_element.component_instance.id = "$$ID-2-map"
    component.delta.new_element.component_instance.component_name = "folium"
    assert widget_of(component)[1] == ("component_instance", "folium", ())
    text = ForwardMsg()
    text.delta.new_element.markdown.body = "not a widget"
    assert widget_of(text) is None


def cacheable(hash_: str, fragment: str = "") -> tuple[ForwardMsg, bytes]:
    msg = ForwardMsg(hash=hash_)
    msg.metadata.cacheable = True
    msg.delta.new_element.markdown.body = f"body of {hash_}"
    msg.delta.fragment_id = fragment
    return msg, msg.SerializeToString()


def reference(hash_: str, path: list[int]) -> ForwardMsg:
    msg = ForwardMsg(ref_hash=hash_)
    msg.metadata.delta_path.extend(path)
    return msg


def test_cache_resolves_a_reference_to_the_message_at_the_new_place():
    cache = MessageCache()
    cache.resolve(*cacheable("h1"))
    ref = reference("h1", [0, 7])
    resolved = cache.resolve(ref, ref.SerializeToString())
    assert resolved.delta.new_element.markdown.body == "body of h1"
    assert list(resolved.metadata.delta_path) == [0, 7]
    assert cache.resolve(reference("never-sent", [0]), b"") is None


def test_cache_drops_messages_unseen_for_longer_than_the_max_age():
    cache = MessageCache()
    cache.resolve(*cacheable("old"))
    cache.resolve(*cacheable("kept"))
    for _ in range(2):
        cache.run_finished(max_age=2, fragment_ids=[])
        cache.resolve(reference("kept", [0]), b"")
    assert set(cache.hashes()) == {"old", "kept"}
    cache.run_finished(max_age=2, fragment_ids=[])
    assert cache.hashes() == ["kept"]


def test_a_fragment_run_ages_only_that_fragments_messages():
    cache = MessageCache()
    cache.resolve(*cacheable("page"))
    cache.resolve(*cacheable("inside", fragment="f1"))
    for _ in range(3):
        cache.run_finished(max_age=2, fragment_ids=["f1"])
    assert cache.hashes() == ["page"]


class FakeSocket:
    """Answers each frame sent with the given server messages, on the next loop turns."""

    def __init__(self, session: Session, replies: list[ForwardMsg]) -> None:
        self.session, self.replies, self.sent = session, replies, []

    async def send(self, data: bytes) -> None:
        self.sent.append(data)
        asyncio.get_running_loop().call_soon(self.reply)

    def reply(self) -> None:
        for msg in self.replies:
            self.session._on_message(msg, msg.SerializeToString())


def finished(status, run_id: str = "r") -> ForwardMsg:
    msg = ForwardMsg(script_finished=status)
    msg.metadata.run.script_run_id = run_id
    return msg


def started(run_id: str = "r") -> ForwardMsg:
    msg = ForwardMsg()
    msg.new_session.page_script_hash = "session-page"
    msg.new_session.config.max_cached_message_age = 2
    msg.metadata.run.script_run_id = run_id
    return msg


def replay(replies: list[ForwardMsg], recording: Recording | None = None, timeout: float = 2):
    outcome = Outcome()
    session = Session(HERE, recording or Recording(RECORDED), timeout, outcome)
    session.ws = FakeSocket(session, replies)
    took = run(session.send(rerun_frame()))
    return took, outcome, session


def test_a_rerun_ends_at_the_script_finished_of_a_run_it_started():
    took, outcome, _ = replay(
        [
            finished(ForwardMsg.FINISHED_SUCCESSFULLY, "before"),
            started("r1"),
            finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN, "r1"),
            started("r2"),
            finished(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY, "r2"),
        ]
    )
    assert took is not None
    assert outcome.errors == []


@pytest.mark.parametrize(
    "replies",
    [
        # the end of a run that started before the frame was sent
        [finished(ForwardMsg.FINISHED_SUCCESSFULLY, "before")],
        # a run cut short by st.rerun(): the run that follows is still to come
        [started("r1"), finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN, "r1")],
        # a run that started and never ended
        [finished(ForwardMsg.FINISHED_SUCCESSFULLY, "before"), started()],
    ],
    ids=["earlier-run", "cut-short", "never-ends"],
)
def test_a_rerun_without_the_end_of_its_own_run_is_an_error(replies):
    took, outcome, _ = replay(replies, timeout=0.3)
    assert took is None
    assert outcome.errors == ["no script_finished within 0.3 s"]


def test_exceptions_and_failed_runs_are_errors():
    exception = ForwardMsg()
    exception.delta.new_element.exception.type = "KeyError"
    exception.delta.new_element.exception.message = "'view'"
    _, outcome, _ = replay([started(), exception, finished(ForwardMsg.FINISHED_WITH_COMPILE_ERROR)])
    assert outcome.errors == [
        "exception: KeyError: 'view'",
        "script_finished with a compile error",
    ]


def test_recorded_widget_ids_become_the_ids_this_session_drew():
    recording = Recording(RECORDED, widgets={"$$ID-old-map": [("slider", "Year", (0, 3))]})
    replies = [started(), slider_delta("$$ID-new-map", "Year", [0, 3]), finished(0)]
    _, outcome, session = replay(replies, recording)
    assert session.widget_id("$$ID-old-map") == "$$ID-new-map"
    assert outcome.unmatched == set()
    frame = rerun_frame(**{"$$ID-old-map": "1901"})
    session.ws = FakeSocket(session, [started(), finished(0)])
    run(session.send(frame))
    sent = BackMsg.FromString(session.ws.sent[-1]).rerun_script
    assert [w.id for w in sent.widget_states.widgets] == ["$$ID-new-map"]
    assert list(sent.cached_message_hashes) == []  # this session has cached nothing


def test_a_recorded_widget_the_session_never_drew_is_noted():
    recording = Recording(RECORDED, widgets={"$$ID-gone": [("radio", "Show", (0, 9))]})
    _, outcome, session = replay([started(), finished(0)], recording)
    assert session.widget_id("$$ID-gone") == "$$ID-gone"
    assert outcome.unmatched == {"$$ID-gone"}


def test_recording_survives_a_round_trip_through_a_file(tmp_path):
    recording = Recording(
        RECORDED,
        shell=["/"],
        assets=["/app/static/timemap.js"],
        actions=[("open", [rerun_frame()]), ("year +1", [rerun_frame(year="1901")])],
        silent=["click map"],
        received=[47, 15],
        widgets={"$$ID-1-year": [("slider", "Year", (0, 4))]},
    )
    recording.save(tmp_path / "recording.json")
    assert Recording.load(tmp_path / "recording.json") == recording


@pytest.mark.parametrize(("share", "expected"), [(0.5, 10), (0.95, 19), (1.0, 20), (0.01, 1)])
def test_percentile_is_nearest_rank(share, expected):
    assert percentile([float(v) for v in range(20, 0, -1)], share) == expected


def test_memory_per_extra_session():
    assert per_extra_session_kib(200_000, 238_000, 20) == 2_000
    assert per_extra_session_kib(200_000, 200_000, 1) is None


class ClosingSocket:
    """A server that closes the websocket when the frame arrives, answering nothing."""

    def __init__(self) -> None:
        self.closed = asyncio.Event()

    async def send(self, _data: bytes) -> None:
        self.closed.set()

    def __aiter__(self):
        return self.messages()

    async def messages(self):
        await self.closed.wait()
        return
        yield


def test_a_disconnect_during_a_rerun_is_an_error_and_not_a_time():
    async def scenario():
        outcome = Outcome()
        session = Session(HERE, Recording(RECORDED), 5, outcome)
        session.ws = ClosingSocket()
        session.reader = asyncio.create_task(session._read())
        took = await session.send(rerun_frame())
        await session.reader
        return took, outcome, session

    took, outcome, session = run(scenario())
    assert took is None
    assert outcome.errors == ["the server closed the websocket"]
    assert session.lost

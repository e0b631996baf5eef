"""The parts of Streamlit's websocket protocol that a replayed session has to get right.

The browser sends BackMsg protobufs and receives ForwardMsg protobufs. A recorded frame carries a
few things that belong to the recorded session only; `rewrite` makes them the replaying
session's own. Everything else in the frame (the widget values) is sent as recorded.
"""

from __future__ import annotations

from collections.abc import Callable

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN  # a run cut short by st.rerun(): not the end yet
FAILED = ForwardMsg.FINISHED_WITH_COMPILE_ERROR

Signature = tuple[str, str, tuple[int, ...]]  # element type, label or component, place on page


class MessageCache:
    """The browser's cache of ForwardMsgs, which the server may then send as a bare hash.

    Mirrors the frontend (ForwardMsgCache): cacheable messages are kept by hash, each rerun
    request lists the kept hashes, and a message unseen for more than max_cached_message_age
    finished runs is dropped (in a fragment run, only messages of the fragments that ran).
    """

    def __init__(self) -> None:
        self.runs = 0
        self.entries: dict[str, tuple[bytes, int, str]] = {}  # hash → (message, last run, fragment)

    def hashes(self) -> list[str]:
        return list(self.entries)

    def resolve(self, msg: ForwardMsg, raw: bytes) -> ForwardMsg | None:
        """The message to act on (a reference replaced by its cached message), None on a miss."""
        if msg.WhichOneof("type") == "ref_hash":
            entry = self.entries.get(msg.ref_hash)
            if entry is None:
                return None
            self.entries[msg.ref_hash] = (entry[0], self.runs, entry[2])
            cached = ForwardMsg.FromString(entry[0])
            cached.metadata.CopyFrom(msg.metadata)  # where it goes now, as the browser does
            return cached
        if msg.metadata.cacheable and msg.hash:
            fragment = msg.delta.fragment_id if msg.HasField("delta") else ""
            self.entries[msg.hash] = (raw, self.runs, fragment)
        return msg

    def run_finished(self, max_age: int, fragment_ids: list[str]) -> None:
        self.runs += 1
        for key, (_raw, last, fragment) in list(self.entries.items()):
            if fragment_ids and (not fragment or fragment not in fragment_ids):
                continue
            if self.runs - last > max_age:
                del self.entries[key]


def widget_of(msg: ForwardMsg) -> tuple[str, Signature] | None:
    """(widget id, signature) of a delta that draws a widget, else None.

    A widget's id can differ between two app processes (streamlit-folium derives it from the
    map's script), but its kind, label and place on the page do not: the signature.
    """
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    kind = msg.delta.new_element.WhichOneof("type")
    if kind is None:
        return None
    body = getattr(msg.delta.new_element, kind)
    fields = body.DESCRIPTOR.fields_by_name
    if "id" not in fields or not body.id:
        return None
    name = next((getattr(body, f) for f in ("component_name", "label") if f in fields), "")
    return body.id, (kind, name, tuple(msg.metadata.delta_path))


def rewrite(
    frame: bytes,
    recorded_origin: str,
    origin: str,
    page_hash: str,
    cached: list[str],
    widget_id: Callable[[str], str],
) -> tuple[bytes, bool]:
    """A recorded frame made this session's own; returns (bytes, whether it asks for a rerun).

    Rewritten: the page's address (context_info.url), the page's script hash, the cached
    message hashes (this session's, not the browser's) and the widget ids (`widget_id` maps a
    recorded id to this session's).
    """
    msg = BackMsg.FromString(frame)
    if msg.WhichOneof("type") != "rerun_script":
        return frame, False
    rerun = msg.rerun_script
    if rerun.context_info.url.startswith(recorded_origin):
        rerun.context_info.url = origin + rerun.context_info.url[len(recorded_origin) :]
    if rerun.page_script_hash and page_hash:
        rerun.page_script_hash = page_hash
    del rerun.cached_message_hashes[:]
    rerun.cached_message_hashes.extend(cached)
    for widget in rerun.widget_states.widgets:
        widget.id = widget_id(widget.id)
    return msg.SerializeToString(), True

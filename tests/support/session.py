"""One simulated browser tab, at Streamlit's protocol level.

A tab opens ``/_stcore/stream`` (websocket, subprotocol ``streamlit``), asks for a script run
with a ``BackMsg`` carrying the link's page and query string, and reads ``ForwardMsg`` until
``script_finished``. Streamlit's own protobuf classes encode and decode every message, so this
is what the browser's frontend sends, minus the drawing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

#: Elements that count as "the graph": the explorer's SVG component, a plotly figure, or a
#: graphviz chart (the bare app's static graph).
GRAPH_ELEMENTS = frozenset({"bidi_component", "plotly_chart", "graphviz_chart"})
#: Components that are not a graph: the code editor's line numbers.
NOT_GRAPHS = frozenset({"autodiff_viz.code_gutter"})


@dataclass
class Visit:
    """What one tab saw: timings in seconds from the moment it connected."""

    link: str
    ok: bool = False
    connected_s: float | None = None  # when the websocket was open
    started_s: float | None = None  # when the first message came back (the run had started)
    graph_s: float | None = None  # when the first graph element arrived
    finished_s: float | None = None  # when the script run finished
    elements: int = 0
    error: str | None = None
    alerts: list[str] = field(default_factory=list)


def _element_kind(msg: ForwardMsg) -> str | None:
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    return msg.delta.new_element.WhichOneof("type")


def _read(forward: ForwardMsg, result: Visit, started: float) -> bool:
    """Note what ``forward`` tells about the run; True once the run has finished."""
    if result.started_s is None:
        result.started_s = time.perf_counter() - started
    kind = _element_kind(forward)
    if kind is not None:
        result.elements += 1
        name = forward.delta.new_element.bidi_component.component_name
        if kind in GRAPH_ELEMENTS and name not in NOT_GRAPHS and result.graph_s is None:
            result.graph_s = time.perf_counter() - started
        if kind == "exception":
            result.error = "exception: " + forward.delta.new_element.exception.message
        if kind == "alert":
            result.alerts.append(forward.delta.new_element.alert.body[:200])
        return False
    if forward.WhichOneof("type") == "page_not_found":
        result.error = "page not found"
        return False
    if forward.WhichOneof("type") != "script_finished":
        return False
    if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
        return False  # the app reran itself (e.g. writing ?lang= back): wait for that run
    result.finished_s = time.perf_counter() - started
    if forward.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
        result.error = result.error or ForwardMsg.ScriptFinishedStatus.Name(forward.script_finished)
    return True


def visit(
    base_url: str,
    link: str,
    *,
    timeout: float = 60.0,
    want_graph: bool = True,
    headers: list[str] | None = None,
    on_open: Callable[[], None] | None = None,
) -> Visit:
    """Open ``base_url + link`` as a new tab would and wait for the run to finish.

    ``ok`` means: the script finished successfully, raised nothing, and (with ``want_graph``)
    sent a graph element. ``headers`` go with the websocket's opening request (a proxy's
    cookie, say).
    """
    result = Visit(link)
    parts = urlsplit(link)
    page = parts.path.strip("/")
    ws_url = base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
    started = time.perf_counter()
    try:
        ws = websocket.create_connection(
            ws_url, subprotocols=["streamlit"], timeout=timeout, header=headers or []
        )
    except (OSError, websocket.WebSocketException) as exc:
        result.error = f"connect: {exc!r}"
        return result
    result.connected_s = time.perf_counter() - started
    if on_open is not None:
        on_open()
    try:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = parts.query
        state.page_name = page
        state.context_info.url = base_url + link
        state.context_info.locale = "en-US"
        state.context_info.timezone = "UTC"
        ws.send_binary(msg.SerializeToString())
        deadline = started + timeout
        while True:
            ws.settimeout(max(0.1, deadline - time.perf_counter()))
            data = ws.recv()
            if not isinstance(data, bytes):
                continue
            forward = ForwardMsg()
            forward.ParseFromString(data)
            if _read(forward, result, started):
                break
    except (OSError, websocket.WebSocketException) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        ws.close()
    result.ok = result.error is None and (result.graph_s is not None or not want_graph)
    if result.error is None and not result.ok:
        result.error = "no graph"
    return result

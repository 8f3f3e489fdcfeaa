"""A headless Streamlit client that speaks the browser's own websocket protocol.

Used by bench/load.py. One :class:`Session` is one browser tab: it connects to
``ws://127.0.0.1:<port>/_stcore/stream`` with the ``streamlit`` subprotocol and a same-origin
``Origin`` header, sends ``BackMsg.rerun_script`` (a ``ClientState``) and reads
``ForwardMsg`` until the run's ``script_finished``.

The messages are built as Streamlit 1.67's frontend builds them (read in
streamlit/static/static/js/index.*.js and checked against what Chromium sends):

* first message of a tab: ``rerun_script`` with ``page_name`` = the URL path ("bptt"), the
  URL's ``query_string``, an empty ``widget_states`` and ``context_info`` (timezone, locale,
  url, is_embedded, color_scheme); no page_script_hash, no cached hashes;
* after a widget change: ``rerun_script`` with ``page_script_hash`` of the current page
  (``ForwardMsg.navigation.page_script_hash``), no page_name, the updated ``query_string``
  (widgets bound to the URL), ``widget_states`` holding every value widget on the page
  (buttons only when clicked), ``cached_message_hashes`` (see below) and the same
  ``context_info``;
* the browser caches every ForwardMsg whose ``metadata.cacheable`` is set (large
  ``new_element`` deltas), sends their hashes back, and the server then sends a small
  ``ref_hash`` message instead of the element; an entry expires when it has not been seen
  for more than ``new_session.config.max_cached_message_age`` finished runs.

Loopback only: :func:`connect` refuses any host other than 127.0.0.1 / localhost / ::1.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from websockets.asyncio.client import connect as ws_connect

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetStates

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Widgets whose state the client sends back (the pages' controls); buttons are triggers,
# sent only when clicked; widgets left out get their default on the server.
VALUE_WIDGETS = ("slider", "selectbox", "checkbox", "radio")
SCRIPT_FINISHED = {
    value.number: value.name
    for value in ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].enum_type.values
}


@dataclass
class Control:
    """A value widget as the page drew it (enough to send its state back)."""

    key: str  # the user key: the widget id is "$$ID-<hash>-<key>"
    widget_id: str
    kind: str  # one of VALUE_WIDGETS
    value: object  # what goes into the WidgetState
    element: object  # the widget's proto (min, max, step, options, default...)


@dataclass
class RunResult:
    """One rerun seen from the client: sent -> script_finished."""

    label: str
    latency: float  # seconds from send to script_finished
    first_delta: float | None  # seconds from send to the first delta
    status: str  # FINISHED_SUCCESSFULLY, ... or TIMEOUT / CLOSED
    messages: int = 0
    deltas: int = 0
    ref_hits: int = 0  # elements the server sent as ref_hash (browser cache hits)
    bytes: int = 0
    exceptions: list[str] = field(default_factory=list)
    error_alerts: int = 0
    page_not_found: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "FINISHED_SUCCESSFULLY" and not self.exceptions


class Session:
    """One browser tab on the app."""

    def __init__(self, port: int, path: str, query: str = "", host: str = "127.0.0.1"):
        if host not in LOOPBACK:
            raise ValueError(f"loopback only, not {host!r}")
        self.host, self.port, self.path = host, port, path.strip("/")
        self.origin = f"http://{host}:{port}"
        self.url = f"{self.origin}/{self.path}"
        self.query: dict[str, str] = dict(parse_qsl(query, keep_blank_values=True))
        self.ws = None
        self.page_script_hash = ""
        self.controls: dict[str, Control] = {}
        self._previous: dict[str, Control] = {}
        self.max_cached_message_age = 2
        self.run_count = 0  # finished runs, as the frontend counts them
        self.cache: dict[str, tuple[int, str]] = {}  # hash -> (last run seen, element type)
        self.extensions = ""

    async def connect(self) -> None:
        self.ws = await ws_connect(
            f"ws://{self.host}:{self.port}/_stcore/stream",
            subprotocols=["streamlit"],
            origin=self.origin,
            max_size=None,
            open_timeout=30,
            ping_interval=None,
        )
        self.extensions = self.ws.response.headers.get("Sec-WebSocket-Extensions", "")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    # ---- messages -----------------------------------------------------------------------

    def _context(self, state) -> None:
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-US"
        info.url, info.is_embedded, info.color_scheme = self.url, False, "light"

    def first_message(self) -> BackMsg:
        """What a tab sends when it opens /<path>?<query>."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = urlencode(self.query)
        state.widget_states.SetInParent()
        state.page_name = self.path
        self._context(state)
        return msg

    def widget_message(self) -> BackMsg:
        """What a tab sends after a widget change (or a plain rerun): all widget values."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = urlencode(self.query)
        state.widget_states.CopyFrom(self.widget_states())
        state.page_script_hash = self.page_script_hash
        state.cached_message_hashes.extend(self.cache.keys())
        self._context(state)
        return msg

    def widget_states(self) -> WidgetStates:
        states = WidgetStates()
        for control in self.controls.values():
            ws = states.widgets.add()
            ws.id = control.widget_id
            if control.kind == "slider":
                ws.double_array_value.data.extend(control.value)
            elif control.kind == "checkbox":
                ws.bool_value = control.value
            else:  # selectbox, radio
                ws.string_value = control.value
        return states

    def set_control(self, key: str, value) -> None:
        """Move one widget, as a user would, and update the URL as the frontend does."""
        control = self.controls[key]
        control.value = value
        if control.kind == "slider":
            element = control.element
            default = list(element.default)
            shown = value[0] if len(value) == 1 else value
            is_default = list(value) == default
            url_value = _number(shown) if not isinstance(shown, list) else None
        else:
            is_default = False
            url_value = str(value).lower() if isinstance(value, bool) else str(value)
        if getattr(control.element, "query_param_key", ""):
            param = control.element.query_param_key
            if is_default:
                self.query.pop(param, None)
            elif url_value is not None:
                self.query[param] = url_value

    def _remember(self, element_type: str, element) -> None:
        """Keep a value widget's state as the frontend does: its value on first mount
        (``value`` when the server set it, else ``default``), then the user's value."""
        if element_type not in VALUE_WIDGETS:
            return
        widget_id = element.id
        key = widget_id.split("-", 2)[-1] if widget_id.startswith("$$ID-") else widget_id
        known = self._previous.get(key)
        if known is not None and known.widget_id == widget_id and not element.set_value:
            self.controls[key] = Control(key, widget_id, element_type, known.value, element)
            return
        if element_type == "slider":
            value = list(element.value) if element.set_value else list(element.default)
        elif element_type == "checkbox":
            value = element.value if element.set_value else element.default
        else:  # selectbox, radio: the option's text
            if element.set_value and element.HasField("raw_value"):
                value = element.raw_value
            elif element.HasField("default") and 0 <= element.default < len(element.options):
                value = element.options[element.default]
            else:
                return
        self.controls[key] = Control(key, widget_id, element_type, value, element)

    # ---- a run ---------------------------------------------------------------------------

    async def run(self, msg: BackMsg, label: str, timeout: float = 60.0) -> RunResult:
        """Send one BackMsg and read ForwardMsgs until this run's script_finished."""
        self._previous, self.controls = self.controls, {}
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        result = RunResult(label, float("nan"), None, "TIMEOUT")
        started = False
        deadline = start + timeout
        try:
            while True:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    raise asyncio.TimeoutError
                raw = await asyncio.wait_for(self.ws.recv(), remaining)
                forward = ForwardMsg()
                forward.ParseFromString(raw)
                kind = forward.WhichOneof("type")
                if kind == "new_session":
                    started = True
                    config = forward.new_session.config
                    if config.max_cached_message_age:
                        self.max_cached_message_age = config.max_cached_message_age
                if not started:
                    continue  # the tail of an earlier run (session_status_changed...)
                result.messages += 1
                result.bytes += len(raw)
                if kind == "delta":
                    if result.first_delta is None:
                        result.first_delta = time.perf_counter() - start
                    result.deltas += 1
                    self._delta(forward, result)
                elif kind == "ref_hash":
                    if result.first_delta is None:
                        result.first_delta = time.perf_counter() - start
                    result.deltas += 1
                    result.ref_hits += 1
                    cached = self.cache.get(forward.ref_hash)
                    if cached is None:
                        result.exceptions.append(f"client cache MISS {forward.ref_hash}")
                    else:
                        self.cache[forward.ref_hash] = (self.run_count, cached[1])
                elif kind == "navigation":
                    if forward.navigation.page_script_hash:
                        self.page_script_hash = forward.navigation.page_script_hash
                elif kind == "page_info_changed":
                    self.query = dict(parse_qsl(forward.page_info_changed.query_string,
                                                keep_blank_values=True))
                elif kind == "page_not_found":
                    result.page_not_found = True
                elif kind == "script_finished":
                    result.latency = time.perf_counter() - start
                    result.status = SCRIPT_FINISHED.get(forward.script_finished,
                                                        str(forward.script_finished))
                    if result.status != "FINISHED_EARLY_FOR_RERUN":
                        self._expire()
                    break
        except asyncio.TimeoutError:
            result.latency = time.perf_counter() - start
            result.status = "TIMEOUT"
        except Exception as error:  # connection closed by the server
            result.latency = time.perf_counter() - start
            result.status = f"CLOSED ({type(error).__name__})"
        if not self.controls:
            self.controls = self._previous
        return result

    def _delta(self, forward: ForwardMsg, result: RunResult) -> None:
        delta = forward.delta
        if not delta.HasField("new_element"):
            return
        element = delta.new_element
        element_type = element.WhichOneof("type")
        if forward.metadata.cacheable and forward.hash:
            self.cache.setdefault(forward.hash, (self.run_count, element_type))
        if element_type == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif element_type == "alert" and element.alert.format == Alert.ERROR:
            result.error_alerts += 1
        else:
            self._remember(element_type, getattr(element, element_type))

    def _expire(self) -> None:
        self.run_count += 1
        for key, (seen, _) in list(self.cache.items()):
            if self.run_count - seen > self.max_cached_message_age:
                del self.cache[key]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))

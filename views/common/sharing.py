"""The "copy link to this view" box and classroom mode, shared by every page.

The address bar drops a control that sits at its default; the copied link names every
control's current value, so that it reproduces the view even if a default changes later.
Each :func:`views.common.controls.render_controls` call adds its values to the link of the
current run; the box in the header is drawn once, when the page has run (:func:`links_drawn`).
"""

from __future__ import annotations

import contextlib
import math
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator
from urllib.parse import urlencode

import streamlit as st

CLASSROOM_KEY = "classroom"
# Larger type for a projector. Static text: nothing from the user reaches this HTML.
CLASSROOM_CSS = """<style>
[data-testid="stMainBlockContainer"] { font-size: 1.3rem; }
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] { font-size: 1.3rem; }
[data-testid="stMainBlockContainer"] .katex { font-size: 1.45em; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: 2.25rem; }
</style>"""
CLASSROOM_CHART_SCALE = 1.3  # charts are this much taller in classroom mode
PLOTLY_DEFAULT_HEIGHT = 450


def url_value(value: Any) -> str:
    """A control's value as Streamlit writes it in the address bar (5.0 -> "5", True -> "true")."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def view_link(base: str, values: Iterable[tuple[str, str]]) -> str:
    """``base`` (scheme, host and path) with the query string of ``values`` (key, text)."""
    return f"{base}?{urlencode(list(values))}"


@dataclass
class _ViewLink:
    """The link of the current script run: the values so far, and the box to draw it in
    (None until the page's header makes one)."""

    values: dict[str, str] = field(default_factory=dict)
    box: Any = None
    note: str | None = None


_current: ContextVar[_ViewLink | None] = ContextVar("view_link", default=None)


def classroom() -> bool:
    """Whether this run's page is in classroom mode, as its header's toggle (bound to
    ?classroom=) recorded it in the link: no session-state lookup per chart."""
    current = _current.get()
    return current is not None and current.values.get(CLASSROOM_KEY) == url_value(True)


def start_link(box: Any, note: str | None = None) -> None:
    """Draw this run's link in ``box`` (an st.empty) when the page has run; ``note`` says
    what the link cannot hold (an uploaded file)."""
    current = _current.get()
    if current is not None:
        current.box, current.note = box, note


def record(values: dict[str, Any]) -> None:
    """Add controls' values (key -> value as the widget shows it) to this run's link."""
    current = _current.get()
    if current is not None:
        current.values.update({key: url_value(value) for key, value in values.items()})


@contextlib.contextmanager
def links_drawn() -> Iterator[None]:
    """Run a page inside: afterwards its link box (if its header made one) is drawn, once,
    with every control the page recorded. A page that stops early draws none."""
    current = _ViewLink()
    token = _current.set(current)
    try:
        yield
        if current.box is not None:
            _draw(current)
    finally:
        _current.reset(token)


def _draw(current: _ViewLink) -> None:
    link = view_link(st.context.url or "", current.values.items())
    with current.box.popover(":material/link: Copy link to this view", width="stretch"):
        st.code(link, language=None, wrap_lines=True)
        st.caption("The copy button at the right of the box copies it: the link holds "
                   "every setting of this page and the classroom mode."
                   + (f" {current.note}" if current.note else ""))


def chart_height(figure: Any) -> int | str:
    """The chart's height: the figure's own, or taller in classroom mode. (Plotly's own
    text keeps its size: the Streamlit theme fixes it, and a larger base font only moved
    the animation buttons onto their slider's label.)"""
    if not classroom():
        return "content"
    return int((figure.layout.height or PLOTLY_DEFAULT_HEIGHT) * CLASSROOM_CHART_SCALE)


def settings_box() -> Any:
    """The box of a page's settings: bordered, or folded away in classroom mode."""
    if classroom():
        return st.expander(":material/tune: Settings", expanded=False)
    return st.container(border=True)

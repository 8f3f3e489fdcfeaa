"""URL-bound controls: every widget's value lives in the address bar.

A page declares its controls as specs (``IntControl``, ``FloatControl``, ``ChoiceControl``,
``BoolControl``) and renders them with :func:`render_controls`. Streamlit binds each widget
to the query parameter named by its key (``bind="query-params"``) and falls back on its own
when the URL holds a bad value; these helpers detect that case and say so in one line, so a
malformed link never crashes a page and never fails silently.
"""

from __future__ import annotations

import math
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, Sequence

import streamlit as st

from views.common import sharing


@dataclass(frozen=True)
class IntControl:
    """A whole number in [min_value, max_value], shown as a slider."""

    key: str
    label: str
    min_value: int
    max_value: int
    default: int
    step: int = 1
    help: str | None = None

    def extremes(self) -> tuple[int, int]:
        return self.min_value, self.max_value

    def shown(self, value: Any) -> str:
        return str(value)

    def parse(self, raw: str) -> int | None:
        number = _finite_float(raw)
        if number is None or not number.is_integer():
            return None
        value = int(number)
        return value if self.min_value <= value <= self.max_value else None

    def describe(self) -> str:
        return f"a whole number from {self.min_value} to {self.max_value}"

    def widget(self) -> Any:
        return st.slider(
            self.label, self.min_value, self.max_value, self.default, self.step,
            key=self.key, help=self.help, bind="query-params",
        )


@dataclass(frozen=True)
class FloatControl:
    """A real number in [min_value, max_value], shown as a slider."""

    key: str
    label: str
    min_value: float
    max_value: float
    default: float
    step: float
    help: str | None = None
    format: str | None = None

    def extremes(self) -> tuple[float, float]:
        return self.min_value, self.max_value

    def shown(self, value: Any) -> str:
        return str(value)

    def parse(self, raw: str) -> float | None:
        value = _finite_float(raw)
        ok = value is not None and self.min_value <= value <= self.max_value
        return value if ok else None

    def describe(self) -> str:
        return f"a number from {self.min_value:g} to {self.max_value:g}"

    def widget(self) -> Any:
        return st.slider(
            self.label, float(self.min_value), float(self.max_value), float(self.default),
            float(self.step), key=self.key, help=self.help, format=self.format,
            bind="query-params",
        )


@dataclass(frozen=True)
class ChoiceControl:
    """One of a few named options, shown as a select box.

    The URL holds what the box shows: the option itself, or its label when ``labels``
    maps options to display labels (Streamlit binds the formatted value).
    """

    key: str
    label: str
    options: tuple[str, ...]
    default: str
    labels: dict[str, str] | None = None
    help: str | None = None

    def extremes(self) -> tuple[str, ...]:
        return self.options

    def shown(self, option: str) -> str:
        return (self.labels or {}).get(option, option)

    def parse(self, raw: str) -> str | None:
        by_shown = {self.shown(option): option for option in self.options}
        return by_shown.get(raw)

    def describe(self) -> str:
        return "one of " + ", ".join(self.shown(option) for option in self.options)

    def widget(self) -> Any:
        return st.selectbox(
            self.label, self.options, index=self.options.index(self.default),
            format_func=self.shown, key=self.key, help=self.help, bind="query-params",
        )


@dataclass(frozen=True)
class BoolControl:
    """On or off ("true" / "false" in the URL), shown as a toggle."""

    key: str
    label: str
    default: bool
    help: str | None = None

    def extremes(self) -> tuple[bool, bool]:
        return False, True

    def shown(self, value: Any) -> str:
        return str(value)

    def parse(self, raw: str) -> bool | None:
        return {"true": True, "false": False}.get(raw.lower())

    def describe(self) -> str:
        return "true or false"

    def widget(self) -> Any:
        return st.toggle(
            self.label, self.default, key=self.key, help=self.help, bind="query-params"
        )


Control = IntControl | FloatControl | ChoiceControl | BoolControl


def _finite_float(raw: str) -> float | None:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def url_problem(control: Control, raw_values: Sequence[str], used: Any) -> str | None:
    """The one-line notice for a bad URL value, or None when the URL was fine or absent.

    ``raw_values`` are the strings the URL gave for this key (several for a repeated key);
    ``used`` is the value the widget settled on.
    """
    if not raw_values:
        return None
    shown = "&".join(raw_values)[:40]
    if len(raw_values) > 1:
        reason = "appears more than once"
    elif control.parse(raw_values[0]) is None:
        reason = f"is not {control.describe()}"
    elif control.parse(raw_values[0]) != used:
        reason = "could not be applied"
    else:
        return None
    return (
        f"The link's `{control.key}={shown}` {reason}: using {control.label} = "
        f"{control.shown(used)}. "
        "Pick a value with the control to update the link."
    )


# The key of a row of controls starts with this: the page style (views.common.layout)
# lays such rows out as a grid, so that every control has one column's width, the last of a
# row that wraps too.
ROW_KEY = "control_row_"


def render_controls(controls: Sequence[Control], notices: Any = None) -> dict[str, Any]:
    """Draw the controls side by side, as many to a row as the width holds, each as wide as
    the others, and return their values by key. (One wrapping row is one element; a grid of
    columns was five per rerun.)

    Bad URL values are replaced by the widget's default (Streamlit's own fallback) and
    reported with ``st.info`` in ``notices`` (a container; the current position if None).
    """
    raw_by_key = {c.key: st.query_params.get_all(c.key) for c in controls}
    _keep_in_range(controls)
    row = (st.container(horizontal=True, gap="medium", key=ROW_KEY + controls[0].key)
           if len(controls) > 1 else nullcontext())
    with row:
        values = {control.key: control.widget() for control in controls}
    sharing.record({c.key: c.shown(values[c.key]) if isinstance(c, ChoiceControl)
                    else values[c.key] for c in controls})
    target = notices if notices is not None else st
    for control in controls:
        problem = url_problem(control, raw_by_key[control.key], values[control.key])
        if problem:
            target.info(problem, icon=":material/link_off:")
    return values


def _keep_in_range(controls: Sequence[Control]) -> None:
    """A slider's value left outside its range by a range that shrank (the BPTT page's step
    when T drops) becomes the nearest end of the range: Streamlit keeps the old value on the
    slider otherwise. Before the widgets are drawn (their state is read-only after)."""
    state = st.session_state
    for control in controls:
        if isinstance(control, (IntControl, FloatControl)) and control.key in state:
            value = state[control.key]
            nearest = min(max(value, control.min_value), control.max_value)
            if nearest != value:
                state[control.key] = nearest


PRESET_KEY = "preset"  # the presets' widget: a choice that clears itself, not a setting


def render_presets(presets: dict[str, dict[str, Any]]) -> None:
    """The presets as one row of pills (one widget: each element costs the server on every
    rerun); choosing one sets its controls before the rerun, then the choice clears."""
    st.pills("Presets", list(presets), key=PRESET_KEY, on_change=_apply_chosen_preset,
             args=(presets,))


def _apply_chosen_preset(presets: dict[str, dict[str, Any]]) -> None:
    """The pills' callback: set every control of the chosen preset (session state, hence the
    URL), and clear the choice (the controls may move away from it afterwards)."""
    name = st.session_state.get(PRESET_KEY)
    if name is None:
        return
    for key, value in presets[name].items():
        st.session_state[key] = value
    st.session_state[PRESET_KEY] = None


def control_panel(
    controls: Sequence[Control], presets: dict[str, dict[str, Any]], notices: Any
) -> dict[str, Any]:
    """The page's settings box (folded away in classroom mode): preset buttons above the
    controls; returns values by key."""
    with sharing.settings_box():
        render_presets(presets)
        return render_controls(controls, notices=notices)

"""Plotly figures built once and shared by every rerun and session (st.cache_resource)."""

from __future__ import annotations

import base64
import functools

import numpy as np
import plotly.graph_objects as go
import plotly.io
from _plotly_utils.basevalidators import ColorscaleValidator
from _plotly_utils.utils import is_skipped_key, plotlyjsShortTypes
from plotly.basedatatypes import BaseFigure

_plotly_to_json = plotly.io.to_json


class _Spec(dict):
    """A frozen figure's dict, with its JSON (plotly.io.to_json's) made once."""

    json: str


def _to_json(fig, validate=True, pretty=False, remove_uids=True, engine=None):
    """plotly.io.to_json, which returns a frozen figure's JSON as made (st.plotly_chart
    calls it on every rerun: ~6 ms of each unchanged rerun of the RNN lab, measured)."""
    if isinstance(fig, _Spec) and not pretty and remove_uids and engine is None:
        return fig.json
    return _plotly_to_json(fig, validate, pretty, remove_uids, engine)


plotly.io.to_json = _to_json


def frozen(value):
    """``value`` with the dict of each plotly figure in it, and that dict's JSON, made once,
    and returned as is.

    st.plotly_chart calls figure.to_dict() on every rerun: a deep copy of every trace and
    frame and a base64 encoding of every array (~50 ms of each unchanged rerun of the RNN
    lab, measured), then plotly.io.to_json of that dict. Only for figures that nothing
    changes afterwards, such as those that st.cache_resource returns (st.plotly_chart reads
    them; to_json pops no key they have).
    ``value``: a figure, or a tuple, list or dict of them (other items pass through).
    """
    if isinstance(value, BaseFigure):
        spec = _Spec(value.to_dict())
        spec.json = _plotly_to_json(spec, validate=False)
        value.to_dict = lambda: spec  # plotly lets an instance attribute shadow the method
    elif isinstance(value, (tuple, list)):
        for item in value:
            frozen(item)
    elif isinstance(value, dict):
        for item in value.values():
            frozen(item)
    return value


@functools.cache
def _template() -> dict:
    """The default template's spec, as go.Figure().to_dict() carries it."""
    return plotly.io.templates[plotly.io.templates.default].to_plotly_json()


def _typed_array(array: np.ndarray):
    """plotly's typed-array spec of an ndarray, as its to_dict() makes it (int64 narrowed to
    the smallest type that holds it, a shape beyond 1-D; an array it cannot type stays),
    without plotly's per-array checks through narwhals (~0.3 ms an array)."""
    if array.dtype == np.int64 and array.size:
        low, high = array.min(), array.max()
        array = next((array.astype(t) for t in (np.int8, np.int16, np.int32)
                      if np.iinfo(t).min <= low and high <= np.iinfo(t).max), array)
    code = plotlyjsShortTypes.get(array.dtype.name)
    if code is None or not array.size:
        return array
    spec = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(array)).decode("ascii")}
    if array.ndim > 1:
        spec["shape"] = str(array.shape)[1:-1]
    return spec


def _encode_arrays(value) -> None:
    """Each ndarray that is a dict's value, in the dicts, lists and tuples of ``value``, as
    its typed-array spec, in place: where plotly's convert_to_base64 puts one."""
    if isinstance(value, dict):
        for key, item in value.items():
            if is_skipped_key(key):
                continue
            if isinstance(item, np.ndarray):
                value[key] = _typed_array(item)
            else:
                _encode_arrays(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _encode_arrays(item)


def spec_figure(data: list[dict], layout: dict, frames: list[dict] | None = None) -> go.Figure:
    """A figure that is its spec: to_dict() (all st.plotly_chart and :func:`frozen` read)
    returns {"data", "layout" (with the default template), "frames"}, numpy arrays in them
    base64-encoded as plotly does; its plotly objects stay empty (building them validates
    and copies every property: ~20-80 ms a figure) but its height, which the page reads
    (views.common.sharing.chart_height). Read it back with go.Figure(figure.to_dict())."""
    spec = dict(data=data, layout=layout)
    if frames is not None:
        spec["frames"] = frames
    _encode_arrays(spec)
    spec["layout"] = dict(layout, template=_template())
    figure = go.Figure(layout=dict(height=layout.get("height")))
    figure.to_dict = lambda: spec  # plotly lets an instance attribute shadow the method
    return figure


@functools.cache
def colorscale(name: str) -> list:
    """A named colour scale as plotly's validation writes it into a figure's spec: stops
    i / (m - 1) (plotly.colors.get_colorscale's differ from them in the last bit)."""
    return ColorscaleValidator("colorscale", "coloraxis").validate_coerce(name)


def axis(title: str, **more) -> dict:
    """An axis's spec titled ``title``, with the ``more`` properties."""
    return dict(title=dict(text=title), **more)


def panel_axes(panel: int) -> dict:
    """The axes a trace in panel ``panel`` (1-based, numbered row by row as make_subplots
    numbers them) names: {"xaxis": "x", "yaxis": "y"}, then "x2", "y2"..."""
    suffix = str(panel) if panel > 1 else ""
    return dict(xaxis=f"x{suffix}", yaxis=f"y{suffix}")


def layout_axes(panel: int) -> tuple[str, str]:
    """The layout's keys of panel ``panel``'s axes: ("xaxis", "yaxis"), then "xaxis2"..."""
    suffix = str(panel) if panel > 1 else ""
    return f"xaxis{suffix}", f"yaxis{suffix}"


def panel_domains(count: int, spacing: float, weights: list[float] | None = None
                  ) -> list[list[float]]:
    """[start, end] in paper units of ``count`` panels side by side, ``spacing`` apart, equal
    or in proportion to ``weights``: make_subplots' arithmetic for its columns (and for its
    rows, from the bottom up), to the last bit."""
    span = 1.0 - spacing * (count - 1)
    sizes = ([span / count] * count if weights is None else
             [span * (w / float(sum(weights))) for w in weights])
    starts = [sum(sizes[:i]) + i * spacing for i in range(count)]
    return [[max(0.0, start), min(1.0, start + size)] for start, size in zip(starts, sizes)]


def subplots(count: int, spacing: float, titles: list[str] | None = None,
           vertical: bool = False) -> dict:
    """The layout of make_subplots with ``count`` panels in a row (or a column, the first at
    the top) ``spacing`` apart: each panel's axes, anchored to each other, and its title
    (font size 16) when ``titles`` are given."""
    domains = panel_domains(count, spacing)
    layout, annotations = {}, []
    for panel, domain in enumerate(domains[::-1] if vertical else domains, start=1):
        x, y = ([0.0, 1.0], domain) if vertical else (domain, [0.0, 1.0])
        xaxis, yaxis = layout_axes(panel)
        on = panel_axes(panel)
        layout[xaxis] = dict(anchor=on["yaxis"], domain=x)
        layout[yaxis] = dict(anchor=on["xaxis"], domain=y)
        if titles is not None:
            annotations.append(dict(
                font=dict(size=16), showarrow=False, text=titles[panel - 1], x=sum(x) / 2,
                xanchor="center", xref="paper", y=y[1], yanchor="bottom", yref="paper"))
    return dict(layout, annotations=annotations) if titles is not None else layout

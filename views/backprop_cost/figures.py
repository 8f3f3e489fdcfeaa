"""Plotly figures of the backprop-cost page: pure functions from arrays to figures, each
built as its spec (views.frozen_figure.spec_figure): plotly's object model cost ~60 ms for
the three sweep charts, 34-226 ms for the path animation (measured), on every setting."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from views.common import palette
from views.common.animation import frame_indices, play_controls
from views.frozen_figure import spec_figure

METHOD_NAMES = {
    "backprop": "backprop (reverse mode)",
    "forward_mode": "forward mode",
    "path_sum": "path summation",
}
METHOD_COLOURS = {
    "backprop": palette.BLUE,
    "forward_mode": palette.GREEN,
    "path_sum": palette.VERMILION,
}
MARKERS = {"backprop": "circle", "forward_mode": "square", "path_sum": "diamond"}
FONT = dict(size=13)
LEGEND_BELOW = dict(orientation="h", x=0.0, y=-0.2, yanchor="top")


def _log_range(arrays: list[np.ndarray]) -> list[float]:
    """A log10 axis range covering every finite positive value, with a little margin."""
    values = np.concatenate([a[np.isfinite(a) & (a > 0)] for a in arrays])
    if values.size == 0:
        return [0.0, 1.0]
    low, high = np.log10(values.min()), np.log10(values.max())
    margin = max(0.05 * (high - low), 0.2)
    return [float(low - margin), float(high + margin)]


def counts_against(
    values: np.ndarray,
    formula: dict[str, np.ndarray],
    counted: dict[str, np.ndarray],
    parameters: np.ndarray,
    *,
    size_name: str,
    title: str,
    log_x: bool = False,
    current: int | None = None,
) -> go.Figure:
    """Multiplications of the three methods against one size, on a log scale.

    Parameters
    ----------
    values : ndarray of shape (m,), the varied size (L or n).
    formula : method -> ndarray of shape (m,), closed-form counts (float64): lines.
    counted : method -> ndarray of shape (m,), instrumented counts, NaN where not run:
        markers.
    parameters : ndarray of shape (m,), the parameter count: a dashed grey line.
    size_name : the varied size's axis title; current : its current value (a dotted line).
    """
    data = []
    for method, name in METHOD_NAMES.items():
        colour = METHOD_COLOURS[method]
        ran = np.isfinite(counted[method])
        data += [
            _scatter(x=values, y=formula[method], mode="lines", name=name,
                     line=dict(color=colour, width=2.5), legendgroup=method,
                     hovertemplate=f"{name}<br>{size_name} = %{{x}}<br>%{{y:.4g}} "
                                   "multiplications<extra>closed form</extra>"),
            _scatter(x=values[ran], y=counted[method][ran], mode="markers",
                     name=f"{name}: counted", legendgroup=method, showlegend=False,
                     marker=dict(color=colour, symbol=MARKERS[method], size=9,
                                 line=dict(color=palette.NODE_FILL, width=1)),
                     hovertemplate=f"{name}<br>{size_name} = %{{x}}<br>%{{y:,}} "
                                   "multiplications<extra>instrumented run</extra>"),
        ]
    y_range = _log_range(list(formula.values()) + [parameters])
    data += [
        _scatter(x=values, y=parameters, mode="lines", name="parameters",
                 line=dict(color=palette.GREY, width=1.5, dash="dash"),
                 hovertemplate=f"{size_name} = %{{x}}<br>%{{y:,}} parameters<extra></extra>"),
        _scatter(x=[None], y=[None], mode="markers",  # a legend entry explaining the markers
                 name="markers: counted in a run",
                 marker=dict(color=palette.INK, symbol="circle-open", size=9)),
    ]
    if current is not None:
        data.append(_scatter(
            x=[current, current], y=[10 ** y_range[0], 10 ** y_range[1]], mode="lines",
            name=f"current {size_name.split()[-1]}", hoverinfo="skip",
            line=dict(color=palette.INK, width=1, dash="dot")))
    if log_x:
        x_range = dict(range=[np.log10(values.min()) - 0.1, np.log10(values.max()) + 0.1])
    else:
        x_range = dict(range=[values.min() - 0.5, values.max() + 0.5],
                       dtick=max(1, int(round(values.size / 15))))
    return spec_figure(data, dict(
        _sweep_layout(title),
        yaxis=dict(type="log", range=y_range, title=dict(text="scalar multiplications (count)"),
                   exponentformat="power"),
        xaxis=dict(title=dict(text=size_name), type="log" if log_x else "linear", **x_range),
    ))


def timings(values: np.ndarray, seconds: dict[str, np.ndarray], *, size_name: str,
            title: str) -> go.Figure:
    """Measured wall-clock time per gradient of each method (log scale), where it ran.

    values : ndarray of shape (m,); seconds : method -> ndarray of shape (m,), NaN = not run.
    """
    data = []
    for method, name in METHOD_NAMES.items():
        ran = np.isfinite(seconds[method])
        data.append(_scatter(
            x=values[ran], y=seconds[method][ran] * 1e3, mode="lines+markers", name=name,
            line=dict(color=METHOD_COLOURS[method], width=2),
            marker=dict(symbol=MARKERS[method], size=8),
            hovertemplate=f"{name}<br>{size_name} = %{{x}}<br>%{{y:.3g}} ms<extra></extra>"))
    milliseconds = [s * 1e3 for s in seconds.values()]
    return spec_figure(data, dict(
        _sweep_layout(title),
        yaxis=dict(type="log", range=_log_range(milliseconds),
                   title=dict(text="wall-clock time per gradient (ms)"), exponentformat="power"),
        xaxis=dict(title=dict(text=size_name), range=[0.5, float(values.max()) + 0.5]),
    ))


def _scatter(**trace) -> dict:
    """A scatter trace's spec."""
    return dict(type="scatter", **trace)


def _sweep_layout(title: str) -> dict:
    """The title, font, height, margins and legend of the sweep charts."""
    heading = _two_lines(title)
    return dict(title=palette.title(heading), font=FONT, height=560,
                margin=dict(l=70, r=20, t=palette.title_height(heading), b=150),
                legend=LEGEND_BELOW)


def _unit_y(width: int) -> np.ndarray:
    """Vertical positions of a layer's units, centred on 0, unit 1 on top."""
    return (width - 1) / 2.0 - np.arange(width, dtype=float)


def _segments(x0, y0, x1, y1) -> tuple[np.ndarray, np.ndarray]:
    """Many segments in one trace: coordinates (3m,) separated by NaN gaps."""
    xs = np.full(3 * len(x0), np.nan)
    ys = np.full(3 * len(x0), np.nan)
    xs[0::3], xs[1::3] = x0, x1
    ys[0::3], ys[1::3] = y0, y1
    return xs, ys


def _path_lines(widths: list[int], layer: int, paths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Polylines for paths: unit in layer l - 1 (unit 1), then each row's units, then J.

    paths : ndarray of int of shape (P, L + 2 - layer); returns (P (L + 5 - layer),) arrays.
    """
    count, length = paths.shape
    x = np.arange(layer - 1, layer + length + 1, dtype=float)  # layer l-1 .. L+1, then J
    ys = [np.full(count, _unit_y(widths[layer - 1])[0])]
    ys += [_unit_y(widths[layer + k])[paths[:, k]] for k in range(length)]
    ys.append(np.zeros(count))
    points = np.column_stack(ys + [np.full(count, np.nan)])
    xs = np.tile(np.append(x, np.nan), (count, 1))
    return xs.reshape(-1), points.reshape(-1)


def _layer_labels(L: int) -> list[str]:
    return ["x (input)"] + [f"h<sub>{l}</sub>" for l in range(1, L + 1)] + ["u (output)", "J"]


def network_paths(widths: list[int], layer: int, paths: np.ndarray) -> go.Figure:
    """A small MLP with every path from W_layer[1, 1] to J highlighted in turn (animation).

    Parameters
    ----------
    widths : [d, n, ..., n, c], the L + 2 layer widths (small: at most 4 each).
    layer : l in 1..L+1, the chosen weight W_l[1, 1] joins unit 1 of layer l - 1 to unit 1
        of layer l.
    paths : ndarray of int of shape (P, L + 2 - layer), the units each path visits in
        layers l..L+1 (core.backprop_cost.paths_from_unit).

    Frame f highlights one path (or a few consecutive ones when P > 100 frames).
    """
    L = len(widths) - 2
    x0, y0, x1, y1 = [], [], [], []
    for l in range(1, L + 2):
        below, above = _unit_y(widths[l - 1]), _unit_y(widths[l])
        grid_from, grid_to = np.meshgrid(below, above)
        x0.append(np.full(grid_from.size, l - 1.0))
        x1.append(np.full(grid_from.size, float(l)))
        y0.append(grid_from.ravel())
        y1.append(grid_to.ravel())
    outputs = _unit_y(widths[-1])
    x0.append(np.full(outputs.size, L + 1.0))
    x1.append(np.full(outputs.size, L + 2.0))
    y0.append(outputs)
    y1.append(np.zeros(outputs.size))
    ex, ey = _segments(*(np.concatenate(part) for part in (x0, y0, x1, y1)))

    count = paths.shape[0]
    starts = frame_indices(count)
    ends = np.append(starts[1:], count)
    px, py = _path_lines(widths, layer, paths[starts[0]:ends[0]])
    wx = np.array([layer - 1.0, float(layer)])
    wy = np.array([_unit_y(widths[layer - 1])[0], _unit_y(widths[layer])[0]])
    node_x = np.concatenate([np.full(w, float(l)) for l, w in enumerate(widths)] + [[L + 2.0]])
    node_y = np.concatenate([_unit_y(w) for w in widths] + [[0.0]])
    labels = np.concatenate(
        [[f"{name} unit {i + 1}" for i in range(w)]
         for name, w in zip(_layer_labels(L)[:-1], widths)] + [["J"]]
    )
    data = [
        _scatter(x=ex, y=ey, mode="lines", line=dict(color=palette.FAINT, width=1),
                 hoverinfo="skip", name="edges"),
        _scatter(x=px, y=py, mode="lines", name="path being summed",
                 line=dict(color=palette.VERMILION, width=5), hoverinfo="skip"),
        _scatter(x=wx, y=wy, mode="lines", name=f"chosen weight W{_sub(layer)}[1, 1]",
                 line=dict(color=palette.ORANGE, width=9), hoverinfo="skip"),
        _scatter(x=node_x, y=node_y, mode="markers", name="units", text=labels,
                 hovertemplate="%{text}<extra></extra>",
                 marker=dict(size=np.append(np.full(node_x.size - 1, 20), 28),
                             color=palette.NODE_FILL, line=dict(color=palette.BLUE, width=2.5))),
    ]
    names = [_frame_name(s, e, count) for s, e in zip(starts, ends)]
    frames = []
    for s, e, name in zip(starts, ends, names):
        fx, fy = _path_lines(widths, layer, paths[s:e])
        frames.append(dict(data=[_scatter(x=fx, y=fy)], name=name, traces=[1],
                           layout=dict(title=dict(text=_title(layer, count, name)))))
    controls = play_controls(names, "paths ", duration_ms=350)
    controls["sliders"][0].update(y=-0.2, x=0.2, len=0.8)
    controls["updatemenus"][0]["y"] = -0.27
    tallest = max(widths)
    first_title = _title(layer, count, names[0])
    return spec_figure(data, dict(
        palette.heading(first_title, 520), font=FONT, height=520,
        margin=dict(l=30, r=20, t=palette.title_height(first_title), b=150),
        showlegend=True,
        xaxis=dict(range=[-0.4, L + 2.4], tickvals=np.arange(L + 3), ticktext=_layer_labels(L),
                   showgrid=False, zeroline=False,
                   title=dict(text="layer (left to right: forward)")),
        yaxis=dict(range=[-tallest / 2 - 0.2, tallest / 2 + 0.2], visible=False),
        **controls,
    ), frames)


def _sub(number: int) -> str:
    return f"<sub>{number}</sub>"


def _frame_name(start: int, end: int, count: int) -> str:
    return f"{start + 1}" if end - start == 1 else f"{start + 1}–{end}"


def _two_lines(title: str) -> str:
    """The title with its parenthesised settings on a second line (one line is cut on a
    phone)."""
    return title.replace(" (", "<br>(", 1)


def _title(layer: int, count: int, name: str) -> str:
    return (f"Every path from W{_sub(layer)}[1, 1] to J:<br>{count} "
            f"path{'s' if count != 1 else ''}, now {name}")

"""Plotly figures of the BPTT page: pure functions from arrays to figures (no streamlit).

Each figure is written as its plotly JSON spec, the dict that plotly's objects and
make_subplots gave, and handed over as a figure that is that spec (spec_figure): building
those objects took 0.20-0.27 s for the four figures at T = 100, d = n = 64 (measured); the
specs take 40-70 ms, most of it the unrolled graph's 100 frames. The tests read every figure
back through go.Figure, which validates it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from views.common import palette
from views.common.animation import frame_indices, play_controls, typed
from views.frozen_figure import (axis, colorscale, layout_axes, panel_axes, panel_domains,
                                  spec_figure)

FLOOR = 1e-300  # exact zeros (a saturated tanh) are drawn at this floor on log scales
WIDTH_BINS = 5  # edge widths are quantised so that each bin is one trace
ROW_X, ROW_H, ROW_L = 0.0, 1.0, 2.0
H_SPACING, V_SPACING = 0.04, 0.14  # between the gradient heatmaps' panels (paper units)
SUBSCRIPTED = {"W_sh": "W<sub>sh</sub>", "W_hh": "W<sub>hh</sub>", "b_h": "b<sub>h</sub>",
               "W_hz": "W<sub>hz</sub>", "b_z": "b<sub>z</sub>"}


def log10_floor(values: np.ndarray) -> np.ndarray:
    """log10 of non-negative values, exact zeros mapped to log10(FLOOR)."""
    return np.log10(np.maximum(values, FLOOR))




def _node_size(T: int) -> float:
    """Marker size in px: under half the ~800 px plot width per step, so edges show."""
    return float(np.clip(0.45 * 800 / (T + 1.4), 4, 22))


def _segments(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray):
    """Coordinates of many line segments in one trace, separated by NaN gaps: (3m,), (3m,)."""
    m = x0.shape[0]
    xs = np.full(3 * m, np.nan)
    ys = np.full(3 * m, np.nan)
    xs[0::3], xs[1::3] = x0, x1
    ys[0::3], ys[1::3] = y0, y1
    return xs, ys


def _width_bin(log_norms: np.ndarray, low: float, high: float) -> np.ndarray:
    """Bin 0..WIDTH_BINS-1 of each log-norm within [low, high]."""
    span = max(high - low, 1e-12)
    return np.clip(((log_norms - low) / span * WIDTH_BINS).astype(int), 0, WIDTH_BINS - 1)


def _bin_widths() -> np.ndarray:
    return np.linspace(1.0, 9.0, WIDTH_BINS)


class _Edges(NamedTuple):
    """One family of backward edges, edge t from (start[t], y_from) to (t, y_to), drawn where
    ``exists`` as WIDTH_BINS traces, edge t in width bin ``bins[t]``. Arrays (T,)."""

    name: str
    colour: str
    bins: np.ndarray
    exists: np.ndarray
    start: np.ndarray
    y_from: float
    y_to: float


def _edge_families(t: np.ndarray, local_norms: np.ndarray, recurrent_norms: np.ndarray,
                   carries: np.ndarray) -> tuple[_Edges, _Edges]:
    """L_t -> h_t (where L_t carries loss) and h_{t+1} -> h_t (t < T), their widths binned on
    one scale of log-norms. All arrays (T,)."""
    T = t.shape[0]
    edge_logs = log10_floor(np.concatenate([local_norms, recurrent_norms[:-1]]))
    low, high = float(edge_logs.min()), float(edge_logs.max())
    return (
        _Edges("through W<sub>hz</sub><sup>T</sup> from L<sub>t</sub>", palette.BLUE,
               _width_bin(log10_floor(local_norms), low, high), carries, t, ROW_L, ROW_H),
        _Edges("through W<sub>hh</sub><sup>T</sup> from h<sub>t+1</sub>", palette.VERMILION,
               _width_bin(log10_floor(recurrent_norms), low, high), t < T, t + 1, ROW_H, ROW_H),
    )


def _forward_graph(t: np.ndarray, size: float, carries: np.ndarray) -> list[dict]:
    """The static traces: edges x_t -> h_t, h_{t-1} -> h_t, h_t -> L_t (thin, grey), inputs,
    losses (orange where they carry loss) and states h_0..h_T. t, carries : (T,)."""
    T = t.shape[0]
    fx, fy = _segments(
        np.concatenate([t, t - 1, t]),
        np.concatenate([np.full(T, ROW_X), np.full(T, ROW_H), np.full(T, ROW_H)]),
        np.concatenate([t, t, t]),
        np.concatenate([np.full(T, ROW_H), np.full(T, ROW_H), np.full(T, ROW_L)]),
    )
    outline = dict(color=palette.GREY, width=1)
    return [
        dict(type="scatter", x=fx, y=fy, mode="lines", hoverinfo="skip",
             line=dict(color=palette.FAINT, width=1), name="forward pass"),
        dict(type="scatter", x=t, y=np.full(T, ROW_X), mode="markers", name="inputs x<sub>t</sub>",
             marker=dict(symbol="square", size=size * 0.8, color=palette.GREY),
             hovertemplate="x<sub>%{x}</sub><extra></extra>"),
        dict(type="scatter", x=t, y=np.full(T, ROW_L), mode="markers", name="losses L<sub>t</sub>",
             marker=dict(symbol="diamond", size=size, line=outline,
                         color=np.where(carries, palette.ORANGE, palette.NODE_FILL)),
             hovertemplate="L<sub>%{x}</sub><extra></extra>"),
        dict(type="scatter", x=np.append(0.0, t), y=np.full(T + 1, ROW_H), mode="markers",
             name="states h<sub>t</sub>", hoverinfo="skip",
             marker=dict(size=size, color=palette.NODE_FILL, line=outline)),
    ]


def _edge_legend(families: tuple[_Edges, ...]) -> list[dict]:
    """One legend entry per family (a width bin may be empty)."""
    return [dict(type="scatter", x=[None], y=[None], mode="lines", name=e.name,
                 legendgroup=e.name, line=dict(color=e.colour, width=4)) for e in families]


def _edge_styles(families: tuple[_Edges, ...]) -> list[dict]:
    """The styled, empty traces of each family's width bins (frames fill them)."""
    return [dict(type="scatter", mode="lines", line=dict(color=e.colour, width=float(width)),
                 hoverinfo="skip", name=e.name, legendgroup=e.name, showlegend=False)
            for e in families for width in _bin_widths()]


def _adjoint_nodes(size: float, log_adjoint: np.ndarray) -> dict:
    """The styled trace of the states whose adjoint has arrived, coloured by log10 of its
    norm on the scale of all T of them, log_adjoint (T,) (frames fill it)."""
    low, high = float(log_adjoint.min()), float(log_adjoint.max())
    if high - low < 1e-9:
        low, high = low - 0.5, high + 0.5
    return dict(
        type="scatter", mode="markers", name="||∂L/∂h<sub>t</sub>||",
        marker=dict(size=size, colorscale=colorscale(palette.SEQUENTIAL), cmin=low, cmax=high,
                    line=dict(color=palette.INK, width=1),
                    colorbar=dict(title=dict(text="log<sub>10</sub> ||∂L/∂h<sub>t</sub>||"),
                                  len=0.9)),
        hovertemplate="t = %{x}<br>||∂L/∂h<sub>t</sub>|| = %{customdata:.3e}<extra></extra>")


def _ring(size: float) -> dict:
    """The styled trace of the ring around the step the recursion has reached."""
    return dict(type="scatter", mode="markers", name="recursion is here", hoverinfo="skip",
                marker=dict(size=size * 1.9, color=palette.TRANSPARENT,
                            line=dict(color=palette.INK, width=3)))


def _backward_frame(reached: int, t: np.ndarray, families: tuple[_Edges, ...],
                    adjoint_norms: np.ndarray, log_adjoint: np.ndarray) -> list[dict]:
    """Only the data arrays of the animated traces (:func:`_edge_styles`, :func:`_adjoint_nodes`,
    :func:`_ring`) once the recursion has reached step ``reached``: what has arrived at
    t >= reached. Plotly merges a frame's data into the styled traces, so frames stay small.
    t, adjoint_norms, log_adjoint : (T,)."""
    arrived = t >= reached
    data = []
    for e in families:
        for b in range(WIDTH_BINS):
            chosen = arrived & e.exists & (e.bins == b)
            sx, sy = _segments(e.start[chosen], np.full(chosen.sum(), e.y_from),
                               t[chosen], np.full(chosen.sum(), e.y_to))
            data.append(dict(type="scatter", x=typed(sx), y=typed(sy)))
    data.append(dict(type="scatter", x=typed(t[arrived]), y=typed(np.full(arrived.sum(), ROW_H)),
                     customdata=typed(adjoint_norms[arrived]),
                     marker=dict(color=typed(log_adjoint[arrived]))))
    data.append(dict(type="scatter", x=[float(reached)], y=[ROW_H]))
    return data


def _merged(trace: dict, update: dict) -> dict:
    """``trace`` with a frame's ``update`` merged in, nested dicts key by key (as plotly
    merges a frame's data into the trace it animates)."""
    return {**trace, **{key: _merged(trace[key], value) if isinstance(trace.get(key), dict)
                        else value for key, value in update.items()}}


def unrolled_backward(
    adjoint_norms: np.ndarray,
    local_norms: np.ndarray,
    recurrent_norms: np.ndarray,
    loss_steps: np.ndarray,
) -> go.Figure:
    """The unrolled RNN with the backward pass animated from t = T down to t = 1.

    Parameters
    ----------
    adjoint_norms : ndarray of shape (T,), ||dL/dh_t||: node colour (log scale).
    local_norms : ndarray of shape (T,), ||W_hz^T dL/du_t||: width of the edge L_t -> h_t.
    recurrent_norms : ndarray of shape (T,), ||W_hh^T dL/dv_{t+1}|| (last entry 0): width of
        the edge h_{t+1} -> h_t.
    loss_steps : ndarray of shape (T,), 1 where L_t is part of the loss.

    Frame f shows the adjoints that have arrived once the recursion has reached step
    t_f (t_f = T first, at most 100 frames); the figure opens on the last frame, the whole
    pass. A spec figure: read it back with go.Figure(figure.to_dict()).
    """
    T = adjoint_norms.shape[0]
    t = np.arange(1, T + 1, dtype=float)
    size = _node_size(T)
    log_adjoint = log10_floor(adjoint_norms)
    carries = loss_steps > 0
    families = _edge_families(t, local_norms, recurrent_norms, carries)
    static = _forward_graph(t, size, carries) + _edge_legend(families)
    styled = _edge_styles(families) + [_adjoint_nodes(size, log_adjoint), _ring(size)]
    animated = list(range(len(static), len(static) + len(styled)))
    reached_steps = [T - int(i) for i in frame_indices(T)]
    frames = [dict(data=_backward_frame(r, t, families, adjoint_norms, log_adjoint),
                   name=str(r), traces=animated) for r in reached_steps]
    data = static + [_merged(trace, update) for trace, update in zip(styled, frames[-1]["data"])]
    heading = ("The backward pass through the unrolled RNN:<br>"
               "∂L/∂h<sub>t</sub> arrives from t = T to t = 1")
    return spec_figure(data, dict(
        **palette.heading(heading, 640),
        xaxis=axis("time step t", range=[-0.7, T + 0.7], zeroline=False),
        yaxis=dict(range=[-0.5, 2.5], tickvals=[ROW_X, ROW_H, ROW_L], fixedrange=True,
                   ticktext=["input x<sub>t</sub>", "state h<sub>t</sub>", "loss L<sub>t</sub>"]),
        height=640, margin=dict(t=palette.title_height(heading), b=150, l=10, r=10),
        **play_controls([str(r) for r in reached_steps], "recursion at t = ",
                        active=len(reached_steps) - 1),
    ), frames)


def adjoint_profile(
    adjoint_norms: np.ndarray,
    jacobian_norms: np.ndarray,
    bound: np.ndarray,
    loose_bound: np.ndarray,
) -> go.Figure:
    """||dL/dh_t|| and ||dh_T/dh_k|| against the step, with the two upper bounds (log y).

    All inputs ndarray of shape (T,); entry k-1 belongs to step k. A spec figure.
    """
    T = adjoint_norms.shape[0]
    k = np.arange(1, T + 1)
    data = [dict(type="scatter", x=k, y=np.maximum(values, FLOOR), name=name,
                 mode="lines+markers" if T <= 30 else "lines",
                 line=dict(color=colour, dash=dash, width=2))
            for name, values, colour, dash in (
                ("||∂L/∂h<sub>t</sub>|| (the adjoint)", adjoint_norms, palette.BLUE, "solid"),
                ("||∂h<sub>T</sub>/∂h<sub>k</sub>||<sub>2</sub>", jacobian_norms,
                 palette.VERMILION, "solid"),
                ("bound ∏ σ<sub>max</sub>(W<sub>hh</sub>) max<sub>i</sub>"
                 "(1 − h<sub>j,i</sub><sup>2</sup>)", bound, palette.GREEN, "dash"),
                ("bound σ<sub>max</sub>(W<sub>hh</sub>)<sup>T−k</sup>", loose_bound,
                 palette.GREY, "dot"),
            )]
    heading = "Gradient flow: norms against the step<br>(log scale)"
    return spec_figure(data, dict(
        **palette.heading(heading, 480),
        xaxis=axis("step t or k"),
        yaxis=axis("norm (log scale)", type="log", exponentformat="power"),
        height=480, margin=dict(t=palette.title_height(heading), b=40, l=10, r=10),
    ))


def flow_matrix(per_loss_norms: np.ndarray) -> go.Figure:
    """Heatmap of log10 ||dL_t/dh_k||: loss L_t (rows) reaching back to state h_k (columns).

    per_loss_norms : ndarray of shape (T, T), NaN above the diagonal (k > t). A spec figure.
    """
    T = per_loss_norms.shape[0]
    steps = np.arange(1, T + 1)
    with np.errstate(invalid="ignore"):
        logs = np.where(np.isnan(per_loss_norms), np.nan, log10_floor(per_loss_norms))
    heatmap = dict(
        type="heatmap", z=logs, x=steps, y=steps, colorscale=colorscale(palette.SEQUENTIAL),
        colorbar=dict(title=dict(text="log<sub>10</sub> ||∂L<sub>t</sub>/∂h<sub>k</sub>||")),
        hovertemplate=("loss t = %{y}, state k = %{x}<br>"
                       "log<sub>10</sub> norm = %{z:.2f}<extra></extra>"),
    )
    heading = "How far back each loss reaches:<br>||∂L<sub>t</sub>/∂h<sub>k</sub>|| for k ≤ t"
    return spec_figure([heatmap], dict(
        title=palette.title(heading),
        xaxis=axis("state h<sub>k</sub>, step k"),
        yaxis=axis("loss L<sub>t</sub>, step t", autorange="reversed"),
        height=440, margin=dict(t=palette.title_height(heading), b=40, l=10, r=10),
    ))


def _grid(columns: list[list[float]], rows: list[list[float]]) -> dict:
    """The axes of make_subplots' grid of these column and row (top first) domains, panels
    numbered row by row: anchored to each other, y reversed, no tick labels."""
    axes = {}
    for r, y in enumerate(rows):
        for c, x in enumerate(columns):
            panel = r * len(columns) + c + 1
            xaxis, yaxis = layout_axes(panel)
            on = panel_axes(panel)
            axes[xaxis] = dict(anchor=on["yaxis"], domain=x, showticklabels=False)
            axes[yaxis] = dict(anchor=on["xaxis"], domain=y, autorange="reversed",
                               showticklabels=False)
    return axes


def gradient_heatmaps(
    grads: dict[str, np.ndarray], contribution: dict[str, np.ndarray], t: int
) -> go.Figure:
    """Each parameter's gradient (top row) and the part step t contributes (bottom row).

    grads, contribution : name -> ndarray shaped like the parameter (vectors are drawn as
    one column). One symmetric colour scale per column, centred on zero; columns as wide as
    their matrices. A spec figure.
    """
    names = list(grads)
    widths = [grads[n].shape[1] if grads[n].ndim == 2 else 1 for n in names]
    # make_subplots was given the fractions w / sum(widths), which it normalised again.
    columns = panel_domains(len(names), H_SPACING, [w / sum(widths) for w in widths])
    rows = panel_domains(2, V_SPACING)[::-1]  # top first
    data = []
    for c, name in enumerate(names):
        scale = float(np.max(np.abs(grads[name]))) or 1.0
        for r, values in enumerate((grads[name], contribution[name])):
            data.append(dict(
                type="heatmap", z=values if values.ndim == 2 else values[:, None],
                zmin=-scale, zmax=scale, colorscale=colorscale(palette.DIVERGING),
                showscale=False, hovertemplate="row %{y}, column %{x}<br>%{z:.3e}<extra></extra>",
                **panel_axes(r * len(names) + c + 1)))
    layout = _grid(columns, rows)
    layout["yaxis"]["title"] = dict(text="∂L/∂θ, sum over t")
    layout[f"yaxis{len(names) + 1}"]["title"] = dict(text=f"step {t} term")
    heading = "Gradients (top) and one step's term (bottom);<br>orange < 0 < purple"
    return spec_figure(data, dict(
        layout,
        annotations=[dict(font=dict(size=12), showarrow=False, text=SUBSCRIPTED.get(n, n),
                          x=sum(x) / 2.0, xanchor="center", xref="paper", y=rows[0][1],
                          yanchor="bottom", yref="paper") for n, x in zip(names, columns)],
        title=palette.title(heading), height=480,
        margin=dict(t=palette.title_height(heading) + palette.text_height("", 12), b=20,
                    l=10, r=10),
    ))

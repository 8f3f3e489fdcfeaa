"""Plotly figures of the BPTT page: pure functions from arrays to figures (no streamlit)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from views.common import palette
from views.common.animation import frame_indices, play_controls, typed
from views.frozen_figure import with_frames

FLOOR = 1e-300  # exact zeros (a saturated tanh) are drawn at this floor on log scales
WIDTH_BINS = 5  # edge widths are quantised so that each bin is one trace
ROW_X, ROW_H, ROW_L = 0.0, 1.0, 2.0


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
    t_f (t_f = T first); the figure opens on the last frame, the whole pass.
    """
    T = adjoint_norms.shape[0]
    t = np.arange(1, T + 1, dtype=float)
    size = _node_size(T)
    log_adjoint = log10_floor(adjoint_norms)
    colour_low, colour_high = float(log_adjoint.min()), float(log_adjoint.max())
    if colour_high - colour_low < 1e-9:
        colour_low, colour_high = colour_low - 0.5, colour_high + 0.5
    edge_logs = log10_floor(np.concatenate([local_norms, recurrent_norms[:-1]]))
    edge_low, edge_high = float(edge_logs.min()), float(edge_logs.max())
    carries = loss_steps > 0

    figure = go.Figure()
    # Static forward graph: x_t -> h_t, h_{t-1} -> h_t, h_t -> L_t, thin and grey.
    fx, fy = _segments(
        np.concatenate([t, t - 1, t]),
        np.concatenate([np.full(T, ROW_X), np.full(T, ROW_H), np.full(T, ROW_H)]),
        np.concatenate([t, t, t]),
        np.concatenate([np.full(T, ROW_H), np.full(T, ROW_H), np.full(T, ROW_L)]),
    )
    figure.add_trace(go.Scatter(x=fx, y=fy, mode="lines", hoverinfo="skip",
                                line=dict(color=palette.FAINT, width=1), name="forward pass"))
    figure.add_trace(go.Scatter(
        x=t, y=np.full(T, ROW_X), mode="markers", name="inputs x<sub>t</sub>",
        marker=dict(symbol="square", size=size * 0.8, color=palette.GREY),
        hovertemplate="x<sub>%{x}</sub><extra></extra>"))
    figure.add_trace(go.Scatter(
        x=t, y=np.full(T, ROW_L), mode="markers", name="losses L<sub>t</sub>",
        marker=dict(symbol="diamond", size=size,
                    color=np.where(carries, palette.ORANGE, palette.NODE_FILL),
                    line=dict(color=palette.GREY, width=1)),
        hovertemplate="L<sub>%{x}</sub><extra></extra>"))
    figure.add_trace(go.Scatter(
        x=np.append(0.0, t), y=np.full(T + 1, ROW_H), mode="markers", name="states h<sub>t</sub>",
        marker=dict(size=size, color=palette.NODE_FILL, line=dict(color=palette.GREY, width=1)),
        hoverinfo="skip"))

    local_bins = _width_bin(log10_floor(local_norms), edge_low, edge_high)
    recurrent_bins = _width_bin(log10_floor(recurrent_norms), edge_low, edge_high)
    edge_families = (  # (legend name, colour, bin of each edge, edge exists, start x, y0, y1)
        ("through W<sub>hz</sub><sup>T</sup> from L<sub>t</sub>", palette.BLUE,
         local_bins, carries, t, ROW_L, ROW_H),
        ("through W<sub>hh</sub><sup>T</sup> from h<sub>t+1</sub>", palette.VERMILION,
         recurrent_bins, t < T, t + 1, ROW_H, ROW_H),
    )

    for name, colour, *_ in edge_families:  # legend entries (a bin may be empty)
        figure.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=name,
                                    legendgroup=name, line=dict(color=colour, width=4)))
    animated_first = len(figure.data)

    def frame_data(reached: int) -> list[dict]:
        """Only the data arrays of the animated traces once the recursion is at t = reached.

        Plotly merges a frame's data into the styled traces, so frames stay small.
        """
        arrived = t >= reached
        data = []
        for _, _, bins, exists, x0, y0, y1 in edge_families:
            for b in range(WIDTH_BINS):
                chosen = arrived & exists & (bins == b)
                sx, sy = _segments(x0[chosen], np.full(chosen.sum(), y0),
                                   t[chosen], np.full(chosen.sum(), y1))
                data.append(dict(x=typed(sx), y=typed(sy)))
        data.append(dict(
            x=typed(t[arrived]), y=typed(np.full(arrived.sum(), ROW_H)),
            customdata=typed(adjoint_norms[arrived]),
            marker=dict(color=typed(log_adjoint[arrived]))))
        data.append(dict(x=[float(reached)], y=[ROW_H]))
        return data

    for name, colour, *_ in edge_families:
        for width in _bin_widths():
            figure.add_trace(go.Scatter(
                mode="lines", line=dict(color=colour, width=float(width)), hoverinfo="skip",
                name=name, legendgroup=name, showlegend=False))
    figure.add_trace(go.Scatter(
        mode="markers", name="||∂L/∂h<sub>t</sub>||",
        marker=dict(size=size, colorscale=palette.SEQUENTIAL, cmin=colour_low, cmax=colour_high,
                    line=dict(color=palette.BLACK, width=1),
                    colorbar=dict(title=dict(text="log<sub>10</sub> ||∂L/∂h<sub>t</sub>||"),
                                  len=0.9)),
        hovertemplate="t = %{x}<br>||∂L/∂h<sub>t</sub>|| = %{customdata:.3e}<extra></extra>"))
    figure.add_trace(go.Scatter(
        mode="markers", name="recursion is here", hoverinfo="skip",
        marker=dict(size=size * 1.9, color="rgba(0,0,0,0)",
                    line=dict(color=palette.INK, width=3))))
    animated = list(range(animated_first, len(figure.data)))
    reached_steps = [T - int(i) for i in frame_indices(T)]
    frames = [dict(data=frame_data(r), name=str(r), traces=animated) for r in reached_steps]
    for index, data in zip(animated, frames[-1]["data"]):
        figure.data[index].update(data)
    heading = ("The backward pass through the unrolled RNN:<br>"
               "∂L/∂h<sub>t</sub> arrives from t = T to t = 1")
    figure.update_layout(
        **palette.heading(heading, 640),
        xaxis=dict(title="time step t", range=[-0.7, T + 0.7], zeroline=False),
        yaxis=dict(range=[-0.5, 2.5], tickvals=[ROW_X, ROW_H, ROW_L], fixedrange=True,
                   ticktext=["input x<sub>t</sub>", "state h<sub>t</sub>", "loss L<sub>t</sub>"]),
        height=640, margin=dict(t=palette.title_height(heading), b=150, l=10, r=10),
        **play_controls([str(r) for r in reached_steps], "recursion at t = ",
                        active=len(reached_steps) - 1),
    )
    return with_frames(figure, frames)


def adjoint_profile(
    adjoint_norms: np.ndarray,
    jacobian_norms: np.ndarray,
    bound: np.ndarray,
    loose_bound: np.ndarray,
) -> go.Figure:
    """||dL/dh_t|| and ||dh_T/dh_k|| against the step, with the two upper bounds (log y).

    All inputs ndarray of shape (T,); entry k-1 belongs to step k.
    """
    T = adjoint_norms.shape[0]
    k = np.arange(1, T + 1)
    figure = go.Figure()
    for name, values, colour, dash in (
        ("||∂L/∂h<sub>t</sub>|| (the adjoint)", adjoint_norms, palette.BLUE, "solid"),
        ("||∂h<sub>T</sub>/∂h<sub>k</sub>||<sub>2</sub>", jacobian_norms, palette.VERMILION, "solid"),
        ("bound ∏ σ<sub>max</sub>(W<sub>hh</sub>) max<sub>i</sub>(1 − h<sub>j,i</sub><sup>2</sup>)",
         bound, palette.GREEN, "dash"),
        ("bound σ<sub>max</sub>(W<sub>hh</sub>)<sup>T−k</sup>", loose_bound, palette.GREY, "dot"),
    ):
        figure.add_trace(go.Scatter(x=k, y=np.maximum(values, FLOOR), name=name,
                                    mode="lines+markers" if T <= 30 else "lines",
                                    line=dict(color=colour, dash=dash, width=2)))
    heading = "Gradient flow: norms against the step<br>(log scale)"
    figure.update_layout(
        **palette.heading(heading, 480),
        xaxis=dict(title="step t or k"), yaxis=dict(title="norm (log scale)", type="log",
                                                   exponentformat="power"),
        height=480, margin=dict(t=palette.title_height(heading), b=40, l=10, r=10),
    )
    return figure


def flow_matrix(per_loss_norms: np.ndarray) -> go.Figure:
    """Heatmap of log10 ||dL_t/dh_k||: loss L_t (rows) reaching back to state h_k (columns).

    per_loss_norms : ndarray of shape (T, T), NaN above the diagonal (k > t).
    """
    T = per_loss_norms.shape[0]
    steps = np.arange(1, T + 1)
    with np.errstate(invalid="ignore"):
        logs = np.where(np.isnan(per_loss_norms), np.nan, log10_floor(per_loss_norms))
    figure = go.Figure(go.Heatmap(
        z=logs, x=steps, y=steps, colorscale=palette.SEQUENTIAL,
        colorbar=dict(title=dict(text="log<sub>10</sub> ||∂L<sub>t</sub>/∂h<sub>k</sub>||")),
        hovertemplate="loss t = %{y}, state k = %{x}<br>log<sub>10</sub> norm = %{z:.2f}<extra></extra>",
    ))
    heading = "How far back each loss reaches:<br>||∂L<sub>t</sub>/∂h<sub>k</sub>|| for k ≤ t"
    figure.update_layout(
        title=palette.title(heading),
        xaxis=dict(title="state h<sub>k</sub>, step k"),
        yaxis=dict(title="loss L<sub>t</sub>, step t", autorange="reversed"),
        height=440, margin=dict(t=palette.title_height(heading), b=40, l=10, r=10),
    )
    return figure


def gradient_heatmaps(
    grads: dict[str, np.ndarray], contribution: dict[str, np.ndarray], t: int
) -> go.Figure:
    """Each parameter's gradient (top row) and the part step t contributes (bottom row).

    grads, contribution : name -> ndarray shaped like the parameter (vectors are drawn as
    one column). One symmetric colour scale per column, centred on zero.
    """
    names = list(grads)
    subscript = {"W_sh": "W<sub>sh</sub>", "W_hh": "W<sub>hh</sub>", "b_h": "b<sub>h</sub>",
                 "W_hz": "W<sub>hz</sub>", "b_z": "b<sub>z</sub>"}
    titles = [subscript.get(n, n) for n in names] + [""] * len(names)
    widths = [max(np.atleast_2d(grads[n]).shape[-1] if grads[n].ndim == 2 else 1, 1)
              for n in names]
    figure = make_subplots(rows=2, cols=len(names), subplot_titles=titles,
                           column_widths=[w / sum(widths) for w in widths],
                           horizontal_spacing=0.04, vertical_spacing=0.14)
    for col, name in enumerate(names, start=1):
        scale = float(np.max(np.abs(grads[name]))) or 1.0
        for row, values in ((1, grads[name]), (2, contribution[name])):
            z = values if values.ndim == 2 else values[:, None]
            figure.add_trace(go.Heatmap(
                z=z, zmin=-scale, zmax=scale, colorscale=palette.DIVERGING, showscale=False,
                hovertemplate="row %{y}, column %{x}<br>%{z:.3e}<extra></extra>"),
                row=row, col=col)
            figure.update_yaxes(autorange="reversed", showticklabels=False, row=row, col=col)
            figure.update_xaxes(showticklabels=False, row=row, col=col)
    figure.update_yaxes(title_text="∂L/∂θ, sum over t", row=1, col=1)
    figure.update_yaxes(title_text=f"step {t} term", row=2, col=1)
    heading = "Gradients (top) and one step's term (bottom);<br>purple < 0 < orange"
    figure.update_layout(
        title=palette.title(heading), height=480,
        margin=dict(t=palette.title_height(heading) + palette.text_height("", 12), b=20,
                    l=10, r=10),
    )
    figure.update_annotations(font_size=12)
    return figure

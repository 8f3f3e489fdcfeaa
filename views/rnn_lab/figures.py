"""Plotly figures of the RNN lab: pure functions from arrays to figures (no streamlit).

Training runs come stacked on axis 0 with one label each: loss (R, S) for R runs of S steps.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from views.common import palette
from views.common.animation import frame_indices, play_controls, typed

# Runs in the order the page trains them: RNN at short D, RNN at D, LSTM at D.
RUN_COLOURS = (palette.SKY_BLUE, palette.VERMILION, palette.BLUE)
# Gradient descent on the cliff: without clipping, with clipping.
PATH_COLOURS = (palette.ORANGE, palette.GREEN)
LOG_PAD = 0.3  # decades of margin around the data on fixed log axes


def positive(values: np.ndarray) -> np.ndarray:
    """The values with zeros and non-finite entries as NaN (gaps on a log axis)."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(values) & (values > 0), values, np.nan)


def log_range(values: np.ndarray) -> list[float]:
    """[low, high] in log10 units covering the positive finite values, padded."""
    shown = positive(values)
    if np.all(np.isnan(shown)):
        return [-1.0, 1.0]
    low, high = np.log10(np.nanmin(shown)), np.log10(np.nanmax(shown))
    return [float(low - LOG_PAD), float(high + LOG_PAD)]


def _animate(figure: go.Figure, frames: list[dict], animated: list[int], prefix: str,
             height: int, **layout) -> go.Figure:
    """Frames with Play/Pause and a slider, opening on the last frame (never autoplay)."""
    for index, data in zip(animated, frames[-1]["data"]):
        figure.data[index].update(data)
    figure.frames = frames
    figure.update_layout(
        height=height, margin=dict(t=60, b=130, l=10, r=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        **play_controls([f["name"] for f in frames], prefix, active=len(frames) - 1),
        **layout,
    )
    return figure


def _run_lines(figure: go.Figure, labels: Sequence[str], series: np.ndarray, col: int,
               show_legend: bool) -> None:
    steps = np.arange(1, series.shape[1] + 1)
    for label, colour, values in zip(labels, RUN_COLOURS, series):
        figure.add_trace(go.Scatter(
            x=steps, y=values, mode="lines", name=label, legendgroup=label,
            showlegend=show_legend, line=dict(color=colour, width=2),
            hovertemplate=f"{label}<br>step %{{x}}: %{{y:.3g}}<extra></extra>"), row=1, col=col)


def _two_panels(titles: tuple[str, str]) -> go.Figure:
    return make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.1)


def training_curves(labels: Sequence[str], loss: np.ndarray, accuracy: np.ndarray,
                    chance: float) -> go.Figure:
    """Loss (log scale) and accuracy against the training step, one line per run.

    labels : R names; loss, accuracy : ndarray of shape (R, S), measured on each step's
    fresh batch before the update; chance : the accuracy of the best constant guess.
    """
    figure = _two_panels(("Loss J on each fresh batch (log scale)",
                          "Accuracy on each fresh batch"))
    _run_lines(figure, labels, positive(loss), 1, True)
    _run_lines(figure, labels, accuracy, 2, False)
    figure.add_hline(y=chance, line=dict(color=palette.GREY, dash="dash"), row=1, col=2,
                     annotation_text=f"chance {chance:.2f}", annotation_position="bottom right")
    figure.update_xaxes(title_text="training step s")
    figure.update_yaxes(title_text="J (nats per answer)", type="log", exponentformat="power",
                        row=1, col=1)
    figure.update_yaxes(title_text="fraction correct", range=[0, 1.05], row=1, col=2)
    figure.update_layout(
        title="Learning the dependency: loss and accuracy against the training step",
        height=400, margin=dict(t=90, b=40, l=10, r=10),
        legend=dict(orientation="h", yanchor="top", y=-0.18, x=0),
    )
    return figure


def gradient_curves(labels: Sequence[str], dL_dh1: np.ndarray, grad_norm: np.ndarray,
                    clip: float | None) -> go.Figure:
    """||dL/dh_1|| and the global gradient norm before clipping, against the step (log y).

    labels : R names; dL_dh1, grad_norm : ndarray of shape (R, S); clip : the threshold tau
    drawn as a line, or None. Exact zeros (a truncated window) leave gaps.
    """
    figure = _two_panels(("‖∂L/∂h<sub>1</sub>‖: the signal reaching the token's step",
                          "‖∂J/∂θ‖ before clipping"))
    _run_lines(figure, labels, positive(dL_dh1), 1, True)
    _run_lines(figure, labels, positive(grad_norm), 2, False)
    if clip is not None:
        figure.add_hline(y=clip, line=dict(color=palette.GREY, dash="dash"), row=1, col=2,
                         annotation_text=f"τ = {clip:g}", annotation_position="top left")
    figure.update_xaxes(title_text="training step s")
    figure.update_yaxes(type="log", exponentformat="power")
    figure.update_yaxes(title_text="norm (log scale)", row=1, col=1)
    figure.update_layout(
        title="Gradients over training: what reaches step 1, and the size of each update",
        height=400, margin=dict(t=90, b=40, l=10, r=10),
        legend=dict(orientation="h", yanchor="top", y=-0.18, x=0),
    )
    return figure


def flow_animation(labels: Sequence[str], norms: np.ndarray) -> go.Figure:
    """||dL/dh_k|| against the step k, animated over training (log y, fixed axes).

    labels : R names; norms : ndarray of shape (R, S, T), the mean over the batch of
    ||dL_i/dh_k|| at each training step. Frames are at most 100 training steps; the figure
    opens on the last one. Exact zeros (outside a truncated window) leave gaps.
    """
    R, S, T = norms.shape
    k = np.arange(1, T + 1, dtype=float)
    shown = positive(norms)
    figure = go.Figure()
    for label, colour in zip(labels, RUN_COLOURS[-R:]):
        figure.add_trace(go.Scatter(
            mode="lines+markers" if T <= 30 else "lines", name=label,
            line=dict(color=colour, width=3), marker=dict(size=6),
            hovertemplate=f"{label}<br>k = %{{x}}: %{{y:.3e}}<extra></extra>"))
    chosen = frame_indices(S)
    frames = [dict(name=str(s + 1), traces=list(range(R)),
                   data=[dict(x=typed(k), y=typed(shown[r, s], "f8")) for r in range(R)])
              for s in chosen]
    return _animate(
        figure, frames, list(range(R)), "training step s = ", 500,
        title="The backward flow ‖∂L/∂h<sub>k</sub>‖ from the loss at T = D + 1 back to "
              "step 1, as training goes on",
        xaxis=dict(title="state h<sub>k</sub>, step k (the token is read at k = 1)",
                   range=[0.5, T + 0.5]),
        yaxis=dict(title="‖∂L/∂h<sub>k</sub>‖ (log scale)", type="log",
                   range=log_range(norms), exponentformat="power"),
    )


def truncation_errors(labels: Sequence[str], windows: np.ndarray, errors: np.ndarray,
                      T: int) -> go.Figure:
    """||g_k - g|| / ||g|| of truncated BPTT against the window k (log y).

    labels : R names; windows : ndarray of shape (K,); errors : ndarray of shape (R, K);
    T : the sequence length (from k = T on the error is exactly 0, drawn as a gap).
    """
    figure = go.Figure()
    for label, colour, values in zip(labels, RUN_COLOURS[-len(labels):], errors):
        figure.add_trace(go.Scatter(
            x=windows, y=positive(values), mode="lines+markers", name=label,
            line=dict(color=colour, width=2),
            hovertemplate=f"{label}<br>k = %{{x}}: %{{y:.2e}}<extra></extra>"))
    figure.add_vline(x=T, line=dict(color=palette.GREY, dash="dash"),
                     annotation_text=f"k = D + 1 = {T}: exact (error 0)",
                     annotation_position="top left")
    figure.update_layout(
        title="Truncated BPTT: relative error of the gradient against full BPTT",
        xaxis=dict(title="window k (steps backpropagated)", range=[0.5, T + 0.5]),
        yaxis=dict(title="‖g<sub>k</sub> − g‖ / ‖g‖ (log scale)", type="log",
                   exponentformat="power"),
        height=400, margin=dict(t=60, b=40, l=10, r=10),
        legend=dict(orientation="h", yanchor="top", y=-0.2, x=0),
    )
    return figure


def cliff_animation(w: np.ndarray, b: np.ndarray, loss: np.ndarray, labels: Sequence[str],
                    paths: np.ndarray) -> go.Figure:
    """The loss surface L(w, b) of the one-unit RNN with gradient-descent paths, animated.

    w : ndarray of shape (G_w,); b : ndarray of shape (G_b,); loss : ndarray of shape
    (G_b, G_w); labels : R names; paths : ndarray of shape (R, S + 1, 2), (w, b) after each
    step. Frame s shows the paths up to step s; the axes stay on the grid (a path that
    jumps off it leaves the picture).
    """
    R, steps, _ = paths.shape
    figure = go.Figure(go.Contour(
        x=w, y=b, z=loss, colorscale=palette.SEQUENTIAL, ncontours=30,
        contours=dict(coloring="heatmap"), line=dict(width=0.5, color="rgba(0,0,0,0.3)"),
        colorbar=dict(title=dict(text="loss L"), len=0.9),
        hovertemplate="w = %{x:.2f}, b = %{y:.2f}<br>L = %{z:.3f}<extra></extra>"))
    for label, colour in zip(labels, PATH_COLOURS):
        figure.add_trace(go.Scatter(mode="lines+markers", name=label,
                                    line=dict(color=colour, width=3), marker=dict(size=5)))
    for label, colour in zip(labels, PATH_COLOURS):
        figure.add_trace(go.Scatter(
            mode="markers", name=f"{label}: now", showlegend=False, hoverinfo="skip",
            marker=dict(size=16, color=colour, line=dict(color=palette.BLACK, width=2))))
    chosen = frame_indices(steps)
    animated = list(range(1, 2 * R + 1))

    def frame_data(s: int) -> list[dict]:
        lines = [dict(x=typed(p[: s + 1, 0], "f8"), y=typed(p[: s + 1, 1], "f8"))
                 for p in paths]
        now = [dict(x=[float(p[s, 0])], y=[float(p[s, 1])]) for p in paths]
        return lines + now

    frames = [dict(name=str(s), traces=animated, data=frame_data(s)) for s in chosen]
    return _animate(
        figure, frames, animated, "gradient step s = ", 560,
        title="The cliff of a one-unit RNN, h<sub>t</sub> = tanh(w h<sub>t−1</sub> + b), "
              "and gradient descent on it",
        xaxis=dict(title="recurrent weight w", range=[float(w[0]), float(w[-1])]),
        yaxis=dict(title="bias b", range=[float(b[0]), float(b[-1])]),
    )


def cliff_curves(labels: Sequence[str], loss: np.ndarray, grad_norm: np.ndarray,
                 tau: float) -> go.Figure:
    """Loss and ||dL/d(w, b)|| against the descent step, with and without clipping.

    labels : R names; loss : ndarray of shape (R, S + 1); grad_norm : ndarray of shape
    (R, S), before clipping; tau : the threshold, drawn as a line.
    """
    figure = _two_panels(("Loss L", "‖∂L/∂(w, b)‖ before clipping (log scale)"))
    for col, series, first in ((1, loss, 0), (2, positive(grad_norm), 1)):
        steps = np.arange(first, first + series.shape[1])
        for label, colour, values in zip(labels, PATH_COLOURS, series):
            figure.add_trace(go.Scatter(
                x=steps, y=values, mode="lines", name=label, legendgroup=label,
                showlegend=col == 1, line=dict(color=colour, width=2),
                hovertemplate=f"{label}<br>step %{{x}}: %{{y:.3g}}<extra></extra>"),
                row=1, col=col)
    figure.add_hline(y=tau, line=dict(color=palette.GREY, dash="dash"), row=1, col=2,
                     annotation_text=f"τ = {tau:g}", annotation_position="top left")
    figure.update_xaxes(title_text="gradient step s")
    figure.update_yaxes(title_text="L (nats)", row=1, col=1)
    figure.update_yaxes(title_text="norm", type="log", exponentformat="power", row=1, col=2)
    figure.update_layout(
        title="On the cliff: one step of an exploding gradient undoes the descent",
        height=380, margin=dict(t=90, b=40, l=10, r=10),
        legend=dict(orientation="h", yanchor="top", y=-0.2, x=0),
    )
    return figure

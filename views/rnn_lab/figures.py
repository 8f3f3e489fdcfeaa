"""Plotly figures of the RNN lab: pure functions from arrays to figures (no streamlit).

Training runs come stacked on axis 0 with one label each: loss (R, S) for R runs of S steps.

Each figure is written as its plotly JSON spec (the dict that go.Figure.to_dict() gives) and
handed over as a figure that returns that spec (spec_figure): plotly's object model, which
validates and copies every property, took ~0.15 s to build the four training figures on each
change of a setting (measured); the spec costs ~1 ms. The tests rebuild every figure with
validation on (go.Figure(spec)) and read it back.
"""

from __future__ import annotations

import textwrap
from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from views.common import palette
from views.common.animation import frame_indices, play_controls, typed
from views.frozen_figure import axis, panel_axes, panel_domains, spec_figure

# Runs in the order the page trains them: RNN at short D, RNN at D, LSTM at D.
RUN_COLOURS = (palette.SKY_BLUE, palette.VERMILION, palette.BLUE)
# Gradient descent on the cliff: without clipping, with clipping.
PATH_COLOURS = (palette.ORANGE, palette.GREEN)
LOG_PAD = 0.3  # decades of margin around the data on fixed log axes
GAP = 0.1  # horizontal space between the two panels of a two-panel figure (paper units)
LINE = dict(color=palette.GREY, dash="dash")  # a threshold or a limit across a panel


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


def _two_panels(titles: tuple[str, str], axes: tuple[dict, dict, dict, dict]) -> dict:
    """The layout of make_subplots(rows=1, cols=2, subplot_titles=titles,
    horizontal_spacing=GAP): x-axes (x, x2), y-axes (y, y2) and the two titles. The titles
    are broken into short lines and the second panel's y-axis is on the right, so that the
    panels do not run into each other on a phone."""
    x, y, x2, y2 = axes
    left, right = panel_domains(2, GAP)
    return dict(
        xaxis=dict(x, anchor="y", domain=left), yaxis=dict(y, anchor="x", domain=[0, 1]),
        xaxis2=dict(x2, anchor="y2", domain=right),
        yaxis2=dict(y2, anchor="x2", domain=[0, 1], side="right"),
        annotations=[dict(text="<br>".join(textwrap.wrap(title, 20, break_long_words=False)),
                          x=sum(domain) / 2, xref="paper", xanchor="center", y=1.0,
                          yref="paper", yanchor="bottom", showarrow=False, font=dict(size=13))
                     for title, domain in zip(titles, (left, right))],
    )


def _hline(y: float, text: str, above: bool, right: bool) -> tuple[dict, dict]:
    """A dashed line across the second panel at y and its label (add_hline(row=1, col=2))."""
    line = dict(type="line", xref="x2 domain", x0=0, x1=1, yref="y2", y0=y, y1=y, line=LINE)
    label = dict(text=text, xref="x2 domain", x=int(right), xanchor="right" if right else "left",
                 yref="y2", y=y, yanchor="bottom" if above else "top", showarrow=False)
    return line, label


def _lines(labels: Sequence[str], colours: Sequence[str], series: np.ndarray, first: int,
           panel: int) -> list[dict]:
    """One line per row of series (R, S) against the step first..first + S - 1, in a panel
    (1 or 2), the legend shown in the first."""
    steps = typed(np.arange(first, first + series.shape[1]), "i4")
    return [dict(type="scatter", x=steps, y=typed(values, "f8"), mode="lines", name=label,
                 legendgroup=label, showlegend=panel == 1, line=dict(color=colour, width=2),
                 hovertemplate=f"{label}<br>step %{{x}}: %{{y:.3g}}<extra></extra>",
                 **panel_axes(panel))
            for label, colour, values in zip(labels, colours, series)]


def _curves(labels: Sequence[str], colours: Sequence[str], left: np.ndarray, right: np.ndarray,
            first: tuple[int, int], titles: tuple[str, str], axes: tuple[dict, ...],
            line: tuple[dict, dict] | None, heading: str, height: int) -> go.Figure:
    """Two panels of lines against the step with an optional line across the second, under
    the title ``heading`` and the panels' titles; the legend at the figure's foot (under the
    x-axis titles, however many rows it takes)."""
    panels = _two_panels(titles, axes)
    top = palette.title_height(heading) + max(
        palette.text_height(a["text"], a["font"]["size"]) for a in panels["annotations"])
    if line is not None:
        panels["shapes"] = [line[0]]
        panels["annotations"].append(line[1])
    return spec_figure(
        _lines(labels, colours, left, first[0], 1) + _lines(labels, colours, right, first[1], 2),
        dict(panels, legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, x=0),
             title=palette.title(heading), height=height,
             margin=dict(t=top, b=110, l=10, r=10)))


def training_curves(labels: Sequence[str], loss: np.ndarray, accuracy: np.ndarray,
                    chance: float) -> go.Figure:
    """Loss (log scale) and accuracy against the training step, one line per run.

    labels : R names; loss, accuracy : ndarray of shape (R, S), measured on each step's
    fresh batch before the update; chance : the accuracy of the best constant guess.
    """
    step = axis("training step s")
    return _curves(
        labels, RUN_COLOURS, positive(loss), accuracy, (1, 1),
        ("Loss J on each fresh batch (log scale)", "Accuracy on each fresh batch"),
        (step, axis("J (nats per answer)", type="log", exponentformat="power"), step,
         axis("fraction correct", range=[0, 1.05])),
        _hline(chance, f"chance {chance:.2f}", above=False, right=True),
        "Learning the dependency:<br>loss and accuracy against the training step", 480)


def gradient_curves(labels: Sequence[str], dL_dh1: np.ndarray, grad_norm: np.ndarray,
                    clip: float | None) -> go.Figure:
    """||dL/dh_1|| and the global gradient norm before clipping, against the step (log y).

    labels : R names; dL_dh1, grad_norm : ndarray of shape (R, S); clip : the threshold tau
    drawn as a line, or None. Exact zeros (a truncated window) leave gaps.
    """
    step, log = axis("training step s"), dict(type="log", exponentformat="power")
    return _curves(
        labels, RUN_COLOURS, positive(dL_dh1), positive(grad_norm), (1, 1),
        ("‖∂L/∂h<sub>1</sub>‖: the signal reaching the token's step",
         "‖∂J/∂θ‖ before clipping"),
        (step, axis("norm (log scale)", **log), step, log),
        None if clip is None else _hline(clip, f"τ = {clip:g}", above=True, right=False),
        "Gradients over training: what reaches step 1,<br>and the size of each update", 480)


def _animated(data: list[dict], frames: list[dict], prefix: str, heading: str, height: int,
              **layout) -> go.Figure:
    """Frames with Play/Pause and a slider, opening on the last frame (never autoplay), under
    the title ``heading`` and the legend: the animated traces (those the frames name) start
    with the last frame's data."""
    for index, update in zip(frames[-1]["traces"], frames[-1]["data"]):
        data[index] = dict(data[index], **{k: v for k, v in update.items() if k != "type"})
    return spec_figure(data, dict(
        **palette.heading(heading, height), height=height,
        margin=dict(t=palette.title_height(heading), b=150, l=10, r=10),
        **play_controls([f["name"] for f in frames], prefix, active=len(frames) - 1),
        **layout), frames)


def flow_animation(labels: Sequence[str], norms: np.ndarray) -> go.Figure:
    """||dL/dh_k|| against the step k, animated over training (log y, fixed axes).

    labels : R names; norms : ndarray of shape (R, S, T), the mean over the batch of
    ||dL_i/dh_k|| at each training step. Frames are at most 100 training steps; the figure
    opens on the last one. Exact zeros (outside a truncated window) leave gaps.
    """
    R, S, T = norms.shape
    k = typed(np.arange(1, T + 1, dtype=float))
    shown = positive(norms)
    data = [dict(type="scatter", mode="lines+markers" if T <= 30 else "lines", name=label,
                 line=dict(color=colour, width=3), marker=dict(size=6),
                 hovertemplate=f"{label}<br>k = %{{x}}: %{{y:.3e}}<extra></extra>")
            for label, colour in zip(labels, RUN_COLOURS[-R:])]
    frames = [dict(name=str(s + 1), traces=list(range(R)),
                   data=[dict(type="scatter", x=k, y=typed(shown[r, s], "f8"))
                         for r in range(R)])
              for s in frame_indices(S)]
    return _animated(
        data, frames, "training step s = ",
        "The backward flow ‖∂L/∂h<sub>k</sub>‖<br>"
        "from the loss at T = D + 1 back to step 1,<br>as training goes on", 560,
        xaxis=axis("state h<sub>k</sub>, step k (the token is read at k = 1)",
                    range=[0.5, T + 0.5]),
        yaxis=axis("‖∂L/∂h<sub>k</sub>‖ (log scale)", type="log", range=log_range(norms),
                    exponentformat="power"),
    )


def truncation_errors(labels: Sequence[str], windows: np.ndarray, errors: np.ndarray,
                      T: int) -> go.Figure:
    """||g_k - g|| / ||g|| of truncated BPTT against the window k (log y).

    labels : R names; windows : ndarray of shape (K,); errors : ndarray of shape (R, K);
    T : the sequence length (from k = T on the error is exactly 0, drawn as a gap).
    """
    x = typed(windows, "i4")
    data = [dict(type="scatter", x=x, y=typed(positive(values), "f8"), mode="lines+markers",
                 name=label, line=dict(color=colour, width=2),
                 hovertemplate=f"{label}<br>k = %{{x}}: %{{y:.2e}}<extra></extra>")
            for label, colour, values in zip(labels, RUN_COLOURS[-len(labels):], errors)]
    heading = "Truncated BPTT: relative error<br>of the gradient against full BPTT"
    return spec_figure(data, dict(
        shapes=[dict(type="line", xref="x", x0=T, x1=T, yref="y domain", y0=0, y1=1,
                     line=LINE)],
        annotations=[dict(text=f"k = D + 1 = {T}: exact (error 0)", xref="x", x=T,
                          xanchor="right", yref="y domain", y=1, yanchor="top",
                          showarrow=False)],
        **palette.heading(heading, 440),
        xaxis=axis("window k (steps backpropagated)", range=[0.5, T + 0.5]),
        yaxis=axis("‖g<sub>k</sub> − g‖ / ‖g‖ (log scale)", type="log",
                    exponentformat="power"),
        height=440, margin=dict(t=palette.title_height(heading), b=40, l=10, r=10),
    ))


def cliff_animation(w: np.ndarray, b: np.ndarray, loss: np.ndarray, labels: Sequence[str],
                    paths: np.ndarray) -> go.Figure:
    """The loss surface L(w, b) of the one-unit RNN with gradient-descent paths, animated.

    w : ndarray of shape (G_w,); b : ndarray of shape (G_b,); loss : ndarray of shape
    (G_b, G_w); labels : R names; paths : ndarray of shape (R, S + 1, 2), (w, b) after each
    step. Frame s shows the paths up to step s; the axes stay on the grid (a path that
    jumps off it leaves the picture).
    """
    R, steps, _ = paths.shape
    surface = dict(
        type="contour", x=typed(w, "f8"), y=typed(b, "f8"),
        z=dict(typed(loss, "f8"), shape=", ".join(map(str, loss.shape))),
        colorscale=palette.SEQUENTIAL, ncontours=30, contours=dict(coloring="heatmap"),
        line=dict(width=0.5, color=palette.CONTOUR_LINE),
        colorbar=dict(title=dict(text="loss L"), len=0.9),
        hovertemplate="w = %{x:.2f}, b = %{y:.2f}<br>L = %{z:.3f}<extra></extra>")
    lines = [dict(type="scatter", mode="lines+markers", name=label,
                  line=dict(color=colour, width=3), marker=dict(size=5))
             for label, colour in zip(labels, PATH_COLOURS)]
    now = [dict(type="scatter", mode="markers", name=f"{label}: now", showlegend=False,
                hoverinfo="skip",
                marker=dict(size=16, color=colour, line=dict(color=palette.BLACK, width=2)))
           for label, colour in zip(labels, PATH_COLOURS)]
    animated = list(range(1, 2 * R + 1))

    def frame_data(s: int) -> list[dict]:
        drawn = [dict(type="scatter", x=typed(p[: s + 1, 0], "f8"), y=typed(p[: s + 1, 1], "f8"))
                 for p in paths]
        return drawn + [dict(type="scatter", x=[float(p[s, 0])], y=[float(p[s, 1])])
                        for p in paths]

    frames = [dict(name=str(s), traces=animated, data=frame_data(s))
              for s in frame_indices(steps)]
    return _animated(
        [surface] + lines + now, frames, "gradient step s = ",
        "The cliff of a one-unit RNN,<br>h<sub>t</sub> = tanh(w h<sub>t−1</sub> + b),<br>"
        "and gradient descent on it", 620,
        xaxis=axis("recurrent weight w", range=[float(w[0]), float(w[-1])]),
        yaxis=axis("bias b", range=[float(b[0]), float(b[-1])]),
    )


def cliff_curves(labels: Sequence[str], loss: np.ndarray, grad_norm: np.ndarray,
                 tau: float) -> go.Figure:
    """Loss and ||dL/d(w, b)|| against the descent step, with and without clipping.

    labels : R names; loss : ndarray of shape (R, S + 1); grad_norm : ndarray of shape
    (R, S), before clipping; tau : the threshold, drawn as a line.
    """
    step = axis("gradient step s")
    return _curves(
        labels, PATH_COLOURS, loss, positive(grad_norm), (0, 1),
        ("Loss L", "‖∂L/∂(w, b)‖ before clipping (log scale)"),
        (step, axis("L (nats)"), step, axis("norm", type="log", exponentformat="power")),
        _hline(tau, f"τ = {tau:g}", above=True, right=False),
        "On the cliff: one step of an exploding gradient<br>undoes the descent", 460)

"""Plotly figures of the unrolling page: pure functions from sizes and arrays to figures."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from views.common import palette
from views.common.animation import play_controls

ROW_X, ROW_H, ROW_Z = 0.0, 1.0, 2.0
FOLDED_X = 0.0  # the folded cell's column
UNROLLED_X = 2.4  # the column of h_0; h_t sits at UNROLLED_X + t
ARROW_AT = 0.62  # where along an edge its arrowhead sits (the ends are under the nodes)
LOOP_RADIUS = (0.28, 0.36)  # of the folded W_hh loop, in x and y data units
STATE_RANGE = (-1.0, 1.0)  # tanh


def _node_size(T: int) -> float:
    return float(np.clip(520 / (T + 4), 22, 38))


def _weight_label(name: str) -> str:
    return f"W<sub>{name.split('_')[1]}</sub>"


def _arrows(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray):
    """Straight edges as one trace: per edge start, arrowhead point, end, gap (4m,) each.

    Returns x, y and the marker size of every point (only arrowhead points are drawn).
    """
    m = x0.shape[0]
    x = np.full((m, 4), np.nan)
    y = np.full((m, 4), np.nan)
    x[:, 0], x[:, 1], x[:, 2] = x0, x0 + ARROW_AT * (x1 - x0), x1
    y[:, 0], y[:, 1], y[:, 2] = y0, y0 + ARROW_AT * (y1 - y0), y1
    size = np.zeros((m, 4))
    size[:, 1] = 1.0
    return x.reshape(-1), y.reshape(-1), size.reshape(-1)


def _loop() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The folded cell's W_hh loop: a clockwise circle through h, arrowhead at its right."""
    angles = np.linspace(np.pi, -np.pi, 41)
    rx, ry = LOOP_RADIUS
    x = FOLDED_X + rx + rx * np.cos(angles)
    y = ROW_H + ry * np.sin(angles)
    size = np.zeros(angles.shape[0])
    size[20] = 1.0  # angle 0: the rightmost point, heading down
    return x, y, size


def _edges(k: int) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """x, y, arrow sizes of each weight's edges: the folded cell and k unrolled copies."""
    t = UNROLLED_X + np.arange(1, k + 1, dtype=float)
    folded = np.array([FOLDED_X])
    sh = _arrows(np.append(folded, t), np.full(k + 1, ROW_X), np.append(folded, t),
                 np.full(k + 1, ROW_H))
    hh = _arrows(t - 1.0, np.full(k, ROW_H), t, np.full(k, ROW_H))
    hz = _arrows(np.append(folded, t), np.full(k + 1, ROW_H), np.append(folded, t),
                 np.full(k + 1, ROW_Z))
    loop = _loop()
    gap = (np.nan, np.nan, 0.0)  # lift the pen between the loop and the unrolled edges
    hh = tuple(np.concatenate([part, [g], whole]) for part, g, whole in zip(loop, gap, hh))
    return {"W_sh": sh, "W_hh": hh, "W_hz": hz}


def _nodes(k: int, row: float, first: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The folded node and the unrolled nodes first..k of one row: x, y, label."""
    letter = {ROW_X: "x", ROW_H: "h", ROW_Z: "z"}[row]
    steps = np.arange(first, k + 1)
    x = np.append(FOLDED_X, UNROLLED_X + steps.astype(float))
    labels = np.array([f"{letter}<sub>t</sub>"] + [f"{letter}<sub>{s}</sub>" for s in steps])
    return x, np.full(x.shape[0], row), labels


def _frame_traces(k: int, arrow_size: float) -> list[dict]:
    """The data of every trace of the graph once k copies are unrolled."""
    data = []
    for x, y, size in _edges(k).values():
        data.append(dict(x=x, y=y, marker=dict(size=size * arrow_size)))
    for row, first in ((ROW_X, 1), (ROW_H, 0), (ROW_Z, 1)):
        x, y, labels = _nodes(k, row, first)
        data.append(dict(x=x, y=y, text=labels))
    return data


def graph_figure(T: int, d: int, n: int, c: int) -> go.Figure:
    """The folded RNN (one cell, a W_hh loop) and its unrolling for T steps, animated.

    Every copy draws W_sh, W_hh, W_hz in the weight's own colour (palette.WEIGHT_COLOURS).
    Frame k (k = 1..T) shows k copies; the figure opens on the last frame, all T.
    """
    sizes = {"W_sh": (n, d), "W_hh": (n, n), "W_hz": (c, n)}
    node_size = _node_size(T)
    arrow_size = node_size * 0.55
    final = _frame_traces(T, arrow_size)
    figure = go.Figure()
    for (name, (rows, cols)), data in zip(sizes.items(), final):
        label = _weight_label(name)
        figure.add_trace(go.Scatter(
            x=data["x"], y=data["y"], mode="lines+markers",
            name=f"{label}: one {rows}×{cols} array",
            line=dict(color=palette.WEIGHT_COLOURS[name], width=3),
            marker=dict(symbol="arrow", angleref="previous", size=data["marker"]["size"],
                        color=palette.WEIGHT_COLOURS[name]),
            hovertemplate=f"{label}, the same {rows}×{cols} = {rows * cols} numbers at "
                          "every step<extra></extra>",
        ))
    node_styles = (
        ("inputs x<sub>t</sub>", "square", palette.NODE_FILL),
        ("states h<sub>t</sub>", "circle", palette.NODE_FILL),
        ("outputs z<sub>t</sub>", "circle", palette.NODE_FILL),
    )
    for (name, symbol, fill), data in zip(node_styles, final[3:]):
        figure.add_trace(go.Scatter(
            **data, mode="markers+text", name=name, textposition="middle center",
            textfont=dict(size=11 if T > 12 else 13, color=palette.BLACK),
            marker=dict(symbol=symbol, size=node_size, color=fill,
                        line=dict(color=palette.BLACK, width=1.5)),
            hoverinfo="skip", showlegend=False,
        ))
    names = [str(k) for k in range(1, T + 1)]
    figure.frames = [
        go.Frame(data=_frame_traces(k, arrow_size), name=name,
                 layout=dict(title=dict(text=_graph_title(k, T))))
        for k, name in zip(range(1, T + 1), names)
    ]
    columns = UNROLLED_X + np.arange(0, T + 1, dtype=float)
    figure.update_layout(
        **palette.heading(_graph_title(T, T), 520),
        height=520,
        margin=dict(l=70, r=20, t=palette.title_height(_graph_title(T, T)), b=150),
        xaxis=dict(
            title=dict(text="time step t (folded cell on the left)"),
            range=[FOLDED_X - 0.6, UNROLLED_X + T + 0.6], fixedrange=True,
            tickvals=np.append(FOLDED_X, columns), showgrid=False, zeroline=False,
            ticktext=np.array(["folded"] + [str(t) for t in range(T + 1)]),
        ),
        yaxis=dict(
            title=dict(text="layer"), range=[-0.55, 2.55], fixedrange=True,
            tickvals=np.array([ROW_X, ROW_H, ROW_Z]), showgrid=False, zeroline=False,
            ticktext=np.array(["input x", "state h", "output z"]),
        ),
        annotations=[
            dict(x=UNROLLED_X - 0.35, y=ROW_H, ax=FOLDED_X + 0.85, ay=ROW_H, xref="x", yref="y",
                 axref="x", ayref="y", text="", showarrow=True, arrowhead=2, arrowwidth=1.5,
                 arrowcolor=palette.GREY),
            dict(x=(FOLDED_X + UNROLLED_X) / 2 + 0.25, y=ROW_H, yshift=14, xref="x", yref="y",
                 text="unfold", showarrow=False, font=dict(size=13, color=palette.GREY)),
        ],
        **play_controls(names, prefix="unrolled steps: ", active=T - 1, duration_ms=450),
    )
    # Below the axis's tick labels and title rather than over them.
    figure.layout.updatemenus[0].y = -0.30
    figure.layout.sliders[0].y = -0.24
    return figure


def _graph_title(k: int, T: int) -> str:
    copies = "copy" if k == 1 else "copies"
    return (f"Unrolled for {k} of T = {T} steps:<br>{k} {copies} of the cell,<br>still the same "
            "three weight arrays")


def parameter_count_figure(
    T_values: np.ndarray, shared: np.ndarray, unshared: np.ndarray, T: int
) -> go.Figure:
    """Parameter count against T, log-log: shared (flat) and unshared (slope 1).

    T_values, shared, unshared : ndarray of shape (m,); T : the chosen T (marked).
    """
    figure = go.Figure()
    series = (("shared RNN (any T)", shared, palette.BLUE),
              ("unshared: own arrays at every step", unshared, palette.VERMILION))
    chosen = int(np.searchsorted(T_values, T))
    for name, counts, colour in series:
        figure.add_trace(go.Scatter(
            x=T_values, y=counts, mode="lines", name=name, line=dict(color=colour, width=3),
            hovertemplate="T = %{x}<br>%{y:,} parameters<extra>" + name + "</extra>"))
        figure.add_trace(go.Scatter(
            x=T_values[chosen:chosen + 1], y=counts[chosen:chosen + 1], mode="markers",
            marker=dict(color=colour, size=11, line=dict(color=palette.INK, width=1)),
            showlegend=False, hovertemplate="chosen T = %{x}: %{y:,}<extra></extra>"))
    figure.add_vline(x=T, line=dict(color=palette.GREY, dash="dot"))
    ratio = unshared[chosen] / shared[chosen]
    figure.add_annotation(
        x=np.log10(T), y=np.log10(unshared[chosen]), text=f"× {ratio:g} at T = {T}",
        showarrow=True, ax=40, ay=-30, font=dict(size=13))
    heading = "Parameters against the number<br>of unrolled steps T"
    figure.update_layout(
        title=palette.title(heading), height=400,
        margin=dict(l=70, r=20, t=palette.title_height(heading), b=50),
        legend=dict(x=0.01, y=0.99),
        xaxis=dict(title=dict(text="T (unrolled steps, log scale)"), type="log"),
        yaxis=dict(title=dict(text="parameters (count, log scale)"), type="log", dtick=1,
                   range=[np.log10(shared.min()) - 0.3, np.log10(unshared.max()) + 0.2]),
    )
    return figure


def _integer_dtick(count: int) -> int | None:
    """A tick at every whole number on a short axis (no 0.5, 1.5), automatic otherwise."""
    return 1 if count <= 16 else None


def numbers(count: int) -> str:
    return f"{count} number" + ("" if count == 1 else "s")


def _sequence_label(i: int, length: int) -> str:
    return f"sequence {i + 1}: T = {length}"


def _state_colours() -> dict:
    low, high = STATE_RANGE
    return dict(colorscale=palette.DIVERGING, cmin=low, cmax=high,
                colorbar=dict(title=dict(text="h<sub>t,i</sub>"), len=0.9))


def states_figure(states: list[np.ndarray]) -> go.Figure:
    """Heatmaps of the states h_t (one row of panels per sequence), the same weights for all.

    states : list of ndarray of shape (L_j, n), one per sequence. The panels share the step
    axis, so a sequence's length is its panel's width (stacked, they fit a phone).
    """
    m = len(states)
    figure = make_subplots(rows=m, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                           subplot_titles=[_sequence_label(i, s.shape[0])
                                           for i, s in enumerate(states)])
    n = states[0].shape[1]
    longest = max(s.shape[0] for s in states)
    for i, h in enumerate(states):
        figure.add_trace(go.Heatmap(
            z=h.T.astype(np.float32), x=np.arange(1, h.shape[0] + 1), y=np.arange(1, n + 1),
            coloraxis="coloraxis",
            hovertemplate="t = %{x}, unit %{y}: h = %{z:.3f}<extra></extra>"), row=i + 1, col=1)
        figure.update_yaxes(title=dict(text="unit i"), row=i + 1, col=1)
    figure.update_xaxes(range=[0.5, longest + 0.5], dtick=_integer_dtick(longest))
    figure.update_xaxes(title=dict(text="step t"), row=m, col=1)
    heading = (f"States h<sub>t</sub> ∈ ℝ<sup>{n}</sup> of the same RNN<br>on "
               f"{m} sequences of different lengths")
    figure.update_layout(
        title=palette.title(heading), height=130 + 110 * m,
        margin=dict(l=70, r=20, t=palette.title_height(heading) + palette.text_height("", 16),
                    b=50),
        coloraxis=_state_colours(),
    )
    return figure


def final_states_figure(finals: np.ndarray, lengths: np.ndarray) -> go.Figure:
    """The final state h_T of each sequence: one row of n numbers per sequence.

    finals : ndarray of shape (m, n); lengths : ndarray of shape (m,), the T of each.
    """
    m, n = finals.shape
    labels = np.array([_sequence_label(i, int(L)) for i, L in enumerate(lengths)])
    figure = go.Figure(go.Heatmap(
        z=finals, x=np.arange(1, n + 1), y=labels, coloraxis="coloraxis",
        texttemplate="%{z:.2f}" if n <= 16 else None,
        hovertemplate="%{y}, unit %{x}: h<sub>T</sub> = %{z:.3f}<extra></extra>"))
    heading = f"Final states h<sub>T</sub>: always n = {numbers(n)},<br>whatever T"
    figure.update_layout(
        title=palette.title(heading), height=170 + 45 * m,
        margin=dict(l=160, r=20, t=palette.title_height(heading), b=50),
        coloraxis=_state_colours(),
        xaxis=dict(title=dict(text="state unit i"), dtick=_integer_dtick(n)),
        yaxis=dict(title=dict(text="sequence"), autorange="reversed"),
    )
    return figure

"""Plotly figures of the unrolling page: pure functions from sizes and arrays to figures.

Each figure is written as its plotly JSON spec, the dict that plotly's objects and
make_subplots gave, and handed over as a figure that returns that spec (spec_figure):
building those objects took ~0.2 s of CPU on each change of a setting at the largest
settings, most of it the graph's 20 frames; the specs take ~10 ms (measured). The tests
read every figure back through go.Figure, which validates it.
"""

from __future__ import annotations


import numpy as np
import plotly.graph_objects as go

from views.common import palette
from views.common.animation import play_controls
from views.frozen_figure import colorscale, layout_axes, panel_axes, spec_figure, subplots

ROW_X, ROW_H, ROW_Z = 0.0, 1.0, 2.0
FOLDED_X = 0.0  # the folded cell's column
UNROLLED_X = 2.4  # the column of h_0; h_t sits at UNROLLED_X + t
ARROW_AT = 0.62  # where along an edge its arrowhead sits (the ends are under the nodes)
LOOP_RADIUS = (0.28, 0.36)  # of the folded W_hh loop, in x and y data units
STATE_RANGE = (-1.0, 1.0)  # tanh
GRAPH_HEIGHT = 520  # pixels
NODE_ROWS = (("inputs x<sub>t</sub>", "square"), ("states h<sub>t</sub>", "circle"),
             ("outputs z<sub>t</sub>", "circle"))  # legend name and marker of each row
PANEL_GAP = 0.12  # between the stacked panels of the states (paper units)


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
    """The data of every trace of the graph once k copies are unrolled: the edges of
    W_sh, W_hh, W_hz (x, y, arrowhead sizes), then the nodes of x, h, z (x, y, labels)."""
    data = [dict(type="scatter", x=x, y=y, marker=dict(size=size * arrow_size))
            for x, y, size in _edges(k).values()]
    for row, first in ((ROW_X, 1), (ROW_H, 0), (ROW_Z, 1)):
        x, y, labels = _nodes(k, row, first)
        data.append(dict(type="scatter", x=x, y=y, text=labels))
    return data


def _weight_trace(name: str, shape: tuple[int, int], edges: dict) -> dict:
    """The edges of the weight ``name`` (an array of ``shape``, rows × columns) in its own
    colour, arrowheads as ``edges`` (its trace in :func:`_frame_traces`) sizes them."""
    rows, cols = shape
    label, colour = _weight_label(name), palette.WEIGHT_COLOURS[name]
    return dict(
        edges, mode="lines+markers", name=f"{label}: one {rows}×{cols} array",
        line=dict(color=colour, width=3),
        marker=dict(symbol="arrow", angleref="previous", size=edges["marker"]["size"],
                    color=colour),
        hovertemplate=f"{label}, the same {rows}×{cols} = {rows * cols} numbers at "
                      "every step<extra></extra>")


def _node_trace(name: str, symbol: str, nodes: dict, T: int) -> dict:
    """One row of labelled nodes, ``nodes`` (its trace in :func:`_frame_traces`), sized for
    T copies; no hover, no legend."""
    return dict(
        nodes, mode="markers+text", name=name, textposition="middle center",
        textfont=dict(size=11 if T > 12 else 13, color=palette.BLACK),
        marker=dict(symbol=symbol, size=_node_size(T), color=palette.NODE_FILL,
                    line=dict(color=palette.BLACK, width=1.5)),
        hoverinfo="skip", showlegend=False)


def graph_figure(T: int, d: int, n: int, c: int) -> go.Figure:
    """The folded RNN (one cell, a W_hh loop) and its unrolling for T steps, animated.

    Every copy draws W_sh, W_hh, W_hz in the weight's own colour (palette.WEIGHT_COLOURS).
    Frame k (k = 1..T, named str(k)) shows k copies; the figure opens on the last frame,
    all T. A spec figure: read it back with go.Figure(figure.to_dict()).
    """
    shapes = {"W_sh": (n, d), "W_hh": (n, n), "W_hz": (c, n)}
    arrow_size = _node_size(T) * 0.55
    frames = [dict(data=_frame_traces(k, arrow_size), name=str(k),
                   layout=dict(title=dict(text=_graph_title(k, T))))
              for k in range(1, T + 1)]
    final = frames[-1]["data"]
    data = ([_weight_trace(name, shape, edges)
             for (name, shape), edges in zip(shapes.items(), final)]
            + [_node_trace(name, symbol, nodes, T)
               for (name, symbol), nodes in zip(NODE_ROWS, final[3:])])
    return spec_figure(data, _graph_layout(T, [frame["name"] for frame in frames]), frames)


def _graph_layout(T: int, names: list[str]) -> dict:
    """The graph's layout: title and legend, fixed axes (the folded column, then steps
    0..T; the three rows), the "unfold" arrow, and Play/Pause with a slider over the frames
    ``names``, on the last."""
    heading = _graph_title(T, T)
    controls = play_controls(names, prefix="unrolled steps: ", active=T - 1, duration_ms=450)
    # Below the axis's tick labels and title rather than over them.
    controls["updatemenus"][0]["y"] = -0.30
    controls["sliders"][0]["y"] = -0.24
    columns = UNROLLED_X + np.arange(0, T + 1, dtype=float)
    return dict(
        **palette.heading(heading, GRAPH_HEIGHT), height=GRAPH_HEIGHT,
        margin=dict(l=70, r=20, t=palette.title_height(heading), b=150),
        xaxis=dict(
            title=dict(text="time step t (folded cell on the left)"),
            range=[FOLDED_X - 0.6, UNROLLED_X + T + 0.6], fixedrange=True,
            tickvals=np.append(FOLDED_X, columns), showgrid=False, zeroline=False,
            ticktext=["folded"] + [str(t) for t in range(T + 1)],
        ),
        yaxis=dict(
            title=dict(text="layer"), range=[-0.55, 2.55], fixedrange=True,
            tickvals=np.array([ROW_X, ROW_H, ROW_Z]), showgrid=False, zeroline=False,
            ticktext=["input x", "state h", "output z"],
        ),
        annotations=[
            dict(x=UNROLLED_X - 0.35, y=ROW_H, ax=FOLDED_X + 0.85, ay=ROW_H, xref="x", yref="y",
                 axref="x", ayref="y", text="", showarrow=True, arrowhead=2, arrowwidth=1.5,
                 arrowcolor=palette.GREY),
            dict(x=(FOLDED_X + UNROLLED_X) / 2 + 0.25, y=ROW_H, yshift=14, xref="x", yref="y",
                 text="unfold", showarrow=False, font=dict(size=13, color=palette.GREY)),
        ],
        **controls,
    )


def _graph_title(k: int, T: int) -> str:
    copies = "copy" if k == 1 else "copies"
    return (f"Unrolled for {k} of T = {T} steps:<br>{k} {copies} of the cell,<br>still the same "
            "three weight arrays")


def parameter_count_figure(
    T_values: np.ndarray, shared: np.ndarray, unshared: np.ndarray, T: int
) -> go.Figure:
    """Parameter count against T, log-log: shared (flat) and unshared (slope 1).

    T_values, shared, unshared : ndarray of shape (m,); T : the chosen T (marked). A spec
    figure: read it back with go.Figure(figure.to_dict()).
    """
    series = (("shared RNN (any T)", shared, palette.BLUE),
              ("unshared: own arrays at every step", unshared, palette.VERMILION))
    chosen = int(np.searchsorted(T_values, T))
    data = []
    for name, counts, colour in series:
        data += [
            dict(type="scatter", x=T_values, y=counts, mode="lines", name=name,
                 line=dict(color=colour, width=3),
                 hovertemplate="T = %{x}<br>%{y:,} parameters<extra>" + name + "</extra>"),
            dict(type="scatter", x=T_values[chosen:chosen + 1], y=counts[chosen:chosen + 1],
                 mode="markers",
                 marker=dict(color=colour, size=11, line=dict(color=palette.INK, width=1)),
                 showlegend=False, hovertemplate="chosen T = %{x}: %{y:,}<extra></extra>"),
        ]
    ratio = unshared[chosen] / shared[chosen]
    heading = "Parameters against the number<br>of unrolled steps T"
    return spec_figure(data, dict(
        shapes=[dict(type="line", xref="x", x0=T, x1=T, yref="y domain", y0=0, y1=1,
                     line=dict(color=palette.GREY, dash="dot"))],
        annotations=[dict(x=np.log10(T), y=np.log10(unshared[chosen]),
                          text=f"× {ratio:g} at T = {T}", showarrow=True, ax=40, ay=-30,
                          font=dict(size=13))],
        title=palette.title(heading), height=400,
        margin=dict(l=70, r=20, t=palette.title_height(heading), b=50),
        legend=dict(x=0.01, y=0.99),
        xaxis=dict(title=dict(text="T (unrolled steps, log scale)"), type="log"),
        yaxis=dict(title=dict(text="parameters (count, log scale)"), type="log", dtick=1,
                   range=[np.log10(shared.min()) - 0.3, np.log10(unshared.max()) + 0.2]),
    ))


def _integer_ticks(count: int) -> dict:
    """Axis entries: a tick at every whole number on a short axis (no 0.5, 1.5), automatic
    ticks (no entry) otherwise."""
    return dict(dtick=1) if count <= 16 else {}


def numbers(count: int) -> str:
    return f"{count} number" + ("" if count == 1 else "s")


def _sequence_label(i: int, length: int) -> str:
    return f"sequence {i + 1}: T = {length}"



def _state_colours() -> dict:
    low, high = STATE_RANGE
    return dict(colorscale=colorscale(palette.DIVERGING), cmin=low, cmax=high,
                colorbar=dict(title=dict(text="h<sub>t,i</sub>"), len=0.9))


def states_figure(states: list[np.ndarray]) -> go.Figure:
    """Heatmaps of the states h_t (one row of panels per sequence), the same weights for all.

    states : list of ndarray of shape (L_j, n), one per sequence. The panels share the step
    axis, so a sequence's length is its panel's width (stacked, they fit a phone). A spec
    figure: read it back with go.Figure(figure.to_dict()).
    """
    m, n = len(states), states[0].shape[1]
    longest = max(h.shape[0] for h in states)
    # make_subplots(rows=m, cols=1, shared_xaxes=True): the x-axes match the bottom one,
    # which alone labels its ticks.
    layout = subplots(m, PANEL_GAP, [_sequence_label(i, h.shape[0]) for i, h in enumerate(states)],
                      vertical=True)
    for panel in range(1, m + 1):
        xaxis, yaxis = layout_axes(panel)
        layout[xaxis].update(range=[0.5, longest + 0.5], **_integer_ticks(longest))
        if panel < m:
            layout[xaxis].update(matches=panel_axes(m)["xaxis"], showticklabels=False)
        layout[yaxis]["title"] = dict(text="unit i")
    layout[layout_axes(m)[0]]["title"] = dict(text="step t")
    data = [dict(type="heatmap", z=h.T.astype(np.float32), x=np.arange(1, h.shape[0] + 1),
                 y=np.arange(1, n + 1), coloraxis="coloraxis",
                 hovertemplate="t = %{x}, unit %{y}: h = %{z:.3f}<extra></extra>",
                 **panel_axes(i + 1))
            for i, h in enumerate(states)]
    heading = (f"States h<sub>t</sub> ∈ ℝ<sup>{n}</sup> of the same RNN<br>on "
               f"{m} sequences of different lengths")
    return spec_figure(data, dict(
        layout, title=palette.title(heading), height=130 + 110 * m,
        margin=dict(l=70, r=20, t=palette.title_height(heading) + palette.text_height("", 16),
                    b=50),
        coloraxis=_state_colours(),
    ))


def final_states_figure(finals: np.ndarray, lengths: np.ndarray) -> go.Figure:
    """The final state h_T of each sequence: one row of n numbers per sequence.

    finals : ndarray of shape (m, n); lengths : ndarray of shape (m,), the T of each. A spec
    figure: read it back with go.Figure(figure.to_dict()).
    """
    m, n = finals.shape
    heatmap = dict(
        type="heatmap", z=finals, x=np.arange(1, n + 1),
        y=[_sequence_label(i, int(L)) for i, L in enumerate(lengths)], coloraxis="coloraxis",
        hovertemplate="%{y}, unit %{x}: h<sub>T</sub> = %{z:.3f}<extra></extra>")
    if n <= 16:
        heatmap["texttemplate"] = "%{z:.2f}"
    heading = f"Final states h<sub>T</sub>: always n = {numbers(n)},<br>whatever T"
    return spec_figure([heatmap], dict(
        title=palette.title(heading), height=170 + 45 * m,
        margin=dict(l=160, r=20, t=palette.title_height(heading), b=50),
        coloraxis=_state_colours(),
        xaxis=dict(title=dict(text="state unit i"), **_integer_ticks(n)),
        yaxis=dict(title=dict(text="sequence"), autorange="reversed"),
    ))

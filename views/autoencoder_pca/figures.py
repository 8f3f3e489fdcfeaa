"""Plotly figures of the autoencoder page: pure functions from arrays to figures (no streamlit).

The animations run over the training snapshots (iteration numbers as frame names) and open
on the last one, the trained autoencoder; Play replays training from iteration 0.

Each figure is written as its plotly JSON spec, the dict that plotly's objects and
make_subplots gave (spec_figure): building those objects took ~0.25 s for the page's four
figures at k = 19 on digits, on every change of a setting (measured); the specs take a few
ms. The tests read every figure back through go.Figure, which validates it.
"""

from __future__ import annotations

import textwrap

import numpy as np
import plotly.graph_objects as go

from views.common import palette
from views.common.animation import play_controls
from views.frozen_figure import colorscale, layout_axes, panel_axes, spec_figure, subplots

LEARNED = palette.VERMILION  # the autoencoder, everywhere on the page
PCA_COLOUR = palette.BLUE  # scikit-learn's PCA, everywhere on the page
DATA_COLOUR = palette.GREY
FLOOR_RELATIVE = 1e-16  # J - J* below FLOOR_RELATIVE tr S is drawn at that floor
DIGIT_SIDE = 8
ANGLE_FLOOR = 1e-5  # degrees; smaller angles are below what float64 resolves reliably
SCENE_HEIGHT = 810  # pixels; the page's style sets it by the column's width (views.common.layout)


def _f32(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.float32)



def _animated(data: list[dict], layout: dict, iterations: np.ndarray,
              frame_data: list[list[dict]], traces: list[int],
              at_plot_foot: bool = False) -> go.Figure:
    """Frames named by iteration over the given traces, opening on the last one (the
    animated traces start with the last frame's data); a frame's trace without a type is a
    scatter, as plotly reads it. ``at_plot_foot``: Play/Pause and the slider right under
    the plot, a fixed number of pixels from it whatever the chart's height (for a 3-D
    scene, which has no axis under it)."""
    names = [str(int(t)) for t in iterations]
    for index, update in zip(traces, frame_data[-1]):
        data[index] = {**data[index], **{k: v for k, v in update.items() if k != "type"}}
    frames = [dict(data=[{"type": "scatter", **trace} for trace in updates], name=name,
                   traces=traces) for updates, name in zip(frame_data, names)]
    controls = play_controls(names, "iteration t = ", active=len(names) - 1)
    if at_plot_foot:
        controls["updatemenus"][0].update(y=0, pad=dict(t=10, r=10))
        controls["sliders"][0].update(y=0, pad=dict(t=58, b=10))
    return spec_figure(data, dict(layout, **controls), frames)





def orthonormal_basis(W: np.ndarray) -> np.ndarray:
    """An orthonormal basis of span(W) (D, q) by a reduced QR, ndarray of shape (D, q)."""
    basis, _ = np.linalg.qr(W)
    return basis


def _patch(mean: np.ndarray, basis: np.ndarray, half_width: float) -> np.ndarray:
    """Corners of the square mean + a q_1 + b q_2, |a|, |b| <= half_width (4, 3), or the
    two ends of the segment mean +- half_width q_1 (2, 3) when the basis has one column."""
    if basis.shape[1] == 1:
        signs = np.array([[-1.0], [1.0]])
    else:
        signs = np.array([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]])
    return mean + half_width * signs @ basis[:, :2].T


def _outline(corners: np.ndarray, colour: str, name: str, width: float) -> dict:
    """The closed border of a square (4 corners) or a segment (2 ends) as 3-D lines."""
    closed = corners if corners.shape[0] == 2 else np.vstack([corners, corners[:1]])
    return dict(type="scatter3d", x=closed[:, 0], y=closed[:, 1], z=closed[:, 2],
                mode="lines", line=dict(color=colour, width=width), name=name)


def _learned_data(corners: np.ndarray) -> dict:
    """The learned subspace's trace (or a frame's update of it: frames need the type)."""
    xyz = dict(x=_f32(corners[:, 0]), y=_f32(corners[:, 1]), z=_f32(corners[:, 2]))
    if corners.shape[0] == 2:
        return dict(type="scatter3d", **xyz)
    return dict(type="mesh3d", **xyz)


def _camera_eye(basis: np.ndarray) -> dict:
    """Look mostly along the least-variance direction u_D, so that the top plane faces the
    viewer, tilted towards u_1 and u_2 so that depth stays visible."""
    direction = 0.35 * basis[0] + 0.5 * basis[1] + 0.8 * basis[-1]
    direction *= 2.15 / np.linalg.norm(direction)
    return dict(x=float(direction[0]), y=float(direction[1]), z=float(direction[2]))


def subspace_scene(
    points: np.ndarray,
    reconstructions: np.ndarray,
    W_dec: np.ndarray,
    mean: np.ndarray,
    basis: np.ndarray,
    iterations: np.ndarray,
) -> go.Figure:
    """3-D data, the learned plane (k = 2) or line (k = 1) turning into PCA's, animated.

    Parameters
    ----------
    points : ndarray of shape (N, 3), the data (static, grey).
    reconstructions : ndarray of shape (S, m, 3), x~ of m of the points at each snapshot.
    W_dec : ndarray of shape (S, 3, k), the decoder at each snapshot: span(W_dec) + xbar
        is the learned subspace.
    mean : ndarray of shape (3,); basis : ndarray of shape (3, 3), PCA's u_1, u_2, u_3 as
        rows (the first k span PCA's subspace).
    iterations : ndarray of shape (S,), the snapshots' iteration numbers (frame names).
    """
    k = W_dec.shape[2]
    half_width = float(np.quantile(np.linalg.norm(points - mean, axis=1), 0.95))
    reach = 1.05 * float(np.max(np.abs(points - mean)))
    pca_corners = _patch(mean, basis[:k].T, half_width)
    learned_name = "learned span(W<sub>dec</sub>) + x̄"
    data = [
        dict(type="scatter3d", x=_f32(points[:, 0]), y=_f32(points[:, 1]),
             z=_f32(points[:, 2]), mode="markers",
             marker=dict(size=2.5, color=DATA_COLOUR, opacity=0.5), name="data x<sub>n</sub>"),
        _outline(pca_corners, PCA_COLOUR, "PCA subspace (scikit-learn)", 14 if k == 1 else 7),
        dict(type="scatter3d", mode="lines", line=dict(color=LEARNED, width=6),
             name=learned_name) if k == 1 else
        dict(type="mesh3d", i=[0, 0], j=[1, 2], k=[2, 3], color=LEARNED, opacity=0.45,
             name=learned_name, showlegend=True, hoverinfo="name"),
        dict(type="scatter3d", mode="markers", marker=dict(size=3, color=LEARNED),
             name="reconstructions x̃<sub>n</sub>"),
    ]
    frame_data = [
        [_learned_data(_patch(mean, orthonormal_basis(W), half_width)),
         dict(type="scatter3d", x=_f32(r[:, 0]), y=_f32(r[:, 1]), z=_f32(r[:, 2]))]
        for W, r in zip(W_dec, reconstructions)
    ]
    axis = [dict(range=[float(c - reach), float(c + reach)],
                 title=dict(text=f"x<sub>{i + 1}</sub>")) for i, c in enumerate(mean)]
    heading = "The learned subspace turning<br>into the PCA subspace"
    return _animated(data, dict(
        title=palette.title(heading),
        scene=dict(xaxis=axis[0], yaxis=axis[1], zaxis=axis[2], aspectmode="cube",
                   camera=dict(eye=_camera_eye(basis), center=dict(x=0, y=0, z=-0.15))),
        uirevision="subspace-scene",  # keeps the user's camera across reruns
        # The page's style makes the chart's height follow its width: everything is placed
        # in pixels from the plot or the chart's edges. The legend at the chart's foot, under
        # Play/Pause and the slider (plotly.js reserves its rows on top of their margin).
        height=SCENE_HEIGHT, margin=dict(t=palette.title_height(heading), b=0, l=0, r=0),
        legend=dict(orientation="h", x=0, xanchor="left", yref="container", y=0,
                    yanchor="bottom"),
    ), iterations, frame_data, traces=[2, 3], at_plot_foot=True)


def _tiles(images: np.ndarray) -> np.ndarray:
    """m images of 64 pixels side by side with a one-pixel NaN gap: (8, 9 m - 1)."""
    m = images.shape[0]
    canvas = np.full((DIGIT_SIDE, (DIGIT_SIDE + 1) * m - 1), np.nan)
    for i, image in enumerate(images):
        start = i * (DIGIT_SIDE + 1)
        canvas[:, start:start + DIGIT_SIDE] = image.reshape(DIGIT_SIDE, DIGIT_SIDE)
    return canvas


def digit_grid(
    originals: np.ndarray,
    reconstructions: np.ndarray,
    pca_reconstructions: np.ndarray,
    iterations: np.ndarray,
    k: int,
) -> go.Figure:
    """Originals, autoencoder reconstructions (animated) and PCA reconstructions of digits.

    Parameters
    ----------
    originals : ndarray of shape (m, 64), 8x8 images, intensities 0..16.
    reconstructions : ndarray of shape (S, m, 64), x~ at each snapshot.
    pca_reconstructions : ndarray of shape (m, 64), scikit-learn's with k components.
    iterations : ndarray of shape (S,); k : int, for the row titles.
    """
    rows = ["originals x<sub>n</sub>", f"autoencoder x̃<sub>n</sub> (k = {k})",
            f"PCA, k = {k} (scikit-learn)"]
    layout = subplots(3, 0.09, rows, vertical=True)
    data = []
    for row, images in enumerate((originals, reconstructions[-1], pca_reconstructions), 1):
        data.append(dict(
            type="heatmap", z=_f32(_tiles(images)), showscale=row == 1,
            colorbar=dict(title=dict(text="intensity (0–16)"), len=0.9),
            colorscale=colorscale("Greys"), zmin=0.0, zmax=16.0, hoverongaps=False,
            hovertemplate="pixel value %{z:.1f}<extra></extra>", **panel_axes(row)))
        xaxis, yaxis = layout_axes(row)
        layout[xaxis]["visible"] = False
        layout[yaxis].update(visible=False, autorange="reversed",
                             scaleanchor=panel_axes(row)["xaxis"])
    frame_data = [[dict(type="heatmap", z=_f32(_tiles(r)))] for r in reconstructions]
    heading = "Digits: the reconstructions<br>sharpen into PCA's"
    top = palette.title_height(heading) + palette.text_height(rows[0], 16)
    return _animated(data, dict(
        layout, title=palette.title(heading), height=600,
        margin=dict(t=top, b=150, l=10, r=10)), iterations, frame_data, traces=[1])


def projection_view(
    points: np.ndarray,
    reconstructions: np.ndarray,
    pca_reconstructions: np.ndarray,
    mean: np.ndarray,
    top2: np.ndarray,
    iterations: np.ndarray,
) -> go.Figure:
    """Data, PCA's and the autoencoder's reconstructions in PCA's top-2 coordinates.

    Parameters
    ----------
    points : ndarray of shape (m, D), some data x_n.
    reconstructions : ndarray of shape (S, m, D), their x~_n at each snapshot.
    pca_reconstructions : ndarray of shape (m, D), scikit-learn's reconstructions.
    mean : ndarray of shape (D,); top2 : ndarray of shape (2, D), u_1 and u_2 as rows:
        everything is drawn at coordinates u_1^T (x - xbar), u_2^T (x - xbar).
    iterations : ndarray of shape (S,).
    """
    points, reconstructions, pca_reconstructions = (
        (values - mean) @ top2.T for values in (points, reconstructions, pca_reconstructions))
    every = np.concatenate([points, pca_reconstructions, reconstructions.reshape(-1, 2)])
    low, high = np.quantile(every, [0.0, 1.0], axis=0)
    pad = 0.05 * (high - low)
    data = [
        dict(type="scatter", x=_f32(points[:, 0]), y=_f32(points[:, 1]), mode="markers",
             name="data x<sub>n</sub>", marker=dict(color=DATA_COLOUR, size=5, opacity=0.5)),
        dict(type="scatter", x=_f32(pca_reconstructions[:, 0]),
             y=_f32(pca_reconstructions[:, 1]), mode="markers", name="PCA reconstructions",
             marker=dict(color=PCA_COLOUR, size=10, symbol="circle-open",
                         line=dict(width=1.5))),
        dict(type="scatter", mode="markers", name="autoencoder x̃<sub>n</sub>",
             marker=dict(color=LEARNED, size=5)),
    ]
    heading = "Reconstructions seen<br>in PCA's top two coordinates"
    return _animated(data, dict(
        **palette.heading(heading, 600),
        xaxis=dict(title=dict(text="u<sub>1</sub>ᵀ(x − x̄) (data units)"),
                   range=[float(low[0] - pad[0]), float(high[0] + pad[0])]),
        yaxis=dict(title=dict(text="u<sub>2</sub>ᵀ(x − x̄) (data units)"),
                   range=[float(low[1] - pad[1]), float(high[1] + pad[1])]),
        height=600, margin=dict(t=palette.title_height(heading), b=150, l=10, r=10),
    ), iterations, [[dict(x=_f32(r[:, 0]), y=_f32(r[:, 1]))] for r in reconstructions],
        traces=[2])


def training_curves(
    loss: np.ndarray,
    J_star: float,
    total_variance: float,
    snapshot_iterations: np.ndarray,
    angles: np.ndarray,
    plateau: float | None = None,
    target: float | None = None,
) -> go.Figure:
    """J - J* and the principal angles against the iteration, both on log scales.

    Parameters
    ----------
    loss : ndarray of shape (T + 1,), J at iterations 0..T (iteration 0 is left out:
        the x axis is logarithmic).
    J_star : float, sum of the discarded eigenvalues; total_variance : tr S (sets the
        floor FLOOR_RELATIVE tr S for differences that round to zero or below).
    snapshot_iterations : ndarray of shape (S,); angles : ndarray of shape (S, k), degrees.
    plateau : J at the saddle the run started from, marked when given.
    target : the regularized optimum of J, marked when given (weight decay).
    """
    floor = FLOOR_RELATIVE * max(total_variance, 1e-300)
    t = np.arange(1, loss.shape[0])
    data = [dict(type="scatter", x=t, y=np.maximum(loss[1:] - J_star, floor), mode="lines",
                 name="J − J*", line=dict(color=LEARNED, width=2), **panel_axes(1))]
    marks = ((plateau, "saddle plateau tr S − Σ<sub>i=2..k+1</sub> λ<sub>i</sub> − J*",
              palette.ORANGE), (target, "regularized optimum − J*", palette.GREEN))
    for value, name, colour in marks:
        if value is not None and t.size:
            data.append(dict(
                type="scatter", x=np.array([t[0], t[-1]]),
                y=np.full(2, max(value - J_star, floor)), mode="lines", name=name,
                line=dict(color=colour, dash="dash"), **panel_axes(1)))
    shown = snapshot_iterations > 0
    x, y = snapshot_iterations[shown], np.maximum(angles[shown], ANGLE_FLOOR)
    others = angles.shape[1] - 1
    if others:  # one trace, the curves separated by gaps
        gap = np.full((others, 1), np.nan)
        data.append(dict(
            type="scatter", x=np.hstack([np.tile(x.astype(float), (others, 1)), gap]).ravel(),
            y=np.hstack([y[:, :-1].T, gap]).ravel(), mode="lines", name="other angles",
            line=dict(color=palette.SKY_BLUE, width=1), legendgroup="others", **panel_axes(2)))
    data.append(dict(
        type="scatter", x=x, y=y[:, -1].copy(), mode="lines+markers",
        name="largest angle θ<sub>max</sub>", line=dict(color=PCA_COLOUR, width=2.5),
        marker=dict(size=4), legendgroup="largest", **panel_axes(2)))
    layout = subplots(2, 0.08)
    log = dict(type="log", exponentformat="power")
    for axis in ("xaxis", "xaxis2"):
        layout[axis].update(title=dict(text="iteration t (log)"), type="log")
    layout["yaxis"].update(title=dict(text="J − J* (data units², log scale)"), **log)
    # The right panel's axis on the right: the two sets of tick labels never meet.
    layout["yaxis2"].update(title=dict(text="angle to PCA's subspace (degrees, log scale)"),
                            side="right", **log)
    heading = "Training: the loss reaches J*<br>as the subspace reaches PCA's"
    return spec_figure(data, dict(
        layout,
        shapes=[dict(type="line", xref="x2 domain", x0=0, x1=1, yref="y2", y0=1.0, y1=1.0,
                     line=dict(color=palette.INK, dash="dot", width=1))],
        annotations=[dict(text="1°", showarrow=False, xref="x2 domain", x=0, xanchor="left",
                          yref="y2", y=1.0, yanchor="top")],
        **palette.heading(heading, 520),
        height=520, margin=dict(t=palette.title_height(heading), b=40, l=10, r=10)))


def spectrum(eigenvalues: np.ndarray, k: int) -> go.Figure:
    """The eigenvalues of S, the k kept ones coloured, on a log scale (zeros not drawn).

    Parameters
    ----------
    eigenvalues : ndarray of shape (D,), descending; k : int.
    """
    D = eigenvalues.shape[0]
    index = np.arange(1, D + 1)
    positive = eigenvalues > 1e-12 * eigenvalues[0]
    data = [dict(type="bar", x=index[chosen], y=eigenvalues[chosen], name=name,
                 marker=dict(color=colour),
                 hovertemplate="λ<sub>%{x}</sub> = %{y:.4g}<extra></extra>")
            for name, chosen, colour in (
                (f"kept: λ<sub>1</sub> … λ<sub>{k}</sub>", (index <= k) & positive, PCA_COLOUR),
                ("discarded: their sum is J*", (index > k) & positive, DATA_COLOUR))]
    xaxis = dict(title=dict(text="index i of the principal direction u<sub>i</sub>"))
    if D <= 20:
        xaxis["dtick"] = 1
    heading = "Eigenvalues of S:<br>the variance along each principal direction"
    return spec_figure(data, dict(
        **palette.heading(heading, 420),
        xaxis=xaxis,
        yaxis=dict(title=dict(text="λ<sub>i</sub> (data units², log scale)"), type="log",
                   exponentformat="power"),
        height=420, margin=dict(t=palette.title_height(heading), b=40, l=10, r=10),
        bargap=0.15,
    ))


def rotation_heatmaps(panels: dict[str, np.ndarray]) -> go.Figure:
    """|cos| matrices side by side: rows u_1..u_k, columns the vectors compared.

    Parameters
    ----------
    panels : title -> ndarray of shape (k, k) with entries in [0, 1]; the identity means
        vector j is u_j (up to sign).
    """
    titles = list(panels)
    k = next(iter(panels.values())).shape[0]
    # Panel titles broken into short lines: three side by side share a phone's width.
    layout = subplots(len(titles), 0.06, ["<br>".join(textwrap.wrap(t, 12, break_long_words=False))
                                         for t in titles])
    for annotation in layout["annotations"]:
        annotation["font"] = dict(size=11)
    labels = np.arange(1, k + 1)
    data = []
    for column, title in enumerate(titles, 1):
        trace = dict(
            type="heatmap", z=_f32(panels[title]), x=labels, y=labels, zmin=0.0, zmax=1.0,
            colorscale=colorscale(palette.SEQUENTIAL), showscale=column == len(titles),
            colorbar=dict(title=dict(text="|cos|")),
            hovertemplate="u<sub>%{y}</sub> vs vector %{x}: |cos| = %{z:.4f}<extra></extra>",
            **panel_axes(column))
        if k <= 6:
            trace["texttemplate"] = "%{z:.2f}"
        data.append(trace)
        xaxis, yaxis = layout_axes(column)
        layout[xaxis].update(title=dict(text="vector j"), tickvals=labels)
        layout[yaxis].update(tickvals=labels, autorange="reversed",
                             scaleanchor=panel_axes(column)["xaxis"])
    layout["yaxis"]["title"] = dict(text="principal direction u<sub>i</sub>")
    heading = "|cos| between each principal direction<br>and each vector"
    top = palette.title_height(heading) + max(
        palette.text_height(a["text"], a["font"]["size"]) for a in layout["annotations"])
    return spec_figure(data, dict(
        layout, title=palette.title(heading), height=460,
        margin=dict(t=top, b=40, l=10, r=10)))

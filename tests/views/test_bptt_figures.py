"""views.bptt.figures as pure functions: traces, frames, axes."""

import numpy as np
import pytest
from plotly.subplots import make_subplots

from core import bptt_analysis as ba, rnn
from views.bptt import figures
from tests.plotly_data import sent, values



def unrolled(T=20, **kwargs):
    """The figure as the browser receives it (its frames validated by plotly on the way)."""
    a = ba.analyse(T, 3, 4, 3, **kwargs)
    norms = ba.adjoint_edge_norms(a)
    return a, sent(figures.unrolled_backward(norms.adjoint, norms.local, norms.recurrent,
                                              a.mask))


def test_unrolled_backward_frames_run_from_T_to_1():
    a, fig = unrolled(20)
    names = [f.name for f in fig.frames]
    assert names[0] == "20" and names[-1] == "1" and len(names) == 20
    assert fig.layout.sliders[0].active == len(names) - 1
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == ["▶ Play", "❚❚ Pause"]
    assert tuple(fig.layout.xaxis.range) == (-0.7, 20.7)  # fixed across frames
    # The node trace of the last frame holds every adjoint, coloured by log10 of its norm.
    nodes = fig.frames[-1].data[-2]
    np.testing.assert_allclose(values(nodes.marker.color),
                               np.log10(np.linalg.norm(a.result.dL_dh, axis=1)), rtol=1e-6)
    first = fig.frames[0].data[-2]
    assert list(values(first.x)) == [20.0]


def test_unrolled_backward_caps_frames_and_payload():
    _, fig = unrolled(100)
    assert len(fig.frames) <= 100
    assert len(fig.to_json()) < 2_000_000


def test_zero_norms_are_drawn_at_the_floor():
    T = 5
    adjoint = np.array([0.0, 1e-3, 1.0, 2.0, 3.0])
    fig = sent(figures.unrolled_backward(adjoint, np.ones(T), np.append(np.ones(T - 1), 0),
                                          np.ones(T)))
    colours = values(fig.frames[-1].data[-2].marker.color)
    assert np.all(np.isfinite(colours)) and colours[0] == np.log10(figures.FLOOR)


def test_adjoint_profile_is_log_scaled_with_four_curves():
    a = ba.analyse(15, 3, 4, 3)
    fig = sent(figures.adjoint_profile(np.linalg.norm(a.result.dL_dh, axis=1),
                                        a.flow.jacobian_norms, a.flow.bound, a.flow.loose_bound))
    assert fig.layout.yaxis.type == "log" and len(fig.data) == 4
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_flow_matrix_keeps_the_upper_triangle_empty():
    a = ba.analyse(6, 2, 3, 2)
    z = values(sent(figures.flow_matrix(a.flow.per_loss_norms)).data[0].z)
    assert np.all(np.isnan(z[np.triu_indices(6, 1)]))
    assert np.all(np.isfinite(z[np.tril_indices(6)]))


def heatmaps(T, d, n, c, t):
    """The analysis of (T, d, n, c) and its gradient heatmaps with step t's terms, as sent."""
    a = ba.analyse(T, d, n, c)
    part = rnn.step_contributions(a.result, a.xs, t)
    return a, sent(figures.gradient_heatmaps(a.result.grads.arrays(), part.arrays(), t))


def test_gradient_heatmaps_two_rows_per_parameter():
    a, fig = heatmaps(6, 2, 3, 2, 3)
    assert len(fig.data) == 10
    np.testing.assert_allclose(values(fig.data[2].z), a.result.grads.W_hh)


def hue(rgb: str) -> str:
    """"orange" or "purple": which of red and blue dominates the colour "rgb(r,g,b)"."""
    red, _, blue = (int(v) for v in rgb[rgb.index("(") + 1 : -1].split(","))
    return "orange" if red > blue else "purple"


def test_gradient_heatmaps_title_names_the_colours_of_the_signs():
    """The title's "<colour> < 0 < <colour>" names the colour scale's ends: zmin = -scale
    gets the scale's first colour, zmax its last."""
    _, fig = heatmaps(6, 2, 3, 2, 3)
    for trace in fig.data:
        assert trace.zmin == -trace.zmax
    scale = fig.data[0].colorscale
    negative, positive = hue(scale[0][1]), hue(scale[-1][1])
    assert negative != positive
    assert f"{negative} < 0 < {positive}" in fig.layout.title.text


@pytest.mark.parametrize("d, n", [(2, 3), (1, 18), (64, 64)])
def test_gradient_heatmaps_panels_sit_where_make_subplots_puts_them(d, n):
    """Columns as wide as their matrices (W_sh d, W_hh n, b_h 1, W_hz n, b_z 1), to the last
    bit; titles over the top row; the row titles on the first column."""
    _, fig = heatmaps(4, d, n, 2, 2)
    widths = [d, n, 1, n, 1]
    titles = ["W<sub>sh</sub>", "W<sub>hh</sub>", "b<sub>h</sub>", "W<sub>hz</sub>",
              "b<sub>z</sub>"]
    grid = make_subplots(rows=2, cols=5, subplot_titles=titles + [""] * 5,
                         column_widths=[w / sum(widths) for w in widths],
                         horizontal_spacing=0.04, vertical_spacing=0.14)
    grid.update_annotations(font_size=12)
    for key in [k for k in grid.layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
        for prop in ("anchor", "domain"):
            assert fig.layout[key][prop] == grid.layout[key][prop], (key, prop)
        assert fig.layout[key].autorange == ("reversed" if key[0] == "y" else None)
        assert fig.layout[key].showticklabels is False
    assert fig.layout.annotations == grid.layout.annotations
    assert fig.layout.yaxis.title.text == "∂L/∂θ, sum over t"
    assert fig.layout.yaxis6.title.text == "step 2 term"
    assert [(trace.xaxis, trace.yaxis) for trace in fig.data[:2]] == [("x", "y"), ("x6", "y6")]

"""views.bptt.figures as pure functions: traces, frames, axes."""

import numpy as np
import plotly.graph_objects as go

from core import bptt_analysis as ba
from views.bptt import figures
from tests.plotly_data import values


def unrolled(T=20, **kwargs):
    """The figure as the browser receives it (its frames validated by plotly on the way)."""
    a = ba.analyse(T, 3, 4, 3, **kwargs)
    norms = ba.adjoint_edge_norms(a)
    figure = figures.unrolled_backward(norms.adjoint, norms.local, norms.recurrent, a.mask)
    return a, go.Figure(figure.to_dict())


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
    fig = go.Figure(figures.unrolled_backward(adjoint, np.ones(T), np.append(np.ones(T - 1), 0),
                                              np.ones(T)).to_dict())
    colours = values(fig.frames[-1].data[-2].marker.color)
    assert np.all(np.isfinite(colours)) and colours[0] == np.log10(figures.FLOOR)


def test_adjoint_profile_is_log_scaled_with_four_curves():
    a = ba.analyse(15, 3, 4, 3)
    fig = figures.adjoint_profile(np.linalg.norm(a.result.dL_dh, axis=1), a.flow.jacobian_norms,
                                  a.flow.bound, a.flow.loose_bound)
    assert fig.layout.yaxis.type == "log" and len(fig.data) == 4
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_flow_matrix_keeps_the_upper_triangle_empty():
    a = ba.analyse(6, 2, 3, 2)
    z = np.asarray(figures.flow_matrix(a.flow.per_loss_norms).data[0].z, dtype=float)
    assert np.all(np.isnan(z[np.triu_indices(6, 1)]))
    assert np.all(np.isfinite(z[np.tril_indices(6)]))


def test_gradient_heatmaps_two_rows_per_parameter():
    a = ba.analyse(6, 2, 3, 2)
    from core import rnn
    part = rnn.step_contributions(a.result, a.xs, 3)
    fig = figures.gradient_heatmaps(a.result.grads.arrays(), part.arrays(), 3)
    assert len(fig.data) == 10
    np.testing.assert_allclose(fig.data[2].z, a.result.grads.W_hh)

"""views.rnn_lab.figures as pure functions: traces, frames, axes, gaps, payload."""

import numpy as np
import pytest

from core import training
from views.rnn_lab import figures
from tests.plotly_data import sent, values

LABELS = ["RNN, D = 2", "RNN, D = 20", "LSTM, D = 20"]



def histories(R=3, S=40, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0.01, 2.0, (R, S)), rng.uniform(0.0, 1.0, (R, S))


def assert_titled(figure):
    assert figure.layout.title.text
    for axis in ("xaxis", "yaxis"):
        assert figure.layout[axis].title.text, axis


def assert_player(figure, frames):
    """Play/Pause buttons and a slider over the frames; never autoplay (no auto-animate)."""
    assert [b.label for b in figure.layout.updatemenus[0].buttons] == ["▶ Play", "❚❚ Pause"]
    slider = figure.layout.sliders[0]
    assert [s.label for s in slider.steps] == [f.name for f in figure.frames] == frames
    assert slider.active == len(frames) - 1


def test_training_curves_two_panels_log_loss_and_chance():
    loss, accuracy = histories()
    loss[1, 5] = 0.0  # a zero loss cannot be drawn on a log axis: a gap
    figure = sent(figures.training_curves(LABELS, loss, accuracy, 0.25))
    assert len(figure.data) == 6
    assert figure.layout.yaxis.type == "log" and figure.layout.yaxis2.type != "log"
    assert tuple(figure.layout.yaxis2.range) == (0, 1.05)
    np.testing.assert_array_equal(values(figure.data[0].y), loss[0])
    assert np.isnan(values(figure.data[1].y)[5])
    np.testing.assert_array_equal(values(figure.data[4].y), accuracy[1])
    np.testing.assert_array_equal(values(figure.data[0].x), np.arange(1, 41))
    assert [s.y0 for s in figure.layout.shapes] == [0.25]
    assert [t.name for t in figure.data[:3]] == LABELS and figure.data[3].showlegend is False
    assert_titled(figure)


@pytest.mark.parametrize("clip", [1.0, None])
def test_gradient_curves_leave_gaps_for_exact_zeros_and_draw_tau(clip):
    dL_dh1, grad_norm = histories(seed=1)
    dL_dh1[2, :10] = 0.0  # a truncated window: dL/dh_1 exactly 0
    figure = sent(figures.gradient_curves(LABELS, dL_dh1, grad_norm, clip))
    assert figure.layout.yaxis.type == figure.layout.yaxis2.type == "log"
    shown = values(figure.data[2].y)
    assert np.all(np.isnan(shown[:10])) and np.array_equal(shown[10:], dL_dh1[2, 10:])
    assert [s.y0 for s in figure.layout.shapes] == ([clip] if clip else [])


def test_flow_animation_frames_axes_and_payload():
    S, T = 300, 41
    rng = np.random.default_rng(2)
    norms = 10.0 ** rng.uniform(-9, 1, (2, S, T))
    norms[0, :, :5] = 0.0  # outside a truncated window
    figure = sent(figures.flow_animation(LABELS[1:], norms))
    names = [str(s + 1) for s in figures.frame_indices(S)]
    assert len(names) <= 100 and names[0] == "1" and names[-1] == str(S)
    assert_player(figure, names)
    # The figure opens on the last training step; every frame's y is that step's profile.
    np.testing.assert_allclose(values(figure.data[1].y), norms[1, -1])
    middle = figure.frames[len(names) // 2]
    step = int(middle.name) - 1
    np.testing.assert_allclose(values(middle.data[0].y)[5:], norms[0, step, 5:])
    assert np.all(np.isnan(values(middle.data[0].y)[:5]))
    # Fixed axes covering every frame (log10 units for the log y axis).
    low, high = figure.layout.yaxis.range
    positive = norms[norms > 0]
    assert low < np.log10(positive.min()) and high > np.log10(positive.max())
    assert figure.layout.yaxis.type == "log" and tuple(figure.layout.xaxis.range) == (0.5, 41.5)
    assert len(figure.to_json()) < 2_000_000
    assert_titled(figure)


def test_log_range_of_nothing_positive_is_a_default():
    assert figures.log_range(np.zeros(5)) == [-1.0, 1.0]


def test_truncation_errors_drop_the_exact_zeros_and_mark_k_equal_T():
    windows = np.arange(1, 22)
    errors = np.vstack([np.geomspace(0.5, 1e-6, 21), np.full(21, 0.4)])
    errors[:, -1] = 0.0
    figure = sent(figures.truncation_errors(LABELS[1:], windows, errors, 21))
    for trace, row in zip(figure.data, errors):
        shown = values(trace.y)
        assert np.isnan(shown[-1]) and np.array_equal(shown[:-1], row[:-1])
    assert figure.layout.shapes[0].x0 == 21 and figure.layout.yaxis.type == "log"
    assert_titled(figure)


def test_cliff_animation_on_the_real_cliff():
    surface = training.cliff_surface(resolution=21)
    plain = training.cliff_descent(n_steps=30)
    clipped = training.cliff_descent(n_steps=30, clip=1.0)
    paths = np.stack([plain.path, clipped.path])
    figure = sent(figures.cliff_animation(surface.w, surface.b, surface.loss,
                                           ["without", "with"], paths))
    assert_player(figure, [str(s) for s in range(31)])
    np.testing.assert_array_equal(values(figure.data[0].z), surface.loss)
    assert tuple(figure.layout.xaxis.range) == (0.0, 3.0)
    assert tuple(figure.layout.yaxis.range) == (-1.5, 1.0)
    # Frame s draws each path up to step s and its current point.
    frame = figure.frames[7]
    np.testing.assert_array_equal(values(frame.data[1].x), clipped.path[:8, 0])
    np.testing.assert_array_equal(values(frame.data[0].y), plain.path[:8, 1])
    assert list(frame.data[3].x) == [clipped.path[7, 0]]
    np.testing.assert_array_equal(values(figure.data[2].x), clipped.path[:, 0])  # opens at end
    assert_titled(figure)


def test_cliff_curves_loss_from_step_0_and_norms_from_step_1():
    plain = training.cliff_descent(n_steps=20)
    clipped = training.cliff_descent(n_steps=20, clip=0.5)
    figure = sent(figures.cliff_curves(["without", "with"],
                                        np.stack([plain.loss, clipped.loss]),
                                        np.stack([plain.grad_norm, clipped.grad_norm]), 0.5))
    assert len(figure.data) == 4 and figure.layout.yaxis2.type == "log"
    np.testing.assert_array_equal(values(figure.data[0].x), np.arange(21))
    np.testing.assert_array_equal(values(figure.data[3].y), clipped.grad_norm)
    np.testing.assert_array_equal(values(figure.data[3].x), np.arange(1, 21))
    assert [s.y0 for s in figure.layout.shapes] == [0.5]

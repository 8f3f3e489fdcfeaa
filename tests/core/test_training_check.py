"""core.training.truncated_objective and check_batch_gradient: the live oracle of the RNN lab."""

import numpy as np
import pytest

from core import gradcheck, lstm, rnn
from core import training as tr


def problem(cell, N=3, T=7, d=3, n=4, c=3, seed=0):
    """Perturbed parameters, inputs, labels and a loss mask with the last step always on."""
    rng = np.random.default_rng(seed)
    params = tr.init_cell(cell, d, n, c, seed=seed, sigma=1.2)
    params = type(params)(**{k: v + rng.normal(0.0, 0.2, v.shape)
                             for k, v in tr.arrays_of(params).items()})
    xs, ys = rng.normal(size=(N, T, d)), rng.integers(0, c, size=(N, T))
    mask = (rng.uniform(size=(N, T)) < 0.5) * 1.0
    mask[:, -1] = 1.0
    return params, xs, ys, mask


def per_sequence_loss(params, xs, ys, mask):
    """J = sum_i L_i / sum m, each L_i by core.rnn.loss or core.lstm.lstm_loss on its own."""
    one = lstm.lstm_loss if isinstance(params, lstm.LSTMParams) else rnn.loss
    return sum(one(params, x, y, mask=m) for x, y, m in zip(xs, ys, mask)) / mask.sum()


@pytest.mark.parametrize("cell", tr.CELLS)
@pytest.mark.parametrize("k", [None, 2, 7, 20])
def test_the_objective_is_the_loss_at_the_frozen_point(cell, k):
    params, xs, ys, mask = problem(cell)
    objective = tr.truncated_objective(params, xs, ys, mask, k)
    assert objective(tr.arrays_of(params)) == pytest.approx(
        per_sequence_loss(params, xs, ys, mask), rel=1e-12)


@pytest.mark.parametrize("cell", tr.CELLS)
def test_full_objective_is_the_loss_everywhere(cell):
    params, xs, ys, mask = problem(cell, seed=1)
    moved = type(params)(**{k: v * 1.3 for k, v in tr.arrays_of(params).items()})
    objective = tr.truncated_objective(params, xs, ys, mask, None)
    assert objective(tr.arrays_of(moved)) == pytest.approx(
        per_sequence_loss(moved, xs, ys, mask), rel=1e-12)


@pytest.mark.parametrize("cell", tr.CELLS)
@pytest.mark.parametrize("k", [None, 1, 3])
def test_bptt_passes_its_check_and_the_check_is_not_vacuous(cell, k):
    params, xs, ys, mask = problem(cell, seed=2)
    report = tr.check_batch_gradient(params, xs, ys, mask, truncation=k, limit=6, seed=3)
    assert set(report) == set(tr.arrays_of(params))
    assert all(r["checked"] == min(6, r["total"]) for r in report.values())
    assert max(r["relative_error"] for r in report.values()) <= 1e-6
    # A gradient of the wrong objective fails the same check: the truncated gradient
    # against the full loss, or the full gradient against a truncated one.
    wrong_k = 1 if k is None else None
    wrong = tr.batch_gradient(params, xs, ys, mask, truncation=wrong_k)
    against = gradcheck.check_gradients(tr.truncated_objective(params, xs, ys, mask, k),
                                        tr.arrays_of(params), tr.arrays_of(wrong.grads), limit=6)
    assert max(r["relative_error"] for r in against.values()) > 1e-3


@pytest.mark.parametrize("cell", tr.CELLS)
@pytest.mark.parametrize("k", [None, 2, 7])
def test_the_stacked_objective_is_the_objective_at_each_point(cell, k):
    params, xs, ys, mask = problem(cell, seed=4)
    objective = tr.truncated_objective(params, xs, ys, mask, k)
    stacked = tr.truncated_objective_stack(params, xs, ys, mask, k)
    rng = np.random.default_rng(5)
    arrays = tr.arrays_of(params)
    for name, value in arrays.items():
        points = value + rng.normal(0.0, 0.3, (3, *value.shape))
        expected = [objective({**arrays, name: point}) for point in points]
        np.testing.assert_allclose(stacked(name, points), expected, rtol=1e-12)


@pytest.mark.parametrize("cell", tr.CELLS)
@pytest.mark.parametrize("k", [None, 3])
def test_differences_of_stacked_losses_are_those_one_loss_at_a_time(cell, k):
    params, xs, ys, mask = problem(cell, seed=6)
    objective = tr.truncated_objective(params, xs, ys, mask, k)
    stacked = tr.truncated_objective_stack(params, xs, ys, mask, k)
    arrays = tr.arrays_of(params)
    for name, value in arrays.items():
        indices = np.arange(0, value.size, 2)
        one = gradcheck.central_difference(
            lambda x, name=name: objective({**arrays, name: x}), value, indices)
        many = gradcheck.central_difference(None, value, indices,
                                            many=lambda X, name=name: stacked(name, X))
        np.testing.assert_allclose(many, one, rtol=1e-6, atol=1e-8)
        assert np.abs(one).max() > 1e-3  # not vacuous
    report = tr.check_batch_gradient(params, xs, ys, mask, truncation=k, limit=4, seed=7)
    assert max(r["relative_error"] for r in report.values()) <= 1e-6

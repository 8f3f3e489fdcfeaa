"""core.workspace and the batch BPTTs that reuse its arrays: a reused workspace must give
exactly the results of fresh arrays (no value of an earlier call may leak into a later one)."""

import numpy as np
import pytest

from core import lstm, rnn
from core import training as tr
from core.workspace import Workspace


def test_same_name_and_shape_is_the_same_array_another_shape_a_new_one():
    work = Workspace()
    first = work.array("h", (3, 4))
    assert work.array("h", (3, 4)) is first
    other = work.array("h", (4, 3))
    assert other.shape == (4, 3) and other is not first
    assert work.array("c", (4, 3)) is not other


def problem(cell, seed, N=4, T=6, d=3, n=5, c=3):
    rng = np.random.default_rng(seed)
    params = tr.init_cell(cell, d, n, c, seed=seed, sigma=1.3)
    mask = (rng.uniform(size=(N, T)) < 0.5) * 1.0
    mask[:, -1] = 1.0
    return params, rng.normal(size=(N, T, d)), rng.integers(0, c, size=(N, T)), mask


def bptt(params, xs, ys, mask, workspace):
    if isinstance(params, lstm.LSTMParams):
        return lstm.lstm_bptt_batch(params, xs, ys, mask=mask, workspace=workspace)
    return rnn.bptt_batch(params, xs, ys, None, mask, workspace=workspace)


@pytest.mark.parametrize("cell", tr.CELLS)
def test_a_reused_workspace_gives_exactly_the_fresh_results(cell):
    """Two calls in one workspace (other parameters and data, same shapes): the second's
    loss, gradients, adjoints and forward arrays equal those of a call with fresh arrays,
    bit for bit."""
    work = Workspace()
    bptt(*problem(cell, 0), work)
    second = problem(cell, 1)
    reused, fresh = bptt(*second, work), bptt(*second, None)
    assert reused.loss == fresh.loss
    for name in fresh.grads.names:
        np.testing.assert_array_equal(getattr(reused.grads, name), getattr(fresh.grads, name))
    for key in ("dL_dh", "dL_du"):
        np.testing.assert_array_equal(getattr(reused, key), getattr(fresh, key))
    for key in ("h", "h_prev", "log_z"):
        np.testing.assert_array_equal(getattr(reused.forward, key), getattr(fresh.forward, key))


@pytest.mark.parametrize("cell", tr.CELLS)
def test_a_training_step_in_a_workspace_is_the_step_without(cell):
    """batch_gradient with and without a workspace (full BPTT, after an earlier call in it)."""
    work = Workspace()
    params, xs, ys, mask = problem(cell, 2)
    tr.batch_gradient(params, xs, ys, mask, workspace=work)
    params, xs, ys, mask = problem(cell, 3)
    reused = tr.batch_gradient(params, xs, ys, mask, workspace=work)
    fresh = tr.batch_gradient(params, xs, ys, mask)
    assert (reused.loss, reused.accuracy) == (fresh.loss, fresh.accuracy)
    np.testing.assert_array_equal(reused.dL_dh, fresh.dL_dh)
    for name in fresh.grads.names:
        np.testing.assert_array_equal(getattr(reused.grads, name), getattr(fresh.grads, name))

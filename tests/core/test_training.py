"""core.training: truncated BPTT, clipping, optimizers, the training facts, the one-unit cliff."""

import numpy as np
import pytest

from core import gradcheck, lstm, rnn
from core import training as tr
from core.tasks import make_task


def batch_problem(cell, N=3, T=8, d=3, n=4, c=3, seed=0, loss_every_step=False):
    """Perturbed initial parameters of either cell, inputs, labels and a loss mask."""
    rng = np.random.default_rng(seed)
    params = tr.init_cell(cell, d, n, c, seed=seed, sigma=1.2)
    params = type(params)(**{k: v + rng.normal(0.0, 0.2, v.shape)
                             for k, v in tr.arrays_of(params).items()})
    xs, ys = rng.normal(size=(N, T, d)), rng.integers(0, c, size=(N, T))
    mask = np.ones((N, T)) if loss_every_step else (rng.uniform(size=(N, T)) < 0.5) * 1.0
    mask[:, -1] = 1.0
    return params, xs, ys, mask


def flat(grads):
    """All gradient arrays as one vector."""
    return np.concatenate([g.ravel() for g in tr.arrays_of(grads).values()])


def single_loss(params, x, y, mask, h0=None, c0=None):
    """One sequence's L, by core.rnn or core.lstm (h0, c0 of shape (n,) or None)."""
    if isinstance(params, lstm.LSTMParams):
        return lstm.lstm_loss(params, x, y, h0, c0, mask)
    return rnn.loss(params, x, y, h0, mask)


def states_after(params, x):
    """[h_0..h_T] (and [c_0..c_T]) of one sequence from zero, each (T + 1, n)."""
    if isinstance(params, lstm.LSTMParams):
        f = lstm.lstm_forward(params, x)
        return np.vstack([f.h_prev[:1], f.h]), np.vstack([f.c_prev[:1], f.c])
    f = rnn.forward(params, x)
    return np.vstack([f.h_prev[:1], f.h]), None


def truncated_objective(frozen, xs, ys, mask, k):
    """J_k(theta): every loss L_t run from the state s_{t-k} of the *frozen* parameters.

    Its exact gradient at theta = frozen is the truncated gradient by definition; central
    differences of it are the oracle.
    """
    states = [states_after(frozen, x) for x in xs]

    def loss_of(arrays):
        params = type(frozen)(**arrays)
        total = 0.0
        for x, y, m, (h, c) in zip(xs, ys, mask, states):
            for t in np.nonzero(m)[0]:  # 0-based row of step t + 1
                start = max(0, t - k + 1)
                one = np.zeros(t + 1 - start)
                one[-1] = m[t]
                total += single_loss(params, x[start : t + 1], y[start : t + 1], one,
                                     h[start] if start else None,
                                     None if c is None or not start else c[start])
        return total / mask.sum()

    return loss_of


@pytest.mark.parametrize("cell", tr.CELLS)
def test_full_gradient_is_the_mean_of_per_sequence_bptt(cell):
    params, xs, ys, mask = batch_problem(cell)
    g = tr.batch_gradient(params, xs, ys, mask)
    bptt = lstm.lstm_bptt if cell == "lstm" else rnn.bptt
    singles = [bptt(params, x, y, mask=m) for x, y, m in zip(xs, ys, mask)]
    assert g.loss == pytest.approx(sum(s.loss for s in singles) / mask.sum(), rel=1e-12)
    for name, value in tr.arrays_of(g.grads).items():
        expected = sum(getattr(s.grads, name) for s in singles) / mask.sum()
        np.testing.assert_allclose(value, expected, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(g.dL_dh, np.stack([s.dL_dh for s in singles]), atol=1e-15)


@pytest.mark.parametrize("cell", tr.CELLS)
@pytest.mark.parametrize("k_over_T", [0, 5])
def test_truncated_bptt_equals_full_bptt_when_k_at_least_T(cell, k_over_T):
    params, xs, ys, mask = batch_problem(cell, T=9, seed=1, loss_every_step=True)
    full = tr.batch_gradient(params, xs, ys, mask)
    truncated = tr.batch_gradient(params, xs, ys, mask, truncation=9 + k_over_T)
    for name, value in tr.arrays_of(full.grads).items():
        np.testing.assert_array_equal(getattr(truncated.grads, name), value)
    np.testing.assert_array_equal(truncated.dL_dh, full.dL_dh)
    assert truncated.loss == full.loss


@pytest.mark.parametrize("cell", tr.CELLS)
@pytest.mark.parametrize("k", [1, 3, 7])
def test_truncated_bptt_matches_central_differences_of_its_definition(cell, k):
    params, xs, ys, mask = batch_problem(cell, N=2, T=8, d=2, n=3, c=3, seed=k)
    truncated = tr.batch_gradient(params, xs, ys, mask, truncation=k)
    report = gradcheck.check_gradients(truncated_objective(params, xs, ys, mask, k),
                                       tr.arrays_of(params), tr.arrays_of(truncated.grads))
    assert max(r["relative_error"] for r in report.values()) <= 1e-6
    full = tr.batch_gradient(params, xs, ys, mask)
    assert gradcheck.relative_error(flat(truncated.grads), flat(full.grads)) > 1e-6  # not vacuous
    assert truncated.loss == pytest.approx(full.loss, rel=1e-12)  # the loss is never truncated


def test_truncation_error_curve_is_zero_once_k_reaches_T():
    params, xs, ys, mask = batch_problem("rnn", T=10, seed=2, loss_every_step=True)
    curve = tr.truncation_error_curve(params, xs, ys, mask)
    assert curve.windows.tolist() == list(range(1, 11))
    assert curve.relative_error[-1] == 0.0 and curve.relative_error[0] > 1e-2
    assert set(curve.per_array) == set(params.names)
    assert np.all(curve.per_array["W_hz"] <= 1e-14)  # the readout never looks back in time
    # One loss at the end, a contracting network: each extra step of window helps.
    params = rnn.init_params(3, 4, 3, sigma=0.6, seed=3)
    _, xs, ys, _ = batch_problem("rnn", T=10, seed=3)
    last = np.zeros((3, 10))
    last[:, -1] = 1.0
    error = tr.truncation_error_curve(params, xs, ys, last).relative_error
    assert np.all(np.diff(error) < 0) and error[-1] == 0.0


@pytest.mark.parametrize("cell", tr.CELLS)
@pytest.mark.parametrize("loss_row", [7, 4])
def test_truncation_error_curve_of_one_loss_step_matches_one_bptt_per_window(cell, loss_row):
    """The one-BPTT curve (every loss at one step) against batch_gradient per window, whose
    truncated gradients are checked against central differences above."""
    params, xs, ys, _ = batch_problem(cell, T=8, seed=5)
    mask = np.zeros((3, 8))
    mask[:, loss_row] = [1.0, 0.0, 1.0]
    curve = tr.truncation_error_curve(params, xs, ys, mask, windows=np.arange(1, 11))
    full = tr.batch_gradient(params, xs, ys, mask).grads
    for k, error in zip(curve.windows, curve.relative_error):
        truncated = tr.batch_gradient(params, xs, ys, mask, truncation=int(k)).grads
        expected = gradcheck.relative_error(flat(truncated), flat(full))
        assert abs(error - expected) <= 1e-12 + 1e-9 * expected, (k, error, expected)
        for name in params.names:
            assert curve.per_array[name][k - 1] == pytest.approx(gradcheck.relative_error(
                getattr(truncated, name), getattr(full, name)), rel=1e-9, abs=1e-12)
    assert np.all(curve.relative_error[loss_row:] == 0.0)  # the window reaches h_0: exact
    assert curve.relative_error[0] > 1e-3  # not vacuous


@pytest.mark.parametrize("seed", range(30))
def test_clipping_never_lets_the_global_norm_exceed_the_threshold(seed):
    rng = np.random.default_rng(seed)
    shapes = lstm.init_lstm_params(int(rng.integers(1, 6)), int(rng.integers(1, 6)),
                                   int(rng.integers(2, 6))).arrays()
    scale = 10.0 ** rng.uniform(-200, 200)
    grads = lstm.LSTMParams(**{k: scale * rng.standard_normal(v.shape) for k, v in shapes.items()})
    norm = np.sqrt(sum(np.sum((g / scale) ** 2) for g in grads.arrays().values())) * scale
    for threshold in (norm * 0.5, norm * (1 - 1e-15), norm * 1.5, scale * 1e-3):
        clipped, before, after = tr.clip_by_global_norm(grads, threshold)
        assert before == pytest.approx(norm, rel=1e-12)
        assert after == tr.global_norm(clipped) <= threshold
        cosine = sum(np.vdot(a / scale, b / scale) for a, b in
                     zip(grads.arrays().values(), clipped.arrays().values()))
        assert cosine / (norm / scale) / (after / scale) == pytest.approx(1.0, abs=1e-12)
        if threshold >= norm:
            assert clipped is grads
    assert tr.clip_by_global_norm(grads, None)[0] is grads
    for bad in (np.inf, np.nan):
        broken = lstm.LSTMParams(**(grads.arrays() | {"b": np.full_like(grads.b, bad)}))
        zeroed, before, after = tr.clip_by_global_norm(broken, 1.0)
        assert before == np.inf and after == 0.0 == tr.global_norm(zeroed)


def test_optimizers_against_closed_forms_for_a_constant_gradient():
    params = rnn.init_params(2, 3, 2, seed=0)
    g = rnn.init_params(2, 3, 2, seed=1)
    lr, steps = 0.1, 5
    results = {}
    for name in tr.OPTIMIZERS:
        opt, p = tr.Optimizer(name, lr), params
        for _ in range(steps):
            p = opt.update(p, g)
        results[name] = p
    mu = tr.MOMENTUM
    momentum_sum = sum((1 - mu ** (s + 1)) / (1 - mu) for s in range(steps))
    for key, theta in params.arrays().items():
        grad = getattr(g, key)
        np.testing.assert_allclose(results["sgd"].arrays()[key], theta - steps * lr * grad)
        np.testing.assert_allclose(results["momentum"].arrays()[key],
                                   theta - lr * momentum_sum * grad, rtol=1e-12)
        # Adam with a constant g: m-hat = g, v-hat = g^2, so each step is g / (|g| + eps).
        np.testing.assert_allclose(results["adam"].arrays()[key],
                                   theta - steps * lr * grad / (np.abs(grad) + tr.ADAM_EPSILON),
                                   rtol=1e-12)
    with pytest.raises(ValueError):
        tr.Optimizer("rmsprop", 0.1)


def test_training_history_shapes_clipping_and_reproducibility():
    calls = []
    kwargs = dict(delay=4, n_hidden=8, n_steps=12, batch_size=4, clip=0.05, eval_size=20,
                  seed=5)
    run = tr.train("lstm", on_step=lambda s, total: calls.append((s, total)), **kwargs)
    assert calls == [(s, 12) for s in range(1, 13)]
    assert run.loss.shape == run.accuracy.shape == run.grad_norm.shape == (12,)
    assert run.dL_dh_norms.shape == (12, 5) and run.dL_dh1_norm.shape == (12,)
    assert np.all(run.clipped_grad_norm <= 0.05) and np.any(run.grad_norm > 0.05)
    assert run.evaluation.xs.shape == (20, 5, 5) and run.chance == 0.25
    again = tr.train("lstm", **kwargs)
    np.testing.assert_array_equal(again.loss, run.loss)
    np.testing.assert_array_equal(again.params.W_h, run.params.W_h)
    # The initialisation and the evaluation set do not depend on the number of steps.
    shorter = tr.train("lstm", **{**kwargs, "n_steps": 3})
    np.testing.assert_array_equal(shorter.initial_params.W_h, run.initial_params.W_h)
    np.testing.assert_array_equal(shorter.evaluation.xs, run.evaluation.xs)
    np.testing.assert_array_equal(shorter.loss, run.loss[:3])
    assert tr.evaluate(run.params, run.evaluation) == (run.eval_loss, run.eval_accuracy)


def test_training_with_a_window_shorter_than_the_delay_cannot_see_the_token():
    run = tr.train("rnn", delay=6, truncation=3, n_steps=5, batch_size=4, eval_size=10)
    # Only the last 3 steps of each sequence receive an adjoint, so dL/dh_1 is exactly 0.
    assert np.all(run.dL_dh_norms[:, :4] == 0.0) and np.all(run.dL_dh_norms[:, -1] > 0)


@pytest.mark.parametrize("seed", [0, 1])
def test_defaults_recall_short_delay_rnn_learns(seed):
    run = tr.train("rnn", delay=2, seed=seed)
    assert run.eval_accuracy > 0.95 and run.config["n_steps"] == tr.DEFAULTS["n_steps"]


@pytest.mark.parametrize("seed", [0, 1])
def test_defaults_recall_long_delay_rnn_near_chance_lstm_clearly_better(seed):
    rnn_run = tr.train("rnn", delay=30, seed=seed)
    lstm_run = tr.train("lstm", delay=30, seed=seed)
    assert abs(rnn_run.eval_accuracy - rnn_run.chance) < 0.08
    assert lstm_run.eval_accuracy > 0.9
    # Why: at the start (both losses near log 4) the RNN's adjoint has all but vanished by the
    # time it reaches h_1, where the token was shown; the LSTM's arrives.
    def reach(run):  # ||dL/dh_1|| / ||dL/dh_T|| over the first 20 steps
        return (run.dL_dh_norms[:20, 0] / run.dL_dh_norms[:20, -1]).mean()

    assert reach(rnn_run) < 1e-5 and reach(lstm_run) > 1e-2


def test_cliff_surface_matches_one_unit_rnns_run_one_by_one():
    surface = tr.cliff_surface(resolution=21)
    assert surface.loss.shape == surface.h_T.shape == (21, 21)
    rng = np.random.default_rng(0)
    k, target = tr.CLIFF_GAIN, tr.CLIFF_TARGET
    for j, i in rng.integers(0, 21, size=(12, 2)):
        w, b = surface.w[i], surface.b[j]
        h = tr.CLIFF_H0
        for _ in range(tr.CLIFF_LENGTH):  # the scalar recursion, by hand
            h = np.tanh(w * h + b)
        by_hand = np.log1p(np.exp(k * (target - h)) + np.exp(k * (h - target)))
        assert surface.h_T[j, i] == pytest.approx(h, rel=1e-12, abs=1e-14)
        assert surface.loss[j, i] == pytest.approx(by_hand, rel=1e-12)
        assert tr.cliff_loss(w, b) == pytest.approx(by_hand, rel=1e-12)
    assert surface.loss.min() >= np.log(3) - 1e-12


def test_cliff_descent_gradients_and_the_catapult():
    plain = tr.cliff_descent()  # defaults: start below the wall, lr 0.1, no clipping
    clipped = tr.cliff_descent(clip=1.0)
    lr = 0.1
    # The gradients it follows are those of cliff_loss (central differences).
    w, b = plain.path[0]
    numeric = [gradcheck.central_difference(lambda v: tr.cliff_loss(v[0], b), np.array([w]))[0],
               gradcheck.central_difference(lambda v: tr.cliff_loss(w, v[0]), np.array([b]))[0]]
    step = (plain.path[0] - plain.path[1]) / lr
    assert gradcheck.relative_error(step, numeric) <= 1e-6
    # Without clipping, one step on the wall throws (w, b) far away; with it, steps stay small.
    jumps = np.linalg.norm(np.diff(plain.path, axis=0), axis=1)
    assert plain.grad_norm.max() > 100 and jumps.max() > 10
    assert np.all(np.linalg.norm(np.diff(clipped.path, axis=0), axis=1) <= lr * 1.0 + 1e-12)
    assert np.all(clipped.clipped_grad_norm <= 1.0)
    assert clipped.loss[-1] == pytest.approx(np.log(3), abs=1e-3)  # the valley's floor
    assert plain.loss[-1] > clipped.loss[-1] + 0.1  # stranded on a plateau far away


def test_training_step_on_recall_matches_make_task_shapes():
    data = make_task("adding", length=6, delay=3, n_sequences=4, seed=0)
    params = tr.init_cell("rnn", data.n_inputs, 5, data.n_classes)
    g = tr.batch_gradient(params, data.xs, data.ys, data.mask, truncation=2)
    assert g.n_loss_steps == 4 and g.dL_dh.shape == (4, 6, 5)
    with pytest.raises(ValueError):
        tr.batch_gradient(params, data.xs, data.ys, data.mask, truncation=0)
    with pytest.raises(ValueError):
        tr.init_cell("gru", 2, 3, 4)

"""core.lstm against central differences and a step-by-step implementation of the equations."""

import numpy as np
import pytest
from scipy.special import expit, logsumexp

from core import gradcheck, lstm

SHAPES = [  # (T, d, n, c): T = 1, d != n, c = 2, ...
    (1, 3, 4, 2), (2, 1, 1, 2), (5, 3, 4, 2), (7, 4, 3, 5), (10, 2, 6, 3), (4, 6, 2, 10),
]


def problem(T, d, n, c, seed=0):
    """Random parameters (biases and gates away from their initial values), a sequence, h0,
    c0 and a loss mask with some steps off."""
    rng = np.random.default_rng(seed)
    params = lstm.init_lstm_params(d, n, c, seed=seed, forget_bias=1.0)
    params = lstm.LSTMParams(**{k: v + rng.normal(0.0, 0.3, v.shape)
                                for k, v in params.arrays().items()})
    xs = rng.normal(size=(T, d))
    ys = rng.integers(0, c, size=T)
    h0, c0 = 0.5 * rng.normal(size=n), rng.normal(size=n)
    mask = (rng.uniform(size=T) < 0.7).astype(float)
    mask[-1] = 1.0
    return params, xs, ys, h0, c0, mask


def naive(params, xs, ys, h0, c0, mask):
    """The module docstring's equations one step at a time, nothing shared with core.lstm."""
    n = params.W_h.shape[1]
    h, c, total, hs = h0, c0, 0.0, []
    for x, y, m in zip(xs, ys, mask):
        a = params.W_x @ x + params.W_h @ h + params.b
        i, f = expit(a[:n]), expit(a[n : 2 * n])
        g, o = np.tanh(a[2 * n : 3 * n]), expit(a[3 * n :])
        c = f * c + i * g
        h = o * np.tanh(c)
        u = params.W_hz @ h + params.b_z
        total += m * (logsumexp(u) - u[y])
        hs.append(h)
    return np.array(hs), total


def test_init_shapes_gate_order_and_forget_bias():
    params = lstm.init_lstm_params(3, 5, 4, seed=2, forget_bias=2.5)
    shapes = {k: v.shape for k, v in params.arrays().items()}
    assert shapes == {"W_x": (20, 3), "W_h": (20, 5), "b": (20,), "W_hz": (4, 5), "b_z": (4,)}
    expected_b = np.zeros(20)
    expected_b[5:10] = 2.5  # blocks input, forget, cell candidate, output
    assert np.array_equal(params.b, expected_b) and np.all(params.b_z == 0)
    assert lstm.init_lstm_params(3, 5, 4).b[5:10].tolist() == [1.0] * 5  # the default, 1
    assert params.size == 20 * 3 + 20 * 5 + 20 + 4 * 5 + 4
    assert all(a.dtype == np.float64 for a in params.arrays().values())
    with pytest.raises(AttributeError):
        params.b = np.zeros(20)


@pytest.mark.parametrize("T,d,n,c", SHAPES)
def test_forward_and_loss_match_the_equations(T, d, n, c):
    params, xs, ys, h0, c0, mask = problem(T, d, n, c)
    hs, total = naive(params, xs, ys, h0, c0, mask)
    fwd = lstm.lstm_forward(params, xs, h0, c0)
    np.testing.assert_allclose(fwd.h, hs, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(fwd.h_prev[0], h0)
    np.testing.assert_allclose(fwd.c_prev[0], c0)
    assert fwd.gates.shape == (T, 4 * n) and fwd.z.shape == (T, c)
    assert lstm.lstm_loss(params, xs, ys, h0, c0, mask) == pytest.approx(total, rel=1e-12)
    assert lstm.lstm_bptt(params, xs, ys, h0, c0, mask).loss == pytest.approx(total, rel=1e-12)


@pytest.mark.parametrize("T,d,n,c", SHAPES)
@pytest.mark.parametrize("with_state", [True, False])
def test_bptt_matches_central_differences(T, d, n, c, with_state):
    params, xs, ys, h0, c0, mask = problem(T, d, n, c, seed=T + n)
    if not with_state:
        h0 = c0 = mask = None
    result = lstm.lstm_bptt(params, xs, ys, h0, c0, mask)

    def loss_of(arrays):
        return lstm.lstm_loss(lstm.LSTMParams(**arrays), xs, ys, h0, c0, mask)

    report = gradcheck.check_gradients(loss_of, params.arrays(), result.grads.arrays())
    for name, r in report.items():
        assert r["checked"] == r["total"]
        assert r["relative_error"] <= 1e-6, (name, r)
    assert result.dL_dh.shape == result.dL_dc.shape == (T, n)
    assert result.dL_da.shape == (T, 4 * n) and result.dL_du.shape == (T, c)


@pytest.mark.parametrize("seed", range(4))
def test_adjoints_of_the_initial_state_match_central_differences(seed):
    """dL/dh_0 = W_h^T dL/da_1 and dL/dc_0 = f_1 * dL/dc_1: the recursion one step past t = 1."""
    rng = np.random.default_rng(seed)
    T, d, n, c = rng.integers(1, 9), rng.integers(1, 5), rng.integers(1, 5), rng.integers(2, 5)
    params, xs, ys, h0, c0, mask = problem(T, d, n, c, seed=seed)
    r = lstm.lstm_bptt(params, xs, ys, h0, c0, mask)
    dL_dh0 = r.dL_da[0] @ params.W_h
    dL_dc0 = r.forward.gates[0, n : 2 * n] * r.dL_dc[0]
    numeric_h = gradcheck.central_difference(
        lambda h: lstm.lstm_loss(params, xs, ys, h, c0, mask), h0)
    numeric_c = gradcheck.central_difference(
        lambda cell: lstm.lstm_loss(params, xs, ys, h0, cell, mask), c0)
    assert gradcheck.relative_error(dL_dh0, numeric_h) <= 1e-6
    assert gradcheck.relative_error(dL_dc0, numeric_c) <= 1e-6


def test_batch_is_the_sum_of_single_sequences():
    rng = np.random.default_rng(4)
    N, T, d, n, c = 5, 7, 3, 4, 3
    params = problem(T, d, n, c)[0]
    xs, ys = rng.normal(size=(N, T, d)), rng.integers(0, c, size=(N, T))
    h0, c0 = rng.normal(size=(N, n)), rng.normal(size=(N, n))
    mask = (rng.uniform(size=(N, T)) < 0.6).astype(float)
    batch = lstm.lstm_bptt_batch(params, xs, ys, h0, c0, mask)
    singles = [lstm.lstm_bptt(params, xs[i], ys[i], h0[i], c0[i], mask[i]) for i in range(N)]
    assert batch.loss == pytest.approx(sum(s.loss for s in singles), rel=1e-12)
    for name in params.names:
        np.testing.assert_allclose(getattr(batch.grads, name),
                                   sum(getattr(s.grads, name) for s in singles),
                                   rtol=1e-10, atol=1e-13)
    for i, s in enumerate(singles):
        np.testing.assert_allclose(batch.dL_dh[i], s.dL_dh, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(batch.forward.c[i], s.forward.c, rtol=1e-12)


def test_masked_steps_carry_no_loss_and_sigmoid_is_stable():
    params, xs, ys, h0, c0, _ = problem(6, 2, 3, 3)
    mask = np.zeros(6)
    r = lstm.lstm_bptt(params, xs, ys, h0, c0, mask)
    assert r.loss == 0.0 and all(np.all(g == 0) for g in r.grads.arrays().values())
    a = np.array([-1e4, -50.0, -3.0, 0.0, 0.7, 50.0, 1e4])
    with np.errstate(all="raise"):  # no overflow for any input
        np.testing.assert_allclose(lstm.sigmoid(a), expit(a), rtol=0, atol=2e-16)

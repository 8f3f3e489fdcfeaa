"""core.rnn against independent oracles: central differences, forward mode, explicit loops."""

import numpy as np
import pytest
from scipy.special import logsumexp

from core import gradcheck, rnn

SHAPES = [  # (T, d, n, c): d != n, T = 1, c = 2, ...
    (1, 3, 4, 2), (2, 1, 1, 2), (5, 3, 4, 2), (7, 4, 3, 5), (12, 2, 6, 3), (4, 6, 2, 10),
]


def problem(T, d, n, c, seed=0, **kwargs):
    params = rnn.init_params(d, n, c, seed=seed, **kwargs)
    xs, ys = rnn.random_sequence(T, d, c, seed=seed + 100)
    return params, xs, ys


def naive_forward(params, xs, h0):
    """The equations of the seed, one step at a time, nothing shared with core.rnn."""
    h, hs, zs = h0, [], []
    for x in xs:
        h = np.tanh(params.W_sh @ x + params.W_hh @ h + params.b_h)
        u = params.W_hz @ h + params.b_z
        zs.append(np.exp(u - logsumexp(u)))
        hs.append(h)
    return np.array(hs), np.array(zs)


@pytest.mark.parametrize("init", rnn.INITS)
@pytest.mark.parametrize("sigma", [0.1, 1.0, 3.0])
def test_init_params_sets_sigma_max_and_shapes(init, sigma):
    params = rnn.init_params(3, 5, 4, sigma=sigma, init=init, seed=1)
    assert np.linalg.norm(params.W_hh, 2) == pytest.approx(sigma, rel=1e-12)
    shapes = {k: v.shape for k, v in params.arrays().items()}
    assert shapes == {"W_sh": (5, 3), "W_hh": (5, 5), "b_h": (5,), "W_hz": (4, 5), "b_z": (4,)}
    if init == "diagonal":
        assert np.count_nonzero(params.W_hh - np.diag(np.diag(params.W_hh))) == 0
    if init == "orthogonal":
        assert np.allclose(np.linalg.svd(params.W_hh, compute_uv=False), sigma)


def test_params_are_frozen_float64():
    params = rnn.init_params(2, 3, 2)
    with pytest.raises(AttributeError):
        params.W_hh = np.eye(3)
    assert all(a.dtype == np.float64 for a in params.arrays().values())
    assert params.size == 3 * 2 + 9 + 3 + 2 * 3 + 2


@pytest.mark.parametrize("T,d,n,c", SHAPES)
def test_forward_matches_the_equations_step_by_step(T, d, n, c):
    params, xs, _ = problem(T, d, n, c)
    h0 = np.random.default_rng(5).normal(size=n)
    fwd = rnn.forward(params, xs, h0)
    hs, zs = naive_forward(params, xs, h0)
    np.testing.assert_allclose(fwd.h, hs, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(fwd.z, zs, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(fwd.h_prev[0], h0)
    assert fwd.v.shape == (T, n) and fwd.u.shape == (T, c)



@pytest.mark.parametrize("T, d, n, c", SHAPES)
def test_losses_at_many_points_are_the_loss_point_by_point(T, d, n, c):
    params, xs, ys = problem(T, d, n, c, sigma=1.5)
    rng = np.random.default_rng(6)
    mask = rng.integers(0, 2, T).astype(float)
    for name, array in params.arrays().items():
        values = array + 0.1 * rng.normal(size=(6, *array.shape))
        expected = [rnn.loss(params.replace(**{name: value}), xs, ys, mask=mask)
                    for value in values]
        np.testing.assert_allclose(rnn.losses(params, xs, ys, name, values, mask=mask),
                                   expected, rtol=1e-12)

def test_loss_is_stable_for_huge_logits():
    params, xs, ys = problem(6, 3, 4, 3)
    huge = params.replace(W_hz=params.W_hz * 1e4 / np.abs(params.W_hz).max())
    value = rnn.loss(huge, xs, ys)
    fwd = rnn.forward(huge, xs)
    assert np.abs(fwd.u).max() > 1e3
    expected = sum(logsumexp(u) - u[y] for u, y in zip(fwd.u, ys))
    assert np.isfinite(value) and value == pytest.approx(expected, rel=1e-12)


def fd_report(params, xs, ys, h0=None, mask=None):
    result = rnn.bptt(params, xs, ys, h0, mask=mask)

    def loss_of(arrays):
        return rnn.loss(rnn.RNNParams(**arrays), xs, ys, h0, mask=mask)

    return result, gradcheck.check_gradients(loss_of, params.arrays(), result.grads.arrays())


@pytest.mark.parametrize("T,d,n,c", SHAPES)
@pytest.mark.parametrize("init", rnn.INITS)
def test_bptt_matches_central_differences(T, d, n, c, init):
    params, xs, ys = problem(T, d, n, c, init=init, sigma=1.3)
    h0 = np.random.default_rng(7).normal(size=n) * 0.5
    result, report = fd_report(params, xs, ys, h0)
    for name, r in report.items():
        assert r["checked"] == r["total"]
        assert r["relative_error"] <= 1e-6, (name, r)
    manual = sum(-np.log(z[y]) for z, y in zip(naive_forward(params, xs, h0)[1], ys))
    assert result.loss == pytest.approx(manual, rel=1e-12)


def test_bptt_with_a_loss_mask_matches_central_differences():
    params, xs, ys = problem(9, 3, 5, 4, sigma=1.5)
    mask = np.zeros(9)
    mask[[2, 8]] = 1.0
    result, report = fd_report(params, xs, ys, mask=mask)
    assert max(r["relative_error"] for r in report.values()) <= 1e-6
    assert np.all(result.dL_du[mask == 0] == 0)


@pytest.mark.parametrize("seed", range(6))
def test_bptt_matches_forward_mode_on_random_shapes(seed):
    rng = np.random.default_rng(seed)
    T, d, n, c = rng.integers(1, 20), rng.integers(1, 7), rng.integers(1, 7), rng.integers(2, 6)
    params, xs, ys = problem(T, d, n, c, seed=seed, sigma=float(rng.uniform(0.2, 2.5)))
    result = rnn.bptt(params, xs, ys)
    for name, gradient in result.grads.arrays().items():
        indices = np.arange(gradient.size)
        exact = rnn.forward_mode_gradient(params, xs, ys, name, indices)
        assert gradcheck.relative_error(gradient.reshape(-1), exact) <= 1e-10, name


@pytest.mark.parametrize("N, T, d, n, c", [(1, 1, 1, 1, 2), (5, 9, 3, 4, 3), (3, 17, 6, 2, 5)])
def test_batch_bptt_is_the_sum_of_the_per_sequence_bptt(N, T, d, n, c):
    rng = np.random.default_rng(T)
    params = rnn.init_params(d, n, c, sigma=1.5, seed=N)
    xs, ys = rng.normal(size=(N, T, d)), rng.integers(0, c, size=(N, T))
    h0, mask = rng.normal(size=(N, n)), rng.integers(0, 2, size=(N, T)).astype(float)
    batch = rnn.bptt_batch(params, xs, ys, h0, mask)
    one = [rnn.bptt(params, *sequence) for sequence in zip(xs, ys, h0, mask)]
    assert batch.loss == pytest.approx(sum(r.loss for r in one), rel=1e-12)
    for name, gradient in batch.grads.arrays().items():
        total = sum(getattr(r.grads, name) for r in one)
        assert gradcheck.relative_error(gradient, total) <= 1e-12, name
    for field in ("dL_dh", "dL_dv", "dL_du"):
        np.testing.assert_allclose(getattr(batch, field), [getattr(r, field) for r in one],
                                   rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(batch.forward.h, [r.forward.h for r in one], rtol=1e-13)


def test_adjoint_definitions_hold():
    params, xs, ys = problem(8, 3, 4, 3, sigma=1.2)
    r = rnn.bptt(params, xs, ys)
    tanh_prime = 1 - r.forward.h**2
    np.testing.assert_allclose(r.dL_dv, tanh_prime * r.dL_dh)
    onehot = np.eye(3)[ys]
    np.testing.assert_allclose(r.dL_du, r.forward.z - onehot)


def test_seed_variant_is_exact_for_diagonal_W_hh_only():
    params, xs, ys = problem(15, 3, 5, 4, init="diagonal", sigma=0.9)
    exact, seed = rnn.bptt(params, xs, ys), rnn.bptt_seed_variant(params, xs, ys)
    for name in params.names:
        np.testing.assert_allclose(getattr(seed.grads, name), getattr(exact.grads, name),
                                   rtol=1e-13, atol=1e-15)
    dense, xs, ys = problem(15, 3, 5, 4, init="gaussian", sigma=0.9)
    wrong = rnn.bptt_seed_variant(dense, xs, ys).grads.W_hh
    assert gradcheck.relative_error(wrong, rnn.bptt(dense, xs, ys).grads.W_hh) > 1e-2


def test_seed_boundary_drops_the_last_loss():
    params, xs, ys = problem(6, 2, 3, 3)
    exact = rnn.bptt(params, xs, ys)
    slip = rnn.bptt_seed_variant(params, xs, ys, seed_boundary=True)
    assert np.all(slip.dL_dh[-1] == 0)
    assert gradcheck.relative_error(slip.grads.W_hh, exact.grads.W_hh) > 1e-3
    # The slip is the same as forgetting that L_T depends on h_T: zero W_hz^T dL/du_T.
    mask = np.ones(6)
    mask[-1] = 0.0
    no_last = rnn.bptt(params, xs, ys, mask=mask)
    np.testing.assert_allclose(slip.dL_dh[:-1], no_last.dL_dh[:-1], atol=1e-14)


def test_per_loss_adjoints_sum_to_the_total_adjoint():
    params, xs, ys = problem(10, 3, 4, 3, sigma=1.4)
    flow = rnn.gradient_flow(params, xs, ys)
    assert np.all(np.isnan(flow.per_loss_norms[np.triu_indices(10, 1)]))
    # Recompute each dL_t/dh_k as vectors by BPTT on the single loss L_t (mask = e_t).
    total = np.zeros((10, 4))
    for t in range(10):
        mask = np.zeros(10)
        mask[t] = 1.0
        single = rnn.bptt(params, xs, ys, mask=mask).dL_dh
        total += single
        np.testing.assert_allclose(np.linalg.norm(single[: t + 1], axis=1),
                                   flow.per_loss_norms[t, : t + 1], rtol=1e-10)
    np.testing.assert_allclose(total, rnn.bptt(params, xs, ys).dL_dh, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.5])
def test_jacobian_norms_and_bounds(sigma):
    params, xs, ys = problem(12, 3, 5, 3, sigma=sigma, init="orthogonal")
    flow = rnn.gradient_flow(params, xs, ys)
    jacobians = rnn.state_jacobians(params, rnn.forward(params, xs))
    product = np.eye(5)
    for k in range(12, 0, -1):  # product = dh_T/dh_k built from explicit matrices
        assert flow.jacobian_norms[k - 1] == pytest.approx(np.linalg.norm(product, 2), rel=1e-10)
        product = product @ jacobians[k - 1]
    assert np.all(flow.jacobian_norms <= flow.bound * (1 + 1e-12))
    assert np.all(flow.bound <= flow.loose_bound * (1 + 1e-12))
    assert flow.loose_bound[0] == pytest.approx(sigma ** 11)


def test_step_contributions_sum_to_the_gradients():
    params, xs, ys = problem(7, 3, 4, 3)
    result = rnn.bptt(params, xs, ys)
    parts = [rnn.step_contributions(result, xs, t) for t in range(1, 8)]
    for name in params.names:
        np.testing.assert_allclose(sum(getattr(p, name) for p in parts),
                                   getattr(result.grads, name), atol=1e-13)

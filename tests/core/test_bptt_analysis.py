"""core.bptt_analysis: regimes, the seed's slips measured, the plug-in, the live check."""

import numpy as np
import pytest

from core import bptt_analysis as ba
from core import gradcheck, rnn


def test_presets_land_in_their_regimes():
    vanishing = ba.analyse(50, 8, 8, 5, init="gaussian", sigma=0.7, last_step_only=True)
    exploding = ba.analyse(50, 8, 8, 5, init="orthogonal", sigma=2.5, input_scale=0.1,
                           last_step_only=True)
    assert vanishing.regime == "vanishing" and vanishing.adjoint_ratio < 1e-6
    assert exploding.regime == "exploding" and exploding.adjoint_ratio > 1e2
    # The gain is the geometric mean of the Jacobian norm, read off independently.
    assert exploding.gain == pytest.approx(exploding.flow.jacobian_norms[0] ** (1 / 49))


def test_classify_thresholds():
    assert ba.classify(0.5) == "vanishing"
    assert ba.classify(1.0) == "stable"
    assert ba.classify(1.2) == "exploding"
    assert np.isnan(ba.per_step_gain(np.array([1.0])))


def test_seed_slips_measured():
    diagonal = ba.analyse(20, 3, 5, 4, init="diagonal", sigma=0.9)
    dense = ba.analyse(20, 3, 5, 4, init="gaussian", sigma=0.9)
    assert max(diagonal.seed_recursion_error.values()) == 0.0
    assert dense.seed_recursion_error["W_hh"] > 1e-2
    assert dense.seed_recursion_error["W_hz"] == 0.0  # the output layer is untouched
    assert dense.seed_boundary_error["W_hh"] > 1e-3
    assert dense.seed_output_error < 1e-12


def test_seed_output_formula_matches_central_differences():
    a = ba.analyse(6, 2, 3, 4, seed=3)
    literal = ba.seed_output_gradient(a.result.forward, a.ys, a.mask)

    def loss_of(W_hz):
        return rnn.loss(a.params.replace(W_hz=W_hz), a.xs, a.ys, mask=a.mask)

    numeric = gradcheck.central_difference(loss_of, a.params.W_hz)
    assert gradcheck.relative_error(literal, numeric) < 1e-8


@pytest.mark.parametrize("t", [1, 4, 9])
def test_plug_in_recomputes_the_adjoint(t):
    a = ba.analyse(9, 3, 4, 3, sigma=1.3)
    p = ba.plug_in(a, t)
    np.testing.assert_allclose(p.total, a.result.dL_dh[t - 1], rtol=1e-12, atol=1e-15)
    assert (p.next_adjoint is None) == (t == 9)


def test_edge_norms_are_the_two_terms_of_the_adjoint():
    a = ba.analyse(10, 3, 4, 3, sigma=1.1)
    norms = ba.adjoint_edge_norms(a)
    r = a.result
    local = r.dL_du @ a.params.W_hz
    recurrent = np.vstack([r.dL_dv[1:] @ a.params.W_hh, np.zeros((1, 4))])
    np.testing.assert_allclose(local + recurrent, r.dL_dh, atol=1e-14)
    np.testing.assert_allclose(norms.local, np.linalg.norm(local, axis=1))
    np.testing.assert_allclose(norms.recurrent, np.linalg.norm(recurrent, axis=1))
    assert norms.zeros == 0


@pytest.mark.parametrize("settings", [
    dict(T=1, d=1, n=1, c=2),
    dict(T=100, d=3, n=6, c=3, sigma=3.0, init="orthogonal", input_scale=0.05),
    dict(T=40, d=5, n=12, c=10, sigma=0.1, input_scale=5.0, last_step_only=True),
])
def test_live_check_passes_at_the_edges(settings):
    a = ba.analyse(**settings, check_limit=12)
    assert a.check_passed, a.check
    for report in a.check.values():
        assert report["checked"] == min(12, report["total"])
        assert report["forward_mode_error"] <= 1e-9


def test_verdict_rejects_a_wrong_gradient():
    assert ba.verdict({"relative_error": 1e-3, "forward_mode_error": 1e-3}) == "FAIL"
    assert ba.verdict({"relative_error": 1e-3, "forward_mode_error": 1e-12}) == "pass (forward mode)"
    assert ba.verdict({"relative_error": 1e-8, "forward_mode_error": 1.0}) == "pass"


def test_norms_table_columns():
    a = ba.analyse(5, 2, 3, 2)
    table = ba.norms_table(a)
    assert list(table["t"]) == [1, 2, 3, 4, 5]
    assert all(v.shape == (5,) for v in table.values())


def test_check_budget_shrinks_with_the_network_and_is_reported():
    assert ba.check_budget(30, 8, 8, 5) == 40
    assert ba.check_budget(100, 64, 64, 10) == 5
    a = ba.analyse(100, 64, 64, 10)
    assert {r["checked"] for r in a.check.values()} == {5}
    assert a.check_passed


@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.0])
def test_sigma_max_and_spectral_radius_of_W_hh(sigma):
    a = ba.analyse(6, 3, 5, 4, sigma=sigma, seed=2)
    W = a.params.W_hh
    # Oracles: sigma_max^2 is the largest eigenvalue of W^T W (symmetric); the spectral
    # radius is the largest root of W's characteristic polynomial (Gelfand bounds it by
    # sigma_max).
    assert a.sigma_max == pytest.approx(np.sqrt(np.linalg.eigvalsh(W.T @ W).max()), rel=1e-12)
    assert a.sigma_max == pytest.approx(sigma, rel=1e-12)  # the init rescales W_hh to it
    assert a.spectral_radius == pytest.approx(np.abs(np.roots(np.poly(W))).max(), rel=1e-9)
    assert a.spectral_radius <= a.sigma_max * (1 + 1e-12)

"""The autoencoder page's analysis: checks, slip 8 in numbers, the seed's steps."""

import numpy as np
import pytest

from core import autoencoder_analysis as analysis
from core.datasets import load_dataset


@pytest.fixture(scope="module")
def gaussian():
    return analysis.analyse(load_dataset("gaussian3d"), 2, iterations=1500)


def test_defaults_pass_every_check(gaussian):
    assert all(gaussian.check.passed.values()), gaussian.check
    assert gaussian.check.gradient_entries == 12  # 6 entries of each 2x3 matrix


def test_rotation_ambiguity_in_numbers(gaussian):
    r = gaussian.rotation
    assert analysis.alignment(r.raw) < 0.9  # the columns are rotated ...
    assert analysis.alignment(r.projected_svd) > 0.9999  # ... inside the right subspace
    assert analysis.alignment(r.non_uniform) > 0.999  # weight decay per unit breaks the symmetry
    C = r.mixing
    assert r.outside < 1e-4
    assert np.allclose(C.T @ C, np.eye(2), atol=0.05)  # small balanced start: C is a rotation
    assert gaussian.companion is not gaussian.fit and len(gaussian.companion.history.iteration) == 2


def test_seed_evidence(gaussian):
    e = gaussian.evidence
    assert e.seed_S == pytest.approx(e.trace_S, rel=1e-12)  # the seed's S is tr S, a number
    assert e.J_star_sklearn == pytest.approx(e.J_star * 400 / 399)
    assert e.kept_error < 1e-3 and e.discarded_error < 1e-3 and e.eigen_residual < 1e-12
    assert e.uncentred_angle > 10 and e.uncentred_J > 2 * e.J_star  # the mean is not zero


def test_uncentred_model_is_pca_for_centred_data():
    wine = analysis.analyse(load_dataset("wine"), 2, iterations=300)
    assert wine.evidence.uncentred_angle < 1e-6
    assert wine.evidence.uncentred_J == pytest.approx(wine.evidence.J_star)


def test_impossible_k_is_lowered_with_a_note():
    result = analysis.analyse(load_dataset("iris"), 9, iterations=100)
    assert result.k == 3 and len(result.notes) == 1
    assert "choose k from 1 to 3" in result.notes[0].lower()


def test_weight_decay_targets_and_the_saddle_plateau():
    X = load_dataset("iris")
    uniform = analysis.analyse(X, 2, iterations=1500, regularization="uniform")
    assert uniform.J_target > uniform.reference.J_star
    assert uniform.check.passed["J"] and uniform.check.passed["reconstruction"]
    saddle = analysis.analyse(X, 2, iterations=100, start="saddle", init_scale=1e-4)
    assert saddle.plateau == pytest.approx(saddle.reference.plateau([2, 3]))


def test_diverging_fixed_step_is_reported_not_raised():
    result = analysis.analyse(load_dataset("gaussian3d"), 2, iterations=300, step_multiple=4.0)
    assert result.fit.diverged_at is not None
    assert not result.check.passed["J"]
    with pytest.raises(ValueError):
        analysis.analyse(load_dataset("gaussian3d"), 2, iterations=10, regularization="L1")


def test_the_companion_does_not_depend_on_the_main_runs_weight_decay():
    """companion_run is the analysis's own companion (k lowered alike), for "none" and
    "uniform" alike, and one passed in is used as it is."""
    X = load_dataset("iris")
    companion = analysis.companion_run(X, 9, iterations=200)  # k lowered to 3
    for regularization in ("none", "uniform"):
        inside = analysis.analyse(X, 9, iterations=200, regularization=regularization).companion
        np.testing.assert_array_equal(inside.W_dec, companion.W_dec)
        np.testing.assert_array_equal(inside.loss, companion.loss)
    passed = analysis.analyse(X, 9, iterations=200, regularization="uniform", companion=companion)
    assert passed.companion is companion
    assert analysis.analyse(X, 2, iterations=200, regularization="non-uniform",
                            companion=companion).companion.W_dec.shape == (4, 2)  # its own fit

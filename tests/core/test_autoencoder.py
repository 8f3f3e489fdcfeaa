"""The linear autoencoder against independent oracles (core/autoencoder.py).

Oracles: numpy.linalg.eigh of S, scikit-learn's PCA reconstructions, central differences of
J summed over the samples, principal angles from an SVD of orthonormal bases.
"""

import dataclasses

import numpy as np
import pytest
from sklearn.decomposition import PCA

from core import autoencoder, gradcheck
from core.autoencoder import (
    pca_reference, principal_angles, reconstruction_error, train_linear_autoencoder,
)
from core.datasets import load_dataset


@pytest.fixture(scope="module")
def data():
    return {name: load_dataset(name) for name in ("gaussian3d", "digits", "iris", "wine")}


def covariance(X):
    centred = X - X.mean(axis=0)
    return centred.T @ centred / X.shape[0]


@pytest.mark.parametrize("name, k", [("gaussian3d", 2), ("iris", 1), ("wine", 4), ("digits", 10)])
def test_pca_reference_matches_eigh_of_S_and_sklearn_reconstructions(data, name, k):
    X = data[name]
    reference = pca_reference(X, k)
    values, vectors = np.linalg.eigh(covariance(X))
    values, vectors = values[::-1], vectors[:, ::-1]
    assert reference.components.shape == (k, X.shape[1])
    assert np.allclose(reference.eigenvalues, np.maximum(values, 0), atol=1e-10 * values[0])
    assert np.allclose(np.abs(np.sum(reference.components * vectors[:, :k].T, axis=1)), 1)
    assert reference.J_star == pytest.approx(values[k:].sum(), rel=1e-10)
    pca = PCA(n_components=k).fit(X)
    optimal = np.mean(np.sum((pca.inverse_transform(pca.transform(X)) - X) ** 2, axis=1))
    assert reference.J_star == pytest.approx(optimal, rel=1e-9)  # 1/N, not 1/(N - 1)
    assert np.allclose(reference.reconstruct(X), pca.inverse_transform(pca.transform(X)))


def test_impossible_k_is_refused(data):
    for k in (0, 3, 7):
        with pytest.raises(ValueError, match="choose k from 1 to 2"):
            pca_reference(data["gaussian3d"], k)
    small = np.random.default_rng(0).normal(size=(3, 10))  # N = 3: S has rank 2
    assert autoencoder.max_components(3, 10) == 2
    with pytest.raises(ValueError):
        train_linear_autoencoder(small, 3, iterations=5)


def oracle_angles(A, B):
    QA, _ = np.linalg.qr(A)
    QB, _ = np.linalg.qr(B)
    cosines = np.clip(np.linalg.svd(QA.T @ QB, compute_uv=False), -1, 1)
    return np.sort(np.degrees(np.arccos(cosines)))


def test_principal_angles_against_an_svd_oracle():
    rng = np.random.default_rng(1)
    for p, q in ((1, 1), (2, 3), (4, 4)):
        A, B = rng.normal(size=(7, p)), rng.normal(size=(7, q))
        assert np.allclose(principal_angles(A, B), oracle_angles(A, B), atol=1e-5)
    A = rng.normal(size=(5, 2))
    assert np.allclose(principal_angles(A, A @ rng.normal(size=(2, 2))), 0, atol=1e-5)
    dead = np.column_stack([A[:, 0], np.zeros(5)])  # a dead unit: rank 1 of 2 columns
    assert principal_angles(dead, A).tolist()[-1] == 90.0


@pytest.mark.parametrize("l2_mode", ["uniform", "non-uniform"])
def test_gradients_match_central_differences_of_the_sample_sum(data, l2_mode):
    X = data["iris"]
    rng = np.random.default_rng(2)
    W_enc, W_dec = rng.normal(size=(2, 4)), rng.normal(size=(4, 2))
    lam = autoencoder.penalties(2, 0.05, l2_mode)
    mean = X.mean(axis=0)
    b_enc, b_dec = -W_enc @ mean, mean

    def objective(arrays):
        E, D = arrays["W_enc"], arrays["W_dec"]
        return (reconstruction_error(X, E, D, b_enc, b_dec)
                + lam @ (np.sum(E**2, axis=1) + np.sum(D**2, axis=0)))

    J, grad_enc, grad_dec = autoencoder.gradients(X, W_enc, W_dec, lam)
    assert J == pytest.approx(reconstruction_error(X, W_enc, W_dec, b_enc, b_dec), rel=1e-12)
    report = gradcheck.check_gradients(objective, {"W_enc": W_enc, "W_dec": W_dec},
                                       {"W_enc": grad_enc, "W_dec": grad_dec})
    assert max(r["relative_error"] for r in report.values()) < 1e-8


@pytest.mark.parametrize("name, k, iterations", [
    ("digits", 10, 1500), ("iris", 2, 1500), ("gaussian3d", 1, 300), ("gaussian3d", 2, 600),
])
def test_gradient_descent_reaches_the_pca_subspace(data, name, k, iterations):
    X = data[name]
    fit = train_linear_autoencoder(X, k, iterations=iterations)
    reference = fit.reference
    J = reconstruction_error(X, fit.W_enc, fit.W_dec, fit.b_enc, fit.b_dec)
    assert fit.final_max_angle < 1.0
    assert oracle_angles(fit.W_dec, reference.components.T)[-1] < 1.0
    assert J <= 1.001 * reference.J_star
    assert fit.loss[-1] == pytest.approx(J, rel=1e-9)
    assert np.allclose(fit.reconstruct(X), (X @ fit.W_enc.T + fit.b_enc) @ fit.W_dec.T + fit.b_dec)


def test_decoder_columns_are_not_the_components_but_their_span_is(data):
    fit = train_linear_autoencoder(data["digits"], 10, iterations=1500)
    cosines = autoencoder.abs_cosines(fit.W_dec, fit.reference.components)
    assert fit.final_max_angle < 1.0
    assert np.mean(np.diag(cosines)) < 0.8  # columns: rotated inside the subspace
    basis, _ = np.linalg.qr(fit.W_dec)  # span: the same (cosines of the principal angles)
    assert np.allclose(np.linalg.svd(fit.reference.components @ basis, compute_uv=False), 1,
                       atol=1e-4)


@pytest.mark.parametrize("name", ["gaussian3d", "iris"])
def test_non_uniform_weight_decay_turns_the_columns_into_the_components(data, name):
    X = data[name]
    reference = pca_reference(X, 2)
    plain = train_linear_autoencoder(X, 2, iterations=3000, reference=reference)
    decayed = train_linear_autoencoder(X, 2, iterations=3000, reference=reference,
                                       l2=0.5 * reference.eigenvalues[1], l2_mode="non-uniform")
    assert np.mean(np.diag(autoencoder.abs_cosines(plain.W_dec, reference.components))) < 0.99
    assert np.diag(autoencoder.abs_cosines(decayed.W_dec, reference.components)).min() > 0.999
    J = reconstruction_error(X, decayed.W_enc, decayed.W_dec, decayed.b_enc, decayed.b_dec)
    optimum = autoencoder.regularized_optimum(reference.eigenvalues, decayed.unit_penalties)
    assert J == pytest.approx(optimum, rel=1e-3)


def test_uniform_weight_decay_makes_the_weights_symmetric(data):
    X = data["iris"]
    reference = pca_reference(X, 2)
    fit = train_linear_autoencoder(X, 2, iterations=3000, reference=reference,
                                   l2=0.5 * reference.eigenvalues[1])
    assert np.allclose(fit.W_enc, fit.W_dec.T, atol=1e-4)  # Kunin et al. 2019
    left = np.linalg.svd(fit.W_dec, full_matrices=False)[0]
    assert np.diag(autoencoder.abs_cosines(left, reference.components)).min() > 0.999


@pytest.mark.parametrize("name", [
    "gaussian3d", "iris", "wine", pytest.param("digits", marks=pytest.mark.slow),
])
@pytest.mark.parametrize("init_scale", [1e-6, 3.0])
def test_automatic_step_never_diverges(data, name, init_scale):
    """Every k, from tiny and from large weights: the loss never rises, never overflows (a
    step beyond the curvature bound would blow up within a few iterations)."""
    X = data[name]
    base = pca_reference(X, 1)
    for k in range(1, autoencoder.max_components(*X.shape) + 1):  # every possible k
        fit = train_linear_autoencoder(X, k, iterations=40, init_scale=init_scale, seed=k,
                                       snapshots=2, reference=dataclasses.replace(base, k=k))
        assert fit.diverged_at is None and np.isfinite(fit.loss).all()
        assert np.all(np.diff(fit.loss) <= 1e-12 * fit.reference.total_variance)


def test_fixed_steps_around_the_stability_edge(data):
    X = data["gaussian3d"]
    reference = pca_reference(X, 2)
    eta_0 = 1 / (4 * reference.eigenvalues[0])  # the Hessian at the solution peaks at 4 lambda_1
    stable = train_linear_autoencoder(X, 2, iterations=800, lr=1.9 * eta_0, reference=reference)
    stalled = train_linear_autoencoder(X, 2, iterations=800, lr=2.5 * eta_0, reference=reference)
    blown = train_linear_autoencoder(X, 2, iterations=800, lr=4 * eta_0, reference=reference)
    assert stable.loss[-1] <= 1.001 * reference.J_star
    assert stalled.diverged_at is None and stalled.loss[-1] > 2 * reference.J_star
    assert blown.diverged_at is not None and np.isfinite(blown.loss).all()


def test_saddle_start_sits_on_the_plateau_then_escapes(data):
    X = data["gaussian3d"]
    reference = pca_reference(X, 2)
    fit = train_linear_autoencoder(X, 2, iterations=1500, start="saddle", init_scale=1e-6,
                                   reference=reference)
    plateau = reference.plateau([2, 3])
    assert plateau == pytest.approx(reference.eigenvalues[0], rel=1e-9)  # tr S - λ2 - λ3
    on_plateau = np.abs(fit.loss - plateau) < 0.01 * (plateau - reference.J_star)
    assert on_plateau[:20].all() and on_plateau.sum() >= 20
    assert fit.history.max_angle[0] == pytest.approx(90, abs=0.01)
    assert fit.loss[-1] <= 1.001 * reference.J_star and fit.final_max_angle < 1.0


def test_training_is_reproducible_and_snapshots_are_bounded(data):
    X = data["iris"]
    first = train_linear_autoencoder(X, 2, iterations=500, seed=5, snapshots=40)
    again = train_linear_autoencoder(X, 2, iterations=500, seed=5, snapshots=40)
    other = train_linear_autoencoder(X, 2, iterations=500, seed=6, snapshots=40)
    assert np.array_equal(first.W_dec, again.W_dec)
    assert not np.allclose(first.W_dec, other.W_dec)
    h = first.history
    assert h.iteration[0] == 0 and h.iteration[-1] == 500 and len(h.iteration) <= 42
    assert np.all(np.diff(h.iteration) > 0)
    assert h.W_enc.shape == (len(h.iteration), 2, 4) and h.W_dec.shape == (len(h.iteration), 4, 2)
    assert np.allclose(h.J, first.loss[h.iteration])
    assert np.allclose(h.W_dec[-1], first.W_dec)
    recon = autoencoder.snapshot_reconstructions(first, X[:5])
    assert recon.shape == (len(h.iteration), 5, 4)
    assert np.allclose(recon[-1], first.reconstruct(X[:5]))

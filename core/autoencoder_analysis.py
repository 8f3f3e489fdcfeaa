"""Everything the autoencoder page shows for one setting, computed in one call (seed Q4).

One gradient-descent run of the linear autoencoder against scikit-learn's PCA, a companion
run with non-uniform weight decay (the weights themselves turn into the principal
directions), the rotation ambiguity of slip 8 in numbers, the live evidence for each step
of the handwritten argument, and the checks against independent oracles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from core import autoencoder, gradcheck
from core.autoencoder import AutoencoderFit, PCAReference
from core.blas import one_blas_thread

REGULARIZATIONS = ("none", "uniform", "non-uniform")
REG_FRACTION = 0.5  # weight decay l2 = REG_FRACTION * lambda_k: every unit survives
ANGLE_TOLERANCE = 1.0  # degrees
J_TOLERANCE = 1.001  # J / J* at most this
GRADIENT_TOLERANCE = 1e-6
RECONSTRUCTION_TOLERANCE = 0.01  # RMS difference from PCA's reconstructions, over sqrt(tr S)
GRADIENT_ENTRIES = 12  # entries of each weight matrix checked by central differences


def reference_step(largest_eigenvalue: float) -> float:
    """eta_0 = 1 / (4 lambda_1): half the largest stable step at the solution.

    At a balanced minimum (W_enc = W_dec^T orthonormal) the Hessian's largest eigenvalue is
    4 lambda_1 (1-D case: J = lambda (1 - a b)^2 at a = b = 1), so gradient descent with a
    fixed step is stable there for eta < 2 / (4 lambda_1) = 2 eta_0.
    """
    return 1.0 / (4.0 * largest_eigenvalue)


@dataclass(frozen=True)
class Rotation:
    """Slip 8 in numbers: the hidden units are not the principal components.

    Each cosines matrix is (k, k): entry (i, j) = |cos| between u_i and the j-th vector.
    raw: the decoder columns of the main run; decoder_svd: the left singular vectors of
    W_dec; projected_svd: the principal directions of the data projected orthogonally onto
    span(W_dec), Q V with Q an orthonormal basis of span(W_dec) and V the right singular
    vectors of (X - xbar) Q (an SVD that uses only the learned subspace, Plaut 2018; the
    same as an SVD of the reconstructions once W_dec W_enc is the projection); non_uniform: the
    decoder columns of the run with non-uniform weight decay. mixing: C = U_k^T W_dec (k, k),
    so that W_dec = U_k C + (a part outside the subspace, relative size ``outside``);
    decoder_singular_values: (k,).
    """

    raw: np.ndarray
    decoder_svd: np.ndarray
    projected_svd: np.ndarray
    non_uniform: np.ndarray
    mixing: np.ndarray
    outside: float
    decoder_singular_values: np.ndarray


def alignment(cosines: np.ndarray) -> float:
    """The mean of the diagonal of a |cos| matrix: 1 when vector j is u_j for every j."""
    return float(np.mean(np.diag(cosines)))


@dataclass(frozen=True)
class SeedEvidence:
    """Live numbers for the steps of the seed's Q4 argument (the trained weights).

    kept_error: max over n and j <= k of |u_j^T (x~_n - xbar) - s_j u_j^T (x_n - xbar)| /
    sqrt(lambda_1), the seed's z_nj = x_n^T u_j (s_j = 1 - lambda_j / lambda^S_j is the
    shrinkage of weight decay, 1 without it); discarded_error: max over n and j > k of
    |u_j^T x~_n - xbar^T u_j| / sqrt(lambda_1), the seed's b_j = xbar^T u_j; seed_S: the
    seed's S as written, (1/N) sum_n (x_n^T - xbar^T)(x_n^T - xbar^T)^T, a number (= tr S);
    trace_S; D; J: the final J summed over the N samples; J_star (1/N) and J_star_sklearn (sum of
    sklearn's explained_variance_ beyond k, 1/(N - 1)); eigen_residual: max_i ||S u_i -
    lambda_i u_i|| / lambda_1 for i <= k with S divided by N; uncentred_angle: the largest
    principal angle (degrees) between PCA's subspace and the best subspace without biases
    (x~ = U_2 U_1 x as the seed first writes: the top k eigenvectors of (1/N) sum x_n x_n^T);
    uncentred_J: that model's best J (the sum of the discarded eigenvalues of (1/N) X^T X).
    """

    kept_error: float
    discarded_error: float
    seed_S: float
    trace_S: float
    D: int
    J: float
    J_star: float
    J_star_sklearn: float
    eigen_residual: float
    uncentred_angle: float
    uncentred_J: float


@dataclass(frozen=True)
class Check:
    """The verification against independent oracles, with measured errors.

    max_angle: degrees between span(W_dec) and sklearn's PCA subspace; J_ratio: J over
    the target (J*, or the regularized optimum under weight decay); gradient_error:
    relative error of dJ/dW (through S) against central differences of J summed over the
    samples, at the middle snapshot; eigenvalue_error: relative error of the eigenvalues
    (sklearn's, rescaled to 1/N) against numpy.linalg.eigvalsh(S); reconstruction_error:
    sqrt((1/N) sum_n ||x~_n - x^PCA_n||^2) / sqrt(tr S), with
    x^PCA = xbar + sum_j (1 - lambda_j / lambda^S_j) t_nj u_j, t and u scikit-learn's
    scores and components (its inverse_transform(transform(X)) without weight decay).
    """

    max_angle: float
    J_ratio: float
    gradient_error: float
    gradient_entries: int
    eigenvalue_error: float
    reconstruction_error: float

    @property
    def passed(self) -> dict[str, bool]:
        return {
            "angle": self.max_angle < ANGLE_TOLERANCE,
            "J": self.J_ratio <= J_TOLERANCE,
            "gradient": self.gradient_error <= GRADIENT_TOLERANCE,
            "eigenvalues": self.eigenvalue_error <= GRADIENT_TOLERANCE,
            "reconstruction": self.reconstruction_error <= RECONSTRUCTION_TOLERANCE,
        }


@dataclass(frozen=True)
class AutoencoderAnalysis:
    """The autoencoder page's data for one setting.

    X : ndarray (N, D); k : the k used; notes : one-line notices (k lowered to what the data
    allow); fit : the main run; companion : the run with non-uniform weight decay (the main
    run itself when that is its setting); step : the fixed step size, or None (automatic);
    J_target : J* or, with weight decay, the regularized optimum; plateau : J at the
    saddle the run started from (tr S - sum_{i=2}^{k+1} lambda_i), or None.
    """

    X: np.ndarray
    k: int
    notes: tuple[str, ...]
    fit: AutoencoderFit
    companion: AutoencoderFit
    step: float | None
    J_target: float
    plateau: float | None
    rotation: Rotation
    evidence: SeedEvidence
    check: Check

    @property
    def reference(self) -> PCAReference:
        return self.fit.reference


def _sqrt_lambda1(reference: PCAReference) -> float:
    return float(np.sqrt(reference.eigenvalues[0]))


def rotation_report(X: np.ndarray, fit: AutoencoderFit, companion: AutoencoderFit) -> Rotation:
    """The |cos| matrices of slip 8 (see :class:`Rotation`)."""
    components = fit.reference.components
    left, singular_values, _ = np.linalg.svd(fit.W_dec, full_matrices=False)
    basis, _ = np.linalg.qr(fit.W_dec)  # (D, k), orthonormal, span(W_dec)
    _, _, rotation = np.linalg.svd((X - fit.reference.mean) @ basis, full_matrices=False)
    mixing = components @ fit.W_dec
    outside = np.linalg.norm(fit.W_dec - components.T @ mixing) / np.linalg.norm(fit.W_dec)
    return Rotation(
        raw=autoencoder.abs_cosines(fit.W_dec, components),
        decoder_svd=autoencoder.abs_cosines(left, components),
        projected_svd=autoencoder.abs_cosines(basis @ rotation.T, components),
        non_uniform=autoencoder.abs_cosines(companion.W_dec, components),
        mixing=mixing,
        outside=float(outside),
        decoder_singular_values=singular_values,
    )


def seed_evidence(X: np.ndarray, fit: AutoencoderFit) -> SeedEvidence:
    """The live numbers for the handwritten steps (see :class:`SeedEvidence`)."""
    reference = fit.reference
    N, D = X.shape
    k = reference.k
    X_tilde = fit.reconstruct(X)
    scale = _sqrt_lambda1(reference)
    kept = reference.components
    discarded = reference.basis[k:]
    shrink = 1.0 - fit.unit_penalties / reference.eigenvalues[:k]  # 1 without weight decay
    scores = (X - reference.mean) @ kept.T
    kept_error = np.max(np.abs((X_tilde - reference.mean) @ kept.T - scores * shrink)) / scale
    discarded_error = (
        np.max(np.abs((X_tilde - reference.mean) @ discarded.T)) / scale if len(discarded)
        else 0.0
    )
    centred = X - reference.mean
    S = centred.T @ centred / N
    residual = S @ kept.T - kept.T * reference.eigenvalues[:k]
    moments, directions = np.linalg.eigh(X.T @ X / N)  # ascending
    return SeedEvidence(
        kept_error=float(kept_error),
        discarded_error=float(discarded_error),
        seed_S=float(np.mean(np.sum(centred**2, axis=1))),
        trace_S=float(np.trace(S)),
        D=D,
        J=autoencoder.reconstruction_error(X, fit.W_enc, fit.W_dec, fit.b_enc, fit.b_dec),
        J_star=reference.J_star,
        J_star_sklearn=reference.J_star * N / (N - 1),
        eigen_residual=float(np.max(np.linalg.norm(residual, axis=0)) / reference.eigenvalues[0]),
        uncentred_angle=float(autoencoder.principal_angles(directions[:, -k:], kept.T)[-1]),
        uncentred_J=float(moments[: D - k].sum()),
    )


def gradient_check(
    X: np.ndarray, fit: AutoencoderFit, snapshot: int, seed: int = 0
) -> tuple[float, int]:
    """Relative error of dJ/dW through S against central differences of the sample sum.

    At the weights of history snapshot ``snapshot`` (nonzero gradient), the objective is
    (1/N) sum_n ||x~_n - x_n||^2 + penalty with the biases held at b_enc = -W_enc xbar,
    b_dec = xbar; GRADIENT_ENTRIES entries of each matrix are checked (core.gradcheck).

    Returns
    -------
    (the larger relative error of the two matrices, the number of entries checked).
    """
    W_enc = fit.history.W_enc[snapshot]
    W_dec = fit.history.W_dec[snapshot]
    b_enc, b_dec = -W_enc @ fit.reference.mean, fit.reference.mean
    lam = fit.unit_penalties

    def objective(arrays: dict[str, np.ndarray]) -> float:
        E, Dc = arrays["W_enc"], arrays["W_dec"]
        penalty = lam @ (np.sum(E**2, axis=1) + np.sum(Dc**2, axis=0))
        return autoencoder.reconstruction_error(X, E, Dc, b_enc, b_dec) + penalty

    _, grad_enc, grad_dec = autoencoder.gradients(X, W_enc, W_dec, lam)
    report = gradcheck.check_gradients(
        objective, {"W_enc": W_enc, "W_dec": W_dec}, {"W_enc": grad_enc, "W_dec": grad_dec},
        limit=GRADIENT_ENTRIES, seed=seed,
    )
    errors = [r["relative_error"] for r in report.values()]
    return max(errors), sum(r["checked"] for r in report.values())


def run_check(X: np.ndarray, fit: AutoencoderFit, J_target: float, seed: int = 0) -> Check:
    """Final angle, J ratio, gradients, eigenvalues and reconstructions against oracles."""
    reference = fit.reference
    N = X.shape[0]
    centred = X - reference.mean
    numpy_eigenvalues = np.sort(np.linalg.eigvalsh(centred.T @ centred / N))[::-1]
    eigenvalue_error = gradcheck.relative_error(reference.eigenvalues, numpy_eigenvalues)
    shrink = 1.0 - fit.unit_penalties / reference.eigenvalues[: reference.k]
    scores = centred @ reference.components.T  # scikit-learn's transform(X)
    pca_reconstruction = reference.mean + (scores * shrink) @ reference.components
    reconstruction = np.sqrt(np.mean(np.sum((fit.reconstruct(X) - pca_reconstruction) ** 2, 1)))
    J = autoencoder.reconstruction_error(X, fit.W_enc, fit.W_dec, fit.b_enc, fit.b_dec)
    gradient_error, entries = gradient_check(X, fit, len(fit.history.iteration) // 2, seed)
    return Check(
        max_angle=fit.final_max_angle,
        J_ratio=J / max(J_target, 1e-12 * reference.total_variance),
        gradient_error=gradient_error,
        gradient_entries=entries,
        eigenvalue_error=eigenvalue_error,
        reconstruction_error=float(reconstruction / np.sqrt(reference.total_variance)),
    )


def supported_k(N: int, D: int, k: int) -> tuple[int, tuple[str, ...]]:
    """k, lowered to min(N, D) - 1 when N samples of D features cannot support it, and the
    one-line notice that says so (or none)."""
    largest = autoencoder.max_components(N, D)
    if k <= largest:
        return k, ()
    return largest, (
        f"k = {k} is impossible with N = {N} samples of D = {D} features (k must be "
        f"below both): using k = {largest}. Choose k from 1 to {largest}.",
    )


def _training_settings(reference: PCAReference, *, iterations: int,
                       step_multiple: float | None = None, init_scale: float = 0.1,
                       start: str = "random", seed: int = 0) -> dict:
    """The keyword arguments of train_linear_autoencoder shared by the main and companion runs."""
    step = None if step_multiple is None else step_multiple * reference_step(
        reference.eigenvalues[0])
    return dict(iterations=iterations, lr=step, seed=seed, init_scale=init_scale, start=start,
                reference=reference)


@one_blas_thread
def companion_run(X: np.ndarray, k: int, reference: PCAReference | None = None,
                  **settings) -> AutoencoderFit:
    """The companion run of :func:`analyse`: non-uniform weight decay lambda_j =
    REG_FRACTION lambda_k j / k, only its end kept (two snapshots). It does not depend on
    the main run's regularization, so that a page can keep it when only that changes.

    X, k (lowered alike) and settings (iterations, step_multiple, init_scale, start, seed)
    as :func:`analyse`; reference : the PCA of X with k components, when at hand.
    """
    k = supported_k(*X.shape, k)[0]
    reference = autoencoder.pca_reference(X, k) if reference is None else reference
    return autoencoder.train_linear_autoencoder(
        X, k, l2=REG_FRACTION * reference.eigenvalues[k - 1], l2_mode="non-uniform",
        snapshots=2, **_training_settings(reference, **settings))


@one_blas_thread
def analyse(
    X: np.ndarray,
    k: int,
    *,
    iterations: int,
    step_multiple: float | None = None,
    init_scale: float = 0.1,
    start: str = "random",
    seed: int = 0,
    regularization: str = "none",
    companion: AutoencoderFit | None = None,
) -> AutoencoderAnalysis:
    """Train, compare with PCA and gather the page's numbers for one setting.

    Parameters
    ----------
    X : ndarray of shape (N, D).
    k : int, the requested number of hidden units; lowered to min(N, D) - 1 (with a note)
        when the data cannot support it.
    iterations : int; step_multiple : None (automatic step) or m, a fixed step
        m * :func:`reference_step`; init_scale, start, seed : see
        core.autoencoder.initial_weights; regularization : one of REGULARIZATIONS, weight
        decay l2 = REG_FRACTION * lambda_k (so every unit survives).
    companion : :func:`companion_run` of the same X, k and settings when at hand (a
        cache's), else None (trained here when needed: with non-uniform decay the main run
        is the companion).
    """
    if regularization not in REGULARIZATIONS:
        raise ValueError(f"regularization must be one of {', '.join(REGULARIZATIONS)}.")
    k, notes = supported_k(*X.shape, k)
    reference = autoencoder.pca_reference(X, k)
    settings = dict(iterations=iterations, step_multiple=step_multiple, init_scale=init_scale,
                    start=start, seed=seed)
    common = _training_settings(reference, **settings)
    step = common["lr"]
    l2 = REG_FRACTION * reference.eigenvalues[k - 1]
    mode = "uniform" if regularization == "none" else regularization
    fit = autoencoder.train_linear_autoencoder(
        X, k, l2=0.0 if regularization == "none" else l2, l2_mode=mode, **common)
    if regularization == "non-uniform":
        companion = fit  # only its end is shown
    elif companion is None:
        companion = companion_run(X, k, reference, **settings)
    J_target = autoencoder.regularized_optimum(reference.eigenvalues, fit.unit_penalties)
    plateau = reference.plateau(range(2, k + 2)) if start == "saddle" else None
    return AutoencoderAnalysis(
        X=X, k=k, notes=notes, fit=fit, companion=companion, step=step, J_target=J_target,
        plateau=plateau, rotation=rotation_report(X, fit, companion),
        evidence=seed_evidence(X, fit), check=run_check(X, fit, J_target, seed),
    )

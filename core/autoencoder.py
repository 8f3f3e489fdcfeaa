"""A linear autoencoder trained by gradient descent, compared with PCA (the seed's question 4).

Notation (design doc): data X of shape (N, D), rows x_n; k hidden units;

    x~ = W_dec (W_enc x + b_enc) + b_dec,   W_enc (k, D), W_dec (D, k), b_enc (k,), b_dec (D,),
    J  = (1/N) sum_n ||x~_n - x_n||^2,      S = (1/N) sum_n (x_n - xbar)(x_n - xbar)^T.

The biases are eliminated in closed form, as the seed does: for any weights the best biases
satisfy W_dec b_enc + b_dec = (I - W_dec W_enc) xbar (the seed's b_j = xbar^T u_j), and then

    J(W_enc, W_dec) = tr[(W_dec W_enc - I) S (W_dec W_enc - I)^T],

so full-batch gradient descent runs on the weights through the D x D matrix S: the same
gradient as summing over the N samples, at a cost independent of N. The returned biases are
b_enc = -W_enc xbar and b_dec = xbar (codes centred; one of the optimal pairs).

References: the seed's Q4; Baldi & Hornik (1989), Neural networks and principal component
analysis: learning from examples without local minima; Kunin et al. (2019), Loss landscapes
of regularized linear autoencoders; Bao et al. (2020), Regularized linear autoencoders
recover the principal components, eventually.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy.linalg import subspace_angles
from sklearn.decomposition import PCA

L2_MODES = ("uniform", "non-uniform")
STARTS = ("random", "saddle")
MAX_HALVINGS = 60


@dataclass(frozen=True)
class PCAReference:
    """scikit-learn's PCA of X, with the eigenvalues of S (1/N, not 1/(N - 1)).

    mean : ndarray of shape (D,), xbar; basis : ndarray of shape (r, D), r = min(N, D),
    the principal directions u_1..u_r as rows (eigenvalues descending); eigenvalues :
    ndarray of shape (D,), lambda_1 >= ... >= lambda_D of S (zeros beyond r); k : int.
    """

    mean: np.ndarray
    basis: np.ndarray
    eigenvalues: np.ndarray
    k: int

    @property
    def components(self) -> np.ndarray:
        """u_1..u_k as rows, ndarray of shape (k, D) (sklearn's components_)."""
        return self.basis[: self.k]

    @property
    def total_variance(self) -> float:
        """tr S = sum_i lambda_i."""
        return float(self.eigenvalues.sum())

    @property
    def J_star(self) -> float:
        """The optimal mean squared reconstruction error, sum_{i > k} lambda_i."""
        return float(self.eigenvalues[self.k:].sum())

    def reconstruct(self, points: np.ndarray) -> np.ndarray:
        """PCA's reconstruction xbar + U_k U_k^T (x - xbar) of points (m, D): (m, D)."""
        return self.mean + (points - self.mean) @ self.components.T @ self.components

    def plateau(self, indices) -> float:
        """tr S - sum_{i in I} lambda_i: J at the critical point spanned by {u_i, i in I}.

        ``indices`` are 1-based (u_1 is the top direction), as on the page.
        """
        chosen = np.asarray(indices, dtype=int) - 1
        return float(self.total_variance - self.eigenvalues[chosen].sum())


def max_components(N: int, D: int) -> int:
    """The largest usable k: k < D (else nothing is compressed) and k < N (rank of S <= N-1)."""
    return min(N, D) - 1


def _check_k(X: np.ndarray, k: int) -> None:
    N, D = X.shape
    if not 1 <= k <= max_components(N, D):
        raise ValueError(
            f"k = {k} is impossible for N = {N} samples of D = {D} features: choose k from 1 "
            f"to {max_components(N, D)}."
        )


def pca_reference(X: np.ndarray, k: int) -> PCAReference:
    """The PCA solution the autoencoder should find, via sklearn.decomposition.PCA.

    S = (1/N) sum_n (x_n - xbar)(x_n - xbar)^T = sum_i lambda_i u_i u_i^T. scikit-learn's
    ``explained_variance_`` divides by N - 1; the eigenvalues here are those of S, which
    divides by N as J does, so that J* = sum_{i > k} lambda_i is the optimal J exactly.

    Parameters
    ----------
    X : ndarray of shape (N, D).
    k : int, 1 <= k <= min(N, D) - 1.

    Returns
    -------
    PCAReference with components (k, D), eigenvalues (D,) and J* (seed Q4's last line).
    """
    _check_k(X, k)
    N, D = X.shape
    pca = PCA(n_components=min(N, D), svd_solver="full").fit(X)
    eigenvalues = np.zeros(D)
    eigenvalues[: pca.n_components_] = pca.explained_variance_ * (N - 1) / N
    return PCAReference(mean=pca.mean_, basis=pca.components_, eigenvalues=eigenvalues, k=k)


def principal_angles(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Principal angles between span(A) and span(B), in degrees, ascending.

    cos theta_i are the singular values of Q_A^T Q_B (Q orthonormal bases); computed by
    scipy.linalg.subspace_angles (Knyazev & Argentati 2002, accurate for small angles).

    Parameters
    ----------
    A : ndarray of shape (D, p); B : ndarray of shape (D, q), subspaces as column spans.

    Returns
    -------
    ndarray of shape (min(p, q),): theta_1 <= ... in degrees. When a matrix has lower rank
    than its number of columns (a dead unit), the missing angles are reported as 90.
    """
    angles = np.sort(np.degrees(subspace_angles(A, B)))
    size = min(A.shape[1], B.shape[1])
    return np.concatenate([angles, np.full(size - angles.shape[0], 90.0)])


def penalties(k: int, l2: float, l2_mode: str = "uniform") -> np.ndarray:
    """The weight decay lambda_j of each hidden unit j = 1..k, ndarray of shape (k,).

    "uniform": lambda_j = l2 for every unit (Kunin et al. 2019: the weights become
    symmetric, W_enc = W_dec^T, but still rotated inside the subspace);
    "non-uniform": lambda_j = l2 j / k, increasing (Bao et al. 2020: the asymmetry breaks the
    rotation symmetry, and unit j turns into the j-th principal direction, eventually).
    """
    if l2_mode not in L2_MODES:
        raise ValueError(f"l2_mode must be one of {', '.join(L2_MODES)}, not {l2_mode!r}.")
    if l2_mode == "uniform":
        return np.full(k, float(l2))
    return float(l2) * np.arange(1, k + 1) / k


def regularized_optimum(eigenvalues: np.ndarray, unit_penalties: np.ndarray) -> float:
    """The reconstruction error J at the minimum of J + sum_j lambda_j (|w_enc,j|^2 + |w_dec,j|^2).

    Unit j pairs with u_j and shrinks to W_dec W_enc = sum_j (1 - lambda_j/lambda^S_j) u_j u_j^T,
    so J = J* + sum_{j <= k} lambda_j^2 / lambda^S_j (valid when every lambda_j < lambda^S_j
    and lambda_j increases with j; Kunin et al. 2019, Bao et al. 2020).

    Parameters
    ----------
    eigenvalues : ndarray of shape (D,), lambda^S_1 >= ... of S.
    unit_penalties : ndarray of shape (k,), lambda_1 <= ... <= lambda_k.
    """
    k = unit_penalties.shape[0]
    kept = eigenvalues[:k]
    return float(eigenvalues[k:].sum() + np.sum(unit_penalties**2 / kept))


def safe_step_size(largest_eigenvalue: float, grams: np.ndarray,
                   largest_penalty: float) -> float:
    """eta = 1 / L with L a bound on the curvature of J + penalty at (W_enc, W_dec).

    Along any direction (dW_enc, dW_dec) of unit norm the second derivative is at most
    L = 2 lambda_1 (e^2 + d^2 + e d + 1) + 2 max_j lambda_j, with e = ||W_enc||_2,
    d = ||W_dec||_2 (the spectral norms): the term 2 tr(dA S dA^T), dA = dW_dec W_enc +
    W_dec dW_enc, gives 2 lambda_1 (e^2 + d^2); the term 4 tr(dW_dec dW_enc S (A - I)^T)
    gives 2 lambda_1 (1 + e d). A step of 1/L decreases a function whose curvature is at
    most L (the descent lemma), and it shrinks as the weights grow. e^2 and d^2 are bounded
    above by the largest absolute row sum of W_enc W_enc^T and W_dec^T W_dec (k x k), which
    is cheaper than an eigenvalue and keeps L an upper bound.

    Parameters
    ----------
    largest_eigenvalue : float, lambda_1 of S;
    grams : ndarray of shape (2, k, k), W_enc W_enc^T and W_dec^T W_dec;
    largest_penalty : float, max_j lambda_j.
    """
    e2, d2 = np.abs(grams).sum(axis=2).max(axis=1).tolist()
    curvature = 2 * largest_eigenvalue * (e2 + d2 + math.sqrt(e2 * d2) + 1)
    return 1.0 / (curvature + 2 * largest_penalty)


class _Point(NamedTuple):
    """J, the regularized objective and their gradient at one point M = [W_enc; W_dec^T].

    gradient : ndarray of shape (2k, D), [dJ/dW_enc; (dJ/dW_dec)^T] (penalty included);
    grams : ndarray of shape (2, k, k), W_enc W_enc^T and W_dec^T W_dec (for
    :func:`safe_step_size`).
    """

    J: float
    objective: float
    gradient: np.ndarray
    grams: np.ndarray


def _stack(W_enc: np.ndarray, W_dec: np.ndarray) -> np.ndarray:
    """M = [W_enc; W_dec^T], ndarray of shape (2k, D): both weights in one array, so that
    each step costs one product with S and one update."""
    return np.concatenate([W_enc, W_dec.T])


def _evaluate(S, trace, M, stacked_penalties) -> _Point:
    """J and its gradient at M = [W_enc; W_dec^T] (2k, D); ``stacked_penalties`` (2k, 1)
    is lambda_j twice, for W_enc's rows and W_dec's columns. With P = W_enc S,
    Q = W_enc S W_enc^T and G = W_dec^T W_dec (the module's J, expanded):
    J = tr S - 2 tr(P W_dec) + tr(Q G), dJ/dW_enc = 2 (G P - W_dec^T S),
    (dJ/dW_dec)^T = 2 (Q^T W_dec^T - P). Written for few numpy calls (each costs
    microseconds, as much as a product of these sizes): this runs at every iteration."""
    k = M.shape[0] // 2
    MS = M @ S  # [W_enc S; W_dec^T S]
    weights = M.reshape(2, k, -1)
    grams = weights @ weights.transpose(0, 2, 1)  # [W_enc W_enc^T, G]
    P, G = MS[:k], grams[1]
    Q = P @ M[:k].T
    J = trace - 2 * np.vdot(P, M[k:]) + np.vdot(Q, G)
    gradient = np.empty_like(M)
    np.matmul(G, P, out=gradient[:k])
    np.matmul(Q.T, M[k:], out=gradient[k:])
    gradient[:k] -= MS[k:]
    gradient[k:] -= P
    gradient += stacked_penalties * M
    gradient *= 2
    # sum_j lambda_j (|w_enc,j|^2 + |w_dec,j|^2)
    penalty = np.vdot(stacked_penalties.reshape(2, k), grams.diagonal(axis1=1, axis2=2))
    return _Point(float(J), float(J + penalty), gradient, grams)


def reconstruction_error(
    X: np.ndarray, W_enc: np.ndarray, W_dec: np.ndarray, b_enc: np.ndarray, b_dec: np.ndarray
) -> float:
    """J = (1/N) sum_n ||W_dec (W_enc x_n + b_enc) + b_dec - x_n||^2, summed over the samples.

    Parameters
    ----------
    X : ndarray of shape (N, D); W_enc : (k, D); W_dec : (D, k); b_enc : (k,); b_dec : (D,).
    """
    # In place: the live gradient check calls this ~100 times on digits (1797 x 64), where
    # temporaries cost more than the two products.
    codes = X @ W_enc.T
    codes += b_enc
    residual = codes @ W_dec.T
    residual += b_dec
    residual -= X  # x~_n - x_n
    return float(np.vdot(residual, residual)) / X.shape[0]


def initial_weights(
    reference: PCAReference, k: int, *, start: str = "random", init_scale: float = 0.1,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """(W_enc, W_dec) at iteration 0.

    "random": entries N(0, init_scale^2 / D), so rows of W_enc and columns of W_dec have
    norm about init_scale. "saddle": W_dec = [u_2 .. u_{k+1}], W_enc = W_dec^T, a critical
    point that is a saddle (Baldi & Hornik 1989: every critical point other than the top-k
    subspace is), plus the same random perturbation of size init_scale.

    Returns
    -------
    W_enc : ndarray of shape (k, D); W_dec : ndarray of shape (D, k).
    """
    if start not in STARTS:
        raise ValueError(f"start must be one of {', '.join(STARTS)}, not {start!r}.")
    D = reference.mean.shape[0]
    rng = np.random.default_rng(seed)
    W_enc = rng.normal(0.0, init_scale / np.sqrt(D), (k, D))
    W_dec = rng.normal(0.0, init_scale / np.sqrt(D), (D, k))
    if start == "saddle":
        others = reference.basis[1 : k + 1]  # u_2 .. u_{k+1}, (k, D)
        W_enc += others
        W_dec += others.T
    return W_enc, W_dec


def snapshot_iterations(iterations: int, snapshots: int) -> np.ndarray:
    """At most ``snapshots`` iterations from 0 to ``iterations``, spaced geometrically.

    Gradient descent changes most early on, so geometric spacing (ndarray of ints,
    ascending, 0 and ``iterations`` included) gives an animation that moves evenly.
    """
    spaced = np.geomspace(1, iterations + 1, max(snapshots, 2)).round().astype(int) - 1
    return np.unique(np.concatenate([[0, iterations], spaced]))


@dataclass(frozen=True)
class History:
    """Snapshots of training, S of them.

    iteration : ndarray of shape (S,) ints; J : ndarray of shape (S,);
    angles : ndarray of shape (S, k), principal angles in degrees (ascending) between
    span(W_dec) and span(u_1..u_k); W_enc : ndarray of shape (S, k, D);
    W_dec : ndarray of shape (S, D, k).
    """

    iteration: np.ndarray
    J: np.ndarray
    angles: np.ndarray
    W_enc: np.ndarray
    W_dec: np.ndarray

    @property
    def max_angle(self) -> np.ndarray:
        """The largest principal angle at each snapshot, ndarray of shape (S,)."""
        return self.angles[:, -1]


@dataclass(frozen=True)
class AutoencoderFit:
    """A trained linear autoencoder, x~ = W_dec (W_enc x + b_enc) + b_dec.

    W_enc : (k, D); W_dec : (D, k); b_enc : (k,); b_dec : (D,); history : History;
    loss : ndarray of shape (T + 1,), J after each of the T iterations run (J at t = 0
    first); reference : the PCAReference; unit_penalties : ndarray of shape (k,);
    halvings : how often the automatic step was halved because the objective rose;
    diverged_at : the iteration at which a given step size made the objective blow up
    (training stopped there), or None.
    """

    W_enc: np.ndarray
    W_dec: np.ndarray
    b_enc: np.ndarray
    b_dec: np.ndarray
    history: History
    loss: np.ndarray
    reference: PCAReference
    unit_penalties: np.ndarray
    halvings: int
    diverged_at: int | None

    def reconstruct(self, X: np.ndarray, snapshot: int | None = None) -> np.ndarray:
        """x~_n for the rows of X (N, D) with the final weights or those of a snapshot."""
        W_enc = self.W_enc if snapshot is None else self.history.W_enc[snapshot]
        W_dec = self.W_dec if snapshot is None else self.history.W_dec[snapshot]
        mean = self.reference.mean
        return (X - mean) @ W_enc.T @ W_dec.T + mean

    @property
    def final_max_angle(self) -> float:
        return float(self.history.max_angle[-1])


def train_linear_autoencoder(
    X: np.ndarray,
    k: int,
    *,
    iterations: int,
    lr: float | None = None,
    seed: int = 0,
    l2: float = 0.0,
    l2_mode: str = "uniform",
    snapshots: int = 60,
    init_scale: float = 0.1,
    start: str = "random",
    reference: PCAReference | None = None,
) -> AutoencoderFit:
    """Full-batch gradient descent on J + sum_j lambda_j (||W_enc[j]||^2 + ||W_dec[:, j]||^2).

    With A = W_dec W_enc (biases at their optimum, see the module docstring):

        dJ/dW_enc = 2 W_dec^T (A - I) S,   dJ/dW_dec = 2 (A - I) S W_enc^T,

    plus 2 lambda_j times the unit's weights. The step is eta = :func:`safe_step_size` at the
    current weights, halved (for the rest of training) whenever a step would raise the
    objective, which is then undone: the objective never increases. A given ``lr`` is used
    as a fixed step instead, without that safeguard; if the objective then overflows,
    training stops and ``diverged_at`` says when.

    Parameters
    ----------
    X : ndarray of shape (N, D).
    k : int, hidden units, 1 <= k <= min(N, D) - 1.
    iterations : int, T gradient steps.
    lr : float or None, a fixed step size (None: automatic).
    seed : int, for the initial weights (numpy.random.default_rng).
    l2, l2_mode : weight decay, see :func:`penalties` (0: none).
    snapshots : int, at most this many snapshots (:func:`snapshot_iterations`).
    init_scale, start : see :func:`initial_weights`.
    reference : the :func:`pca_reference` of (X, k) if already computed.

    Returns
    -------
    AutoencoderFit; history.angles are the principal angles between span(W_dec) and the
    PCA subspace span(u_1..u_k), which Baldi & Hornik (1989) show gradient descent reaches
    from almost every start (the seed's Q4 conclusion).
    """
    _check_k(X, k)
    reference = reference if reference is not None else pca_reference(X, k)
    centred = X - reference.mean
    S = centred.T @ centred / X.shape[0]
    trace = float(np.trace(S))
    unit_penalties = penalties(k, l2, l2_mode)
    stacked_penalties = np.concatenate([unit_penalties, unit_penalties])[:, None]
    largest_eigenvalue = float(reference.eigenvalues[0])
    largest_penalty = float(unit_penalties.max())
    M = _stack(*initial_weights(reference, k, start=start, init_scale=init_scale, seed=seed))
    point = _evaluate(S, trace, M, stacked_penalties)
    blow_up = 1e6 * max(point.objective, trace)
    wanted = set(snapshot_iterations(iterations, snapshots).tolist())
    taken = []  # (iteration, J, M)
    loss = [point.J]
    multiplier, halvings, diverged_at = 1.0, 0, None
    for t in range(iterations):
        if t in wanted:
            taken.append((t, point.J, M))
        bound = None if lr is not None else safe_step_size(  # at the current weights
            largest_eigenvalue, point.grams, largest_penalty)
        while True:
            step = lr if lr is not None else multiplier * bound
            new_M = M - step * point.gradient
            new_point = _evaluate(S, trace, new_M, stacked_penalties)
            rose = new_point.objective > point.objective + 1e-12 * trace
            if lr is not None or not rose or halvings >= MAX_HALVINGS:
                break
            multiplier /= 2
            halvings += 1
        if not math.isfinite(new_point.objective) or new_point.objective > blow_up:
            diverged_at = t + 1
            break
        M, point = new_M, new_point
        loss.append(point.J)
    if not taken or taken[-1][0] != len(loss) - 1:
        taken.append((len(loss) - 1, point.J, M))
    iteration, J, stacked = zip(*taken)
    stacked = np.array(stacked)  # (S, 2k, D)
    W_encs, W_decs = stacked[:, :k].copy(), stacked[:, k:].transpose(0, 2, 1).copy()
    history = History(
        iteration=np.array(iteration), J=np.array(J),
        angles=np.array([principal_angles(W, reference.components.T) for W in W_decs]),
        W_enc=W_encs, W_dec=W_decs,
    )
    W_enc, W_dec = W_encs[-1].copy(), W_decs[-1].copy()
    return AutoencoderFit(
        W_enc=W_enc, W_dec=W_dec, b_enc=-W_enc @ reference.mean, b_dec=reference.mean.copy(),
        history=history, loss=np.array(loss), reference=reference,
        unit_penalties=unit_penalties, halvings=halvings, diverged_at=diverged_at,
    )


def gradients(
    X: np.ndarray, W_enc: np.ndarray, W_dec: np.ndarray, unit_penalties: np.ndarray | None = None
) -> tuple[float, np.ndarray, np.ndarray]:
    """J and its gradients at (W_enc, W_dec), the biases at their optimum, through S.

    dJ/dW_enc = 2 W_dec^T (A - I) S (k, D) and dJ/dW_dec = 2 (A - I) S W_enc^T (D, k), with
    A = W_dec W_enc, plus 2 lambda_j times unit j's weights when ``unit_penalties`` (k,)
    is given; equal to the gradients of (1/N) sum_n ||x~_n - x_n||^2 summed over the N
    samples with b_enc = -W_enc xbar, b_dec = xbar held fixed (their gradient is zero).

    Returns
    -------
    (J, dJ/dW_enc of shape (k, D), dJ/dW_dec of shape (D, k)); J without the penalty.
    """
    centred = X - X.mean(axis=0)
    S = centred.T @ centred / X.shape[0]
    k = W_enc.shape[0]
    unit_penalties = np.zeros(k) if unit_penalties is None else unit_penalties
    point = _evaluate(S, float(np.trace(S)), _stack(W_enc, W_dec),
                      np.concatenate([unit_penalties, unit_penalties])[:, None])
    return point.J, point.gradient[:k].copy(), point.gradient[k:].T.copy()


def snapshot_reconstructions(fit: AutoencoderFit, points: np.ndarray) -> np.ndarray:
    """x~ of each point at each snapshot, ndarray of shape (S, m, D) for points (m, D).

    x~ = W_dec W_enc (x - xbar) + xbar with the snapshot's weights (biases at their optimum).
    """
    mean = fit.reference.mean
    codes = np.einsum("skd,md->smk", fit.history.W_enc, points - mean)
    return np.einsum("sdk,smk->smd", fit.history.W_dec, codes) + mean


def abs_cosines(W: np.ndarray, components: np.ndarray) -> np.ndarray:
    """|cos| between principal direction u_i and column j of W, ndarray of shape (k, q).

    |u_i^T w_j| / ||w_j|| for components (k, D) as rows (unit norm) and W (D, q); the
    identity (up to order) means the columns are the principal directions themselves.
    """
    norms = np.linalg.norm(W, axis=0)
    return np.abs(components @ W) / np.where(norms > 0, norms, 1.0)

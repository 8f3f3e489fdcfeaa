"""Central finite differences and relative errors: the oracle for every gradient."""

from __future__ import annotations

from typing import Callable

import numpy as np

TINY = 1e-300


def relative_error(a, b, tiny: float = TINY) -> float:
    """|a - b| / max(|a|, |b|, tiny), with |.| the Euclidean (Frobenius) norm for arrays."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), tiny))


def central_difference(
    f: Callable[[np.ndarray], float],
    x: np.ndarray,
    indices: np.ndarray | None = None,
    eps: float = 1e-6,
) -> np.ndarray:
    """(f(x + eps e_i) - f(x - eps e_i)) / (2 eps) for every flat index i (or those given).

    Parameters
    ----------
    f : function of an array shaped like x, returning a float (evaluated in float64).
    x : ndarray of any shape; it is perturbed in a float64 copy, never in place.
    indices : ndarray of shape (m,) of flat indices, or None for all x.size entries.

    Returns
    -------
    ndarray of shape (m,) (or x.shape when indices is None). Truncation error O(eps^2).
    """
    x = np.array(x, dtype=float)
    flat = x.reshape(-1)
    chosen = np.arange(flat.size) if indices is None else np.asarray(indices)
    out = np.empty(chosen.size)
    for j, i in enumerate(chosen):
        saved = flat[i]
        flat[i] = saved + eps
        f_plus = f(x)
        flat[i] = saved - eps
        f_minus = f(x)
        flat[i] = saved
        out[j] = (f_plus - f_minus) / (2.0 * eps)
    return out.reshape(x.shape) if indices is None else out


def sample_indices(size: int, limit: int, rng: np.random.Generator) -> np.ndarray:
    """All flat indices 0..size-1 if size <= limit, else a sorted random sample of limit."""
    if size <= limit:
        return np.arange(size)
    return np.sort(rng.choice(size, size=limit, replace=False))


def check_gradients(
    loss_of: Callable[[dict[str, np.ndarray]], float],
    arrays: dict[str, np.ndarray],
    grads: dict[str, np.ndarray],
    *,
    limit: int | None = None,
    seed: int = 0,
    eps: float = 1e-6,
) -> dict[str, dict]:
    """Compare analytic gradients with central differences, array by array.

    Parameters
    ----------
    loss_of : the loss as a function of all arrays by name.
    arrays, grads : the same names, each gradient shaped like its array.
    limit : check at most this many entries per array (a seeded random sample), or all.

    Returns
    -------
    For each name: ``checked`` and ``total`` entry counts and ``relative_error`` of the
    analytic entries against the finite differences on the checked entries.
    """
    rng = np.random.default_rng(seed)
    report = {}
    for name, value in arrays.items():
        indices = sample_indices(value.size, limit or value.size, rng)

        def loss_of_one(x: np.ndarray, name: str = name) -> float:
            return loss_of({**arrays, name: x})

        numeric = central_difference(loss_of_one, value, indices, eps)
        analytic = np.asarray(grads[name]).reshape(-1)[indices]
        report[name] = {
            "checked": int(indices.size),
            "total": int(value.size),
            "relative_error": relative_error(analytic, numeric),
        }
    return report

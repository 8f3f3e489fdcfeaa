"""Central finite differences and relative errors: the oracle for every gradient."""

from __future__ import annotations

import functools
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
    many: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """Central differences with the five-point stencil, for every flat index i (or those given).

    df/dx_i ~ [-f(x + 2 eps e_i) + 8 f(x + eps e_i) - 8 f(x - eps e_i) + f(x - 2 eps e_i)]
              / (12 eps),
    truncation error O(eps^4): accurate where the gradient explodes and the three-point
    stencil's O(eps^2) error (third derivatives grow like the gradient's cube) exceeds 1e-6.

    Parameters
    ----------
    f : function of an array shaped like x, returning a float (evaluated in float64).
    x : ndarray of any shape; it is perturbed in a float64 copy, never in place.
    indices : ndarray of shape (m,) of flat indices, or None for all x.size entries.
    many : f over a stack, or None: many(X) for X of shape (4 m, *x.shape) returns the 4 m
        values at once (all the stencil's points in one call; f is then not called).

    Returns
    -------
    ndarray of shape (m,) (or x.shape when indices is None).
    """
    x = np.array(x, dtype=float)
    flat = x.reshape(-1)
    chosen = np.arange(flat.size) if indices is None else np.asarray(indices)
    offsets = np.array([2.0, 1.0, -1.0, -2.0])
    if many is not None:
        points = np.repeat(flat[None], 4 * chosen.size, axis=0)
        points[np.arange(points.shape[0]), np.repeat(chosen, 4)] += np.tile(offsets * eps,
                                                                            chosen.size)
        values = np.asarray(many(points.reshape(-1, *x.shape))).reshape(chosen.size, 4)
    else:
        values = np.empty((chosen.size, 4))
        for j, i in enumerate(chosen):
            saved = flat[i]
            for column, offset in enumerate(offsets):
                flat[i] = saved + offset * eps
                values[j, column] = f(x)
            flat[i] = saved
    out = (-values[:, 0] + 8.0 * values[:, 1] - 8.0 * values[:, 2] + values[:, 3]) / (12.0 * eps)
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
    eps: float | None = None,
    losses_of: Callable[[str, np.ndarray], np.ndarray] | None = None,
) -> dict[str, dict]:
    """Compare analytic gradients with central differences, array by array.

    Parameters
    ----------
    loss_of : the loss as a function of all arrays by name.
    arrays, grads : the same names, each gradient shaped like its array.
    limit : check at most this many entries per array (a seeded random sample), or all.
    eps : the step; None picks min(1e-6, 3e-3 / max|g|) per array, so that eps |g| stays
        small where the loss is steep (an exploding RNN), keeping truncation below 1e-6.
    losses_of : the loss at many points at once, or None: losses_of(name, X) for X of
        shape (P, *arrays[name].shape) returns the P losses with that array set to each
        X[p] and the others as given (one call per array instead of four per entry).

    Returns
    -------
    For each name: ``checked`` and ``total`` entry counts, the flat ``indices`` checked,
    the step ``eps`` used and ``relative_error`` of the
    analytic entries against the finite differences on the checked entries. The error's
    denominator is at least the differences' rounding level, 1e-3 sqrt(m) max(1, |L|) for m
    checked entries (the stencil's rounding error is ~3e-10 |L| per entry at eps = 1e-6),
    so that a gradient that is exactly 0 (W_hh when T = 1 and h_0 = 0) is not a failure.
    """
    rng = np.random.default_rng(seed)
    loss_scale = max(1.0, abs(loss_of(arrays)))
    report = {}
    for name, value in arrays.items():
        indices = sample_indices(value.size, limit or value.size, rng)

        def loss_of_one(x: np.ndarray, name: str = name) -> float:
            return loss_of({**arrays, name: x})

        gradient = np.asarray(grads[name])
        step = eps or min(1e-6, 3e-3 / max(float(np.abs(gradient).max()), 1e-300))
        many = None if losses_of is None else functools.partial(losses_of, name)
        numeric = central_difference(loss_of_one, value, indices, step, many)
        analytic = gradient.reshape(-1)[indices]
        report[name] = {
            "checked": int(indices.size),
            "total": int(value.size),
            "indices": indices,
            "eps": step,
            "relative_error": relative_error(
                analytic, numeric, tiny=1e-3 * np.sqrt(indices.size) * loss_scale),
        }
    return report

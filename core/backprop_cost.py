"""What a gradient costs in an MLP (question 3 of the seed): parameters and multiplications.

The counting model (the page states it; every count below counts exactly this):

    h_0 = x (d,),   a_l = W_l h_{l-1} + b_l,   h_l = tanh(a_l)   for l = 1..L,
    u = W_{L+1} h_L + b_{L+1} (c,),   a scalar J(u),   g = dJ/du given.

Layer widths n_0 = d, n_1 = ... = n_L = n, n_{L+1} = c; W_l has shape (n_l, n_{l-1}).
The forward values h_l and f'(a_l) = 1 - h_l^2 are stored. Only scalar multiplications
are counted; additions are free.

- Reverse mode (backprop): delta_{L+1} = g; for l = L+1 .. 1: dJ/dW_l = delta_l h_{l-1}^T,
  dJ/db_l = delta_l, and for l >= 2 delta_{l-1} = (W_l^T delta_l) * f'(a_{l-1}).
- Forward mode: for every parameter separately, one pass of a dense tangent vector from
  that parameter to J (seeding is free; f' products cost the layer's width, matrix
  products rows*cols, the final g . du costs c).
- Path summation: for every parameter separately, the sum over every path to J of the
  product of the local derivatives on the path, each product formed from scratch.

The instrumented algorithms in :func:`gradients` run for real and count each scalar
multiplication as it is executed; the closed forms are exact Python ints.

Reference: the seed's question 3; the path view of the chain rule is the one of
Baydin et al. (2018), "Automatic differentiation in machine learning: a survey", JMLR 18.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from core.gradcheck import check_gradients, relative_error

METHODS = ("backprop", "forward_mode", "path_sum")

# Instrumented runs refuse to start above this many multiplications (about 1 s of numpy):
# a deep network must never start an exponential run.
MAX_MULTIPLICATIONS = 20_000_000
# What the page affords for one instrumented run (a few milliseconds each).
RUN_BUDGET = 1_000_000


def _check_sizes(d: int, n: int, c: int, L: int) -> None:
    for name, value in (("d", d), ("n", n), ("c", c), ("L", L)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")


def _widths(d: int, n: int, c: int, L: int) -> list[int]:
    """[n_0, ..., n_{L+1}] = [d, n, ..., n, c]."""
    return [d] + [n] * L + [c]


def parameter_count(d: int, n: int, c: int, L: int, bias: bool = True) -> int:
    """Number of scalar parameters of the MLP.

    P = n d + (L - 1) n^2 + c n  [+ L n + c with biases].

    Parameters
    ----------
    d, n, c, L : int >= 1, inputs, hidden width, outputs, hidden layers.
    bias : whether the layers have biases b_1 (n,) .. b_L (n,), b_{L+1} (c,).

    Returns
    -------
    int, exact. Reference: the seed's question 3 1) (design doc slip 5).
    """
    _check_sizes(d, n, c, L)
    return n * d + (L - 1) * n * n + c * n + (L * n + c if bias else 0)


def backprop_multiplications(d: int, n: int, c: int, L: int) -> int:
    """Multiplications of reverse mode (backprop) for all weight and bias gradients.

    M_bp = sum_l n_l n_{l-1}  (dJ/dW_l = delta_l h_{l-1}^T)
         + sum_{l>=2} (n_l n_{l-1} + n)  (delta_{l-1} = (W_l^T delta_l) * f'(a_{l-1}))
         = n d + 2 (L - 1) n^2 + 2 c n + L n.

    Biases cost nothing (dJ/db_l = delta_l), so there is no bias argument.

    Returns
    -------
    int, exact, linear in L. Reference: the seed's question 3 2) (design doc slip 6).
    """
    _check_sizes(d, n, c, L)
    return n * d + 2 * (L - 1) * n * n + 2 * c * n + L * n


def _geometric_sums(n: int, K: int) -> tuple[int, int]:
    """(S, T) = (sum_{k=0}^{K} n^k, sum_{k=0}^{K} k n^k) in closed form, exact; (0, 0) if K < 0."""
    if K < 0:
        return 0, 0
    if n == 1:
        return K + 1, K * (K + 1) // 2
    S = (n ** (K + 1) - 1) // (n - 1)
    T = n * (1 - (K + 1) * n**K + K * n ** (K + 1)) // (n - 1) ** 2
    return S, T


def path_count(d: int, n: int, c: int, L: int, layer: int | None = None) -> int:
    """Number of paths in the MLP's graph.

    layer None: paths from the d inputs to the c outputs, d n^L c.
    layer l in 1..L: paths from one unit of hidden layer l (hence from any one weight or
    bias of layer l) to J, c n^(L - l); layer L + 1: one path (u_i -> J).

    Returns
    -------
    int, exact. Reference: the seed's question 3 3) (design doc slip 7).
    """
    _check_sizes(d, n, c, L)
    if layer is None:
        return d * n**L * c
    if not 1 <= layer <= L + 1:
        raise ValueError(f"layer must be in 1..{L + 1}, got {layer}")
    return 1 if layer == L + 1 else c * n ** (L - layer)


def path_sum_multiplications(d: int, n: int, c: int, L: int, bias: bool = True) -> int:
    """Multiplications of naive path summation for all weight and bias gradients.

    A path from W_l[i, j] (l <= L) has 2 (L - l) + 4 factors: h_{l-1,j}, f'(a_{l,i}), a
    weight and an f' per later hidden layer, W_{L+1}[k, .], g_k; there are c n^(L-l) of
    them. With k = L - l:

    M_ps = c d n^L (2L + 1) + c sum_{k=0}^{L-2} (2k + 3) n^(k+2) + c n
           [+ c sum_{k=0}^{L-1} (2k + 2) n^(k+1) with biases],

    evaluated through the geometric sums S_K = sum n^k and T_K = sum k n^k.

    Returns
    -------
    int, exact for any size, exponential in L. Reference: the seed's question 3 3).
    """
    _check_sizes(d, n, c, L)
    S_mid, T_mid = _geometric_sums(n, L - 2)
    weights = c * d * n**L * (2 * L + 1) + c * n * n * (2 * T_mid + 3 * S_mid) + c * n
    if not bias:
        return weights
    S_all, T_all = _geometric_sums(n, L - 1)
    return weights + c * n * (2 * T_all + 2 * S_all)


def forward_mode_multiplications(d: int, n: int, c: int, L: int, bias: bool = True) -> int:
    """Multiplications of forward mode, one dense tangent pass per parameter.

    A parameter of layer l <= L costs F_k = n + k (n^2 + n) + c n + c with k = L - l
    (f', then k times W and f', then W_{L+1} and g . du); one of layer L + 1 costs c:

    M_fm = (n d [+ n]) F_{L-1} + (n^2 [+ n]) sum_{k=0}^{L-2} F_k + (c n [+ c]) c,
    sum_{k=0}^{L-2} F_k = (L - 1)(n + c n + c) + (n^2 + n)(L - 1)(L - 2) / 2.

    Returns
    -------
    int, exact, quadratic in L. Reference: Baydin et al. (2018), section 3.1.
    """
    _check_sizes(d, n, c, L)
    b = 1 if bias else 0

    def cost(k: int) -> int:
        return n + k * (n * n + n) + c * n + c

    middle = (L - 1) * (n + c * n + c) + (n * n + n) * (L - 1) * (L - 2) // 2
    return (n * d + b * n) * cost(L - 1) + (n * n + b * n) * middle + (c * n + b * c) * c


CLOSED_FORMS = {
    "backprop": lambda d, n, c, L, bias: backprop_multiplications(d, n, c, L),
    "forward_mode": forward_mode_multiplications,
    "path_sum": path_sum_multiplications,
}


def multiplications(method: str, d: int, n: int, c: int, L: int, bias: bool = True) -> int:
    """The closed-form count of ``method`` (one of METHODS) for these sizes."""
    if method not in CLOSED_FORMS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return CLOSED_FORMS[method](d, n, c, L, bias)


def seed_answers(d: int, n: int, c: int, L: int) -> dict[str, int]:
    """The handwritten solution's three formulas, as written, evaluated at these sizes.

    parameters : c n + n^2 (L - 1) + c n                      (slip 5: cn for dn, no biases)
    backprop   : 2 n c + 2 n + (2 n^2 + 2 n)(L - 1) + 2 n d    (slip 6)
    path_sum   : 2 c n + c n + 2 n^2 + 2 d n + sum_{i=1}^{L-1} (L - i + 1) c n^(L-i)  (slip 7)

    Returns
    -------
    dict with int values under "parameters", "backprop" and "path_sum".
    Reference: the seed's question 3 1), 2), 3).
    """
    _check_sizes(d, n, c, L)
    return {
        "parameters": c * n + n * n * (L - 1) + c * n,
        "backprop": 2 * n * c + 2 * n + (2 * n * n + 2 * n) * (L - 1) + 2 * n * d,
        "path_sum": 2 * c * n + c * n + 2 * n * n + 2 * d * n
        + sum((L - i + 1) * c * n ** (L - i) for i in range(1, L)),
    }


@dataclass(frozen=True)
class MLP:
    """An MLP with tanh hidden layers and a linear output layer.

    weights : list of L + 1 float64 ndarrays, W_1 (n, d), W_l (n, n), W_{L+1} (c, n).
    biases : list of L + 1 float64 ndarrays b_1 (n,) .. b_{L+1} (c,), or None.
    """

    weights: list
    biases: list | None

    @property
    def depth(self) -> int:
        """L, the number of hidden layers."""
        return len(self.weights) - 1

    @property
    def size(self) -> int:
        """Number of scalar parameters (summed array sizes)."""
        arrays = self.weights + (self.biases or [])
        return sum(a.size for a in arrays)


def random_mlp(d: int, n: int, c: int, L: int, *, seed: int = 0, bias: bool = True) -> MLP:
    """Random parameters: W_l ~ N(0, 1/n_{l-1}) entrywise, b_l ~ N(0, 0.5^2).

    Returns
    -------
    MLP with weights W_1 (n, d), W_2..W_L (n, n), W_{L+1} (c, n) and biases (n,)..(c,)
    (None when bias is False).
    """
    _check_sizes(d, n, c, L)
    rng = np.random.default_rng(seed)
    widths = _widths(d, n, c, L)
    weights = [
        rng.normal(0.0, 1.0 / np.sqrt(fan_in), size=(fan_out, fan_in))
        for fan_in, fan_out in zip(widths[:-1], widths[1:])
    ]
    biases = [rng.normal(0.0, 0.5, size=w) for w in widths[1:]] if bias else None
    return MLP(weights, biases)


def random_point(mlp: MLP, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """An input x ~ N(0, 1) of shape (d,) and an output gradient g = dJ/du ~ N(0, 1) (c,)."""
    rng = np.random.default_rng(seed)
    d, c = mlp.weights[0].shape[1], mlp.weights[-1].shape[0]
    return rng.normal(size=d), rng.normal(size=c)


def forward(mlp: MLP, x: np.ndarray) -> tuple[list, list, np.ndarray]:
    """The forward pass (not counted: its values are stored).

    Returns
    -------
    h : list of L + 1 ndarrays, h_0 = x (d,), h_1..h_L (n,);
    f_prime : list of L + 1 ndarrays, f_prime[l] = 1 - h_l^2 (n,) for l >= 1 (entry 0 None);
    u : ndarray of shape (c,), W_{L+1} h_L + b_{L+1}.
    """
    biases = mlp.biases or [0.0] * len(mlp.weights)
    h, f_prime = [np.asarray(x, dtype=float)], [None]
    for W, b in zip(mlp.weights[:-1], biases[:-1]):
        h.append(np.tanh(W @ h[-1] + b))
        f_prime.append(1.0 - h[-1] ** 2)
    return h, f_prime, mlp.weights[-1] @ h[-1] + biases[-1]


class MultiplicationCounter:
    """numpy products that add the number of scalar multiplications they execute."""

    def __init__(self) -> None:
        self.count = 0

    def multiply(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Elementwise a * b (broadcast): one multiplication per entry of the result."""
        out = np.multiply(a, b)
        self.count += out.size
        return out

    def matmul(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        """A @ B: rows(A) * cols(A) multiplications per column of B."""
        out = A @ B
        self.count += A.shape[0] * A.shape[1] * (B.shape[1] if B.ndim == 2 else 1)
        return out


def _backprop(mlp, h, f_prime, g, counter, bias):
    """Reverse mode; see the module docstring. Returns (dW, db) lists by layer."""
    L = mlp.depth
    dW, db = [None] * (L + 1), [None] * (L + 1)
    delta = g
    for l in range(L + 1, 0, -1):
        dW[l - 1] = counter.multiply(delta[:, None], h[l - 1][None, :])
        db[l - 1] = delta.copy() if bias else None
        if l >= 2:
            delta = counter.multiply(counter.matmul(mlp.weights[l - 1].T, delta), f_prime[l - 1])
    return dW, db


def _forward_mode(mlp, h, f_prime, g, counter, bias):
    """One dense tangent pass per parameter, all parameters of a layer side by side."""
    L = mlp.depth
    dW, db = [], []
    for l, W in enumerate(mlp.weights, start=1):
        rows, cols = W.shape
        seeds = np.zeros((rows, rows, cols))  # column (i, j) is da_l / dW_l[i, j] = e_i h_{l-1,j}
        seeds[np.arange(rows), np.arange(rows), :] = h[l - 1]
        tangent = seeds.reshape(rows, rows * cols)
        if bias:  # column i is da_l / db_l[i] = e_i
            tangent = np.hstack([tangent, np.eye(rows)])
        if l <= L:
            tangent = counter.multiply(f_prime[l][:, None], tangent)
            for m in range(l + 1, L + 1):
                tangent = counter.multiply(
                    f_prime[m][:, None], counter.matmul(mlp.weights[m - 1], tangent)
                )
            tangent = counter.matmul(mlp.weights[L], tangent)
        dJ = counter.matmul(g[None, :], tangent)[0]
        dW.append(dJ[: rows * cols].reshape(rows, cols))
        db.append(dJ[rows * cols:] if bias else None)
    return dW, db


def _tail_factors(mlp, f_prime, g, l):
    """The local derivatives on every path from a unit of layer l to J.

    Returns a list of ndarrays of shape (n_l, P), P = c n^(L-l) paths per start unit:
    [f'(a_{l,u_l}), W_{l+1}[u_{l+1}, u_l], f'(a_{l+1,u_{l+1}}), ..., W_{L+1}[k, u_L], g_k]
    (just [g_k] for l = L + 1).
    """
    L = mlp.depth
    widths = [w.shape[0] for w in mlp.weights[l - 1:]]  # n_l, ..., n_L, c
    units = _unit_paths(widths).T.reshape(len(widths), widths[0], -1)  # units[m - l] = u_m
    if l == L + 1:
        return [g[units[0]]]
    factors = [f_prime[l][units[0]]]
    for m in range(l + 1, L + 2):
        factors.append(mlp.weights[m - 1][units[m - l], units[m - l - 1]])
        factors.append(f_prime[m][units[m - l]] if m <= L else g[units[m - l]])
    return factors


def _unit_paths(widths: list[int]) -> np.ndarray:
    """Every sequence of units (u_l, ..., u_{L+1}), one per row, in lexicographic order."""
    return np.indices(widths).reshape(len(widths), -1).T


def paths_from_unit(n: int, c: int, L: int, layer: int, unit: int = 0) -> np.ndarray:
    """Every path from one unit of ``layer`` to the outputs, by brute-force enumeration.

    Returns
    -------
    ndarray of int of shape (P, L + 2 - layer), P = c n^(L - layer): row p lists the unit
    reached in layers layer, ..., L, L + 1 (the last column is the output k). Reference:
    the path view of the chain rule in the seed's question 3 3).
    """
    _check_sizes(1, n, c, L)
    if not 1 <= layer <= L + 1:
        raise ValueError(f"layer must be in 1..{L + 1}, got {layer}")
    if layer == L + 1:
        return np.array([[unit]])
    rest = _unit_paths([n] * (L - layer) + [c])  # units in layers layer + 1, ..., L + 1
    return np.hstack([np.full((len(rest), 1), unit), rest])


def _product(counter, factors):
    """The product of the factors, left to right, one multiplication per factor after the first."""
    product = factors[0]
    for factor in factors[1:]:
        product = counter.multiply(product, factor)
    return product


def _path_sum(mlp, h, f_prime, g, counter, bias):
    """Every parameter separately: the sum over its paths of products formed from scratch."""
    dW, db = [], []
    for l in range(1, mlp.depth + 2):
        tail = _tail_factors(mlp, f_prime, g, l)
        # Path products for W_l[i, j], shape (n_{l-1}, n_l, P): h_{l-1,j} then the tail.
        head = np.broadcast_to(h[l - 1][:, None, None], (h[l - 1].size,) + tail[0].shape)
        dW.append(_product(counter, [head] + tail).sum(axis=2).T)
        db.append(_product(counter, tail).sum(axis=1) if bias else None)
    return dW, db


_ALGORITHMS = {"backprop": _backprop, "forward_mode": _forward_mode, "path_sum": _path_sum}


def gradients(
    mlp: MLP,
    x: np.ndarray,
    g: np.ndarray,
    method: str,
    *,
    max_multiplications: int = MAX_MULTIPLICATIONS,
) -> tuple[list, list | None, int]:
    """dJ/dW_l and dJ/db_l by ``method``, run for real, counting every scalar multiplication.

    backprop:      dJ/dW_l = delta_l h_{l-1}^T, delta_{l-1} = (W_l^T delta_l) * f'(a_{l-1});
    forward_mode:  dJ/dtheta = g . (du/dtheta), one dense tangent pass per parameter theta;
    path_sum:      dJ/dtheta = sum over paths theta -> J of the product of local derivatives.

    Parameters
    ----------
    mlp : MLP with L hidden layers; x : ndarray of shape (d,); g : ndarray of shape (c,),
        dJ/du at the forward pass's output u.
    method : one of METHODS.
    max_multiplications : refuse (ValueError) before starting a run whose closed-form count
        is larger: an exponential run at L = 30 would never finish.

    Returns
    -------
    dW : list of L + 1 ndarrays shaped like mlp.weights; db : list shaped like mlp.biases,
    or None without biases; multiplications : int, counted while the algorithm ran.
    Reference: the seed's question 3.
    """
    if method not in _ALGORITHMS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    d, n, c, L = _sizes(mlp)
    x, g = np.asarray(x, dtype=float), np.asarray(g, dtype=float)
    if x.shape != (d,) or g.shape != (c,):
        raise ValueError(f"x must have shape ({d},) and g shape ({c},)")
    bias = mlp.biases is not None
    planned = multiplications(method, d, n, c, L, bias)
    if planned > max_multiplications:
        raise ValueError(
            f"{method} would need {planned:,} multiplications (limit {max_multiplications:,})"
        )
    h, f_prime, _ = forward(mlp, x)
    counter = MultiplicationCounter()
    dW, db = _ALGORITHMS[method](mlp, h, f_prime, g, counter, bias)
    return dW, (db if bias else None), counter.count


def _sizes(mlp: MLP) -> tuple[int, int, int, int]:
    W_1, W_out = mlp.weights[0], mlp.weights[-1]
    return W_1.shape[1], W_1.shape[0], W_out.shape[0], mlp.depth


def affordable(method: str, d: int, n: int, c: int, L: int, bias: bool = True,
               budget: int = RUN_BUDGET) -> bool:
    """Whether an instrumented run of ``method`` stays within ``budget`` multiplications."""
    return multiplications(method, d, n, c, L, bias) <= budget


def instrumented_counts(d: int, n: int, c: int, L: int, *, bias: bool = True, seed: int = 0,
                        budget: int = RUN_BUDGET) -> dict[str, int | None]:
    """Each method's multiplications counted in a run on random_mlp(d, n, c, L), or None
    where the run would exceed ``budget`` (it is then not started)."""
    mlp = random_mlp(d, n, c, L, seed=seed, bias=bias)
    x, g = random_point(mlp, seed=seed)
    return {m: gradients(mlp, x, g, m)[2] if affordable(m, d, n, c, L, bias, budget) else None
            for m in METHODS}


def timed_gradients(mlp: MLP, x: np.ndarray, g: np.ndarray, method: str,
                    repeats: int = 3) -> tuple[list, list | None, int, float]:
    """:func:`gradients` run ``repeats`` times: (dW, db, multiplications, best seconds)."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        dW, db, counted = gradients(mlp, x, g, method)
        best = min(best, time.perf_counter() - start)
    return dW, db, counted, best


@dataclass(frozen=True)
class Sweep:
    """Counts of the three methods as one size varies, the others fixed.

    values : ndarray of int of shape (m,), the varied size (L or n).
    formula : dict method -> tuple of m exact ints (the closed forms).
    counted : dict method -> ndarray of shape (m,), instrumented counts (float64, exact
        below 2^53), NaN where a run would exceed the budget.
    seconds : dict method -> ndarray of shape (m,), best wall-clock time of the run, NaN
        where not run.
    parameters : tuple of m exact ints.
    """

    values: np.ndarray
    formula: dict
    counted: dict
    seconds: dict
    parameters: tuple


def sweep(d: int, n: int, c: int, L: int, *, vary: str, values, bias: bool = True,
          seed: int = 0, budget: int = RUN_BUDGET, repeats: int = 1) -> Sweep:
    """Closed forms for every value of ``vary`` ("L" or "n"), instrumented runs where affordable.

    Each run is bounded by ``budget`` multiplications (checked on the closed form before it
    starts), so a deep or wide setting never starts an exponential run.

    Returns
    -------
    Sweep over ``values`` (the other sizes fixed at d, n, c, L).
    """
    if vary not in ("L", "n"):
        raise ValueError(f"vary must be 'L' or 'n', got {vary!r}")
    values = np.asarray(values, dtype=int)
    formula, counted, seconds = {}, {}, {}
    sizes = [{"d": d, "n": n, "c": c, "L": L, vary: int(v)} for v in values]
    for method in METHODS:
        formula[method] = tuple(multiplications(method, bias=bias, **s) for s in sizes)
        counted[method] = np.full(values.size, np.nan)
        seconds[method] = np.full(values.size, np.nan)
        for i, s in enumerate(sizes):
            if formula[method][i] > budget:
                continue
            mlp = random_mlp(**s, seed=seed, bias=bias)
            x, g = random_point(mlp, seed=seed)
            *_, counted_i, seconds_i = timed_gradients(mlp, x, g, method, repeats)
            counted[method][i], seconds[method][i] = counted_i, seconds_i
    parameters = tuple(parameter_count(bias=bias, **s) for s in sizes)
    return Sweep(values, formula, counted, seconds, parameters)


def flat(arrays: list | None) -> np.ndarray:
    """All entries of a list of arrays (dW or db, or None) as one vector."""
    return np.concatenate([a.ravel() for a in arrays]) if arrays else np.zeros(0)


@dataclass(frozen=True)
class Agreement:
    """The three methods on one network, against each other and central differences.

    sizes : (d, n, c, L) checked; counted, formula : dict method -> int;
    errors : dict method -> relative error of its gradient against backprop's;
    finite_difference_error : relative error of backprop against central differences on
    ``checked`` sampled parameters (of ``total``).
    """

    sizes: tuple
    counted: dict
    formula: dict
    errors: dict
    finite_difference_error: float
    checked: int
    total: int


def checkable_sizes(d: int, n: int, c: int, L: int, bias: bool = True,
                    budget: int = RUN_BUDGET) -> tuple[int, int, int, int]:
    """(d, n, c, L) itself if every method is affordable, else the largest affordable
    network found by lowering L, then capping the widths at 8, then at 4."""
    for cap in (None, 8, 4):
        widths = (d, n, c) if cap is None else (min(d, cap), min(n, cap), min(c, cap))
        for depth in range(L, 0, -1):
            if all(affordable(m, *widths, depth, bias, budget) for m in METHODS):
                return (*widths, depth)
    raise AssertionError("d = n = c = 4, L = 1 is always affordable")


def agreement(d: int, n: int, c: int, L: int, *, bias: bool = True, seed: int = 0,
              limit: int = 40) -> Agreement:
    """Run the three methods on random_mlp(:func:`checkable_sizes`) with J(u) = g . u.

    Returns
    -------
    Agreement: counts, relative errors ||grad_method - grad_bp|| / ||grad_bp||, and the
    error of backprop against central differences (core.gradcheck) on ``limit`` entries.
    Reference: the seed's question 3; central differences as in core.gradcheck.
    """
    sizes = checkable_sizes(d, n, c, L, bias)
    mlp = random_mlp(*sizes, seed=seed, bias=bias)
    x, g = random_point(mlp, seed=seed)
    grads, counted = {}, {}
    for method in METHODS:
        dW, db, counted[method] = gradients(mlp, x, g, method)
        grads[method] = np.concatenate([flat(dW), flat(db)])
    errors = {m: relative_error(grads[m], grads["backprop"]) for m in METHODS}
    report = check_gradients(
        lambda arrays: float(g @ forward(_unflatten(mlp, arrays["theta"]), x)[2]),
        {"theta": np.concatenate([flat(mlp.weights), flat(mlp.biases)])},
        {"theta": grads["backprop"]}, limit=limit, seed=seed,
    )["theta"]
    formula = {m: multiplications(m, *sizes, bias) for m in METHODS}
    return Agreement(sizes, counted, formula, errors, report["relative_error"],
                     report["checked"], report["total"])


def _unflatten(mlp: MLP, theta: np.ndarray) -> MLP:
    """An MLP shaped like ``mlp`` with its parameters read from the vector theta."""
    arrays, start = [], 0
    for a in mlp.weights + (mlp.biases or []):
        arrays.append(theta[start:start + a.size].reshape(a.shape))
        start += a.size
    count = len(mlp.weights)
    return MLP(arrays[:count], arrays[count:] if mlp.biases is not None else None)


def backprop_steps(d: int, n: int, c: int, L: int) -> list[dict]:
    """Backprop's multiplications step by step, beside the seed's count of each step.

    Returns
    -------
    list of three dicts (output -> hidden L; hidden l+1 -> hidden l, repeated L - 1 times;
    hidden 1 -> input), each with "step", "times", "weights" and "delta" (the right counts
    n_l n_{l-1} and n_l n_{l-1} + n_{l-1}) and "seed_weights", "seed_delta" (the seed's
    2 m n and 2 m). Summed with their "times" they give backprop_multiplications and
    seed_answers(...)["backprop"]. Reference: the seed's question 3 2) (slip 6).
    """
    _check_sizes(d, n, c, L)
    return [
        {"step": "output → hidden L", "times": 1, "weights": c * n,
         "delta": c * n + n, "seed_weights": 2 * n * c, "seed_delta": 2 * n},
        {"step": "hidden l+1 → hidden l", "times": L - 1, "weights": n * n,
         "delta": n * n + n, "seed_weights": 2 * n * n, "seed_delta": 2 * n},
        {"step": "hidden 1 → input", "times": 1, "weights": n * d,
         "delta": 0, "seed_weights": 2 * n * d, "seed_delta": 0},
    ]

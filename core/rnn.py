"""The seed's tanh RNN with softmax outputs (question 1): forward pass, loss, BPTT.

Notation (design doc): x_t in R^d, h_t in R^n, z_t in R^c, t = 1..T, h_0 = 0 unless given.

    v_t = W_sh x_t + W_hh h_{t-1} + b_h,   h_t = tanh(v_t),
    u_t = W_hz h_t + b_z,                  z_t = softmax(u_t),
    L   = sum_t m_t * (-log z_{t, y_t})    (m_t = 1 for every t, as in the seed, by default)

Arrays over time are stacked on axis 0 (row t-1 holds step t): xs (T, d), ys (T,), h (T, n).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from core.workspace import Workspace

INITS = ("gaussian", "orthogonal", "diagonal")


@dataclass(frozen=True)
class RNNParams:
    """The five parameter arrays of the seed's RNN (float64).

    W_sh : ndarray of shape (n, d); W_hh : (n, n); b_h : (n,); W_hz : (c, n); b_z : (c,).
    """

    W_sh: np.ndarray
    W_hh: np.ndarray
    b_h: np.ndarray
    W_hz: np.ndarray
    b_z: np.ndarray

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self))

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays by name, in the order W_sh, W_hh, b_h, W_hz, b_z."""
        return {name: getattr(self, name) for name in self.names}

    def replace(self, **arrays: np.ndarray) -> "RNNParams":
        """A copy with some arrays replaced."""
        return RNNParams(**{**self.arrays(), **arrays})

    @property
    def size(self) -> int:
        """Total number of scalar parameters, n d + n^2 + n + c n + c."""
        return sum(a.size for a in self.arrays().values())


@dataclass(frozen=True)
class Forward:
    """The forward pass of one sequence.

    v, h : ndarray of shape (T, n); u, z, log_z : ndarray of shape (T, c);
    h_prev : ndarray of shape (T, n), row t-1 holds h_{t-1} (so row 0 is h_0).
    """

    v: np.ndarray
    h: np.ndarray
    u: np.ndarray
    z: np.ndarray
    log_z: np.ndarray
    h_prev: np.ndarray


@dataclass(frozen=True)
class BPTTResult:
    """Loss and gradients of one sequence.

    loss : float; grads : RNNParams of dL/dW_sh, dL/dW_hh, dL/db_h, dL/dW_hz, dL/db_z;
    dL_dh, dL_dv : ndarray of shape (T, n), total derivatives of L w.r.t. h_t and v_t;
    dL_du : ndarray of shape (T, c), equal to m_t (z_t - e_{y_t}).
    """

    loss: float
    grads: RNNParams
    dL_dh: np.ndarray
    dL_dv: np.ndarray
    dL_du: np.ndarray
    forward: Forward


@dataclass(frozen=True)
class GradientFlow:
    """How the adjoints shrink or grow over time (Pascanu, Mikolov & Bengio 2013).

    per_loss_norms : ndarray of shape (T, T), entry [t-1, k-1] = ||dL_t/dh_k|| for k <= t,
        NaN above the diagonal (a loss never depends on a later state).
    jacobian_norms : ndarray of shape (T,), entry k-1 = ||dh_T/dh_k||_2 (spectral norm).
    bound : ndarray of shape (T,), prod_{j=k+1}^{T} sigma_max(W_hh) * max_i (1 - h_{j,i}^2).
    loose_bound : ndarray of shape (T,), (gamma * sigma_max(W_hh))^(T-k) with gamma = 1,
        the bound of tanh'.
    """

    per_loss_norms: np.ndarray
    jacobian_norms: np.ndarray
    bound: np.ndarray
    loose_bound: np.ndarray


def init_params(
    d: int, n: int, c: int, *, sigma: float = 1.0, init: str = "gaussian", seed: int = 0
) -> RNNParams:
    """Random parameters with sigma_max(W_hh) = sigma exactly.

    W_sh ~ N(0, 1/d), W_hz ~ N(0, 1/n), biases small N(0, 0.1^2). W_hh is drawn
    according to ``init`` and rescaled so that its largest singular value is ``sigma``:
    "gaussian" (dense N(0, 1/n)), "orthogonal" (all singular values equal sigma),
    "diagonal" (independent entries on the diagonal only: the case where the seed's
    handwritten recursion is exact).

    Returns
    -------
    RNNParams with W_sh (n, d), W_hh (n, n), b_h (n,), W_hz (c, n), b_z (c,).
    """
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    rng = np.random.default_rng(seed)
    W_sh = rng.normal(0.0, 1.0 / np.sqrt(d), size=(n, d))
    if init == "gaussian":
        W_hh = rng.normal(0.0, 1.0 / np.sqrt(n), size=(n, n))
    elif init == "orthogonal":
        q, r = np.linalg.qr(rng.normal(size=(n, n)))
        W_hh = q * np.sign(np.diag(r))
    else:
        W_hh = np.diag(rng.uniform(0.2, 1.0, size=n) * rng.choice([-1.0, 1.0], size=n))
    W_hh = W_hh * (sigma / np.linalg.norm(W_hh, 2))
    b_h = rng.normal(0.0, 0.1, size=n)
    W_hz = rng.normal(0.0, 1.0 / np.sqrt(n), size=(c, n))
    b_z = rng.normal(0.0, 0.1, size=c)
    return RNNParams(W_sh, W_hh, b_h, W_hz, b_z)


def random_sequence(
    T: int, d: int, c: int, *, scale: float = 1.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A random input sequence xs (T, d) ~ N(0, scale^2) and labels ys (T,) in [0, c)."""
    rng = np.random.default_rng(seed)
    return scale * rng.normal(size=(T, d)), rng.integers(0, c, size=T)


def label_index(ys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The index of (i, t, y_{i,t}) for every sequence i and step t: array[label_index(ys)]
    is the (N, T) array of the labels' entries of an (N, T, c) array. ys : (N, T) ints."""
    N, T = ys.shape
    return np.arange(N)[:, None], np.arange(T), ys


def log_softmax(u: np.ndarray) -> np.ndarray:
    """log softmax along the last axis, stable: u - max(u) - log sum exp(u - max(u))."""
    shifted = u - u.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def forward(params: RNNParams, xs: np.ndarray, h0: np.ndarray | None = None) -> Forward:
    """Run the RNN over xs (T, d) from h0 (n,) (zeros if None). See the module docstring."""
    T = xs.shape[0]
    n = params.W_hh.shape[0]
    v = xs @ params.W_sh.T + params.b_h  # (T, n), the input part of v_t
    states = np.empty((T + 1, n))  # rows h_0, h_1, ..., h_T
    states[0] = 0.0 if h0 is None else h0
    W_hh_T = params.W_hh.T.copy()
    recurrent = np.empty(n)
    for v_t, h_prev_t, h_t in zip(v, states[:-1], states[1:]):
        np.dot(h_prev_t, W_hh_T, out=recurrent)
        np.add(v_t, recurrent, out=v_t)
        np.tanh(v_t, out=h_t)
    h, h_prev = states[1:], states[:-1]
    u = h @ params.W_hz.T + params.b_z  # (T, c)
    log_z = log_softmax(u)
    return Forward(v=v, h=h, u=u, z=np.exp(log_z), log_z=log_z, h_prev=h_prev)


def _loss_mask(T: int, mask: np.ndarray | None) -> np.ndarray:
    """m_t as float64 (T,): which steps carry loss (all of them by default, as the seed)."""
    return np.ones(T) if mask is None else np.asarray(mask, dtype=float)


def loss(
    params: RNNParams,
    xs: np.ndarray,
    ys: np.ndarray,
    h0: np.ndarray | None = None,
    mask: np.ndarray | None = None,
) -> float:
    """L = sum_t m_t (-log z_{t, y_t}), via a stable log-softmax (finite for |u| up to 1e4)."""
    fwd = forward(params, xs, h0)
    T = xs.shape[0]
    return float(-(_loss_mask(T, mask) * fwd.log_z[np.arange(T), ys]).sum())



def losses(
    params: RNNParams,
    xs: np.ndarray,
    ys: np.ndarray,
    name: str,
    values: np.ndarray,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """L at P parameter points that differ from ``params`` in one array, in one call.

    The forward pass and loss of :func:`loss` written again over a leading axis of points
    (h_0 = 0): v_t = W_sh x_t + W_hh h_{t-1} + b_h, h_t = tanh(v_t), u_t = W_hz h_t + b_z,
    L = sum_t m_t (-log softmax(u_t)_{y_t}), with the array ``name`` taken from ``values``
    at each point. For central differences at every point of the stencil at once
    (core.gradcheck.check_gradients' losses_of).

    Parameters
    ----------
    name : one of "W_sh", "W_hh", "b_h", "W_hz", "b_z"; values : ndarray of shape
    (P, *shape of that array). Returns ndarray of shape (P,).
    """
    arrays = {**params.arrays(), name: values}
    W_sh, W_hh, b_h, W_hz, b_z = (arrays[key] for key in params.names)
    P, T, n = values.shape[0], xs.shape[0], params.W_hh.shape[0]
    v = np.broadcast_to(xs @ np.swapaxes(W_sh, -1, -2) + b_h[..., None, :], (P, T, n))
    h = np.zeros((P, n, 1))  # column vectors, one per point
    states = np.empty((P, T, n))
    for t in range(T):
        h = np.tanh(v[:, t, :, None] + W_hh @ h)
        states[:, t] = h[..., 0]
    log_z = log_softmax(states @ np.swapaxes(W_hz, -1, -2) + b_z[..., None, :])  # (P, T, c)
    return -(_loss_mask(T, mask) * log_z[:, np.arange(T), ys]).sum(axis=1)

def _output_adjoint(fwd: Forward, ys: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """dL/du_t = m_t (z_t - e_{y_t}), ndarray of shape (T, c)."""
    T = ys.shape[0]
    dL_du = fwd.z.copy()
    dL_du[np.arange(T), ys] -= 1.0
    return dL_du * _loss_mask(T, mask)[:, None]


def _assemble(params, xs, ys, fwd, dL_dh, dL_dv, dL_du, mask) -> BPTTResult:
    """Parameter gradients from the adjoints: sums over t of outer products."""
    grads = RNNParams(
        W_sh=dL_dv.T @ xs,
        W_hh=dL_dv.T @ fwd.h_prev,
        b_h=dL_dv.sum(axis=0),
        W_hz=dL_du.T @ fwd.h,
        b_z=dL_du.sum(axis=0),
    )
    T = xs.shape[0]
    value = float(-(_loss_mask(T, mask) * fwd.log_z[np.arange(T), ys]).sum())
    return BPTTResult(value, grads, dL_dh, dL_dv, dL_du, fwd)


def _adjoints(
    params: RNNParams, fwd: Forward, dL_du: np.ndarray, *, seed_recursion: bool,
    seed_boundary: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """dL/dh and dL/dv, ndarrays of shape (T, n), by the backward recursion.

    seed_recursion: use the seed's dL/dh_{t+1} * (1 - h_{t+1}^2) * diag(W_hh) (slip 1)
    instead of W_hh^T [(1 - h_{t+1}^2) * dL/dh_{t+1}]; seed_boundary: start from the seed's
    dL/dh_T = 0 (slip 2) instead of dL/dh_{T+1} = 0.
    """
    local = dL_du @ params.W_hz  # (T, n): W_hz^T dL/du_t for every t
    tanh_prime = 1.0 - fwd.h**2  # (T, n)
    dL_dh = np.empty_like(local)
    dL_dv = np.empty_like(local)
    dL_dh[-1] = 0.0 if seed_boundary else local[-1]
    np.multiply(tanh_prime[-1], dL_dh[-1], out=dL_dv[-1])
    # The seed's recursion multiplies dL/dv_{t+1} by diag(W_hh) instead of W_hh^T.
    W_hh = np.diag(np.diag(params.W_hh)) if seed_recursion else params.W_hh
    recurrent = np.empty(W_hh.shape[0])
    # Walk t = T-1 .. 1 (1-based) with the already computed dL/dv_{t+1} beside it.
    for local_t, tanh_prime_t, dL_dh_t, dL_dv_t, dL_dv_next in zip(
        local[-2::-1], tanh_prime[-2::-1], dL_dh[-2::-1], dL_dv[-2::-1], dL_dv[::-1]
    ):
        np.dot(dL_dv_next, W_hh, out=recurrent)
        np.add(local_t, recurrent, out=dL_dh_t)
        np.multiply(tanh_prime_t, dL_dh_t, out=dL_dv_t)
    return dL_dh, dL_dv


def bptt(
    params: RNNParams,
    xs: np.ndarray,
    ys: np.ndarray,
    h0: np.ndarray | None = None,
    mask: np.ndarray | None = None,
) -> BPTTResult:
    """Backpropagation through time (seed Q1, corrected; design doc slips 1 and 2).

    dL/du_t = m_t (z_t - e_{y_t})
    dL/dh_t = W_hz^T dL/du_t + W_hh^T dL/dv_{t+1},   with dL/dv_{T+1} = 0
    dL/dv_t = (1 - h_t^2) * dL/dh_t
    dL/dW_sh = sum_t dL/dv_t x_t^T,  dL/dW_hh = sum_t dL/dv_t h_{t-1}^T,  dL/db_h = sum_t dL/dv_t
    dL/dW_hz = sum_t dL/du_t h_t^T,  dL/db_z = sum_t dL/du_t

    Parameters
    ----------
    xs : ndarray of shape (T, d); ys : ndarray of shape (T,), ints in [0, c);
    h0 : ndarray of shape (n,) or None; mask : ndarray of shape (T,) or None (m_t).
    """
    fwd = forward(params, xs, h0)
    dL_du = _output_adjoint(fwd, ys, mask)
    dL_dh, dL_dv = _adjoints(params, fwd, dL_du, seed_recursion=False, seed_boundary=False)
    return _assemble(params, xs, ys, fwd, dL_dh, dL_dv, dL_du, mask)


def forward_batch(params: RNNParams, xs: np.ndarray, h0: np.ndarray | None = None) -> Forward:
    """:func:`forward` for N sequences at once: the same equations, one matrix product per step.

    Parameters
    ----------
    xs : ndarray of shape (N, T, d); h0 : ndarray of shape (N, n) or (n,), or None (zeros).

    Returns
    -------
    Forward with arrays of shape (N, T, .).
    """
    return _forward_batch(params, xs, h0, Workspace())


def _forward_batch(params: RNNParams, xs: np.ndarray, h0: np.ndarray | None,
                   work: Workspace) -> Forward:
    """forward_batch with its large arrays in work: v and h_prev are views of the time-major
    recurrence (T, N, n), h a batch-major copy (the readout's product reads it so)."""
    N, T, _ = xs.shape
    n = params.W_hh.shape[0]
    v = work.array("v", (T, N, n))  # v_t, the input part first
    v[:] = (xs @ params.W_sh.T + params.b_h).transpose(1, 0, 2)
    states = work.array("states", (T + 1, N, n))  # h_0, h_1, ..., h_T, each (N, n)
    states[0] = 0.0 if h0 is None else h0
    W_hh_T = params.W_hh.T.copy()
    recurrent = work.array("recurrent", (N, n))
    for t in range(T):
        np.dot(states[t], W_hh_T, out=recurrent)
        v[t] += recurrent
        np.tanh(v[t], out=states[t + 1])
    h = work.array("h", (N, T, n))
    h[:] = states[1:].transpose(1, 0, 2)
    u = h @ params.W_hz.T + params.b_z  # (N, T, c)
    log_z = log_softmax(u)
    return Forward(v=v.transpose(1, 0, 2), h=h, u=u, z=np.exp(log_z), log_z=log_z,
                   h_prev=states[:-1].transpose(1, 0, 2))


def bptt_batch(
    params: RNNParams,
    xs: np.ndarray,
    ys: np.ndarray,
    h0: np.ndarray | None = None,
    mask: np.ndarray | None = None,
    workspace: Workspace | None = None,
) -> BPTTResult:
    """:func:`bptt` for N sequences at once; the loss and the gradients summed over them.

    The same recursion, dL/dh_t = W_hz^T dL/du_t + W_hh^T dL/dv_{t+1} with dL/dv_{T+1} = 0,
    dL/dv_t = (1 - h_t^2) * dL/dh_t, run on (N, n) blocks; each gradient is a sum over the
    sequences and the steps of the same outer products.

    Parameters
    ----------
    xs : ndarray of shape (N, T, d); ys : ndarray of shape (N, T), ints in [0, c);
    h0 : ndarray of shape (N, n) or (n,), or None; mask : ndarray of shape (N, T) or None.
    workspace : core.workspace.Workspace whose arrays the result's large arrays reuse (a
    training loop's), or None for fresh ones.

    Returns
    -------
    BPTTResult with dL_dh, dL_dv (N, T, n), dL_du (N, T, c) and a Forward of (N, T, .) arrays.
    """
    work = Workspace() if workspace is None else workspace
    fwd = _forward_batch(params, xs, h0, work)
    N, T, d = xs.shape
    n = params.W_hh.shape[0]
    m = np.ones((N, T)) if mask is None else np.asarray(mask, dtype=float).reshape(N, T)
    labels = label_index(ys)
    dL_du = fwd.z.copy()
    dL_du[labels] -= 1.0
    dL_du *= m[..., None]
    local = np.matmul(dL_du, params.W_hz, out=work.array("local", (N, T, n))).transpose(1, 0, 2)
    tanh_prime = np.multiply(fwd.h, fwd.h, out=work.array("tanh_prime", (N, T, n)))
    np.subtract(1.0, tanh_prime, out=tanh_prime)  # 1 - h_t^2, batch-major
    tanh_prime = tanh_prime.transpose(1, 0, 2)
    dL_dh = work.array("dL_dh", (T, N, n))
    dL_dv = work.array("dL_dv", (T, N, n))
    recurrent = work.array("recurrent", (N, n))  # W_hh^T dL/dv_{t+1}, as rows
    recurrent[:] = 0.0
    for t in range(T - 1, -1, -1):
        np.add(local[t], recurrent, out=dL_dh[t])
        np.multiply(tanh_prime[t], dL_dh[t], out=dL_dv[t])
        np.dot(dL_dv[t], params.W_hh, out=recurrent)
    flat_dv = dL_dv.reshape(T * N, n)
    flat_du = dL_du.reshape(N * T, -1)
    grads = RNNParams(
        W_sh=flat_dv.T @ xs.transpose(1, 0, 2).reshape(T * N, d),
        W_hh=flat_dv.T @ fwd.h_prev.transpose(1, 0, 2).reshape(T * N, n),
        b_h=flat_dv.sum(axis=0),
        W_hz=flat_du.T @ fwd.h.reshape(N * T, n),
        b_z=flat_du.sum(axis=0),
    )
    return BPTTResult(float(-(m * fwd.log_z[labels]).sum()), grads, dL_dh.transpose(1, 0, 2),
                      dL_dv.transpose(1, 0, 2), dL_du, fwd)


def bptt_seed_variant(
    params: RNNParams,
    xs: np.ndarray,
    ys: np.ndarray,
    h0: np.ndarray | None = None,
    mask: np.ndarray | None = None,
    *,
    seed_boundary: bool = False,
) -> BPTTResult:
    """BPTT with the handwritten recursion exactly as the seed writes it (slip 1).

    dL/dh_{t,k} = dL/dh_{t+1,k} (1 - h_{t+1,k}^2) W_hh,kk + [W_hz^T dL/du_t]_k

    The sum over i of the true recursion is dropped: only the diagonal of W_hh is used.
    It equals :func:`bptt` exactly when W_hh is diagonal and not otherwise. By default the
    boundary is the correct dL/dh_{T+1} = 0, so that the two differ by slip 1 alone;
    ``seed_boundary=True`` uses the seed's dL/dh_T = 0 instead (slip 2) with the correct
    recursion. Shapes as in :func:`bptt`.
    """
    fwd = forward(params, xs, h0)
    dL_du = _output_adjoint(fwd, ys, mask)
    dL_dh, dL_dv = _adjoints(
        params, fwd, dL_du, seed_recursion=not seed_boundary, seed_boundary=seed_boundary
    )
    return _assemble(params, xs, ys, fwd, dL_dh, dL_dv, dL_du, mask)


def state_jacobians(params: RNNParams, fwd: Forward) -> np.ndarray:
    """J_t = dh_t/dh_{t-1} = diag(1 - h_t^2) W_hh for t = 1..T: ndarray of shape (T, n, n)."""
    return (1.0 - fwd.h**2)[:, :, None] * params.W_hh[None, :, :]


def gradient_flow(
    params: RNNParams, xs: np.ndarray, ys: np.ndarray, h0: np.ndarray | None = None
) -> GradientFlow:
    """Norms of the per-loss adjoints and of the state Jacobian products, with bounds.

    dL_t/dh_k = (J_t J_{t-1} ... J_{k+1})^T W_hz^T (z_t - e_{y_t}) for k <= t, and
    dh_T/dh_k = J_T ... J_{k+1} with ||dh_T/dh_k|| <= prod_{j=k+1}^T sigma_max(W_hh)
    max_i (1 - h_{j,i}^2) <= sigma_max(W_hh)^(T-k) (Pascanu, Mikolov & Bengio 2013, sec. 3).
    Shapes in :class:`GradientFlow`.
    """
    fwd = forward(params, xs, h0)
    T, n = fwd.h.shape
    local = _output_adjoint(fwd, ys, None) @ params.W_hz  # (T, n): dL_t/dh_t
    tanh_prime = 1.0 - fwd.h**2
    W_hh = params.W_hh
    per_loss = np.full((T, T), np.nan)
    adjoints = local.copy()  # row t: dL_t/dh_k at the current k (meaningful for t >= k)
    products = np.empty((T, n, n))  # products[k-1] = dh_T/dh_k
    products[T - 1] = np.eye(n)
    for k in range(T - 1, -1, -1):
        if k < T - 1:
            adjoints[k + 1 :] = (adjoints[k + 1 :] * tanh_prime[k + 1]) @ W_hh
            products[k] = (products[k + 1] * tanh_prime[k + 1]) @ W_hh
        per_loss[k:, k] = np.linalg.norm(adjoints[k:], axis=1)
    jacobian_norms = np.linalg.svd(products, compute_uv=False)[:, 0]
    sigma_max = np.linalg.norm(W_hh, 2)
    step_bounds = sigma_max * tanh_prime.max(axis=1)  # (T,): bound on ||J_t||
    # bound[k-1] = prod_{j=k+1}^T step_bounds[j-1]: reversed cumulative product, shifted.
    tail = np.cumprod(step_bounds[::-1])[::-1]  # tail[j] = prod_{i>=j} step_bounds[i]
    bound = np.append(tail[1:], 1.0)
    loose = sigma_max ** np.arange(T - 1, -1, -1, dtype=float)
    return GradientFlow(per_loss, jacobian_norms, bound, loose)


def step_contributions(result: BPTTResult, xs: np.ndarray, t: int) -> RNNParams:
    """The terms of step t (1-based) in each gradient sum: dL/dv_t x_t^T, dL/dv_t h_{t-1}^T, ...

    Summed over t = 1..T they give ``result.grads``. Shapes as in :class:`RNNParams`.
    """
    i = t - 1
    dv, du = result.dL_dv[i], result.dL_du[i]
    return RNNParams(
        W_sh=np.outer(dv, xs[i]),
        W_hh=np.outer(dv, result.forward.h_prev[i]),
        b_h=dv.copy(),
        W_hz=np.outer(du, result.forward.h[i]),
        b_z=du.copy(),
    )


def forward_mode_gradient(
    params: RNNParams,
    xs: np.ndarray,
    ys: np.ndarray,
    name: str,
    indices: np.ndarray,
    h0: np.ndarray | None = None,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """dL/dtheta_i for the given flat entries i of one parameter array, by forward mode.

    An implementation independent of BPTT (tangents pushed forward in time, no adjoints)
    and exact up to rounding (no step size). For the one-hot direction e_i of each entry:

        vdot_t = Wdot_sh x_t + Wdot_hh h_{t-1} + W_hh hdot_{t-1} + bdot_h,
        hdot_t = (1 - h_t^2) * vdot_t,   udot_t = Wdot_hz h_t + W_hz hdot_t + bdot_z,
        dL/dtheta_i = sum_t m_t (z_t - e_{y_t}) . udot_t.

    Parameters
    ----------
    name : one of "W_sh", "W_hh", "b_h", "W_hz", "b_z"; indices : ndarray of shape (m,),
    flat indices into that array. Returns ndarray of shape (m,).
    """
    fwd = forward(params, xs, h0)
    dL_du = _output_adjoint(fwd, ys, mask)  # (T, c)
    shape = getattr(params, name).shape
    m = indices.shape[0]
    direction = np.zeros((m, int(np.prod(shape))))
    direction[np.arange(m), indices] = 1.0
    direction = direction.reshape((m, *shape))  # one-hot tangent of each entry
    zero_n, zero_c = np.zeros((m, params.W_hh.shape[0])), np.zeros((m, params.W_hz.shape[0]))
    h_dot = zero_n
    total = np.zeros(m)
    for t in range(xs.shape[0]):
        v_dot = h_dot @ params.W_hh.T
        if name == "W_sh":
            v_dot = v_dot + direction @ xs[t]
        elif name == "W_hh":
            v_dot = v_dot + direction @ fwd.h_prev[t]
        elif name == "b_h":
            v_dot = v_dot + direction
        h_dot = (1.0 - fwd.h[t] ** 2) * v_dot  # (m, n)
        u_dot = h_dot @ params.W_hz.T + (
            direction @ fwd.h[t] if name == "W_hz" else direction if name == "b_z" else zero_c
        )
        total += u_dot @ dL_du[t]
    return total

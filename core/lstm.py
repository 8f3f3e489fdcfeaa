"""An LSTM cell with the seed's softmax readout: forward pass, loss and BPTT in NumPy.

Notation as core.rnn (x_t in R^d, h_t in R^n, z_t in R^c, t = 1..T), with a memory cell
c_t in R^n and h_0 = c_0 = 0 unless given. The four gates are stacked in the order input,
forget, cell candidate, output (the layout of most libraries):

    a_t = W_x x_t + W_h h_{t-1} + b = [a_i; a_f; a_g; a_o]            (4n,)
    i_t = sigma(a_i),  f_t = sigma(a_f),  g_t = tanh(a_g),  o_t = sigma(a_o)
    c_t = f_t * c_{t-1} + i_t * g_t,      h_t = o_t * tanh(c_t)
    u_t = W_hz h_t + b_z,  z_t = softmax(u_t),  L = sum_t m_t (-log z_{t, y_t})

(Hochreiter & Schmidhuber 1997, with the forget gate of Gers, Schmidhuber & Cummins 2000.)
Shapes: W_x (4n, d), W_h (4n, n), b (4n,), W_hz (c, n), b_z (c,). Arrays over time are
stacked on axis 0 for one sequence (xs (T, d), h (T, n)) and on axes (0, 1) = (N, T) for a
batch: the batch functions run N sequences at once with the same equations.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from core.rnn import RNNParams, label_index, log_softmax
from core.workspace import Workspace

GATES = ("input", "forget", "cell candidate", "output")


@dataclass(frozen=True)
class LSTMParams:
    """The five parameter arrays of the LSTM with softmax readout (float64).

    W_x : ndarray of shape (4n, d); W_h : (4n, n); b : (4n,); W_hz : (c, n); b_z : (c,).
    Rows of W_x, W_h and b come in four blocks of n: input, forget, cell candidate, output.
    """

    W_x: np.ndarray
    W_h: np.ndarray
    b: np.ndarray
    W_hz: np.ndarray
    b_z: np.ndarray

    # The field-generic accessors of core.rnn.RNNParams: names (W_x, W_h, b, W_hz, b_z),
    # arrays() (dict by name, in that order) and size (4n(d + n + 1) + c n + c scalars).
    names = RNNParams.names
    arrays = RNNParams.arrays
    size = RNNParams.size


@dataclass(frozen=True)
class LSTMForward:
    """The forward pass: shapes (T, .) for one sequence, (N, T, .) for a batch.

    gates : (T, 4n), the activations [i_t; f_t; g_t; o_t]; c, h, tanh_c : (T, n);
    c_prev, h_prev : (T, n), row t-1 holds c_{t-1}, h_{t-1} (row 0 is c_0, h_0);
    u, z, log_z : (T, c).
    """

    gates: np.ndarray
    c: np.ndarray
    h: np.ndarray
    tanh_c: np.ndarray
    c_prev: np.ndarray
    h_prev: np.ndarray
    u: np.ndarray
    z: np.ndarray
    log_z: np.ndarray


@dataclass(frozen=True)
class LSTMBPTTResult:
    """Loss and gradients, like core.rnn.BPTTResult: shapes (T, .) or (N, T, .) for a batch.

    loss : float (summed over the batch); grads : LSTMParams of dL/dW_x, dL/dW_h, dL/db,
    dL/dW_hz, dL/db_z (summed over the batch); dL_dh, dL_dc : (T, n), total derivatives of
    L w.r.t. h_t and c_t; dL_da : (T, 4n), w.r.t. the gate pre-activations a_t;
    dL_du : (T, c) = m_t (z_t - e_{y_t}); forward : LSTMForward.
    """

    loss: float
    grads: LSTMParams
    dL_dh: np.ndarray
    dL_dc: np.ndarray
    dL_da: np.ndarray
    dL_du: np.ndarray
    forward: LSTMForward


def sigmoid(a: np.ndarray) -> np.ndarray:
    """The logistic function sigma(a) = 1 / (1 + exp(-a)), as (1 + tanh(a / 2)) / 2 (the
    identity lstm_forward_batch uses): no overflow, absolute error below 2e-16 (values
    under ~1e-17 round to 0). a : ndarray of any shape; returns the same shape."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def init_lstm_params(
    d: int, n: int, c: int, *, seed: int = 0, forget_bias: float = 1.0
) -> LSTMParams:
    """Random LSTM parameters: W_x ~ N(0, 1/d), W_h ~ N(0, 1/n), W_hz ~ N(0, 1/n).

    Biases are zero except the forget gate's, b_f = forget_bias (1 by default, so that
    f_t = sigma(1) ~ 0.73 at the start and the cell remembers: Gers, Schmidhuber & Cummins
    2000; Jozefowicz, Zaremba & Sutskever 2015 recommend 1). A larger b_f keeps memories
    longer at the start of training (f^D with f = sigma(b_f)), which long delays D need.

    Returns
    -------
    LSTMParams with W_x (4n, d), W_h (4n, n), b (4n,), W_hz (c, n), b_z (c,).
    """
    rng = np.random.default_rng(seed)
    W_x = rng.normal(0.0, 1.0 / np.sqrt(d), size=(4 * n, d))
    W_h = rng.normal(0.0, 1.0 / np.sqrt(n), size=(4 * n, n))
    b = np.zeros(4 * n)
    b[n : 2 * n] = forget_bias
    W_hz = rng.normal(0.0, 1.0 / np.sqrt(n), size=(c, n))
    return LSTMParams(W_x, W_h, b, W_hz, np.zeros(c))


def _initial_state(state: np.ndarray | None, N: int, n: int) -> np.ndarray:
    """h_0 or c_0 as (N, n): zeros when None, broadcast from (n,) or taken as (N, n)."""
    return np.zeros((N, n)) if state is None else np.broadcast_to(state, (N, n)).astype(float)


def _gate_affine(n: int) -> tuple[np.ndarray, np.ndarray]:
    """scale, shift (4n,) with gates = tanh(scale * a) * scale + shift.

    sigma(a) = (1 + tanh(a / 2)) / 2, so one tanh over all 4n pre-activations gives the
    three sigmoid gates (scale = shift = 1/2) and the tanh candidate (scale 1, shift 0).
    """
    scale = np.full(4 * n, 0.5)
    scale[2 * n : 3 * n] = 1.0
    shift = np.full(4 * n, 0.5)
    shift[2 * n : 3 * n] = 0.0
    return scale, shift


def _run(params: LSTMParams, xs: np.ndarray, h0: np.ndarray | None, c0: np.ndarray | None,
         work: Workspace) -> tuple[np.ndarray, ...]:
    """The recurrence, time-major: gates (T, N, 4n) activations, c and h (T + 1, N, n) with
    row 0 holding c_0, h_0, tanh_c (T, N, n), and the two terms of c_t, i_t * g_t and
    f_t * c_{t-1} (T, N, n) (BPTT reuses them), all in work. One tanh for all four gates."""
    N, T, d = xs.shape
    n = params.W_h.shape[1]
    scale, shift = _gate_affine(n)
    # Pre-activations for all steps in one product, pre-scaled for the single tanh.
    gates = work.array("gates", (T, N, 4 * n))
    np.matmul(xs.transpose(1, 0, 2).reshape(T * N, d), params.W_x.T * scale,
              out=gates.reshape(T * N, 4 * n))
    gates += params.b * scale
    W_h_scaled = params.W_h.T * scale  # (n, 4n)
    c = work.array("c", (T + 1, N, n))
    h = work.array("h", (T + 1, N, n))
    tanh_c = work.array("tanh_c", (T, N, n))
    recurrent = work.array("recurrent", (N, 4 * n))  # h_{t-1} W_h^T, scaled
    ig = work.array("ig", (T, N, n))  # i_t * g_t
    fc = work.array("fc", (T, N, n))  # f_t * c_{t-1}
    c[0], h[0] = _initial_state(c0, N, n), _initial_state(h0, N, n)
    for t in range(T):
        gate = gates[t]  # scale * a_t, then the activations [i, f, g, o] in place
        gate += np.matmul(h[t], W_h_scaled, out=recurrent)
        np.tanh(gate, out=gate)
        gate *= scale
        gate += shift
        np.multiply(gate[:, n : 2 * n], c[t], out=fc[t])
        np.multiply(gate[:, :n], gate[:, 2 * n : 3 * n], out=ig[t])
        np.add(fc[t], ig[t], out=c[t + 1])
        np.tanh(c[t + 1], out=tanh_c[t])
        np.multiply(gate[:, 3 * n :], tanh_c[t], out=h[t + 1])
    return gates, c, h, tanh_c, ig, fc


def _batch_major(array: np.ndarray) -> np.ndarray:
    """(T, N, .) -> (N, T, .), a view."""
    return array.transpose(1, 0, 2)


def _forward_of(params: LSTMParams, gates, c, h, tanh_c) -> LSTMForward:
    """LSTMForward (batch-major views) of _run's time-major arrays, with the readout."""
    h_out = _batch_major(h[1:])
    u = h_out @ params.W_hz.T + params.b_z
    log_z = log_softmax(u)
    return LSTMForward(
        gates=_batch_major(gates), c=_batch_major(c[1:]), h=h_out,
        tanh_c=_batch_major(tanh_c), c_prev=_batch_major(c[:-1]), h_prev=_batch_major(h[:-1]),
        u=u, z=np.exp(log_z), log_z=log_z,
    )


def lstm_forward_batch(
    params: LSTMParams, xs: np.ndarray, h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> LSTMForward:
    """Run the LSTM over N sequences at once (Hochreiter & Schmidhuber 1997; Gers et al. 2000).

    a_t = W_x x_t + W_h h_{t-1} + b,  [i_t; f_t; g_t; o_t] = [sigma; sigma; tanh; sigma](a_t),
    c_t = f_t * c_{t-1} + i_t * g_t,  h_t = o_t * tanh(c_t),  z_t = softmax(W_hz h_t + b_z),
    with one tanh for all four gates: sigma(a) = (1 + tanh(a / 2)) / 2.

    Parameters
    ----------
    xs : ndarray of shape (N, T, d); h0, c0 : ndarray of shape (N, n) or (n,), or None.

    Returns
    -------
    LSTMForward with arrays of shape (N, T, .) (views of time-major arrays: the recurrence
    runs over t).
    """
    return _forward_of(params, *_run(params, xs, h0, c0, Workspace())[:4])


def _mask(shape: tuple[int, int], mask: np.ndarray | None) -> np.ndarray:
    """m as float64 of shape (N, T): every step carries loss by default, as in the seed."""
    return np.ones(shape) if mask is None else np.asarray(mask, dtype=float).reshape(shape)


def _loss_value(log_z: np.ndarray, ys: np.ndarray, m: np.ndarray) -> float:
    """sum over the batch and time of m_t (-log z_{t, y_t}); log_z (N, T, c), ys, m (N, T)."""
    return float(-(m * log_z[label_index(ys)]).sum())


def lstm_bptt_batch(
    params: LSTMParams,
    xs: np.ndarray,
    ys: np.ndarray,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
    mask: np.ndarray | None = None,
    workspace: Workspace | None = None,
) -> LSTMBPTTResult:
    """BPTT through the LSTM for N sequences at once; loss and gradients summed over them.

    dL/du_t = m_t (z_t - e_{y_t})
    dL/dh_t = W_hz^T dL/du_t + W_h^T dL/da_{t+1}
    dL/dc_t = dL/dh_t * o_t * (1 - tanh^2 c_t) + dL/dc_{t+1} * f_{t+1}
    dL/da_t = [dL/dc_t * g_t * i_t (1 - i_t);  dL/dc_t * c_{t-1} * f_t (1 - f_t);
               dL/dc_t * i_t * (1 - g_t^2);     dL/dh_t * tanh(c_t) * o_t (1 - o_t)]
    with dL/da_{T+1} = 0 and f_{T+1} dL/dc_{T+1} = 0, and
    dL/dW_x = sum_t dL/da_t x_t^T, dL/dW_h = sum_t dL/da_t h_{t-1}^T, dL/db = sum_t dL/da_t,
    dL/dW_hz = sum_t dL/du_t h_t^T, dL/db_z = sum_t dL/du_t
    (Hochreiter & Schmidhuber 1997; Gers et al. 2000; the same adjoint method as seed Q1).

    Parameters
    ----------
    xs : ndarray of shape (N, T, d); ys : ndarray of shape (N, T), ints in [0, c);
    h0, c0 : ndarray of shape (N, n) or (n,), or None; mask : ndarray of shape (N, T) or None.
    workspace : core.workspace.Workspace whose arrays the result's large arrays reuse (a
    training loop's), or None for fresh ones.

    Returns
    -------
    LSTMBPTTResult with arrays of shape (N, T, .), loss and grads summed over the batch.
    """
    work = Workspace() if workspace is None else workspace
    gates, c, h, tanh_c, ig, fc = _run(params, xs, h0, c0, work)
    fwd = _forward_of(params, gates, c, h, tanh_c)
    N, T, d = xs.shape
    n = params.W_h.shape[1]
    m = _mask((N, T), mask)
    dL_du = fwd.z.copy()
    dL_du[label_index(ys)] -= 1.0
    dL_du *= m[..., None]
    local = _batch_major(np.matmul(dL_du, params.W_hz, out=work.array("local", (N, T, n))))
    i, f, g, o = (gates[..., k * n : (k + 1) * n] for k in range(4))  # time-major (T, N, n)
    # The local derivatives, for all t at once, on four blocks of n: dL/da_t = adjoint_t *
    # da_local_t with adjoint_t = [dL/dc_t; dL/dc_t; dL/dc_t; dL/dh_t] and
    # da_local_t = [i g (1 - i); f c_{t-1} (1 - f); i (1 - g^2); o tanh(c_t) (1 - o)]
    # (the products i g, f c_{t-1} and h_t = o tanh(c_t) from the forward pass);
    # dL/dc_t = dL/dh_t * dh_dc_t + f_{t+1} dL/dc_{t+1} with dh_dc_t = o (1 - tanh^2 c_t).
    da_local = np.subtract(1.0, gates, out=work.array("da_local", (T, N, 4 * n))).reshape(
        T, N, 4, n)
    da_local[:, :, 0] *= ig
    da_local[:, :, 1] *= fc
    da_local[:, :, 3] *= h[1:]
    np.multiply(g, g, out=da_local[:, :, 2])
    np.subtract(1.0, da_local[:, :, 2], out=da_local[:, :, 2])
    da_local[:, :, 2] *= i
    dh_dc = np.multiply(tanh_c, tanh_c, out=work.array("dh_dc", (T, N, n)))
    np.subtract(1.0, dh_dc, out=dh_dc)
    dh_dc *= o
    adjoint = work.array("adjoint", (T, N, 4, n))
    dL_da = da_local  # overwritten step by step: the four gate blocks on their own axis
    from_c = work.array("from_c", (N, n))  # f_{t+1} * dL/dc_{t+1}
    from_c[:] = 0.0
    carrying = m.any(axis=0)  # the steps with a loss, where W_hz^T dL/du_t is not 0
    adjoint[-1, :, 3] = local[-1]  # dL/dh_T = W_hz^T dL/du_T: dL/da_{T+1} = 0
    for t in range(T - 1, -1, -1):
        dh, dc = adjoint[t, :, 3], adjoint[t, :, 0]  # dh: dL/dh_t, filled at step t + 1
        np.multiply(dh, dh_dc[t], out=dc)
        dc += from_c
        adjoint[t, :, 1:3] = dc[:, None]
        da = np.multiply(da_local[t], adjoint[t], out=dL_da[t])
        if t:  # dL/dh_{t-1} = W_h^T dL/da_t + W_hz^T dL/du_{t-1}
            np.matmul(da.reshape(N, 4 * n), params.W_h, out=adjoint[t - 1, :, 3])
            if carrying[t - 1]:
                adjoint[t - 1, :, 3] += local[t - 1]
        np.multiply(dc, f[t], out=from_c)
    flat_da = dL_da.reshape(T * N, 4 * n)
    h_out = work.array("h_out", (N, T, n))  # h_t batch-major, as the product below reads it
    h_out[:] = fwd.h
    grads = LSTMParams(
        W_x=flat_da.T @ xs.transpose(1, 0, 2).reshape(T * N, d),
        W_h=np.matmul(flat_da.T, h[:-1].reshape(T * N, n), out=work.array("dW_h", (4 * n, n))),
        b=flat_da.sum(axis=0),
        W_hz=dL_du.reshape(N * T, -1).T @ h_out.reshape(N * T, n),
        b_z=dL_du.sum(axis=(0, 1)),
    )
    return LSTMBPTTResult(
        loss=_loss_value(fwd.log_z, ys, m), grads=grads, dL_dh=_batch_major(adjoint[:, :, 3]),
        dL_dc=_batch_major(adjoint[:, :, 0]), dL_da=_batch_major(dL_da.reshape(T, N, 4 * n)),
        dL_du=dL_du, forward=fwd,
    )


def _one(state: np.ndarray | None) -> np.ndarray | None:
    """A state of shape (n,) as a batch of one, (1, n)."""
    return None if state is None else np.asarray(state, dtype=float)[None]


def _first(batched):
    """The same dataclass with every array field's batch axis dropped (sequence 0)."""
    values = {}
    for field in fields(batched):
        value = getattr(batched, field.name)
        if isinstance(value, LSTMForward):
            value = _first(value)
        elif isinstance(value, np.ndarray):
            value = value[0]
        values[field.name] = value
    return type(batched)(**values)


def lstm_forward(
    params: LSTMParams, xs: np.ndarray, h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> LSTMForward:
    """The LSTM over one sequence xs (T, d) from h0, c0 (n,) (zeros if None).

    a_t = W_x x_t + W_h h_{t-1} + b, c_t = f_t * c_{t-1} + i_t * g_t, h_t = o_t * tanh(c_t)
    (lstm_forward_batch; Hochreiter & Schmidhuber 1997, Gers et al. 2000). Returns
    LSTMForward with arrays of shape (T, .).
    """
    return _first(lstm_forward_batch(params, xs[None], _one(h0), _one(c0)))


def lstm_loss(params: LSTMParams, xs: np.ndarray, ys: np.ndarray, h0: np.ndarray | None = None,
              c0: np.ndarray | None = None, mask: np.ndarray | None = None) -> float:
    """L = sum_t m_t (-log softmax(W_hz h_t + b_z)_{y_t}) for one sequence (seed Q1's loss
    on the LSTM's h_t; Hochreiter & Schmidhuber 1997).

    Arguments and shapes as lstm_bptt: xs (T, d), ys (T,), h0, c0 (n,), mask (T,).
    """
    fwd = lstm_forward(params, xs, h0, c0)
    T = xs.shape[0]
    return _loss_value(fwd.log_z[None], np.asarray(ys)[None], _mask((1, T), mask))


def lstm_bptt(params: LSTMParams, xs: np.ndarray, ys: np.ndarray, h0: np.ndarray | None = None,
              c0: np.ndarray | None = None, mask: np.ndarray | None = None) -> LSTMBPTTResult:
    """Loss and exact gradients of one sequence by BPTT (equations in lstm_bptt_batch).

    Parameters
    ----------
    xs : ndarray of shape (T, d); ys : ndarray of shape (T,), ints in [0, c);
    h0, c0 : ndarray of shape (n,) or None; mask : ndarray of shape (T,) or None (all 1).

    Returns
    -------
    LSTMBPTTResult: loss, grads (LSTMParams), dL_dh and dL_dc (T, n), dL_da (T, 4n),
    dL_du (T, c), forward (LSTMForward with arrays (T, .)).
    """
    m = None if mask is None else np.asarray(mask, dtype=float)[None]
    batch = lstm_bptt_batch(params, xs[None], np.asarray(ys)[None], _one(h0), _one(c0), m)
    return _first(batch)

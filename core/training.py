"""Training the seed's RNN and the LSTM on long-dependency tasks: one loop for both cells.

The batch objective is the mean loss per loss-carrying step,

    J(theta) = sum_i L_i(theta) / sum_i sum_t m_{i,t},   L_i = sum_t m_{i,t} (-log z_{i,t,y_{i,t}}),

its gradient comes from core.rnn.bptt_batch or core.lstm.lstm_bptt_batch (a batch at once),
and the update from SGD, momentum or Adam, after optional clipping by global norm
(Pascanu, Mikolov & Bengio 2013). Truncated BPTT with window k (Williams & Peng 1990) is an
option of the gradient, built from the same BPTT on windows of the sequence: each loss L_t
is backpropagated through the k steps t-k+1 .. t only, from the state h_{t-k} (and c_{t-k})
of the full forward pass held fixed. With k >= T every window reaches h_0: the full gradient.

Also here: the relative error of the truncated gradient against the full one as k grows, its
finite-difference oracle (truncated_objective, check_batch_gradient),
and the one-unit RNN "cliff" of Pascanu et al. (2013, sec. 2.3 and fig. 6) with gradient
descent on it, with and without clipping.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields
from typing import Callable

import numpy as np

from core import lstm, rnn
from core.blas import one_blas_thread
from core.gradcheck import check_gradients, relative_error
from core.tasks import Task, make_task
from core.workspace import Workspace

CELLS = ("rnn", "lstm")
OPTIMIZERS = ("sgd", "momentum", "adam")
MOMENTUM = 0.9  # mu of the heavy-ball update
ADAM_BETAS = (0.9, 0.999)  # beta_1, beta_2 of Kingma & Ba (2015)
ADAM_EPSILON = 1e-8

# A learning rate for each optimizer at the other defaults, measured on "recall" (seeds 0, 1):
# the RNN at D = 2 reaches 1.0 held-out accuracy with each; the LSTM at D = 30 reaches
# 0.99 / 0.91 (sgd), 0.98 / 1.0 (momentum) and 1.0 / 1.0 (adam).
LEARNING_RATES = {"sgd": 0.2, "momentum": 0.03, "adam": 0.01}

# The page's defaults (chosen and measured: see bench/rnn_lab_bench.py and the tests). On
# "recall" a run takes ~0.3 s (D = 2) to ~0.9 s (D = 30) of CPU. forget_bias = 3 (f = 0.95 at
# the start) rather than the customary 1 (f = 0.73, f^30 ~ 1e-4): at D = 30 the LSTM passed
# 90% accuracy in 26-115 steps (6 seeds) with b_f = 3, in 52-505 (4 seeds) with b_f = 2, and
# in 1 of 4 seeds within 600 steps with b_f = 1.
DEFAULTS = dict(
    task="recall", delay=2, n_hidden=32, n_symbols=4, optimizer="adam", learning_rate=0.01,
    n_steps=150, batch_size=16, truncation=None, clip=1.0, seed=0, forget_bias=3.0,
    sigma=1.0, eval_size=500,
)

Params = rnn.RNNParams | lstm.LSTMParams


# ----------------------------------------------------------------------------- arrays


def arrays_of(params: Params) -> dict[str, np.ndarray]:
    """The parameter arrays by name (RNNParams or LSTMParams, in field order)."""
    return {field.name: getattr(params, field.name) for field in fields(params)}


def global_norm(grads: Params) -> float:
    """||g|| = sqrt(sum over arrays of sum of squares), the norm of all gradients as one vector.

    Computed as s sqrt(sum (g / s)^2) with s = max |g|, so that it neither overflows nor
    underflows; inf if any entry is inf or NaN.
    """
    arrays = arrays_of(grads).values()
    largest = float(np.max([np.abs(g).max(initial=0.0) for g in arrays]))  # NaN propagates
    if not np.isfinite(largest):
        return float("inf")
    if largest == 0.0:
        return 0.0
    scaled = [g / largest for g in arrays]
    return largest * float(np.sqrt(sum(np.vdot(x, x) for x in scaled)))


def clip_by_global_norm(grads: Params, threshold: float | None) -> tuple[Params, float, float]:
    """g <- g * min(1, threshold / ||g||) (Pascanu, Mikolov & Bengio 2013, algorithm 1).

    The direction is kept and the global norm of the result never exceeds the threshold,
    rounding included (the scale is nudged down if the recomputed norm lands above it). A
    gradient with a non-finite norm is replaced by zeros (the step is skipped).

    Parameters
    ----------
    grads : RNNParams or LSTMParams of gradients; threshold : tau > 0, or None (no clipping).

    Returns
    -------
    (clipped gradients of the same type and shapes, ||g|| before, ||g|| after).
    """
    norm = global_norm(grads)
    if threshold is None or norm <= threshold:
        return grads, norm, norm
    if not threshold > 0:
        raise ValueError(f"the clipping threshold must be > 0, got {threshold}")
    if not np.isfinite(norm):
        return type(grads)(**{k: np.zeros_like(g) for k, g in arrays_of(grads).items()}), norm, 0.0
    scale = threshold / norm
    while True:
        clipped = type(grads)(**{k: g * scale for k, g in arrays_of(grads).items()})
        after = global_norm(clipped)
        if after <= threshold:
            return clipped, norm, after
        scale = np.nextafter(scale * threshold / after, 0.0)


# ------------------------------------------------------------------------- optimizers


class Optimizer:
    """theta_{s+1} = theta_s - lr * step_s, for "sgd", "momentum" or "adam".

    sgd:       step_s = g_s
    momentum:  v_s = mu v_{s-1} + g_s, step_s = v_s            (heavy ball, mu = 0.9; Polyak 1964)
    adam:      m_s = b1 m_{s-1} + (1 - b1) g_s,  v_s = b2 v_{s-1} + (1 - b2) g_s^2,
               step_s = (m_s / (1 - b1^s)) / (sqrt(v_s / (1 - b2^s)) + eps)   (Kingma & Ba 2015)

    The rules are elementwise: theta and g are all parameter arrays as one vector (field
    order), so that a step is a few operations on it rather than a few per array.

    Parameters
    ----------
    name : one of OPTIMIZERS; learning_rate : lr > 0.
    """

    def __init__(self, name: str, learning_rate: float):
        if name not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {name!r}")
        if not learning_rate > 0:
            raise ValueError(f"learning_rate must be > 0, got {learning_rate}")
        self.name, self.learning_rate = name, learning_rate
        self.steps = 0
        self.velocity: np.ndarray | float = 0.0  # v of momentum, as one vector
        self.first: np.ndarray | float = 0.0  # m of Adam
        self.second: np.ndarray | float = 0.0  # v of Adam

    def update(self, params: Params, grads: Params) -> Params:
        """The parameters after one step: a new RNNParams or LSTMParams (same shapes, views
        of one vector)."""
        self.steps += 1
        beta1, beta2 = ADAM_BETAS
        theta, step = _vector(params), _vector(grads)
        if self.name == "momentum":
            step = self.velocity = MOMENTUM * self.velocity + step
        elif self.name == "adam":
            first = self.first = beta1 * self.first + (1 - beta1) * step
            second = self.second = beta2 * self.second + (1 - beta2) * step * step
            step = (first / (1 - beta1**self.steps)) / (
                np.sqrt(second / (1 - beta2**self.steps)) + ADAM_EPSILON)
        return _arrays_like(params, theta - self.learning_rate * step)


def _vector(params: Params) -> np.ndarray:
    """All arrays of params as one vector, in field order."""
    return np.concatenate([a.ravel() for a in arrays_of(params).values()])


def _arrays_like(params: Params, vector: np.ndarray) -> Params:
    """The inverse of _vector: params' type, its arrays' shapes, views of vector."""
    arrays, start = {}, 0
    for name, a in arrays_of(params).items():
        arrays[name] = vector[start : start + a.size].reshape(a.shape)
        start += a.size
    return type(params)(**arrays)


# ----------------------------------------------------------- the two cells, batched


def _cell_of(params: Params) -> str:
    return "lstm" if isinstance(params, lstm.LSTMParams) else "rnn"


def n_hidden_of(params: Params) -> int:
    """n, the size of h_t."""
    return params.W_h.shape[1] if isinstance(params, lstm.LSTMParams) else params.W_hh.shape[0]


def _zero_state(params: Params, N: int) -> tuple:
    """h_0 = 0 (and c_0 = 0 for the LSTM) for N sequences: a tuple of (N, n) arrays."""
    zeros = np.zeros((N, n_hidden_of(params)))
    return (zeros,) if _cell_of(params) == "rnn" else (zeros, zeros)


def _forward_states(params: Params, xs: np.ndarray, state0: tuple):
    """States after 0..T steps, each (N, T + 1, n) (h, and c for the LSTM), and log_z (N, T, c)."""
    if _cell_of(params) == "lstm":
        fwd = lstm.lstm_forward_batch(params, xs, *state0)
        h = np.concatenate([fwd.h_prev[:, :1], fwd.h], axis=1)
        c = np.concatenate([fwd.c_prev[:, :1], fwd.c], axis=1)
        return (h, c), fwd.log_z
    fwd = rnn.forward_batch(params, xs, state0[0])
    return (np.concatenate([fwd.h_prev[:, :1], fwd.h], axis=1),), fwd.log_z


def _bptt_batch(params: Params, xs, ys, mask, state0: tuple, workspace: Workspace | None = None):
    """Sum over the batch of L_i and its gradients, dL_i/dh (N, T, n) and log_z (N, T, c)."""
    if _cell_of(params) == "lstm":
        r = lstm.lstm_bptt_batch(params, xs, ys, *state0, mask=mask, workspace=workspace)
        return r.loss, arrays_of(r.grads), r.dL_dh, r.forward.log_z
    r = rnn.bptt_batch(params, xs, ys, state0[0], mask, workspace=workspace)
    return r.loss, arrays_of(r.grads), r.dL_dh, r.forward.log_z


@dataclass(frozen=True)
class BatchGradient:
    """The batch objective J, its (possibly truncated) gradient, and what the page plots.

    loss : J, mean -log z_{t, y_t} over the loss-carrying steps (never truncated);
    grads : RNNParams or LSTMParams, dJ/dtheta (truncated when a window is given);
    dL_dh : ndarray of shape (N, T, n), dL_i/dh_t of each sequence's own loss L_i, as used
        by the gradient (zero beyond the window of every loss when truncated);
    accuracy : fraction of loss-carrying steps where argmax_k z_{t,k} = y_t;
    n_loss_steps : sum_i sum_t m_{i,t}.
    """

    loss: float
    grads: Params
    dL_dh: np.ndarray
    accuracy: float
    n_loss_steps: int


def batch_gradient(
    params: Params,
    xs: np.ndarray,
    ys: np.ndarray,
    mask: np.ndarray,
    *,
    truncation: int | None = None,
    workspace: Workspace | None = None,
) -> BatchGradient:
    """dJ/dtheta by BPTT over a batch, optionally truncated to a window of k steps.

    Full (truncation None or k >= T): g = (1/M) sum_i dL_i/dtheta, M = sum m, from
    core.rnn.bptt_batch or core.lstm.lstm_bptt_batch.
    Truncated (Williams & Peng 1990, BPTT(k) for each loss): with s_t the state (h_t, or
    (h_t, c_t)) of the full forward pass,
        g_k = (1/M) sum_i sum_t m_{i,t} d/dtheta [-log z_{i,t,y}(theta; s_{t-k} fixed)],
    each term a BPTT over steps t-k+1..t started from s_{t-k} held constant; losses with
    t <= k share one BPTT from s_0 (their windows reach the start: exact).

    Parameters
    ----------
    params : RNNParams or LSTMParams (the cell is read from the type).
    xs : ndarray of shape (N, T, d); ys : ndarray of shape (N, T); mask : ndarray (N, T).
    truncation : k >= 1 or None.
    workspace : core.workspace.Workspace for the large arrays of full BPTT (a training
    loop's: the result is valid until its next call), or None.
    """
    N, T, _ = xs.shape
    n = n_hidden_of(params)
    k = T if truncation is None else int(truncation)
    if k < 1:
        raise ValueError(f"truncation must be >= 1, got {truncation}")
    mask = np.asarray(mask, dtype=float)
    if not mask.any():
        raise ValueError("the mask has no loss-carrying step")
    state0 = _zero_state(params, N)
    loss_steps = np.nonzero(mask.any(axis=0))[0]  # 0-based rows (row t is step t + 1)
    head = loss_steps[loss_steps < k]  # losses whose window reaches h_0: one exact BPTT
    last = int(head.max()) + 1 if head.size else 0
    if last == T:  # every loss's window reaches h_0: full BPTT, in the workspace
        _, grads, adjoint, log_z = _bptt_batch(params, xs, ys, mask, state0, workspace)
        dL_dh = np.empty((N, T, n)) if workspace is None else workspace.array("batch_dL_dh",
                                                                              (N, T, n))
        dL_dh[:] = adjoint  # batch-major and contiguous (the order of sums over it)
    else:
        dL_dh = np.zeros((N, T, n))
        if last:
            _, grads, dL_dh[:, :last], log_z = _bptt_batch(
                params, xs[:, :last], ys[:, :last], mask[:, :last], state0)
        else:
            grads = {name: np.zeros_like(a) for name, a in arrays_of(params).items()}
    tail = loss_steps[loss_steps >= k]
    if last < T:  # states and outputs of every step, from one full forward pass
        states, log_z = _forward_states(params, xs, state0)
    for t in tail:  # rows t-k+1 .. t (steps t-k+2 .. t+1), from the state after t-k+1 steps
        rows = np.nonzero(mask[:, t])[0]
        start = t - k + 1
        window_mask = np.zeros((rows.size, k))
        window_mask[:, -1] = mask[rows, t]
        _, window_grads, window_dL_dh, _ = _bptt_batch(
            params, xs[rows, start : t + 1], ys[rows, start : t + 1], window_mask,
            tuple(s[rows, start] for s in states))
        for name in grads:
            grads[name] = grads[name] + window_grads[name]
        dL_dh[rows, start : t + 1] += window_dL_dh
    M = mask.sum()
    loss, accuracy = _loss_and_accuracy(log_z, ys, mask)
    return BatchGradient(
        loss=loss, grads=type(params)(**{name: g / M for name, g in grads.items()}),
        dL_dh=dL_dh, accuracy=accuracy, n_loss_steps=int((mask > 0).sum()),
    )


def _loss_and_accuracy(log_z: np.ndarray, ys: np.ndarray, mask: np.ndarray):
    """J = -sum m log z_y / sum m and the fraction of loss-carrying steps with argmax z = y."""
    picked = log_z[rnn.label_index(ys)]
    carrying = mask > 0
    correct = (log_z.argmax(axis=-1) == ys) & carrying
    return float(-(mask * picked).sum() / mask.sum()), float(correct.sum() / carrying.sum())


# ------------------------------------------------------------------------- training


def init_cell(
    cell: str, d: int, n: int, c: int, *, seed: int = 0, sigma: float = 1.0,
    forget_bias: float = 1.0,
) -> Params:
    """Initial parameters: core.rnn.init_params (W_hh Gaussian with sigma_max(W_hh) = sigma)
    for "rnn", core.lstm.init_lstm_params (forget-gate bias forget_bias) for "lstm".

    Returns RNNParams (W_sh (n, d), W_hh (n, n), ...) or LSTMParams (W_x (4n, d), ...).
    """
    if cell == "rnn":
        return rnn.init_params(d, n, c, sigma=sigma, seed=seed)
    if cell == "lstm":
        return lstm.init_lstm_params(d, n, c, seed=seed, forget_bias=forget_bias)
    raise ValueError(f"cell must be one of {CELLS}, got {cell!r}")


@dataclass(frozen=True)
class TrainingRun:
    """Per-step history of one training run, the final parameters, a held-out evaluation.

    loss, accuracy : ndarray of shape (S,), J and accuracy on step s's fresh batch (before
        the update, so they are held-out figures too);
    dL_dh_norms : ndarray of shape (S, T), mean over the batch of ||dL_i/dh_t||;
    grad_norm, clipped_grad_norm : ndarray of shape (S,), ||dJ/dtheta|| before / after
        clipping (equal when not clipped);
    initial_params, params : RNNParams or LSTMParams before and after training;
    evaluation : Task of eval_size fresh sequences; eval_loss, eval_accuracy : J and
        accuracy of the final parameters on it (full gradient path, never truncated);
    chance : the task's chance accuracy; seconds : wall time of the run;
    config : dict of the scalar settings of the run.
    """

    loss: np.ndarray
    accuracy: np.ndarray
    dL_dh_norms: np.ndarray
    grad_norm: np.ndarray
    clipped_grad_norm: np.ndarray
    initial_params: Params
    params: Params
    evaluation: Task
    eval_loss: float
    eval_accuracy: float
    chance: float
    seconds: float
    config: dict

    @property
    def dL_dh1_norm(self) -> np.ndarray:
        """||dL/dh_1|| against the step, ndarray of shape (S,)."""
        return self.dL_dh_norms[:, 0]


@one_blas_thread
def train(
    cell: str = "rnn",
    *,
    task: str = DEFAULTS["task"],
    delay: int = DEFAULTS["delay"],
    length: int | None = None,
    n_hidden: int = DEFAULTS["n_hidden"],
    n_symbols: int = DEFAULTS["n_symbols"],
    optimizer: str = DEFAULTS["optimizer"],
    learning_rate: float = DEFAULTS["learning_rate"],
    n_steps: int = DEFAULTS["n_steps"],
    batch_size: int = DEFAULTS["batch_size"],
    truncation: int | None = DEFAULTS["truncation"],
    clip: float | None = DEFAULTS["clip"],
    seed: int = DEFAULTS["seed"],
    forget_bias: float = DEFAULTS["forget_bias"],
    sigma: float = DEFAULTS["sigma"],
    eval_size: int = DEFAULTS["eval_size"],
    on_step: Callable[[int, int], None] | None = None,
) -> TrainingRun:
    """Train a cell on fresh batches of a task by (truncated) BPTT, clipping and an optimizer.

    For s = 1..S: draw a batch (core.tasks.make_task), g = batch_gradient(theta, ...),
    g <- g min(1, clip / ||g||) (Pascanu, Mikolov & Bengio 2013), theta <- optimizer step.
    Every argument is a small scalar, so that a page can cache the call on them.

    Parameters
    ----------
    cell : "rnn" (the seed's tanh RNN, core.rnn) or "lstm" (core.lstm).
    task, delay, length, n_symbols : as core.tasks.make_task; length None means delay + 1.
    n_hidden : n. optimizer : "sgd", "momentum" or "adam"; learning_rate : lr > 0.
    n_steps : S updates of batch_size sequences each.
    truncation : window k of truncated BPTT, or None for full BPTT.
    clip : threshold tau of the global norm, or None.
    seed : one seed for the initial parameters, the batches and the evaluation set.
    forget_bias : b_f of the LSTM at initialisation; sigma : sigma_max(W_hh) of the RNN.
    eval_size : number of held-out sequences for eval_accuracy.
    on_step : called as on_step(s, S) after each update (a progress bar), or None.

    Returns
    -------
    TrainingRun (histories of shape (S,) and (S, T), final params, evaluation).
    """
    start = time.perf_counter()
    length = delay + 1 if length is None else length
    config = dict(cell=cell, task=task, delay=delay, length=length, n_hidden=n_hidden,
                  n_symbols=n_symbols, optimizer=optimizer, learning_rate=learning_rate,
                  n_steps=n_steps, batch_size=batch_size, truncation=truncation, clip=clip,
                  seed=seed, forget_bias=forget_bias, sigma=sigma, eval_size=eval_size)
    # One stream: the initial parameters, the evaluation set, then one batch seed a step, so
    # that neither the initialisation nor the evaluation depends on n_steps.
    rng = np.random.default_rng(seed)
    init_seed, eval_seed = rng.integers(0, 2**63 - 1, size=2)

    def batch(task_seed: int, size: int) -> Task:
        return make_task(task, length=length, delay=delay, n_sequences=size,
                         seed=int(task_seed), n_symbols=n_symbols)

    evaluation = batch(eval_seed, eval_size)
    params = initial = init_cell(cell, evaluation.n_inputs, n_hidden, evaluation.n_classes,
                                 seed=int(init_seed), sigma=sigma, forget_bias=forget_bias)
    opt = Optimizer(optimizer, learning_rate)
    history = {key: np.empty(n_steps) for key in
               ("loss", "accuracy", "grad_norm", "clipped_grad_norm")}
    dL_dh_norms = np.empty((n_steps, length))
    work = Workspace()  # the steps' large arrays, allocated once
    squares = np.empty((batch_size, length, n_hidden))  # (dL_i/dh_t)^2, batch-major
    for s in range(n_steps):
        data = batch(rng.integers(0, 2**63 - 1), batch_size)
        gradient = batch_gradient(params, data.xs, data.ys, data.mask, truncation=truncation,
                                  workspace=work)
        grads, before, after = clip_by_global_norm(gradient.grads, clip)
        params = opt.update(params, grads)
        history["loss"][s], history["accuracy"][s] = gradient.loss, gradient.accuracy
        history["grad_norm"][s], history["clipped_grad_norm"][s] = before, after
        np.multiply(gradient.dL_dh, gradient.dL_dh, out=squares)  # ||dL_i/dh_t|| as norm(axis=2)
        dL_dh_norms[s] = np.sqrt(np.add.reduce(squares, axis=2)).mean(axis=0)
        if on_step is not None:
            on_step(s + 1, n_steps)
    final = evaluate(params, evaluation)
    return TrainingRun(
        **history, dL_dh_norms=dL_dh_norms, initial_params=initial, params=params,
        evaluation=evaluation, eval_loss=final[0], eval_accuracy=final[1],
        chance=evaluation.chance, seconds=time.perf_counter() - start, config=config)


def evaluate(params: Params, data: Task) -> tuple[float, float]:
    """(J, accuracy) of params on a task's batch: mean -log z_{t,y_t} and fraction of correct
    argmax over the loss-carrying steps (one forward pass; shapes as in batch_gradient)."""
    N = data.xs.shape[0]
    _, log_z = _forward_states(params, data.xs, _zero_state(params, N))
    return _loss_and_accuracy(log_z, data.ys, data.mask)


def truncated_objective(
    frozen: Params,
    xs: np.ndarray,
    ys: np.ndarray,
    mask: np.ndarray,
    truncation: int | None = None,
) -> Callable[[dict[str, np.ndarray]], float]:
    """J_k(theta): every loss L_t run from the state s_{t-k} of the frozen parameters.

    J_k(theta) = (1/M) sum_i sum_t m_{i,t} (-log z_{i,t,y}(theta; s_{i,t-k} of frozen)),
    each term a forward pass over steps t-k+1..t only (from s_0 = 0 when t <= k). At
    theta = frozen it equals J, and its exact gradient there is, by definition, the truncated
    gradient of batch_gradient(frozen, ..., truncation=k) (Williams & Peng 1990): central
    differences of it are the oracle for truncated BPTT. With k None (or k >= T) it is J.

    Parameters
    ----------
    frozen : RNNParams or LSTMParams whose states s_t (full forward pass) are held fixed.
    xs : ndarray of shape (N, T, d); ys : ndarray of shape (N, T); mask : ndarray (N, T).
    truncation : k >= 1 or None.

    Returns
    -------
    A function of the parameter arrays by name (shapes as in frozen) returning J_k.
    """
    mask = np.asarray(mask, dtype=float)
    windows = _loss_windows(frozen, xs, mask, truncation)

    def objective(arrays: dict[str, np.ndarray]) -> float:
        params = type(frozen)(**arrays)
        total = 0.0
        for start, t, state in windows:
            _, log_z = _forward_states(params, xs[:, start : t + 1], state)
            picked = np.take_along_axis(log_z[:, -1], ys[:, t, None], axis=-1)[:, 0]
            total -= float(mask[:, t] @ picked)
        return total / mask.sum()

    return objective


def _loss_windows(frozen: Params, xs: np.ndarray, mask: np.ndarray,
                  truncation: int | None) -> list[tuple[int, int, tuple]]:
    """(start, t, s_start) for each loss-carrying row t: J_k runs rows start..t from the
    state s_start of the frozen parameters' full forward pass (start = max(0, t - k + 1))."""
    N, T, _ = xs.shape
    k = T if truncation is None else int(truncation)
    states, _ = _forward_states(frozen, xs, _zero_state(frozen, N))
    windows = []
    for t in np.nonzero(mask.any(axis=0))[0]:
        start = max(0, int(t) - k + 1)
        windows.append((start, int(t), tuple(s[:, start] for s in states)))
    return windows


def truncated_objective_stack(
    frozen: Params,
    xs: np.ndarray,
    ys: np.ndarray,
    mask: np.ndarray,
    truncation: int | None = None,
) -> Callable[[str, np.ndarray], np.ndarray]:
    """truncated_objective at P points at once that differ from frozen in one array.

    Returns a function (name, values) -> ndarray of shape (P,): J_k with the array name set
    to each values[p] (values of shape (P, *shape)) and the other arrays as in frozen. The
    cells run for all P points together (_last_log_z_stack, written from the equations and
    independent of core.rnn's and core.lstm's batch code): the finite differences of one
    parameter array in one call (core.gradcheck.check_gradients's losses_of).
    """
    mask = np.asarray(mask, dtype=float)
    windows = _loss_windows(frozen, xs, mask, truncation)
    sequences = np.arange(xs.shape[0])

    def objective(name: str, values: np.ndarray) -> np.ndarray:
        total = np.zeros(values.shape[0])
        for start, t, state in windows:
            log_z = _last_log_z_stack(frozen, name, values, xs[:, start : t + 1], state)
            total -= log_z[:, sequences, ys[:, t]] @ mask[:, t]
        return total / mask.sum()

    return objective


def _last_log_z_stack(params: Params, name: str, values: np.ndarray, xs: np.ndarray,
                      state0: tuple) -> np.ndarray:
    """log z at the last step, (P, N, c), for the P parameter points params with the array
    name set to each of values (P, *shape), from state0 ((h_0,) or (h_0, c_0), each (N, n)).

    RNN:  h_t = tanh(W_sh x_t + W_hh h_{t-1} + b_h)   (core.rnn)
    LSTM: a_t = W_x x_t + W_h h_{t-1} + b; i, f, o = sigma(a_i, a_f, a_o), g = tanh(a_g);
          c_t = f c_{t-1} + i g; h_t = o tanh(c_t)     (core.lstm)
    then z = softmax(W_hz h_T + b_z). Each array has a leading axis of 1 or P: the products
    broadcast over it (one (N, .) @ (P, ., .) per step).
    """
    W_in, W_rec, bias, W_hz, b_z = (values if key == name else array[None]
                                    for key, array in arrays_of(params).items())
    h = state0[0]
    if _cell_of(params) == "lstm":
        n = W_rec.shape[-1]
        c = state0[1]
        for x in xs.transpose(1, 0, 2):
            a = x @ W_in.swapaxes(1, 2) + h @ W_rec.swapaxes(1, 2) + bias[:, None]
            gate = lstm.sigmoid(a)
            c = gate[..., n : 2 * n] * c + gate[..., :n] * np.tanh(a[..., 2 * n : 3 * n])
            h = gate[..., 3 * n :] * np.tanh(c)
    else:
        for x in xs.transpose(1, 0, 2):
            h = np.tanh(x @ W_in.swapaxes(1, 2) + h @ W_rec.swapaxes(1, 2) + bias[:, None])
    return rnn.log_softmax(h @ W_hz.swapaxes(1, 2) + b_z[:, None])


@one_blas_thread
def check_batch_gradient(
    params: Params,
    xs: np.ndarray,
    ys: np.ndarray,
    mask: np.ndarray,
    *,
    truncation: int | None = None,
    limit: int | None = None,
    seed: int = 0,
) -> dict[str, dict]:
    """The (truncated) BPTT gradient of batch_gradient against central differences of J_k.

    dJ_k/dtheta from batch_gradient(params, ..., truncation=k) is compared, array by array,
    with the five-point central differences of truncated_objective (core.gradcheck), on all
    entries or a seeded random sample of limit per array; the perturbed losses of an array
    are evaluated together (truncated_objective_stack).

    Parameters
    ----------
    params : RNNParams or LSTMParams; xs : ndarray of shape (N, T, d); ys, mask : (N, T).
    truncation : k >= 1 or None (full BPTT); limit : entries per array, or None for all.

    Returns
    -------
    core.gradcheck.check_gradients's report: name -> checked, total, indices, eps,
    relative_error.
    """
    gradient = batch_gradient(params, xs, ys, mask, truncation=truncation)
    return check_gradients(truncated_objective(params, xs, ys, mask, truncation),
                           arrays_of(params), arrays_of(gradient.grads), limit=limit, seed=seed,
                           losses_of=truncated_objective_stack(params, xs, ys, mask, truncation))


# ------------------------------------------------------------- truncation error curve


@dataclass(frozen=True)
class TruncationCurve:
    """How far the truncated gradient is from the full one, window by window.

    windows : ndarray of shape (K,), the windows k; relative_error : ndarray of shape (K,),
    ||g_k - g|| / ||g|| over all parameters as one vector (0 for k >= T);
    per_array : dict name -> ndarray of shape (K,), the same for each parameter array.
    """

    windows: np.ndarray
    relative_error: np.ndarray
    per_array: dict[str, np.ndarray]


def _one_loss_window_gradients(
    params: Params, xs: np.ndarray, ys: np.ndarray, mask: np.ndarray,
) -> Callable[[int], dict[str, np.ndarray]]:
    """k -> g_k, the truncated gradient of batch_gradient, when every loss is at one step t
    (the lab's tasks: m = e_T), from one full BPTT instead of one BPTT per window.

    The window BPTT of the loss at t from s_{t-k} held fixed computes, for the steps
    s = t-k+1..t, the same adjoints delta_s = dL/da_s (dL/dv_s for the RNN) as full BPTT:
    they depend only on later steps and on the states of the full forward pass, which the
    window starts from. So g_k = (1/M) [sum over those k steps of delta_s [x_s; h_{s-1}; 1]^T,
    and the readout's gradient], a suffix sum of per-step terms; k >= t + 1 gives them all:
    the full gradient (the same sum, so that its error against itself is exactly 0).
    """
    N, _, d = xs.shape
    n = n_hidden_of(params)
    mask = np.asarray(mask, dtype=float)
    last = int(np.nonzero(mask.any(axis=0))[0][0]) + 1  # steps up to the loss
    xs, ys, mask = xs[:, :last], ys[:, :last], mask[:, :last]
    if _cell_of(params) == "lstm":
        result = lstm.lstm_bptt_batch(params, xs, ys, mask=mask)
        delta = result.dL_da
    else:
        result = rnn.bptt_batch(params, xs, ys, None, mask)
        delta = result.dL_dv
    inputs = np.concatenate([xs, result.forward.h_prev, np.ones((N, last, 1))], axis=2)
    per_step = delta.transpose(1, 2, 0) @ inputs.transpose(1, 0, 2)  # (steps, rows, d + n + 1)
    suffix = np.cumsum(per_step[::-1], axis=0)  # suffix[k - 1]: the last k steps
    W_in, W_rec, bias, W_hz, b_z = arrays_of(params)  # the field order of both cells
    M = mask.sum()

    def gradient_of(k: int) -> dict[str, np.ndarray]:
        window = suffix[min(k, last) - 1] / M
        return {W_in: window[:, :d], W_rec: window[:, d : d + n], bias: window[:, -1],
                W_hz: result.grads.W_hz / M, b_z: result.grads.b_z / M}

    return gradient_of


@one_blas_thread
def truncation_error_curve(
    params: Params,
    xs: np.ndarray,
    ys: np.ndarray,
    mask: np.ndarray,
    windows: np.ndarray | None = None,
) -> TruncationCurve:
    """||g_k - g|| / ||g|| of truncated BPTT with window k against full BPTT, for each k.

    g = dJ/dtheta by full BPTT, g_k the same with each loss backpropagated over k steps
    (batch_gradient; Williams & Peng 1990). The error is exactly 0 once k >= T. When every
    loss is at one step (the lab's tasks) all g_k come from one BPTT
    (_one_loss_window_gradients), else from one batch_gradient per window.

    Parameters
    ----------
    params : RNNParams or LSTMParams; xs : ndarray of shape (N, T, d); ys, mask : (N, T).
    windows : ndarray of shape (K,) of k >= 1, or None for k = 1..T.
    """
    T = xs.shape[1]
    windows = np.arange(1, T + 1) if windows is None else np.asarray(windows, dtype=int)
    if np.count_nonzero(np.asarray(mask).any(axis=0)) == 1:  # every loss at one step
        gradient_of = _one_loss_window_gradients(params, xs, ys, mask)
        full = gradient_of(T)
    else:
        full = arrays_of(batch_gradient(params, xs, ys, mask).grads)

        def gradient_of(k: int) -> dict[str, np.ndarray]:
            return arrays_of(batch_gradient(params, xs, ys, mask, truncation=k).grads)

    flat_full = np.concatenate([g.ravel() for g in full.values()])
    total, per_array = [], {name: [] for name in full}
    for k in windows:
        truncated = gradient_of(int(k))
        total.append(relative_error(
            np.concatenate([g.ravel() for g in truncated.values()]), flat_full))
        for name, g in truncated.items():
            per_array[name].append(relative_error(g, full[name]))
    return TruncationCurve(windows, np.array(total),
                           {name: np.array(v) for name, v in per_array.items()})


# ------------------------------------------------------------------- the one-unit cliff

# The one-unit RNN of the cliff: h_t = tanh(w h_{t-1} + b), no input, h_0 = CLIFF_H0, and the
# seed's softmax readout, fixed, with three classes "h_T below / near / above CLIFF_TARGET":
# u_T = CLIFF_GAIN [h* - h_T, 0, h_T - h*] (h* = CLIFF_TARGET), target y_T = 1 (near) at the
# last step only. So L = log(1 + exp(k (h* - h_T)) + exp(k (h_T - h*))), a soft k |h_T - h*|,
# lowest (log 3) at h_T = h*: a valley, as the squared error (x_50 - 0.7)^2 of Pascanu et al.
CLIFF_LENGTH = 50
CLIFF_H0 = 0.5
CLIFF_TARGET = 0.8
CLIFF_GAIN = 4.0


def one_unit_rnn(w: float, b: float) -> rnn.RNNParams:
    """The seed's RNN with n = d = 1, c = 3: W_hh = [[w]], b_h = [b], W_sh = [[0]],
    W_hz = k [[-1], [0], [1]], b_z = k [h*, 0, -h*] with k = CLIFF_GAIN, h* = CLIFF_TARGET
    (Pascanu, Mikolov & Bengio 2013, sec. 2.3)."""
    return rnn.RNNParams(
        W_sh=np.zeros((1, 1)), W_hh=np.array([[w]], dtype=float),
        b_h=np.array([b], dtype=float), W_hz=CLIFF_GAIN * np.array([[-1.0], [0.0], [1.0]]),
        b_z=CLIFF_GAIN * np.array([CLIFF_TARGET, 0.0, -CLIFF_TARGET]))


def _cliff_sequence(length: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """xs (T, 1) of zeros, ys (T,) all 1, mask e_T (T,)."""
    mask = np.zeros(length)
    mask[-1] = 1.0
    return np.zeros((length, 1)), np.ones(length, dtype=np.int64), mask


def cliff_loss(w: float, b: float, *, length: int = CLIFF_LENGTH, h0: float = CLIFF_H0) -> float:
    """L(w, b) = -log softmax(W_hz h_T + b_z)_1 of one_unit_rnn(w, b), by core.rnn.loss.

    h_t = tanh(w h_{t-1} + b), t = 1..T = length, from h_0 = h0; the loss is
    log(1 + exp(k (h* - h_T)) + exp(k (h_T - h*))) (see one_unit_rnn).
    """
    xs, ys, mask = _cliff_sequence(length)
    return rnn.loss(one_unit_rnn(w, b), xs, ys, np.array([h0]), mask)


@dataclass(frozen=True)
class CliffSurface:
    """The loss of the one-unit RNN on a grid.

    w : ndarray of shape (G_w,); b : ndarray of shape (G_b,);
    loss : ndarray of shape (G_b, G_w), loss[j, i] = L(w_i, b_j) (rows b, columns w);
    h_T : ndarray of shape (G_b, G_w), the final state.
    """

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    h_T: np.ndarray


@one_blas_thread
def cliff_surface(
    *,
    w_range: tuple[float, float] = (0.0, 3.0),
    b_range: tuple[float, float] = (-1.5, 1.0),
    resolution: int = 81,
    length: int = CLIFF_LENGTH,
    h0: float = CLIFF_H0,
) -> CliffSurface:
    """L(w, b) of the one-unit RNN over a grid (Pascanu, Mikolov & Bengio 2013, fig. 6 style).

    h_t = tanh(w h_{t-1} + b) for t = 1..T from h_0, L = log(1 + e^{k (h* - h_T)} +
    e^{k (h_T - h*)}) (cliff_loss). For w > 1 the map has two stable fixed points when
    b > atanh(s) - w s, s = sqrt(1 - 1/w); crossing that bifurcation moves h_T from one to
    the other: a wall in L where ||dL/d(w, b)|| explodes, with the valley h_T = h* above it.
    The grid points are run as one RNN of core.rnn.forward with a diagonal W_hh (independent
    units, one per grid point), in chunks.

    Returns
    -------
    CliffSurface with w (resolution,), b (resolution,), loss and h_T (resolution, resolution).
    """
    w = np.linspace(*w_range, resolution)
    b = np.linspace(*b_range, resolution)
    W, B = np.meshgrid(w, b)  # (G_b, G_w)
    flat_w, flat_b = W.ravel(), B.ravel()
    h_T = np.empty(flat_w.size)
    xs = np.zeros((length, 1))
    chunk = 128
    for start in range(0, flat_w.size, chunk):
        units = slice(start, start + chunk)
        n = flat_w[units].size
        bank = rnn.RNNParams(W_sh=np.zeros((n, 1)), W_hh=np.diag(flat_w[units]),
                             b_h=flat_b[units].copy(), W_hz=np.zeros((3, n)), b_z=np.zeros(3))
        h_T[units] = rnn.forward(bank, xs, np.full(n, h0)).h[-1]
    readout = one_unit_rnn(0.0, 0.0)
    u = h_T[:, None] * readout.W_hz[:, 0] + readout.b_z  # (G, c)
    loss = -rnn.log_softmax(u)[:, 1]
    return CliffSurface(w=w, b=b, loss=loss.reshape(W.shape), h_T=h_T.reshape(W.shape))


@dataclass(frozen=True)
class CliffDescent:
    """Gradient descent on the one-unit RNN's (w, b).

    path : ndarray of shape (S + 1, 2), (w, b) before each step and at the end;
    loss : ndarray of shape (S + 1,); grad_norm, clipped_grad_norm : ndarray of shape (S,),
    ||dL/d(w, b)|| before and after clipping.
    """

    path: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    clipped_grad_norm: np.ndarray


@one_blas_thread
def cliff_descent(
    w0: float = 1.5,
    b0: float = -0.5,
    *,
    learning_rate: float = 0.1,
    n_steps: int = 60,
    clip: float | None = None,
    length: int = CLIFF_LENGTH,
    h0: float = CLIFF_H0,
) -> CliffDescent:
    """(w, b) <- (w, b) - lr clip(dL/d(w, b)), gradients by core.rnn.bptt.

    clip(g) = g min(1, tau / ||g||) (Pascanu, Mikolov & Bengio 2013, algorithm 1) when
    clip = tau, else g. Only W_hh = [[w]] and b_h = [b] move; the readout stays fixed.

    Returns
    -------
    CliffDescent with path (n_steps + 1, 2), loss (n_steps + 1,), norms (n_steps,).
    """
    xs, ys, mask = _cliff_sequence(length)
    start = np.array([h0])
    path = np.empty((n_steps + 1, 2))
    loss = np.empty(n_steps + 1)
    norms = np.empty((n_steps, 2))
    path[0] = w0, b0
    for s in range(n_steps + 1):
        result = rnn.bptt(one_unit_rnn(*path[s]), xs, ys, start, mask)
        loss[s] = result.loss
        if s == n_steps:
            break
        grads = rnn.RNNParams(**{name: g * (name in ("W_hh", "b_h"))
                                 for name, g in arrays_of(result.grads).items()})
        clipped, norms[s, 0], norms[s, 1] = clip_by_global_norm(grads, clip)
        path[s + 1] = path[s] - learning_rate * np.array([clipped.W_hh[0, 0], clipped.b_h[0]])
    return CliffDescent(path=path, loss=loss, grad_norm=norms[:, 0],
                        clipped_grad_norm=norms[:, 1])

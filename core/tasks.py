"""Toy sequence tasks with a dependency of known length D, for the RNN lab.

Both tasks are classifications read off the softmax output z_t = softmax(W_hz h_t + b_z)
of the last step only, so that they fit the seed's loss L = sum_t m_t (-log z_{t, y_t})
with the loss mask m = e_T (one loss-carrying step per sequence). The information the
answer needs first appears at step T - D: the answer depends on an input seen D steps
before the step that carries the loss.

- "recall": every step shows a random token (one-hot, K symbols) and a marker bit; the
  token at the marked step T - D must be named at step T. Classes c = K, chance 1/K.
  (Bengio, Simard & Frasconi 1994 "information latching"; the token seen D steps ago.)
- "adding": every step shows a number a_t / (K - 1) with a_t in {0, ..., K - 1} and a
  marker bit; the two marked numbers (at step T - D and at a random later step) must be
  added (Hochreiter & Schmidhuber 1997, sec. 5.4, "adding problem"). Classification
  formulation: the class is the integer sum a_1 + a_2 in {0, ..., 2K - 2}, so c = 2K - 1
  and every class is an exact answer (no binning of a continuous sum). The original
  draws real numbers in [-1, 1] and regresses 0.5 + (X_1 + X_2) / 4 with a squared error;
  the discrete numbers keep the softmax readout and the cross-entropy of the seed while
  the network still has to store one number over D steps and add another to it. The
  majority class (sum = K - 1, probability 1/K) gives the chance level 1/K.

Arrays are stacked as in core.rnn with a leading batch axis: xs (N, T, d), ys (N, T),
mask (N, T); row xs[i, t - 1] is x_t of sequence i.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TASKS = ("recall", "adding")
DEFAULT_SYMBOLS = 4


@dataclass(frozen=True)
class Task:
    """A batch of sequences of one task.

    xs : ndarray of shape (N, T, d), float64 inputs;
    ys : ndarray of shape (N, T), int targets in [0, c) (0 where the mask is 0);
    mask : ndarray of shape (N, T), float64 m_t: 1 at the steps that carry loss;
    n_classes : c; chance : accuracy of the best constant guess (1/K for both tasks);
    name, length (T), delay (D), n_symbols (K) : how the batch was made.
    """

    name: str
    xs: np.ndarray
    ys: np.ndarray
    mask: np.ndarray
    n_classes: int
    chance: float
    length: int
    delay: int
    n_symbols: int

    @property
    def n_inputs(self) -> int:
        """d, the size of x_t."""
        return self.xs.shape[2]


def make_task(
    name: str,
    *,
    length: int,
    delay: int,
    n_sequences: int,
    seed: int,
    n_symbols: int = DEFAULT_SYMBOLS,
) -> Task:
    """N sequences of the "recall" or "adding" task with dependency length D = delay.

    recall:  x_t = [onehot_K(s_t), [t = T - D]],  y_T = s_{T-D},          c = K,
    adding:  x_t = [a_t / (K - 1), [t in {T - D, t_2}]],  y_T = a_{T-D} + a_{t_2},
             t_2 ~ U{T - D + 1, ..., T},                                    c = 2K - 1,
    with s_t, a_t ~ U{0, ..., K - 1} i.i.d. and the mask m_t = [t = T] (only the last step
    carries loss). References: Hochreiter & Schmidhuber (1997), "Long short-term memory",
    sec. 5.4 (adding); Bengio, Simard & Frasconi (1994) (latching a bit over D steps).

    Parameters
    ----------
    name : "recall" or "adding".
    length : T >= delay + 1 (steps before T - D are distractors).
    delay : D >= 1.
    n_sequences : N >= 1.
    seed : seed of numpy.random.default_rng.
    n_symbols : K >= 2, the number of tokens (recall) or of distinct numbers (adding).

    Returns
    -------
    Task with xs of shape (N, T, K + 1) (recall) or (N, T, 2) (adding), ys and mask of
    shape (N, T).
    """
    if name not in TASKS:
        raise ValueError(f"name must be one of {TASKS}, got {name!r}")
    if delay < 1 or length < delay + 1:
        raise ValueError(f"need delay >= 1 and length >= delay + 1, got {length=}, {delay=}")
    if n_sequences < 1 or n_symbols < 2:
        raise ValueError(f"need n_sequences >= 1 and n_symbols >= 2, got {n_sequences=}, "
                         f"{n_symbols=}")
    rng = np.random.default_rng(seed)
    N, T, D, K = n_sequences, length, delay, n_symbols
    symbols = rng.integers(0, K, size=(N, T))
    marked = np.zeros((N, T))
    marked[:, T - 1 - D] = 1.0  # step T - D, 0-based row T - 1 - D
    ys = np.zeros((N, T), dtype=np.int64)
    mask = np.zeros((N, T))
    mask[:, -1] = 1.0
    rows = np.arange(N)
    if name == "recall":
        xs = np.concatenate([np.eye(K)[symbols], marked[:, :, None]], axis=2)
        ys[:, -1] = symbols[:, T - 1 - D]
        n_classes = K
    else:
        second = rng.integers(T - D, T, size=N)  # 0-based rows of steps T - D + 1 .. T
        marked[rows, second] = 1.0
        xs = np.stack([symbols / (K - 1), marked], axis=2)
        ys[:, -1] = symbols[:, T - 1 - D] + symbols[rows, second]
        n_classes = 2 * K - 1
    return Task(name=name, xs=xs, ys=ys, mask=mask, n_classes=n_classes, chance=1.0 / K,
                length=T, delay=D, n_symbols=K)

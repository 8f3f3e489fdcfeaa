"""Unrolling h_t = F_theta(h_{t-1}, x_t) and counting shared vs unshared parameters (seed Q2).

F_theta is one step of the seed's RNN (core/rnn.py): F_theta(h, x) = tanh(W_sh x + W_hh h + b_h),
theta = (W_sh, W_hh, b_h, W_hz, b_z). Unfolding the recursion t times writes h_t as t nested
copies of the same F_theta; an *unshared* network gives every copy its own arrays instead.

Expressions are LaTeX strings made of five tokens, ``F_\\theta(``, ``h_{k}``, ``x_{k}``, ``,``
and ``)``, with an index k that is a number or t, t-1, t+1, ...; :func:`evaluate_unfolded` reads
such a string back and computes it numerically, so that every written unfolding (ours and the
seed's) can be checked against the forward pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from core.gradcheck import relative_error
from core.rnn import RNNParams, forward, init_params, random_sequence

FULL_LEVELS = 12  # unfold(t) writes every level for t <= 12 and elides the middle beyond
SHOWN_LEVELS = 3  # levels kept on each side of the elision
F_OPEN = r"F_\theta("


def _nest(base: str, inputs: Sequence[str]) -> str:
    """F_theta(...F_theta(F_theta(base, x_{inputs[0]}), x_{inputs[1]})..., x_{inputs[-1]})."""
    return F_OPEN * len(inputs) + base + "".join(f", x_{{{k}}})" for k in inputs)


def unfold(t: int, max_levels: int | None = FULL_LEVELS) -> str:
    r"""The LaTeX of h_t unfolded down to h_0.

    h_t = F_theta(h_{t-1}, x_t) = F_theta(F_theta(... F_theta(h_0, x_1) ..., x_{t-1}), x_t):
    t nested copies of F_theta, the innermost applied to h_0 and x_1, the outermost to x_t.

    Parameters
    ----------
    t : int >= 0, the step to unfold.
    max_levels : int or None. For t <= max_levels every level is written; beyond, the
        outer and inner ``SHOWN_LEVELS`` levels are written and the t - 2 * SHOWN_LEVELS
        in between are elided as ``\underbrace{\cdots}_{m\ \text{levels hidden}}``.
        None writes every level (what :func:`evaluate_unfolded` reads).

    Returns
    -------
    str, e.g. ``h_{2} = F_\theta(F_\theta(h_{0}, x_{1}), x_{2})``; ``h_{0}`` for t = 0.

    References
    ----------
    The seed, question 2 (1); Goodfellow, Bengio & Courville, Deep Learning (2016), eq. 10.5-10.7.
    """
    if t < 0:
        raise ValueError(f"t must be >= 0, got {t}")
    if t == 0:
        return "h_{0}"
    if max_levels is None or t <= max(max_levels, 2 * SHOWN_LEVELS):
        body = _nest("h_{0}", range(1, t + 1))
    else:
        hidden = t - 2 * SHOWN_LEVELS
        inner = _nest("h_{0}", range(1, SHOWN_LEVELS + 1))
        body = _nest(
            rf"\underbrace{{\cdots}}_{{{hidden}\ \text{{levels hidden}}}}\,{inner}\,\cdots",
            range(t - SHOWN_LEVELS + 1, t + 1),
        )
    return f"h_{{{t}}} = {body}"


def unfold_back(k: int) -> str:
    r"""The LaTeX of h_t unfolded k levels back, down to h_{t-k} (symbolic t).

    h_t = F_theta(F_theta(... F_theta(h_{t-k}, x_{t-k+1}) ..., x_{t-1}), x_t): k copies of
    F_theta. k = 4 is the seed's fourth unfolding line, corrected (design doc slip 4).

    Parameters
    ----------
    k : int >= 1, the number of levels.

    Returns
    -------
    str, e.g. ``h_{t} = F_\theta(F_\theta(h_{t-2}, x_{t-1}), x_{t})`` for k = 2.

    References
    ----------
    The seed, question 2 (1).
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    inputs = [f"t-{j}" for j in range(k - 1, 0, -1)] + ["t"]
    return "h_{t} = " + _nest(f"h_{{t-{k}}}", inputs)


def shared_parameter_count(d: int, n: int, c: int) -> int:
    """Parameters of the seed's RNN, biases included: n d + n^2 + n + c n + c.

    W_sh (n, d), W_hh (n, n), b_h (n,), W_hz (c, n), b_z (c,); the same for every T.
    Reference: the seed, question 2; design doc, notation.
    """
    _check_sizes(d, n, c)
    return n * d + n * n + n + c * n + c


def unshared_parameter_count(d: int, n: int, c: int, T: int) -> int:
    """Parameters of the unrolled network with its own arrays at every step.

    P_unshared(T) = T (n d + n^2 + n + c n + c).

    Every step t = 1..T has its own W_sh (n, d), W_hh (n, n), b_h (n,), W_hz (c, n), b_z (c,).
    Reference: the seed, question 2 (2) (what sharing avoids).
    """
    if T < 0:
        raise ValueError(f"T must be >= 0, got {T}")
    return T * shared_parameter_count(d, n, c)


def _check_sizes(d: int, n: int, c: int) -> None:
    if min(d, n, c) < 1:
        raise ValueError(f"d, n and c must be >= 1, got d={d}, n={n}, c={c}")


def unshared_params(
    d: int, n: int, c: int, T: int, *, sigma: float = 1.0, seed: int = 0
) -> tuple[RNNParams, ...]:
    """The arrays of an unshared unrolled network: one independent RNNParams per step t = 1..T.

    Step t has its own W_sh^(t), W_hh^(t), b_h^(t), W_hz^(t), b_z^(t), each drawn by
    :func:`core.rnn.init_params` from its own child of ``numpy.random.SeedSequence(seed)``:
    T (n d + n^2 + n + c n + c) numbers in all (:func:`unshared_parameter_count`).
    Reference: the seed, question 2 (2), what parameter sharing avoids.

    Returns
    -------
    tuple of T RNNParams, each with W_sh (n, d), W_hh (n, n), b_h (n,), W_hz (c, n), b_z (c,).
    """
    children = np.random.SeedSequence(seed).spawn(T)
    return tuple(init_params(d, n, c, sigma=sigma, seed=child) for child in children)


class SequenceTooLong(ValueError):
    """An unshared network was asked to run past the last step it has weights for."""


def unshared_forward(
    steps: Sequence[RNNParams], xs: np.ndarray, h0: np.ndarray | None = None
) -> np.ndarray:
    """Run an unshared network: h_t = tanh(W_sh^(t) x_t + W_hh^(t) h_{t-1} + b_h^(t)).

    Step t uses ``steps[t-1]`` through one step of :func:`core.rnn.forward`. With every
    entry the same RNNParams it is exactly the shared RNN.

    Parameters
    ----------
    steps : sequence of T RNNParams (the network was built for T steps).
    xs : ndarray of shape (L, d); h0 : ndarray of shape (n,) or None (zeros).

    Returns
    -------
    ndarray of shape (L, n), the states h_1..h_L.

    Raises
    ------
    SequenceTooLong if L > T: step T+1 has no weights (the seed, question 2 (1)).
    """
    length, built = xs.shape[0], len(steps)
    if length > built:
        missing = f"step {length}" if length == built + 1 else f"steps {built + 1}..{length}"
        raise SequenceTooLong(f"built for {built} steps, it has no weights for {missing}")
    n = steps[0].W_hh.shape[0] if steps else 0
    h = np.zeros(n) if h0 is None else h0
    states = np.empty((length, n))
    for t in range(length):
        h = forward(steps[t], xs[t : t + 1], h).h[0]
        states[t] = h
    return states


class MalformedUnfolding(ValueError):
    """An unfolded expression that cannot be computed (wrong arity, elided, unknown token)."""


_TOKEN = re.compile(
    r"\s*(?:(?P<F>F_\\theta\s*\()|(?P<var>[hx])_(?:\{(?P<braced>[^{}]*)\}|(?P<bare>\w))"
    r"|(?P<comma>,)|(?P<close>\)))"
)
_INDEX = re.compile(r"^\s*(?:(?P<t>t)\s*(?P<offset>[+-]\s*\d+)?|(?P<number>\d+))\s*$")


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = expression.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise MalformedUnfolding(f"cannot read {text[position:position + 20]!r}")
        position = match.end()
        kind = next(name for name in ("F", "var", "comma", "close") if match.group(name))
        if kind == "var":
            braced = match.group("braced")
            index = braced if braced is not None else match.group("bare")
            tokens.append((match.group("var"), index))
        else:
            tokens.append((kind, ""))
    return tokens


def _index_value(raw: str, t: int) -> int:
    """The value of an index "k", "t" or "t - j" / "t + j" at the given t."""
    match = _INDEX.match(raw)
    if match is None:
        raise MalformedUnfolding(f"cannot read the index {raw!r}")
    if match.group("number"):
        return int(match.group("number"))
    offset = match.group("offset")
    return t + (int(offset.replace(" ", "")) if offset else 0)


def evaluate_unfolded(
    expression: str,
    params: RNNParams,
    xs: np.ndarray,
    t: int,
    h0: np.ndarray | None = None,
) -> np.ndarray:
    r"""Compute an unfolded expression numerically, with F_theta one step of the RNN.

    F_theta(h, x_k) = tanh(W_sh x_k + W_hh h + b_h) (one step of :func:`core.rnn.forward`),
    x_k = xs[k-1], h_0 = h0 and any other h_k = the forward pass's state at step k. The
    text after the last "=" is read; an index "t - j" is taken at the given t.

    Parameters
    ----------
    expression : str, e.g. ``= F_\theta(F_\theta(h_{t-2}, x_{t-1}), x_t)``.
    params : RNNParams, the shared theta; xs : ndarray of shape (L, d) with L >= every index.
    t : int, the value of the symbol t; h0 : ndarray of shape (n,) or None (zeros).

    Returns
    -------
    ndarray of shape (n,), the state the expression denotes.

    Raises
    ------
    MalformedUnfolding when F_theta does not get exactly (a state, an input), an index is
    out of range, or the expression is elided or unreadable.

    References
    ----------
    The seed, question 2 (1) (design doc slip 4).
    """
    n = params.W_hh.shape[0]
    start = np.zeros(n) if h0 is None else np.asarray(h0, dtype=float)
    states = forward(params, xs, start).h
    tokens = _tokens(expression.rsplit("=", 1)[-1])
    position = 0

    def take() -> tuple[str, str]:
        nonlocal position
        if position >= len(tokens):
            raise MalformedUnfolding("the expression ends too early")
        position += 1
        return tokens[position - 1]

    def index_in_range(raw: str, low: int) -> int:
        k = _index_value(raw, t)
        if not low <= k <= xs.shape[0]:
            raise MalformedUnfolding(f"index {raw} = {k} is outside {low}..{xs.shape[0]}")
        return k

    def state() -> np.ndarray:
        kind, raw = take()
        if kind == "h":
            k = index_in_range(raw, 0)
            return start if k == 0 else states[k - 1]
        if kind != "F":
            raise MalformedUnfolding("F_θ's first argument must be a state h or an F_θ(...)")
        h = state()
        arguments = [h]
        while (kind := take()[0]) == "comma":
            arguments.append(argument())
        if kind != "close":
            raise MalformedUnfolding("a ')' is missing")
        if len(arguments) != 2:
            raise MalformedUnfolding(
                f"F_θ takes two arguments (h, x) but is given {len(arguments)} here"
            )
        x_index = arguments[1]
        if not isinstance(x_index, int):
            raise MalformedUnfolding("F_θ's second argument must be an input x")
        return forward(params, xs[x_index - 1 : x_index], h).h[0]

    def argument() -> np.ndarray | int:
        kind, raw = tokens[position] if position < len(tokens) else ("end", "")
        if kind == "x":
            take()
            return index_in_range(raw, 1)
        return state()

    value = state()
    if position != len(tokens):
        raise MalformedUnfolding("there is more after the outermost F_θ(...)")
    return value


def unfolding_error(
    expression: str,
    params: RNNParams,
    xs: np.ndarray,
    t: int,
    step: int,
    h0: np.ndarray | None = None,
) -> float:
    """Relative error ||e - h_step|| / ||h_step|| of an unfolded expression e vs the forward pass.

    e is computed by :func:`evaluate_unfolded` at the symbol value t; h_step is
    :func:`core.rnn.forward`'s state at step ``step`` (h0 for step 0). Shapes as in
    :func:`evaluate_unfolded`. Raises MalformedUnfolding for an expression that cannot be
    computed. Reference: the seed, question 2 (1).
    """
    value = evaluate_unfolded(expression, params, xs, t, h0)
    n = params.W_hh.shape[0]
    start = np.zeros(n) if h0 is None else np.asarray(h0, dtype=float)
    target = start if step == 0 else forward(params, xs[:step], start).h[step - 1]
    return relative_error(value, target)


@dataclass(frozen=True)
class SharingRun:
    """One set of weights on several sequences, and an unshared network on the same ones.

    params : RNNParams, the shared theta. sequences, states : tuples of ndarray of shapes
    (L_j, d) and (L_j, n). unshared : tuple of T RNNParams. unshared_states : tuple with,
    per sequence, the unshared network's states (L_j, n) or the reason it could not run.
    tied_error : float, max over sequences of the relative error between the shared RNN and
    the unshared network of T steps with every step tied to theta (on the first T steps).
    """

    params: RNNParams
    sequences: tuple[np.ndarray, ...]
    states: tuple[np.ndarray, ...]
    unshared: tuple[RNNParams, ...]
    unshared_states: tuple[np.ndarray | str, ...]
    tied_error: float

    @property
    def finals(self) -> np.ndarray:
        """The final states h_T of every sequence: ndarray of shape (m, n)."""
        return np.stack([h[-1] for h in self.states])

    def states_table(self) -> dict[str, np.ndarray]:
        """Every state as columns sequence (1-based), t, h_1..h_n: each of shape (sum_j L_j,)."""
        stacked = np.concatenate(self.states)
        columns = {
            "sequence": np.concatenate(
                [np.full(h.shape[0], j + 1) for j, h in enumerate(self.states)]
            ),
            "t": np.concatenate([np.arange(1, h.shape[0] + 1) for h in self.states]),
        }
        columns.update({f"h_{i + 1}": stacked[:, i] for i in range(stacked.shape[1])})
        return columns


def run_sequences(
    d: int, n: int, c: int, T: int, lengths: Sequence[int], *, sigma: float = 1.0, seed: int = 0
) -> SharingRun:
    """Run one RNN (core.rnn) on sequences of the given lengths, and an unshared one built for T.

    h_t = tanh(W_sh x_t + W_hh h_{t-1} + b_h) with the same theta for every sequence, inputs
    x_t ~ N(0, I_d); the unshared network (:func:`unshared_params`, T steps) runs on every
    sequence of length <= T and reports why it cannot on the longer ones.
    Shapes in :class:`SharingRun`. Reference: the seed, question 2 (2) ① and ②.
    """
    params = init_params(d, n, c, sigma=sigma, seed=seed)
    streams = np.random.SeedSequence([seed, 1]).spawn(len(lengths))
    sequences = tuple(random_sequence(L, d, c, seed=s)[0] for L, s in zip(lengths, streams))
    states = tuple(forward(params, xs).h for xs in sequences)
    unshared = unshared_params(d, n, c, T, sigma=sigma, seed=seed)
    outcomes = []
    for xs in sequences:
        try:
            outcomes.append(unshared_forward(unshared, xs))
        except SequenceTooLong as reason:
            outcomes.append(str(reason))
    tied = (params,) * T  # the unshared network of T steps with every step set to theta
    tied_error = max(
        relative_error(unshared_forward(tied, xs[:T]), h[:T]) for xs, h in zip(sequences, states)
    )
    return SharingRun(params, sequences, states, unshared, tuple(outcomes), tied_error)

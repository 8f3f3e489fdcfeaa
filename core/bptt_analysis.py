"""Everything the BPTT page shows for one setting, computed in one call (seed Q1).

One random RNN and sequence, its exact gradients by BPTT, the gradient flow with the bounds
of Pascanu, Mikolov & Bengio (2013), the size of the handwritten solution's slips 1 and 2
for this network, and a finite-difference check of every parameter's gradient.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import gradcheck, rnn
from core.blas import one_blas_thread

REGIMES = ("vanishing", "stable", "exploding")
# Per-step gain ||dh_T/dh_1||^(1/(T-1)) outside [LOW, HIGH] is called vanishing / exploding.
GAIN_LOW, GAIN_HIGH = 0.95, 1.05
CHECK_TOLERANCE = 1e-6
FORWARD_MODE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class BPTTAnalysis:
    """The BPTT page's data for one setting.

    xs : ndarray (T, d); ys : ndarray (T,); mask : ndarray (T,) of the steps carrying loss;
    result : rnn.BPTTResult; flow : rnn.GradientFlow;
    seed_recursion_error, seed_boundary_error : dict name -> relative error of the
        gradient computed with slip 1 (resp. slip 2) against the true one;
    seed_output_error : relative error of the seed's literal dL/dW_hz formula (step 3);
    check : dict name -> {"checked", "total", "indices", "eps", "relative_error"} (central
        differences) and "forward_mode_error" (forward mode on the same entries);
    gain : per-step gain ||dh_T/dh_1||^(1/(T-1)) (NaN when T = 1); regime : one of REGIMES;
    sigma_max, spectral_radius : of W_hh, its largest singular value and largest |eigenvalue|.
    """

    params: rnn.RNNParams
    xs: np.ndarray
    ys: np.ndarray
    mask: np.ndarray
    result: rnn.BPTTResult
    flow: rnn.GradientFlow
    seed_recursion_error: dict[str, float]
    seed_boundary_error: dict[str, float]
    seed_output_error: float
    check: dict[str, dict]
    gain: float
    regime: str
    sigma_max: float
    spectral_radius: float

    @property
    def check_passed(self) -> bool:
        """Every array within 1e-6 of central differences, or (where rounding defeats
        them: an exploding loss) within 1e-9 of forward mode."""
        return all(verdict(r) != "FAIL" for r in self.check.values())

    @property
    def adjoint_ratio(self) -> float:
        """||dL/dh_1|| / ||dL/dh_T||."""
        norms = np.linalg.norm(self.result.dL_dh, axis=1)
        return float(norms[0] / norms[-1]) if norms[-1] > 0 else float("inf")


def check_budget(T: int, d: int, n: int, c: int, flops: float = 2.5e6) -> int:
    """Entries checked per array: 5 to 40, fewer as one loss evaluation, about
    T (n^2 + n d + c n) multiply-adds, gets dearer; keeps the live check near 0.1 s."""
    return int(np.clip(flops / (T * (n * n + n * d + c * n)), 5, 40))


def verdict(report: dict) -> str:
    """"pass" (central differences within 1e-6), "pass (forward mode)" when only forward mode
    confirms the gradient within 1e-9 (the loss is too steep for float64 differences),
    else "FAIL"."""
    if report["relative_error"] <= CHECK_TOLERANCE:
        return "pass"
    if report["forward_mode_error"] <= FORWARD_MODE_TOLERANCE:
        return "pass (forward mode)"
    return "FAIL"


def per_step_gain(jacobian_norms: np.ndarray) -> float:
    """||dh_T/dh_1||^(1/(T-1)): the geometric mean growth of the adjoint per step back."""
    T = jacobian_norms.shape[0]
    if T < 2:
        return float("nan")
    with np.errstate(divide="ignore"):
        return float(np.exp(np.log(jacobian_norms[0]) / (T - 1)))


def classify(gain: float) -> str:
    """vanishing (gain < 0.95), exploding (gain > 1.05) or stable; stable for T = 1."""
    if gain < GAIN_LOW:
        return "vanishing"
    if gain > GAIN_HIGH:
        return "exploding"
    return "stable"


def seed_output_gradient(fwd: rnn.Forward, ys: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """dL/dW_hz as the seed writes it: sum_t m_t (-h_{t,j} / z_{t,y_t}) dz_{t,y_t}/du_{t,i}.

    With dz_{t,y}/du_{t,i} = -z_{t,y} z_{t,i} (i != y) and z_{t,y}(1 - z_{t,y}) (i = y).
    Returns ndarray of shape (c, n).
    """
    T = ys.shape[0]
    z_true = fwd.z[np.arange(T), ys]  # (T,)
    dz_du = -z_true[:, None] * fwd.z  # (T, c), the i != y_t case
    dz_du[np.arange(T), ys] = z_true * (1.0 - z_true)
    factor = mask[:, None] * dz_du / z_true[:, None]  # (T, c)
    return -(factor.T @ fwd.h)


def _errors(approximate: rnn.RNNParams, exact: rnn.RNNParams) -> dict[str, float]:
    return {
        name: gradcheck.relative_error(getattr(approximate, name), value)
        for name, value in exact.arrays().items()
    }


@one_blas_thread
def analyse(
    T: int,
    d: int,
    n: int,
    c: int,
    *,
    sigma: float = 1.0,
    init: str = "gaussian",
    input_scale: float = 1.0,
    seed: int = 0,
    last_step_only: bool = False,
    check_limit: int | None = None,
) -> BPTTAnalysis:
    """Build the network and sequence from the seed and compute everything the page shows.

    Parameters
    ----------
    T, d, n, c : sequence length, input, hidden and output sizes.
    sigma : largest singular value of W_hh; init : "gaussian", "orthogonal" or "diagonal".
    input_scale : standard deviation of the inputs x_t.
    last_step_only : loss L = L_T instead of the seed's L = sum_t L_t.
    check_limit : at most this many entries per parameter array are checked by central
        differences (a sample drawn with ``seed``); None picks :func:`check_budget`.
    """
    check_limit = check_budget(T, d, n, c) if check_limit is None else check_limit
    params = rnn.init_params(d, n, c, sigma=sigma, init=init, seed=seed)
    xs, ys = rnn.random_sequence(T, d, c, scale=input_scale, seed=seed + 1)
    mask = np.zeros(T) if last_step_only else np.ones(T)
    mask[-1] = 1.0
    result = rnn.bptt(params, xs, ys, mask=mask)
    flow = rnn.gradient_flow(params, xs, ys)
    seed_recursion = rnn.bptt_seed_variant(params, xs, ys, mask=mask)
    seed_boundary = rnn.bptt_seed_variant(params, xs, ys, mask=mask, seed_boundary=True)

    def loss_of(arrays: dict[str, np.ndarray]) -> float:
        return rnn.loss(rnn.RNNParams(**arrays), xs, ys, mask=mask)

    def losses_of(name: str, values: np.ndarray) -> np.ndarray:
        return rnn.losses(params, xs, ys, name, values, mask=mask)

    check = gradcheck.check_gradients(
        loss_of, params.arrays(), result.grads.arrays(), limit=check_limit, seed=seed,
        losses_of=losses_of,
    )
    for name, report in check.items():
        exact = rnn.forward_mode_gradient(params, xs, ys, name, report["indices"], mask=mask)
        analytic = getattr(result.grads, name).reshape(-1)[report["indices"]]
        report["forward_mode_error"] = gradcheck.relative_error(analytic, exact)
    gain = per_step_gain(flow.jacobian_norms)
    return BPTTAnalysis(
        params=params, xs=xs, ys=ys, mask=mask, result=result, flow=flow,
        seed_recursion_error=_errors(seed_recursion.grads, result.grads),
        seed_boundary_error=_errors(seed_boundary.grads, result.grads),
        seed_output_error=gradcheck.relative_error(
            seed_output_gradient(result.forward, ys, mask), result.grads.W_hz),
        check=check, gain=gain, regime=classify(gain) if T > 1 else "stable",
        sigma_max=float(np.linalg.norm(params.W_hh, 2)),
        spectral_radius=float(np.max(np.abs(np.linalg.eigvals(params.W_hh)))),
    )


@dataclass(frozen=True)
class PlugIn:
    """The terms of dL/dh_t = W_hz^T (m_t (z_t - e_{y_t})) + W_hh^T [(1 - h_{t+1}^2) * dL/dh_{t+1}].

    All ndarrays of shape (n,) except output_error (c,); next_* are None at t = T.
    """

    t: int
    output_error: np.ndarray
    local: np.ndarray
    next_tanh_prime: np.ndarray | None
    next_adjoint: np.ndarray | None
    recurrent: np.ndarray
    total: np.ndarray


def plug_in(analysis: BPTTAnalysis, t: int) -> PlugIn:
    """Recompute dL/dh_t (t 1-based) term by term from the forward values and dL/dh_{t+1}."""
    fwd, params = analysis.result.forward, analysis.params
    i = t - 1
    output_error = fwd.z[i].copy()
    output_error[analysis.ys[i]] -= 1.0
    output_error *= analysis.mask[i]
    local = params.W_hz.T @ output_error
    if t < analysis.xs.shape[0]:
        next_tanh_prime = 1.0 - fwd.h[i + 1] ** 2
        next_adjoint = analysis.result.dL_dh[i + 1]
        recurrent = params.W_hh.T @ (next_tanh_prime * next_adjoint)
    else:
        next_tanh_prime = next_adjoint = None
        recurrent = np.zeros_like(local)
    return PlugIn(t, output_error, local, next_tanh_prime, next_adjoint, recurrent,
                  local + recurrent)


@dataclass(frozen=True)
class EdgeNorms:
    """Norms along the unrolled graph's backward edges, each ndarray of shape (T,).

    adjoint[t-1] = ||dL/dh_t||; local[t-1] = ||W_hz^T dL/du_t|| (edge L_t -> h_t);
    recurrent[t-1] = ||W_hh^T dL/dv_{t+1}|| (edge h_{t+1} -> h_t, 0 at t = T);
    zeros : how many adjoint norms are exactly 0.
    """

    adjoint: np.ndarray
    local: np.ndarray
    recurrent: np.ndarray
    zeros: int


def adjoint_edge_norms(analysis: BPTTAnalysis) -> EdgeNorms:
    """The norms the unrolled figure draws; local + recurrent terms sum to dL/dh_t."""
    r, W_hh = analysis.result, analysis.params.W_hh
    adjoint = np.linalg.norm(r.dL_dh, axis=1)
    local = np.linalg.norm(r.dL_du @ analysis.params.W_hz, axis=1)
    recurrent = np.append(np.linalg.norm(r.dL_dv[1:] @ W_hh, axis=1), 0.0)
    return EdgeNorms(adjoint, local, recurrent, int(np.count_nonzero(adjoint == 0)))


def norms_table(analysis: BPTTAnalysis) -> dict[str, np.ndarray]:
    """Per-step columns for download: t, ||dL/dh_t||, ||dh_T/dh_t||, both bounds."""
    T = analysis.xs.shape[0]
    return {
        "t": np.arange(1, T + 1),
        "norm_dL_dh": np.linalg.norm(analysis.result.dL_dh, axis=1),
        "norm_dhT_dh": analysis.flow.jacobian_norms,
        "bound_pascanu": analysis.flow.bound,
        "bound_sigma_power": analysis.flow.loose_bound,
    }

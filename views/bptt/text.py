"""The BPTT page's words and LaTeX: the seed's Q1 derivation, step by step, with verdicts.

The seed's equations are transcribed here (the app never reads ../shared at run time).
"""

from __future__ import annotations

import numpy as np

from views.common.derivation import Step

STATEMENT = (
    "In a tanh RNN the gradient reaching h_k from a loss at step t is a product of t − k "
    "Jacobians diag(1 − h²) W_hh: it shrinks or grows geometrically with the size of W_hh."
)

MODEL = r"""
\begin{gathered}
v_t = W_{sh}x_t + W_{hh}h_{t-1} + b_h,\\
h_t = \tanh(v_t),\qquad u_t = W_{hz}h_t + b_z,\\
z_t = \operatorname{softmax}(u_t),\qquad L = \textstyle\sum_t -\log z_{t,y_t}
\end{gathered}
"""

RECURSION = r"""
\begin{aligned}
\frac{\partial L}{\partial h_t} &= W_{hz}^{\top}(z_t - e_{y_t})\\
 &\quad + W_{hh}^{\top}\Big[(1 - h_{t+1}^{2}) \odot \frac{\partial L}{\partial h_{t+1}}\Big],\\
\frac{\partial L}{\partial h_{T+1}} &= 0
\end{aligned}
"""

BOUND = r"""
\begin{aligned}
\Big\|\frac{\partial h_T}{\partial h_k}\Big\|
 &= \Big\|\prod_{j=k+1}^{T} \operatorname{diag}(1 - h_j^{2})\,W_{hh}\Big\|\\
 &\le \prod_{j=k+1}^{T} \sigma_{\max}(W_{hh}) \max_i (1 - h_{j,i}^{2})\\
 &\le \sigma_{\max}(W_{hh})^{T-k}
\end{aligned}
"""


STEPS = (
    Step(
        "1. Loss gradient with respect to the outputs",
        r"\frac{\partial L}{\partial z_{t,i}} = \begin{cases}-\frac{1}{z_{t,i}} & i = y_t\\"
        r" 0 & i \ne y_t\end{cases}",
        True,
        r"Correct: only the probability of the true class enters $L_t$.",
    ),
    Step(
        "2. Softmax Jacobian",
        r"\frac{\partial z_{t,y_t}}{\partial u_{t,i}} = \begin{cases}"
        r"-z_{t,y_t} z_{t,i} & i \ne y_t\\ z_{t,y_t}(1 - z_{t,y_t}) & i = y_t\end{cases}",
        True,
        r"Correct. Multiplied by $-1/z_{t,y_t}$ it gives $\partial L/\partial u_t = z_t - e_{y_t}$.",
    ),
    Step(
        "3. Gradient of the output weights",
        r"\frac{\partial L}{\partial W_{hz,ij}} = \sum_t -\frac{h_{t,j}}{z_{t,y_t}}"
        r"\frac{\partial z_{t,y_t}}{\partial u_{t,i}}",
        True,
        r"Correct: it equals $\sum_t (z_{t,i} - [i = y_t])\, h_{t,j}$, i.e. "
        r"$\partial L/\partial W_{hz} = \sum_t (z_t - e_{y_t}) h_t^\top$.",
        evidence="W_hz",
    ),
    Step(
        "4. Jacobian of one step",
        r"\frac{\partial h_{t+1,i}}{\partial h_{t,k}} = \sum_l "
        r"\frac{\partial h_{t+1,i}}{\partial v_{t,l}}\frac{\partial v_{t,l}}{\partial h_{t,k}}"
        r" = \frac{\partial h_{t+1,i}}{\partial v_{t,i}} W_{hh,ik}",
        False,
        r"Index slip (slip 3): $h_{t+1}$ depends on $v_{t+1}$, not $v_t$. The result "
        r"$(1 - h_{t+1,i}^2)\, W_{hh,ik}$ is right once $v_t$ is read as $v_{t+1}$.",
        r"\frac{\partial h_{t+1,i}}{\partial h_{t,k}} = (1 - h_{t+1,i}^2)\,W_{hh,ik}",
    ),
    Step(
        "5. Pre-activation with respect to W_hh",
        r"\frac{\partial v_{t,l}}{\partial W_{hh,ij}} = \frac{\partial\,[(W_{sh}x_t)_i + "
        r"(W_{hh}h_{t-1})_i + b_{h,l}]}{\partial W_{hh,ij}}",
        False,
        r"Index slip (slip 3): the numerator mixes the row indices $i$ and $l$; it should "
        r"be row $l$ throughout. The result $h_{t-1,j}$ for $i = l$ (0 otherwise) is right.",
        r"\frac{\partial v_{t,l}}{\partial W_{hh,ij}} = [l = i]\, h_{t-1,j}",
    ),
    Step(
        "6. The backward recursion for ∂L/∂h_t",
        r"\frac{\partial L}{\partial h_{t,k}} = \frac{\partial L}{\partial h_{t+1,k}}"
        r"(1 - h_{t+1,k}^2) W_{hh,kk} + \sum_l -\frac{1}{z_{t,y_t}}"
        r"\frac{\partial z_{t,y_t}}{\partial u_{t,l}} W_{hz,lk}",
        False,
        r"Slip 1: the sum over $i$ of $\frac{\partial L}{\partial h_{t+1,i}}"
        r"\frac{\partial h_{t+1,i}}{\partial h_{t,k}}$ is dropped; only $i = k$ is kept. "
        r"Exact only when $W_{hh}$ is diagonal (try the preset).",
        r"\frac{\partial L}{\partial h_{t,k}} = \sum_i \frac{\partial L}{\partial h_{t+1,i}}"
        r"(1 - h_{t+1,i}^2) W_{hh,ik} + \big[W_{hz}^{\top}(z_t - e_{y_t})\big]_k",
        evidence="recursion",
    ),
    Step(
        "7. Gradient of the recurrent weights",
        r"\frac{\partial L}{\partial W_{hh,ij}} = \sum_t \frac{\partial L}{\partial h_{t,i}}"
        r"(1 - h_{t,i}^2)\, h_{t-1,j}",
        True,
        r"Correct, provided $\partial L/\partial h_t$ is the total derivative (step 6 corrected).",
        evidence="W_hh",
    ),
    Step(
        "8. Where the recursion starts",
        r"\frac{\partial L}{\partial h_T} = 0",
        False,
        r"Slip 2: $L_T$ depends on $h_T$, so $\partial L/\partial h_T = "
        r"W_{hz}^\top(z_T - e_{y_T}) \ne 0$. What vanishes is the future term: "
        r"$\partial L/\partial h_{T+1} = 0$.",
        r"\frac{\partial L}{\partial h_{T+1}} = 0 \;\Rightarrow\; "
        r"\frac{\partial L}{\partial h_T} = W_{hz}^{\top}(z_T - e_{y_T})",
        evidence="boundary",
    ),
)

TEX = {"W_sh": "$W_{sh}$", "W_hh": "$W_{hh}$", "b_h": "$b_h$", "W_hz": "$W_{hz}$",
       "b_z": "$b_z$"}

SHAPES_NOTE = (
    r"The seed assumes $h_t \in \mathbb{R}^d$ ($n = d$, $W_{sh}$ and $W_{hh}$ both "
    r"$d \times d$); here $d$ and $n$ are independent and $W_{sh}$ is $n \times d$."
)


def vector_latex(values: np.ndarray, digits: int = 3) -> str:
    """A column vector as a LaTeX bmatrix, entries rounded to ``digits`` decimals."""
    rows = r" \\ ".join(f"{v:.{digits}f}" for v in values)
    return r"\begin{bmatrix}" + rows + r"\end{bmatrix}"


def plug_in_latex(t: int, T: int, output_error, local, tanh_prime, adjoint, recurrent,
                  total) -> str:
    """dL/dh_t written out with this network's numbers (vectors of length n <= 8)."""
    head = rf"\frac{{\partial L}}{{\partial h_{{{t}}}}} &= W_{{hz}}^{{\top}}"
    head += vector_latex(output_error)
    if t < T:
        head += (
            rf" + W_{{hh}}^{{\top}}\Big[{vector_latex(tanh_prime)} \odot "
            rf"{vector_latex(adjoint)}\Big] \\ &= {vector_latex(local)} + "
            rf"{vector_latex(recurrent)}"
        )
    return r"\begin{aligned}" + head + rf" = {vector_latex(total)}\end{{aligned}}"


def flow_summary(T: int, adjoint_norms: np.ndarray, regime: str, gain: float) -> str:
    """One line under the unrolled figure with its key numbers."""
    first, last = adjoint_norms[0], adjoint_norms[-1]
    gain_text = "" if T < 2 else f", per-step gain {gain:.3g} ({regime})"
    return (f"‖∂L/∂h_T‖ = {last:.3g} at t = {T}, ‖∂L/∂h₁‖ = {first:.3g} at t = 1{gain_text}. "
            "Press Play to watch the adjoint travel back; node colour and edge width are "
            "log-scaled norms.")


def profile_summary(jacobian_norms: np.ndarray, bound: np.ndarray, loose: np.ndarray) -> str:
    """One line under the norm profile: the Jacobian against its two bounds at k = 1."""
    return (f"At k = 1: ‖∂h_T/∂h₁‖ = {jacobian_norms[0]:.3g} ≤ Pascanu bound {bound[0]:.3g} "
            f"≤ σ_max^(T−1) = {loose[0]:.3g}.")


def evidence_lines(recursion: dict[str, float], boundary: dict[str, float],
                   output_error: float, check: dict[str, dict], diagonal: bool) -> dict:
    """Live numerical evidence for the derivation's steps, keyed by Step.evidence."""
    worst = max(recursion, key=recursion.get)
    exact = r" ($W_{hh}$ is diagonal here, so the slip costs nothing)" if diagonal else ""
    return {
        "W_hz": f"Measured: the seed's formula, evaluated literally, differs from BPTT's "
                rf"$\partial L/\partial W_{{hz}}$ by a relative error of {output_error:.1e}.",
        "recursion": f"Measured for this network: with the seed's recursion the gradient of "
                     f"{TEX[worst]} is off by a relative error of **{recursion[worst]:.3g}**"
                     f"{exact}; $W_{{hh}}$: {recursion['W_hh']:.3g}, "
                     f"$W_{{sh}}$: {recursion['W_sh']:.3g}.",
        "W_hh": r"Measured: relative error of $\partial L/\partial W_{hh}$ against central "
                f"differences {check['W_hh']['relative_error']:.1e}.",
        "boundary": r"Measured: starting from $\partial L/\partial h_T = 0$ instead puts the "
                    f"gradient of $W_{{hh}}$ off by **{boundary['W_hh']:.3g}** (relative "
                    f"error), $W_{{sh}}$ by {boundary['W_sh']:.3g}.",
    }


def check_rows(check: dict[str, dict], verdicts: dict[str, str]) -> list[dict]:
    """The gradient check as table rows, one per parameter array."""
    return [
        {"parameter": name, "entries checked": f"{r['checked']} of {r['total']}",
         "step ε": f"{r['eps']:.1e}",
         "error vs central differences": f"{r['relative_error']:.2e}",
         "error vs forward mode": f"{r['forward_mode_error']:.2e}",
         "result": verdicts[name]}
        for name, r in check.items()
    ]


def check_summary(check: dict[str, dict], verdicts: dict[str, str], tolerance: float) -> str:
    """One paragraph: what was checked, the worst relative error, and the verdict."""
    checked = sum(r["checked"] for r in check.values())
    total = sum(r["total"] for r in check.values())
    worst = max(r["relative_error"] for r in check.values())
    worst_forward = max(r["forward_mode_error"] for r in check.values())
    sample = ("every entry" if checked == total
              else f"a seeded random sample of {checked} of the {total} entries")
    line = (f"Central differences (five-point stencil, float64) on {sample}: worst relative "
            f"error **{worst:.1e}** against the tolerance {tolerance:.0e}. Forward mode "
            f"(tangents pushed forward in time, an implementation independent of BPTT) on "
            f"the same entries: worst relative error **{worst_forward:.1e}**.")
    if "FAIL" in verdicts.values():
        return line + " **Some gradients FAIL.**"
    if any(v != "pass" for v in verdicts.values()):
        return line + (" The loss is so steep here (exploding gradients) that float64 "
                       "differences lose their digits to rounding; forward mode confirms "
                       "those gradients instead.")
    return line + " All pass."

"""The autoencoder page's words and LaTeX: the seed's Q4 argument, step by step, with verdicts.

The seed's equations are transcribed here (the app never reads ../shared at run time).
"""

from __future__ import annotations

import numpy as np

from core.autoencoder_analysis import (
    ANGLE_TOLERANCE, GRADIENT_TOLERANCE, J_TOLERANCE, RECONSTRUCTION_TOLERANCE,
    AutoencoderAnalysis, alignment,
)
from core.datasets import MAX_MEGABYTES, MAX_ROWS
from views.common.derivation import Step

STATEMENT = (
    "A linear autoencoder trained by gradient descent on squared error learns the "
    "k-dimensional PCA subspace: the subspace, not the principal components themselves."
)

# The uploader refuses a file over its size limit (or of another type) in the browser, before
# sending it, and writes the reason ("File must be 2.0MB or smaller.") in a visually hidden
# line of the refused file's chip, shown only on hover. This static style (nothing from the
# user reaches it) shows that line under the file's name, followed by what to do.
UPLOAD_ADVICE = (f"Upload a .csv file of at most {MAX_MEGABYTES} MB instead: a random sample "
                 f"of at most {MAX_ROWS:,} rows.")
UPLOAD_REFUSAL_CSS = f"""<style>
[data-testid="stFileChip"][aria-invalid="true"] {{ flex-wrap: wrap; }}
[data-testid="stFileChip"][aria-invalid="true"] > [role="alert"] {{
  position: static; clip: auto; width: auto; height: auto; overflow: visible;
  white-space: normal; flex-basis: 100%; margin: 0.25rem 0 0; font-size: 0.875rem; }}
[data-testid="stFileChip"][aria-invalid="true"] > [role="alert"]::after {{
  content: " {UPLOAD_ADVICE}"; }}
</style>"""

MODEL = r"""
\begin{aligned}
\tilde x &= W_{dec}\,(W_{enc}\,x + b_{enc}) + b_{dec},\\
J &= \frac1N\sum_{n=1}^{N}\lVert \tilde x_n - x_n\rVert^2,\\
S &= \frac1N\sum_{n=1}^{N}(x_n-\bar x)(x_n-\bar x)^{\top}\\
 &= \sum_i \lambda_i u_i u_i^{\top},\qquad J^{*} = \sum_{i>k}\lambda_i
\end{aligned}
"""

TRAINING = r"""
\begin{aligned}
J(W_{enc}, W_{dec}) &= \operatorname{tr}\big[(A - I)\,S\,(A-I)^{\top}\big],\\
A &= W_{dec}W_{enc},\\
\frac{\partial J}{\partial W_{enc}} &= 2\,W_{dec}^{\top}(A-I)\,S,\\
\frac{\partial J}{\partial W_{dec}} &= 2\,(A-I)\,S\,W_{enc}^{\top}
\end{aligned}
"""

TRAINING_NOTE = (
    "Full-batch gradient descent in NumPy. The biases are set to their optimum for the "
    r"current weights (the seed's $b_j = \bar x^\top u_j$, step 6 below), which leaves $J$ "
    "a function of the weights through $S$: the same gradient as the sum over the $N$ "
    "samples (checked against finite differences in *Check it*), at a cost independent of "
    r"$N$. **Automatic step**: $\eta = 1/L$ with $L = 2\lambda_1(\lVert W_{enc}\rVert^2 + "
    r"\lVert W_{dec}\rVert^2 + \lVert W_{enc}\rVert\lVert W_{dec}\rVert + 1)$, a bound on "
    "the curvature at the current weights, halved whenever a step would raise the objective "
    "(the loss plus any weight decay). "
    r"**Fixed step**: $\eta = m\,\eta_0$ with $\eta_0 = 1/(4\lambda_1)$. At the solution the "
    r"curvature is $4\lambda_1$, so a fixed step is stable there only for $m < 2$: try 2.5 "
    "(the loss stalls) and 4 (it blows up)."
)

SADDLE_NOTE = (
    "**Saddles.** Baldi & Hornik (1989): every critical point of $J$ other than the top-$k$ "
    r"subspace is a saddle. Weights on any other $k$ eigenvectors $\{u_i,\ i \in I\}$ are a "
    r"critical point with $J = \operatorname{tr} S - \sum_{i\in I}\lambda_i$. The start "
    r"*saddle* puts $W_{dec} = [u_2 \cdots u_{k+1}] = W_{enc}^\top$ plus a perturbation of the "
    "chosen initial scale: the loss sits on that plateau (dashed) until the perturbation "
    "along $u_1$ has grown, then falls to $J^*$. The smaller the perturbation, the longer "
    "the plateau."
)

ROTATION_NOTE = (
    r"If $W_{dec} = U_k C$ and $W_{enc} = C^{-1}U_k^\top$ for any invertible $k\times k$ "
    r"matrix $C$, then $W_{dec}W_{enc} = U_kU_k^\top$: every such pair reconstructs exactly "
    "as PCA does. The loss cannot tell them apart, so gradient descent stops at whichever "
    r"$C$ its start leads to. **Left**: the decoder columns against $u_1,\dots,u_k$: not the "
    "identity. **Middle**: an SVD of the data projected onto the learned subspace, "
    r"$(x_n - \bar x)^\top Q$ with $Q$ an orthonormal basis of $\operatorname{span}(W_{dec})$ "
    r"(Plaut 2018), recovers $u_1,\dots,u_k$: the subspace was right all along. "
    "**Right**: with weight decay that differs from unit to unit, "
    r"$\lambda_j = 0.5\,\lambda^S_k\, j/k$ (Bao et al. 2020), the symmetry is broken and the "
    r"columns themselves turn into $u_1,\dots,u_k$, *eventually*: slowly where eigenvalues "
    "are close."
)


STEPS = (
    Step(
        "1. The model",
        r"\tilde x = U_2 U_1 x,\qquad U_2\in\mathbb R^{d\times k},\ U_1\in\mathbb R^{k\times d}",
        False,
        "Slip: no biases, yet the argument below adds offsets $b_i$ (step 4). Without biases "
        "the best subspace is spanned by the top-$k$ eigenvectors of the *uncentred* moment "
        r"$\frac1N\sum_n x_nx_n^\top$, which is PCA's only when $\bar x = 0$. With "
        "$U_1 = W_{enc}$, $U_2 = W_{dec}$:",
        r"\tilde x = W_{dec}\,(W_{enc}\,x + b_{enc}) + b_{dec}",
        "uncentred",
    ),
    Step(
        "2. The cost",
        r"J = \frac1N\sum_{n=1}^{N}\lVert\tilde x_n - x_n\rVert^2",
        True,
        "Correct: the mean squared reconstruction error (summed over the $D$ coordinates; "
        "the seed's $d$ is $D$ here).",
    ),
    Step(
        "3. An orthonormal basis",
        r"x_n = \sum_{i=1}^{d}\alpha_{ni}u_i,\qquad \alpha_{ni} = x_n^{\top}u_i",
        True,
        r"Correct for any complete orthonormal basis $\{u_i\}$.",
    ),
    Step(
        "4. The reconstruction in that basis",
        r"\tilde x_n = \sum_{i=1}^{k} z_{ni}u_i + \sum_{i=k+1}^{d} b_i u_i",
        True,
        r"Correct as a statement about the subspace: $\tilde x_n - b_{dec}$ lies in "
        r"$\operatorname{span}(W_{dec})$, so the basis can be chosen with "
        r"$\operatorname{span}(u_1,\dots,u_k) = \operatorname{span}(W_{dec})$. The "
        r"coordinates are then $z_n = C\,(W_{enc}x_n + b_{enc})$ with $W_{dec} = U_kC$ for "
        r"some invertible $k\times k$ matrix $C$: each hidden unit is a mixture of the $z$'s "
        "(step 11).",
    ),
    Step(
        "5. The best codes",
        r"\frac{\partial J}{\partial z_{nj}} = \frac2N(x_n-\tilde x_n)^{\top}u_j"
        r" = \frac2N(x_n^{\top}u_j - z_{nj}) = 0 \;\Rightarrow\; z_{nj} = x_n^{\top}u_j",
        True,
        "Correct conclusion, with the sign flipped; harmless, since the derivative is set "
        "to 0:",
        r"\frac{\partial J}{\partial z_{nj}} = \frac2N(\tilde x_n - x_n)^{\top}u_j",
        "kept",
    ),
    Step(
        "6. The best offsets",
        r"\frac{\partial J}{\partial b_j} = \frac2N\sum_{n}(x_n-\tilde x_n)^{\top}u_j"
        r" = \frac2N\sum_{n}(x_n^{\top}u_j - b_j) = 0"
        r"\;\Rightarrow\; b_n = \bar x u_j",
        False,
        "Slip 8: the index and the transpose (and the sign, as in step 5). The offset along "
        r"direction $j$ is the scalar $b_j = \bar x^\top u_j$, the mean's coordinate; "
        r"$\bar x u_j$ multiplies two column vectors.",
        r"b_j = \bar x^{\top}u_j,\qquad j = k+1,\dots,d",
        "discarded",
    ),
    Step(
        "7. The residual",
        r"x_n-\tilde x_n = \sum_{i=k+1}^{d}\big[(x_n-\bar x)^{\top}u_i\big]u_i",
        True,
        "Correct: only the discarded directions remain, measured from the mean.",
    ),
    Step(
        "8. The cost in terms of S",
        r"J = \frac1N\sum_{n=1}^{N}\sum_{i=k+1}^{d}(x_n^{\top}u_i-\bar x^{\top}u_i)^2"
        r" = \sum_{i=k+1}^{d}u_i^{\top}Su_i",
        True,
        "Correct, with $S$ divided by $N$ as $J$ is. scikit-learn's `explained_variance_` "
        "divides by $N - 1$: summing those would overstate $J^*$ by the factor $N/(N-1)$.",
        "",
        "sums",
    ),
    Step(
        "9. The covariance",
        r"S = \frac1N\sum_{n=1}^{N}(x_n^{\top}-\bar x^{\top})(x_n^{\top}-\bar x^{\top})^{\top}",
        False,
        "Slip 8: the transposes are swapped. A row vector times its transpose is a number, "
        r"$\frac1N\sum_n\lVert x_n - \bar x\rVert^2 = \operatorname{tr} S$, not the "
        r"$d\times d$ covariance:",
        r"S = \frac1N\sum_{n=1}^{N}(x_n-\bar x)(x_n-\bar x)^{\top}",
        "covariance",
    ),
    Step(
        "10. The minimum",
        r"\{u_i\}_{i=k+1}^{d}\ \text{eigenvectors of the } d-k \text{ smallest eigenvalues of } S",
        True,
        r"Correct: minimizing $\sum_{i>k}u_i^\top Su_i$ over orthonormal $u$'s (Lagrange "
        r"multipliers give $Su_i = \lambda_iu_i$) leaves the $k$ largest eigenvalues:",
        r"J^{*} = \sum_{i>k}\lambda_i",
        "minimum",
    ),
    Step(
        "11. The conclusion",
        r"\text{the encoder is the } k\text{-dimensional PCA projection of } x_n",
        False,
        r"Slip 8: only the subspace is determined. Any $W_{dec} = U_kC$, $W_{enc} = "
        r"C^{-1}U_k^\top$ ($C$ invertible) gives the same $J$: the hidden units are the PCA "
        "coordinates mixed by $C$, not the principal components. And the argument finds the "
        "best reconstruction; that gradient descent reaches it is Baldi & Hornik's result "
        "(no local minima, only saddles). What is determined:",
        r"\operatorname{span}(W_{dec}) = \operatorname{span}(u_1,\dots,u_k),\qquad"
        r" W_{dec}W_{enc} = U_kU_k^{\top},\qquad W_{dec} = U_k C",
        "rotation",
    ),
)


def _angle(value: float) -> str:
    return f"{value:.2g}°" if value < 0.01 else f"{value:.3g}°"


def _matrix(M: np.ndarray) -> str:
    rows = r" \\ ".join(" & ".join(f"{v:.3f}" for v in row) for row in M)
    return r"\begin{pmatrix}" + rows + r"\end{pmatrix}"


def evidence_lines(a: AutoencoderAnalysis) -> dict[str, str]:
    """Markdown (with inline LaTeX) for each evidence key of STEPS, measured on this run."""
    e, r, k = a.evidence, a.rotation, a.k
    C = r.mixing
    shrunk = bool(np.any(a.fit.unit_penalties > 0))
    scale = r"s_j\," if shrunk else ""
    off_diagonal = np.max(np.abs(C - np.diag(np.diag(C)))) if k > 1 else 0.0
    shown_C = f" $C = {_matrix(C)}$;" if k <= 3 else ""
    return {
        "uncentred": (
            f"Here: the best subspace without biases is {_angle(e.uncentred_angle)} away "
            f"from PCA's, and its best $J$ is {e.uncentred_J:.5g} against "
            f"$J^* =$ {e.J_star:.5g}."
        ),
        "kept": (
            rf"Here: $\max_{{n,\,j\le k}} |u_j^\top(\tilde x_n - \bar x) - {scale}"
            rf"u_j^\top(x_n - \bar x)| =$ {e.kept_error:.2e} $\sqrt{{\lambda_1}}$"
            + (r" ($s_j = 1 - \lambda_j/\lambda^S_j$: weight decay shrinks the codes)."
               if shrunk else ".")
        ),
        "discarded": (
            rf"Here: $\max_{{n,\,j>k}} |u_j^\top\tilde x_n - \bar x^\top u_j| =$ "
            rf"{e.discarded_error:.2e} $\sqrt{{\lambda_1}}$: along every discarded direction "
            "the reconstruction sits at the mean."
        ),
        "sums": (
            f"Here: $J$ measured over the $N$ samples = {e.J:.6g}; $\\sum_{{i>k}}\\lambda_i$ "
            f"with $S/N$ = {e.J_star:.6g}; with scikit-learn's $N-1$: {e.J_star_sklearn:.6g}."
        ),
        "covariance": (
            f"Here: the seed's formula gives the number {e.seed_S:.6g} "
            f"($= \\operatorname{{tr}} S$ = {e.trace_S:.6g}); $S$ is a {e.D}×{e.D} matrix."
        ),
        "minimum": (
            rf"Here: $\max_{{i\le k}}\lVert Su_i - \lambda_iu_i\rVert/\lambda_1 =$ "
            f"{e.eigen_residual:.1e} for scikit-learn's $u_1,\\dots,u_{{{k}}}$; "
            f"$J/J^* =$ {e.J / e.J_star:.6f} after training."
            if e.J_star > 0 else "Here: $J^* = 0$ ($k$ equals the rank of the data)."
        ),
        "rotation": (
            f"Here: $W_{{dec}} = U_kC$ + a part of relative size {r.outside:.1e};{shown_C} "
            f"$C$ has condition number {np.linalg.cond(C):.3g} and off-diagonal entries up "
            f"to {off_diagonal:.3f}; the mean $|\\cos(u_j, w_j)|$ over the decoder columns "
            f"$w_j$ is {alignment(r.raw):.3f} (1 would mean they are the components)."
        ),
    }


def settings_line(a: AutoencoderAnalysis, N: int, D: int) -> str:
    if a.step is None:
        step = f"automatic step (halved {a.fit.halvings} time(s))"
    else:
        step = f"fixed step η = {a.step:.3g}"
    return (f"N = {N} samples of D = {D} features, k = {a.k} hidden units, "
            f"{a.fit.loss.shape[0] - 1} iterations, {step}.")


def main_summary(a: AutoencoderAnalysis) -> str:
    h = a.fit.history
    reached = h.iteration[h.max_angle < ANGLE_TOLERANCE]
    when = (f"below {ANGLE_TOLERANCE:g}° from snapshot t = {reached[0]}" if reached.size
            else f"not yet below {ANGLE_TOLERANCE:g}°")
    text = (
        f"Iteration 0 → {h.iteration[-1]}: the largest principal angle goes from "
        f"{_angle(h.max_angle[0])} to {_angle(h.max_angle[-1])} ({when}); J from "
        f"{h.J[0]:.5g} to {h.J[-1]:.5g}, J* = {a.reference.J_star:.5g}."
    )
    if np.any(a.fit.unit_penalties > 0):
        text += (" Weight decay shrinks x̃ towards the mean along each uⱼ by the factor "
                 "1 − λⱼ/λⱼ(S): the subspace is PCA's, the points sit inside PCA's.")
    return text


def curves_summary(a: AutoencoderAnalysis) -> str:
    J_star = a.reference.J_star
    text = (f"J − J* falls from {a.fit.loss[0] - J_star:.3g} to {a.fit.loss[-1] - J_star:.2e}"
            f" in {a.fit.loss.shape[0] - 1} iterations; the largest angle ends at "
            f"{_angle(a.fit.final_max_angle)}.")
    if a.plateau is not None:
        text += f" Saddle plateau: J = {a.plateau:.5g}."
    if a.fit.halvings:
        text += f" The automatic step was halved {a.fit.halvings} time(s)."
    if a.step is not None and a.fit.diverged_at is None and not a.check.passed["J"]:
        text += (" This fixed step is beyond the edge of stability at the solution (4λ₁ "
                 "curvature): J bounces between values above J* while the subspace, a flatter "
                 "direction, still converges.")
    return text


def spectrum_summary(eigenvalues: np.ndarray, k: int) -> str:
    kept = eigenvalues[:k].sum()
    total = eigenvalues.sum()
    gap = eigenvalues[k - 1] / eigenvalues[k] if eigenvalues[k] > 0 else float("inf")
    return (f"The top {k} of {eigenvalues.shape[0]} eigenvalues hold {kept / total:.1%} of "
            f"the variance; J* = Σ of the rest = {total - kept:.5g}; eigengap "
            f"$\\lambda_{{{k}}}/\\lambda_{{{k + 1}}}$ = {gap:.3g} (the closer to 1, the slower "
            "the subspace converges).")


def rotation_summary(a: AutoencoderAnalysis) -> str:
    r = a.rotation
    companion = a.companion
    return (
        f"Mean diagonal |cos|: decoder columns {alignment(r.raw):.3f}, SVD of the projected "
        f"data {alignment(r.projected_svd):.6f}, non-uniform weight decay "
        f"{alignment(r.non_uniform):.3f} after {companion.loss.shape[0] - 1} iterations. "
        f"The left singular vectors of $W_{{dec}}$ alone give {alignment(r.decoder_svd):.3f}: "
        f"its singular values ({', '.join(f'{s:.3g}' for s in r.decoder_singular_values[:6])}"
        f"{'…' if r.decoder_singular_values.size > 6 else ''}) are close to equal without "
        "weight decay, so its singular vectors are arbitrary; with uniform weight decay they "
        "are $\\sqrt{1 - \\lambda/\\lambda^S_j}$, distinct, and the SVD of $W_{dec}$ alone "
        "works (Kunin et al. 2019)."
    )


def check_rows(a: AutoencoderAnalysis) -> list[dict]:
    c = a.check
    passed = c.passed
    target = "J*" if not np.any(a.fit.unit_penalties > 0) else "regularized optimum"
    rows = [
        ("largest principal angle to scikit-learn's PCA subspace", _angle(c.max_angle),
         f"< {ANGLE_TOLERANCE:g}°", "scipy.linalg.subspace_angles", passed["angle"]),
        (f"J over the N samples / {target}", f"{c.J_ratio:.7f}", f"≤ {J_TOLERANCE}",
         "sklearn eigenvalues ×(N−1)/N", passed["J"]),
        ("∂J/∂W through S vs central differences", f"{c.gradient_error:.1e}",
         f"≤ {GRADIENT_TOLERANCE:g}", f"core.gradcheck, {c.gradient_entries} entries",
         passed["gradient"]),
        ("eigenvalues: scikit-learn vs numpy.linalg.eigvalsh(S)", f"{c.eigenvalue_error:.1e}",
         f"≤ {GRADIENT_TOLERANCE:g}", "relative error", passed["eigenvalues"]),
        ("reconstructions vs scikit-learn's (RMS / √tr S)", f"{c.reconstruction_error:.1e}",
         f"≤ {RECONSTRUCTION_TOLERANCE:g}", "inverse_transform(transform(X))",
         passed["reconstruction"]),
    ]
    return [dict(check=name, measured=value, tolerance=tol, oracle=oracle,
                 result="✔ pass" if ok else "✘ not yet")
            for name, value, tol, oracle, ok in rows]


def reference_line(a: AutoencoderAnalysis) -> str:
    ref = a.reference
    top = ", ".join(f"{v:.4g}" for v in ref.eigenvalues[: min(a.k, 6)])
    more = "…" if a.k > 6 else ""
    return (f"The PCA reference (scikit-learn, `svd_solver=\"full\"`): {a.k} components of "
            f"dimension {ref.mean.shape[0]}; eigenvalues of S, `explained_variance_` × "
            f"(N − 1)/N: {top}{more}; J* = {ref.J_star:.6g} = "
            f"{ref.J_star / ref.total_variance:.2%} of tr S = {ref.total_variance:.6g}.")


def check_summary(a: AutoencoderAnalysis) -> str:
    if all(a.check.passed.values()):
        return ("**All checks pass**: the autoencoder trained by gradient descent has found "
                "scikit-learn's PCA subspace and its optimal loss.")
    if a.fit.diverged_at is not None:
        return (f"**Training diverged** at iteration {a.fit.diverged_at}: the fixed step is "
                "too large for these weights. Choose the automatic step or a smaller multiple.")
    return ("**Not all checks pass yet**: raise the iterations, or use the automatic step; "
            "the checks that fail say by how much.")

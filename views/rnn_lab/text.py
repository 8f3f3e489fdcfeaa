"""The RNN lab's words and LaTeX: why the RNN fails at long D, what the LSTM changes,
truncation, clipping, and the derivation with its live evidence."""

from __future__ import annotations

from views.bptt import text as bptt_text
from views.common.derivation import Step

STATEMENT = (
    "The seed's RNN learns a dependency D steps long only while D is short: the gradient "
    "that would teach it to remember shrinks geometrically with D. Truncation cuts that "
    "gradient off, clipping tames its explosions, and the LSTM's additive memory keeps it."
)

MODEL = r"""
\begin{aligned}
&\text{RNN:}\\
&h_t = \tanh(W_{sh}x_t + W_{hh}h_{t-1} + b_h)\\
&\text{LSTM:}\\
&[\,i_t;\ f_t;\ g_t;\ o_t\,] = [\,\sigma;\ \sigma;\ \tanh;\ \sigma\,]\\
&\qquad \big(W_x x_t + W_h h_{t-1} + b\big),\\
&c_t = f_t \odot c_{t-1} + i_t \odot g_t,\\
&h_t = o_t \odot \tanh(c_t)\\
&\text{both:}\\
&z_T = \operatorname{softmax}(W_{hz}h_T + b_z),\\
&L = -\log z_{T,y_T},\quad T = D + 1,\\
&J = \text{mean of } L \text{ over a batch}
\end{aligned}
"""

TASKS = {
    "recall": "**Recall.** Each step shows one of K = 4 tokens (one-hot) and a marker bit; "
              "step 1 is marked. At step T = D + 1 the network must name the marked token: "
              "the only useful input is D steps back. Chance is 1/4.",
    "adding": "**Adding problem** (Hochreiter & Schmidhuber 1997). Each step shows a number "
              "in {0, ⅓, ⅔, 1} and a marker bit; step 1 and one later step are marked. At "
              "step T = D + 1 the network must give the sum of the two marked numbers (7 "
              "classes). The best constant guess is right 1/4 of the time.",
}

GATING = r"""
\begin{gathered}
\frac{\partial c_T}{\partial c_1}\Big|_{\text{cell path}} = \prod_{t=2}^{T}\operatorname{diag}(f_t)\\
\text{against}\\
\frac{\partial h_T}{\partial h_1} = \prod_{t=2}^{T}\operatorname{diag}(1 - h_t^{2})\,W_{hh}
\end{gathered}
"""

TRUNCATION = (
    "### Truncated BPTT\n\n"
    "Truncated BPTT with window k backpropagates each loss through its last k steps only, "
    "from the state k steps back held fixed (Williams & Peng 1990): cheaper, and blind to "
    "any dependency longer than k. The curve is the relative error of that gradient "
    "against the full one for the trained networks above, on 16 held-out sequences. The "
    "window control above trains all three networks with it; try the preset "
    "*Window k < D*."
)

CLIFF = (
    "### Gradient clipping: the cliff\n\n"
    "Pascanu, Mikolov & Bengio (2013) drew the exploding gradient as a cliff: a one-unit "
    "RNN h_t = tanh(w h_{t−1} + b) run for 50 steps from h_0 = 0.5, with the seed's softmax "
    "read-out of h_50 and a loss lowest (log 3) where h_50 = 0.8. For w > 1 the map has two "
    "stable fixed points; crossing the fold where one appears flips h_50 and the loss "
    "jumps: a wall where ‖∇L‖ is in the hundreds. Plain gradient descent that steps onto "
    "it is thrown far away; clipping the step to norm τ keeps the direction and bounds the "
    "jump by η τ. Press Play, or drag the slider."
)


def _find_seed_recursion() -> Step:
    """The seed's step 6 (Q1's recursion for dL/dh_t), as the BPTT page transcribes it."""
    return next(step for step in bptt_text.STEPS if step.evidence == "recursion")


SEED_RECURSION = _find_seed_recursion()

STEPS = (
    Step(
        "1. The seed's recursion (Q1, step 6), unrolled from the one loss at T",
        SEED_RECURSION.seed_latex,
        False,
        r"Slip 1: the sum over $i$ is dropped, so only the diagonal of $W_{hh}$ carries the "
        r"gradient back. The page uses the corrected recursion; with the loss at $T$ only, "
        r"unrolled down to the token's step it is a product of $D$ Jacobians:",
        r"\frac{\partial L}{\partial h_1} = \Big(\prod_{t=2}^{T} W_{hh}^{\top}"
        r"\operatorname{diag}(1 - h_t^{2})\Big) W_{hz}^{\top}(z_T - e_{y_T})",
        evidence="seed",
    ),
    Step(
        "2. Why it vanishes (Pascanu, Mikolov & Bengio 2013)",
        r"\Big\|\frac{\partial L}{\partial h_1}\Big\| \le \prod_{t=2}^{T}"
        r"\Big(\sigma_{\max}(W_{hh}) \max_i (1 - h_{t,i}^{2})\Big)"
        r"\Big\|\frac{\partial L}{\partial h_T}\Big\|",
        True,
        r"Each factor is below 1 once $\sigma_{\max}(W_{hh}) < 1$ or $\tanh$ saturates: the "
        r"signal about step 1 shrinks geometrically in $D$ and drowns in the gradient of the "
        r"recent, irrelevant steps. Above 1 it can explode instead (section on clipping).",
        evidence="vanishing",
    ),
    Step(
        "3. What the LSTM's gating changes (Hochreiter & Schmidhuber 1997; Gers et al. 2000)",
        r"c_t = f_t \odot c_{t-1} + i_t \odot g_t \;\Rightarrow\; "
        r"\frac{\partial c_t}{\partial c_{t-1}} = \operatorname{diag}(f_t) + "
        r"(\text{terms through } h_{t-1})",
        True,
        r"The memory is updated by addition: along the cell the Jacobian is the forget gate "
        r"itself, with no $W$ and no $\tanh'$ in the product. A forget gate near 1 passes the "
        r"gradient back almost intact, and the network learns when to open it.",
        r"\frac{\partial c_T}{\partial c_1}\Big|_{\text{cell path}} = "
        r"\prod_{t=2}^{T}\operatorname{diag}(f_t)",
        evidence="gating",
    ),
    Step(
        "4. Truncated BPTT (Williams & Peng 1990)",
        r"g_k = \frac{1}{M}\sum_{i}\sum_{t} m_{i,t}\,\frac{\partial}{\partial\theta}"
        r"\Big[-\log z_{i,t,y}\big(\theta;\ s_{i,t-k}\ \text{held fixed}\big)\Big]",
        True,
        r"Each loss sees its last $k$ steps. With the loss at $T = D + 1$ and the token at "
        r"step 1, the window contains the token only when $k \ge D + 1$; below, "
        r"$\partial L/\partial h_1$ is exactly 0 and nothing teaches the network to store it.",
        evidence="truncation",
    ),
    Step(
        "5. Clipping by the global norm (Pascanu, Mikolov & Bengio 2013, algorithm 1)",
        r"\hat g = g\,\min\!\Big(1, \frac{\tau}{\|g\|}\Big), \qquad "
        r"\|g\|^2 = \sum_{\text{arrays}} \sum_{\text{entries}} g^2",
        True,
        r"The direction is kept and $\|\hat g\| \le \tau$, so no step is longer than "
        r"$\eta\tau$ (SGD): the cliff can still be hit, but not jumped off.",
        evidence="clipping",
    ),
)


def pct(value: float) -> str:
    """An accuracy as a percentage."""
    return f"{100 * value:.0f}%"


def run_caption(labels: list[str], seconds: list[float], steps: int) -> str:
    """One line on how the three runs were made and how long each took."""
    times = "; ".join(f"{label}: {s:.2f} s" for label, s in zip(labels, seconds))
    return (f"{steps} steps of 16 fresh sequences each; accuracies on 256 held-out sequences. "
            f"Training time (wall, first run; cached after): {times}.")


def curves_summary(labels: list[str], eval_accuracy: list[float], chance: float) -> str:
    """One line under the training curves: held-out accuracy of each run against chance."""
    parts = "; ".join(f"{label}: {pct(a)}" for label, a in zip(labels, eval_accuracy))
    return f"Held-out accuracy after training: {parts} (chance {pct(chance)})."


def gradient_summary(labels: list[str], dL_dh1_end: list[float], clipped: list[int],
                     steps: int, clip: float | None) -> str:
    """One line under the gradient curves: ||dL/dh_1|| at the end, steps clipped."""
    ends = "; ".join(f"{label}: {v:.1e}" for label, v in zip(labels, dL_dh1_end))
    line = f"‖∂L/∂h₁‖, median of the last 10 steps: {ends}."
    if clip is None:
        return line + " No clipping."
    counts = "; ".join(f"{label}: {c}" for label, c in zip(labels, clipped))
    return line + f" Steps clipped to τ = {clip:g} (of {steps}): {counts}."


def flow_summary(labels: list[str], ratios: list[float], D: int) -> str:
    """One line under the flow animation: ||dL/dh_1|| / ||dL/dh_T|| at the end."""
    parts = "; ".join(f"{label}: {r:.1e}" for label, r in zip(labels, ratios))
    return (f"‖∂L/∂h₁‖ / ‖∂L/∂h_T‖, median of the last 10 steps: {parts}, across D = {D} "
            "steps. Press Play to watch it over training; gaps are exact zeros (outside a "
            "truncated window).")


LEARNED = 0.9  # held-out accuracy above which a run counts as having learned the task
VANISHED = 1e-2  # ||dL/dh_1|| / ||dL/dh_T|| below which the signal counts as vanished


def why_rnn_fails(D: int, short_ratio: float, ratio: float, gain: float, sigma_max: float,
                  accuracies: tuple[float, float, float], chance: float,
                  window: int | None) -> str:
    """The explanation with this run's numbers: the RNN's signal vanishes, the LSTM's not.

    The ratios are of full BPTT on the trained networks; accuracies are held-out, of the
    RNN at D = 2, the RNN at D and the LSTM at D; window is k when truncated, else None.
    """
    short_accuracy, accuracy, lstm_accuracy = accuracies
    if accuracy >= LEARNED:
        head, outcome = (f"**The RNN still learns at D = {D}.**",
                         f"small enough to come through: it learns ({pct(accuracy)} held-out)")
    elif ratio >= VANISHED:
        head = f"**The RNN at D = {D}: no vanishing, yet only {pct(accuracy)}.**"
        outcome = ("not small: with this large W_hh nothing vanishes. What hinders the RNN "
                   "now is the other side of the same product: a state that reacts to every "
                   "input, and a loss surface with cliffs (see clipping below)")
    else:
        head = f"**Why the RNN fails at D = {D}.**"
        outcome = ("buried under the batch noise of the gradient from the recent steps, "
                   "which carry no information about the answer: " +
                   (f"the network stays at the best constant guess ({pct(accuracy)})"
                    if accuracy < chance + 0.1 else
                    f"the network only partly learns ({pct(accuracy)} held-out)"))
    cut = ("" if window is None else
           f" (Here training used the window k = {window} ≤ D, so the gradient it saw at "
           "h₁ was exactly 0: nothing taught it to store the token.)")
    return (
        f"{head} The token is read at step 1 and the loss is at step T = {D + 1}, so the "
        "gradient that would teach $W_{sh}$ and $W_{hh}$ to store the token passes back "
        rf"through {D} Jacobians $\operatorname{{diag}}(1-h_t^2)\,W_{{hh}}$. In the trained "
        "RNN (full BPTT on held-out sequences) ‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ = "
        f"**{ratio:.1e}**, a factor of {gain:.2f} per step (σ_max(W_hh) = {sigma_max:.2f} "
        f"after training). That signal is {outcome}. At D = 2 the same ratio is "
        f"{short_ratio:.1e} and the RNN reaches {pct(short_accuracy)}; the LSTM at D = {D} "
        f"reaches {pct(lstm_accuracy)}.{cut}"
    )


def lstm_changes(D: int, forget_bias: float, mean_forget: float, survival: float,
                 ratio: float, window: int | None) -> str:
    """What gating changes, with the trained LSTM's forget gates (window: k if truncated)."""
    learns = ("the signal arrives, and the network learns to write the token into its memory "
              "and keep it there." if window is None else
              f"the signal would arrive, but the window k = {window} cut it off in training: "
              "the LSTM could only learn to read what its untrained memory happened to keep.")
    return (
        "**What the LSTM's gating changes.** Its memory c_t is updated by addition, so "
        "along the cell the Jacobian is diag(f_t): no weight matrix, no tanh′. "
        f"With the forget bias b_f = {forget_bias:g} at the start, the trained forget gates "
        f"average f̄ = **{mean_forget:.3f}** on held-out sequences, and the product of the "
        f"{D} forget gates between step 1 and step T keeps **{survival:.2g}** of c₁ (mean "
        f"over units). Its ‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ is {ratio:.1e}: {learns}"
    )


def truncation_summary(labels: list[str], at_D: list[float], T: int,
                       exact: list[float]) -> str:
    """One line under the truncation curve: the error one step short of the token."""
    short = ", ".join(f"{label} {e:.2g}" for label, e in zip(labels, at_D))
    zero = ", ".join(f"{e:.0g}" for e in exact)
    return (f"At k = D = {T - 1}, one step short of the token: relative error {short}. At "
            f"k = D + 1 = {T}: {zero} (exactly the full gradient). A tiny error means the "
            "far end of the gradient had vanished anyway; a large one, that the network "
            "really uses the distant step.")


def truncation_training(k: int | None, D: int, accuracy: float, lstm_accuracy: float) -> str:
    """How training with the current window went."""
    if k is None or k >= D + 1:
        return ("The networks above were trained with full BPTT. Set a window k ≤ D to "
                "train them with truncation.")
    return (
        f"The networks above were trained with k = {k} < D + 1 = {D + 1}: ∂L/∂h₁ is exactly "
        "0, so nothing teaches them to store the token. What they can still learn is to "
        "read whatever the untrained network happens to keep: the LSTM, whose forget gates "
        f"start near 1, keeps a lot ({pct(lstm_accuracy)} held-out), the RNN little "
        f"({pct(accuracy)})."
    )


def cliff_summary(max_norm: float, jump: float, clipped_jump: float, final: tuple[float, float],
                  off_chart: bool, valley: float) -> str:
    """One line under the cliff animation: the largest gradient, the jumps, the ends."""
    away = (" The unclipped path jumps off the chart (the axes stay fixed on the grid)."
            if off_chart else "")
    return (f"Largest ‖∇L‖ without clipping: {max_norm:.3g}; its longest step {jump:.3g} "
            f"against {clipped_jump:.3g} with clipping.{away} Final loss {final[0]:.4f} "
            f"without, {final[1]:.4f} with clipping (valley floor log 3 = {valley:.4f}).")


def evidence_lines(ev: dict) -> dict[str, str]:
    """Live numerical evidence for the derivation's steps, keyed by Step.evidence."""
    return {
        "seed": (
            "Measured on the trained RNN at D, one held-out sequence: BPTT gives "
            f"‖∂L/∂h₁‖ = {ev['bptt_dL_dh1']:.3e}; the seed's diagonal recursion gives "
            f"{ev['seed_dL_dh1']:.3e}, a relative error of **{ev['seed_error']:.3g}** in "
            r"$\partial L/\partial h_1$."),
        "vanishing": (
            f"Measured: ‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ = {ev['rnn_ratio']:.2e} for the RNN "
            f"at "
            f"D = {ev['D']} (per-step factor {ev['rnn_gain']:.3f}). On one held-out "
            f"sequence ‖∂h_T/∂h₁‖ = {ev['jacobian']:.2e} ≤ the bound "
            f"{ev['bound']:.2e} ≤ σ_max(W_hh)^D = {ev['sigma_max'] ** ev['D']:.2e}."),
        "gating": (
            f"Measured on the trained LSTM: mean forget gate {ev['mean_forget']:.3f}, "
            f"∏ f over the D steps {ev['survival']:.2g} (mean over units and sequences); "
            f"‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ = {ev['lstm_ratio']:.2e}."),
        "truncation": (
            f"Measured: with k = {ev['k_check']} the truncated gradient differs from the "
            f"full one by {ev['k_error_lstm']:.2g} (LSTM) and {ev['k_error_rnn']:.2g} (RNN); "
            "against central differences of the truncated objective it is right to "
            f"**{ev['truncated_check']:.1e}** (Check it)."),
        "clipping": (
            ("Training ran without clipping here; " if ev["clip"] is None else
             f"Measured: after clipping the largest global norm in training is "
             f"{ev['clipped_max']:.4g} (τ = {ev['clip']:g}); ") +
            f"on the cliff the longest unclipped "
            f"step is {ev['jump']:.3g}, the longest clipped one {ev['clipped_jump']:.3g} "
            f"≤ η τ = {ev['eta_tau']:.3g}."),
    }


def check_rows(checks: dict[str, dict], tolerance: float) -> list[dict]:
    """The gradient checks as table rows: one per (gradient, parameter array)."""
    return [
        {"gradient": label, "parameter": name,
         "entries checked": f"{r['checked']} of {r['total']}", "step ε": f"{r['eps']:.1e}",
         "relative error vs central differences": f"{r['relative_error']:.2e}",
         "result": "pass" if r["relative_error"] <= tolerance else "FAIL"}
        for label, report in checks.items() for name, r in report.items()
    ]


def check_summary(checks: dict[str, dict], tolerance: float, sequences: int,
                  clipped_max: float, clip: float | None, curve_end: float) -> str:
    """One paragraph: what was checked, the worst error, and the two exact identities."""
    worst = max(r["relative_error"] for report in checks.values() for r in report.values())
    checked = sum(r["checked"] for report in checks.values() for r in report.values())
    verdict = "All pass." if worst <= tolerance else "**Some gradients FAIL.**"
    clip_line = ("" if clip is None else
                 f" Clipping: the largest global norm after clipping in the three runs is "
                 f"{clipped_max:.6g} ≤ τ = {clip:g}.")
    return (
        f"Each gradient the page trains with (BPTT of the RNN and of the LSTM, full and "
        f"truncated) against five-point central differences of its own objective, on "
        f"{sequences} held-out sequences and a seeded sample of {checked} entries: worst "
        f"relative error **{worst:.1e}** against the tolerance {tolerance:.0e}. {verdict} "
        f"Truncation with k = D + 1 gives exactly the full gradient (relative error "
        f"{curve_end:.0g}).{clip_line}"
    )

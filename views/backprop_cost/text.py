"""The backprop-cost page's words and LaTeX: the counting model, the seed's Q3 steps graded,
the slips' one-line explanations and the live captions.

The seed's formulas are transcribed here (the app never reads ../shared at run time).
"""

from __future__ import annotations

import numpy as np

from views.common.derivation import Step

STATEMENT = (
    "Backprop computes every gradient of an MLP with a number of multiplications linear in "
    "its depth L; summing the chain rule path by path needs exponentially many, about n "
    "times more for every extra layer."
)

MODEL = r"""
\begin{gathered}
h_0 = x\in\mathbb{R}^d,\qquad a_l = W_l h_{l-1} + b_l,\\
h_l = \tanh(a_l)\ \ (l = 1..L),\\
u = W_{L+1} h_L + b_{L+1}\in\mathbb{R}^c,\\
J(u),\qquad g = \tfrac{\partial J}{\partial u}
\end{gathered}
"""

MODEL_NOTE = (
    r"**The counting model.** $W_1$ is $n\times d$, $W_2\dots W_L$ are $n\times n$, "
    r"$W_{L+1}$ is $c\times n$. The forward values $h_l$ and $f'(a_l) = 1 - h_l^2$ are stored "
    r"and $g$ is given. Only scalar multiplications count; additions are free."
    "\n\n"
    r"- **Backprop**: $\delta_{L+1} = g$; for $l = L+1,\dots,1$: "
    r"$\partial J/\partial W_l = \delta_l h_{l-1}^\top$ (rows·cols), "
    r"$\partial J/\partial b_l = \delta_l$ (free), and for $l \ge 2$ "
    r"$\delta_{l-1} = (W_l^\top\delta_l)\odot f'(a_{l-1})$ (rows·cols + n). "
    r"$\partial J/\partial x$ is not computed."
    "\n"
    r"- **Forward mode**: for every parameter, one pass of a dense tangent vector to $J$: "
    r"seeding is free, each $f'$ product costs its layer's width, each matrix product "
    r"rows·cols, the final $g\cdot du$ costs $c$."
    "\n"
    r"- **Path summation**: for every parameter, the sum over every path to $J$ of the "
    r"product of the local derivatives on it ($h_{l-1,j}$, then a weight and an $f'$ per "
    r"layer, then $g_k$), each product formed from scratch: $m$ factors cost $m - 1$."
)

FORMULAS = r"""
\begin{aligned}
P &= nd + (L-1)n^2 + cn\\
 &\quad [+\,Ln + c] \\
M_{\text{backprop}} &= nd + 2(L-1)n^2\\
 &\quad + 2cn + Ln \\
M_{\text{forward}} &= (nd\,[+n])\,F_{L-1}\\
 &\quad + (n^2\,[+n])\textstyle\sum_{k=0}^{L-2}F_k\\
 &\quad + (cn\,[+c])\,c, \\
F_k &= n + k(n^2+n)\\
 &\quad + cn + c \\
M_{\text{paths}} &= c\,d\,n^{L}(2L+1)\\
 &\quad + c\textstyle\sum_{k=0}^{L-2}(2k+3)\,n^{k+2}\\
 &\quad + cn\\
 &\quad \Big[+\,c\textstyle\sum_{k=0}^{L-1}(2k+2)\,n^{k+1}\Big]
\end{aligned}
"""
FORMULAS_NOTE = "Brackets: the bias terms. Every count is an exact integer, at any size."

SLIPS = {
    "parameters": "Slip 5: the seed writes cn for the input layer (dn is meant) and leaves out "
                  "the Ln + c biases.",
    "backprop": "Slip 6: 2 multiplications per weight ignores that δ = ∂J/∂y ⊙ f′ is shared by "
                "a whole row, and 2m for ∂J/∂x drops the sum over k (Wᵀδ costs m·n); still "
                "linear in L.",
    "path_sum": "Slip 7: it counts c·n^(L−i) paths once per layer instead of once per weight, "
                "with L − i + 1 factors instead of 2(L − l) + 4; still exponential in L.",
}


def exact(value: int) -> str:
    """An integer for a table: all digits with separators, or beyond 10^15 the leading
    digits × 10^k and the number of digits."""
    if value < 10**15:
        return f"{value:,}"
    return f"{short(value)} ({len(str(value))} digits)"


SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def ratio(value: float) -> str:
    """A ratio with 4 significant digits, in powers of ten once it is large."""
    if value < 1e6:
        return f"{value:.4g}"
    exponent = int(np.floor(np.log10(value)))
    return f"{value / 10**exponent:.3f} × 10{str(exponent).translate(SUPERSCRIPTS)}"


def short(value: int) -> str:
    """An integer for a metric: exact up to 10^9, else 4 significant digits × 10^k."""
    if value < 10**9:
        return f"{value:,}"
    digits = str(value)
    exponent = str(len(digits) - 1).translate(SUPERSCRIPTS)
    return f"{digits[0]}.{digits[1:4]} × 10{exponent}"


def cost_rows(right: dict, seed: dict, counted: dict, budget: int) -> list[dict[str, str]]:
    """The table of the current sizes, one row per quantity: right count, instrumented
    count, seed's, slip.

    right : "parameters", "backprop", "forward_mode", "path_sum" -> int;
    seed : the seed's "parameters", "backprop", "path_sum"; counted : method -> int or None
    (None: over the budget, not run), plus "parameters" -> summed array sizes.
    """
    names = {"parameters": "parameters P", "backprop": "backprop multiplications",
             "forward_mode": "forward-mode multiplications",
             "path_sum": "path-summation multiplications"}
    rows = []
    for key, name in names.items():
        value = counted[key]
        if value is None:
            count = f"not run: over {budget:,}"
        else:
            count = f"{exact(value)} {'✓' if value == right[key] else '✗ differs'}"
        rows.append({"quantity": name, "right (closed form)": exact(right[key]),
                     "counted (instrumented run)": count,
                     "handwritten": exact(seed[key]) if key in seed else "—",
                     "the slip": _slip_check(key, right, seed)})
    rows.append({
        "quantity": "path summation ÷ backprop",
        "right (closed form)": ratio(right["path_sum"] / right["backprop"]),
        "counted (instrumented run)": (ratio(counted["path_sum"] / counted["backprop"])
                                       if counted["path_sum"] else "—"),
        "handwritten": ratio(seed["path_sum"] / seed["backprop"]),
        "the slip": "The seed's ratio understates the gap: see slip 7."})
    return rows


def _slip_check(key: str, right: dict, seed: dict) -> str:
    """The slip's one line and its numerical check at the current sizes."""
    if key == "forward_mode":
        return "Not in the seed: one tangent pass per parameter, quadratic in L."
    gap = seed[key] - right[key]
    if key == "path_sum":
        return f"{SLIPS[key]} Here the seed is {right[key] / seed[key]:.3g}× too small."
    return f"{SLIPS[key]} Here seed − right = {gap:+,}."


def slip_checks(d: int, n: int, c: int, L: int, bias: bool, right: dict, seed: dict) -> list[str]:
    """Each slip's predicted error set beside the measured one (markdown lines)."""
    predicted_parameters = (c - d) * n - (L * n + c if bias else 0)
    predicted_backprop = n * d + n * L
    return [
        _agree("Slip 5, parameters", "(c − d)n − (Ln + c)" if bias else "(c − d)n",
               predicted_parameters, seed["parameters"] - right["parameters"]),
        _agree("Slip 6, backprop", "nd + nL", predicted_backprop,
               seed["backprop"] - right["backprop"]),
    ]


def _agree(name: str, formula: str, predicted: int, measured: int) -> str:
    mark = "✓ equal" if predicted == measured else "✗ different"
    return (f"**{name}**: predicted seed − right = {formula} = {predicted:,}; measured "
            f"{measured:,} ({mark}).")


def depth_caption(sweep, budget: int) -> str:
    """Where the markers stop on the depth chart, and why."""
    return _markers_caption(sweep, budget, "L") + (
        " Backprop grows by the same amount with every layer; path summation by a factor "
        "of about n."
    )


def width_caption(sweep, budget: int, L: int) -> str:
    return _markers_caption(sweep, budget, "n") + (
        f" On log–log axes the slope is the power of n: 2 for backprop, 4 for forward mode, "
        f"{L + 1} for path summation at L = {L}."
    )


def _markers_caption(sweep, budget: int, size: str) -> str:
    parts = []
    for method, name in (("forward_mode", "forward mode"), ("path_sum", "path summation")):
        ran = np.isfinite(sweep.counted[method])
        if ran.all():
            parts.append(f"{name} at every {size}")
        elif ran.any():
            parts.append(f"{name} up to {size} = {int(sweep.values[ran].max())}")
        else:
            parts.append(f"{name} nowhere")
    return (f"Lines: the closed forms. Markers: multiplications counted while the algorithm "
            f"ran, equal to the lines wherever both exist. Runs are limited to {budget:,} "
            f"multiplications each, so markers cover backprop at every {size}, "
            + " and ".join(parts) + ".")


def timing_caption(sweep) -> str:
    slowest = {m: np.nanmax(s) * 1e3 for m, s in sweep.seconds.items() if np.isfinite(s).any()}
    shown = ", ".join(f"{name} {slowest[m]:.3g} ms" for m, name in
                      (("backprop", "backprop"), ("forward_mode", "forward mode"),
                       ("path_sum", "path summation")) if m in slowest)
    return (f"Best of 3 runs of the instrumented NumPy code, measured live on this server "
            f"and cached (slowest point: {shown}). Same runs as the markers on the left.")


def network_caption(widths: list[int], layer: int, count: int, clamped: bool) -> str:
    L = len(widths) - 2
    note = (" The network is drawn at most 4 units wide and 4 layers deep; the counts above "
            "use your sizes.") if clamped else ""
    later = L - layer
    if layer == L + 1:
        formula = "one path: u → J"
    else:
        formula = f"c·n^(L−ℓ) = {widths[-1]}·{widths[1]}^{later} = {count} paths"
    return (f"Widths {widths}; ℓ = {layer}: {formula}. Path summation multiplies the "
            f"2(L − ℓ) + 4 = {2 * later + 4 if layer <= L else 2} factors of each path from "
            f"scratch, for each of the weights of the layer; backprop shares them.{note}")


STEPS = (
    Step(
        "1) The number of parameters",
        r"cn + n^2(L-1) + cn",
        False,
        "The first layer maps d inputs to n units: its weight matrix has dn entries, not cn. "
        "And every layer has a bias vector: Ln + c more parameters.",
        r"P = dn + n^2(L-1) + cn + (Ln + c)",
        "parameters",
    ),
    Step(
        "2) The gradient of one weight of y = f(Wx)",
        r"\frac{\partial J}{\partial W_{ij}} = \sum_k \frac{\partial J}{\partial y_k}"
        r" f'((Wx)_k)\,\frac{\partial(\sum_l W_{kl}x_l)}{\partial W_{ij}}"
        r" = \frac{\partial J}{\partial y_i} f'((Wx)_i)\,x_j",
        True,
        "Correct: only k = i depends on W_ij.",
    ),
    Step(
        "2) Its cost: 2 multiplications per weight, 2mn per layer",
        r"\text{for each } \frac{\partial J}{\partial W_{ij}}: 2 \text{ multiplications}"
        r"\;\Rightarrow\; 2mn",
        False,
        "δ_i = ∂J/∂y_i · f′((Wx)_i) is the same for the whole row i: compute it once "
        "(n multiplications, charged to the δ step below), then ∂J/∂W = δ xᵀ costs mn.",
        r"\frac{\partial J}{\partial W} = \delta\,x^{\top}:\ mn,\qquad"
        r" \delta = \frac{\partial J}{\partial y}\odot f'(Wx)",
        "weight_steps",
    ),
    Step(
        "2) The gradient with respect to the layer's input",
        r"\frac{\partial J}{\partial x_i} = \sum_k \frac{\partial J}{\partial y_k} f'((Wx)_k)"
        r" \frac{\partial(\sum_l W_{kl}x_l)}{\partial x_i}"
        r" = \frac{\partial J}{\partial y_i} f'((Wx)_i)\,W_{ki}"
        r"\;\Rightarrow\; 2m",
        False,
        "The sum over k does not collapse: every y_k depends on x_i through W_ki. So "
        "∂J/∂x = Wᵀδ, which costs mn multiplications (plus m for the next f′), not 2m.",
        r"\frac{\partial J}{\partial x} = W^{\top}\delta:\ mn,\qquad"
        r"\delta_{l-1} = (W_l^{\top}\delta_l)\odot f'(a_{l-1}):\ n^2 + n",
        "delta_steps",
    ),
    Step(
        "2) The total for backprop",
        r"2nc + 2n + (2n^2 + 2n)(L-1) + 2nd",
        False,
        "The two errors above partly cancel, but not exactly: the seed's total is off by "
        "nd + nL. Its conclusion holds: the cost is linear in L.",
        r"M_{\text{backprop}} = nd + 2(L-1)n^2 + 2cn + Ln",
        "backprop",
    ),
    Step(
        "3) The chain rule as a sum over paths",
        r"\frac{\partial u_N}{\partial u_i} = \sum_{\text{paths } u_{k_1}\dots u_{k_{N}}}"
        r"\ \prod_{j=2}^{N} \frac{\partial u_{k_j}}{\partial u_{k_{j-1}}}",
        True,
        "Correct: the derivative is the sum, over every path in the graph, of the product of "
        "the local derivatives along it.",
    ),
    Step(
        "3) Paths and multiplications per path",
        r"C\,n^{(N-i-1)} \text{ paths and } n-2 \text{ multiplications for each path}",
        False,
        "From a unit of hidden layer l there are c·n^(L−l) paths to J (counted by "
        "enumeration below). A path from W_l[i, j] has 2(L − l) + 4 factors (h, then a weight "
        "and an f′ per layer, then g): its length grows with the depth, not with the width n.",
        r"\#\text{paths}(W_l[i,j]) = c\,n^{L-l},\qquad 2(L-l)+3 \text{ multiplications each}",
        "paths",
    ),
    Step(
        "3) The total for path summation",
        r"2cn + cn + 2n^2 + 2dn + \sum_{i=1}^{L-1}(L-i+1)\,C\,n^{L-i}",
        False,
        "Each of the n² weights of a layer needs its own sum over paths (the seed counts the "
        "paths once per layer), and each path has about twice the factors. The conclusion "
        "holds: exponential in L. The bracket counts the biases' paths: b_l[i] has the "
        "paths of W_l[i, j] without their first factor h.",
        r"M_{\text{paths}} = c\,d\,n^{L}(2L+1) + c\sum_{k=0}^{L-2}(2k+3)\,n^{k+2} + cn"
        r"\;\Big[+\,c\sum_{k=0}^{L-1}(2k+2)\,n^{k+1}\Big]",
        "path_sum",
    ),
)


def evidence(sizes: tuple, right: dict, seed: dict, counted: dict,
             paths: list[tuple[int, int, int]], steps: list[dict]) -> dict[str, str]:
    """The live numerical evidence of every derivation step, as markdown by key."""
    keys = {step.evidence for step in STEPS if step.evidence}
    return {key: _evidence(key, sizes, right, seed, counted, paths, steps) for key in keys}


# The backprop steps' evidence: what is counted, and its columns in core's step costs.
STEP_COLUMNS = {"weight_steps": ("∂J/∂W", "seed_weights", "weights"),
                "delta_steps": ("δ", "seed_delta", "delta")}


def _evidence(key, sizes, right, seed, counted, paths, steps) -> str:
    d, n, c, L = sizes
    if key in STEP_COLUMNS:
        what, seed_column, right_column = STEP_COLUMNS[key]
        lines = ["| step (× times) | seed | right |", "|---|---|---|"]
        lines += [f"| {s['step']} (× {s['times']}) | {s[seed_column]:,} | {s[right_column]:,} |"
                  for s in steps]
        return (f"At d = {d}, n = {n}, c = {c}, L = {L}, multiplications for {what} per "
                f"step:\n\n" + "\n".join(lines))
    if key == "paths":
        shown = "; ".join(f"layer {layer}: {formula:,} by the formula, {found:,} enumerated"
                          for layer, formula, found in paths)
        return f"Paths from one unit, at n = {n}, c = {c}, L = {L}: {shown}."
    run = counted[key]
    if key == "parameters":
        run_text = f"the arrays of a random MLP of these sizes hold {run:,} numbers"
    elif run is None:
        run_text = "too many for an instrumented run here (see Check it)"
    else:
        run_text = f"the instrumented run counted {run:,}"
    noun = "parameters" if key == "parameters" else "multiplications"
    return (f"At d = {d}, n = {n}, c = {c}, L = {L}: seed {exact(seed[key])}, right "
            f"{exact(right[key])} {noun}; {run_text}.")


def check_summary(agreement, current: tuple) -> str:
    """One paragraph: what was checked, on which network, with which error."""
    where = ("at your sizes" if agreement.sizes == current else
             f"on the largest affordable network below your sizes, d, n, c, L = "
             f"{', '.join(map(str, agreement.sizes))}")
    worst = max(agreement.errors.values())
    return (f"All three algorithms ran {where}. Their gradients agree to a relative "
            f"difference of {worst:.1e} (tolerance 1e-10), and backprop matches central "
            f"differences on {agreement.checked} of {agreement.total} parameters to "
            f"{agreement.finite_difference_error:.1e} (tolerance 1e-6).")


def check_rows(agreement) -> list[dict[str, str]]:
    """The three methods' counts and gradients against each other, one row per method."""
    names = {"backprop": "backprop", "forward_mode": "forward mode", "path_sum": "path summation"}
    return [{"method": name,
             "closed form": f"{agreement.formula[m]:,}",
             "counted in the run": f"{agreement.counted[m]:,}",
             "equal": "✓" if agreement.counted[m] == agreement.formula[m] else "✗",
             "gradient vs backprop": f"{agreement.errors[m]:.1e}"}
            for m, name in names.items()]

"""Words and LaTeX of the unrolling page (seed question 2); the page fills in live numbers."""

import re

TITLE = "Unrolling and parameter sharing"
STATEMENT = (
    r"Unfolding $h_t = F_\theta(h_{t-1}, x_t)$ gives $t$ copies of one cell, all with the "
    r"same $W_{sh}, W_{hh}, W_{hz}$: the parameter count does not grow with $T$, and one set "
    r"of weights maps a sequence of any length to a state $h_T$ of fixed size $n$."
)

# --- 1. Unfolding --------------------------------------------------------------------
UNFOLD_HEADER = "Unfolding the recursion"
UNFOLD_INTRO = (
    "One step of the RNN is a function of the previous state and the current input, "
    r"$F_\theta(h, x) = \tanh(W_{sh}\,x + W_{hh}\,h + b_h)$ with "
    r"$\theta = (W_{sh}, W_{hh}, b_h, W_{hz}, b_z)$. Substituting $h_{t-1}$, then $h_{t-2}$, "
    r"... writes $h_t$ as $t$ nested copies of the **same** $F_\theta$; the innermost gets "
    r"$h_0$ and $x_1$, the outermost $x_t$."
)
OURS_CAPTION = (
    r"Written out for the chosen $t$: $t$ copies of $F_\theta$, inputs $x_1 \dots x_t$ in "
    r"order (beyond $t = 12$ the middle levels are elided)."
)
SEED_CAPTION = (
    "The handwritten solution's four lines (question 2 ①), each graded by computing it "
    "with the current weights (see The derivation)."
)

# The seed's lines exactly as handwritten, in the token style core.unrolling reads back.
SEED_LINES = (
    r"h_t = F_\theta(h_{t-1}, x_t)",
    r"= F_\theta(F_\theta(h_{t-2}, x_{t-1}), x_t)",
    r"= F_\theta(F_\theta(F_\theta(h_{t-3}, x_{t-2}), x_{t-1}), x_t)",
    r"= F_\theta(F_\theta(F_\theta(h_{t-4}, x_{t-3}), x_{t-2}), x_{t-1}, x_t)",
)
SEED_FINALLY = (
    r"h_2 = F_\theta(F_\theta(h_0, x_1), x_2)",
    r"h_1 = F_\theta(h_0, x_1)",
)
# The nearest well-formed reading of line 4 (its extra x_t dropped): three levels, h_{t-1}.
SEED_LINE_4_READ = r"= F_\theta(F_\theta(F_\theta(h_{t-4}, x_{t-3}), x_{t-2}), x_{t-1})"
SEED_LINE_4_CORRECTED = (  # for display: the missing F_θ( and its ")" in colour
    r"= \textcolor{#0072B2}{F_\theta(}F_\theta(F_\theta(F_\theta(h_{t-4}, x_{t-3}), x_{t-2}), "
    r"x_{t-1}\textcolor{#0072B2}{)}, x_t)"
)
SLIP_4 = (
    r"**Slip 4.** The fourth line has three $F_\theta$ where four are needed: its outermost "
    r"$F_\theta$ is given three arguments $(\dots, x_{t-1}, x_t)$, so one $F_\theta($ and "
    r"its closing parenthesis are missing. Going back four steps to $h_{t-4}$ takes four "
    r"nested copies, one per input $x_{t-3}, x_{t-2}, x_{t-1}, x_t$ (the missing pair in "
    "blue):"
)

# --- 2. Graph --------------------------------------------------------------------------
GRAPH_HEADER = "Folded and unrolled: one cell, T copies, three weight arrays"
GRAPH_INTRO = (
    "Left, the folded RNN: one cell with a loop through $W_{hh}$. Right, the same network "
    "unrolled for $T$ steps. Each weight has one colour, and every copy draws it in that "
    "colour: the $T$ green arrows are **one** array $W_{sh}$, the red ones one $W_{hh}$, the "
    "blue ones one $W_{hz}$. Press Play to unroll one more step at a time."
)

# --- 3. Sequences ----------------------------------------------------------------------
SEQUENCES_HEADER = "One set of weights, sequences of any length"
SEQUENCES_INTRO = (
    "The same $\\theta$ runs on three sequences of the lengths you pick (inputs "
    "$x_t \\sim \\mathcal{N}(0, I_d)$). Left: every state $h_t$; right: the final state "
    "$h_T$ of each, always $n$ numbers."
)
UNSHARED_INTRO = (
    "An **unshared** network, with its own $W_{{sh}}^{{(t)}}, W_{{hh}}^{{(t)}}, b_h^{{(t)}}, "
    "W_{{hz}}^{{(t)}}, b_z^{{(t)}}$ at every step, is built for a fixed number of steps. "
    "Here it was built for $T = {T}$ steps; given the same three sequences:"
)

# --- 4. Counts -------------------------------------------------------------------------
COUNT_HEADER = "Parameters against T: flat when shared, growing when not"


def count_shared(value: int) -> str:
    """P_shared with its five terms named, equal to value."""
    return (
        r"P_{\text{shared}} = \underbrace{nd}_{W_{sh}} + \underbrace{n^2}_{W_{hh}} + "
        r"\underbrace{n}_{b_h} + \underbrace{cn}_{W_{hz}} + \underbrace{c}_{b_z} = "
        + f"{value:,}".replace(",", r"\,")
    )


def count_unshared(T: int, shared: int) -> str:
    """P_unshared(T) = T P_shared, with the numbers."""
    value = f"{T * shared:,}".replace(",", r"\,")
    return (
        r"P_{\text{unshared}}(T) = T\,(nd + n^2 + n + cn + c) = "
        + f"{T} \\times {shared:,}".replace(",", r"\,") + f" = {value}"
    )


# --- Reasons ---------------------------------------------------------------------------
REASON_1 = (
    "**The seed's reason ① (holds):** *the same weights are used for different instances "
    "at different time steps, which allows to apply the network to input sequences of "
    "different length and improves generalization.* Seen above: the unrolled graph draws "
    "the same three arrays at every step, so it extends to any $T$; the same $\\theta$ "
    "ran on lengths {lengths}; the unshared network stops at its $T = {T}$. Sharing also "
    "pools what is learnt at step 3 with what is learnt at step 30: one $W_{{sh}}$ sees "
    "every position, hence the better generalization."
)
REASON_2 = (
    "**The seed's reason ② (holds, with one word to fix):** *an RNN maps an "
    "arbitrary-length sequence $(x_1, \\dots, x_t)$ to a fixed-length vector $h_t$.* "
    "Seen above: the final states of lengths {lengths} are all $n = {n}$ numbers, and the "
    "parameter count stays {shared:,} for every $T$. The growth it avoids is **linear**, "
    "not exponential as written: the unshared unrolled network has $T \\times$ {shared:,} "
    "parameters (slope 1 on the log-log chart). Exponential growth belongs to a model "
    "that tabulates every possible history, not to an unrolled network."
)

# --- The derivation --------------------------------------------------------------------
DERIVATION_HEADER = "The derivation"
DERIVATION_INTRO = (
    "Each handwritten line is computed with the current weights: $F_\\theta$ is one step "
    "of the RNN, $x_k$ the $k$-th input of a random sequence, and $h_{{t-k}}$ the forward "
    "pass's state. A line is correct when it equals the forward pass's $h_t$ (here "
    "$t = {t}${why}; relative error below 1e-12)."
)
DERIVATION_T_RAISED = r", the smallest $t$ for which line 4's $h_{t-4}$ exists"
READ_IS_PREVIOUS = "; it is $h_{{t-1}}$ (relative error {error:.1e}): three steps, not four"
REASONS_GRADE = (
    "**2) ① and ②**, the reasons for sharing: correct (① as stated; ② with *exponential* "
    "to be read *linear* for the unrolled network), see the two boxes above."
)

# --- Check it --------------------------------------------------------------------------
CHECK_HEADER = "Check it"
CHECK_INTRO = (
    "Three independent checks, run now for the current settings: the written unfolding "
    "is computed and compared with core.rnn.forward; the counting formulas are compared "
    "with the sizes of real parameter arrays; and the unshared network with every step "
    "tied to the same arrays must be the shared RNN."
)


# --- Display helpers (pure string work on core.unrolling's LaTeX) ------------------------
_PIECES = re.compile(
    r"F_\\theta\(|h_\{[^{}]*\}|, x_\{[^{}]*\}\)|\\underbrace\{\\cdots\}_\{[^{}]*\{[^{}]*\}\}\\,"
    r"|\\,\\cdots"
)
_EM = {"F": 1.6, "h": 1.1, ",": 2.0, "\\u": 5.5, "\\,": 1.3}  # rough widths in em


def wrap_unfolded(latex: str, width: float = 19.0) -> str:
    """An unfolded equation ``h_{t} = ...`` broken into aligned lines of about width em."""
    if " = " not in latex:
        return latex
    lhs, rhs = latex.split(" = ", 1)
    pieces = _PIECES.findall(rhs)
    if "".join(pieces) != rhs:  # not core.unrolling's format: show it unbroken
        return latex
    lines, current, used = [], "", 0.0
    for piece in pieces:
        em = _EM[piece[:2] if piece.startswith("\\") else piece[0]]
        if current and used + em > width:
            comma = piece.startswith(", ")  # keep the comma at the end of the line
            lines.append(current + ("," if comma else ""))
            current, used, piece = "", 0.0, piece[2:] if comma else piece
        current, used = current + piece, used + em
    lines.append(current)
    return (r"\begin{aligned}" + lhs + r" = {} & " + r" \\ & \quad ".join(lines)
            + r"\end{aligned}")


def seed_block(correct: list[bool]) -> str:
    """The seed's four lines as one aligned block, each marked with its live grade."""
    rows = []
    for number, (line, ok) in enumerate(zip(SEED_LINES, correct), 1):
        lhs, rhs = line.split("=", 1)
        mark = (r"\textcolor{#009E73}{\checkmark}" if ok
                else rf"\textcolor{{#D55E00}}{{\times\ \text{{slip {number}}}}}")
        rows.append(f"{lhs.strip()} &= {rhs.strip()} && {mark}")
    return r"\small\begin{aligned}" + r" \\[2pt] ".join(rows) + r"\end{aligned}"

"""The RNN lab's controls (each bound to the URL by its key) and presets."""

import streamlit as st

from core import training
from core.tasks import TASKS
from views.common.controls import ChoiceControl, FloatControl, IntControl

SHORT_DELAY = 2  # the RNN is also trained at this D, beside the long one, with the same settings
BATCH_SIZE = 16  # sequences per training step
EVAL_SIZE = 256  # held-out sequences for the final accuracy

CONTROLS = (
    ChoiceControl("task", "task", TASKS, "recall",
                  help="recall: name the token marked D steps before the end (chance 1/4). "
                       "adding: the sum of the number marked D steps before the end and a "
                       "second marked number (Hochreiter & Schmidhuber 1997)."),
    IntControl("D", "dependency length D", 1, 40, 20,
               help=f"Sequences are D + 1 steps long; the answer depends on step 1. The RNN "
                    f"is also trained at D = {SHORT_DELAY} for comparison."),
    IntControl("n", "hidden size n", 4, 64, 32),
    ChoiceControl("opt", "optimizer", training.OPTIMIZERS, "adam",
                  help="sgd, momentum (heavy ball, μ = 0.9) or adam. Changing the optimizer "
                       "sets the learning rate to the one measured to work for it (sgd 0.2, "
                       "momentum 0.03, adam 0.01)."),
    FloatControl("lr", "learning rate", 0.001, 0.3, training.LEARNING_RATES["adam"], 0.001,
                 format="%.3f"),
    IntControl("steps", "training steps", 10, 300, 60, step=10,
               help=f"Each step draws {BATCH_SIZE} fresh sequences."),
    IntControl("k", "truncation window k (0: full BPTT)", 0, 40, 0,
               help="Truncated BPTT: each loss is backpropagated through its last k steps "
                    "only. k ≥ D + 1 is full BPTT."),
    FloatControl("clip", "clipping threshold τ (0: off)", 0.0, 10.0, 1.0, 0.1,
                 help="Clip the gradient by its global norm: g ← g · min(1, τ/‖g‖)."),
    FloatControl("bf", "LSTM forget-gate bias b_f", 0.0, 5.0, 3.0, 0.5,
                 help="At the start f = σ(b_f): 0.5 at 0, 0.73 at 1, 0.95 at 3."),
    FloatControl("sigma", "RNN σ_max(W_hh) at the start", 0.5, 2.5, 1.0, 0.05,
                 help="W_hh is drawn and rescaled to this largest singular value."),
    IntControl("seed", "random seed", 0, 999, 0,
               help="Draws the initial weights, the training batches and the held-out set."),
)

# The one-unit RNN of the cliff: where gradient descent starts, its step, the threshold.
CLIFF_CONTROLS = (
    FloatControl("w0", "start w₀", 0.0, 3.0, 1.5, 0.05),
    FloatControl("b0", "start b₀", -1.5, 1.0, -0.5, 0.05),
    FloatControl("eta", "step size η", 0.01, 0.5, 0.1, 0.01),
    FloatControl("tau", "clipping threshold τ", 0.05, 5.0, 1.0, 0.05),
)

# Each preset sets every training control, so that a preset always shows the same view.
BASE = dict(task="recall", D=20, n=32, opt="adam", lr=0.01, steps=60, k=0, clip=1.0, bf=3.0,
            sigma=1.0, seed=0)
PRESETS = {
    "D = 30": dict(BASE, D=30, steps=150),
    "Window k < D": dict(BASE, k=10),
    "Forget bias 1": dict(BASE, D=30, steps=150, bf=1.0),
    "σ_max = 2, τ off": dict(BASE, sigma=2.0, clip=0.0),
    "Adding problem": dict(BASE, task="adding", D=10, steps=300, lr=0.02),
    "Plain SGD": dict(BASE, opt="sgd", lr=training.LEARNING_RATES["sgd"]),
}


def match_learning_rate():
    """A new optimizer brings its measured learning rate, unless the rate changed too (a
    preset, or a link that sets both)."""
    state = st.session_state
    last = state.get("_rnn_lab_last")
    if last and state.get("opt") != last[0] and state.get("lr") == last[1]:
        state["lr"] = training.LEARNING_RATES.get(state["opt"], last[1])

"""The BPTT page's controls (each bound to the URL by its key) and presets."""

from views.common.controls import BoolControl, ChoiceControl, FloatControl, IntControl

CONTROLS = (
    IntControl("T", "sequence length T", 1, 100, 30),
    IntControl("d", "input size d", 1, 64, 8),
    IntControl("n", "hidden size n", 1, 64, 8),
    IntControl("c", "classes c", 2, 10, 5),
    FloatControl("sigma", "σ_max(W_hh)", 0.1, 3.0, 1.0, 0.05,
                 help="Largest singular value of W_hh; W_hh is rescaled to have exactly this."),
    ChoiceControl("init", "W_hh initialisation", ("gaussian", "orthogonal", "diagonal"),
                  "gaussian"),
    FloatControl("scale", "input scale", 0.05, 5.0, 1.0, 0.05,
                 help="Standard deviation of the inputs x_t: large inputs saturate tanh."),
    IntControl("seed", "random seed", 0, 999, 0),
    BoolControl("last", "loss at T only", False,
                help="Off: L = Σ_t L_t as in the seed. On: L = L_T, so every gradient "
                     "must travel back through the whole sequence."),
)


def step_control(T: int) -> IntControl:
    """The step t whose terms are shown (heatmaps, plug-in): 1..T, the last by default (a
    slider up to 100 whatever T showed 100 where the page drew t = T)."""
    return IntControl("step", "step t whose terms are shown", 1, T, T)


SIZES = dict(d=8, n=16, c=5, seed=0)
PRESETS = {
    "Vanishing": dict(SIZES, T=50, init="gaussian", sigma=0.7, scale=1.0, last=True),
    "Edge of stability": dict(SIZES, T=50, init="orthogonal", sigma=1.1, scale=0.05, last=True),
    "Exploding": dict(SIZES, T=50, init="orthogonal", sigma=2.5, scale=0.1, last=True),
    "Diagonal W_hh: seed exact": dict(SIZES, n=8, T=30, init="diagonal", sigma=0.9, scale=1.0,
                                      last=False),
}

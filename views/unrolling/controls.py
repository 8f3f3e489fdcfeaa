"""The unrolling page's URL-bound controls and presets (importable without running the page)."""

from views.common.controls import FloatControl, IntControl

UNFOLD_CONTROLS = (
    IntControl("t", "Unfold h_t at t", 0, 60, 4,
               help="The step whose state is written out down to h_0. Beyond 12 the "
                    "middle levels are elided."),
    IntControl("T", "Unrolled steps T", 1, 20, 6,
               help="How many copies of the cell the unrolled graph draws, and the T of "
                    "the unshared network."),
)
NETWORK_CONTROLS = (
    IntControl("d", "Input size d", 1, 64, 3),
    IntControl("n", "State size n", 1, 64, 8),
    IntControl("c", "Output size c", 2, 32, 4),
    FloatControl("sigma", "σ_max(W_hh)", 0.1, 2.0, 0.9, 0.05,
                 help="Largest singular value of W_hh: below 1 the state forgets, above "
                      "1 it can saturate."),
    IntControl("seed", "Random seed", 0, 999, 0),
)
SEQUENCE_CONTROLS = (
    IntControl("length_1", "Length of sequence 1", 1, 200, 3),
    IntControl("length_2", "Length of sequence 2", 1, 200, 10),
    IntControl("length_3", "Length of sequence 3", 1, 200, 40),
)
CONTROLS = UNFOLD_CONTROLS + NETWORK_CONTROLS + SEQUENCE_CONTROLS

DEFAULTS = {control.key: control.default for control in CONTROLS}
# Each preset sets every control, so that a preset always shows the same view.
PRESETS = {
    name: {**DEFAULTS, **changes}
    for name, changes in {
        "Seed's line 4": dict(t=4, T=4, d=4, n=4, c=3),
        "Long unfolding": dict(t=40, T=16, length_1=5, length_2=60, length_3=200),
        "Smallest RNN": dict(t=2, T=2, d=1, n=1, c=2, length_1=1, length_2=2, length_3=3),
        "Large RNN": dict(t=12, T=20, d=32, n=64, c=10, length_1=10, length_2=100,
                          length_3=200),
    }.items()
}

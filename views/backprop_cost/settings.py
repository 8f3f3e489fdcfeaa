"""The backprop-cost page's URL-bound controls and presets (importable without running the page)."""

import numpy as np

from views.common.controls import BoolControl, IntControl

DRAWN = 4  # the drawn network is at most this many units wide and hidden layers deep
CONTROLS = (
    IntControl("d", "inputs d", 1, 64, 4),
    IntControl("n", "hidden width n", 1, 64, 4),
    IntControl("c", "outputs c", 1, 64, 3),
    IntControl("L", "hidden layers L", 1, 30, 3),
    IntControl("L_max", "depth axis up to", 2, 30, 12,
               help="The depth chart and the timings run over L = 1 .. this (at least L)."),
    BoolControl("bias", "biases", True),
)
LAYER = IntControl("layer", "layer ℓ of the drawn weight W_ℓ[1, 1]", 1, DRAWN + 1, 1,
                   help="The animation follows every path from this weight to J.")
PRESETS = {
    "Small": dict(d=4, n=4, c=3, L=3, L_max=12, layer=1, bias=True),
    "The seed's count (d = c, no biases)": dict(d=3, n=4, c=3, L=4, L_max=12, layer=1,
                                                bias=False),
    "Deep: L = 30": dict(d=8, n=8, c=4, L=30, L_max=30, layer=2, bias=True),
    "Wide: n = 64": dict(d=16, n=64, c=10, L=4, L_max=12, layer=1, bias=True),
    "Width 1: no explosion": dict(d=4, n=1, c=3, L=10, L_max=30, layer=1, bias=True),
}
WIDTHS = np.array([1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64])

"""Benchmark of the backprop-cost page: prints figures, asserts nothing.

    .venv/bin/python bench/backprop_cost_bench.py

The core pieces the page's cached computation runs, and instrumented runs against the
closed form (the page's render, reruns and payload: bench/pages.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.pages import best_wall  # noqa: E402
from core import backprop_cost as bc  # noqa: E402


def core_figures() -> None:
    print("core pieces (best of 3):")
    pieces = {
        "depth sweep, defaults (L = 1..12, 3 repeats)":
            lambda: bc.sweep(4, 4, 3, 3, vary="L", values=np.arange(1, 13), repeats=3),
        "depth sweep, largest (L = 1..30, 3 repeats)":
            lambda: bc.sweep(64, 64, 64, 30, vary="L", values=np.arange(1, 31), repeats=3),
        "width sweep, largest": lambda: bc.sweep(64, 64, 64, 30, vary="n",
                                                 values=[1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]),
        "agreement, defaults": lambda: bc.agreement(4, 4, 3, 3),
        "agreement, largest (checked on a smaller net)": lambda: bc.agreement(64, 64, 64, 30),
    }
    for name, action in pieces.items():
        print(f"  {name:48s} {best_wall(action) * 1e3:8.1f} ms")
    print("\ninstrumented runs (best of 3) against the closed form:")
    for method, sizes in (("backprop", (64, 64, 64, 30)), ("forward_mode", (8, 8, 8, 6)),
                          ("path_sum", (4, 4, 3, 6)), ("path_sum", (8, 8, 4, 4))):
        mlp = bc.random_mlp(*sizes)
        x, g = bc.random_point(mlp)
        *_, counted, best = bc.timed_gradients(mlp, x, g, method, repeats=3)
        print(f"  {method:12s} d, n, c, L = {sizes}: {counted:>12,} multiplications "
              f"(closed form {bc.multiplications(method, *sizes):,}) in {best * 1e3:7.2f} ms")


if __name__ == "__main__":
    core_figures()

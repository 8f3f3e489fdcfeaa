"""Benchmark of the backprop-cost page: prints figures, asserts nothing.

    .venv/bin/python bench/backprop_cost_bench.py

Page timings run the real app through AppTest (a little slower than a browser session):
first render with a cold cache, a rerun after one control change, a rerun with nothing
changed, and the plotly payload; then the core pieces the page's cached computation runs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import streamlit as st  # noqa: E402

from core import backprop_cost as bc  # noqa: E402
from bench.pages import payload_bytes, timed  # noqa: E402
from tests.apptest import run_page  # noqa: E402

SCRIPT = "views/backprop_cost/page.py"
SETTINGS = {
    "defaults": {},
    "largest": {"d": "64", "n": "64", "c": "64", "L": "30", "L_max": "30", "layer": "5"},
}


def page_figures(name: str, query: dict) -> None:
    st.cache_data.clear()
    holder = {}
    first = timed(lambda: holder.setdefault("app", run_page(SCRIPT, query)))
    app = holder["app"]
    assert not app.exception, [e.value for e in app.exception]
    L = app.session_state["L"]
    changed = timed(lambda: app.slider(key="L").set_value(L - 1 if L > 1 else 2).run())
    same = timed(lambda: app.run())
    print(f"{name:9s} first render {first:6.2f} s (includes app.py start-up)  rerun after "
          f"changing L {changed:5.2f} s  rerun unchanged {same:5.2f} s  plotly payload "
          f"{payload_bytes(app) / 1e6:5.2f} MB")


def core_figures() -> None:
    print("\ncore pieces (best of 3):")
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
        print(f"  {name:48s} {min(timed(action) for _ in range(3)) * 1e3:8.1f} ms")
    print("\ninstrumented runs (best of 3) against the closed form:")
    for method, sizes in (("backprop", (64, 64, 64, 30)), ("forward_mode", (8, 8, 8, 6)),
                          ("path_sum", (4, 4, 3, 6)), ("path_sum", (8, 8, 4, 4))):
        mlp = bc.random_mlp(*sizes)
        x, g = bc.random_point(mlp)
        *_, counted, best = bc.timed_gradients(mlp, x, g, method, repeats=3)
        print(f"  {method:12s} d, n, c, L = {sizes}: {counted:>12,} multiplications "
              f"(closed form {bc.multiplications(method, *sizes):,}) in {best * 1e3:7.2f} ms")


if __name__ == "__main__":
    for name, query in SETTINGS.items():
        page_figures(name, query)
    core_figures()

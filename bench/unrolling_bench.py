"""Figures for the unrolling page: core timings, page render/rerun, plotly payload.

Run: .venv/bin/python bench/unrolling_bench.py   (prints; never asserts)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import plotly.io as pio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import unrolling  # noqa: E402
from core.rnn import init_params, random_sequence  # noqa: E402
from pages.unrolling import figures  # noqa: E402
from pages.unrolling.controls import CONTROLS, DEFAULTS  # noqa: E402
from tests.apptest import run_page  # noqa: E402

LARGEST = {control.key: control.max_value for control in CONTROLS}


def best_of(function, repeats: int = 5) -> float:
    """The fastest of a few runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def core_timings() -> None:
    for t in (12, 1000):
        print(f"unfold({t}):                         {best_of(lambda: unrolling.unfold(t)) * 1e6:8.1f} µs")
    params = init_params(64, 64, 32, seed=0)
    xs, _ = random_sequence(60, 64, 32, seed=0)
    full = unrolling.unfold(60, max_levels=None)
    seconds = best_of(lambda: unrolling.evaluate_unfolded(full, params, xs, 60))
    print(f"evaluate_unfolded(t=60, n=64):        {seconds * 1e3:8.2f} ms")
    lengths = (LARGEST["length_1"], LARGEST["length_2"], LARGEST["length_3"])
    seconds = best_of(lambda: unrolling.run_sequences(64, 64, 32, 20, lengths, seed=0), 3)
    print(f"run_sequences(n=64, T=20, 3 x 200):   {seconds * 1e3:8.2f} ms")


def payload(values: dict) -> int:
    """Bytes of plotly JSON the page sends for these settings."""
    run = unrolling.run_sequences(values["d"], values["n"], values["c"], values["T"],
                                  (values["length_1"], values["length_2"], values["length_3"]),
                                  sigma=values["sigma"], seed=values["seed"])
    T_axis = np.arange(1, 101)
    shared = unrolling.shared_parameter_count(values["d"], values["n"], values["c"])
    built = (
        figures.graph_figure(values["T"], values["d"], values["n"], values["c"]),
        figures.states_figure(list(run.states)),
        figures.final_states_figure(run.finals, np.array([h.shape[0] for h in run.states])),
        figures.parameter_count_figure(T_axis, np.full(100, shared), T_axis * shared,
                                       values["T"]),
    )
    return sum(len(pio.to_json(figure)) for figure in built)


def page_timings() -> None:
    start = time.perf_counter()
    app = run_page("pages/unrolling/page.py")
    print(f"AppTest first render (app.py + page, cold cache): {time.perf_counter() - start:6.2f} s")
    for label, change in (("rerun after t 4 -> 5", ("t", 5)), ("rerun after n 8 -> 9", ("n", 9))):
        slider = next(s for s in app.slider if s.key == change[0])
        start = time.perf_counter()
        slider.set_value(change[1]).run()
        print(f"AppTest {label}:                 {time.perf_counter() - start:6.2f} s")
    start = time.perf_counter()
    app.run()
    print(f"AppTest rerun, nothing changed:             {time.perf_counter() - start:6.2f} s")


if __name__ == "__main__":
    core_timings()
    print(f"plotly payload at defaults:           {payload(DEFAULTS) / 1e6:8.3f} MB")
    print(f"plotly payload at the largest values: {payload({**DEFAULTS, **LARGEST}) / 1e6:8.3f} MB")
    page_timings()

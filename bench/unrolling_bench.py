"""Figures for the unrolling page's core (the page's render, reruns and payload:
bench/pages.py).

Run: .venv/bin/python bench/unrolling_bench.py   (prints; never asserts)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pages import best_wall  # noqa: E402
from core import unrolling  # noqa: E402
from core.rnn import init_params, random_sequence  # noqa: E402
from views.unrolling.controls import CONTROLS  # noqa: E402

LARGEST = {control.key: control.max_value for control in CONTROLS}


def core_timings() -> None:
    for t in (12, 1000):
        microseconds = best_wall(lambda: unrolling.unfold(t)) * 1e6
        print(f"{f'unfold({t}):':38s}{microseconds:8.1f} µs")
    params = init_params(64, 64, 32, seed=0)
    xs, _ = random_sequence(60, 64, 32, seed=0)
    full = unrolling.unfold(60, max_levels=None)
    seconds = best_wall(lambda: unrolling.evaluate_unfolded(full, params, xs, 60))
    print(f"evaluate_unfolded(t=60, n=64):        {seconds * 1e3:8.2f} ms")
    lengths = (LARGEST["length_1"], LARGEST["length_2"], LARGEST["length_3"])
    seconds = best_wall(lambda: unrolling.run_sequences(64, 64, 32, 20, lengths, seed=0), 3)
    print(f"run_sequences(n=64, T=20, 3 x 200):   {seconds * 1e3:8.2f} ms")


if __name__ == "__main__":
    core_timings()

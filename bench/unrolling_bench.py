"""Figures for the unrolling page: core timings, then page render/rerun and plotly payload
through the generic bench/pages.py measure().

Run: .venv/bin/python bench/unrolling_bench.py   (prints; never asserts)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import unrolling  # noqa: E402
from core.rnn import init_params, random_sequence  # noqa: E402
from bench.pages import measure  # noqa: E402
from views.unrolling.controls import CONTROLS  # noqa: E402

SCRIPT = "views/unrolling/page.py"
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
        microseconds = best_of(lambda: unrolling.unfold(t)) * 1e6
        print(f"{f'unfold({t}):':38s}{microseconds:8.1f} µs")
    params = init_params(64, 64, 32, seed=0)
    xs, _ = random_sequence(60, 64, 32, seed=0)
    full = unrolling.unfold(60, max_levels=None)
    seconds = best_of(lambda: unrolling.evaluate_unfolded(full, params, xs, 60))
    print(f"evaluate_unfolded(t=60, n=64):        {seconds * 1e3:8.2f} ms")
    lengths = (LARGEST["length_1"], LARGEST["length_2"], LARGEST["length_3"])
    seconds = best_of(lambda: unrolling.run_sequences(64, 64, 32, 20, lengths, seed=0), 3)
    print(f"run_sequences(n=64, T=20, 3 x 200):   {seconds * 1e3:8.2f} ms")


if __name__ == "__main__":
    core_timings()
    largest = {key: str(value) for key, value in LARGEST.items()}
    for name, query in (("defaults", {}), ("largest", largest)):
        print(f"page at {name}: {measure(SCRIPT, query, ('t', 5))}")

"""Autoencoder page benchmarks (prints figures; asserts nothing).

1. Time for gradient descent to bring the largest principal angle on digits, k = 10, under
   1 degree (budget: 1 s): the first such iteration is found with an angle at every
   iteration, then a run of exactly that many iterations is timed.
2. The page's whole analysis (main run, non-uniform companion, checks) at the presets.
(The page's render, reruns and payload: bench/pages.py.)

    python bench/autoencoder_bench.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from core import autoencoder, autoencoder_analysis  # noqa: E402
from core.datasets import load_dataset  # noqa: E402
from views.autoencoder_pca.controls import PRESETS  # noqa: E402

REPEATS = 5


def timings(action, repeats: int = REPEATS) -> tuple[float, float]:
    """(best, median) wall time of action() over repeats, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def first_iteration_under(X, k: int, degrees: float, reference, longest: int) -> int:
    """The first t whose weights are within ``degrees`` of PCA's subspace, by bisection.

    Runs with T iterations share their first T steps (same seed, same automatic step), so
    the final angle of a T-iteration run is the angle at iteration T of any longer run.
    """
    def angle(t: int) -> float:
        return autoencoder.train_linear_autoencoder(
            X, k, iterations=t, reference=reference, snapshots=2).final_max_angle

    low, high = 0, longest  # angle(low) >= degrees > angle(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if angle(middle) < degrees else (middle, high)
    return high


def time_to_one_degree() -> None:
    X = load_dataset("digits")
    reference = autoencoder.pca_reference(X, 10)
    t1 = first_iteration_under(X, 10, 1.0, reference, 1500)
    best, median = timings(lambda: autoencoder.train_linear_autoencoder(
        X, 10, iterations=t1, reference=reference))
    with_pca = timings(lambda: autoencoder.train_linear_autoencoder(X, 10, iterations=t1))
    print(f"digits k = 10: largest angle < 1° from iteration {t1} (automatic step); "
          f"training that far: best {best * 1e3:.0f} ms, median {median * 1e3:.0f} ms "
          f"({best / t1 * 1e6:.0f} µs per iteration, 60 snapshots with their angles "
          f"included); with scikit-learn's PCA: best {with_pca[0] * 1e3:.0f} ms. Budget 1 s.")


def analysis_at_presets() -> None:
    for name, preset in PRESETS.items():
        X = load_dataset(preset["data"])
        best, median = timings(lambda: autoencoder_analysis.analyse(
            X, preset["k"], iterations=preset["iterations"],
            step_multiple=None if preset["step"] == "auto" else float(preset["step"]),
            init_scale=float(preset["scale"]), start=preset["start"],
            regularization=preset["reg"]), repeats=3)
        print(f"analysis, preset {name!r}: best {best:.3f} s, median {median:.3f} s")


if __name__ == "__main__":
    np.seterr(all="ignore")
    time_to_one_degree()
    analysis_at_presets()

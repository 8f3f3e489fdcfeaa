"""RNN lab (issue 6) core timings: a training run at the page's defaults must finish within 2 s
on this 2-core machine. Prints wall and CPU time (others share the CPU: the wall time
depends on the load, printed first), accuracies against chance, and the cost of the
truncation curve and of the one-unit cliff; then the page's own work at its defaults, part
by part (the three trainings, the checks of each network, the figures). Asserts nothing.

    python bench/rnn_lab_bench.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import training  # noqa: E402
from core.blas import one_blas_thread  # noqa: E402
from views.rnn_lab import computations, figures  # noqa: E402
from views.rnn_lab.controls import BATCH_SIZE, CONTROLS, EVAL_SIZE, SHORT_DELAY  # noqa: E402

REPEATS = 3


def timed(fn):
    """(result of the last call, best wall s, median wall s, best CPU s) over REPEATS calls."""
    walls, cpus = [], []
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, min(walls), float(np.median(walls)), min(cpus)


def main() -> None:
    print(f"load average (1, 5, 15 min): {os.getloadavg()}; budget: 2 s per training run")
    defaults = training.DEFAULTS
    print("defaults:", ", ".join(f"{k}={v}" for k, v in defaults.items()))
    runs = {}
    for task in ("recall", "adding"):
        for delay in (2, 30, 50):
            for cell in training.CELLS:
                run, best, median, cpu = timed(lambda: training.train(cell, task=task,
                                                                      delay=delay))
                runs[task, delay, cell] = run
                print(f"train {cell:4s} {task:6s} D={delay:2d} (T={delay + 1:2d}): wall best "
                      f"{best:.2f} s, median {median:.2f} s, CPU {cpu:.2f} s; "
                      f"held-out accuracy {run.eval_accuracy:.3f} (chance {run.chance:.2f}); "
                      f"||dL/dh_1|| at the end {run.dL_dh1_norm[-10:].mean():.1e}")
    for cell in training.CELLS:
        run = runs["recall", 30, cell]
        data = run.evaluation
        curve, best, _, _ = timed(lambda: training.truncation_error_curve(
            run.params, data.xs[:32], data.ys[:32], data.mask[:32]))
        shown = {int(k): f"{e:.1e}" for k, e in zip(curve.windows, curve.relative_error)
                 if k in (1, 10, 30, 31)}
        print(f"truncation_error_curve {cell} (trained, recall D=30, 32 sequences, k=1..31): "
              f"{best * 1e3:.0f} ms; relative error by k: {shown}")
    _, best, _, _ = timed(lambda: training.cliff_surface())
    print(f"cliff_surface (81 x 81 grid, T={training.CLIFF_LENGTH}): {best * 1e3:.0f} ms")
    for clip in (None, 1.0):
        descent, best, _, _ = timed(lambda: training.cliff_descent(clip=clip))
        jumps = np.linalg.norm(np.diff(descent.path, axis=0), axis=1)
        print(f"cliff_descent clip={clip} (60 steps): {best * 1e3:.0f} ms; largest step "
              f"{jumps.max():.2f}, max ||g|| {descent.grad_norm.max():.1f}, final loss "
              f"{descent.loss[-1]:.4f} (valley floor log 3 = {np.log(3):.4f})")

    page_parts()


def page_parts() -> None:
    """CPU seconds of what a change of setting recomputes on the page, at its defaults."""
    s = {c.key: c.default for c in CONTROLS}
    print(f"page defaults: {s}")
    runs = []
    for cell, delay in (("rnn", SHORT_DELAY), ("rnn", s["D"]), ("lstm", s["D"])):
        run, _, _, cpu = timed(lambda: training.train(
            cell, task=s["task"], delay=delay, n_hidden=s["n"], optimizer=s["opt"],
            learning_rate=s["lr"], n_steps=s["steps"], batch_size=BATCH_SIZE,
            truncation=s["k"] or None, clip=s["clip"] or None, seed=s["seed"],
            forget_bias=s["bf"], sigma=s["sigma"], eval_size=EVAL_SIZE))
        runs.append(run)
        print(f"page: train {cell:4s} D={delay:2d}: CPU {cpu:.3f} s, held-out accuracy "
              f"{run.eval_accuracy:.3f}")
    check_run = one_blas_thread(computations.check_run.__wrapped__)  # as diagnose runs it
    for run in runs[1:]:
        _, _, _, cpu = timed(lambda: check_run(run, (s["D"] + 1) // 2, run.config))
        print(f"page: checks of the {run.config['cell']:4s} (curve, two gradient checks, "
              f"ratios): CPU {cpu:.3f} s")
    curves = np.stack([r.loss for r in runs])
    _, _, _, cpu = timed(lambda: [figures.training_curves(["a", "b", "c"], curves, curves, 0.25)
                                  .to_dict() for _ in range(4)])
    print(f"page: four two-panel figures as specs: CPU {cpu * 1e3:.1f} ms")


if __name__ == "__main__":
    main()

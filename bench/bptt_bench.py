"""BPTT speed: core.rnn.bptt at T = 100, d = n = 32, c = 10 (budget: < 1 ms on one core,
and >= 5x faster than PyTorch autograd when torch is installed). Prints figures; asserts none.

    python bench/bptt_bench.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import bptt_analysis, rnn  # noqa: E402

T, d, n, c = 100, 32, 32, 10


def best_of(fn, repeats: int = 7, number: int = 200) -> float:
    """The fastest mean time per call (s) over `repeats` batches of `number` calls."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def torch_autograd_time(params: rnn.RNNParams, xs: np.ndarray, ys: np.ndarray):
    """The same loss and gradients with PyTorch autograd (float64, one thread), or None."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in params.arrays().items()}
    x, y = torch.tensor(xs), torch.tensor(ys)

    def step():
        for value in tensors.values():
            value.grad = None
        h = torch.zeros(n, dtype=torch.float64)
        states = []
        for t in range(T):
            h = torch.tanh(tensors["W_sh"] @ x[t] + tensors["W_hh"] @ h + tensors["b_h"])
            states.append(h)
        u = torch.stack(states) @ tensors["W_hz"].T + tensors["b_z"]
        loss = torch.nn.functional.cross_entropy(u, y, reduction="sum")
        loss.backward()
        return {k: v.grad.numpy() for k, v in tensors.items()}

    grads = step()
    exact = rnn.bptt(params, xs, ys).grads
    agree = max(np.max(np.abs(grads[k] - getattr(exact, k))) for k in grads)
    return best_of(step, repeats=5, number=20), agree, torch.__version__


def main() -> None:
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
    except ImportError:
        pass
    params = rnn.init_params(d, n, c, seed=0)
    xs, ys = rnn.random_sequence(T, d, c, seed=1)
    ours = best_of(lambda: rnn.bptt(params, xs, ys))
    print(f"core.rnn.bptt           T={T} d=n={n} c={c}: {ours * 1e3:.3f} ms (budget 1 ms)")
    print(f"core.rnn.forward        same sizes:          "
          f"{best_of(lambda: rnn.forward(params, xs)) * 1e3:.3f} ms")
    print(f"core.rnn.gradient_flow  same sizes:          "
          f"{best_of(lambda: rnn.gradient_flow(params, xs, ys), 3, 10) * 1e3:.2f} ms")
    print(f"bptt_analysis.analyse   same sizes, 40 entries per array checked: "
          f"{best_of(lambda: bptt_analysis.analyse(T, d, n, c), 3, 2) * 1e3:.0f} ms")
    torch_result = torch_autograd_time(params, xs, ys)
    if torch_result is None:
        print("PyTorch autograd: torch is not installed (pip install torch to compare)")
    else:
        seconds, agree, version = torch_result
        print(f"PyTorch {version} autograd, float64, 1 thread: {seconds * 1e3:.3f} ms "
              f"-> core.rnn.bptt is {seconds / ours:.1f}x faster (budget >= 5x); "
              f"max |gradient difference| {agree:.1e}")


if __name__ == "__main__":
    main()

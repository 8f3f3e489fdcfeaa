"""core.tasks: the recall and adding tasks against answers read off the inputs one by one."""

import numpy as np
import pytest

from core.tasks import TASKS, make_task


def answer_from_inputs(name, x, delay, n_symbols):
    """The correct class of one sequence x (T, d), by reading the markers in a plain loop."""
    T = x.shape[0]
    marked = [t for t in range(T) if x[t, -1] == 1.0]
    if name == "recall":
        assert marked == [T - 1 - delay]
        return int(np.flatnonzero(x[marked[0], :-1])[0])
    assert len(marked) == 2 and marked[0] == T - 1 - delay and T - delay <= marked[1] <= T - 1
    return int(round(sum(x[t, 0] * (n_symbols - 1) for t in marked)))


@pytest.mark.parametrize("name", TASKS)
@pytest.mark.parametrize("length,delay,n_symbols", [(3, 2, 4), (31, 30, 4), (12, 3, 2),
                                                    (2, 1, 7), (40, 10, 5)])
def test_targets_are_the_answers_read_off_the_inputs(name, length, delay, n_symbols):
    task = make_task(name, length=length, delay=delay, n_sequences=64, seed=3,
                     n_symbols=n_symbols)
    d = n_symbols + 1 if name == "recall" else 2
    c = n_symbols if name == "recall" else 2 * n_symbols - 1
    assert task.xs.shape == (64, length, d) and task.n_inputs == d
    assert task.ys.shape == task.mask.shape == (64, length)
    assert task.xs.dtype == task.mask.dtype == np.float64 and task.ys.dtype.kind == "i"
    assert task.n_classes == c and task.chance == pytest.approx(1 / n_symbols)
    expected_mask = np.zeros(length)
    expected_mask[-1] = 1.0
    assert np.all(task.mask == expected_mask)
    assert np.all(task.ys[:, :-1] == 0) and np.all((0 <= task.ys) & (task.ys < c))
    for x, y in zip(task.xs, task.ys[:, -1]):
        assert y == answer_from_inputs(name, x, delay, n_symbols)
    if name == "recall":  # exactly one token a step
        assert np.all(task.xs[:, :, :-1].sum(axis=2) == 1.0)
    else:  # numbers a / (K - 1) with a in {0..K-1}
        assert np.allclose(task.xs[:, :, 0] * (n_symbols - 1),
                           np.round(task.xs[:, :, 0] * (n_symbols - 1)))


@pytest.mark.parametrize("name", TASKS)
def test_chance_is_the_best_constant_guess(name):
    task = make_task(name, length=6, delay=4, n_sequences=40_000, seed=0, n_symbols=4)
    frequencies = np.bincount(task.ys[:, -1], minlength=task.n_classes) / 40_000
    assert frequencies.max() == pytest.approx(task.chance, abs=0.01)
    if name == "recall":
        assert np.allclose(frequencies, 0.25, atol=0.01)
    else:  # the sum of two uniform numbers: triangular, 1, 2, 3, 4, 3, 2, 1 out of 16
        assert np.allclose(frequencies, np.array([1, 2, 3, 4, 3, 2, 1]) / 16, atol=0.01)


@pytest.mark.parametrize("name", TASKS)
def test_seeded_and_reproducible(name):
    a = make_task(name, length=8, delay=3, n_sequences=5, seed=11)
    b = make_task(name, length=8, delay=3, n_sequences=5, seed=11)
    c = make_task(name, length=8, delay=3, n_sequences=5, seed=12)
    assert np.array_equal(a.xs, b.xs) and np.array_equal(a.ys, b.ys)
    assert not np.array_equal(a.xs, c.xs)


@pytest.mark.parametrize("kwargs", [
    dict(name="copy", length=5, delay=2), dict(name="recall", length=2, delay=2),
    dict(name="adding", length=5, delay=0), dict(name="recall", length=5, delay=2,
                                                   n_symbols=1),
])
def test_bad_arguments_are_refused(kwargs):
    kwargs = {"n_sequences": 3, "seed": 0, **kwargs}
    with pytest.raises(ValueError):
        make_task(**kwargs)

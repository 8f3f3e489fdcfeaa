"""core.gradcheck against functions with known derivatives."""

import numpy as np
import pytest

from core import gradcheck


def test_central_difference_of_known_functions():
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    numeric = gradcheck.central_difference(lambda a: float(np.sum(np.sin(a) * a**3)), x)
    exact = np.cos(x) * x**3 + 3 * np.sin(x) * x**2
    np.testing.assert_allclose(numeric, exact, rtol=1e-8, atol=1e-8)
    assert numeric.shape == x.shape


def test_central_difference_on_chosen_indices_leaves_x_untouched():
    x = np.arange(6.0)
    copy = x.copy()
    numeric = gradcheck.central_difference(lambda a: float(a @ a), x, np.array([1, 4]))
    np.testing.assert_allclose(numeric, [2.0, 8.0], rtol=1e-7)
    np.testing.assert_array_equal(x, copy)


def test_relative_error_formula():
    assert gradcheck.relative_error(1.0, 1.0) == 0.0
    assert gradcheck.relative_error(2.0, 1.0) == pytest.approx(0.5)
    assert gradcheck.relative_error(0.0, 0.0) == 0.0
    assert gradcheck.relative_error([3.0, 4.0], [0.0, 0.0]) == pytest.approx(1.0)


def test_check_gradients_catches_a_wrong_gradient():
    arrays = {"a": np.array([1.0, 2.0]), "b": np.array([[0.5]])}

    def loss_of(p):
        return float(np.sum(p["a"] ** 2) * p["b"][0, 0])

    right = {"a": 2 * arrays["a"] * 0.5, "b": np.array([[5.0]])}
    wrong = {"a": right["a"], "b": np.array([[5.1]])}
    good = gradcheck.check_gradients(loss_of, arrays, right)
    bad = gradcheck.check_gradients(loss_of, arrays, wrong)
    assert max(r["relative_error"] for r in good.values()) < 1e-9
    assert bad["b"]["relative_error"] > 1e-3


def test_sample_indices():
    rng = np.random.default_rng(0)
    np.testing.assert_array_equal(gradcheck.sample_indices(5, 10, rng), np.arange(5))
    chosen = gradcheck.sample_indices(100, 10, rng)
    assert chosen.size == 10 and np.unique(chosen).size == 10 and chosen.max() < 100

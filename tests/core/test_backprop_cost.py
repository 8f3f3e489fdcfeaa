"""core.backprop_cost: closed forms against instrumented runs and brute-force enumeration,
the three methods' gradients against each other and against central differences."""

import itertools
import time

import numpy as np
import pytest

from core import backprop_cost as bc
from core.gradcheck import central_difference, relative_error

SMALL = list(itertools.product((1, 2, 3), (1, 2, 3), (1, 2), (1, 2, 3, 4), (True, False)))


def layer_by_layer(method, d, n, c, L, bias):
    """An independent oracle: the counting model summed parameter by parameter, layer by layer."""
    widths = [d] + [n] * L + [c]
    total = 0
    for l in range(1, L + 2):
        rows, cols = widths[l], widths[l - 1]
        later = L - l  # hidden layers after layer l
        for is_bias in (False, True):
            if is_bias and not bias:
                continue
            count = rows * (1 if is_bias else cols)
            if method == "path_sum":
                paths = 1 if l == L + 1 else c * n**later
                factors = (0 if is_bias else 1) + (1 if l == L + 1 else 2 + 2 * later + 1)
                total += count * paths * (factors - 1)
            elif method == "forward_mode":
                per = c if l == L + 1 else n + later * (n * n + n) + c * n + c
                total += count * per
            else:  # backprop: the weight outer product, then delta into layer l - 1
                total += 0 if is_bias else rows * cols + (rows * cols + cols if l >= 2 else 0)
    return total


@pytest.mark.parametrize("d, n, c, L, bias", SMALL)
def test_closed_forms_equal_instrumented_counts(d, n, c, L, bias):
    mlp = bc.random_mlp(d, n, c, L, seed=d + n + c + L, bias=bias)
    x, g = bc.random_point(mlp, seed=1)
    for method in bc.METHODS:
        _, _, counted = bc.gradients(mlp, x, g, method)
        assert counted == bc.multiplications(method, d, n, c, L, bias), method


@pytest.mark.parametrize("sizes", [(4, 4, 3, 3), (5, 3, 2, 4), (2, 4, 4, 4), (6, 5, 3, 2)])
def test_wider_networks_count_exactly(sizes):
    mlp = bc.random_mlp(*sizes, seed=3)
    x, g = bc.random_point(mlp, seed=4)
    for method in bc.METHODS:
        assert bc.gradients(mlp, x, g, method)[2] == bc.multiplications(method, *sizes)


@pytest.mark.parametrize(
    "d, n, c, L", [(64, 64, 64, 30), (3, 1, 2, 30), (7, 2, 5, 17), (1, 64, 1, 1), (10, 33, 4, 9)]
)
def test_closed_forms_are_exact_ints_at_any_size(d, n, c, L):
    for bias in (True, False):
        for method in bc.METHODS:
            value = bc.multiplications(method, d, n, c, L, bias)
            assert type(value) is int
            assert value == layer_by_layer(method, d, n, c, L, bias), method
    assert bc.backprop_multiplications(d, n, c, L) == layer_by_layer("backprop", d, n, c, L, True)


@pytest.mark.parametrize("d, n, c, L", [(3, 5, 2, 1), (4, 2, 1, 3), (1, 3, 3, 2), (2, 2, 2, 4)])
@pytest.mark.parametrize("bias", [True, False])
def test_three_methods_agree_and_match_central_differences(d, n, c, L, bias):
    mlp = bc.random_mlp(d, n, c, L, seed=7, bias=bias)
    x, g = bc.random_point(mlp, seed=8)
    results = {m: bc.gradients(mlp, x, g, m) for m in bc.METHODS}
    reference = np.concatenate([bc.flat(results["backprop"][0]), bc.flat(results["backprop"][1])])
    for method, (dW, db, _) in results.items():
        assert [a.shape for a in dW] == [w.shape for w in mlp.weights]
        assert (db is None) == (not bias)
        if bias:
            assert [b.shape for b in db] == [b.shape for b in mlp.biases]
        assert relative_error(np.concatenate([bc.flat(dW), bc.flat(db)]), reference) < 1e-10
    # Central differences of J(theta) = g . u(theta), one array at a time.
    arrays = mlp.weights + (mlp.biases or [])
    grads = results["path_sum"][0] + (results["path_sum"][1] or [])
    for k, (array, grad) in enumerate(zip(arrays, grads)):
        def J(value, k=k):
            changed = list(arrays)
            changed[k] = value
            weights, biases = changed[: L + 1], changed[L + 1:] or None
            return float(g @ bc.forward(bc.MLP(weights, biases), x)[2])

        assert relative_error(grad, central_difference(J, array)) < 1e-7


@pytest.mark.parametrize("d, n, c, L", [(3, 5, 2, 1), (4, 4, 3, 3), (1, 7, 9, 6), (64, 64, 64, 30)])
def test_parameter_count_equals_array_sizes(d, n, c, L):
    for bias in (True, False):
        mlp = bc.random_mlp(d, n, c, L, bias=bias)
        sizes = sum(a.size for a in mlp.weights + (mlp.biases or []))
        assert bc.parameter_count(d, n, c, L, bias) == sizes == mlp.size
    assert mlp.weights[0].shape == (n, d) and mlp.weights[-1].shape == (c, n)


@pytest.mark.parametrize("n", [2, 4, 8])
def test_path_over_backprop_grows_about_n_per_layer(n):
    ratios = [
        bc.path_sum_multiplications(3, n, 2, L) / bc.backprop_multiplications(3, n, 2, L)
        for L in range(1, 26)
    ]
    growth = np.array(ratios[1:]) / np.array(ratios[:-1])
    assert np.all(growth > 1.0) and np.all(np.abs(growth[2:] / n - 1) < 0.15)
    assert abs(growth[-1] / n - 1) < 0.05  # tends to n: exponential against linear


def test_backprop_linear_forward_mode_quadratic_in_depth():
    bp = np.array([bc.backprop_multiplications(3, 5, 2, L) for L in range(1, 12)])
    fm = np.array([bc.forward_mode_multiplications(3, 5, 2, L) for L in range(1, 12)])
    assert np.all(np.diff(bp, 2) == 0) and np.all(np.diff(bp) > 0)
    assert np.all(np.diff(fm, 3) == 0) and np.all(np.diff(fm, 2) > 0)


@pytest.mark.parametrize("n, c, L", [(1, 1, 1), (2, 3, 3), (3, 2, 4), (4, 1, 2)])
def test_path_counts_by_brute_force(n, c, L):
    for layer in range(1, L + 2):
        enumerated = bc.paths_from_unit(n, c, L, layer)
        # An independent enumeration: every choice of one unit per later layer.
        later = [range(n)] * (L - layer) + ([range(c)] if layer <= L else [])
        expected = [(0, *rest) for rest in itertools.product(*later)]
        assert [tuple(row) for row in enumerated] == expected
        assert len(expected) == bc.path_count(5, n, c, L, layer)
    inputs_to_outputs = itertools.product(range(5), *[range(n)] * L, range(c))
    assert sum(1 for _ in inputs_to_outputs) == bc.path_count(5, n, c, L)


def test_seed_answers_and_their_slips():
    d, n, c, L = 5, 4, 3, 6
    seed = bc.seed_answers(d, n, c, L)
    assert all(type(v) is int for v in seed.values())
    # Slip 5: cn written for the input layer, biases omitted: right only when d = c, no bias.
    assert seed["parameters"] - bc.parameter_count(d, n, c, L) == (c - d) * n - (L * n + c)
    assert bc.seed_answers(3, 4, 3, 6)["parameters"] == bc.parameter_count(3, 4, 3, 6, bias=False)
    # Slip 6: two multiplications per weight, 2m for the delta: off by n d + n L, still linear.
    assert seed["backprop"] - bc.backprop_multiplications(d, n, c, L) == n * d + n * L
    steps = bc.backprop_steps(d, n, c, L)
    assert sum(s["times"] * (s["weights"] + s["delta"]) for s in steps) == (
        bc.backprop_multiplications(d, n, c, L))
    assert sum(s["times"] * (s["seed_weights"] + s["seed_delta"]) for s in steps) == seed["backprop"]
    # Slip 7: the seed's total is far below the real path-summation count.
    assert seed["path_sum"] < bc.path_sum_multiplications(d, n, c, L) / 10


def test_deep_runs_are_refused_before_they_start():
    mlp = bc.random_mlp(8, 16, 4, 30)
    x, g = bc.random_point(mlp)
    assert bc.forward_mode_multiplications(8, 16, 4, 30) > bc.MAX_MULTIPLICATIONS
    start = time.perf_counter()
    for method in ("path_sum", "forward_mode"):
        with pytest.raises(ValueError, match="multiplications"):
            bc.gradients(mlp, x, g, method)
    assert time.perf_counter() - start < 0.5
    assert bc.gradients(mlp, x, g, "backprop")[2] == bc.backprop_multiplications(8, 16, 4, 30)


def test_sweep_runs_only_what_is_affordable():
    result = bc.sweep(8, 8, 4, 30, vary="L", values=range(1, 31), budget=10**5)
    assert result.values.tolist() == list(range(1, 31))
    for method in bc.METHODS:
        formula = np.array(result.formula[method], dtype=float)
        ran = np.isfinite(result.counted[method])
        assert np.array_equal(ran, formula <= 10**5)
        assert np.array_equal(result.counted[method][ran], formula[ran])
        assert np.all(result.seconds[method][ran] > 0)
    assert result.counted["backprop"].size == 30 and np.isfinite(result.counted["backprop"]).all()
    assert 1 <= np.isfinite(result.counted["path_sum"]).sum() <= 3
    widths = bc.sweep(3, 4, 2, 2, vary="n", values=[1, 2, 64])
    assert widths.formula["backprop"][2] == bc.backprop_multiplications(3, 64, 2, 2)


@pytest.mark.parametrize("sizes", [(4, 4, 3, 3), (64, 64, 64, 30), (1, 1, 1, 1)])
def test_agreement_checks_an_affordable_network(sizes):
    result = bc.agreement(*sizes)
    assert all(bc.affordable(m, *result.sizes) for m in bc.METHODS)
    assert result.counted == result.formula
    assert max(result.errors.values()) < 1e-10
    assert result.finite_difference_error < 1e-6
    if sizes == (4, 4, 3, 3):
        assert result.sizes == sizes


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3"])
def test_bad_sizes_raise(bad):
    with pytest.raises(ValueError):
        bc.parameter_count(bad, 2, 2, 2)
    with pytest.raises(ValueError):
        bc.path_sum_multiplications(2, 2, 2, bad)


def test_bad_method_and_shapes_raise():
    mlp = bc.random_mlp(2, 3, 2, 2)
    x, g = bc.random_point(mlp)
    with pytest.raises(ValueError, match="method"):
        bc.gradients(mlp, x, g, "symbolic")
    with pytest.raises(ValueError, match="shape"):
        bc.gradients(mlp, np.zeros(3), g, "backprop")
    with pytest.raises(ValueError):
        bc.path_count(2, 3, 2, 2, layer=4)

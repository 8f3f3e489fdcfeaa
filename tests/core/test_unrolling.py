"""core.unrolling against independent oracles: a parse of the LaTeX, hand-built arrays, numpy."""

import re

import numpy as np
import pytest

from core import unrolling
from core.rnn import RNNParams, forward, init_params, random_sequence

F = r"F_\theta("


def depth_profile(latex: str) -> list[int]:
    """The running parenthesis depth over the string (an independent bracket scan)."""
    depth, profile = 0, []
    for char in latex:
        depth += {"(": 1, ")": -1}.get(char, 0)
        profile.append(depth)
    return profile


def as_tree(latex: str, t: int | None = None):
    """The expression turned into Python and evaluated with F = a tuple builder (oracle)."""
    rhs = latex.split(" = ", 1)[1]
    code = rhs.replace(F, "F(")
    code = re.sub(r"([hx])_\{([^{}]*)\}", r"('\1', \2)", code)
    return eval(code, {"F": lambda h, x: ("F", h, x), "t": t})


def nested_tree(base, inputs):
    """F(...F(F(base, x_{i0}), x_{i1})..., x_{ik}) built by a loop: the expected nesting."""
    tree = base
    for k in inputs:
        tree = ("F", tree, ("x", k))
    return tree


def one_step(params: RNNParams, h: np.ndarray, x: np.ndarray) -> np.ndarray:
    """F_theta written out with numpy, independently of core.rnn."""
    return np.tanh(params.W_sh @ x + params.W_hh @ h + params.b_h)


def evaluate_tree(tree, params, xs, h0):
    if tree[0] == "h":
        assert tree[1] == 0
        return h0
    _, inner, (_, k) = tree
    return one_step(params, evaluate_tree(inner, params, xs, h0), xs[k - 1])


@pytest.mark.parametrize("t", range(0, 13))
def test_unfold_is_t_nested_copies_with_indices_in_order(t):
    latex = unrolling.unfold(t)
    profile = depth_profile(latex)
    assert min(profile, default=0) >= 0 and (not profile or profile[-1] == 0)
    assert latex.count(r"F_\theta") == t
    assert latex.count("h_{0}") == 1
    indices = [int(k) for k in re.findall(r"x_\{(\d+)\}", latex)]
    assert indices == list(range(1, t + 1))
    assert max(profile, default=0) == t
    if t == 0:
        assert latex == "h_{0}"
    else:
        assert latex.startswith(f"h_{{{t}}} = ")
        assert as_tree(latex) == nested_tree(("h", 0), range(1, t + 1))


@pytest.mark.parametrize("t", [13, 20, 60, 1000])
def test_unfold_elides_the_middle_with_the_count_of_hidden_levels(t):
    latex = unrolling.unfold(t)
    profile = depth_profile(latex)
    assert min(profile) >= 0 and profile[-1] == 0
    hidden = int(re.search(r"_\{(\d+)\\ \\text\{levels hidden\}\}", latex).group(1))
    shown = latex.count(r"F_\theta")
    assert shown + hidden == t and shown < 13
    assert r"\cdots" in latex
    indices = [int(k) for k in re.findall(r"x_\{(\d+)\}", latex)]
    assert indices == sorted(indices) and indices[0] == 1 and indices[-1] == t
    assert len(indices) == shown


def test_unfold_in_full_on_request_and_rejects_negative_t():
    latex = unrolling.unfold(30, max_levels=None)
    assert latex.count(r"F_\theta") == 30 and r"\cdots" not in latex
    with pytest.raises(ValueError):
        unrolling.unfold(-1)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 7])
def test_unfold_back_reaches_h_t_minus_k(k):
    latex = unrolling.unfold_back(k)
    t = 10
    assert as_tree(latex, t) == nested_tree(("h", t - k), range(t - k + 1, t + 1))
    assert latex.count(r"F_\theta") == k


@pytest.mark.parametrize("seed", range(4))
def test_evaluated_unfolding_is_the_forward_pass(seed):
    rng = np.random.default_rng(seed)
    d, n, c, T = (int(v) for v in rng.integers(1, 9, size=4))
    params = init_params(d, n, c, sigma=1.3, seed=seed)
    xs, _ = random_sequence(T, d, c, seed=seed)
    h0 = rng.normal(size=n)
    expected = forward(params, xs, h0).h
    for t in range(1, T + 1):
        latex = unrolling.unfold(t, max_levels=None)
        value = unrolling.evaluate_unfolded(latex, params, xs, t, h0)
        oracle = evaluate_tree(as_tree(latex), params, xs, h0)
        np.testing.assert_allclose(value, oracle, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(value, expected[t - 1], rtol=1e-12, atol=1e-14)
    assert unrolling.unfolding_error(unrolling.unfold_back(min(T, 3)), params, xs, T, T,
                                     h0) < 1e-12


def test_the_seeds_fourth_line_cannot_be_computed_and_its_fix_can():
    params = init_params(3, 4, 2, seed=1)
    xs, _ = random_sequence(6, 3, 2, seed=1)
    line_4 = r"= F_\theta(F_\theta(F_\theta(h_{t-4}, x_{t-3}), x_{t-2}), x_{t-1}, x_t)"
    with pytest.raises(unrolling.MalformedUnfolding, match="3"):
        unrolling.evaluate_unfolded(line_4, params, xs, 6)
    assert unrolling.unfolding_error(unrolling.unfold_back(4), params, xs, 6, 6) < 1e-12
    # Dropping the extra x_t leaves three levels: h_{t-1}, not h_t.
    three = r"= F_\theta(F_\theta(F_\theta(h_{t-4}, x_{t-3}), x_{t-2}), x_{t-1})"
    assert unrolling.unfolding_error(three, params, xs, 6, 5) < 1e-12
    assert unrolling.unfolding_error(three, params, xs, 6, 6) > 1e-3


@pytest.mark.parametrize("expression", [
    r"F_\theta(x_1, h_0)",  # arguments swapped
    r"F_\theta(h_0, h_1)",  # a state where the input goes
    r"F_\theta(h_0, x_1",  # unclosed
    r"F_\theta(h_0, x_1))",  # one ")" too many
    r"F_\theta(h_0, x_{9})",  # past the end of the sequence
    r"F_\theta(h_0, x_{q})",  # unreadable index
    unrolling.unfold(20),  # elided
])
def test_malformed_expressions_are_reported_not_crashed(expression):
    params = init_params(2, 3, 2, seed=0)
    xs, _ = random_sequence(4, 2, 2, seed=0)
    with pytest.raises(unrolling.MalformedUnfolding):
        unrolling.evaluate_unfolded(expression, params, xs, 4)


def test_a_wrong_order_is_computed_and_is_not_h_t():
    params = init_params(2, 3, 2, seed=0)
    xs, _ = random_sequence(4, 2, 2, seed=0)
    swapped = r"F_\theta(F_\theta(h_{t-2}, x_t), x_{t-1})"
    assert unrolling.unfolding_error(swapped, params, xs, 4, 4) > 1e-3


def hand_built_arrays(d, n, c) -> list[np.ndarray]:
    """The five arrays of the design doc's RNN, from their shapes alone."""
    return [np.empty((n, d)), np.empty((n, n)), np.empty(n), np.empty((c, n)), np.empty(c)]


@pytest.mark.parametrize("seed", range(6))
def test_counts_are_the_summed_sizes_of_real_arrays(seed):
    rng = np.random.default_rng(100 + seed)
    d, n, c = (int(v) for v in rng.integers(1, 40, size=3))
    T = int(rng.integers(0, 25))
    shared = unrolling.shared_parameter_count(d, n, c)
    assert shared == sum(a.size for a in hand_built_arrays(d, n, c))
    assert shared == init_params(d, n, c, seed=seed).size
    steps = unrolling.unshared_params(d, n, c, T, seed=seed)
    assert len(steps) == T
    unshared = unrolling.unshared_parameter_count(d, n, c, T)
    assert unshared == sum(a.size for step in steps for a in step.arrays().values())
    assert unshared == T * sum(a.size for a in hand_built_arrays(d, n, c))
    if T >= 2:  # every step really has its own arrays
        assert not np.allclose(steps[0].W_hh, steps[1].W_hh)


def test_counts_reject_impossible_sizes():
    with pytest.raises(ValueError):
        unrolling.shared_parameter_count(0, 3, 2)
    with pytest.raises(ValueError):
        unrolling.unshared_parameter_count(2, 3, 2, -1)


def test_unshared_network_runs_up_to_its_length_and_explains_beyond():
    d, n, c, T = 3, 5, 2, 4
    steps = unrolling.unshared_params(d, n, c, T, seed=3)
    xs, _ = random_sequence(6, d, c, seed=3)
    h = np.zeros(n)
    for t in range(T):  # oracle: numpy, step by step, each with its own arrays
        h = one_step(steps[t], h, xs[t])
    np.testing.assert_allclose(unrolling.unshared_forward(steps, xs[:T])[-1], h, rtol=1e-12)
    with pytest.raises(unrolling.SequenceTooLong, match="5..6"):
        unrolling.unshared_forward(steps, xs)


def test_tied_unshared_network_is_the_shared_rnn():
    params = init_params(3, 5, 2, sigma=1.5, seed=4)
    xs, _ = random_sequence(9, 3, 2, seed=4)
    np.testing.assert_allclose(unrolling.unshared_forward((params,) * 9, xs),
                               forward(params, xs).h, rtol=1e-12, atol=1e-15)


def test_run_sequences_maps_every_length_to_n_numbers():
    lengths = (1, 7, 30)
    run = unrolling.run_sequences(4, 6, 3, 7, lengths, sigma=0.9, seed=5)
    assert [h.shape for h in run.states] == [(L, 6) for L in lengths]
    assert run.finals.shape == (3, 6)
    for xs, h in zip(run.sequences, run.states):
        np.testing.assert_allclose(forward(run.params, xs).h, h)
    assert isinstance(run.unshared_states[0], np.ndarray)
    assert isinstance(run.unshared_states[1], np.ndarray)
    assert isinstance(run.unshared_states[2], str) and "8..30" in run.unshared_states[2]
    assert run.tied_error < 1e-12
    # The sequences are distinct draws, not prefixes of one another.
    assert not np.allclose(run.sequences[1][:1], run.sequences[0])


def test_states_table_lists_every_state_once():
    run = unrolling.run_sequences(2, 3, 2, 2, (2, 5), seed=0)
    table = run.states_table()
    assert list(table) == ["sequence", "t", "h_1", "h_2", "h_3"]
    np.testing.assert_array_equal(table["sequence"], [1, 1, 2, 2, 2, 2, 2])
    np.testing.assert_array_equal(table["t"], [1, 2, 1, 2, 3, 4, 5])
    np.testing.assert_array_equal(table["h_2"][2:], run.states[1][:, 1])

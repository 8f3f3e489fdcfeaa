"""The unrolling page's cached work: the runs, the graded unfoldings and the figures."""

import numpy as np
import streamlit as st

from core import unrolling
from core.rnn import random_sequence
from views.frozen_figure import frozen
from views.unrolling import figures, text
from views.slots import computation

SEED_DEPTH = 4  # the seed's fourth line reaches back to h_{t-4}
T_AXIS = np.arange(1, 101)  # the T range of the parameter-count chart
CORRECT = 1e-12  # a line whose relative error is below this equals h_t


def grade(expression: str, params, xs: np.ndarray, t: int, step: int) -> tuple[bool, str]:
    """(correct?, evidence) of one written unfolding against the forward pass."""
    try:
        error = unrolling.unfolding_error(expression, params, xs, t, step)
    except unrolling.MalformedUnfolding as problem:
        return False, f"cannot be computed: {problem}"
    return error <= CORRECT, f"relative error against $h_{{{step}}}$: {error:.1e}"


@computation(st.cache_data, max_entries=64, show_spinner="Running the RNNs…", show_time=True)
def compute(t: int, T: int, d: int, n: int, c: int, sigma: float, seed: int,
            lengths: tuple[int, ...]) -> dict:
    """Everything the page shows, from small scalars only."""
    run = unrolling.run_sequences(d, n, c, T, lengths, sigma=sigma, seed=seed)
    t_seed = max(t, SEED_DEPTH)
    xs, _ = random_sequence(t_seed, d, c, seed=np.random.SeedSequence([seed, 2]))
    seed_grades = [grade(line, run.params, xs, t_seed, t_seed) for line in text.SEED_LINES]
    finally_grades = [grade(line, run.params, xs, t_seed, step)
                      for line, step in zip(text.SEED_FINALLY, (2, 1))]
    shared = unrolling.shared_parameter_count(d, n, c)
    return dict(
        run=run,
        t_seed=t_seed,
        seed_grades=seed_grades,
        finally_grades=finally_grades,
        corrected_grade=grade(unrolling.unfold_back(SEED_DEPTH), run.params, xs, t_seed, t_seed),
        read_grade=grade(text.SEED_LINE_4_READ, run.params, xs, t_seed, t_seed),
        read_as_previous=unrolling.unfolding_error(
            text.SEED_LINE_4_READ, run.params, xs, t_seed, t_seed - 1),
        unfold_error=unrolling.unfolding_error(unrolling.unfold(t, None), run.params, xs, t, t),
        shared=shared,
        shared_arrays=run.params.size,
        unshared=unrolling.unshared_parameter_count(d, n, c, T),
        unshared_arrays=sum(step.size for step in run.unshared),
        unshared_curve=np.array([unrolling.unshared_parameter_count(d, n, c, k) for k in T_AXIS]),
    )


@computation(st.cache_resource, max_entries=16,
             show_spinner="Drawing the graph…", show_time=True)
def graph(T: int, d: int, n: int, c: int):
    """The folded/unrolled graph, built once per shape (it does not depend on the weights)."""
    return frozen(figures.graph_figure(T, d, n, c))


@computation(st.cache_resource, max_entries=16,
             show_spinner="Drawing the figures…", show_time=True)
def data_figures(_result, *settings) -> tuple:
    """States, final states and parameter counts of ``_result``, :func:`compute` of these
    settings (keyed on the settings)."""
    result = _result
    run, T = result["run"], settings[1]
    return frozen((
        figures.states_figure(list(run.states)),
        figures.final_states_figure(run.finals, np.array([h.shape[0] for h in run.states])),
        figures.parameter_count_figure(T_AXIS, np.full(T_AXIS.shape, result["shared"]),
                                       result["unshared_curve"], T),
    ))

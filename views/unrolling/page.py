"""Unrolling and parameter sharing (seed question 2): the page script."""

import numpy as np
import streamlit as st

from core import unrolling
from core.rnn import random_sequence
from views.frozen_figure import frozen
from views.common.controls import control_panel
from views.common.downloads import csv_bytes
from views.common.layout import chart, header
from views.unrolling import figures, text
from views.unrolling.controls import CONTROLS, PRESETS

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


@st.cache_data(max_entries=64, show_spinner=False)
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


@st.cache_resource(max_entries=16, show_spinner=False)
def graph(T: int, d: int, n: int, c: int):
    """The folded/unrolled graph, built once per shape (it does not depend on the weights)."""
    return frozen(figures.graph_figure(T, d, n, c))


@st.cache_resource(max_entries=16, show_spinner=False)
def data_figures(*settings) -> tuple:
    """States, final states and parameter counts for the settings of :func:`compute`."""
    result = compute(*settings)
    run, T = result["run"], settings[1]
    return frozen((
        figures.states_figure(list(run.states)),
        figures.final_states_figure(run.finals, np.array([h.shape[0] for h in run.states])),
        figures.parameter_count_figure(T_AXIS, np.full(T_AXIS.shape, result["shared"]),
                                       result["unshared_curve"], T),
    ))


notices = header(text.TITLE, text.STATEMENT)
values = control_panel(CONTROLS, PRESETS, notices)
t, T, d, n, c = (values[key] for key in ("t", "T", "d", "n", "c"))
lengths = tuple(values[f"length_{i}"] for i in (1, 2, 3))
settings = (t, T, d, n, c, values["sigma"], values["seed"], lengths)
result = compute(*settings)
states_chart, finals_chart, counts_chart = data_figures(*settings)
run = result["run"]

columns = st.columns(4)
columns[0].metric("Parameters, shared (any T)", f"{result['shared']:,}")
columns[1].metric(f"Parameters, unshared at T = {T}", f"{result['unshared']:,}",
                  help="Its own W_sh, W_hh, b_h, W_hz, b_z at every step.")
columns[2].metric("Size of h_T, for every length", n)
columns[3].metric(f"Unfolded h_{t} vs forward pass", f"{result['unfold_error']:.1e}",
                  help="Relative error of the written unfolding, computed step by step.")

st.header(text.UNFOLD_HEADER)
st.markdown(text.UNFOLD_INTRO)
ours, seeds = st.columns(2)
with ours:
    st.caption(text.OURS_CAPTION)
    st.latex(text.wrap_unfolded(unrolling.unfold(t)))
with seeds:
    st.caption(text.SEED_CAPTION)
    st.latex(text.seed_block([correct for correct, _ in result["seed_grades"]]))
with st.container(border=True):
    st.markdown(text.SLIP_4)
    st.latex(text.SEED_LINE_4_CORRECTED)

st.header(text.GRAPH_HEADER)
st.markdown(text.GRAPH_INTRO)
chart(graph(T, d, n, c),
      f"T = {T} copies; W_sh {n}×{d}, W_hh {n}×{n}, W_hz {c}×{n}: the same three arrays in "
      f"every copy, {result['shared']:,} parameters with the biases.", key="graph")

st.header(text.SEQUENCES_HEADER)
st.markdown(text.SEQUENCES_INTRO)
chart(states_chart,
      "Lengths " + ", ".join(map(str, lengths)) + f": one θ, states in [−1, 1] (tanh).",
      key="states")
chart(finals_chart,
      f"{len(lengths)} final states, each of size n = {n}: {figures.numbers(n)} whatever the "
      "length.", key="finals")
st.download_button("Download every state h_t (CSV)",
                   lambda: csv_bytes(run.states_table()),
                   file_name="unrolling_states.csv", mime="text/csv", on_click="ignore")
st.markdown(text.UNSHARED_INTRO.format(T=T))
final_state = f"✓ final state: {figures.numbers(n)}"
st.dataframe(
    [{"sequence": i + 1, "length": L, "shared RNN": final_state,
      f"unshared, built for T = {T}": (final_state if isinstance(out, np.ndarray)
                                       else f"✗ cannot run: {out}")}
     for i, (L, out) in enumerate(zip(lengths, run.unshared_states))],
    hide_index=True, width="stretch",
)
with st.container(border=True):
    st.markdown(text.REASON_1.format(lengths=", ".join(map(str, lengths)), T=T))

st.header(text.COUNT_HEADER)
st.latex(text.count_shared(result["shared"]))
st.latex(text.count_unshared(T, result["shared"]))
chart(counts_chart,
      f"Shared: {result['shared']:,} for every T; unshared: T × {result['shared']:,}, "
      f"{result['unshared']:,} at T = {T}.", key="counts")
with st.container(border=True):
    st.markdown(text.REASON_2.format(lengths=", ".join(map(str, lengths)), n=n,
                                     shared=result["shared"]))

st.header(text.DERIVATION_HEADER)
why = text.DERIVATION_T_RAISED if t < SEED_DEPTH else ""
st.markdown(text.DERIVATION_INTRO.format(t=result["t_seed"], why=why))
read_evidence = result["read_grade"][1] + text.READ_IS_PREVIOUS.format(
    error=result["read_as_previous"])
rows = (  # (label, LaTeX, (correct?, evidence), what a wrong line is called)
    [(f"Line {i}", line, g, f"slip {i}") for i, (line, g) in
     enumerate(zip(text.SEED_LINES, result["seed_grades"]), 1)]
    + [("Line 4, corrected", unrolling.unfold_back(SEED_DEPTH), result["corrected_grade"],
        "wrong"),
       ("Line 4 with its extra $x_t$ dropped", text.SEED_LINE_4_READ,
        (result["read_grade"][0], read_evidence), "wrong")]
    + [(f"Finally, $h_{step}$", line, g, "wrong") for step, line, g in
       zip((2, 1), text.SEED_FINALLY, result["finally_grades"])]
)
for label, line, (correct, evidence), wrong in rows:
    left, right = st.columns([3, 2])
    left.latex(line)
    badge = ":green-badge[✓ correct]" if correct else f":red-badge[✗ {wrong}]"
    right.markdown(f"**{label}** {badge}  \n{evidence}")
st.markdown(text.REASONS_GRADE)

st.header(text.CHECK_HEADER)
st.markdown(text.CHECK_INTRO)
checks = st.columns(3)
checks[0].metric(f"unfold({t}) computed vs forward h_{t}", f"{result['unfold_error']:.1e}")
checks[1].metric("Counts: formula − summed array sizes",
                 f"{result['shared'] - result['shared_arrays']} and "
                 f"{result['unshared'] - result['unshared_arrays']}",
                 help=f"Shared {result['shared_arrays']:,} entries in 5 arrays; unshared "
                      f"{result['unshared_arrays']:,} entries in {5 * T} arrays.")
checks[2].metric("Tied unshared vs shared RNN", f"{run.tied_error:.1e}",
                 help="Every step's arrays set to θ: the unshared network is the RNN.")

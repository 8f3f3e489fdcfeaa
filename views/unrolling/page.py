"""Unrolling and parameter sharing (seed question 2): the page script."""

import numpy as np
import streamlit as st

from core import unrolling
from views.common.controls import control_panel
from views.common.derivation import display_math, ruled_box
from views.common.downloads import csv_button
from views.common.tables import markdown_table
from views.common.layout import chart, header, metric_row, section
from views.unrolling import figures, text
from views.unrolling.controls import CONTROLS, PRESETS
from views.unrolling.computations import SEED_DEPTH, compute, data_figures, graph

notices = header(text.TITLE, text.STATEMENT)
values = control_panel(CONTROLS, PRESETS, notices)
t, T, d, n, c = (values[key] for key in ("t", "T", "d", "n", "c"))
lengths = tuple(values[f"length_{i}"] for i in (1, 2, 3))
settings = (t, T, d, n, c, values["sigma"], values["seed"], lengths)
result = compute(*settings)
states_chart, finals_chart, counts_chart = data_figures(result, *settings)
run = result["run"]

metrics = metric_row()
metrics.metric("Parameters, shared (any T)", f"{result['shared']:,}")
metrics.metric(f"Parameters, unshared at T = {T}", f"{result['unshared']:,}",
               help="Its own W_sh, W_hh, b_h, W_hz, b_z at every step.")
metrics.metric("Size of h_T, for every length", n)
metrics.metric(f"Unfolded h_{t} vs forward pass", f"{result['unfold_error']:.1e}",
               help="Relative error of the written unfolding, computed step by step.")

section(text.UNFOLD_HEADER, text.UNFOLD_INTRO)
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

section(text.GRAPH_HEADER, text.GRAPH_INTRO)
chart(graph(T, d, n, c),
      f"T = {T} copies; W_sh {n}×{d}, W_hh {n}×{n}, W_hz {c}×{n}: the same three arrays in "
      f"every copy, {result['shared']:,} parameters with the biases.", key="graph")

section(text.SEQUENCES_HEADER, text.SEQUENCES_INTRO)
chart(states_chart,
      "Lengths " + ", ".join(map(str, lengths)) + ": one θ, states in [−1, 1] (tanh).",
      key="states")
chart(finals_chart,
      f"{len(lengths)} final states, each of size n = {n}: {figures.numbers(n)} whatever the "
      "length.", key="finals")
csv_button("Download every state h_t (CSV)", "unrolling_states.csv", run.states_table)
final_state = f"✓ final state: {figures.numbers(n)}"
st.markdown(text.UNSHARED_INTRO.format(T=T) + "\n\n" + markdown_table(
    [{"sequence": i + 1, "length": L, "shared RNN": final_state,
      f"unshared, built for T = {T}": (final_state if isinstance(out, np.ndarray)
                                       else f"✗ cannot run: {out}")}
     for i, (L, out) in enumerate(zip(lengths, run.unshared_states))]))
with st.container(border=True):
    st.markdown(text.REASON_1.format(lengths=", ".join(map(str, lengths)), T=T))

section(text.COUNT_HEADER, display_math(text.count_shared(result["shared"])),
        display_math(text.count_unshared(T, result["shared"])))
chart(counts_chart,
      f"Shared: {result['shared']:,} for every T; unshared: T × {result['shared']:,}, "
      f"{result['unshared']:,} at T = {T}.", key="counts")
with st.container(border=True):
    st.markdown(text.REASON_2.format(lengths=", ".join(map(str, lengths)), n=n,
                                     shared=result["shared"]))

why = text.DERIVATION_T_RAISED if t < SEED_DEPTH else ""
section(text.DERIVATION_HEADER, text.DERIVATION_INTRO.format(t=result["t_seed"], why=why))
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
graded = [
    f"**{label}** " + (":green-badge[✓ correct]" if correct else f":red-badge[✗ {wrong}]")
    + f"\n\n{display_math(line)}\n\n{evidence}"
    for label, line, (correct, evidence), wrong in rows
]
ruled_box(graded)
st.markdown(text.REASONS_GRADE)

section(text.CHECK_HEADER, text.CHECK_INTRO)
checks = metric_row()
checks.metric(f"unfold({t}) computed vs forward h_{t}", f"{result['unfold_error']:.1e}")
checks.metric("Counts: formula − summed array sizes",
              f"{result['shared'] - result['shared_arrays']} and "
              f"{result['unshared'] - result['unshared_arrays']}",
              help=f"Shared {result['shared_arrays']:,} entries in 5 arrays; unshared "
                   f"{result['unshared_arrays']:,} entries in {5 * T} arrays.")
checks.metric("Tied unshared vs shared RNN", f"{run.tied_error:.1e}",
              help="Every step's arrays set to θ: the unshared network is the RNN.")

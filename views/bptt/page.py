"""Backpropagation through time in the seed's tanh RNN (question 1)."""

import numpy as np
import streamlit as st

from core import bptt_analysis
from views.bptt import text
from views.common import layout
from views.common.derivation import display_math, render_steps
from views.common.downloads import csv_button
from views.common.tables import markdown_table
from views.bptt.controls import CONTROLS, PRESETS, step_control
from views.common.controls import control_panel, render_controls
from views.bptt.computations import analyse, heatmaps, main_figures

notices = layout.header("Backpropagation through time", text.STATEMENT)
settings = control_panel(CONTROLS, PRESETS, notices)
a, norms = analyse(**settings)
T = settings["T"]

st.latex(text.MODEL)
cells = layout.metric_row()
cells.metric("loss L", f"{a.result.loss:.4g}")
cells.metric("‖∂L/∂h₁‖ / ‖∂L/∂h_T‖", f"{a.adjoint_ratio:.3g}")
cells.metric("σ_max(W_hh)", f"{a.sigma_max:.3g}")
cells.metric("spectral radius ρ(W_hh)", f"{a.spectral_radius:.3g}")
cells.metric("regime", a.regime, delta=f"gain {a.gain:.3g} per step", delta_color="off",
             delta_arrow="off",
             help="Per-step gain ‖∂h_T/∂h₁‖^(1/(T−1)): below 0.95 vanishing, above 1.05 "
                  "exploding. With a loss at every step, ‖∂L/∂h₁‖ stays near ‖∂L/∂h_T‖ even "
                  "when the gain vanishes: the nearby losses dominate.")
if norms.zeros:
    st.warning(f"{norms.zeros} adjoint norms are exactly 0 (tanh saturated, so 1 − h² rounds "
               "to 0): they are drawn at 10⁻³⁰⁰. Lower the input scale to see them.")

unrolled, profile, flow = main_figures(a, norms, **settings)
layout.chart(unrolled, text.flow_summary(T, norms.adjoint, a.regime, a.gain), key="unrolled")
left, right = st.columns(2)
with left:
    layout.chart(profile, text.profile_summary(a.flow.jacobian_norms, a.flow.bound,
                                             a.flow.loose_bound), key="profile")
with right:
    reach = a.flow.per_loss_norms[T - 1]
    layout.chart(flow, f"Row t: how strongly loss L_t reaches back to each earlier state h_k "
                 f"(colour: log₁₀ of the norm); the last row falls from ‖∂L_T/∂h_T‖ = "
                 f"{reach[T - 1]:.3g} to ‖∂L_T/∂h₁‖ = {reach[0]:.3g}. Upper triangle empty: "
                 "no loss depends on the future.", key="flow")
st.latex(text.BOUND)
csv_button("Download the per-step norms (CSV)", "bptt_norms.csv", bptt_analysis.norms_table, a)

st.subheader("Where each gradient comes from")
step = render_controls((step_control(T),), notices=notices)["step"] if T > 1 else 1
layout.chart(heatmaps(a, step, **settings),
             f"Top: the five gradients, sums over t = 1..{T}. Bottom: the term of step {step}; "
             "all steps' terms add up to the top row.", key="heatmaps")

layout.section("Plug in the numbers", display_math(text.RECURSION), level=3)
if settings["n"] <= 8:
    p = bptt_analysis.plug_in(a, step)
    st.latex(text.plug_in_latex(step, T, p.output_error, p.local, p.next_tanh_prime,
                                p.next_adjoint, p.recurrent, p.total))
    st.caption(f"Recomputed term by term at t = {step}; BPTT's ∂L/∂h_{step} differs by "
               f"{np.max(np.abs(p.total - a.result.dL_dh[step - 1])):.1e}.")
else:
    st.caption("Set the hidden size n to 8 or less to see the vectors written out.")

st.subheader("The derivation")
st.caption(text.SHAPES_NOTE)
evidence = text.evidence_lines(a.seed_recursion_error, a.seed_boundary_error,
                              a.seed_output_error, a.check, settings["init"] == "diagonal")
render_steps(text.STEPS, evidence)

verdicts = {name: bptt_analysis.verdict(report) for name, report in a.check.items()}
layout.section("Check it", text.check_summary(a.check, verdicts, bptt_analysis.CHECK_TOLERANCE),
               markdown_table(text.check_rows(a.check, verdicts)), level=3)

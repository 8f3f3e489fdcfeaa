"""Backpropagation through time in the seed's tanh RNN (question 1)."""

import numpy as np
import streamlit as st

from core import bptt_analysis, rnn
from pages.bptt import figures, text
from pages.common import layout
from pages.common.derivation import render_steps
from pages.common.downloads import csv_bytes
from pages.common.controls import (
    BoolControl, ChoiceControl, FloatControl, IntControl, render_controls, render_presets,
)

CONTROLS = (
    IntControl("T", "sequence length T", 1, 100, 30),
    IntControl("d", "input size d", 1, 64, 8),
    IntControl("n", "hidden size n", 1, 64, 8),
    IntControl("c", "classes c", 2, 10, 5),
    FloatControl("sigma", "σ_max(W_hh)", 0.1, 3.0, 1.0, 0.05,
                 help="Largest singular value of W_hh; W_hh is rescaled to have exactly this."),
    ChoiceControl("init", "W_hh initialisation", ("gaussian", "orthogonal", "diagonal"),
                  "gaussian"),
    FloatControl("scale", "input scale", 0.05, 5.0, 1.0, 0.05,
                 help="Standard deviation of the inputs x_t: large inputs saturate tanh."),
    IntControl("seed", "random seed", 0, 999, 0),
    BoolControl("last", "loss at last step only", False,
                help="Off: L = Σ_t L_t as in the seed. On: L = L_T, so every gradient "
                     "must travel back through the whole sequence."),
)
SIZES = dict(d=8, n=16, c=5, seed=0)
PRESETS = {
    "Vanishing": dict(SIZES, T=50, init="gaussian", sigma=0.7, scale=1.0, last=True),
    "Edge of stability": dict(SIZES, T=50, init="orthogonal", sigma=1.1, scale=0.05, last=True),
    "Exploding": dict(SIZES, T=50, init="orthogonal", sigma=2.5, scale=0.1, last=True),
    "Diagonal W_hh: seed exact": dict(SIZES, n=8, T=30, init="diagonal", sigma=0.9, scale=1.0,
                                      last=False),
}


@st.cache_data(max_entries=32, show_spinner="Running the RNN and BPTT…")
def analyse(T, d, n, c, sigma, init, scale, seed, last):
    return bptt_analysis.analyse(T, d, n, c, sigma=sigma, init=init, input_scale=scale,
                                 seed=seed, last_step_only=last)


@st.cache_resource(max_entries=16, show_spinner=False)
def main_figures(T, d, n, c, sigma, init, scale, seed, last):
    """The three figures that depend only on the settings (built once per setting)."""
    a = analyse(T, d, n, c, sigma, init, scale, seed, last)
    norms = bptt_analysis.adjoint_edge_norms(a)
    return (
        figures.unrolled_backward(norms.adjoint, norms.local, norms.recurrent, a.mask),
        figures.adjoint_profile(norms.adjoint, a.flow.jacobian_norms, a.flow.bound,
                                a.flow.loose_bound),
        figures.flow_matrix(a.flow.per_loss_norms),
    )


st.title("Backpropagation through time")
layout.statement(text.STATEMENT)
notices = st.container()
with st.container(border=True):
    render_presets(PRESETS)
    settings = render_controls(CONTROLS, columns=5, notices=notices)
a = analyse(**settings)
T = settings["T"]
norms = bptt_analysis.adjoint_edge_norms(a)

st.latex(text.MODEL)
cells = st.columns(5)
cells[0].metric("loss L", f"{a.result.loss:.4g}")
cells[1].metric("‖∂L/∂h₁‖ / ‖∂L/∂h_T‖", f"{a.adjoint_ratio:.3g}")
cells[2].metric("σ_max(W_hh)", f"{np.linalg.norm(a.params.W_hh, 2):.3g}")
cells[3].metric("spectral radius ρ(W_hh)", f"{np.max(np.abs(np.linalg.eigvals(a.params.W_hh))):.3g}")
cells[4].metric("regime", a.regime, help=f"per-step gain ‖∂h_T/∂h₁‖^(1/(T−1)) = {a.gain:.3g}; "
                "below 0.95 vanishing, above 1.05 exploding")
if norms.zeros:
    st.warning(f"{norms.zeros} adjoint norms are exactly 0 (tanh saturated, so 1 − h² rounds "
               "to 0): they are drawn at 10⁻³⁰⁰. Lower the input scale to see them.")

unrolled, profile, flow = main_figures(**settings)
layout.chart(unrolled, text.flow_summary(T, norms.adjoint, a.regime, a.gain), key="unrolled")
left, right = st.columns(2)
with left:
    layout.chart(profile, text.profile_summary(a.flow.jacobian_norms, a.flow.bound,
                                             a.flow.loose_bound), key="profile")
    st.latex(text.BOUND)
with right:
    layout.chart(flow, "Row t: how strongly loss L_t reaches back to each earlier state h_k; "
                 "colour is log₁₀ of the norm. Upper triangle empty: no loss depends on the future.",
                 key="flow")
st.download_button("Download the per-step norms (CSV)", csv_bytes(bptt_analysis.norms_table(a)),
                   file_name="bptt_norms.csv", mime="text/csv")

st.subheader("Where each gradient comes from")
step = st.slider("step t whose term is shown", 1, T, T, key="step") if T > 1 else 1
contribution = rnn.step_contributions(a.result, a.xs, step)
layout.chart(figures.gradient_heatmaps(a.result.grads.arrays(), contribution.arrays(), step),
             f"Top: the five gradients, sums over t = 1..{T}. Bottom: the term of step {step}; "
             "all steps' terms add up to the top row.", key="heatmaps")

st.subheader("Plug in the numbers")
st.latex(text.RECURSION)
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

st.subheader("Check it")
verdicts = {name: bptt_analysis.verdict(report) for name, report in a.check.items()}
st.markdown(text.check_summary(a.check, verdicts, bptt_analysis.CHECK_TOLERANCE))
st.dataframe(text.check_rows(a.check, verdicts), hide_index=True)

"""What a gradient costs in an MLP: backprop, forward mode and path summation (question 3)."""

import numpy as np
import streamlit as st

from core import backprop_cost as bc
from views.backprop_cost import figures, text
from views.backprop_cost.settings import CONTROLS, DRAWN, LAYER, PRESETS, WIDTHS
from views.common import layout
from views.common.controls import control_panel, render_controls
from views.common.derivation import render_steps
from views.common.downloads import csv_bytes
from views.frozen_figure import frozen

ENUMERATE = 100_000  # enumerate the paths of a layer for the evidence only up to this many


@st.cache_data(max_entries=64, show_spinner="Counting, and running the three algorithms…",
               show_time=True)
def compute(d, n, c, L, L_max, bias):
    right = {"parameters": bc.parameter_count(d, n, c, L, bias)}
    right.update({m: bc.multiplications(m, d, n, c, L, bias) for m in bc.METHODS})
    counted = bc.instrumented_counts(d, n, c, L, bias=bias)
    counted["parameters"] = bc.random_mlp(d, n, c, L, bias=bias).size
    paths = [(layer, bc.path_count(d, n, c, L, layer), len(bc.paths_from_unit(n, c, L, layer)))
             for layer in range(1, L + 2) if bc.path_count(d, n, c, L, layer) <= ENUMERATE]
    depths = np.arange(1, max(L, L_max) + 1)
    return dict(
        right=right, counted=counted, seed=bc.seed_answers(d, n, c, L),
        depth=bc.sweep(d, n, c, L, vary="L", values=depths, bias=bias, repeats=3),
        width=bc.sweep(d, n, c, L, vary="n", values=WIDTHS, bias=bias),
        agreement=bc.agreement(d, n, c, L, bias=bias), steps=bc.backprop_steps(d, n, c, L),
        paths=paths,
    )


def as_floats(counts: dict) -> dict:
    return {m: np.array(v, dtype=float) for m, v in counts.items()}


@st.cache_resource(max_entries=32, show_spinner=False)
def sweep_figures(d, n, c, L, L_max, bias):
    """The depth, width and timing charts of one setting, built once (plotly is slow)."""
    result = compute(d, n, c, L, L_max, bias)
    depth, width = result["depth"], result["width"]
    return frozen(dict(
        depth=figures.counts_against(
            depth.values, as_floats(depth.formula), depth.counted,
            np.array(depth.parameters, dtype=float), size_name="hidden layers L",
            title=f"Multiplications for all gradients against depth (d = {d}, n = {n}, "
                  f"c = {c})", current=L),
        width=figures.counts_against(
            width.values, as_floats(width.formula), width.counted,
            np.array(width.parameters, dtype=float), size_name="hidden width n", log_x=True,
            current=n, title=f"… against width (d = {d}, c = {c}, L = {L})"),
        timings=figures.timings(depth.values, depth.seconds, size_name="hidden layers L",
                                title=f"Measured time per gradient (d = {d}, n = {n}, "
                                      f"c = {c})"),
    ))


@st.cache_resource(max_entries=32, show_spinner=False)
def network_figure(widths, layer):
    """Every path from one weight of the drawn network, built once per drawing."""
    return frozen(figures.network_paths(
        list(widths), layer, bc.paths_from_unit(widths[1], widths[-1], len(widths) - 2, layer)))


notices = layout.header("What a gradient costs: backprop against path summation",
                        text.STATEMENT)
settings = control_panel(CONTROLS, PRESETS, notices)
d, n, c, L, bias = (settings[k] for k in ("d", "n", "c", "L", "bias"))
result = compute(d, n, c, L, settings["L_max"], bias)
right, seed = result["right"], result["seed"]

with st.expander("The counting model and the closed forms", expanded=True):
    st.latex(text.MODEL)
    st.markdown(text.MODEL_NOTE)
    st.latex(text.FORMULAS)
    st.caption(text.FORMULAS_NOTE)

cells = st.columns(4)
cells[0].metric("parameters P", text.short(right["parameters"]))
cells[1].metric("backprop multiplications", text.short(right["backprop"]))
cells[2].metric("path-summation multiplications", text.short(right["path_sum"]),
                help=f"Exactly {right['path_sum']:,}.")
cells[3].metric("path summation ÷ backprop", text.ratio(right["path_sum"] / right["backprop"]))

depth = result["depth"]
charts = sweep_figures(d, n, c, L, settings["L_max"], bias)
layout.chart(charts["depth"], text.depth_caption(depth, bc.RUN_BUDGET), key="depth")
st.download_button(
    "Download the counts against depth (CSV)",
    lambda: csv_bytes({
        "L": depth.values, "parameters": np.array(depth.parameters, dtype=float),
        **{f"{m}_closed_form": v for m, v in as_floats(depth.formula).items()},
        **{f"{m}_counted": v for m, v in depth.counted.items()}}),
    file_name="backprop_cost_depth.csv", mime="text/csv", on_click="ignore",
)
left, right_column = st.columns(2)
width = result["width"]
with left:
    layout.chart(charts["width"], text.width_caption(width, bc.RUN_BUDGET, L), key="width")
with right_column:
    layout.chart(charts["timings"], text.timing_caption(depth), key="timings")

st.subheader("Every path from one weight")
settings.update(render_controls((LAYER,), notices=notices))
widths = [min(d, DRAWN)] + [min(n, DRAWN)] * min(L, DRAWN) + [min(c, DRAWN)]
layer = min(settings["layer"], len(widths) - 1)
paths = bc.paths_from_unit(widths[1], widths[-1], len(widths) - 2, layer)
if layer != settings["layer"]:
    st.caption(f"The drawn network has {len(widths) - 2} hidden layers: showing ℓ = {layer}.")
layout.chart(network_figure(tuple(widths), layer),
             text.network_caption(widths, layer, len(paths), widths != [d] + [n] * L + [c]),
             key="network")

st.subheader("The counts at these sizes, beside the handwritten answers")
st.table(text.cost_rows(right, seed, result["counted"], bc.RUN_BUDGET))
for line in text.slip_checks(d, n, c, L, bias, right, seed):
    st.markdown(line)

st.subheader("The derivation")
st.caption("The seed's answer to question 3, step by step; the numbers are computed live for "
           "your sizes.")
render_steps(text.STEPS, text.evidence((d, n, c, L), right, seed, result["counted"],
                                         result["paths"], result["steps"]))

st.subheader("Check it")
agreement = result["agreement"]
st.markdown(text.check_summary(agreement, (d, n, c, L)))
cells = st.columns(2)
cells[0].metric("largest gradient difference between methods",
                f"{max(agreement.errors.values()):.1e}")
cells[1].metric("backprop vs central differences", f"{agreement.finite_difference_error:.1e}")
st.table(text.check_rows(agreement))

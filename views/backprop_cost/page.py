"""What a gradient costs in an MLP: backprop, forward mode and path summation (question 3)."""

import streamlit as st

from core import backprop_cost as bc
from views.backprop_cost import text
from views.backprop_cost.settings import CONTROLS, DRAWN, LAYER, PRESETS
from views.common import layout
from views.common.controls import control_panel, render_controls
from views.common.derivation import render_steps
from views.common.downloads import csv_button
from views.common.tables import markdown_table
from views.backprop_cost.computations import compute, depth_table, network_figure, sweep_figures

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

cells = layout.metric_row()
cells.metric("parameters P", text.short(right["parameters"]))
cells.metric("backprop multiplications", text.short(right["backprop"]))
cells.metric("path-summation multiplications", text.short(right["path_sum"]),
             help=f"Exactly {right['path_sum']:,}.")
cells.metric("path summation ÷ backprop", text.ratio(right["path_sum"] / right["backprop"]))

depth = result["depth"]
charts = sweep_figures(result, d, n, c, L, settings["L_max"], bias)
layout.chart(charts["depth"], text.depth_caption(depth, bc.RUN_BUDGET), key="depth")
csv_button("Download the counts against depth (CSV)", "backprop_cost_depth.csv", depth_table,
           depth)
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

layout.section("The counts at these sizes, beside the handwritten answers",
               markdown_table(text.cost_rows(right, seed, result["counted"], bc.RUN_BUDGET)),
               level=3)
for line in text.slip_checks(d, n, c, L, bias, right, seed):
    st.markdown(line)

st.subheader("The derivation")
st.caption("The seed's answer to question 3, step by step; the numbers are computed live for "
           "your sizes.")
render_steps(text.STEPS, text.evidence((d, n, c, L), right, seed, result["counted"],
                                         result["paths"], result["steps"]))

agreement = result["agreement"]
layout.section("Check it", text.check_summary(agreement, (d, n, c, L)), level=3)
cells = layout.metric_row()
cells.metric("largest gradient difference between methods",
             f"{max(agreement.errors.values()):.1e}")
cells.metric("backprop vs central differences", f"{agreement.finite_difference_error:.1e}")
st.markdown(markdown_table(text.check_rows(agreement)))

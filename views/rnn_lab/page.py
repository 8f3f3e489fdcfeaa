"""The RNN lab: learning long dependencies, truncated BPTT, clipping, and the LSTM (issue 6)."""

import numpy as np
import streamlit as st

from core.bptt_analysis import CHECK_TOLERANCE
from views.common import layout
from views.common.controls import control_panel, render_controls
from views.common.derivation import display_math, render_steps
from views.common.downloads import csv_button
from views.common.tables import markdown_table
from views.rnn_lab import text
from views.rnn_lab.computations import CHECK_SEQUENCES, cliff, history_table, lab, run_labels
from views.rnn_lab.controls import CLIFF_CONTROLS, CONTROLS, PRESETS, match_learning_rate

notices = layout.header("RNN lab: long dependencies, truncation, clipping, gates",
                        text.STATEMENT)
match_learning_rate()
settings = control_panel(CONTROLS, PRESETS, notices)
st.session_state["_rnn_lab_last"] = (settings["opt"], settings["lr"])
D, clip = settings["D"], settings["clip"] or None

st.markdown(f"{display_math(text.MODEL)}\n\n{text.TASKS[settings['task']]}")
runs, ev, errors, charts = lab(**settings)
short_run, rnn_run, lstm_run = runs
labels = run_labels(D)
long_labels = labels[1:]  # the two networks trained at D
chance = rnn_run.chance
if ev["diverged"]:
    notices.warning("A run diverged (the loss became infinite or NaN): lower the learning "
                    "rate or turn clipping on.", icon=":material/warning:")
short_ratio, rnn_ratio, lstm_ratio = ev["ratios"]
truncated = 0 < settings["k"] <= D

metrics = layout.metric_row()
for label, run in zip(labels, runs):
    metrics.metric(f"{label}: held-out accuracy", text.pct(run.eval_accuracy),
                   delta=f"{100 * (run.eval_accuracy - chance):+.0f} points vs chance",
                   delta_color="off", delta_arrow="off")
metrics.metric("chance", text.pct(chance), help="Accuracy of the best constant guess.")
st.caption(text.run_caption(labels, [r.seconds for r in runs], settings["steps"]))

layout.chart(charts["training"],
             text.curves_summary(labels, [r.eval_accuracy for r in runs], chance),
             key="training")
layout.chart(charts["gradients"],
             text.gradient_summary(labels, ev["dL_dh1_end"], ev["clipped_steps"],
                                   settings["steps"], clip),
             key="gradients")
layout.chart(charts["flow"],
             text.flow_summary(long_labels, ev["end_ratios"], D),
             key="flow")
rnn_gain = rnn_ratio ** (1 / D)
window = settings["k"] if truncated else None
st.markdown("\n\n".join((
    text.why_rnn_fails(D, short_ratio, rnn_ratio, rnn_gain, ev["sigma_max"],
                       tuple(r.eval_accuracy for r in runs), chance, window),
    display_math(text.GATING),
    text.lstm_changes(D, settings["bf"], ev["mean_forget"], ev["survival"], lstm_ratio,
                      window))))
csv_button("Download the training histories (CSV)", "rnn_lab_training.csv", history_table, runs)

st.markdown(text.TRUNCATION)
T = D + 1
layout.chart(charts["truncation"],
             text.truncation_summary(long_labels, list(errors[:, D - 1]), T,
                                     list(errors[:, T - 1])),
             key="truncation")
st.markdown(text.truncation_training(settings["k"] or None, D, rnn_run.eval_accuracy,
                                     lstm_run.eval_accuracy) + "\n\n" + text.CLIFF)
cliff_settings = render_controls(CLIFF_CONTROLS, notices=notices)
descent = cliff(**cliff_settings)
layout.chart(descent["animation"],
             text.cliff_summary(descent["max_norm"], descent["jump"], descent["clipped_jump"],
                                descent["final"], descent["off_chart"], float(np.log(3))),
             key="cliff")
layout.chart(descent["curves"],
             "The spike in ‖∇L‖ is the step onto the wall; with clipping its length is "
             f"η τ = {cliff_settings['eta'] * cliff_settings['tau']:.3g} at most.",
             key="cliff_curves")

st.subheader("The derivation")
clipped_max = ev["clipped_max"]
truncated_check = max(r["relative_error"] for label, report in ev["checks"].items()
                      if "truncated" in label for r in report.values())
render_steps(text.STEPS, text.evidence_lines(dict(
    ev, D=D, rnn_ratio=rnn_ratio, rnn_gain=rnn_gain, lstm_ratio=lstm_ratio,
    k_error_rnn=errors[0, ev["k_check"] - 1],
    k_error_lstm=errors[1, ev["k_check"] - 1], truncated_check=truncated_check,
    clipped_max=clipped_max, clip=clip, jump=descent["jump"], clipped_jump=descent["clipped_jump"],
    eta_tau=cliff_settings["eta"] * cliff_settings["tau"])))

layout.section("Check it",
               text.check_summary(ev["checks"], CHECK_TOLERANCE, CHECK_SEQUENCES, clipped_max,
                                  clip, float(errors[:, T - 1].max())),
               markdown_table(text.check_rows(ev["checks"], CHECK_TOLERANCE)), level=3)

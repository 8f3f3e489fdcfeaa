"""The BPTT page's cached work: the analysis of a setting and its figures."""

import streamlit as st

from core import bptt_analysis, rnn
from views.bptt import figures
from views.frozen_figure import frozen
from views.slots import computation


@computation(st.cache_data, max_entries=32,
             show_spinner="Running the RNN and BPTT…", show_time=True)
def analyse(T, d, n, c, sigma, init, scale, seed, last):
    """The analysis of a setting and the edge norms its unrolled figure and caption show:
    made once per setting, not per rerun."""
    a = bptt_analysis.analyse(T, d, n, c, sigma=sigma, init=init, input_scale=scale,
                              seed=seed, last_step_only=last)
    return a, bptt_analysis.adjoint_edge_norms(a)


@computation(st.cache_resource, max_entries=16,
             show_spinner="Drawing the figures…", show_time=True)
def main_figures(_a, _norms, T, d, n, c, sigma, init, scale, seed, last):
    """The three figures of the analysis ``_a`` and edge norms ``_norms`` of these settings
    (keyed on the settings; a cached function that called analyse itself could wait on its
    lock: views/slots)."""
    a, norms = _a, _norms
    return frozen((
        figures.unrolled_backward(norms.adjoint, norms.local, norms.recurrent, a.mask),
        figures.adjoint_profile(norms.adjoint, a.flow.jacobian_norms, a.flow.bound,
                                a.flow.loose_bound),
        figures.flow_matrix(a.flow.per_loss_norms),
    ))


@computation(st.cache_resource, max_entries=32,
             show_spinner="Drawing the heatmaps…", show_time=True)
def heatmaps(_a, step, T, d, n, c, sigma, init, scale, seed, last):
    """Each gradient and the term of one step of the analysis ``_a`` of these settings."""
    a = _a
    contribution = rnn.step_contributions(a.result, a.xs, step)
    return frozen(figures.gradient_heatmaps(a.result.grads.arrays(), contribution.arrays(),
                                            step))

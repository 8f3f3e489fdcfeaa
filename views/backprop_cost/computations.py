"""The backprop-cost page's cached work: counts, runs and sweeps, and their figures."""

import numpy as np
import streamlit as st

from core import backprop_cost as bc
from views.backprop_cost import figures
from views.backprop_cost.settings import WIDTHS
from views.frozen_figure import frozen
from views.slots import computation

ENUMERATE = 100_000  # enumerate the paths of a layer for the evidence only up to this many


@computation(st.cache_data, max_entries=64,
             show_spinner="Counting, and running the three algorithms…", show_time=True)
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


@computation(st.cache_resource, max_entries=32,
             show_spinner="Drawing the charts…", show_time=True)
def sweep_figures(_result, d, n, c, L, L_max, bias):
    """The depth, width and timing charts of ``_result``, :func:`compute` of this setting
    (keyed on the setting), built once (plotly is slow)."""
    result = _result
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


@computation(st.cache_resource, max_entries=32,
             show_spinner="Drawing the network…", show_time=True)
def network_figure(widths, layer):
    """Every path from one weight of the drawn network, built once per drawing."""
    return frozen(figures.network_paths(
        list(widths), layer, bc.paths_from_unit(widths[1], widths[-1], len(widths) - 2, layer)))


def depth_table(depth) -> dict:
    """Parameters, closed-form and counted multiplications against depth (the CSV download)."""
    return {"L": depth.values, "parameters": np.array(depth.parameters, dtype=float),
            **{f"{m}_closed_form": v for m, v in as_floats(depth.formula).items()},
            **{f"{m}_counted": v for m, v in depth.counted.items()}}

"""The autoencoder page's URL-bound controls and presets (importable without running it)."""

import streamlit as st

from core import autoencoder, autoencoder_analysis, datasets
from views.common.controls import ChoiceControl, IntControl

CONTROLS = (
    ChoiceControl("data", "data set", (*datasets.DATASETS, "csv"), "gaussian3d",
                  help="3-D Gaussian, 8×8 digits, iris (cm), wine (standardized), or csv: "
                  "your own file, uploaded below."),
    IntControl("k", "hidden units k", 1, 20, 2),
    IntControl("iterations", "iterations T", 100, 3000, 1500, step=100),
    ChoiceControl("step", "step size η: auto or m × 1/(4λ₁)",
                  ("auto", "0.5", "1", "1.9", "2.5", "4"), "auto",
                  help="auto: the safe adaptive step. A number m: the fixed step m/(4λ₁), "
                  "stable at the solution for m < 2."),
    ChoiceControl("scale", "initial weight scale", ("1e-06", "0.0001", "0.01", "0.1", "1", "3"),
                  "0.1", help="Size of the random initial weights (or of the perturbation "
                  "off the saddle): rows of W_enc and columns of W_dec have about this norm."),
    ChoiceControl("start", "start", autoencoder.STARTS, "random",
                  help="random weights, or on the saddle W_dec = [u₂ … u_{k+1}] = W_encᵀ "
                  "plus a perturbation of the initial scale."),
    IntControl("seed", "random seed", 0, 999, 0, help="Draws the initial weights (and the "
               "3-D Gaussian data)."),
    ChoiceControl("reg", "weight decay", autoencoder_analysis.REGULARIZATIONS, "none",
                  help="λ = 0.5 λ_k(S) for every unit (uniform) or λ_j = 0.5 λ_k(S) j/k "
                  "(non-uniform)."),
)
BASE = dict(iterations=1500, step="auto", scale="0.1", start="random", reg="none")
PRESETS = {
    "3-D plane (k = 2)": dict(BASE, data="gaussian3d", k=2),
    "3-D line (k = 1)": dict(BASE, data="gaussian3d", k=1),
    "Digits, k = 10": dict(BASE, data="digits", k=10),
    "Escape from a saddle": dict(BASE, data="gaussian3d", k=2, start="saddle", scale="0.0001"),
    "Weights = components": dict(BASE, data="iris", k=2, reg="non-uniform", iterations=3000),
    "Step too large": dict(BASE, data="gaussian3d", k=2, step="2.5"),
}


def select_csv() -> None:
    """An upload switches the data set to the CSV (and the URL with it)."""
    if st.session_state.get("csv_file") is not None:
        st.session_state["data"] = "csv"

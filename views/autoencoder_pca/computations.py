"""The autoencoder page's cached work: the data, the training and analysis, the figures."""


import numpy as np
import streamlit as st

from core import autoencoder, autoencoder_analysis, datasets
from views.autoencoder_pca import figures
from views.frozen_figure import frozen
from views.slots import computation

SHOWN_POINTS = 200  # reconstructions drawn in the animations
DIGITS_SHOWN = 10  # the first ten digits are 0, 1, ..., 9


def load(data, seed, csv):
    """X (N, D) and the parser's notes: a built-in data set, or the uploaded CSV's bytes."""
    if data == "csv":
        parsed = datasets.parse_csv_report(csv)
        return parsed.X, parsed.notes
    return datasets.load_dataset(data, seed=seed), ()


def training_settings(iterations, step, scale, start, seed):
    """The analysis's training arguments from the controls' values."""
    return dict(iterations=iterations, step_multiple=None if step == "auto" else float(step),
                init_scale=float(scale), start=start, seed=seed)


@st.cache_resource(max_entries=16, show_spinner=False)
def companion(data, digest, k, iterations, step, scale, start, seed, _csv=b""):
    """The non-uniform weight-decay run of a setting (autoencoder_analysis.companion_run),
    keyed without the weight decay: switching it between "none" and "uniform" keeps it."""
    return autoencoder_analysis.companion_run(
        load(data, seed, _csv)[0], k, **training_settings(iterations, step, scale, start, seed))


@computation(st.cache_data, max_entries=16,
             show_spinner="Training the autoencoder…", show_time=True)
def analyse(data, digest, k, iterations, step, scale, start, seed, reg, _csv=b""):
    """Load (or parse) the data and run the analysis; ``digest`` keys the uploaded bytes."""
    X, notes = load(data, seed, _csv)
    other = None if reg == "non-uniform" else companion(
        data, digest, k, iterations, step, scale, start, seed, _csv)
    result = autoencoder_analysis.analyse(
        X, k, regularization=reg, companion=other,
        **training_settings(iterations, step, scale, start, seed))
    return notes, result


@computation(st.cache_resource, max_entries=16,
             show_spinner="Drawing the figures…", show_time=True)
def page_figures(_a, data, digest, k, iterations, step, scale, start, seed, reg):
    """The four figures of the analysis ``_a`` of one setting (keyed on it), built once
    (plotly figures are slow to build)."""
    a = _a
    ref, fit, history = a.reference, a.fit, a.fit.history
    N, D = a.X.shape
    shown = a.X[np.unique(np.linspace(0, N - 1, min(N, SHOWN_POINTS)).round().astype(int))]
    if data == "digits":
        originals = a.X[:DIGITS_SHOWN]
        main = figures.digit_grid(originals, autoencoder.snapshot_reconstructions(fit, originals),
                                  ref.reconstruct(originals), history.iteration, a.k)
    elif D == 3:
        main = figures.subspace_scene(a.X, autoencoder.snapshot_reconstructions(fit, shown),
                                      history.W_dec, ref.mean, ref.basis, history.iteration)
    else:
        main = figures.projection_view(shown, autoencoder.snapshot_reconstructions(fit, shown),
                                       ref.reconstruct(shown), ref.mean, ref.basis[:2],
                                       history.iteration)
    regularized = a.J_target if a.J_target != ref.J_star else None
    return frozen({
        "main": main,
        "curves": figures.training_curves(fit.loss, ref.J_star, ref.total_variance,
                                          history.iteration, history.angles, a.plateau,
                                          regularized),
        "spectrum": figures.spectrum(ref.eigenvalues, a.k),
        "rotation": figures.rotation_heatmaps({
            "decoder columns": a.rotation.raw,
            "SVD of the data projected on span(W<sub>dec</sub>)": a.rotation.projected_svd,
            "non-uniform weight decay": a.rotation.non_uniform,
        }),
    })


def training_table(loss, J_star) -> dict:
    """The training curve J and J - J* against the iteration (the CSV download)."""
    return {"iteration": np.arange(loss.shape[0]), "J": loss, "J_minus_J_star": loss - J_star}

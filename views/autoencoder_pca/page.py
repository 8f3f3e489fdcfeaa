"""Autoencoder = PCA: a linear autoencoder trained by gradient descent (question 4)."""

import hashlib

import numpy as np
import streamlit as st

from core import autoencoder, autoencoder_analysis, datasets
from views.autoencoder_pca import figures, text
from views.autoencoder_pca.controls import CONTROLS, PRESETS
from views.common import layout
from views.common.controls import render_controls, render_presets
from views.common.downloads import csv_bytes
from views.common.sharing import settings_box
from views.common.derivation import render_steps
from views.frozen_figure import frozen

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


@st.cache_data(max_entries=16, show_spinner="Training the autoencoder…", show_time=True)
def analyse(data, digest, k, iterations, step, scale, start, seed, reg, _csv=b""):
    """Load (or parse) the data and run the analysis; ``digest`` keys the uploaded bytes."""
    X, notes = load(data, seed, _csv)
    other = None if reg == "non-uniform" else companion(
        data, digest, k, iterations, step, scale, start, seed, _csv)
    result = autoencoder_analysis.analyse(
        X, k, regularization=reg, companion=other,
        **training_settings(iterations, step, scale, start, seed))
    return notes, result


@st.cache_resource(max_entries=16, show_spinner="Drawing the figures…", show_time=True)
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


def select_csv() -> None:
    """An upload switches the data set to the CSV (and the URL with it)."""
    if st.session_state.get("csv_file") is not None:
        st.session_state["data"] = "csv"


notices = layout.header("Autoencoder = PCA", text.STATEMENT,
                        link_note="An uploaded CSV file cannot travel in a link: upload it "
                                  "again after opening the link.")
with settings_box():
    render_presets(PRESETS)
    settings = render_controls(CONTROLS, notices=notices)
    upload = st.file_uploader(
        "Your own data: a CSV file, one sample per row, a header line optional (at most "
        f"{datasets.MAX_ROWS:,} rows, {datasets.MAX_COLUMNS} columns, "
        f"{datasets.MAX_MEGABYTES} MB). A link to this view cannot carry the file: upload "
        "it again after opening one.", type=["csv", "txt"], key="csv_file",
        max_upload_size=datasets.MAX_MEGABYTES, on_change=select_csv)
    st.html(text.UPLOAD_REFUSAL_CSS)  # the browser's refusal of a large file, visible

uploaded = upload.getvalue() if upload is not None else b""
if settings["data"] == "csv" and upload is None:
    st.info("Upload a CSV file with the box above, or choose a built-in data set.",
            icon=":material/upload_file:")
    st.stop()
digest = hashlib.sha256(uploaded).hexdigest()[:16] if settings["data"] == "csv" else ""
try:
    csv_notes, a = analyse(digest=digest, _csv=uploaded, **settings)
except datasets.DatasetError as error:
    st.warning(str(error), icon=":material/error:")
    st.stop()
for note in csv_notes + a.notes:
    notices.info(note, icon=":material/info:")
if a.fit.diverged_at is not None:
    notices.warning(f"Training diverged at iteration {a.fit.diverged_at}: the fixed step is "
                    "too large. Choose the automatic step or a smaller multiple.",
                    icon=":material/warning:")
ref, fit, history = a.reference, a.fit, a.fit.history
N, D = a.X.shape

st.latex(text.MODEL)
cells = st.columns(5)
cells[0].metric("largest principal angle", f"{fit.final_max_angle:.3g}°",
                help="Between span(W_dec) and scikit-learn's PCA subspace, after training.")
cells[1].metric("J / J*" if a.J_target == ref.J_star else "J / regularized optimum",
                f"{a.check.J_ratio:.6f}")
cells[2].metric("J* = Σ discarded λᵢ", f"{ref.J_star:.5g}")
reached = history.iteration[history.max_angle < autoencoder_analysis.ANGLE_TOLERANCE]
cells[3].metric("under 1° from iteration", str(reached[0]) if reached.size else "not yet",
                help="The first training snapshot whose largest angle is under 1°.")
cells[4].metric("mean |cos(uⱼ, column j)|",
                f"{autoencoder_analysis.alignment(a.rotation.raw):.3f}",
                help="1 would mean the decoder columns are the principal components.")
st.caption(text.settings_line(a, N, D))

figures_of = page_figures(a, digest=digest, **settings)
layout.chart(figures_of["main"], text.main_summary(a), key="main")
layout.chart(figures_of["curves"], text.curves_summary(a), key="curves")
st.download_button("Download the training curve (CSV)", lambda: csv_bytes(
    {"iteration": np.arange(fit.loss.shape[0]), "J": fit.loss,
     "J_minus_J_star": fit.loss - ref.J_star}),
    file_name="autoencoder_training.csv", mime="text/csv", on_click="ignore")
st.latex(text.TRAINING)
st.markdown(text.TRAINING_NOTE)
st.markdown(text.SADDLE_NOTE)
layout.chart(figures_of["spectrum"], text.spectrum_summary(ref.eigenvalues, a.k),
             key="spectrum")

st.subheader("The weights are not the principal components")
st.markdown(text.ROTATION_NOTE)
layout.chart(figures_of["rotation"], text.rotation_summary(a), key="rotation")

st.subheader("The derivation")
render_steps(text.STEPS, text.evidence_lines(a))

st.subheader("Check it")
st.markdown(text.check_summary(a))
st.dataframe(text.check_rows(a), hide_index=True)
st.caption(text.reference_line(a))

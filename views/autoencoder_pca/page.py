"""Autoencoder = PCA: a linear autoencoder trained by gradient descent (question 4)."""

import hashlib

import streamlit as st

from core import autoencoder_analysis, datasets
from views.autoencoder_pca import text
from views.autoencoder_pca.controls import CONTROLS, PRESETS, select_csv
from views.common import layout
from views.common.controls import render_controls, render_presets
from views.common.downloads import csv_button
from views.common.tables import markdown_table
from views.common.sharing import settings_box
from views.common.derivation import render_steps
from views.autoencoder_pca.computations import analyse, page_figures, training_table

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
cells = layout.metric_row()
cells.metric("largest principal angle", f"{fit.final_max_angle:.3g}°",
             help="Between span(W_dec) and scikit-learn's PCA subspace, after training.")
cells.metric("J / J*" if a.J_target == ref.J_star else "J / regularized optimum",
             f"{a.check.J_ratio:.6f}")
cells.metric("J* = Σ discarded λᵢ", f"{ref.J_star:.5g}")
reached = history.iteration[history.max_angle < autoencoder_analysis.ANGLE_TOLERANCE]
cells.metric("under 1° from iteration", str(reached[0]) if reached.size else "not yet",
             help="The first training snapshot whose largest angle is under 1°.")
cells.metric("mean |cos(uⱼ, column j)|",
             f"{autoencoder_analysis.alignment(a.rotation.raw):.3f}",
             help="1 would mean the decoder columns are the principal components.")
st.caption(text.settings_line(a, N, D))

figures_of = page_figures(a, digest=digest, **settings)
layout.chart(figures_of["main"], text.main_summary(a), key="main")
layout.chart(figures_of["curves"], text.curves_summary(a), key="curves")
csv_button("Download the training curve (CSV)", "autoencoder_training.csv", training_table,
           fit.loss, ref.J_star)
st.latex(text.TRAINING)
st.markdown(text.TRAINING_NOTE)
st.markdown(text.SADDLE_NOTE)
layout.chart(figures_of["spectrum"], text.spectrum_summary(ref.eigenvalues, a.k),
             key="spectrum")

layout.section("The weights are not the principal components", text.ROTATION_NOTE, level=3)
layout.chart(figures_of["rotation"], text.rotation_summary(a), key="rotation")

st.subheader("The derivation")
render_steps(text.STEPS, text.evidence_lines(a))

layout.section("Check it", text.check_summary(a), markdown_table(text.check_rows(a)), level=3)
st.caption(text.reference_line(a))

"""Home page: what the app covers, with a link to every built page."""

import streamlit as st

from views.registry import PAGES

st.title("Deep Learning Theory Explorer")
st.markdown(
    "Four classic results from a handwritten deep-learning theory assignment, made "
    "**live**, **animated** and **verified**: every formula on screen is computed for "
    "the settings you choose and checked against an independent oracle (finite "
    "differences, brute-force counts, scikit-learn). Where the handwritten solution "
    "slips, the page says where, why, and by how much."
)
for entry in PAGES:
    with st.container(border=True):
        st.page_link(entry.script, label=entry.title, icon=entry.icon)
        st.caption(entry.summary)
st.caption(
    r"Notation, as in the assignment: $x_t \in \mathbb{R}^d$, $h_t \in \mathbb{R}^n$, "
    r"$z_t \in \mathbb{R}^c$, column vectors, one sequence at a time. Every page's controls "
    "live in the address bar, so a link reproduces exactly what you see."
)

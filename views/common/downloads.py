"""Data behind a chart as CSV, downloaded with a button."""

from __future__ import annotations

import functools
import io

import numpy as np
import streamlit as st


def csv_bytes(columns: dict[str, np.ndarray]) -> bytes:
    """Columns of equal length (name -> ndarray of shape (m,)) as CSV with a header row."""
    names = list(columns)
    table = np.column_stack([np.asarray(columns[name], dtype=float) for name in names])
    buffer = io.StringIO()
    np.savetxt(buffer, table, delimiter=",", header=",".join(names), comments="", fmt="%.10g")
    return buffer.getvalue().encode()


def csv_button(label: str, file_name: str, table, *args) -> None:
    """A button that downloads csv_bytes(table(*args)), made on click (a click does not rerun
    the page). The button keeps table and args only: a lambda written in the page script
    would keep the whole run's globals alive with the session (views/__init__)."""
    st.download_button(label, functools.partial(_csv_of, table, *args), file_name=file_name,
                       mime="text/csv", on_click="ignore")


def _csv_of(table, *args) -> bytes:
    return csv_bytes(table(*args))

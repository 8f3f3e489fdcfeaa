"""Data behind a chart as CSV bytes, for st.download_button."""

from __future__ import annotations

import io

import numpy as np


def csv_bytes(columns: dict[str, np.ndarray]) -> bytes:
    """Columns of equal length (name -> ndarray of shape (m,)) as CSV with a header row."""
    names = list(columns)
    table = np.column_stack([np.asarray(columns[name], dtype=float) for name in names])
    buffer = io.StringIO()
    np.savetxt(buffer, table, delimiter=",", header=",".join(names), comments="", fmt="%.10g")
    return buffer.getvalue().encode()

"""One BLAS thread for the app's small matrices (no streamlit, no plotly)."""

from __future__ import annotations

import functools

from threadpoolctl import threadpool_limits


def one_blas_thread(function):
    """Run function with one BLAS thread.

    The app's matrices are small (sizes up to ~100, or 1797 x 64 for digits): a second
    thread only waits for its share, and on a shared machine a spinning OpenBLAS thread
    makes a product 10-20x slower (digits' reconstruction error: 0.9 ms with one thread,
    18 ms with two while another process ran; the LSTM trained ~8x slower with two).
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with threadpool_limits(limits=1, user_api="blas"):
            return function(*args, **kwargs)

    return wrapper

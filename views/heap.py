"""Hand the server's freed heap back to the system: glibc's malloc_trim, every few seconds.

glibc keeps what Python and NumPy free in its arenas (one per thread that allocates, and
Streamlit runs every script run in a thread of its own), so after a class had trained and
left, the server's RSS stayed 3-4 MB per closed session above where it started
(bench/load.py), although nothing was alive: repeated loads levelled off. malloc_trim(0)
returns the free pages of every arena. Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import threading
import time
from typing import Callable

INTERVAL = 5.0  # seconds between trims; one trim of a ~300 MB heap takes a few ms, GIL free

_lock = threading.Lock()
_started = False


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None on another C library."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _trim_forever(trim: Callable[[int], int], interval: float) -> None:
    while True:
        time.sleep(interval)
        trim(0)


def trim_periodically(interval: float = INTERVAL) -> None:
    """Start, once per process, a daemon thread that calls malloc_trim(0) every
    ``interval`` seconds (ctypes releases the GIL during the call)."""
    global _started
    with _lock:
        if _started:
            return
        _started = True
    trim = _malloc_trim()
    if trim is not None:
        threading.Thread(target=_trim_forever, args=(trim, interval), name="malloc_trim",
                         daemon=True).start()

"""Keep the server's heap compact: at most two glibc malloc arenas, and freed memory handed
back to the system every few seconds.

glibc gives each thread that allocates an arena of its own (up to 8 per core), and
Streamlit runs every script run in a thread of its own: after a class had trained and left,
what Python and NumPy had freed stayed spread over dozens of arenas, and the server's RSS
stayed ~4 MB per closed session above where it started (bench/load.py), although nothing
was alive. Two arenas (the scripts take turns on the GIL anyway) and malloc_trim(0) return
it. Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import threading
import time

M_ARENA_MAX = -8  # glibc's mallopt parameter number
ARENAS = 2
INTERVAL = 5.0  # seconds between trims; one trim takes a few ms, without the GIL

_lock = threading.Lock()
_started = False


def _libc() -> ctypes.CDLL | None:
    """glibc, or None on another C library."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def _trim_forever(libc: ctypes.CDLL, interval: float) -> None:
    while True:
        time.sleep(interval)
        libc.malloc_trim(0)


def keep_heap_compact(interval: float = INTERVAL) -> None:
    """Once per process: cap glibc at ARENAS arenas (for threads that have none yet) and start
    a daemon thread that calls malloc_trim(0) every ``interval`` seconds (ctypes releases
    the GIL during the call)."""
    global _started
    with _lock:
        if _started:
            return
        _started = True
    libc = _libc()
    if libc is None:
        return
    libc.mallopt(M_ARENA_MAX, ARENAS)
    threading.Thread(target=_trim_forever, args=(libc, interval), name="malloc_trim",
                     daemon=True).start()

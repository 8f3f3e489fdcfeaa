"""At most SLOTS of the app's computations at once, across all sessions of the server.

The body of every cached function that a page calls (the work of a cache miss) runs in a
slot: a session whose change misses the caches while SLOTS others compute waits for a free
slot, its spinner counting the seconds. On a 2-core machine more at once only interleave:
they all finish late together, each keeping its working arrays the whole time.

Streamlit holds a lock per cache key while it computes that key, before the body (and its
slot) is entered. So a cached function called from inside a slot (the RNN lab's trainings)
is never called from outside one, and figures take their analysis as an argument instead of
calling its cached function: otherwise a slot holder could wait on a key whose holder waits
for a slot.
"""

from __future__ import annotations

import functools
import threading

SLOTS = 2  # the machine's cores

_free = threading.BoundedSemaphore(SLOTS)
_inside = threading.local()  # .slot: this thread holds a slot


def in_slot(function):
    """Run function in one of the SLOTS slots; a call from inside a slot takes no other."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if getattr(_inside, "slot", False):
            return function(*args, **kwargs)
        with _free:
            _inside.slot = True
            try:
                return function(*args, **kwargs)
            finally:
                _inside.slot = False

    return wrapper

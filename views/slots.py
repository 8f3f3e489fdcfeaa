"""Sharing the server's one interpreter between sessions: script runs take turns, and at
most SLOTS computations run at once.

Turns. All script threads share one GIL with the server's event loop, which sends every
message. Thirty sessions' scripts running at once starve it: each run's messages left
together at the end, all runs finished late together, and the unluckiest last (30 sessions'
unchanged reruns of /rnn-lab: p95 1.8-2.1 s; one run at a time, first come first served:
1.0-1.3 s, measured: README, "Under load"). So app.py runs a script in its turn
(:func:`taking_turns`). A run gives its turn up for the rest of the run before it may wait
on a computation (:func:`give_up_turn`), so that no turn is held through a cache miss, and
waits at most TURN_WAIT seconds for one, so that no run can hold the others for ever.

Slots. The body of every cached function that a page calls (the work of a cache miss) runs
in a slot: a session whose change misses the caches while SLOTS others compute waits for a
free slot, its spinner counting the seconds. On a 2-core machine more at once only
interleave: they all finish late together, each keeping its working arrays the whole time.

Streamlit holds a lock per cache key while it computes that key, before the body (and its
slot) is entered. So a cached function called from inside a slot (the RNN lab's trainings)
is never called from outside one, and figures take their analysis as an argument instead of
calling its cached function: otherwise a slot holder could wait on a key whose holder waits
for a slot. For the same reason a run gives up its turn before calling a computation that
another run is computing: it may be about to wait on that key.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import threading

SLOTS = 2  # the machine's cores
TURN_WAIT = 10.0  # seconds a run waits for its turn at most (100 sessions queue ~4 s)



class Queue:
    """A lock handed to its waiters first come, first served (a semaphore lets a newcomer
    take it before them, and the waiter it woke goes to the back)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held = False
        self._waiting: collections.deque[threading.Lock] = collections.deque()

    def acquire(self, timeout: float) -> bool:
        """Hold the lock, after at most timeout seconds of waiting; False if not."""
        with self._guard:
            if not self._held:
                self._held = True
                return True
            ticket = threading.Lock()
            ticket.acquire()
            self._waiting.append(ticket)
        if ticket.acquire(timeout=timeout):
            return True
        with self._guard:
            if ticket in self._waiting:
                self._waiting.remove(ticket)
                return False
        return True  # handed over just as the wait ran out

    def release(self) -> None:
        """Hand the lock to the longest waiter, if any."""
        with self._guard:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._held = False


_free = threading.BoundedSemaphore(SLOTS)
_turn = Queue()
_inside = threading.local()  # .slot: this thread holds a slot; .turn: it holds the turn
_computing = collections.Counter()  # function -> runs computing it now
_counting = threading.Lock()


@contextlib.contextmanager
def taking_turns():
    """Run the block in this thread's turn (after at most TURN_WAIT s of waiting)."""
    _inside.turn = _turn.acquire(timeout=TURN_WAIT)
    try:
        yield
    finally:
        give_up_turn()


def give_up_turn() -> None:
    """Let the next run take its turn; this thread runs on without one."""
    if getattr(_inside, "turn", False):
        _inside.turn = False
        _turn.release()


def in_slot(function):
    """Run function in one of the SLOTS slots, without a turn; a call from inside a slot
    takes no other."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if getattr(_inside, "slot", False):
            return function(*args, **kwargs)
        give_up_turn()
        with _free:
            _inside.slot = True
            _count(function, +1)
            try:
                return function(*args, **kwargs)
            finally:
                _count(function, -1)
                _inside.slot = False

    return wrapper


def _count(function, step: int) -> None:
    with _counting:
        _computing[function] += step


def computation(cache, **options):
    """Decorator: function cached by cache (st.cache_data or st.cache_resource) with
    options, its misses computed in a slot; a run calling it while another computes it
    gives up its turn first (the call may wait on that computation)."""

    def decorate(function):
        cached = cache(**options)(in_slot(function))

        @functools.wraps(function)
        def call(*args, **kwargs):
            if _computing[function]:
                give_up_turn()
            return cached(*args, **kwargs)

        return call

    return decorate

"""views.slots: runs take turns first come first served, at most SLOTS computations run at
once, a computation may call another, and no turn is held through a computation."""

import threading
import time

import streamlit as st

from views import slots


class Occupancy:
    """How many threads are inside a region at once, and the most ever seen."""

    def __init__(self):
        self.lock, self.now, self.most = threading.Lock(), 0, 0

    def visit(self, seconds: float) -> None:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(seconds)
        with self.lock:
            self.now -= 1


def run_threads(target, count: int) -> list[threading.Thread]:
    threads = [threading.Thread(target=target, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return threads


def test_at_most_slots_computations_run_at_once():
    occupancy = Occupancy()
    compute = slots.in_slot(lambda: occupancy.visit(0.05))
    threads = run_threads(compute, 3 * slots.SLOTS)
    assert not any(t.is_alive() for t in threads)
    assert occupancy.most == slots.SLOTS  # six sleeping threads would all overlap without


def test_a_computation_calls_another_without_a_second_slot():
    occupancy = Occupancy()
    all_held = threading.Barrier(slots.SLOTS, timeout=5)
    inner = slots.in_slot(lambda: occupancy.visit(0.05))

    @slots.in_slot
    def outer():
        all_held.wait()  # every slot is held, and each holder now calls inner
        inner()

    threads = run_threads(outer, slots.SLOTS)
    assert not any(t.is_alive() for t in threads)
    assert occupancy.most == slots.SLOTS


def test_a_slot_is_given_back_when_the_computation_raises():
    def fail():
        raise ValueError("bad setting")

    failing = slots.in_slot(fail)
    for _ in range(slots.SLOTS + 1):
        try:
            failing()
        except ValueError:
            pass
    done = []
    run_threads(slots.in_slot(lambda: done.append(1)), 1)
    assert done == [1]


def test_runs_take_turns_one_at_a_time():
    occupancy = Occupancy()

    def run():
        with slots.taking_turns():
            occupancy.visit(0.02)

    threads = run_threads(run, 6)
    assert not any(t.is_alive() for t in threads)
    assert occupancy.most == 1  # six sleeping threads would all overlap without


def test_the_turn_goes_to_the_longest_waiter_not_a_newcomer():
    queue, order = slots.Queue(), []
    assert queue.acquire(timeout=1)

    def wait(name):
        assert queue.acquire(timeout=5)
        order.append(name)
        queue.release()

    waiters = []
    for name in "abc":
        waiters.append(threading.Thread(target=wait, args=(name,), daemon=True))
        waiters[-1].start()
        time.sleep(0.05)  # queued in this order
    queue.release()
    newcomer = queue.acquire(timeout=0)  # a semaphore would let this one in first
    if newcomer:
        queue.release()
    for thread in waiters:
        thread.join(timeout=5)
    assert not newcomer and order == ["a", "b", "c"]
    assert queue.acquire(timeout=0)  # free again once everyone has had the lock
    queue.release()


def test_a_run_waits_at_most_turn_wait_and_then_runs_without_a_turn(monkeypatch):
    monkeypatch.setattr(slots, "TURN_WAIT", 0.1)
    holding, done = threading.Event(), threading.Event()

    def hold():
        with slots.taking_turns():
            holding.set()
            done.wait(5)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    holding.wait(5)
    started = time.monotonic()
    with slots.taking_turns():
        waited = time.monotonic() - started
    still_held = not slots._turn.acquire(timeout=0)  # the late run gave back no turn
    done.set()
    holder.join(timeout=5)
    assert 0.09 < waited < 2 and still_held
    assert slots._turn.acquire(timeout=0)  # and the holder gave back its own
    slots._turn.release()


def in_turn(call, *args) -> threading.Thread:
    """A started thread that runs call(*args) in its turn, as app.py runs a script."""

    def run():
        with slots.taking_turns():
            call(*args)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def turn_taken_while(blocked, timeout: float = 3) -> bool:
    """Whether another run gets its turn while blocked (a started thread) stays blocked."""
    got = threading.Event()
    in_turn(got.set)
    return got.wait(timeout) and blocked.is_alive()


class Held:
    """A computation that holds whoever runs it until released."""

    def __init__(self):
        self.inside, self.release = threading.Event(), threading.Event()

    def __call__(self, *args):
        self.inside.set()
        self.release.wait(5)
        return args


def test_a_run_gives_up_its_turn_when_it_computes():
    held = Held()
    runner = in_turn(slots.in_slot(held))
    held.inside.wait(5)
    try:
        assert turn_taken_while(runner)
    finally:
        held.release.set()
        runner.join(timeout=5)


def test_a_run_gives_up_its_turn_before_waiting_on_another_runs_computation():
    held = Held()

    @slots.computation(st.cache_resource, max_entries=1, show_spinner=False)
    def compute(x):
        return held(x)

    computing = threading.Thread(target=compute, args=(1,), daemon=True)
    computing.start()
    held.inside.wait(5)
    waiting = in_turn(compute, 1)  # the same key: Streamlit makes it wait for the one above
    time.sleep(0.1)
    try:
        assert turn_taken_while(waiting)
    finally:
        held.release.set()
        computing.join(timeout=5)
        waiting.join(timeout=5)

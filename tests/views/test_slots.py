"""views.slots: at most SLOTS computations at once, and a computation may call another."""

import threading
import time

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

"""views.heap: malloc_trim hands the freed memory of a thread's arena back to the system
(RSS read from /proc), the arena cap holds (glibc's own malloc_stats counts the arenas),
and the trimming thread starts once per process. Each check runs in a fresh interpreter,
so that this process's heap and threads play no part."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FRAGMENTED_THEN_TRIMMED = """
import threading
import numpy as np
from views.heap import _libc

def rss_mb():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 / 1e6

def allocate(kept):  # 20 000 arrays of 8 KB in this thread's arena; keep 1 in 50
    arrays = [np.ones(1000) for _ in range(20_000)]
    kept.extend(arrays[::50])

before = rss_mb()
kept = []
worker = threading.Thread(target=allocate, args=(kept,))
worker.start()
worker.join()
held = rss_mb()
_libc().malloc_trim(0)
print(before, held, rss_mb())
"""

# Eight threads allocate at once (a barrier holds each until all have allocated), then
# glibc's malloc_stats prints one "Arena i:" block per arena to stderr.
ARENAS_USED = """
import sys, threading
import numpy as np
from views.heap import _libc, keep_heap_compact

if sys.argv[1] == "capped":
    keep_heap_compact()
barrier = threading.Barrier(8)
kept = []

def allocate():
    kept.append([np.ones(100) for _ in range(2000)])
    barrier.wait()

threads = [threading.Thread(target=allocate) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
_libc().malloc_stats()
"""

STARTED_ONCE = """
import threading
from views.heap import keep_heap_compact
keep_heap_compact(0.01)
keep_heap_compact(0.01)
print(sum(t.name == "malloc_trim" and t.daemon for t in threading.enumerate()))
"""


def run(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True,
                          text=True, check=True, timeout=120)


def test_a_trim_returns_the_freed_pages_of_a_fragmented_arena():
    before, held, trimmed = map(float, run(FRAGMENTED_THEN_TRIMMED).stdout.split())
    assert held - before > 100, (before, held)  # the freed arrays still count: fragmentation
    assert trimmed - before < 0.25 * (held - before), (before, held, trimmed)


def test_threads_share_at_most_two_arenas_once_capped():
    def arenas(mode: str) -> int:
        return run(ARENAS_USED, mode).stderr.count("Arena ")

    assert arenas("uncapped") > 2  # without the cap each thread gets its own
    assert 1 <= arenas("capped") <= 2


def test_the_trimming_thread_starts_once_per_process():
    assert run(STARTED_ONCE).stdout.strip() == "1"

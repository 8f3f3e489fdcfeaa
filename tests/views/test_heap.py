"""views.heap: malloc_trim hands freed memory of a thread's arena back to the system (RSS
read from /proc), and the trimming thread starts once per process. Each check runs in a
fresh interpreter, so that this process's heap and threads play no part."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FRAGMENTED_THEN_TRIMMED = """
import threading
import numpy as np
from views.heap import _malloc_trim

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
_malloc_trim()(0)
print(before, held, rss_mb())
"""

STARTED_ONCE = """
import threading
from views.heap import trim_periodically
trim_periodically(0.01)
trim_periodically(0.01)
print(sum(t.name == "malloc_trim" and t.daemon for t in threading.enumerate()))
"""


def run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True, timeout=120).stdout


def test_a_trim_returns_the_freed_pages_of_a_fragmented_arena():
    before, held, trimmed = map(float, run(FRAGMENTED_THEN_TRIMMED).split())
    assert held - before > 100, (before, held)  # the freed arrays still count: fragmentation
    assert trimmed - before < 0.25 * (held - before), (before, held, trimmed)


def test_the_trimming_thread_starts_once_per_process():
    assert run(STARTED_ONCE).strip() == "1"

"""Server load: N real browser sessions re-running the heaviest page at once (prints figures;
asserts nothing).

Starts ``python -m streamlit run app.py`` on 127.0.0.1 (a free port, headless) from the
repository root, waits for /_stcore/health, and drives it over /_stcore/stream with
Streamlit's own protocol (bench/streamlit_client.py: BackMsg.rerun_script in, ForwardMsg out
until script_finished, built as the 1.67 frontend builds them).

1. Which page is heaviest: one session opens every page (module imports paid), the caches are
   cleared (BackMsg.clear_cache, the menu's "Clear cache"), then every page is opened again
   with cold caches, its rerun after one control change timed, and PROBE_RERUNS reruns
   with nothing changed: the page whose unchanged rerun costs the server the most CPU (the
   budget figure's rerun; wall time swings with the machine's load) is the page under
   load. The cold-cache first render's CPU is printed beside it.
2. For each --gc setting and each --sessions count, on a fresh server: one warm-up visit,
   in which one session alone times reruns with nothing changed and with one control
   changed; the RSS "before"; N sessions open the page at once (initial render); then two
   phases, each timed on its own (latency p50/p95, reruns per second, server CPU per
   rerun): (a) every session runs --rounds reruns with nothing changed (all caches hit:
   the budget figure), (b) every session runs --rounds reruns each after one control
   change (a value different in every session and round, so the page's caches miss), back
   to back (--think 0) or with a random pause, and with --mixed K (c), run between (a)
   and (b), K sessions run (b)'s kind of rerun while the others run (a)'s (a class in which
   a few retrain); the RSS is
   sampled every 0.1 s (peak); the sessions close, and after --settle seconds the RSS
   "after".
   Loops are bounded in count (--rounds) and in time (--duration per phase, after which
   no rerun starts, and --rerun-timeout per rerun).

Budgets (design doc): 30 sessions, p95 rerun latency <= 1.5 s, memory <= 3 MB per session.

    .venv/bin/python bench/load.py                                   # N = 30, GC as configured
    .venv/bin/python bench/load.py --sessions 30 100 --gc false true  # the README's figures
    .venv/bin/python bench/load.py --page bptt --rounds 3 --think 2   # users who pause
    .venv/bin/python bench/load.py --repeat 3 --ttl 10                # leak or allocator?
    .venv/bin/python bench/load.py --page rnn-lab --mixed 3           # 3 retrain, 27 do not
    .venv/bin/python bench/load.py --set server.fileWatcherType=none  # any other option

Figures are wall-clock round trips on a shared 2-core machine: the load average printed at
the start says how busy it was; "server CPU per rerun" is the steadier figure.

Loopback only: the server listens on 127.0.0.1 and the client refuses any other host.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from steal import machine_ticks, steal_share  # noqa: E402
from streamlit_client import RunResult, Session  # noqa: E402

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402

from views.heap import INTERVAL as TRIM_INTERVAL  # noqa: E402
from views.registry import PAGES  # noqa: E402

HOST = "127.0.0.1"
RERUN_TIMEOUT = 30.0  # seconds; under load, max(this, N): N reruns queue for one core
ALONE_TIMEOUT = 120.0  # seconds, for one session alone (a cold page on a busy machine)
PROBE_RERUNS = 30  # unchanged reruns whose server CPU ranks the pages
# Above this share of the machine's CPU time taken by the host, phase (a) measured a smaller
# machine than the budget's: its p95 is flagged (the server's one core shrinks with it).
STEAL_FLAG = 0.10
MB = 1024 * 1024

# ---- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def rss_bytes(pid: int) -> int:
    """Resident set size of the process (psutil if installed, else /proc/<pid>/status)."""
    try:
        import psutil
    except ImportError:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")
    return psutil.Process(pid).memory_info().rss


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process (/proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """`streamlit run app.py` on 127.0.0.1 and a free port, its output in a log file."""

    def __init__(self, gc: str, ttl: int | None = None, options: list[str] = ()):
        self.port = free_port()
        self.command = [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.address", HOST, "--server.port", str(self.port),
            "--server.headless", "true",
        ]
        if gc != "config":
            self.command += ["--runner.postScriptGC", gc]
        if ttl is not None:
            self.command += ["--server.disconnectedSessionTTL", str(ttl)]
        for option in options:
            name, _, value = option.partition("=")
            self.command += [f"--{name}", value]
        self.log = tempfile.NamedTemporaryFile("w+", prefix="streamlit-load-", suffix=".log")
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n"
                                   f"{self.log_text()}")
            try:
                with urllib.request.urlopen(
                    f"http://{HOST}:{self.port}/_stcore/health", timeout=2
                ) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("/_stcore/health did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss(self) -> int:
        return rss_bytes(self.pid)

    def cpu(self) -> float:
        return cpu_seconds(self.pid)

    def log_text(self) -> str:
        self.log.flush()
        with open(self.log.name, errors="replace") as log:
            return log.read()

    def log_problems(self) -> list[str]:
        """What the server's output reports as a problem: one entry per traceback (its
        exception line and innermost frame) and per other error, exception or warning
        line."""
        pattern = re.compile(r"Traceback|Error|Exception|WARNING|CRITICAL", re.IGNORECASE)
        lines, problems, i = self.log_text().splitlines(), [], 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("Traceback"):
                frames = []
                i += 1
                while i < len(lines) and (lines[i][:1].isspace() or not lines[i]):
                    if lines[i].strip().startswith("File "):
                        frames.append(lines[i].strip())
                    i += 1
                ending = lines[i] if i < len(lines) else "(traceback cut off)"
                where = frames[-1] if frames else "?"
                problems.append(f"traceback: {ending.strip()} [{where}]")
            elif pattern.search(line):
                problems.append(line.strip())
            i += 1
        return problems


def log_summary(problems: list[str]) -> str:
    """The problems counted by kind (timestamps dropped), most frequent first."""
    counts: dict[str, int] = {}
    for problem in problems:
        key = re.sub(r"^\d{4}-\d\d-\d\d [\d:.]+ ", "", problem)
        key = re.sub(r"Thread-\d+", "Thread-N", key)[:240]
        counts[key] = counts.get(key, 0) + 1
    text = f"server log: {len(problems)} problems (tracebacks, errors, warnings)"
    for key, count in sorted(counts.items(), key=lambda item: -item[1])[:6]:
        text += f"\n    {count:4d} x {key}"
    return text


class MemorySampler:
    """The server's RSS every `interval` seconds while a phase runs (keeps the peak)."""

    def __init__(self, server: Server, interval: float = 0.1):
        self.server, self.interval = server, interval
        self.peak = 0
        self._task: asyncio.Task | None = None

    async def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, self.server.rss())
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        self.peak = self.server.rss()
        self._task = asyncio.get_running_loop().create_task(self._sample())

    async def stop(self) -> int:
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass
        self.peak = max(self.peak, self.server.rss())
        return self.peak


# ---- what a user changes -----------------------------------------------------------------


def pick_control(session: Session, wanted: str | None) -> str | None:
    """The control that a changed rerun moves: --control, else 'seed', else the first slider."""
    if wanted:
        return wanted if wanted in session.controls else None
    if "seed" in session.controls and session.controls["seed"].kind == "slider":
        return "seed"
    sliders = [key for key, c in session.controls.items() if c.kind == "slider"]
    return sliders[0] if sliders else next(iter(session.controls), None)


def changed_value(session: Session, key: str, index: int):
    """The index-th value of the control other than its current one (ranges wrap)."""
    control = session.controls[key]
    element = control.element
    if control.kind == "slider" and not element.options:
        step = element.step or 1
        count = int(round((element.max - element.min) / step)) + 1
        current = control.value[0]
        for shift in range(count):
            value = round(element.min + ((index + shift) % count) * step, 10)
            if value != current:
                return [float(value)]
        return control.value
    if control.kind == "checkbox":
        return not control.value
    options = list(element.options)
    others = [option for option in options if option != control.value] or options
    return others[index % len(others)]


# ---- figures -----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of the values; nan when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 100)))
    return ordered[min(rank, len(ordered)) - 1]


def latencies(results: list[RunResult]) -> tuple[list[float], int]:
    """Latencies of the runs that ended (a run that timed out counts with the time it was
    waited for: a lower bound) and how many timed out or broke off."""
    ended = [r for r in results if r.status.startswith("FINISHED") or r.status == "TIMEOUT"]
    return [r.latency for r in ended], sum(not r.status.startswith("FINISHED") for r in results)


def describe(results: list[RunResult]) -> str:
    values, unfinished = latencies(results)
    if not values:
        return "no run"
    text = (f"n={len(values):4d}  p50 {percentile(values, 50):6.3f} s  "
            f"p95 {percentile(values, 95):6.3f} s  max {max(values):6.3f} s")
    if unfinished:
        text += f"  ({unfinished} without script_finished: figures are lower bounds)"
    return text


@dataclass
class Outcome:
    gc: str
    sessions: int
    alone: list[RunResult] = field(default_factory=list)  # one session, before the load
    initial: list[RunResult] = field(default_factory=list)
    changed: list[RunResult] = field(default_factory=list)
    unchanged: list[RunResult] = field(default_factory=list)
    mixed_changed: list[RunResult] = field(default_factory=list)  # (c), --mixed sessions
    mixed_unchanged: list[RunResult] = field(default_factory=list)  # (c), the others
    phase_seconds: dict = field(default_factory=dict)  # "unchanged"/"changed"/"mixed" -> s
    server_cpu: dict = field(default_factory=dict)  # the same -> server CPU seconds
    client_cpu: dict = field(default_factory=dict)  # the same -> this process's CPU seconds
    steal: dict = field(default_factory=dict)  # the same -> share of CPU time the host stole
    before: int = 0
    peak: int = 0
    end_of_load: int = 0
    after: int = 0
    expired: int | None = None
    cleared: int = 0
    log_problems: list[str] = field(default_factory=list)
    connect_errors: list[str] = field(default_factory=list)
    in_step: dict = field(default_factory=dict)  # sessions still in step after each phase
    rss_after: dict = field(default_factory=dict)  # server RSS at the end of each phase

    @property
    def reruns(self) -> list[RunResult]:
        return self.changed + self.unchanged + self.mixed_changed + self.mixed_unchanged

    def all_runs(self) -> list[RunResult]:
        return self.initial + self.reruns


def check_runs(runs: list[RunResult]) -> str:
    finished = sum(r.status == "FINISHED_SUCCESSFULLY" for r in runs)
    other = {}
    for r in runs:
        if r.status != "FINISHED_SUCCESSFULLY":
            other[r.status] = other.get(r.status, 0) + 1
    exceptions = [e for r in runs for e in r.exceptions]
    alerts = sum(r.error_alerts for r in runs)
    not_found = sum(r.page_not_found for r in runs)
    text = (f"script_finished(successfully) for {finished}/{len(runs)} runs; "
            f"exception elements {len(exceptions)}; st.error alerts {alerts}")
    if not_found:
        text += f"; page_not_found {not_found}"
    if other:
        text += f"; other endings {other}"
    if exceptions:
        text += f"; first: {exceptions[0][:200]}"
    return text


# ---- phases ------------------------------------------------------------------------------


async def open_page(port: int, path: str, query: str,
                    timeout: float = ALONE_TIMEOUT) -> tuple[Session, RunResult]:
    session = Session(port, path, query)
    await session.connect()
    result = await session.run(session.first_message(), "initial", timeout)
    return session, result


async def clear_caches(port: int) -> None:
    """The app menu's "Clear cache": BackMsg.clear_cache (all st.cache_* of the server)."""
    clear = BackMsg()
    clear.clear_cache = True
    session = Session(port, "")
    await session.connect()
    await session.ws.send(clear.SerializeToString())
    await asyncio.sleep(0.5)
    await session.close()


async def probe_pages(port: int, pid: int, control: str | None) -> str:
    """Each page's first render (imports paid; then cold caches; then warm caches), one
    changed rerun and PROBE_RERUNS unchanged ones; returns the url path of the page whose
    unchanged rerun cost the server (pid) the most CPU."""
    session, home = await open_page(port, "", "")
    print(f"  /  (home) first render with module imports: {home.latency:.3f} s")
    await session.close()
    imports = {}
    for entry in PAGES:
        session, result = await open_page(port, entry.url_path, "")
        imports[entry.url_path] = result
        await session.close()
    await clear_caches(port)
    rows = {}
    for entry in PAGES:
        start = cpu_seconds(pid)
        session, cold = await open_page(port, entry.url_path, "")
        cold_cpu = cpu_seconds(pid) - start
        key = pick_control(session, control)
        changed = None
        if key:
            session.set_control(key, changed_value(session, key, 7))
            changed = await session.run(session.widget_message(), "changed", ALONE_TIMEOUT)
        start = cpu_seconds(pid)
        unchanged = [await session.run(session.widget_message(), "unchanged", ALONE_TIMEOUT)
                     for _ in range(PROBE_RERUNS)]
        unchanged_cpu = (cpu_seconds(pid) - start) / PROBE_RERUNS
        await session.close()
        session, warm = await open_page(port, entry.url_path, "")
        await session.close()
        rows[entry.url_path] = (cold, cold_cpu, warm, key, changed, unchanged, unchanged_cpu)
    print("  page               first render: with imports | cold caches (server CPU) | warm caches"
          " || rerun: one control changed | nothing changed, p50 (server CPU) | payload")
    for path, (cold, cold_cpu, warm, key, changed, unchanged, unchanged_cpu) in rows.items():
        runs = [imports[path], cold, warm, *unchanged] + ([changed] if changed else [])
        flags = "" if all(r.ok for r in runs) else "  (!) " + check_runs(runs)
        rerun = f"{key} -> {changed.latency:6.3f} s" if changed else "no control"
        p50 = percentile([r.latency for r in unchanged], 50)
        print(f"  /{path:17s} {imports[path].latency:13.3f} s | {cold.latency:9.3f} s "
              f"({cold_cpu:5.2f} s) | {warm.latency:9.3f} s || {rerun} | {p50:6.3f} s "
              f"({unchanged_cpu * 1000:4.1f} ms) | {cold.bytes / 1e6:5.2f} MB{flags}")
    heaviest = max(rows, key=lambda path: rows[path][-1])
    print(f"  heaviest page (most server CPU for a rerun with nothing changed): /{heaviest}")
    return heaviest


async def session_loop(index: int, session: Session, key: str, label: str, args,
                       deadline: float, results: list[RunResult], rng: random.Random,
                       until: asyncio.Event | None = None) -> bool:
    """--rounds reruns of one kind: "unchanged" (nothing changed: the caches hit) or
    "changed" (one control changed first: the caches miss; the index-th value series),
    each started before the deadline (and, given until, as many as start before it is
    set) and added to results. False when a rerun timed out or broke off (the session is
    out of step)."""
    for round_number in itertools.count() if until else range(args.rounds):
        if time.monotonic() >= deadline or (until and until.is_set()):
            return True
        if label == "changed":
            value = changed_value(session, key, 1 + index * args.rounds + round_number)
            session.set_control(key, value)
        result = await session.run(session.widget_message(), label, args.timeout)
        results.append(result)
        if not result.status.startswith("FINISHED"):
            return False
        if args.think:
            await asyncio.sleep(rng.uniform(0, 2 * args.think))
    return True


async def load(server: Server, page: str, sessions: int, args, gc: str) -> Outcome:
    outcome = Outcome(gc, sessions)
    args.timeout = args.rerun_timeout or max(RERUN_TIMEOUT, 1.0 * sessions)
    # Warm-up: imports and the page's default caches, so "before" is a served app.
    warm, _ = await open_page(server.port, page, args.query)
    key = pick_control(warm, args.control)
    if key is None:
        raise SystemExit(f"/{page} has no control to change")
    # One session alone: reruns with nothing changed, then one control changed.
    for _ in range(3):
        outcome.alone.append(await warm.run(warm.widget_message(), "unchanged", ALONE_TIMEOUT))
    for index in range(1):
        warm.set_control(key, changed_value(warm, key, -1 - index))
        outcome.alone.append(await warm.run(warm.widget_message(), "changed", ALONE_TIMEOUT))
    await warm.close()
    await asyncio.sleep(2)
    outcome.before = server.rss()
    sampler = MemorySampler(server)
    sampler.start()

    opened = await asyncio.gather(
        *(open_page(server.port, page, args.query, args.timeout) for _ in range(sessions)),
        return_exceptions=True,
    )
    live = []
    for item in opened:
        if isinstance(item, BaseException):
            outcome.connect_errors.append(f"{type(item).__name__}: {item}")
        else:
            live.append(item[0])
            outcome.initial.append(item[1])

    rng = random.Random(1)
    active = list(live)
    # (c) runs between (a) and (b): its unchanged reruns hit the caches of (a)'s settings,
    # which (b)'s changes evict.
    for phase in ("unchanged",) + (("mixed",) if args.mixed else ()) + ("changed",):
        kinds = ([phase] * len(active) if phase != "mixed" else
                 ["changed" if i < args.mixed else "unchanged" for i in range(len(active))])
        cpu_start, client_start, start = server.cpu(), time.process_time(), time.monotonic()
        ticks_start = machine_ticks()
        offset = len(live) if phase == "mixed" else 0  # (c) changes to values (b) did not use
        changers_done = asyncio.Event()  # (c): the others rerun until the changers are done
        loops = [asyncio.ensure_future(session_loop(
            offset + i, s, pick_control(s, args.control) or key, kind, args,
            start + args.duration,
            getattr(outcome, kind if phase != "mixed" else f"mixed_{kind}"),
            random.Random(rng.random()),
            until=changers_done if phase == "mixed" and kind == "unchanged" else None))
            for i, (s, kind) in enumerate(zip(active, kinds))]
        if phase == "mixed":
            await asyncio.gather(*(t for t, kind in zip(loops, kinds) if kind == "changed"))
            changers_done.set()
        in_step = await asyncio.gather(*loops)
        outcome.phase_seconds[phase] = time.monotonic() - start
        outcome.server_cpu[phase] = server.cpu() - cpu_start
        outcome.client_cpu[phase] = time.process_time() - client_start
        outcome.steal[phase] = steal_share(ticks_start, machine_ticks())
        active = [s for s, ok in zip(active, in_step) if ok]
        outcome.in_step[phase] = len(active)
        outcome.rss_after[phase] = server.rss()
    outcome.end_of_load = server.rss()
    await asyncio.gather(*(s.close() for s in live))
    outcome.peak = await sampler.stop()
    await asyncio.sleep(args.settle)
    outcome.after = server.rss()
    if args.ttl is not None:
        # Closed sessions are kept for a reconnect in a TTLCache that drops expired ones
        # only when another session is stored: wait out the TTL, then open and close one.
        await asyncio.sleep(max(0.0, args.ttl + 1 - args.settle))
        session, _ = await open_page(server.port, "", "")
        await session.close()
        await asyncio.sleep(TRIM_INTERVAL + 1)  # the server's next malloc_trim (views/heap)
        outcome.expired = server.rss()
    # What the page caches hold (bounded by max_entries) rather than the sessions.
    await clear_caches(server.port)
    await asyncio.sleep(TRIM_INTERVAL + 1)
    outcome.cleared = server.rss()
    return outcome


def phase_of(label: str) -> str:
    """The phase of a list of runs: (c)'s two lists share the phase "mixed"."""
    return "mixed" if label.startswith("mixed") else label


def phase_rate(outcome: Outcome, label: str) -> tuple[float, float]:
    """(finished reruns per second, server CPU seconds per rerun started) of one phase; the
    CPU figure is a lower bound when reruns were still running at their timeout."""
    phase = phase_of(label)
    runs = outcome.mixed_changed + outcome.mixed_unchanged if phase == "mixed" else \
        getattr(outcome, label)
    done = sum(r.status == "FINISHED_SUCCESSFULLY" for r in runs)
    seconds = outcome.phase_seconds.get(phase, 0.0)
    return (done / seconds if seconds else float("nan"),
            outcome.server_cpu.get(phase, 0.0) / len(runs) if runs else float("nan"))


def report(outcome: Outcome, args) -> None:
    n = outcome.sessions
    alone = outcome.alone
    print(f"  one session alone             nothing changed "
          f"{percentile([r.latency for r in alone if r.label == 'unchanged'], 50):.3f} s (p50 of "
          f"3), one control changed "
          + ", ".join(f"{r.latency:.3f}" for r in alone if r.label == "changed") + " s")
    print(f"  initial render, {n} at once   {describe(outcome.initial)}")
    for label, name in (("unchanged", "(a) nothing changed (hits)"),
                        ("changed", "(b) one control changed  "),
                        ("mixed_unchanged", "(c) nothing changed      "),
                        ("mixed_changed", "(c) one control changed  ")):
        if not getattr(outcome, label):
            continue
        if label == "mixed_unchanged":
            print(f"  (c), between (a) and (b): {args.mixed} sessions change a control while "
                  f"the others rerun with nothing changed (rate and CPU: the whole phase)")
        phase = phase_of(label)
        rate, cpu = phase_rate(outcome, label)
        seconds = outcome.phase_seconds.get(phase, 0.0)
        cores = outcome.server_cpu.get(phase, 0.0) / seconds if seconds else float("nan")
        client = outcome.client_cpu.get(phase, 0.0) / seconds if seconds else float("nan")
        print(f"  {name}  {describe(getattr(outcome, label))}")
        if label != "mixed_changed":
            print(f"  {'':28s}  {rate:6.2f} reruns/s over {seconds:.1f} s; server CPU "
                  f"{cpu * 1000:.0f} ms per rerun started, {cores:.2f} cores (this client "
                  f"{client:.2f}); sessions in step {outcome.in_step.get(phase, 0)} of {n}; "
                  f"host steal {100 * outcome.steal.get(phase, float('nan')):.0f}%")
        if label == "unchanged" and outcome.steal.get(phase, 0.0) > STEAL_FLAG:
            print(f"  {'':28s}  the host took more than {100 * STEAL_FLAG:.0f}% of the CPU: "
                  f"this p95 is not the 2-core machine's; run again when the steal is lower")
    payload = [r.bytes for r in outcome.changed if r.ok]
    hits = [r.ref_hits for r in outcome.unchanged if r.ok]
    if payload:
        print(f"  bytes received per changed rerun {sum(payload) / len(payload) / 1e6:.3f} MB;"
              f" elements served from the browser cache per unchanged rerun "
              f"{sum(hits) / max(1, len(hits)):.1f}")
    before, peak, after = outcome.before / MB, outcome.peak / MB, outcome.after / MB
    print(f"  server RSS                    before {before:7.1f} MB | peak {peak:7.1f} MB |"
          f" end of load {outcome.end_of_load / MB:7.1f} MB | after close + {args.settle:g} s"
          f" {after:7.1f} MB")
    if "unchanged" in outcome.rss_after:
        print(f"  growth per session after (a), the sessions open and the caches of the "
              f"defaults only: {(outcome.rss_after['unchanged'] / MB - before) / n:6.2f} MB")
    print(f"  growth per session            peak {(peak - before) / n:6.2f} MB | "
          f"after close {(after - before) / n:6.2f} MB  (budget <= 3 MB)")
    if outcome.expired is not None:
        print(f"  server RSS once the closed sessions expired (--ttl {args.ttl}) "
              f"{outcome.expired / MB:7.1f} MB: "
              f"{(outcome.expired - outcome.before) / n / MB:6.2f} MB per session above before")
    print(f"  server RSS after the menu's Clear cache (st.cache_data, st.cache_resource) "
          f"{outcome.cleared / MB:7.1f} MB: "
          f"{(outcome.cleared - outcome.before) / n / MB:6.2f} MB per session above before")
    print(f"  check: {check_runs(outcome.all_runs())}")
    if outcome.connect_errors:
        print(f"  connection errors {len(outcome.connect_errors)}: {outcome.connect_errors[0]}")
    print(f"  {log_summary(outcome.log_problems)}")


def configured_gc() -> str:
    path = ROOT / ".streamlit" / "config.toml"
    try:
        value = tomllib.loads(path.read_text()).get("runner", {}).get("postScriptGC")
    except (OSError, tomllib.TOMLDecodeError):
        value = None
    return "true (Streamlit's default)" if value is None else str(value).lower()


async def main(args) -> None:
    page = args.page.strip("/") if args.page != "auto" else None
    paths = {entry.url_path for entry in PAGES}
    if page is not None and page not in paths:
        raise SystemExit(f"--page must be auto or one of {sorted(paths)}")
    load1 = os.getloadavg()
    print(f"load.py: Streamlit on {HOST}, {os.cpu_count()} CPUs, load average "
          f"{load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f} at start; runner.postScriptGC in "
          f".streamlit/config.toml: {configured_gc()}"
          + (f"; server options {' '.join(args.set)}" if args.set else ""))
    if page is None:
        with Server(args.gc[0], args.ttl, args.set) as server:
            print(f"\nWhich page is heaviest (one session, server on port {server.port}):")
            page = await probe_pages(server.port, server.process.pid, args.control)
            print(f"  {log_summary(server.log_problems())}")
    outcomes = []
    for gc in args.gc:
        for sessions in args.sessions:
            with Server(gc, args.ttl, args.set) as server:
                label = configured_gc() if gc == "config" else gc
                print(f"\n== /{page}: {sessions} sessions, runner.postScriptGC = {label}, "
                      f"{args.rounds} rounds, think {args.think:g} s "
                      f"(server pid {server.pid}, port {server.port})")
                for repeat in range(args.repeat):
                    if args.repeat > 1:
                        print(f"  -- repetition {repeat + 1} of {args.repeat} on the same "
                              f"server")
                    outcome = await load(server, page, sessions, args, label)
                    outcome.log_problems = server.log_problems()
                    report(outcome, args)
                    outcomes.append(outcome)
    if len(outcomes) > 1:
        print(f"\nSummary, /{page}: p50 / p95 in s of the initial render, of (a) the rerun with "
              f"nothing changed and of (b) the rerun with one control changed, each with its "
              f"reruns/s, server CPU ms per rerun and host steal; server RSS in MB before / "
              f"peak / after close; growth per session in MB at peak / after close")
        for o in outcomes:
            def p50_95(runs):
                values, unfinished = latencies(runs)
                bound = ">=" if unfinished else "  "
                return (f"{bound}{percentile(values, 50):6.2f} / "
                        f"{bound}{percentile(values, 95):6.2f}")

            def rate_cpu(label):
                rate, cpu = phase_rate(o, label)
                steal = 100 * o.steal.get(phase_of(label), float("nan"))
                return f"{rate:5.2f}/s {cpu * 1000:5.0f} ms {steal:3.0f}%"
            print(f"  N={o.sessions:3d} GC={o.gc:5s} | {p50_95(o.initial)} | "
                  f"(a) {p50_95(o.unchanged)} {rate_cpu('unchanged')} | "
                  f"(b) {p50_95(o.changed)} {rate_cpu('changed')} | "
                  f"{o.before / MB:5.0f} / {o.peak / MB:5.0f} / {o.after / MB:5.0f} | "
                  f"{(o.peak - o.before) / o.sessions / MB:5.2f} / "
                  f"{(o.after - o.before) / o.sessions / MB:5.2f}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[30],
                        help="concurrent sessions, one run per value (default 30)")
    parser.add_argument("--mixed", type=int, default=0, metavar="K",
                        help="then (c): K sessions change a control while the others rerun "
                             "with nothing changed (default 0: no such phase)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="reruns per session in each phase: (a) nothing changed, "
                             "(b) one control changed")
    parser.add_argument("--page", default="auto",
                        help="url path of the page to load, or auto (the heaviest)")
    parser.add_argument("--gc", nargs="+", choices=("false", "true", "config"),
                        default=["config"],
                        help="--runner.postScriptGC for the server; config = as in "
                             ".streamlit/config.toml (default)")
    parser.add_argument("--control", help="key of the control a changed rerun moves "
                                          "(default: seed, else the page's first slider)")
    parser.add_argument("--query", default="", help="query string the sessions open with")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause in seconds between a session's reruns (uniform "
                             "0..2x; default 0: back to back)")
    parser.add_argument("--duration", type=float, default=30.0,
                        help="seconds after which no session starts another rerun "
                             "(default 30)")
    parser.add_argument("--rerun-timeout", type=float, default=None,
                        help="seconds a session waits for script_finished (default "
                             "max(30, sessions)); a rerun that times out ends that "
                             "session's loop and its latency counts as a lower bound")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run the load this many times on the same server: an RSS "
                             "that keeps rising from one repetition to the next is a leak, "
                             "one that levels off is memory the allocator keeps for reuse")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds between closing the sessions and the RSS 'after'")
    parser.add_argument("--ttl", type=int, default=None,
                        help="--server.disconnectedSessionTTL (Streamlit keeps a closed "
                             "session 120 s for a reconnect)")
    parser.add_argument("--set", action="append", default=[], metavar="OPTION=VALUE",
                        help="one more config option for the server, e.g. "
                             "server.fileWatcherType=none (repeatable)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or min(args.sessions) < 1 or args.duration <= 0:
        parser.error("--rounds, --sessions and --duration must be positive")
    args.rounds = min(args.rounds, 50)
    args.mixed = max(0, min(args.mixed, min(args.sessions)))
    args.repeat = max(1, min(args.repeat, 10))
    args.sessions = [min(n, 500) for n in args.sessions]
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))

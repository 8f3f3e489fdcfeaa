"""End-to-end fixtures: the real `streamlit run app.py` on 127.0.0.1 and Debian's Chromium.

Browser tests skip when Chromium or Playwright is missing, except under CI=true, where
they must run: a missing browser is then a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url}/_stcore/health did not answer in {timeout} s")


def start_server(python: str = sys.executable, cwd: Path = ROOT) -> tuple[subprocess.Popen, str]:
    """`python -m streamlit run app.py` on a free loopback port; returns (process, base URL).

    The server's output goes to a temporary file, never to an unread pipe (a full pipe
    blocks the server), and the file watcher is off (tests never edit the scripts).
    """
    port = free_port()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [python, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process)
    except Exception:
        process.kill()
        raise
    return process, url


@pytest.fixture(scope="session")
def server():
    """A real Streamlit server running app.py for this test session: (process, base URL)."""
    process, url = start_server()
    yield process, url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def server_url(server):
    """The base URL of the session's server."""
    return server[1]


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    _require(executable is not None, "Debian's chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "playwright is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    yield tab
    context.close()


def open_app(page, url: str, timeout: float = 90_000) -> None:
    """Go to url and wait until the script has finished (stApp script state notRunning).

    Readiness is the app's own script state, not the browser's "load" event (which, on a
    busy machine, sometimes never came although the app had rendered).
    """
    page.goto(url, wait_until="commit", timeout=timeout)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )
    # The first run after load can start a moment later; wait for the page's body too.
    page.wait_for_selector("[data-testid='stMainBlockContainer']", timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )


def open_rendered(page, url: str, timeout: float = 90_000) -> None:
    """open_app, then wait for the page's title (h1) or an exception, and for the end of that
    run: on a busy machine the first run can start after open_app has seen the app idle."""
    open_app(page, url, timeout)
    page.locator("h1, [data-testid='stException']").first.wait_for(timeout=timeout)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )


def assert_no_exception(page) -> None:
    """No exception box, no KaTeX error, no "Page not found" modal over the page."""
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator(".katex-error").count() == 0
    assert page.locator("[role='dialog']", has_text="Page not found").count() == 0


def metric(page, label: str) -> str:
    """The value shown by the st.metric whose label contains ``label``."""
    box = page.locator("[data-testid='stMetric']", has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text()


def slider_value(page, label: str) -> str:
    """The value of the st.slider whose label contains ``label``."""
    box = page.locator("[data-testid='stSlider']", has_text=label).first
    return box.locator("input[type='range']").get_attribute("value")


def play_animation(page, chart_index: int, label_prefix: str, wait_ms: int = 700) -> tuple[int, int]:
    """Press Play on the chart_index-th plotly chart; return the frame number shown in its
    slider label ("<label_prefix> N") before the press and ``wait_ms`` after it."""
    chart = page.locator("[data-testid='stPlotlyChart']").nth(chart_index)
    chart.scroll_into_view_if_needed()
    label = chart.locator("text", has_text=label_prefix).first

    def shown() -> int:
        return int(re.search(r"= (\d+)", label.text_content()).group(1))

    before = shown()
    chart.locator("text", has_text="Play").first.click()
    page.wait_for_timeout(wait_ms)
    return before, shown()

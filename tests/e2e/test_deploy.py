"""Deploy smoke test: the repository as Streamlit Community Cloud gets it, served offline.

A copy of exactly the files git tracks (untracked local files cannot make it pass) gets a
fresh virtualenv that installs only requirements.txt, and `streamlit run app.py` runs from
the copy's root as Community Cloud runs it, with HOME and TMPDIR in a scratch directory,
inside a network namespace that has only a loopback interface (`unshare -rn`), under strace.
Chromium, in the same namespace, opens the home page and every page of views/registry.PAGES.

Facts checked: every page renders with no exception or error box; the copy is byte-identical
afterwards; every file the server opened for writing, created, renamed or removed is in the
scratch directory; the server never tried to connect anywhere but the loopback (and could not
have: the namespace has no other interface); no secret is read (no st.secrets, no
secrets.toml, an empty HOME). What the run does not exercise (other settings, uploads) is
covered statically: no app module imports a network client or a scikit-learn fetch_* loader.

Run as a module (`python -m tests.e2e.test_deploy ...`) it is the part that runs inside the
namespace: start the server, visit the pages, write what it saw as JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import pytest

from tests.e2e.conftest import (CHROMIUM_FLAGS, ROOT, _require, assert_no_exception,
                                chromium_path, free_port, open_rendered, wait_for_health)
from views.registry import PAGES

pytestmark = [pytest.mark.e2e, pytest.mark.deploy]

TOOLS = ("git", "unshare", "ip", "strace")
# Every system call that creates, changes or removes a file, and connect().
TRACED = ("open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,"
          "link,linkat,symlink,symlinkat,truncate,connect")
WRITE_FLAGS = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC")
DEVICES = ("/dev/null", "/dev/tty", "/dev/urandom")
PROBLEMS = ("timed_out", "exceptions", "error_boxes", "page_errors")
PATHS = ["/"] + [f"/{entry.url_path}" for entry in PAGES]


def tracked_copy(destination: Path) -> None:
    """Copy the files git tracks in the working tree (deleted ones excepted) to destination."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def manifest(root: Path) -> dict[str, str]:
    """Every file and directory under root with the SHA-256 of its bytes ("dir" for a folder)."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root)] = "dir"
        for name in files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return found


def fresh_venv(path: Path, requirements: Path) -> Path:
    """A new virtualenv with requirements.txt and nothing else; returns its bin directory.

    This environment's pip installs into it (``--python``); no bytecode is compiled at
    install time (the server compiles what it imports), which halves the install.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(path / "bin" / "python"),
                    "install", "-q", "--no-compile", "-r", str(requirements)], check=True)
    return path / "bin"


def written_paths(trace: str, cwd: Path) -> list[str]:
    """The absolute paths that strace's log shows opened for writing, created or removed."""
    paths = []
    for line in trace.splitlines():
        call = re.match(r"\d+\s+(\w+)\((.*)", line)
        if not call or call.group(1) == "connect":
            continue
        name, arguments = call.groups()
        if name in ("open", "openat") and not WRITE_FLAGS.search(arguments):
            continue
        for quoted in re.findall(r'"((?:[^"\\]|\\.)*)"', arguments):
            paths.append(os.path.normpath(os.path.join(cwd, quoted)))
    return paths


def connections(trace: str) -> list[str]:
    """strace's lines for every connect() to anything but the loopback or a local socket."""
    found = []
    for line in trace.splitlines():
        if re.match(r"\d+\s+connect\(", line) and "AF_UNIX" not in line:
            address = re.search(r'inet_(?:addr|pton)\((?:AF_INET6, )?"([^"]+)"', line)
            if not address or address.group(1) not in ("127.0.0.1", "::1"):
                found.append(line)
    return found


def visit_offline(bin_dir: Path, repo: Path, scratch: Path) -> dict:
    """Inside the namespace: serve the copy under strace, open every page, stop the server."""
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "LANG": "C.UTF-8",
           "HOME": str(scratch / "home"), "TMPDIR": str(scratch / "tmp"),
           "PYTHONPYCACHEPREFIX": str(scratch / "pycache")}
    for name in ("home", "tmp"):
        (scratch / name).mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    with open(scratch / "server.log", "wb") as log:
        server = subprocess.Popen(
            ["strace", "-f", "-qq", "--seccomp-bpf", "-e", f"trace={TRACED}",
             "-o", str(scratch / "strace.log"),
             str(bin_dir / "streamlit"), "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    pages = {}
    try:
        wait_for_health(url, server, timeout=180)
        seen = {"health_s": round(time.monotonic() - started, 1)}
        from playwright.sync_api import Error as PlaywrightError, sync_playwright
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
            for path in PATHS:
                tab = browser.new_page(viewport={"width": 1400, "height": 1000})
                errors = []
                tab.on("pageerror", lambda error: errors.append(str(error)[:200]))
                opened = time.monotonic()
                try:
                    open_rendered(tab, url + path)
                    if path != "/":  # an explainer's metrics can arrive after its title
                        tab.locator("[data-testid='stMetric'], [data-testid='stException']"
                                    ).first.wait_for(timeout=90_000)
                    timed_out = ""
                except PlaywrightError as error:  # never rendered: record what is on screen
                    timed_out = str(error)[:300]
                try:
                    assert_no_exception(tab)
                    clean = True
                except AssertionError:
                    clean = False
                pages[path] = {
                    "clean": clean,
                    "timed_out": timed_out,
                    "exceptions": tab.locator("[data-testid='stException']").all_inner_texts(),
                    "error_boxes": tab.locator(
                        "[data-testid='stAlertContentError']").all_inner_texts(),
                    "page_errors": errors,
                    "titles": tab.locator("h1").all_inner_texts(),
                    "metrics": tab.locator("[data-testid='stMetric']").count(),
                    "seconds": round(time.monotonic() - opened, 1),
                }
                tab.close()
            browser.close()
        seen["visits_s"] = round(time.monotonic() - started - seen["health_s"], 1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    trace = (scratch / "strace.log").read_text(errors="replace")
    return {**seen, "pages": pages, "written": sorted(set(written_paths(trace, repo))),
            "connections": connections(trace),
            "server_log": (scratch / "server.log").read_text(errors="replace")[-2000:]}


@pytest.fixture(scope="module")
def deployment():
    for tool in TOOLS:
        _require(shutil.which(tool) is not None, f"{tool} is not installed")
    _require(chromium_path() is not None, "Debian's chromium is not installed")
    _require((ROOT / ".git").exists(), "not a git checkout")
    _require(subprocess.run(["unshare", "-rn", "true"]).returncode == 0,
             "this system does not allow a network namespace (unshare -rn)")
    with tempfile.TemporaryDirectory(prefix="deploy-") as base:
        base = Path(base)
        repo, scratch = base / "repo", base / "scratch"
        tracked_copy(repo)
        scratch.mkdir()
        started = time.monotonic()
        bin_dir = fresh_venv(base / "venv", repo / "requirements.txt")
        installed = time.monotonic() - started
        before = manifest(repo)
        namespace = subprocess.run(
            ["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$@"', "sh",
             sys.executable, "-m", "tests.e2e.test_deploy", str(bin_dir), str(repo),
             str(scratch)], cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert namespace.returncode == 0, namespace.stderr[-3000:]
        seen = json.loads(namespace.stdout.strip().splitlines()[-1])
        print(f"deploy: install {installed:.0f} s, server healthy after {seen['health_s']} s, "
              f"{len(PATHS)} pages in {seen['visits_s']} s")
        yield {**seen, "repo": str(repo), "scratch": str(scratch), "before": before,
               "after": manifest(repo)}


def test_every_page_renders_from_a_fresh_install_offline(deployment):
    assert set(deployment["pages"]) == set(PATHS)
    for path, seen in deployment["pages"].items():
        problems = {key: seen[key] for key in PROBLEMS if seen[key]}
        assert seen["clean"] and not problems and seen["titles"], (
            path, seen, deployment["server_log"])
    for entry in PAGES:
        assert deployment["pages"][f"/{entry.url_path}"]["metrics"] >= 1, entry.url_path
    assert "Traceback" not in deployment["server_log"], deployment["server_log"]


def test_the_server_writes_only_into_its_scratch_directory(deployment):
    assert deployment["after"] == deployment["before"]  # no new, changed or removed file
    written, scratch = deployment["written"], deployment["scratch"] + os.sep
    # The trace sees writes: Python's bytecode cache goes to PYTHONPYCACHEPREFIX, in scratch.
    assert any(path.startswith(scratch + "pycache" + os.sep) for path in written)
    shared_memory = [path for path in written if path.startswith("/dev/shm/")]
    outside = [path for path in written if not path.startswith(scratch)
               and path not in DEVICES and path not in shared_memory]
    assert outside == []
    # joblib probes for POSIX semaphores in the kernel's tmpfs and removes them at once.
    assert [path for path in shared_memory if os.path.exists(path)] == []


def test_the_server_never_connects_beyond_the_loopback(deployment):
    assert deployment["connections"] == []


def test_no_secret_and_no_network_client_in_the_app_code():
    """What the offline run cannot see (settings and uploads it did not try): no module of the
    app reads st.secrets, imports a network client, or calls a scikit-learn fetch_* loader."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout.split()
    assert not [name for name in tracked if name.endswith("secrets.toml")]
    sources = {name: (ROOT / name).read_text() for name in tracked
               if name.endswith(".py") and name.startswith(("app.py", "core/", "views/"))}
    network = re.compile(r"^\s*(import|from)\s+(requests|httpx|aiohttp|socket|http|urllib3|"
                         r"urllib(?!\.parse\b))\b|\bfetch_\w+\(", re.MULTILINE)
    assert [name for name, text in sources.items() if "secrets" in text] == []
    assert [name for name, text in sources.items() if network.search(text)] == []


def test_the_readme_deploy_steps_match_the_repository():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Deploy to Streamlit Community Cloud", 1)[1].split("\n## ", 1)[0]
    tracked = set(subprocess.run(["git", "ls-files"], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout.split())
    assert "**Main file path** to `app.py`" in section and "app.py" in tracked
    assert "requirements.txt" in section and "requirements.txt" in tracked
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    pins = [pin for pin in (line.split("#")[0].strip() for line in lines) if pin]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", pin) for pin in pins)
    # Community Cloud reads the first of these it finds, and requirements.txt comes after three.
    assert not tracked & {"uv.lock", "Pipfile", "environment.yml", "pyproject.toml"}
    assert ".streamlit/config.toml" in section and ".streamlit/config.toml" in tracked
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert "runner.postScriptGC = false" in section and config["runner"]["postScriptGC"] is False
    assert {"maxUploadSize", "maxMessageSize"} <= set(config["server"]) and "theme" in config
    assert re.findall(r"`(/[a-z-]*)`", section) == PATHS  # the home page, then every page


if __name__ == "__main__":
    bin_dir, repo, scratch = map(Path, sys.argv[1:4])
    print(json.dumps(visit_offline(bin_dir, repo, scratch)))

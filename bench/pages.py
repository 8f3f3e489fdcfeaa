"""Page speed and payload, measured through AppTest (prints figures; asserts nothing).

For each page: the first render with cold caches (app.py start-up included), a rerun after
one control change, a rerun with nothing changed, and the plotly payload (the JSON specs
sent to the browser), at the defaults and at the largest settings. Budgets (design doc):
first render <= 1.5 s, rerun after a change <= 0.5 s (autoencoder retraining <= 1.0 s),
unchanged rerun <= 0.1 s, payload <= 2 MB at defaults and <= 8 MB at the largest settings.

    python bench/pages.py [url_path ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st  # noqa: E402

from views.registry import PAGES  # noqa: E402
from tests.apptest import run_page  # noqa: E402

# url_path -> (the largest settings as a query, the one control change timed: key, value)
SCENARIOS = {
    "bptt": ({"T": "100", "d": "64", "n": "64", "c": "10", "sigma": "3.0", "scale": "5.0"},
             ("sigma", 1.5)),
    "rnn-lab": ({"D": "40", "n": "64", "steps": "300", "task": "adding"}, ("bf", 2.0)),
}


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def payload_bytes(app) -> int:
    return sum(len(chart.proto.spec) for chart in app.get("plotly_chart"))


def measure(script: str, query: dict, change: tuple[str, object]) -> str:
    st.cache_data.clear()
    st.cache_resource.clear()
    holder = {}
    first = timed(lambda: holder.setdefault("app", run_page(script, query)))
    app = holder["app"]
    if app.exception:
        return f"EXCEPTION {app.exception[0].value}"
    key, value = change
    changed = timed(lambda: app.slider(key=key).set_value(value).run())
    same = min(timed(app.run) for _ in range(3))
    return (f"first render {first:5.2f} s | rerun after {key} -> {value}: {changed:5.2f} s | "
            f"unchanged rerun {same:5.3f} s | plotly payload {payload_bytes(app) / 1e6:5.2f} MB")


def main(selected: list[str]) -> None:
    for entry in PAGES:
        if entry.url_path not in SCENARIOS or (selected and entry.url_path not in selected):
            continue
        largest, change = SCENARIOS[entry.url_path]
        for name, query in (("defaults", {}), ("largest", largest)):
            print(f"/{entry.url_path:16s} {name:8s} {measure(entry.script, query, change)}")


if __name__ == "__main__":
    main(sys.argv[1:])

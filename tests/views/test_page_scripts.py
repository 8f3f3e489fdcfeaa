"""A page run leaves nothing behind: its globals are freed when the run ends, by reference
counting alone (views/__init__: a function defined in a page script, or a lambda handed to a
widget, would keep them, with every result of the run, until a full garbage collection or
for the session's life)."""

import gc

import pytest

from tests.apptest import ROOT, assert_clean, run_page
from views.registry import PAGES

SCRIPTS = [page.script for page in PAGES if page.script.endswith("/page.py")]


def run_globals(script: str) -> list[dict]:
    """The live globals dicts of runs of ``script`` (each run has fresh ones)."""
    path = str(ROOT / script)
    return [o for o in gc.get_objects() if isinstance(o, dict) and o.get("__file__") == path]


@pytest.mark.parametrize("script", SCRIPTS)
def test_no_run_globals_outlive_the_run(script):
    gc.collect()
    gc.disable()
    try:
        app = run_page(script)
        assert_clean(app)
        app.run()
        assert run_globals(script) == []
    finally:
        gc.enable()

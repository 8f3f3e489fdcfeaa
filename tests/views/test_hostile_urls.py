"""Hostile links, as a visitor would type them: every URL-bound control of every page set at
once to a huge number, a negative number, NaN, text, an empty string or a repeated key.

The oracle is the page at its defaults: every bad value falls back to the default, so the
page must show exactly the default page's metrics, plus one notice per key that names the key
and says what to do.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

import pytest

from tests.apptest import assert_clean, notices, run_page
from views.common.controls import BoolControl, ChoiceControl, FloatControl, IntControl
from views.registry import PAGES

# 30 AppTest runs (~18 s of CPU): in the full suite and CI, not in the fast subset.
pytestmark = pytest.mark.slow

HOSTILE = {
    "huge": "9" * 400,  # overflows a float to inf
    "negative": "-1e6",
    "nan": "NaN",
    "text": "<b>ten</b>",
    "empty": "",
    "repeated": ["1", "2"],
}
CONTROL_TYPES = (IntControl, FloatControl, ChoiceControl, BoolControl)
ADVICE = "Pick a value with the control to update the link."


def page_controls(script: str) -> list:
    """Every URL-bound control a page declares: the Control specs (single or in tuples) at
    module level in its controls.py or settings.py, each key once."""
    package = script.rsplit("/", 1)[0].replace("/", ".")
    found = {}
    for name in ("controls", "settings"):
        try:
            module = importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            specs = value if isinstance(value, tuple) else (value,)
            for spec in specs:
                if isinstance(spec, CONTROL_TYPES):
                    found.setdefault(spec.key, spec)
    return list(found.values())


@lru_cache(maxsize=None)
def default_metrics(script: str) -> tuple[tuple[str, str], ...]:
    app = run_page(script)
    assert_clean(app)
    return tuple((m.label, m.value) for m in app.metric)


def test_every_page_declares_controls():
    for entry in PAGES:
        assert len(page_controls(entry.script)) >= 3, entry.script


@pytest.mark.parametrize("kind", list(HOSTILE))
@pytest.mark.parametrize("script", [entry.script for entry in PAGES])
def test_hostile_link_falls_back_to_the_default_page(script, kind):
    controls = page_controls(script)
    app = run_page(script, {control.key: HOSTILE[kind] for control in controls})
    assert_clean(app)
    shown = notices(app)
    for control in controls:
        mine = [n for n in shown if n.startswith(f"The link's `{control.key}=")]
        assert len(mine) == 1, (control.key, shown)
        assert ADVICE in mine[0] and "\n" not in mine[0], mine[0]
    assert len(shown) == len(controls), shown
    assert tuple((m.label, m.value) for m in app.metric) == default_metrics(script)

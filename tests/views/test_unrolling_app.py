"""The unrolling page in AppTest: defaults, presets, control extremes, malformed links."""

import pytest

from core import unrolling
from views.common.controls import PRESET_KEY
from views.unrolling import text
from views.unrolling.controls import CONTROLS, DEFAULTS, PRESETS
from tests.apptest import assert_clean, metric_labels, notices, run_page, tables

SCRIPT = "views/unrolling/page.py"
KEY_METRIC = "Parameters, shared (any T)"


def metric(app, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def latex(app) -> str:
    return "\n".join(element.value for element in app.latex)


def check_view(app, values: dict | None = None) -> None:
    """No exception, the key metric right for these sizes, h_t written out, slip 4 marked.

    ``values`` are the controls the view must show (the sliders' own values if None).
    """
    assert_clean(app)
    shown = {slider.key: slider.value for slider in app.slider}
    values = shown if values is None else values
    assert shown == values
    assert KEY_METRIC in metric_labels(app)
    d, n, c = values["d"], values["n"], values["c"]
    assert metric(app, KEY_METRIC) == f"{unrolling.shared_parameter_count(d, n, c):,}"
    assert text.wrap_unfolded(unrolling.unfold(values["t"])) in latex(app)
    assert r"\text{slip 4}" in latex(app)


def test_defaults():
    app = run_page(SCRIPT)
    check_view(app, DEFAULTS)
    assert not notices(app)
    # Every check in "Check it" passes at the defaults.
    t = DEFAULTS["t"]
    assert float(metric(app, f"unfold({t}) computed vs forward h_{t}")) < 1e-12
    assert metric(app, "Counts: formula − summed array sizes") == "0 and 0"
    assert float(metric(app, "Tied unshared vs shared RNN")) < 1e-12
    # The unshared network (T = 6) cannot run the sequences of length 10 and 40: said, not raised.
    (table,) = tables(app)
    assert [cell.startswith("✗") for cell in table["unshared, built for T = 6"]] == [
        False, True, True]
    # The graded lines: the seed's line 4 is its slip, the corrected line equals h_t.
    graded = next(m.value for m in app.markdown if "**Line 4, corrected**" in m.value)
    assert "**Line 4** :red-badge[✗ slip 4]" in graded
    assert "**Line 4, corrected** :green-badge[✓ correct]" in graded
    assert all(f"**Line {i}** :green-badge[✓ correct]" in graded for i in (1, 2, 3))


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_from_its_link(name):
    values = PRESETS[name]
    app = run_page(SCRIPT, {key: str(value) for key, value in values.items()})
    check_view(app, values)
    assert not notices(app)


def test_a_preset_button_sets_every_control():
    app = run_page(SCRIPT)
    app.button_group(key=PRESET_KEY).select("Large RNN").run()
    values = PRESETS["Large RNN"]
    check_view(app, values)
    assert {s.key: s.value for s in app.slider} == values


@pytest.mark.slow  # every control at both ends: in the full suite, not the fast core
@pytest.mark.parametrize(
    "key, value",
    [(control.key, value) for control in CONTROLS for value in control.extremes()],
)
def test_control_extremes(key, value):
    app = run_page(SCRIPT, {key: str(value)})
    check_view(app, {**DEFAULTS, key: value})
    assert not notices(app)


@pytest.mark.parametrize("query", [
    {"t": "abc"}, {"n": "1e9"}, {"T": ["1", "2"]}, {"sigma": "nan"}, {"length_3": "-4"},
    {"d": "2.5"},
])
def test_malformed_links_fall_back_with_a_notice(query):
    app = run_page(SCRIPT, query)
    check_view(app)
    (key,) = query
    control = next(c for c in CONTROLS if c.key == key)
    low, high = control.extremes()
    assert low <= next(s.value for s in app.slider if s.key == key) <= high
    assert any(f"`{key}=" in notice for notice in notices(app)), notices(app)

"""The BPTT page run headlessly with AppTest: defaults, presets, extremes, bad URLs."""

import pytest

from views.bptt.controls import CONTROLS, PRESETS, step_control
from tests.apptest import assert_clean, metric_labels, notices, run_page, run_preset

SCRIPT = "views/bptt/page.py"
KEY_METRICS = {"loss L", "regime", "σ_max(W_hh)"}


def check_page(app):
    assert_clean(app)
    assert KEY_METRICS <= set(metric_labels(app))
    assert any("relative error" in m.value for m in app.markdown)
    return app


def test_defaults():
    app = check_page(run_page(SCRIPT))
    assert not notices(app)
    assert len(app.get("plotly_chart")) == 4


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets(name):
    app = check_page(run_preset(SCRIPT, name, PRESETS[name]))
    regime = next(m.value for m in app.metric if m.label == "regime")
    expected = {"Vanishing": "vanishing", "Exploding": "exploding", "Edge of stability": "stable"}
    if name in expected:
        assert regime == expected[name]
    if name.startswith("Diagonal"):
        assert any("costs nothing" in m.value for m in app.markdown)


@pytest.mark.slow  # every control at both ends: in the full suite, not the fast core
@pytest.mark.parametrize("control", [c for c in CONTROLS + (step_control(30),)
                                     if hasattr(c, "min_value")],
                         ids=lambda c: c.key)
@pytest.mark.parametrize("end", [0, 1])
def test_extremes(control, end):
    value = control.extremes()[end]
    app = check_page(run_page(SCRIPT, {control.key: str(value)}))
    assert not notices(app)
    assert app.session_state[control.key] == value


def test_largest_network_everywhere():
    app = check_page(run_page(SCRIPT, {"T": "100", "d": "64", "n": "64", "c": "10",
                                       "sigma": "3.0", "scale": "5.0", "init": "orthogonal"}))
    assert not notices(app)


@pytest.mark.parametrize("query", [
    {"T": "abc"}, {"T": "1e9"}, {"T": "-1"}, {"n": "nan"}, {"sigma": "9"}, {"sigma": ""},
    {"init": "bogus"}, {"last": "maybe"}, {"T": ["3", "4"]}, {"T": "5.5"},
])
def test_malformed_query_parameters_fall_back_with_a_notice(query):
    app = check_page(run_page(SCRIPT, query))
    (key,) = query
    assert any(f"`{key}=" in line for line in notices(app)), notices(app)


def test_one_bad_parameter_keeps_the_others():
    app = check_page(run_page(SCRIPT, {"T": "abc", "n": "5", "init": "orthogonal"}))
    assert app.session_state["n"] == 5 and app.session_state["init"] == "orthogonal"
    assert app.session_state["T"] == 30


def test_the_step_slider_runs_to_T_and_a_step_beyond_T_says_so():
    app = check_page(run_page(SCRIPT, {"T": "12"}))
    assert (app.slider(key="step").max, app.slider(key="step").value) == (12, 12)
    assert any("term of step 12" in c.value for c in app.caption)
    app = check_page(run_page(SCRIPT, {"T": "12", "step": "80"}))
    assert any("`step=80`" in line and "= 12" in line for line in notices(app)), notices(app)
    assert any("term of step 12" in c.value for c in app.caption)
    app = check_page(run_page(SCRIPT, {"T": "12", "step": "5", "n": "4"}))
    assert any("t = 5" in c.value for c in app.caption) and not notices(app)
    app.slider(key="T").set_value(4).run()  # the step no longer exists: the last one shown
    assert app.slider(key="step").max == 4 and app.slider(key="step").value == 4
    assert any("term of step 4" in c.value for c in app.caption)


def test_one_step_sequences_show_step_1_without_a_slider():
    app = check_page(run_page(SCRIPT, {"T": "1", "step": "1"}))
    assert not app.get("slider") or all(s.key != "step" for s in app.slider)
    assert any("term of step 1" in c.value for c in app.caption)

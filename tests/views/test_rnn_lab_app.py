"""The RNN lab run headlessly with AppTest: defaults, presets, extremes, bad URLs.

Every new setting retrains three networks, so most runs ask for few steps through the URL.
"""

import pytest

from core import training
from views.rnn_lab.controls import CLIFF_CONTROLS, CONTROLS, PRESETS
from tests.apptest import assert_clean, metric_labels, notices, run_page, run_preset

SCRIPT = "views/rnn_lab/page.py"
FAST = {"steps": "10"}


def accuracy(app, prefix: str) -> str:
    return next(m.value for m in app.metric if m.label.startswith(prefix))


def check_page(app):
    assert_clean(app)
    labels = metric_labels(app)
    assert "chance" in labels
    D = app.session_state["D"]
    for prefix in ("RNN, D = 2", f"RNN, D = {D}", f"LSTM, D = {D}"):
        assert any(label.startswith(prefix) for label in labels), labels
    assert len(app.get("plotly_chart")) == 6
    assert not app.get("progress")  # every progress bar is gone once training is done
    assert any("relative error" in m.value and "All pass" in m.value for m in app.markdown)
    return app


def test_defaults_learn_short_fail_long_lstm_fixes_it():
    app = check_page(run_page(SCRIPT))
    assert not notices(app)
    assert accuracy(app, "RNN, D = 2") == "100%"
    assert int(accuracy(app, "RNN, D = 20").rstrip("%")) < 40
    assert int(accuracy(app, "LSTM, D = 20").rstrip("%")) > 90
    assert any("Why the RNN fails at D = 20" in m.value for m in app.markdown)
    assert any("trained with full BPTT" in m.value for m in app.markdown)


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets(name):
    app = check_page(run_preset(SCRIPT, name, PRESETS[name], FAST))
    if PRESETS[name]["k"]:
        assert any(f"trained with k = {PRESETS[name]['k']}" in m.value for m in app.markdown)
    if not PRESETS[name]["clip"]:
        assert any("No clipping" in c.value for c in app.caption)


@pytest.mark.slow  # every control at both ends: in the full suite, not the fast core
@pytest.mark.parametrize("control", [c for c in CONTROLS + CLIFF_CONTROLS], ids=lambda c: c.key)
@pytest.mark.parametrize("end", [0, -1])
def test_extremes(control, end):
    value = control.extremes()[end]
    query = {**FAST, control.key: str(value).lower() if isinstance(value, bool) else str(value)}
    app = check_page(run_page(SCRIPT, query))
    assert not notices(app)
    assert app.session_state[control.key] == value


@pytest.mark.slow
def test_largest_settings():
    app = check_page(run_page(SCRIPT, {"D": "40", "n": "64", "steps": "300", "task": "adding"}))
    assert not notices(app)


@pytest.mark.parametrize("query", [
    {"D": "abc"}, {"D": "1e9"}, {"D": "-1"}, {"n": "nan"}, {"lr": "9"}, {"lr": ""},
    {"opt": "rmsprop"}, {"task": "bogus"}, {"D": ["3", "4"]}, {"k": "5.5"}, {"tau": "0"},
])
def test_malformed_query_parameters_fall_back_with_a_notice(query):
    app = check_page(run_page(SCRIPT, {**FAST, **query}))
    (key,) = query
    assert any(f"`{key}=" in line for line in notices(app)), notices(app)


def test_one_bad_parameter_keeps_the_others():
    app = check_page(run_page(SCRIPT, {**FAST, "D": "abc", "n": "8", "opt": "momentum",
                                       "lr": "0.05"}))
    assert app.session_state["n"] == 8 and app.session_state["opt"] == "momentum"
    assert app.session_state["D"] == 20 and app.session_state["lr"] == 0.05


def test_a_new_optimizer_brings_its_learning_rate_unless_the_rate_changed_too():
    app = check_page(run_page(SCRIPT, FAST))
    app.selectbox(key="opt").set_value("sgd").run()
    assert app.session_state["lr"] == training.LEARNING_RATES["sgd"]
    app.slider(key="lr").set_value(0.05).run()
    app.selectbox(key="opt").set_value("momentum").run()
    assert app.session_state["lr"] == training.LEARNING_RATES["momentum"]
    check_page(app)
    # A link that names both keeps both.
    app = check_page(run_page(SCRIPT, {**FAST, "opt": "sgd", "lr": "0.05"}))
    assert app.session_state["lr"] == 0.05


def test_a_diverging_run_is_reported_not_raised():
    app = run_page(SCRIPT, {**FAST, "opt": "sgd", "lr": "0.3", "clip": "0", "sigma": "2.5"})
    assert_clean(app)
    assert len(app.get("plotly_chart")) == 6


def test_progress_bars_are_drawn_while_training_and_not_replayed_by_cache_hits(monkeypatch):
    """What the browser is sent: each training's bar on a cache miss, no bar on a hit."""
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator

    sent = []
    enqueue = DeltaGenerator._enqueue

    def record(self, delta_type, *args, **kwargs):
        sent.append(delta_type)
        return enqueue(self, delta_type, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "_enqueue", record)
    st.cache_data.clear()
    app = check_page(run_page(SCRIPT, {**FAST, "seed": "17"}))
    assert sent.count("progress") >= 3 * 2  # created and advanced, for each of the three runs
    sent.clear()
    app.run()
    assert "progress" not in sent
    app.slider(key="bf").set_value(2.0).run()  # retrains the LSTM only
    assert 2 <= sent.count("progress") <= 11

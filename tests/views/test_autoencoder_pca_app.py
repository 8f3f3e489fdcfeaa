"""The autoencoder page run headlessly with AppTest: defaults, presets, extremes, bad URLs."""

import pytest

from views.autoencoder_pca.controls import CONTROLS, PRESETS
from tests.apptest import assert_clean, metric_labels, notices, run_page, run_preset

SCRIPT = "views/autoencoder_pca/page.py"
KEY_METRICS = {"largest principal angle", "J* = Σ discarded λᵢ", "under 1° from iteration"}


def check_page(app):
    assert_clean(app)
    assert KEY_METRICS <= set(metric_labels(app))
    assert len(app.get("plotly_chart")) == 4
    assert any(m.value.startswith("### Check it") for m in app.markdown)
    return app


def metric(app, label):
    return next(m.value for m in app.metric if m.label.startswith(label))


def test_defaults():
    app = check_page(run_page(SCRIPT))
    assert not notices(app) and not app.warning
    assert float(metric(app, "largest principal angle").rstrip("°")) < 1
    assert any("All checks pass" in m.value for m in app.markdown)


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets(name):
    app = check_page(run_preset(SCRIPT, name, PRESETS[name]))
    if name == "Digits, k = 10":
        assert float(metric(app, "largest principal angle").rstrip("°")) < 1
    if name == "Weights = components":
        assert float(metric(app, "mean |cos")) > 0.999
    if name == "Escape from a saddle":
        assert any("Saddle plateau" in c.value for c in app.caption)


def extremes():
    for control in CONTROLS:
        for value in control.extremes():
            if value != control.default and not (control.key == "data" and value == "csv"):
                yield control.key, value


@pytest.mark.slow  # every control at both ends: in the full suite, not the fast core
@pytest.mark.parametrize("key, value", list(extremes()))
def test_extremes(key, value):
    app = run_page(SCRIPT, {key: str(value)})
    check_page(app)
    assert app.session_state[key] == value
    if key == "k" and value == 20:  # the 3-D data allow k <= 2: lowered, and said
        assert any("k = 20 is impossible" in n for n in notices(app))


def test_fixed_step_that_blows_up_is_a_warning_not_a_traceback():
    app = check_page(run_page(SCRIPT, {"step": "4"}))
    assert any("diverged" in w.value for w in app.warning)


def test_csv_without_a_file_says_what_to_do():
    app = run_page(SCRIPT, {"data": "csv"})
    assert_clean(app)
    assert any("Upload a CSV" in n for n in notices(app))


@pytest.mark.parametrize("query, shown", [
    ({"k": "abc"}, "k=abc"),
    ({"k": "1e9"}, "k=1e9"),
    ({"k": ["1", "2"]}, "appears more than once"),
    ({"data": "mnist"}, "data=mnist"),
    ({"iterations": "-5"}, "iterations=-5"),
    ({"scale": "1e300"}, "scale=1e300"),
    ({"step": "nan"}, "step=nan"),
    ({"seed": "0.5"}, "seed=0.5"),
])
def test_malformed_query_parameters(query, shown):
    app = check_page(run_page(SCRIPT, query))
    assert any(shown in n for n in notices(app)), notices(app)


def test_switching_weight_decay_between_none_and_uniform_keeps_the_companion(monkeypatch):
    """The non-uniform run does not depend on that switch: it is trained once, not again."""
    from core import autoencoder_analysis

    calls = []
    original = autoencoder_analysis.companion_run
    monkeypatch.setattr(autoencoder_analysis, "companion_run",
                        lambda *args, **kwargs: calls.append(1) or original(*args, **kwargs))
    app = run_page(SCRIPT, {"seed": "17"})  # a setting no other test caches
    app.selectbox(key="reg").set_value("uniform").run()
    check_page(app)
    assert len(calls) == 1

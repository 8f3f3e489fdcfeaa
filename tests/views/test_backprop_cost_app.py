"""The backprop-cost page run headlessly with AppTest: defaults, presets, extremes, bad URLs."""

import time

import pytest

from core import backprop_cost as bc
from views.backprop_cost.settings import CONTROLS, LAYER, PRESETS
from tests.apptest import assert_clean, metric_labels, notices, run_page, run_preset, tables

SCRIPT = "views/backprop_cost/page.py"
KEY_METRICS = {"parameters P", "backprop multiplications", "path-summation multiplications",
               "path summation ÷ backprop", "largest gradient difference between methods"}
ALL_CONTROLS = CONTROLS + (LAYER,)


def metric(app, label):
    return next(m.value for m in app.metric if m.label == label)


def table(app, first_column):
    return next(t for t in tables(app) if next(iter(t)) == first_column)


def check_page(app):
    assert_clean(app)
    assert KEY_METRICS <= set(metric_labels(app))
    assert len(app.get("plotly_chart")) == 4
    assert float(metric(app, "largest gradient difference between methods")) < 1e-10
    assert float(metric(app, "backprop vs central differences")) < 1e-6
    return app


def test_defaults_show_exact_counts_and_the_seed_beside_them():
    app = check_page(run_page(SCRIPT))
    assert not notices(app)
    d, n, c, L = 4, 4, 3, 3
    assert metric(app, "backprop multiplications") == f"{bc.backprop_multiplications(d, n, c, L):,}"
    assert metric(app, "parameters P") == f"{bc.parameter_count(d, n, c, L):,}"
    costs = table(app, "quantity")
    assert list(costs["handwritten"][:2]) == [
        f"{v:,}" for v in (bc.seed_answers(d, n, c, L)["parameters"],
                           bc.seed_answers(d, n, c, L)["backprop"])]
    assert all("✓" in cell for cell in costs["counted (instrumented run)"][:4])
    slips = " ".join(costs["the slip"])
    assert "Slip 5" in slips and "Slip 6" in slips and "Slip 7" in slips
    assert sum("✓ equal" in m.value for m in app.markdown) == 2
    checks = table(app, "method")
    assert list(checks["equal"]) == ["✓"] * 3


def test_derivation_counts_each_backprop_step_once_by_its_own_columns():
    """The weight-gradient step shows ∂J/∂W's counts, the input-gradient step δ's; with
    their repetitions they add up to the seed's and the right totals."""
    app = run_page(SCRIPT)
    d, n, c, L = 4, 4, 3, 3
    steps = [t for t in tables(app) if next(iter(t)) == "step (× times)"]
    assert len(steps) == 2
    times = [int(step.split("× ")[1].rstrip(")")) for step in steps[0]["step (× times)"]]

    def total(column):
        return sum(k * int(cell.replace(",", "")) for table in steps
                   for k, cell in zip(times, table[column]))
    assert total("seed") == bc.seed_answers(d, n, c, L)["backprop"]
    assert total("right") == bc.backprop_multiplications(d, n, c, L)
    assert steps[0]["right"][0] == f"{c * n:,}" and steps[1]["right"][0] == f"{c * n + n:,}"


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets(name):
    check_page(run_preset(SCRIPT, name, PRESETS[name]))


@pytest.mark.slow  # every control at both ends: in the full suite, not the fast core
@pytest.mark.parametrize("control", ALL_CONTROLS, ids=lambda c: c.key)
@pytest.mark.parametrize("end", [0, 1])
def test_extremes(control, end):
    value = control.extremes()[end]
    app = check_page(run_page(SCRIPT, {control.key: str(value).lower()}))
    assert not notices(app)
    assert app.session_state[control.key] == value


def test_deepest_widest_network_never_starts_an_exponential_run():
    query = {"d": "64", "n": "64", "c": "64", "L": "30", "L_max": "30", "layer": "5"}
    start = time.perf_counter()
    app = check_page(run_page(SCRIPT, query))
    elapsed = time.perf_counter() - start
    assert not notices(app)
    costs = table(app, "quantity")
    counted = list(costs["counted (instrumented run)"])
    assert counted[2].startswith("not run") and counted[3].startswith("not run")
    exact = bc.path_sum_multiplications(64, 64, 64, 30)
    assert metric(app, "path-summation multiplications") == f"{str(exact)[0]}.{str(exact)[1:4]} × 10⁵⁹"
    assert "(60 digits)" in list(costs["right (closed form)"])[3]
    assert elapsed < 30  # an exponential run here would never finish
    assert any("largest affordable network" in m.value for m in app.markdown)


@pytest.mark.parametrize("query, key", [
    ({"L": "abc"}, "L"), ({"n": "1e9"}, "n"), ({"d": ["1", "2"]}, "d"), ({"c": "-1"}, "c"),
    ({"bias": "maybe"}, "bias"), ({"layer": "2.5"}, "layer"), ({"L_max": ""}, "L_max"),
])
def test_malformed_query_parameters(query, key):
    app = check_page(run_page(SCRIPT, query))
    shown = notices(app)
    assert len(shown) == 1 and f"`{key}=" in shown[0]
    used = app.session_state[key]
    assert f"= {used}." in shown[0]  # the notice names the value the page went on with
    control = next(c for c in ALL_CONTROLS if c.key == key)
    assert used == control.default or control.parse(str(int(used))) == used

"""The backprop-cost page's figure builders, as pure functions from arrays to figures."""

import json

import numpy as np
import pytest

from core import backprop_cost as bc
from views.backprop_cost import figures
from tests.plotly_data import sent, values


def depth_sweep(L_max=12, d=4, n=4, c=3):
    return bc.sweep(d, n, c, 3, vary="L", values=np.arange(1, L_max + 1), budget=10**5)



def counts_figure(sweep, **kwargs):
    formula = {m: np.array(v, dtype=float) for m, v in sweep.formula.items()}
    return sent(figures.counts_against(
        sweep.values, formula, sweep.counted, np.array(sweep.parameters, dtype=float),
        size_name="hidden layers L", title="t", **kwargs))


def test_counts_lines_everywhere_markers_only_where_run():
    sweep = depth_sweep()
    figure = counts_figure(sweep, current=3)
    by_name = {trace.name: trace for trace in figure.data}
    for method, name in figures.METHOD_NAMES.items():
        line = by_name[name]
        assert line.mode == "lines" and len(values(line.x)) == 12
        np.testing.assert_array_equal(values(line.y), np.array(sweep.formula[method], dtype=float))
        markers = by_name[f"{name}: counted"]
        ran = np.isfinite(sweep.counted[method])
        np.testing.assert_array_equal(values(markers.x), sweep.values[ran])
        np.testing.assert_array_equal(values(markers.y), np.array(sweep.formula[method], float)[ran])
    assert len(values(by_name["path summation: counted"].x)) < 12  # the budget stops path summation
    assert len(values(by_name["backprop (reverse mode): counted"].x)) == 12
    assert figure.layout.yaxis.type == "log" and figure.layout.yaxis.title.text
    assert figure.layout.xaxis.title.text == "hidden layers L" and figure.layout.title.text
    low, high = figure.layout.yaxis.range
    assert 10**low <= 1 * values(by_name["parameters"].y).min()
    assert 10**high >= values(by_name["path summation"].y).max()
    assert by_name["current L"].x == (3, 3)


def test_counts_against_width_on_log_log_axes():
    sweep = bc.sweep(4, 4, 3, 3, vary="n", values=[1, 2, 4, 8, 64], budget=10**5)
    formula = {m: np.array(v, dtype=float) for m, v in sweep.formula.items()}
    figure = sent(figures.counts_against(
        sweep.values, formula, sweep.counted, np.array(sweep.parameters, float),
        size_name="hidden width n", title="t", log_x=True, current=4))
    assert figure.layout.xaxis.type == "log"
    low, high = figure.layout.xaxis.range
    assert low < 0 < np.log10(64) < high  # log axes take log10 ranges
    # The slope on log-log axes is the power of n: 2 for backprop at large n.
    bp = formula["backprop"]
    assert abs(np.log(bp[-1] / bp[-2]) / np.log(64 / 8) - 2) < 0.3


def test_huge_counts_stay_finite_on_the_axis():
    sweep = bc.sweep(64, 64, 64, 30, vary="L", values=np.arange(1, 31), budget=10**5)
    figure = counts_figure(sweep)
    low, high = figure.layout.yaxis.range
    assert np.isfinite([low, high]).all() and high > 50  # ~10^59 multiplications


def test_timings_plot_only_measured_points():
    sweep = depth_sweep()
    figure = sent(figures.timings(sweep.values, sweep.seconds, size_name="hidden layers L",
                                  title="t"))
    assert len(figure.data) == 3
    for trace, method in zip(figure.data, figures.METHOD_NAMES):
        ran = np.isfinite(sweep.seconds[method])
        np.testing.assert_allclose(values(trace.y), sweep.seconds[method][ran] * 1e3)
    assert figure.layout.yaxis.type == "log" and "ms" in figure.layout.yaxis.title.text


@pytest.mark.parametrize("widths, layer", [
    ([4, 4, 4, 4, 4, 4], 1), ([2, 3, 3, 2], 1), ([4, 4, 4, 4, 3], 2), ([3, 2, 2], 2),
    ([1, 1, 1], 1),
])
def test_network_animation_visits_every_path_once(widths, layer):
    L = len(widths) - 2
    paths = bc.paths_from_unit(widths[1], widths[-1], L, layer)
    figure = sent(figures.network_paths(widths, layer, paths))
    frames = figure.frames
    assert 1 <= len(frames) <= 100
    assert all(frame.traces == (1,) for frame in frames)
    # Every frame draws whole paths (L + 5 - layer points each, NaN-separated); together
    # the frames draw each path exactly once, in order.
    per_path = L + 5 - layer
    drawn = np.concatenate([values(frame.data[0].y) for frame in frames])
    assert drawn.size == per_path * len(paths)
    x_first = values(frames[0].data[0].x)[: per_path - 1]
    np.testing.assert_array_equal(x_first, np.arange(layer - 1, L + 3))
    expected_ends = figures._unit_y(widths[-1])[paths[:, -1]]
    np.testing.assert_array_equal(drawn.reshape(len(paths), per_path)[:, -3], expected_ends)
    # Play/Pause and a slider with one step per frame; fixed axes.
    assert [b.label for b in figure.layout.updatemenus[0].buttons] == ["▶ Play", "❚❚ Pause"]
    assert len(figure.layout.sliders[0].steps) == len(frames)
    assert figure.layout.xaxis.range and figure.layout.yaxis.range
    assert str(len(paths)) in figure.layout.title.text


def test_network_payload_small_at_the_largest_drawing():
    paths = bc.paths_from_unit(4, 4, 4, 1)  # 256 paths, grouped into <= 100 frames
    figure = figures.network_paths([4, 4, 4, 4, 4, 4], 1, paths)
    assert len(sent(figure).frames) == 100
    assert len(json.dumps(figure.to_dict(), default=str)) < 300_000


def test_figures_payload_at_defaults_under_budget():
    sweep = depth_sweep()
    size = len(counts_figure(sweep, current=3).to_json()) + len(
        sent(figures.timings(sweep.values, sweep.seconds, size_name="L", title="t")).to_json())
    assert size < 200_000

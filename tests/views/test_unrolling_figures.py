"""The unrolling page's figure builders and display helpers, as pure functions."""

import re

import numpy as np
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots

from core import unrolling
from tests.plotly_data import sent, values
from views.common.palette import WEIGHT_COLOURS
from views.unrolling import figures, text

WEIGHTS = ("W_sh", "W_hh", "W_hz")



def arrowheads(trace_data) -> int:
    sizes = values(trace_data["marker"]["size"])
    return int((sizes > 0).sum())


def no_latex(figure) -> None:
    texts = [figure.layout.title.text or ""] + [t.name or "" for t in figure.data]
    for axis in (figure.layout.xaxis, figure.layout.yaxis):
        texts.append(axis.title.text or "")
    assert not any("$" in s or "\\" in s for s in texts), texts


@pytest.mark.parametrize("T", [1, 6, 20])
def test_graph_draws_each_shared_weight_once_per_copy(T):
    figure = sent(figures.graph_figure(T, d=3, n=5, c=2))
    assert len(figure.frames) == T <= 100
    assert [f.name for f in figure.frames] == [str(k) for k in range(1, T + 1)]
    for name, trace in zip(WEIGHTS, figure.data[:3]):
        assert trace.line.color == WEIGHT_COLOURS[name]
        assert trace.marker.color == WEIGHT_COLOURS[name]
        # The folded cell's edge (or loop) and one per unrolled copy.
        assert arrowheads(trace) == T + 1
    for k, frame in enumerate(figure.frames, 1):
        assert len(frame.data) == len(figure.data) == 6
        assert [arrowheads(frame.data[i]) for i in range(3)] == [k + 1] * 3
        h_labels = list(frame.data[4].text)
        assert h_labels == ["h<sub>t</sub>"] + [f"h<sub>{s}</sub>" for s in range(k + 1)]
    # The figure opens on the whole unrolling; the axes never move during the animation.
    assert figure.layout.sliders[0].active == T - 1
    assert len(figure.layout.sliders[0].steps) == T
    assert figure.layout.xaxis.range == (-0.6, figures.UNROLLED_X + T + 0.6)
    assert all(f.layout.xaxis.range is None for f in figure.frames)
    labels = [b.label for b in figure.layout.updatemenus[0].buttons]
    assert any("Play" in label for label in labels) and any("Pause" in label for label in labels)
    assert figure.layout.title.text and figure.layout.xaxis.title.text
    no_latex(figure)


def test_graph_legend_names_the_array_sizes():
    figure = sent(figures.graph_figure(4, d=3, n=5, c=2))
    names = [trace.name for trace in figure.data[:3]]
    assert names == ["W<sub>sh</sub>: one 5×3 array", "W<sub>hh</sub>: one 5×5 array",
                     "W<sub>hz</sub>: one 2×5 array"]


def test_graph_payload_is_small_at_the_largest_setting():
    size = len(pio.to_json(figures.graph_figure(20, 64, 64, 32)))
    assert size < 500_000  # measured ~0.21 MB with 20 frames


def test_parameter_count_figure_is_flat_against_growing_on_log_axes():
    T_values = np.arange(1, 101)
    shared = np.full(100, unrolling.shared_parameter_count(3, 8, 4))
    unshared = T_values * shared
    figure = sent(figures.parameter_count_figure(T_values, shared, unshared, T=6))
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.type == "log"
    lines = [t for t in figure.data if t.mode == "lines"]
    np.testing.assert_array_equal(values(lines[0].y), shared)
    np.testing.assert_array_equal(values(lines[1].y), unshared)
    markers = [t for t in figure.data if t.mode == "markers"]
    assert [values(m.x)[0] for m in markers] == [6, 6]
    low, high = figure.layout.yaxis.range
    assert low < np.log10(shared[0]) and high > np.log10(unshared[-1])
    no_latex(figure)


def test_states_figure_has_one_heatmap_per_sequence_on_one_colour_scale():
    rng = np.random.default_rng(0)
    states = [np.tanh(rng.normal(size=(L, 7))) for L in (3, 10, 40)]
    figure = sent(figures.states_figure(states))
    heatmaps = [t for t in figure.data if t.type == "heatmap"]
    assert [values(h.z).shape for h in heatmaps] == [(7, 3), (7, 10), (7, 40)]
    assert all(h.coloraxis == "coloraxis" for h in heatmaps)
    assert (figure.layout.coloraxis.cmin, figure.layout.coloraxis.cmax) == (-1.0, 1.0)
    no_latex(figure)


@pytest.mark.parametrize("m", [1, 3, 4])
def test_states_panels_sit_where_make_subplots_puts_them(m):
    states = [np.zeros((L, 2)) for L in range(1, m + 1)]
    layout = sent(figures.states_figure(states)).layout
    titles = [f"sequence {i}: T = {i}" for i in range(1, m + 1)]
    grid = make_subplots(rows=m, cols=1, shared_xaxes=True, subplot_titles=titles,
                         vertical_spacing=figures.PANEL_GAP).layout
    for axis in [f"{xy}axis{i if i > 1 else ''}" for xy in "xy" for i in range(1, m + 1)]:
        for key in ("anchor", "domain", "matches", "showticklabels"):
            assert layout[axis][key] == grid[axis][key], (axis, key)
    assert ([(a.text, a.x, a.y) for a in layout.annotations]
            == [(a.text, a.x, a.y) for a in grid.annotations])


def test_final_states_keep_duplicate_lengths_apart():
    finals = np.linspace(-1, 1, 12).reshape(3, 4)
    figure = sent(figures.final_states_figure(finals, np.array([5, 5, 9])))
    heatmap = figure.data[0]
    np.testing.assert_array_equal(values(heatmap.z), finals)
    assert len(set(heatmap.y)) == 3
    no_latex(figure)


@pytest.mark.parametrize("t", [1, 4, 9, 12, 13, 60])
def test_wrapping_keeps_every_piece_of_the_unfolding(t):
    latex = unrolling.unfold(t)
    wrapped = text.wrap_unfolded(latex)
    compact = re.sub(r"\s", "", wrapped)
    for markup in (r"\begin{aligned}", r"\end{aligned}", "{}&", r"\\&\quad"):
        compact = compact.replace(markup, "")
    assert compact == re.sub(r"\s", "", latex)
    breaks = wrapped.count(r"\\")
    assert (breaks == 0) if t <= 4 else (breaks >= 1 if t >= 12 else True)


def test_seed_block_marks_each_line_from_its_grade():
    block = text.seed_block([True, True, True, False])
    assert block.count(r"\checkmark") == 3 and "slip 4" in block
    assert text.seed_block([True] * 4).count(r"\checkmark") == 4

"""views.frozen_figure: a frozen figure sends the browser exactly what the figure would."""

import copy
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from _plotly_utils.utils import convert_to_base64
from plotly.subplots import make_subplots

from views.frozen_figure import frozen, panel_domains, spec_figure, subplots


def animated() -> go.Figure:
    x = np.linspace(0.0, 1.0, 50)
    return go.Figure(
        go.Scatter(x=x, y=x**2, name="curve"),
        layout=go.Layout(title="t", xaxis=dict(range=[0, 1])),
        frames=[go.Frame(data=[go.Scatter(y=x**k)], name=str(k)) for k in range(3)],
    )


def spec(figure) -> str:
    """What st.plotly_chart sends: plotly.io.to_json of figure.to_dict(), unvalidated."""
    return pio.to_json(figure.to_dict(), validate=False)


def test_a_frozen_figure_gives_the_same_json_every_time():
    expected = spec(animated())
    figure = frozen(animated())
    assert spec(figure) == expected
    assert spec(figure) == expected  # the dict is reused, and to_json leaves it intact
    assert figure.to_dict() is figure.to_dict()


def test_figures_inside_containers_are_frozen_and_the_rest_passes_through():
    value = {"a": animated(), "pair": (animated(), 3), "list": [animated()], "text": "x"}
    assert frozen(value) is value
    for figure in (value["a"], value["pair"][0], value["list"][0]):
        assert figure.to_dict() is figure.to_dict()
    assert value["pair"][1] == 3 and value["text"] == "x"
    assert animated().to_dict() is not animated().to_dict()  # the method itself is untouched


def test_the_json_of_a_frozen_figure_is_made_once_and_other_calls_are_plotlys():
    figure = frozen(animated())
    assert spec(figure) is spec(figure)  # the same string: not encoded again
    pretty = pio.to_json(figure.to_dict(), validate=False, pretty=True)
    assert pretty == pio.to_json(animated().to_dict(), validate=False, pretty=True)
    assert "\n" in pretty


def test_a_spec_figure_encodes_arrays_as_plotly_does():
    """Every dtype the specs use, int64 narrowed to each size or kept, 2-D, a column view,
    an empty array, arrays in lists (left) and under a skipped key (left)."""
    grid = np.arange(12.0).reshape(3, 4)
    data = [dict(type="heatmap", z=np.float32(grid), x=np.arange(3), y=np.arange(300),
                 customdata=np.arange(70_000), text=np.array([2**40, 1]), ids=grid[:, 1],
                 meta=[np.arange(2)], hovertext=np.array([], dtype=float), name="h")]
    layout = dict(xaxis=dict(tickvals=np.arange(1, 5), range=np.array([0.0, 1.0])),
                  sliders=(dict(steps=[dict(value=np.float64([0.5]))]),))
    frames = [dict(name="0", data=[dict(type="heatmap", z=np.float32(grid) + 1)])]
    expected = copy.deepcopy(dict(data=data, layout=layout, frames=frames))
    convert_to_base64(expected)
    sent = spec_figure(data, layout, frames).to_dict()
    assert set(sent["layout"]) == set(layout) | {"template"}
    sent = dict(sent, layout={k: v for k, v in sent["layout"].items() if k != "template"})
    assert json.loads(pio.to_json(sent, validate=False)) == json.loads(
        pio.to_json(expected, validate=False))
    trace = sent["data"][0]
    assert [trace[name]["dtype"] for name in ("x", "y", "customdata")] == ["i1", "i2", "i4"]
    assert isinstance(trace["text"], np.ndarray) and trace["z"]["shape"] == "3, 4"


@pytest.mark.parametrize("count, spacing, vertical", [(3, 0.09, True), (2, 0.08, False),
                                                      (3, 0.06, False), (4, 0.12, True),
                                                      (5, 0.07, False)])
def test_subplots_lay_panels_out_as_make_subplots_does_to_the_bit(count, spacing, vertical):
    titles = [f"panel {i}" for i in range(count)]
    shape = dict(rows=count, cols=1, vertical_spacing=spacing) if vertical else dict(
        rows=1, cols=count, horizontal_spacing=spacing)
    expected = make_subplots(**shape, subplot_titles=titles).to_dict()["layout"]
    expected.pop("template")
    assert subplots(count, spacing, titles, vertical) == expected


@pytest.mark.parametrize("weights", [[8, 64, 1, 64, 1], [3, 1, 2], [1, 1, 1, 1, 1, 1, 1]])
def test_weighted_panel_domains_are_make_subplots_columns(weights):
    grid = make_subplots(rows=1, cols=len(weights), column_widths=weights,
                         horizontal_spacing=0.04).layout
    expected = [list(grid[f"xaxis{i + 1 if i else ''}"].domain) for i in range(len(weights))]
    assert panel_domains(len(weights), 0.04, weights) == expected

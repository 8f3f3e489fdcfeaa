"""views.frozen_figure: a frozen figure sends the browser exactly what the figure would."""

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from views.common.animation import typed
from views.frozen_figure import frozen, with_frames


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


def test_frames_given_as_dicts_reach_the_browser_as_plotlys_would():
    x = np.linspace(0.0, 1.0, 50)
    frames = [dict(data=[dict(y=typed(x**k)), dict(type="heatmap", z=np.float32([[k, 1]]))],
                   name=str(k), traces=[0, 1]) for k in range(3)]
    traces = [go.Scatter(x=x, y=x, name="curve"), go.Heatmap(z=[[0, 1]])]
    validated = go.Figure(traces)
    validated.frames = frames
    raw = with_frames(go.Figure(traces), frames)
    assert raw.frames == () and json.loads(spec(raw)) == json.loads(spec(validated))
    for figure in (validated, raw):  # a later change still shows
        figure.update_layout(height=300)
    assert json.loads(spec(frozen(raw))) == json.loads(spec(validated))
    assert [frame.name for frame in go.Figure(raw.to_dict()).frames] == ["0", "1", "2"]

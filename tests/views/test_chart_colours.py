"""Every chart's colours as the browser receives them (each page at its defaults, through
AppTest): one palette (views.common.palette), traces that stay apart for a reader with any of
the three dichromacies, and marks that show on the light and the dark theme's background.
The oracle is tests.colour_vision (WCAG contrast, Machado 2009, CIELAB)."""

from __future__ import annotations

import itertools
import json

import pytest

from tests import colour_vision as cv
from tests.apptest import page_at_defaults
from views.common import palette
from views.frozen_figure import colorscale
from views.registry import PAGES

# A pair of traces is told apart when their CIE 1976 difference is at least this, for
# typical vision and under each dichromacy (Okabe–Ito's closest pairs are 16–18).
DISTINCT = 15.0
# A line or a marker shows on a background when its WCAG contrast is at least this (the
# Okabe–Ito orange and sky blue on white: 2.25 and 2.31); FAINT context lines, at least 1.5.
VISIBLE, FAINT_VISIBLE = 2.0, 1.5
FILLED = {"heatmap", "contour"}  # traces that cover their panel: what lies on them is not
# on the theme's background
BACKGROUNDS = (cv.LIGHT_BACKGROUND, cv.DARK_BACKGROUND)
SCALES = (palette.SEQUENTIAL, palette.DIVERGING)


@pytest.fixture(scope="module", params=PAGES, ids=[entry.url_path for entry in PAGES])
def charts(request) -> list[tuple[str, dict]]:
    """(page and chart number, the chart's spec) for every chart of a page at its defaults
    (the render test_common_sharing reads too)."""
    entry = request.param
    app = page_at_defaults(entry.script)
    assert not app.exception, entry.url_path
    found = [(f"/{entry.url_path} chart {i + 1}", json.loads(chart.proto.spec))
             for i, chart in enumerate(app.get("plotly_chart"))]
    assert len(found) >= 4
    return found


def colour_strings(node, path: str = ""):
    """(path, colour) for every colour written in a spec: strings under keys ending in
    "color" and the stops of explicit colour scales; Streamlit's own theme template left out."""
    if isinstance(node, dict):
        for key, value in node.items():
            if path == "layout" and key == "template":
                continue
            where = f"{path}.{key}" if path else key
            if key.lower().endswith("color") and isinstance(value, str):
                yield where, value
            elif key == "colorscale" and isinstance(value, list):
                yield from ((where, stop) for _, stop in value)
            else:
                yield from colour_strings(value, where)
    elif isinstance(node, list):
        for item in node:
            yield from colour_strings(item, path)


def palette_colours() -> set[str]:
    named = {value for name, value in vars(palette).items()
             if name.isupper() and isinstance(value, str) and value not in SCALES}
    stops = {stop for name in SCALES for _, stop in colorscale(name)}
    return named | stops | set(SCALES)


def scale_stops(marker: dict) -> list[str]:
    """The colours a marker coloured by numbers can take (its colour scale's stops)."""
    scale = marker.get("colorscale", palette.SEQUENTIAL)
    return [stop for _, stop in (colorscale(scale) if isinstance(scale, str) else scale)]


def fill_colours(trace: dict) -> list[str]:
    """The colours a trace's markers (or bars) can be filled with, transparent ones left out."""
    colour = trace.get("marker", {}).get("color")
    if isinstance(colour, str):
        return [] if colour == palette.TRANSPARENT else [colour]
    return scale_stops(trace["marker"]) if colour is not None else []


def legend_colour(trace: dict) -> str | None:
    """The colour that names a trace in its legend: its line's, else its markers' fill, else
    their outline's (a ring); None for markers coloured by a colour scale (their colour bar
    names them)."""
    marker = trace.get("marker", {})
    if not isinstance(trace.get("line", {}).get("color"), str) and isinstance(
            marker.get("color"), dict | list):
        return None
    for colour in (trace.get("line", {}).get("color"), marker.get("color"),
                   marker.get("line", {}).get("color")):
        if isinstance(colour, str) and colour != palette.TRANSPARENT:
            return colour
    return None


def look(trace: dict) -> tuple:
    """What tells a trace apart besides its colour: a line (with its dash) or markers (with
    their symbol)."""
    if "lines" in trace.get("mode", "lines") and trace.get("type", "scatter") != "bar":
        return "line", trace.get("line", {}).get("dash", "solid")
    return "marker", trace.get("marker", {}).get("symbol", "circle")


def on_background(spec: dict) -> list[dict]:
    """The traces drawn on the theme's background: not heatmaps or contours, nor on their
    axes."""
    data = spec["data"]
    covered = {(t.get("xaxis", "x"), t.get("yaxis", "y")) for t in data
               if t.get("type") in FILLED}
    return [t for t in data if t.get("type") not in FILLED
            and (t.get("xaxis", "x"), t.get("yaxis", "y")) not in covered]


def test_every_chart_colour_is_from_the_palette(charts):
    allowed = palette_colours()
    strays = [(chart, path, colour) for chart, spec in charts
              for path, colour in colour_strings(spec) if colour not in allowed]
    assert strays == []


def test_traces_stay_apart_for_every_colour_vision(charts):
    """Traces in a legend that look alike but for their colour (the same dash, or the same
    marker symbol) differ in colour for every reader."""
    too_close = []
    for chart, spec in charts:
        by_look: dict[tuple, dict[str, str]] = {}  # look -> legend name -> colour
        for trace in spec["data"]:
            if trace.get("showlegend", True) and trace.get("name") and legend_colour(trace):
                by_look.setdefault(look(trace), {})[trace["name"]] = legend_colour(trace)
        pairs = [pair for named in by_look.values()
                 for pair in itertools.combinations(sorted(named.values()), 2)]
        for first, second in pairs:
            for vision, background in itertools.product((None, *cv.MACHADO_2009), BACKGROUNDS):
                difference = cv.delta_e(first, second, vision, background)
                if difference < DISTINCT:
                    too_close.append((chart, first, second, vision, background,
                                      round(difference, 1)))
    assert too_close == []


def test_marks_show_on_the_light_and_the_dark_background(charts):
    hidden = []
    for chart, spec in charts:
        for trace in on_background(spec):
            mode = trace.get("mode", "lines")
            line = trace.get("line", {}).get("color")
            if "lines" in mode and isinstance(line, str):
                floor = FAINT_VISIBLE if line == palette.FAINT else VISIBLE
                hidden += [(chart, trace.get("name"), "line", line, background)
                           for background in BACKGROUNDS if cv.contrast(line, background) < floor]
            if "markers" in mode or trace.get("type") == "bar":
                outline = trace.get("marker", {}).get("line", {}).get("color")
                fills = fill_colours(trace) or [line if isinstance(line, str) else None]
                if fills == [None] and outline is None:
                    hidden.append((chart, trace.get("name"), "markers with no colour"))
                    continue
                for fill in fills:
                    for background in BACKGROUNDS:
                        best = max(cv.contrast(c, background) for c in (fill, outline) if c)
                        if best < VISIBLE:
                            hidden.append((chart, trace.get("name"), "marker", fill, outline,
                                           background))
        layout = spec["layout"]
        drawn = [("shape", shape.get("line", {}).get("color"))
                 for shape in layout.get("shapes", [])]
        drawn += [(part, note.get(key) if key else note.get("font", {}).get("color"))
                  for note in layout.get("annotations", [])
                  for part, key in (("annotation text", None), ("arrow", "arrowcolor"))]
        hidden += [(chart, part, colour, background) for part, colour in drawn if colour
                   for background in BACKGROUNDS if cv.contrast(colour, background) < VISIBLE]
    assert hidden == []


def test_the_oracle_can_fail():
    """The checks above have teeth: a red and a green that typical vision tells apart merge
    for a deuteranope, a grey is a grey for every reader, black on black is invisible."""
    assert cv.delta_e("#FF0000", "#00A000") > 100
    assert cv.delta_e("#FF0000", "#00A000", "deuteranopia") < DISTINCT
    for vision in cv.MACHADO_2009:
        assert max(abs(cv.seen("#777777", vision) - cv.seen("#777777"))) < 0.01
    assert cv.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert cv.contrast(palette.BLACK, cv.DARK_BACKGROUND) < VISIBLE
    assert cv.contrast(palette.YELLOW, cv.LIGHT_BACKGROUND) < VISIBLE

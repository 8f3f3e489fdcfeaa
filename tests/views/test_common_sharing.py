"""Every page through AppTest: every widget is bound to the URL, the copied link names every
control's value (and the classroom flag), every chart has a summary with numbers, and
classroom mode folds the settings away."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1.element_tree import Widget

from tests.apptest import assert_clean, notices, page_at_defaults, run_page
from views.common.controls import PRESET_KEY
from views.common.sharing import (CLASSROOM_CHART_SCALE, CLASSROOM_KEY,
                                   PLOTLY_DEFAULT_HEIGHT, chart_height, links_drawn,
                                   record, url_value)
from views.frozen_figure import frozen, spec_figure
from views.registry import PAGES

# Widgets that hold no setting: a click (download) or a file, which no URL can carry
# (the autoencoder page says so next to its uploader and in the link box).
STATELESS = {"button", "download_button", "file_uploader"}
SCRIPTS = [entry.script for entry in PAGES]


def elements(node):
    """Every element and block under ``node``, in page order."""
    for child in getattr(node, "children", {}).values():
        yield child
        yield from elements(child)


def bound_widgets(app) -> list[Widget]:
    return [el for el in elements(app._tree) if isinstance(el, Widget)
            and el.type not in STATELESS and el.key != PRESET_KEY]  # a choice that clears


def link_of(app) -> str:
    """The link in the header's "Copy link to this view" box."""
    (popover,) = [el for el in elements(app._tree) if el.type == "popover"]
    (code,) = [el for el in elements(popover) if el.type == "code"]
    return code.value


def shown_value(widget: Widget) -> str:
    """The widget's value as the URL writes it: a select box by its shown option."""
    if widget.type == "selectbox":
        return widget.format_func(widget.value)
    return url_value(widget.value)


@pytest.fixture(scope="module", params=SCRIPTS, ids=[e.url_path for e in PAGES])
def at_defaults(request):
    app = page_at_defaults(request.param)
    assert_clean(app)
    return app


def test_every_widget_is_bound_to_its_url_key(at_defaults):
    widgets = bound_widgets(at_defaults)
    assert len(widgets) >= 3
    unbound = [(w.type, w.key, w.proto.query_param_key) for w in widgets
               if not w.key or w.proto.query_param_key != w.key]
    assert not unbound, f"widgets not bound to the URL: {unbound}"


def test_the_link_holds_every_widget_value_and_the_classroom_flag(at_defaults):
    link = link_of(at_defaults)
    query = parse_qsl(urlsplit(link).query, keep_blank_values=True)
    keys = [key for key, _ in query]
    assert len(keys) == len(set(keys)), keys
    assert dict(query) == {w.key: shown_value(w) for w in bound_widgets(at_defaults)}
    assert dict(query)[CLASSROOM_KEY] == "false"


def test_every_chart_has_a_summary_with_numbers(at_defaults):
    charts = 0
    for block in elements(at_defaults._tree):
        children = list(getattr(block, "children", {}).values())
        for chart, after in zip(children, children[1:] + [None]):
            if chart.type != "plotly_chart":
                continue
            charts += 1
            assert after is not None and after.type == "caption", (chart.proto.alt, after)
            assert re.search(r"[0-9]", after.value), after.value
            assert chart.proto.alt == after.value  # the summary is the accessible name
    assert charts >= 4


@pytest.mark.parametrize("script", SCRIPTS, ids=[e.url_path for e in PAGES])
def test_classroom_mode_folds_the_settings_and_keeps_the_mode_in_the_link(script):
    app = run_page(script, {CLASSROOM_KEY: "true"})
    assert_clean(app)
    assert app.toggle(key=CLASSROOM_KEY).value is True
    (settings,) = [el for el in app.expander if "Settings" in el.label]
    assert not settings.proto.expanded
    first_controls = {w.key for w in elements(settings) if isinstance(w, Widget)}
    assert len(first_controls) >= 3
    assert dict(parse_qsl(urlsplit(link_of(app)).query))[CLASSROOM_KEY] == "true"


def test_a_bad_classroom_value_says_so_in_one_line():
    app = run_page(SCRIPTS[0], {CLASSROOM_KEY: "maybe"})
    assert_clean(app)
    assert app.toggle(key=CLASSROOM_KEY).value is False
    (line,) = [text for text in notices(app) if CLASSROOM_KEY in text]
    assert "classroom=maybe" in line and "true or false" in line and "\n" not in line


@pytest.mark.parametrize("make", [
    lambda height: go.Figure(layout=dict(height=height)),
    lambda height: spec_figure([], dict(height=height)),  # its plotly layout stays empty
    lambda height: frozen(go.Figure(layout=dict(height=height))),
], ids=["plotly", "spec", "frozen"])
def test_classroom_charts_are_taller_than_their_own_height(make):
    figure = make(620)
    with links_drawn():
        assert chart_height(figure) == "content"
        record({CLASSROOM_KEY: True})
        assert chart_height(figure) == round(620 * CLASSROOM_CHART_SCALE)
        assert chart_height(make(None)) == round(PLOTLY_DEFAULT_HEIGHT * CLASSROOM_CHART_SCALE)

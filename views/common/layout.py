"""Layout pieces shared by every page: the header (title, one-line statement, classroom
toggle, link), sections, metric rows and the plotly chart call."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from views.common.controls import ROW_KEY, BoolControl, render_controls
from views.common.sharing import CLASSROOM_CSS, CLASSROOM_KEY, chart_height, start_link

CLASSROOM = BoolControl(
    CLASSROOM_KEY, "Classroom mode", False,
    help="Settings folded away, larger type, taller charts; the link keeps the mode.")

# Every page's style. A row of controls: a grid of equal columns at least 128 px wide
# (Streamlit's own minimum for them), so that a control alone on the last line keeps one
# column's width instead of stretching across the row. A 3-D scene (plotly draws its cube as
# tall as the chart, however wide: at a fixed height it is small in a desktop's column and
# cut on a phone): the chart's height follows its column's width (cqw, 1% of it), 543 px
# at a phone's 358, 776 at a desktop's 940. A markdown table (views.common.tables) wider
# than its column scrolls inside its own box, as st.dataframe did, instead of widening the
# page on a phone. Static text: nothing from the user reaches it.
LAYOUT_CSS = f"""<style>
[class*="st-key-{ROW_KEY}"] {{
  display: grid !important; grid-template-columns: repeat(auto-fill, minmax(128px, 1fr)); }}
.stElementContainer:has(.js-plotly-plot .gl-container > div) {{
  flex: 0 0 auto !important; height: auto !important; container-type: inline-size; }}
.stElementContainer:has(.js-plotly-plot .gl-container > div) > div {{
  height: clamp(540px, 400px + 40cqw, 780px) !important; }}
[data-testid="stMarkdownContainer"] table {{ display: block; max-width: 100%; overflow-x: auto; }}
</style>"""
# The modebar keeps "Download plot as PNG" (the offline export path) and drops the clutter.
CHART_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def chart(figure: go.Figure, summary: str, key: str | None = None) -> None:
    """A plotly chart at full width (taller in classroom mode) with a one-line text summary
    of its key numbers, which is also the chart's accessible name."""
    st.plotly_chart(figure, config=CHART_CONFIG, key=key, width="stretch",
                    height=chart_height(figure), alt=summary)
    st.caption(summary)


def section(title: str, *blocks: str, level: int = 2) -> None:
    """A heading (h1, h2 or h3 by level) and the markdown blocks under it, as one element
    (each element costs the server on every rerun)."""
    st.markdown("\n\n".join((f"{'#' * level} {title}", *blocks)))


def metric_row() -> DeltaGenerator:
    """A row of st.metric side by side, wrapping on a narrow screen: one block per rerun
    (st.columns(k) is k + 1)."""
    return st.container(horizontal=True)


def header(title: str, statement_text: str, link_note: str | None = None) -> DeltaGenerator:
    """Title, the one-line statement, the classroom toggle and the link to this view, and the
    container for one-line notices (returned). ``link_note``: what the link cannot hold."""
    section(title, f"#### {statement_text}", level=1)
    row = st.container(horizontal=True, vertical_alignment="center", gap="large")
    notices = st.container()
    with row:
        in_classroom = render_controls((CLASSROOM,), notices=notices)[CLASSROOM_KEY]
        start_link(st.empty(), link_note)
    st.html(LAYOUT_CSS + CLASSROOM_CSS if in_classroom else LAYOUT_CSS)
    return notices

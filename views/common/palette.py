"""One colour-blind-safe palette for the whole app (Okabe & Ito 2008), colour scales, and
where a chart's title sits.

Qualitative colours name roles, not pages, so that a quantity keeps its colour everywhere.
"""

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#999999"

# Neutrals that read on Streamlit's light and dark themes alike (never plain white or black
# on the chart's background: one of them vanishes in each theme).
INK = "#808080"  # lines, rings and outlines drawn on the chart's background
FAINT = "rgba(128, 128, 128, 0.35)"  # context lines: light grey on white, dark grey on black
NODE_FILL = "#F2F2F2"  # drawn units and nodes; their labels and outlines are dark
TRANSPARENT = "rgba(0,0,0,0)"  # the fill of a marker that is only its outline
CONTOUR_LINE = "rgba(0,0,0,0.3)"  # contour lines over a colour scale, never on the background

QUALITATIVE = (BLUE, ORANGE, GREEN, VERMILION, SKY_BLUE, PURPLE, YELLOW, INK)

# The three shared weights of the RNN, on every page that draws them.
WEIGHT_COLOURS = {"W_sh": GREEN, "W_hh": VERMILION, "W_hz": BLUE}

SEQUENTIAL = "Cividis"  # magnitudes (norms on a log scale): perceptually uniform, CVD-safe
DIVERGING = "PuOr"  # signed values centred on zero (gradients): CVD-safe


TITLE_LINE_PX = 21  # one line of a chart title in Streamlit's theme (measured)


def title(text: str) -> dict:
    """A chart title pinned to the figure's top edge. Titles are broken into short lines
    (``<br>``: one long line is cut on a phone) and grow downwards into the top margin:
    :func:`title_height` of it."""
    return dict(text=text, y=1.0, yref="container", yanchor="top", pad=dict(t=10))


def title_height(text: str) -> int:
    """Pixels from the figure's top edge to a 14-pixel gap under the title ``text``'s last
    line: the top margin of a chart with nothing between its title and its plot."""
    return TITLE_LINE_PX * (text.count("<br>") + 1) + 8


def text_height(text: str, size: int) -> int:
    """Pixels that an annotation of ``text`` (lines broken by ``<br>``) in font ``size``
    takes up, such as a panel title above its plot (measured: 1.3 ``size`` a line, plus
    the box's padding)."""
    return round(1.3 * size) * (text.count("<br>") + 1) + 5


def heading(text: str, height: int) -> dict:
    """Layout entries: the title ``text`` and, right under it, a horizontal legend.

    The legend is placed in the figure's own coordinates (yref "container"), for which
    plotly.js reserves the top margin down to the legend's bottom edge, however many rows
    it wraps into at the chart's width: with margin.t = :func:`title_height` the plot
    starts under a one-row legend on a desktop and under a three-row one on a phone, with
    no empty band in either. ``height``: the figure's, in pixels."""
    return dict(title=title(text),
                legend=dict(orientation="h", x=0, xanchor="left", yref="container",
                            yanchor="top", y=1 - title_height(text) / height))

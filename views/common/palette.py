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

QUALITATIVE = (BLUE, ORANGE, GREEN, VERMILION, SKY_BLUE, PURPLE, YELLOW, INK)

# The three shared weights of the RNN, on every page that draws them.
WEIGHT_COLOURS = {"W_sh": GREEN, "W_hh": VERMILION, "W_hz": BLUE}

SEQUENTIAL = "Cividis"  # magnitudes (norms on a log scale): perceptually uniform, CVD-safe
DIVERGING = "PuOr"  # signed values centred on zero (gradients): CVD-safe


def title(text: str) -> dict:
    """A chart title pinned to the figure's top edge. Titles are broken into short lines
    (``<br>``: one long line is cut on a phone) and grow downwards into the top margin, which
    each figure makes tall enough for them and the legend under them."""
    return dict(text=text, y=1.0, yref="container", yanchor="top", pad=dict(t=10))

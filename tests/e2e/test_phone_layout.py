"""Every page at a phone's width (390 px) and on a wide desktop (1400 px): no display
equation cut off at the right edge (one wider than its block must scroll sideways, as
Streamlit's own style lets it: the derivation steps' longer equations do at 390 px), and in
every chart no title, panel title, legend, axis title, slider or Play/Pause box running
into another or out of the chart."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import open_rendered
from views.registry import PAGES

pytestmark = pytest.mark.e2e

TOLERANCE_PX = 2
# Each equation wider than its block that cannot scroll sideways: its text and both widths.
CUT_EQUATIONS = """() => [...document.querySelectorAll("[data-testid='stMain'] .katex-display")]
  .filter((d) => d.scrollWidth > d.clientWidth + TOLERANCE
                 && !["auto", "scroll"].includes(getComputedStyle(d).overflowX))
  .map((d) => `${d.scrollWidth} > ${d.clientWidth}: ${d.textContent.slice(0, 50)}`)"""
# Pairs of a chart's boxes that intersect, and boxes that leave the chart.
CHART_CLASHES = """() => {
  const kinds = [[".gtitle", "title"], [".infolayer .annotation", "annotation"],
                 [".legend .bg", "legend"], [".slider-container", "slider"],
                 [".updatemenu-container", "buttons"],
                 ["[class^='g-x'][class$='title']", "x title"],
                 ["[class^='g-y'][class$='title']", "y title"]];
  const meet = (a, b) => a.left < b.right - TOLERANCE && b.left < a.right - TOLERANCE
      && a.top < b.bottom - TOLERANCE && b.top < a.bottom - TOLERANCE;
  const found = [];
  for (const plot of document.querySelectorAll("[data-testid='stMain'] .js-plotly-plot")) {
    const chart = plot.querySelector(".main-svg").getBoundingClientRect();
    const name = (plot.querySelector(".gtitle") || {textContent: "untitled"}).textContent;
    const boxes = [];
    for (const [selector, kind] of kinds)
      for (const element of plot.querySelectorAll(selector)) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && box.height > 0)
          boxes.push({kind, text: element.textContent.slice(0, 30), box});
      }
    for (const b of boxes)
      if (b.box.left < chart.left - TOLERANCE || b.box.right > chart.right + TOLERANCE)
        found.push(`${name}: ${b.kind} '${b.text}' leaves the chart`);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++)
        if (meet(boxes[i].box, boxes[j].box))
          found.push(`${name}: ${boxes[i].kind} '${boxes[i].text}' meets `
                     + `${boxes[j].kind} '${boxes[j].text}'`);
  }
  return found;
}"""


def problems(browser, server_url, entry, width: int) -> tuple[list[str], list[str]]:
    """The cut equations and the chart clashes on the page, drawn and laid out in a fresh
    context of the given width."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    open_rendered(page, f"{server_url}/{entry.url_path}")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
    page.wait_for_timeout(1000)  # plotly and KaTeX finish laying out
    found = [page.evaluate(f"() => {{ const TOLERANCE = {TOLERANCE_PX}; return ({script})(); }}")
             for script in (CUT_EQUATIONS, CHART_CLASHES)]
    context.close()
    return found[0], found[1]


@pytest.mark.parametrize("width", [390, 1400])
@pytest.mark.parametrize("entry", PAGES, ids=[e.url_path for e in PAGES])
def test_no_equation_is_cut_and_chart_elements_never_meet(browser, server_url, entry, width):
    cut, clashes = problems(browser, server_url, entry, width)
    assert not cut, cut
    assert not clashes, clashes

"""Layout probes run in the page: no display equation cut off at the right edge (one wider
than its block must scroll sideways, as Streamlit's own style lets it: the derivation
steps' longer equations do at 390 px), and in every chart no title, panel title, legend,
axis title, slider or Play/Pause box running into another or out of the chart."""

from __future__ import annotations

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


def layout_problems(page) -> tuple[list[str], list[str]]:
    """The cut equations and the chart clashes of the page as drawn (charts and KaTeX given
    a second to finish laying out)."""
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
    page.wait_for_timeout(1000)
    cut, clashes = (
        page.evaluate(f"() => {{ const TOLERANCE = {TOLERANCE_PX}; return ({script})(); }}")
        for script in (CUT_EQUATIONS, CHART_CLASHES))
    return cut, clashes

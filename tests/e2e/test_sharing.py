"""The copied link reproduces the view: set controls through the widgets in one browser,
copy the link with the page's own copy button, open it in a new browser context, compare.

The new context is a phone (390 px wide), which checks every page at a phone's width on
the way: no exception, nothing scrolls sideways, a screenshot saved to look at. Both
visits, the desktop's (1400 px) and the phone's, also run the layout probes: no equation
cut off, no chart element running into another (tests/e2e/layout_probes.py)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import assert_no_exception, open_app
from tests.e2e.layout_probes import layout_problems
from views.registry import PAGES

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TOLERANCE_PX = 2
# How far the page and Streamlit's scrolling main block reach beyond the screen's width.
OVERFLOW = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  return Math.max(document.documentElement.scrollWidth - window.innerWidth,
                  main.scrollWidth - main.clientWidth);
}"""
# Every control's shown value (label -> value) and the page's numbers: metrics and summaries.
VIEW_STATE = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const controls = {};
  for (const input of main.querySelectorAll("input[type='range'], input[role='combobox']"))
    controls[input.getAttribute("aria-label")] = input.value;
  for (const input of main.querySelectorAll("input[role='switch']"))
    controls[input.getAttribute("aria-label")] = String(input.checked);
  const texts = (selector) => [...main.querySelectorAll(selector)].map((e) => e.innerText);
  return {controls, metrics: texts("[data-testid='stMetric']"),
          captions: texts("[data-testid='stCaptionContainer']")};
}"""


def rerun_after(page, action) -> None:
    """Do ``action`` (which changes a control); wait until the rerun it starts has finished.

    A rerun is seen from the mutation records of the app's script state, not from the state
    when the observer is called: a short rerun can be over by then (a 60 ms rerun of /bptt
    was missed once, and the wait timed out)."""
    page.evaluate("""() => {
      const app = document.querySelector("[data-testid='stApp']");
      window.rerunSeen = false;
      new MutationObserver((records) => {
        if (records.some((r) => r.oldValue === "running"
                                || app.dataset.testScriptState === "running"))
          window.rerunSeen = true;
      }).observe(app, {attributes: true, attributeOldValue: true,
                       attributeFilter: ["data-test-script-state"]});
    }""")
    action()
    page.wait_for_function(
        "() => window.rerunSeen && document.querySelector(\"[data-testid='stApp']\")"
        ".dataset.testScriptState === 'notRunning'", timeout=90_000)


def nudge(page, slider) -> None:
    """Move a slider one step by keyboard, down when it sits at its maximum."""
    value, top = slider.get_attribute("value"), slider.get_attribute("max")
    slider.focus()
    rerun_after(page, lambda: slider.press("ArrowLeft" if value == top else "ArrowRight"))


def link_box(page):
    """Open the header's "Copy link to this view" box; its code block holds the link."""
    page.get_by_role("button", name="Copy link to this view").click()
    code = page.locator("[data-testid='stPopoverBody'] [data-testid='stCode']")
    code.wait_for(timeout=30_000)
    return code


@pytest.mark.parametrize("entry", PAGES, ids=[e.url_path for e in PAGES])
def test_copied_link_reproduces_the_view_on_a_fresh_phone(browser, server_url, entry,
                                                          tmp_path_factory):
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_app(page, f"{server_url}/{entry.url_path}")
    page.wait_for_selector("[data-testid='stMetric']", timeout=90_000)
    page.wait_for_selector("[data-testid='stPlotlyChart']", timeout=90_000)
    page.wait_for_timeout(500)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    sliders = page.locator("[data-testid='stMain'] input[type='range']")
    defaults = page.evaluate(VIEW_STATE)
    assert layout_problems(page) == ([], []), "at 1400 px"
    nudge(page, sliders.last)  # the page's last slider: the cheapest to recompute
    assert_no_exception(page)
    view = page.evaluate(VIEW_STATE)
    changed = {k for k, v in view["controls"].items() if v != defaults["controls"][k]}
    assert len(changed) == 1, changed

    code = link_box(page)
    code.hover()
    code.locator("button").first.click()  # the code block's own copy button
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == code.locator("code").inner_text().replace("\n", "")
    assert link.startswith(f"{server_url}/{entry.url_path}?classroom=false&")
    context.close()

    fresh = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = fresh.new_page()
    open_app(page, link)
    # A busy server can report "not running" before the first run starts, and the page
    # draws top to bottom: give it time to reach the expected view, then compare.
    try:
        page.wait_for_function(f"(expected) => JSON.stringify(({VIEW_STATE})()) === expected",
                               arg=json.dumps(view, ensure_ascii=False, separators=(",", ":")),
                               timeout=90_000, polling=500)
    except PlaywrightTimeout:
        pass  # the comparison below shows the difference
    assert_no_exception(page)
    assert page.evaluate(VIEW_STATE) == view
    assert layout_problems(page) == ([], []), "at 390 px"
    assert page.evaluate(OVERFLOW) <= TOLERANCE_PX
    shot = tmp_path_factory.mktemp("phone") / f"{entry.url_path}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert link_box(page).locator("code").inner_text().replace("\n", "") == link
    fresh.close()

"""The copied link reproduces the view: set controls through the widgets in one browser,
copy the link with the page's own copy button, open it in a new browser context, compare."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_no_exception, open_app
from views.registry import PAGES

pytestmark = pytest.mark.e2e

READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
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
    """Do ``action`` (which changes a control) and wait for the address bar and the rerun."""
    before = page.evaluate("location.search")
    action()
    page.wait_for_function(f"() => location.search !== {before!r}", timeout=30_000)
    page.wait_for_timeout(300)
    page.wait_for_selector(READY, timeout=90_000)


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
def test_copied_link_reproduces_the_view_in_a_fresh_browser(browser, server_url, entry):
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_app(page, f"{server_url}/{entry.url_path}")
    sliders = page.locator("[data-testid='stMain'] input[type='range']")
    defaults = page.evaluate(VIEW_STATE)
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

    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = fresh.new_page()
    open_app(page, link)
    # A busy server can report "not running" before the first run starts: wait for the page.
    page.wait_for_function(f"() => ({VIEW_STATE})().metrics.length === {len(view['metrics'])}",
                           timeout=90_000)
    assert_no_exception(page)
    assert page.evaluate(VIEW_STATE) == view
    assert link_box(page).locator("code").inner_text().replace("\n", "") == link
    fresh.close()

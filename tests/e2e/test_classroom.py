"""Classroom mode in Chromium: the toggle folds the settings away, enlarges type and charts,
the link keeps the mode; animations never play by themselves and step with their slider."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_no_exception, open_app
from tests.e2e.test_sharing import link_box, rerun_after

pytestmark = pytest.mark.e2e

STILL_MS = 3000  # an animation must not move by itself for this long
# The frame label ("recursion at t = 1") of every animated chart.
FRAMES = """() => [...document.querySelectorAll('.slider-container')]
                  .map((slider) => slider.querySelector('text').textContent)"""
SIZES = """() => ({
  text: parseFloat(getComputedStyle(
    document.querySelector("[data-testid='stMainBlockContainer'] p")).fontSize),
  chart: document.querySelector("[data-testid='stPlotlyChart']").getBoundingClientRect().height,
})"""


def test_classroom_mode_and_animations_that_wait_for_the_teacher(page, server_url):
    open_app(page, server_url + "/bptt")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    frames = page.evaluate(FRAMES)
    assert frames and all(label.endswith("= 1") for label in frames), frames
    page.wait_for_timeout(STILL_MS)
    assert page.evaluate(FRAMES) == frames  # no autoplay
    normal = page.evaluate(SIZES)

    rerun_after(page, lambda: page.get_by_text("Classroom mode").click())
    assert "classroom=true" in page.url
    assert_no_exception(page)
    settings = page.locator("[data-testid='stExpander']", has_text="Settings").first
    assert settings.locator("details").get_attribute("open") is None  # folded away
    assert not page.get_by_label("sequence length T").is_visible()
    page.wait_for_selector(".js-plotly-plot .main-svg")
    classroom = page.evaluate(SIZES)
    assert classroom["text"] >= 1.2 * normal["text"], (normal, classroom)
    assert classroom["chart"] >= 1.2 * normal["chart"], (normal, classroom)
    assert "classroom=true" in link_box(page).locator("code").inner_text()
    page.keyboard.press("Escape")

    # The teacher steps the animation by clicking its slider; it then stays where it was put.
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    rail = chart.locator(".slider-rail-rect")
    box = rail.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(500)
    stepped = page.evaluate(FRAMES)
    assert stepped != frames, stepped
    page.wait_for_timeout(STILL_MS)
    assert page.evaluate(FRAMES) == stepped

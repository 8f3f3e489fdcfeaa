"""The backprop-cost page in Chromium: renders, KaTeX clean, Play animates, URLs round-trip."""

import pytest

from core import backprop_cost as bc
from tests.e2e.conftest import assert_no_exception, open_app

pytestmark = pytest.mark.e2e

CHARTS = "[data-testid='stPlotlyChart']"


def metrics(page) -> dict[str, str]:
    found = {}
    page.locator("[data-testid='stMetric']").first.wait_for()  # they can follow the title
    for element in page.locator("[data-testid='stMetric']").all():
        label, _, value = element.inner_text().partition("\n")
        found[label.strip()] = value.strip()
    return found


def open_page(page, url):
    open_app(page, url)
    page.wait_for_selector(f"{CHARTS} .main-svg", timeout=60_000)
    page.wait_for_function(f"document.querySelectorAll(\"{CHARTS}\").length >= 4", timeout=60_000)


def test_renders_with_clean_katex_and_four_charts(page, server_url):
    open_page(page, server_url + "/backprop-cost")
    assert_no_exception(page)
    assert "What a gradient costs" in page.locator("h1").first.inner_text()
    assert page.locator(".katex").count() >= 10
    assert page.locator(CHARTS).count() == 4
    shown = metrics(page)
    assert shown["backprop multiplications"] == f"{bc.backprop_multiplications(4, 4, 3, 3):,}"
    # The tables (markdown) are HTML tables: the counts table's cells as the math says.
    tables = page.locator("[data-testid='stMarkdown'] table")
    costs = tables.filter(has=page.locator("th", has_text="right (closed form)"))
    checks = tables.filter(has=page.locator("th", has_text="gradient vs backprop"))
    assert costs.locator("th").all_inner_texts()[:2] == ["quantity", "right (closed form)"]
    backprop = costs.locator("tr", has_text="backprop multiplications").locator("td")
    assert backprop.nth(1).inner_text() == f"{bc.backprop_multiplications(4, 4, 3, 3):,}"
    assert checks.locator("tbody tr").count() == 3
    assert checks.locator("td", has_text="✓").count() == 3


def test_play_moves_the_path_animation(page, server_url):
    open_page(page, server_url + "/backprop-cost")
    network = page.locator(CHARTS).nth(3)
    network.scroll_into_view_if_needed()
    current = network.locator(".slider-container text").first
    assert current.text_content() == "paths 1"
    network.locator("g.updatemenu-button", has_text="Play").click()
    page.wait_for_function(
        "el => el.textContent !== 'paths 1'", arg=current.element_handle(), timeout=30_000)
    assert "now 1" not in network.locator(".gtitle").text_content()
    assert_no_exception(page)


def test_url_parameters_reproduce_the_view(page, server_url):
    d, n, c, L = 3, 2, 5, 7
    open_page(page, f"{server_url}/backprop-cost?d={d}&n={n}&c={c}&L={L}&bias=false&layer=2")
    assert_no_exception(page)
    assert page.locator("[data-testid='stAlert']").count() == 0
    shown = metrics(page)
    assert shown["parameters P"] == f"{bc.parameter_count(d, n, c, L, bias=False):,}"
    assert shown["path-summation multiplications"] == (
        f"{bc.path_sum_multiplications(d, n, c, L, bias=False):,}")
    network = page.locator(CHARTS).nth(3)
    assert "W2[1, 1]" in network.locator(".gtitle").text_content().replace("\u200b", "")
    assert f"L={L}" in page.url and "bias=false" in page.url


def test_bad_link_says_so_in_one_line(page, server_url):
    open_page(page, server_url + "/backprop-cost?L=abc")
    assert_no_exception(page)
    assert "L=abc" in page.locator("[data-testid='stAlert']").first.inner_text()

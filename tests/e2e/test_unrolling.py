"""The unrolling page in Chromium: renders, KaTeX clean, Play unrolls, links reproduce the view."""

import re

import pytest

from tests.e2e.conftest import assert_no_exception, metric, open_app

pytestmark = pytest.mark.e2e


def current_step(chart) -> str:
    return chart.locator("text", has_text="unrolled steps:").first.text_content()


def annotations(page) -> list[str]:
    """The TeX source of every formula KaTeX rendered."""
    return page.locator(".katex-mathml annotation").all_text_contents()


def test_renders_with_formulas_and_charts(page, server_url):
    open_app(page, server_url + "/unrolling")
    assert_no_exception(page)
    assert "Unrolling and parameter sharing" in page.locator("h1").first.inner_text()
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg")
    assert page.locator("[data-testid='stPlotlyChart']").count() == 4
    sources = annotations(page)
    assert any(s.startswith(r"\begin{aligned}h_{4} = ") for s in sources)
    assert any(r"\text{slip 4}" in s for s in sources)
    assert page.get_by_text("Slip 4.").count() >= 1


def test_play_unrolls_one_step_at_a_time(page, server_url):
    open_app(page, server_url + "/unrolling?T=8")
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.locator(".main-svg").first.wait_for()
    assert current_step(chart).strip().endswith("8")
    chart.locator(".updatemenu-button", has_text="Play").click()
    page.wait_for_timeout(700)
    during = current_step(chart).strip()
    assert not during.endswith("8"), during  # restarted from one copy and moving
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart] text')]"
        ".some(e => e.textContent.trim() === 'unrolled steps: 8')",
        timeout=15_000,
    )
    assert_no_exception(page)


def test_a_link_with_parameters_reproduces_the_view(page, server_url):
    open_app(page, server_url + "/unrolling?t=7&n=5&T=3&length_3=12")
    assert_no_exception(page)
    assert any(s.startswith(r"\begin{aligned}h_{7} = ") for s in annotations(page))
    assert metric(page, "Size of h_T").strip() == "5"  # awaited: metrics can come later
    assert re.search(r"[?&]t=7(&|$)", page.url) and "n=5" in page.url
    chart = page.locator("[data-testid='stPlotlyChart']").first
    assert current_step(chart).strip().endswith("3")

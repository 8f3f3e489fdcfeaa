"""The BPTT page in Chromium: renders, KaTeX, Play moves the animation, URLs round-trip."""

import pytest

from tests.e2e.conftest import (
    assert_no_exception, metric, open_app, play_animation, slider_value,
)

pytestmark = pytest.mark.e2e


def test_page_renders_with_charts_and_math(page, server_url):
    open_app(page, server_url + "/bptt")
    assert_no_exception(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator("[data-testid='stPlotlyChart']").count() == 4
    assert page.locator(".katex").count() > 10
    assert page.locator("h1", has_text="Backpropagation through time").count() == 1
    assert metric(page, "regime") in {"vanishing", "stable", "exploding"}
    # "Check it": one row per parameter array (W_hh, W_xh, W_hy, b_h, b_y), each a pass.
    check = page.locator("[data-testid='stMarkdown'] table")
    assert check.locator("th").first.inner_text() == "parameter"
    assert check.locator("tbody tr").count() == 5
    assert check.locator("tbody td", has_text="pass").count() == 5


def test_play_moves_the_backward_pass(page, server_url):
    open_app(page, server_url + "/bptt?T=40")
    before, during = play_animation(page, 0, "recursion at t =")
    assert before == 1
    assert 1 < during <= 40, during


def test_url_parameters_reproduce_the_view(page, server_url, browser):
    open_app(page, server_url + "/bptt?T=12&n=5&init=orthogonal&sigma=1.5")
    assert_no_exception(page)
    assert slider_value(page, "sequence length T") == "12"
    assert slider_value(page, "hidden size n") == "5"
    assert metric(page, "σ_max(W_hh)") == "1.5"
    loss = metric(page, "loss L")
    # A preset click rewrites the address bar; the new link opened fresh gives the same view.
    page.get_by_role("radio", name="Exploding").click()
    page.wait_for_timeout(500)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    page.wait_for_function("() => location.search.includes('sigma=2.5')", timeout=30_000)
    link = page.url
    exploding_loss = metric(page, "loss L")
    assert exploding_loss != loss and metric(page, "regime") == "exploding"
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    open_app(fresh, link)
    assert metric(fresh, "loss L") == exploding_loss
    assert metric(fresh, "regime") == "exploding"
    assert slider_value(fresh, "sequence length T") == "50"
    fresh.context.close()


def test_malformed_url_shows_one_line_and_default(page, server_url):
    open_app(page, server_url + "/bptt?T=abc&sigma=99")
    assert_no_exception(page)
    alerts = page.locator("[data-testid='stAlert']")
    text = " ".join(alerts.all_inner_texts())
    assert "T=abc" in text and "sigma=99" in text
    assert slider_value(page, "sequence length T") == "30"

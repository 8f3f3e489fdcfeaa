"""The RNN lab in Chromium: renders, KaTeX, a cached training run replays without error,
Play moves the cliff, URLs round-trip, a bad URL gives one line."""

import pytest

from tests.e2e.conftest import (
    assert_no_exception, metric, open_app, play_animation, slider_value,
)

pytestmark = pytest.mark.e2e

FAST = "steps=20"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def test_page_renders_with_charts_and_math_and_replays_from_the_cache(page, server_url):
    for visit in range(2):  # the second visit hits the training cache and replays its bar
        open_app(page, server_url + "/rnn-lab")
        assert_no_exception(page)
        page.wait_for_selector(".js-plotly-plot .main-svg")
        assert page.locator("[data-testid='stPlotlyChart']").count() == 6, visit
        assert page.locator("[data-testid='stProgress']").count() == 0
    assert page.locator(".katex").count() > 10
    assert page.locator("h1", has_text="RNN lab").count() == 1
    assert metric(page, "RNN, D = 2") == "100%"


def test_play_moves_the_cliff_descent(page, server_url):
    open_app(page, server_url + f"/rnn-lab?{FAST}")
    before, during = play_animation(page, 4, "gradient step s =", wait_ms=1500)
    assert before == 60
    assert 0 < during < 60, during


def test_url_parameters_reproduce_the_view(page, server_url, browser):
    open_app(page, server_url + f"/rnn-lab?{FAST}&D=6&opt=momentum&lr=0.03&seed=3")
    assert_no_exception(page)
    assert slider_value(page, "dependency length D") == "6"
    assert slider_value(page, "random seed") == "3"
    assert metric(page, "LSTM, D = 6").endswith("%")
    assert slider_value(page, "learning rate") == "0.03"
    # A preset click rewrites the address bar; the new link opened fresh gives the same view.
    page.get_by_role("radio", name="Plain SGD").click()
    page.wait_for_timeout(500)
    page.wait_for_function("() => location.search.includes('opt=sgd')", timeout=60_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=60_000)
    link = page.url
    sgd_rnn = metric(page, "RNN, D = 20")
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    open_app(fresh, link)
    assert metric(fresh, "RNN, D = 20") == sgd_rnn
    assert slider_value(fresh, "learning rate") == "0.2"
    fresh.context.close()


def test_malformed_url_shows_one_line_and_default(page, server_url):
    open_app(page, server_url + f"/rnn-lab?{FAST}&D=abc&opt=rmsprop")
    assert_no_exception(page)
    text = " ".join(page.locator("[data-testid='stAlert']").all_inner_texts())
    assert "D=abc" in text and "opt=rmsprop" in text
    assert slider_value(page, "dependency length D") == "20"

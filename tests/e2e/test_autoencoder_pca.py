"""The autoencoder page in Chromium: renders, KaTeX, Play, URLs round-trip, CSV uploads."""

import numpy as np
import pytest

from tests.e2e.conftest import assert_no_exception, metric, open_app, play_animation

pytestmark = pytest.mark.e2e

PATH = "/autoencoder-pca"


def settled(page) -> None:
    page.wait_for_timeout(500)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=60_000)


def test_page_renders_with_charts_and_math(page, server_url):
    open_app(page, server_url + PATH)
    assert_no_exception(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator("[data-testid='stPlotlyChart']").count() == 4
    assert page.locator(".katex").count() > 30
    assert page.locator("h1", has_text="Autoencoder = PCA").count() == 1
    assert float(metric(page, "largest principal angle").rstrip("°")) < 1
    summary = page.locator("[data-testid='stMarkdown']", has_text="checks").first
    assert "All checks pass" in summary.inner_text()


def test_play_moves_the_training_animation(page, server_url):
    open_app(page, server_url + PATH + "?iterations=600")  # the 3-D scene (WebGL frames)
    before, during = play_animation(page, 0, "iteration t =")
    assert before == 600
    assert during < 600
    assert_no_exception(page)


@pytest.mark.slow
def test_url_parameters_reproduce_the_view(page, server_url, browser):
    open_app(page, server_url + PATH + "?data=wine&k=3&reg=uniform")
    assert_no_exception(page)
    caption = page.locator("[data-testid='stCaptionContainer']", has_text="samples of").first
    assert "N = 178 samples of D = 13 features, k = 3" in caption.inner_text()
    assert "regularized optimum" in page.locator("[data-testid='stMetric']").nth(1).inner_text()
    page.get_by_role("radio", name="Digits, k = 10").click()
    settled(page)
    page.wait_for_function("() => location.search.includes('data=digits')", timeout=30_000)
    angle = metric(page, "largest principal angle")
    link = page.url
    assert "k=10" in link and "reg=" not in link  # defaults are left out of the address
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    open_app(fresh, link)
    assert metric(fresh, "largest principal angle") == angle
    assert "N = 1797 samples of D = 64 features, k = 10" in fresh.locator(
        "[data-testid='stCaptionContainer']", has_text="samples of").first.inner_text()
    fresh.context.close()


def test_malformed_url_shows_one_line_and_default(page, server_url):
    open_app(page, server_url + PATH + "?k=abc&data=mnist")
    assert_no_exception(page)
    text = " ".join(page.locator("[data-testid='stAlert']").all_inner_texts())
    assert "k=abc" in text and "data=mnist" in text
    assert float(metric(page, "largest principal angle").rstrip("°")) < 1


def upload(page, tmp_path, name: str, content: bytes, shows: str) -> None:
    """Upload a file and wait (up to a minute: the machine may be busy) until ``shows``."""
    path = tmp_path / name
    path.write_bytes(content)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.get_by_text(shows).first.wait_for(timeout=60_000)
    settled(page)


@pytest.mark.slow
def test_upload_a_good_then_a_bad_csv(page, server_url, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3)) * [3.0, 1.0, 0.2]
    lines = ["a,b,c,label"] + [f"{x:.6f},{y:.6f},{z:.6f},row{i}" for i, (x, y, z) in enumerate(X)]
    open_app(page, server_url + PATH + "?k=1")
    upload(page, tmp_path, "good.csv", "\n".join(lines).encode(),
           "N = 60 samples of D = 3 features, k = 1")
    page.wait_for_function("() => location.search.includes('data=csv')", timeout=30_000)
    assert_no_exception(page)
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "Ignored 1 non-numeric column(s): label" in body
    assert float(metric(page, "largest principal angle").rstrip("°")) < 1
    upload(page, tmp_path, "bad.csv", b"My experiment\na,b\n1,2\n3,4\n5,6\n",
           "The first line has 1 field(s) but the lines below have 2")
    assert_no_exception(page)
    assert page.locator("[data-testid='stPlotlyChart']").count() == 0

"""Every page at a phone's width (390 px): renders with no exception, nothing makes the page
scroll sideways; a screenshot of each is saved for a person to look at."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_no_exception, open_app
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


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("phone")


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("entry", PAGES, ids=[e.url_path for e in PAGES])
def test_page_fits_a_phone(phone, server_url, entry, shots):
    open_app(phone, f"{server_url}/{entry.url_path}")
    phone.wait_for_selector(".js-plotly-plot .main-svg")
    assert_no_exception(phone)
    phone.screenshot(path=str(shots / f"{entry.url_path}.png"), full_page=True)
    assert phone.evaluate(OVERFLOW) <= TOLERANCE_PX

"""The home page in Chromium: renders, links to every built page."""

import pytest

from views.registry import PAGES
from tests.e2e.conftest import assert_no_exception, open_app

pytestmark = pytest.mark.e2e


def test_home_lists_every_page(page, server_url):
    open_app(page, server_url + "/")
    assert_no_exception(page)
    assert "Deep Learning Theory Explorer" in page.locator("h1").first.inner_text()
    links = page.locator("[data-testid='stPageLink'] a")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    for entry in PAGES:
        assert any(href and href.rstrip("/").endswith(entry.url_path) for href in hrefs), hrefs

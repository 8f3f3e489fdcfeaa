"""The first visitor of a freshly started server, arriving by a deep link, gets the page.

Regression test: with the page scripts in a folder named pages/, Streamlit answered the
first session on a new server with a "Page not found" modal over the requested page.
"""

import pytest

from tests.e2e.conftest import assert_no_exception, open_app, start_server

pytestmark = pytest.mark.e2e


def test_deep_link_on_a_fresh_server(browser):
    process, url = start_server()
    try:
        tab = browser.new_page()
        open_app(tab, url + "/bptt?T=12")
        tab.wait_for_timeout(500)
        assert_no_exception(tab)
        assert tab.locator("h1", has_text="Backpropagation through time").count() == 1
        tab.close()
    finally:
        process.terminate()
        process.wait(timeout=10)

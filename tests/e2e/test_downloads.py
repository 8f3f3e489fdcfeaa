"""Each page's CSV download in Chromium: made when clicked (deferred), from the view the
URL sets (its rows follow the settings), every value a number (NaN only where a count was
not run: backprop-cost enumerates paths only for shallow nets)."""

import io

import numpy as np
import pytest

from tests.e2e.conftest import open_rendered

pytestmark = pytest.mark.e2e

# page, query, the CSV's header, its rows for that query
CASES = [
    ("bptt", "T=7", "t,norm_dL_dh,norm_dhT_dh,bound_pascanu,bound_sigma_power", 7),
    ("unrolling", "length_1=2&length_2=3&length_3=4&n=2", "sequence,t,h_1,h_2", 2 + 3 + 4),
    ("autoencoder-pca", "iterations=200", "iteration,J,J_minus_J_star", 200 + 1),  # J at 0 too,
    ("backprop-cost", "L=3&L_max=9", None, 9),
    ("rnn-lab", "steps=20", None, 20),
]


def downloaded_csv(page, url: str) -> tuple[str, np.ndarray]:
    """Open url, click its download button, and return the CSV's header and its rows."""
    open_rendered(page, url)
    with page.expect_download(timeout=60_000) as download:
        page.locator("[data-testid='stDownloadButton'] button").click()
    text = open(download.value.path()).read()
    header = text.splitlines()[0]
    return header, np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1, ndmin=2)


@pytest.mark.parametrize("path, query, header, rows", CASES, ids=[c[0] for c in CASES])
def test_the_download_holds_the_view_of_the_url(page, server_url, path, query, header, rows):
    got_header, table = downloaded_csv(page, f"{server_url}/{path}?{query}")
    if header is not None:
        assert got_header == header
    assert table.shape == (rows, len(got_header.split(","))), table.shape
    assert not np.isinf(table).any()
    assert np.isfinite(table[0]).all()


def test_the_bptt_norms_keep_under_their_bound(page, server_url):
    """The downloaded Jacobian norms ||dh_T/dh_t|| never exceed Pascanu's product bound."""
    _, table = downloaded_csv(page, f"{server_url}/bptt?T=12&sigma=1.5")
    norm, bound = table[:, 2], table[:, 3]
    assert (norm <= bound * (1 + 1e-9)).all(), np.c_[norm, bound]
    assert (norm[:-1] < bound[:-1]).any()

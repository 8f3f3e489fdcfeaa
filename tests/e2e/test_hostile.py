"""Hostile input in the real browser against the real server, while another visitor's session
keeps working: bad links on several pages, and CSV uploads that are empty, binary, 50 MB, a
million tiny rows, all NaN or one column. Each gets a one-line message; the server's memory
(VmRSS from /proc) stays bounded.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.e2e.conftest import assert_no_exception, open_rendered
from tests.views.test_hostile_urls import HOSTILE, page_controls
from views.autoencoder_pca import text
from views.registry import PAGES

pytestmark = pytest.mark.e2e

UPLOADS = {  # file name: (content, a fragment of the one-line message)
    "empty.csv": (b"", "The file is empty: upload a CSV"),
    "binary.csv": (bytes(range(256)) * 800, "not UTF-8 text"),
    "million_rows.csv": (b"1\n" * 1_000_000, "more than 5,000 rows: upload a random sample"),
    "all_nan.csv": (b"a,b,c\n" + b"nan,NaN,\n" * 1000, "0 complete row(s) of numbers"),
    "one_column.csv": (b"x\n" + b"\n".join(b"%d" % i for i in range(1000)),
                       "Found 1 numeric column(s)"),
}
HUGE_FILE_BYTES = 50_000_000
MEMORY_BOUND_MB = 150  # generous: the uploads' own size is under 3 MB in total
LINKS = {"/bptt": "text", "/unrolling": "nan", "/backprop-cost": "repeated"}


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def message(page) -> str:
    """The text of the only warning or error box on the page."""
    boxes = page.locator("[data-testid='stAlertContentWarning'], "
                         "[data-testid='stAlertContentError']")
    assert boxes.count() == 1, boxes.all_inner_texts()
    return boxes.locator("[data-testid='stMarkdownContainer']").inner_text()


def drawn_text(element) -> str:
    """The text a sighted visitor sees in ``element``, its ::after content included; fails
    unless the element is on screen at a readable size, uncovered (Playwright's is_visible
    accepts Streamlit's visually hidden 1x1-pixel lines)."""
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert box["width"] >= 100 and box["height"] >= 10, box
    return element.evaluate("""e => {
        const r = e.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (!e.contains(hit)) return `covered by ${hit && hit.outerHTML.slice(0, 80)}`;
        const after = getComputedStyle(e, '::after').content;
        return e.innerText + (after.startsWith('"') ? JSON.parse(after) : '');
    }""")


def upload(page, path: Path) -> None:
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(path)


def open_page(page, url: str) -> None:
    """Open url, wait for the end of its run, check it: no exception, a key metric shown
    (awaited: on a busy machine the metrics can arrive after the first run seems over)."""
    open_rendered(page, url)
    page.locator("[data-testid='stMetric'], [data-testid='stException']").first.wait_for(
        timeout=90_000)
    assert_no_exception(page)
    assert page.locator("[data-testid='stMetric']").count() >= 1


@pytest.fixture(scope="module")
def other_visitor(browser, server_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    open_rendered(tab, f"{server_url}/bptt")
    yield tab
    context.close()


def test_hostile_links_in_the_browser(page, server_url, other_visitor):
    for path, kind in LINKS.items():
        script = next(e.script for e in PAGES if f"/{e.url_path}" == path)
        keys = [control.key for control in page_controls(script)]
        query = urlencode({key: HOSTILE[kind] for key in keys}, doseq=True)
        open_page(page, f"{server_url}{path}?{query}")
        notices = page.locator("[data-testid='stAlertContentInfo'] "
                               "[data-testid='stMarkdownContainer']").all_inner_texts()
        for key in keys:
            mine = [n for n in notices if n.startswith(f"The link's {key}=")]
            assert len(mine) == 1 and "\n" not in mine[0].strip(), (key, notices)
            assert "with the control" in mine[0]
        if kind == "text":  # shown as text, never interpreted as HTML
            assert all("<b>ten</b>" in n for n in notices)
    open_page(other_visitor, f"{server_url}/backprop-cost")  # the other session is served


def test_hostile_uploads_get_one_line_each_and_memory_stays_bounded(
        page, server, other_visitor, tmp_path):
    process, server_url = server
    open_page(page, f"{server_url}/autoencoder-pca")
    before = rss_mb(process.pid)
    peak = before
    for name, (content, fragment) in UPLOADS.items():
        path = tmp_path / name
        path.write_bytes(content)
        upload(page, path)
        page.get_by_text(fragment).first.wait_for(timeout=60_000)
        assert_no_exception(page)
        shown = message(page)
        assert fragment in shown and "\n" not in shown.strip() and ": " in shown, shown
        peak = max(peak, rss_mb(process.pid))
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as file:
        file.truncate(HUGE_FILE_BYTES)  # refused by the browser before it is sent
    upload(page, huge)
    refusal = page.locator("[data-testid='stFileChip'][aria-invalid='true']")
    refusal.wait_for(timeout=30_000)
    assert refusal.get_attribute("aria-label").startswith("huge.csv, ")
    reason = refusal.get_by_role("alert")
    assert reason.inner_text() == "Error: File must be 2.0MB or smaller."  # Streamlit's line
    assert drawn_text(reason) == f"Error: File must be 2.0MB or smaller. {text.UPLOAD_ADVICE}"
    open_page(other_visitor, f"{server_url}/unrolling")  # the other session is served
    after = rss_mb(process.pid)
    print(f"server RSS: {before:.0f} MB before the uploads, peak {peak:.0f} MB, "
          f"{after:.0f} MB after")
    assert max(peak, after) - before < MEMORY_BOUND_MB

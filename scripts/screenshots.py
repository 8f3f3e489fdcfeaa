"""Full-page screenshots of every page in headless Chromium: `python scripts/screenshots.py OUT`.

Starts the real app on a free loopback port, visits / and every registered page (plus any
extra `path?query` given after OUT), and writes one PNG per view into OUT.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from views.registry import PAGES  # noqa: E402
from tests.e2e.conftest import CHROMIUM_FLAGS, chromium_path, open_app, start_server  # noqa: E402


def main(out: Path, extra: list[str], width: int = 1400) -> None:
    out.mkdir(parents=True, exist_ok=True)
    views = [""] + [entry.url_path for entry in PAGES] + extra
    process, url = start_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
            tab = browser.new_page(viewport={"width": width, "height": 1000})
            for view in views:
                open_app(tab, f"{url}/{view}")
                tab.wait_for_timeout(1500)  # let plotly and KaTeX finish drawing
                # Streamlit scrolls inside its main block: grow the viewport to show it all.
                height = tab.evaluate(
                    "document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
                tab.set_viewport_size({"width": width, "height": min(int(height), 12000)})
                tab.wait_for_timeout(800)
                name = (view or "home").replace("/", "_").replace("?", "__").replace("&", "_")
                tab.screenshot(path=str(out / f"{name}.png"), full_page=True)
                print(out / f"{name}.png")
                tab.set_viewport_size({"width": width, "height": 1000})
            browser.close()
    finally:
        process.terminate()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])

"""Full-page screenshots of every page in headless Chromium.

    python scripts/screenshots.py OUT [path?query ...] [--width 390] [--dark]

Starts the real app on a free loopback port, visits / and every registered page (plus any
extra `path?query` given after OUT), and writes one PNG per view into OUT. ``--dark`` starts
the server in Streamlit's dark theme (as `--theme.base dark` would); ``--width`` sets the
viewport width (390 for a phone).
"""

from __future__ import annotations

import argparse
import os
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("views", nargs="*", help="extra views: path?query")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--dark", action="store_true", help="Streamlit's dark theme")
    args = parser.parse_args()
    if args.dark:
        os.environ["STREAMLIT_THEME_BASE"] = "dark"  # the server inherits it
    main(args.out, args.views, args.width)

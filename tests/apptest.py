"""AppTest helpers: run one page of the real app (app.py with st.navigation) headlessly."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Mapping, Sequence

from streamlit.testing.v1 import AppTest

from views.common.controls import PRESET_KEY

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


def run_page(
    script: str, query: Mapping[str, str | Sequence[str]] | None = None
) -> AppTest:
    """Run app.py, switch to ``script`` (a path like "views/bptt/page.py") and run it.

    ``query`` is the URL's query string as a mapping (a list value is a repeated key).
    """
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.run()
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.switch_page(script).run()
    return app


@functools.cache
def page_at_defaults(script: str) -> AppTest:
    """run_page(script) once per test process, shared by the tests that only read the page
    at its defaults: do not run it again or change it."""
    return run_page(script)


def assert_clean(app: AppTest) -> None:
    """No exception element and no error box on the page."""
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]


def metric_labels(app: AppTest) -> list[str]:
    return [m.label for m in app.metric]


def notices(app: AppTest) -> list[str]:
    """The one-line notices shown (st.info), e.g. for a bad URL value."""
    return [i.value for i in app.info]


def run_preset(
    script: str, name: str, values: Mapping[str, object],
    query: Mapping[str, str | Sequence[str]] | None = None,
) -> AppTest:
    """Run the page, choose the preset ``name`` and check that it set ``values``."""
    app = run_page(script, query)
    app.button_group(key=PRESET_KEY).select(name).run()
    assert app.button_group(key=PRESET_KEY).value is None  # the choice clears
    for key, value in values.items():
        assert app.session_state[key] == value, (key, app.session_state[key], value)
    return app


def tables(app: AppTest) -> list[dict[str, list[str]]]:
    """The markdown tables on the page (views.common.tables), in order, read back as the
    browser shows them: column header -> the column's cells."""
    found = []
    for element in app.markdown:
        for block in _table_blocks(element.value.splitlines()):
            header, *rows = [row_cells(line) for line in block[:1] + block[2:]]
            found.append({name: [row[i] for row in rows] for i, name in enumerate(header)})
    return found


def _table_blocks(lines: list[str]) -> list[list[str]]:
    """The runs of consecutive table lines (header, rule, rows) among a markdown's lines."""
    blocks, block = [], []
    for line in lines + [""]:
        if line.startswith("|"):
            block.append(line)
        else:
            if len(block) >= 2:
                blocks.append(block)
            block = []
    return blocks


def row_cells(line: str) -> list[str]:
    """One table row's cells: split on the bars not escaped, escapes undone."""
    cells, cell, escaped = [], "", False
    for char in line.strip()[1:]:
        if escaped:
            cell, escaped = cell + char, False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells.append(cell.strip())
            cell = ""
        else:
            cell += char
    return cells

"""Small tables as markdown: a page's tables are a few rows of text, drawn as part of a
markdown element. st.table and st.dataframe convert every rerun's rows through pandas and
Arrow (2-4 ms of the server's time per table on every rerun, the largest single cost of
an unchanged rerun on four pages, py-spy); a markdown table is a string, and an HTML table
that a screen reader reads (wider than its column, it scrolls in its own box: the page
style in views.common.layout)."""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

# Characters that markdown would read as markup inside a table cell (with Streamlit's $…$
# math and :color[…] directives); a backslash makes each one literal.
_MARKUP = re.compile(r"([\\`*_\[\]<>|$~:])")


def markdown_table(rows: Sequence[Mapping[str, Any]]) -> str:
    """rows (dicts with the same keys, the columns in order) as a markdown table whose
    cells show each value's str() literally."""
    columns = list(rows[0])
    lines = [_row(columns), "|" + " --- |" * len(columns)]
    lines += [_row([row[column] for column in columns]) for row in rows]
    return "\n".join(lines)


def _row(cells: Sequence[Any]) -> str:
    return "| " + " | ".join(_MARKUP.sub(r"\\\1", " ".join(str(c).split())) for c in cells) + " |"

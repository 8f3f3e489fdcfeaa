"""views.common.tables: a table's cells come back literally, whatever markup they hold."""

from views.common.tables import markdown_table
from tests.apptest import row_cells

HOSTILE = ["a|b", "x_1 * y_2", "$5$ and \\$", ":red[no]", "[link](http://x)", "<b>bold</b>",
           "# heading", "1.5e-07", "- item", "two\nlines", "back\\slash", "~~gone~~", "`code`"]


def test_every_cell_reads_back_as_written():
    rows = [{"cell": cell, "number": i} for i, cell in enumerate(HOSTILE)]
    header, rule, *lines = markdown_table(rows).splitlines()
    assert row_cells(header) == ["cell", "number"]
    assert rule == "| --- | --- |"
    assert [row_cells(line) for line in lines] == [
        [" ".join(cell.split()), str(i)] for i, cell in enumerate(HOSTILE)]


def test_no_markup_survives_unescaped():
    """Every markup character in a cell is preceded by a backslash; so is each backslash."""
    table = markdown_table([{"c": "".join(HOSTILE)}])
    body = table.splitlines()[2][2:-2]
    i = 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        assert body[i] not in "|$*_[]<>`~\\:", (body[i], body)
        i += 1

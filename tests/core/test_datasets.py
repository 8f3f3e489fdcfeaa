"""Built-in data sets and the validation of uploaded CSV files (core/datasets.py)."""

import io
import tracemalloc

import numpy as np
import pytest
from sklearn import datasets as sklearn_datasets

from core import datasets
from core.datasets import DatasetError, load_dataset, parse_csv, parse_csv_report


@pytest.mark.parametrize("name, shape", [
    ("gaussian3d", (400, 3)), ("digits", (1797, 64)), ("iris", (150, 4)), ("wine", (178, 13)),
])
def test_builtin_shapes(name, shape):
    X = load_dataset(name)
    assert X.shape == shape and X.dtype == np.float64 and np.isfinite(X).all()


def test_builtins_come_from_scikit_learn():
    assert np.array_equal(load_dataset("digits"), sklearn_datasets.load_digits().data)
    assert np.array_equal(load_dataset("iris"), sklearn_datasets.load_iris().data)
    raw = sklearn_datasets.load_wine().data
    wine = load_dataset("wine")
    assert np.allclose(wine, (raw - raw.mean(0)) / raw.std(0))
    assert np.allclose(wine.mean(0), 0, atol=1e-12) and np.allclose(wine.std(0), 1)


def test_gaussian3d_has_its_designed_spectrum_and_depends_on_the_seed():
    X = load_dataset("gaussian3d", seed=3)
    eigenvalues = np.linalg.eigvalsh(np.cov(X.T, bias=True))[::-1]
    expected = np.square(datasets.GAUSSIAN3D_STDS)
    assert np.allclose(eigenvalues, expected, rtol=0.2)
    assert eigenvalues[0] / eigenvalues[1] > 2 and eigenvalues[1] / eigenvalues[2] > 4
    assert np.array_equal(X, load_dataset("gaussian3d", seed=3))
    assert not np.allclose(X, load_dataset("gaussian3d", seed=4))


def test_unknown_data_set():
    with pytest.raises(DatasetError, match="choose one of"):
        load_dataset("mnist")


def test_csv_with_header_matches_numpy():
    X = np.random.default_rng(0).normal(size=(20, 4))
    buffer = io.StringIO()
    np.savetxt(buffer, X, delimiter=",", header="a,b,c,d", comments="", fmt="%.17g")
    parsed = parse_csv_report(buffer.getvalue().encode())
    assert np.array_equal(parsed.X, X)
    assert parsed.columns == ("a", "b", "c", "d") and parsed.notes == ()


def test_csv_without_header_semicolons_and_bom():
    data = "\ufeff1;2;3\n4;5;7\n7;8;8\n".encode()
    parsed = parse_csv_report(data)
    assert parsed.X.tolist() == [[1, 2, 3], [4, 5, 7], [7, 8, 8]]
    assert parsed.columns == ("column 1", "column 2", "column 3")


def test_csv_notes_what_it_ignores_and_drops():
    data = (b"x,y,species,z,const\n1,2,setosa,3,5\n2,1,setosa,nan,5\n3,5,virginica,1,5\n"
            b"4,4,virginica,inf,5\n5,3,setosa,,5\n6,6,setosa,2,5\n")
    parsed = parse_csv_report(data)
    assert parsed.columns == ("x", "y", "z")
    assert parsed.X.tolist() == [[1, 2, 3], [3, 5, 1], [6, 6, 2]]
    notes = " ".join(parsed.notes)
    assert "non-numeric column(s): species" in notes
    assert "Dropped 3 row(s)" in notes
    assert "constant column(s)" in notes and "const" in notes
    assert np.array_equal(parse_csv(data), parsed.X)


BAD = {
    "empty": (b"", "empty"),
    "blank": (b"\n \n", "empty"),
    "binary": (b"PK\x03\x04\x00\x00binary", "not UTF-8 text"),
    "latin-1": ("a,b\n1,é\n".encode("latin-1"), "not UTF-8 text"),
    "title line": (b"My measurements\na,b\n1,2\n3,4\n5,6\n", "first line has 1 field"),
    "ragged": (b"a,b\n1,2\n3\n5,6\n", "Line 3 has 1 field"),
    "two rows": (b"a,b\n1,2\n3,4\n", "2 row(s)"),
    "too few complete rows": (b"a,b\n1,2\n3,\n,4\n5,6\n", "2 complete row(s)"),
    "one column": (b"a\n1\n2\n3\n", "at least 2"),
    "text only": (b"a,b\nx,y\nz,w\nq,r\n", "Found 0 numeric"),
    "constant": (b"a,b\n1,7\n1,8\n1,9\n", "vary"),
    "all NaN": (b"a,b\n" + b"nan,NaN\n" * 100, "0 complete row(s)"),
    "all cells empty": (b"a,b\n" + b",\n" * 100, "1 non-blank line(s)"),
    "squares overflow": (b"a,b\n1e200,1\n-1e200,2\n3,4\n", "rescale"),
    "spread underflows": (b"a,b\n1e-200,1\n-1e-200,2\n0,4\n", "vary"),
    "unclosed quote": (b'a,b\n"1,2\n3,4\n5,6\n' + b"7" * 200_000, "not valid CSV"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_csv_says_what_is_wrong_and_what_to_do(case):
    data, fragment = BAD[case]
    with pytest.raises(DatasetError) as caught:
        parse_csv(data)
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message and ": " in message and len(message) < 240


def test_size_limits():
    with pytest.raises(DatasetError, match="MB"):
        parse_csv(b"1,2\n" * (datasets.MAX_BYTES // 4 + 1))
    with pytest.raises(DatasetError, match="rows"):
        parse_csv(b"a,b\n" + b"1,2\n" * (datasets.MAX_ROWS + 1))
    wide = ",".join(["1"] * (datasets.MAX_COLUMNS + 1)) + "\n"
    with pytest.raises(DatasetError, match="columns"):
        parse_csv((wide * 3).encode())


def test_a_million_tiny_rows_are_refused_after_reading_the_first_few_thousand():
    data = b"1\n" * 1_000_000  # 2 MB: under the size limits, far over the row limit
    tracemalloc.start()
    try:
        with pytest.raises(DatasetError, match="more than 5,000 rows: upload a random sample"):
            parse_csv(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20e6  # the decoded text (2 MB as str) and a few thousand rows, not a million


def test_column_names_cannot_format_the_page():
    data = b"![x](http://e.example/i.png),<b>y</b>,$z$,`w`\n1,2,a,3\n2,1,b,5\n3,5,c,4\n"
    parsed = parse_csv_report(data)
    for name in parsed.columns + parsed.notes:
        assert not set(name) & set("![]<>$`*")
    assert parsed.columns == ("x(http//e.example/i.png)", "by/b", "w")
    assert parsed.notes == ("Ignored 1 non-numeric column(s): z.",)

"""Data for the autoencoder page (question 4): built-in data sets and validated user CSV.

Every array is ``X`` of shape (N, D), rows are samples (as in scikit-learn). Nothing is
downloaded: the built-in sets are generated or come from scikit-learn's bundled loaders.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from dataclasses import dataclass

import numpy as np
from sklearn import datasets as sklearn_datasets

MAX_MEGABYTES = 2  # also the uploader's own limit, checked in the browser (1 MB = 10**6 or 2**20 bytes)
MAX_BYTES = MAX_MEGABYTES * 2**20
MAX_ROWS = 5_000
MAX_COLUMNS = 100
MIN_ROWS = 3
MIN_COLUMNS = 2
SNIFFED_LINES = 100  # the delimiter is guessed from the first lines
MAX_MAGNITUDE = 1e100  # beyond this, the covariance S = X^T X / N overflows
MIN_SPREAD = 1e-100  # a column whose values span less counts as constant

GAUSSIAN3D_STDS = (3.0, 1.5, 0.5)  # eigenvalues of S: about 9, 2.25, 0.25
GAUSSIAN3D_MEAN = (2.0, -1.0, 1.0)
GAUSSIAN3D_SIZE = 400

DATASETS = {
    "gaussian3d": "3-D Gaussian (400 points, standard deviations 3, 1.5, 0.5 along "
                  "random orthogonal axes)",
    "digits": "digits (1797 images of 8×8 pixels, intensities 0–16, scikit-learn)",
    "iris": "iris (150 flowers, 4 lengths in cm, scikit-learn)",
    "wine": "wine (178 wines, 13 chemical measurements, standardized, scikit-learn)",
}


class DatasetError(ValueError):
    """A data set that cannot be used; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class ParsedCSV:
    """A user's CSV after validation.

    X : ndarray of shape (N, D), the numeric columns that vary, rows with a missing or
        non-finite value dropped; columns : the D kept column names; notes : one line per
        thing that was ignored or dropped (empty when the file was used as it is).
    """

    X: np.ndarray
    columns: tuple[str, ...]
    notes: tuple[str, ...]


def standardize(X: np.ndarray) -> np.ndarray:
    """(x - xbar) / s column by column, s the population standard deviation (ddof = 0).

    Parameters
    ----------
    X : ndarray of shape (N, D), no constant column.

    Returns
    -------
    ndarray of shape (N, D) with column means 0 and variances 1: features measured in
    different units then weigh the same in S = (1/N) sum_n (x_n - xbar)(x_n - xbar)^T.
    """
    return (X - X.mean(axis=0)) / X.std(axis=0)


def gaussian3d(seed: int = 0, size: int = GAUSSIAN3D_SIZE) -> np.ndarray:
    """Anisotropic 3-D Gaussian points with a clear eigengap.

    x_n = m + R diag(3, 1.5, 0.5) g_n, g_n ~ N(0, I_3), R a random rotation (QR of a
    Gaussian matrix), so that the covariance has eigenvalues close to 9, 2.25 and 0.25.

    Parameters
    ----------
    seed : int, for numpy.random.default_rng.
    size : int, N.

    Returns
    -------
    ndarray of shape (N, 3).
    """
    rng = np.random.default_rng(seed)
    rotation, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    g = rng.standard_normal((size, 3))
    return np.asarray(GAUSSIAN3D_MEAN) + (g * np.asarray(GAUSSIAN3D_STDS)) @ rotation.T


def load_dataset(name: str, *, seed: int = 0) -> np.ndarray:
    """One of the built-in data sets, X of shape (N, D), in float64.

    "gaussian3d": :func:`gaussian3d` (N = 400, D = 3; ``seed`` draws it);
    "digits": scikit-learn's load_digits, N = 1797, D = 64 pixel intensities 0..16 (one
    unit, so not standardized); "iris": load_iris, N = 150, D = 4 lengths in cm (one unit,
    not standardized); "wine": load_wine, N = 178, D = 13 measurements in different units,
    standardized (:func:`standardize`). All loaders are bundled with scikit-learn.

    Raises
    ------
    DatasetError for an unknown name.
    """
    if name == "gaussian3d":
        return gaussian3d(seed)
    if name == "digits":
        return sklearn_datasets.load_digits().data.astype(float)
    if name == "iris":
        return sklearn_datasets.load_iris().data.astype(float)
    if name == "wine":
        return standardize(sklearn_datasets.load_wine().data.astype(float))
    raise DatasetError(
        f"Unknown data set {name[:40]!r}: choose one of {', '.join(DATASETS)}."
    )


def _decode(data: bytes) -> str:
    if not data.strip():
        raise DatasetError(
            "The file is empty: upload a CSV with one row per sample and at least "
            f"{MIN_COLUMNS} numeric columns."
        )
    if len(data) > MAX_BYTES:
        raise DatasetError(
            f"The file is {len(data) / 2**20:.1f} MB, above the limit of {MAX_MEGABYTES} MB: "
            f"upload a sample of at most {MAX_ROWS:,} rows."
        )
    not_text = DatasetError(
        "The file is not UTF-8 text (a spreadsheet or another binary format?): "
        "export it as comma-separated values (.csv) and upload that."
    )
    if b"\x00" in data:
        raise not_text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_text from None


def _rows(text: str) -> list[list[str]]:
    """The non-blank lines split into fields (comma, semicolon or tab, as sniffed).

    Reading stops after MAX_ROWS + 2 non-blank lines, so that a file of a million tiny rows
    costs no more time or memory than one just over the limit.
    """
    sample = "\n".join(text[:20_000].splitlines()[:SNIFFED_LINES])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    nonblank = (row for row in csv.reader(io.StringIO(text), dialect)
                if any(field.strip() for field in row))
    try:
        rows = list(itertools.islice(nonblank, MAX_ROWS + 2))
    except csv.Error as error:
        raise DatasetError(
            f"The file is not valid CSV ({str(error)[:60]}): check its quotes and upload it "
            "again."
        ) from None
    if len(rows) > MAX_ROWS + 1:
        raise DatasetError(
            f"The file has more than {MAX_ROWS:,} rows: upload a random sample of at most "
            f"{MAX_ROWS:,} rows."
        )
    return rows


def _check_shape(rows: list[list[str]]) -> int:
    """The number of fields per row; raises DatasetError for ragged or oversized tables."""
    if len(rows) < MIN_ROWS:
        raise DatasetError(
            f"The file has {len(rows)} non-blank line(s); the autoencoder needs at least "
            f"{MIN_ROWS} rows of numbers: upload more samples."
        )
    width, _ = Counter(len(row) for row in rows[1:]).most_common(1)[0]
    if len(rows[0]) != width:
        raise DatasetError(
            f"The first line has {len(rows[0])} field(s) but the lines below have {width}: "
            "remove any title or comment line above the header and make the header name "
            "every column."
        )
    ragged = [i + 1 for i, row in enumerate(rows) if len(row) != width]
    if ragged:
        raise DatasetError(
            f"Line {ragged[0]} has {len(rows[ragged[0] - 1])} field(s) but the others have "
            f"{width} ({len(ragged)} such line(s)): give every line the same number of fields."
        )
    if width > MAX_COLUMNS:
        raise DatasetError(
            f"The file has {width} columns, above the limit of {MAX_COLUMNS}: keep the "
            "columns you want to compress and upload that."
        )
    return width


def _number(field: str) -> float | None:
    try:
        return float(field.strip())
    except ValueError:
        return None


def _safe_name(field: str, j: int) -> str:
    """A header field reduced to letters, digits, spaces and _-.%()/#, at most 30 characters,
    so that it can be shown in a message without formatting it (no markdown, HTML, LaTeX)."""
    kept = "".join(c for c in field if c.isalnum() or c in " _-.%()/#").strip()[:30]
    return kept or f"column {j + 1}"


def _names(rows: list[list[str]], width: int) -> tuple[list[str], list[list[str]]]:
    """Column names (the header if the first row is not all numbers) and the data rows."""
    first = rows[0]
    if all(_number(field) is not None for field in first):
        return [f"column {j + 1}" for j in range(width)], rows
    return [_safe_name(field, j) for j, field in enumerate(first)], rows[1:]


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def parse_csv_report(data: bytes) -> ParsedCSV:
    """Validate an uploaded CSV and say what was ignored or dropped (see :func:`parse_csv`)."""
    rows = _rows(_decode(data))
    width = _check_shape(rows)
    names, body = _names(rows, width)
    cells = [[_number(field) for field in row] for row in body]
    numeric = [
        j for j in range(width)
        if sum(row[j] is not None for row in cells) >= max(1, len(cells) / 2)
    ]
    notes = []
    ignored = [names[j] for j in range(width) if j not in numeric]
    if ignored:
        notes.append(f"Ignored {len(ignored)} non-numeric column(s): {_listing(ignored)}.")
    if len(numeric) < MIN_COLUMNS:
        raise DatasetError(
            f"Found {len(numeric)} numeric column(s); the autoencoder needs at least "
            f"{MIN_COLUMNS}: upload a table with numbers in at least {MIN_COLUMNS} columns."
        )
    X = np.array(
        [[np.nan if row[j] is None else row[j] for j in numeric] for row in cells], dtype=float
    )
    finite = np.isfinite(X).all(axis=1)
    if not finite.all():
        notes.append(
            f"Dropped {int((~finite).sum())} row(s) with a missing, non-numeric or infinite "
            "value."
        )
        X = X[finite]
    if X.shape[0] < MIN_ROWS:
        complete = "complete " if not finite.all() else ""
        raise DatasetError(
            f"The file has {X.shape[0]} {complete}row(s) of numbers; at least {MIN_ROWS} are "
            "needed: upload more samples or fill in the missing values."
        )
    if np.abs(X).max() > MAX_MAGNITUDE:
        raise DatasetError(
            f"The file has values beyond ±{MAX_MAGNITUDE:g}, too large to square: rescale "
            "those columns (other units) and upload it again."
        )
    varies = X.max(axis=0) - X.min(axis=0) > MIN_SPREAD
    kept = [names[j] for j, v in zip(numeric, varies) if v]
    constant = [names[j] for j, v in zip(numeric, varies) if not v]
    if constant:
        notes.append(
            f"Dropped {len(constant)} constant column(s) (no variance to explain): "
            f"{_listing(constant)}."
        )
    if len(kept) < MIN_COLUMNS:
        raise DatasetError(
            f"Only {len(kept)} numeric column(s) vary; the autoencoder needs at least "
            f"{MIN_COLUMNS}: upload columns whose values are not all equal."
        )
    return ParsedCSV(X=X[:, varies], columns=tuple(kept), notes=tuple(notes))


def parse_csv(data: bytes) -> np.ndarray:
    """The numeric table of an uploaded CSV file, X of shape (N, D).

    The first line is a header unless every field in it is a number. Columns where fewer
    than half of the cells are numbers are ignored; rows with a missing or non-finite value
    (NaN, inf, empty, text) in a kept column are dropped; constant columns (values spanning
    at most MIN_SPREAD) are dropped.
    :func:`parse_csv_report` returns the same array with a note for each of these.

    Parameters
    ----------
    data : bytes, the file's content (UTF-8; comma, semicolon or tab separated).

    Returns
    -------
    ndarray of shape (N, D), float64, N >= 3 and 2 <= D <= MAX_COLUMNS.

    Raises
    ------
    DatasetError, with a one-line message saying what is wrong and what to do, when the
    file is empty, not text, larger than MAX_BYTES or MAX_ROWS, has a ragged first row (a
    title line above the header) or ragged lines, fewer than 3 complete numeric rows, a
    value beyond ±MAX_MAGNITUDE, or fewer than 2 numeric columns that vary.
    """
    return parse_csv_report(data).X

"""views.common.controls: parsing URL values and the one-line notice."""

import pytest

from views.common.controls import BoolControl, ChoiceControl, FloatControl, IntControl, url_problem

T = IntControl("T", "sequence length T", 1, 100, 30)
SIGMA = FloatControl("sigma", "σ", 0.1, 3.0, 1.0, 0.05)
INIT = ChoiceControl("init", "init", ("gaussian", "orthogonal"), "gaussian")
LAST = BoolControl("last", "last", False)


@pytest.mark.parametrize("control,raw,value", [
    (T, "50", 50), (T, "50.0", 50), (SIGMA, "2.5", 2.5), (INIT, "orthogonal", "orthogonal"),
    (LAST, "true", True), (LAST, "False", False),
])
def test_parse_accepts_valid_values(control, raw, value):
    assert control.parse(raw) == value


@pytest.mark.parametrize("control,raw", [
    (T, "abc"), (T, "5.5"), (T, "0"), (T, "101"), (T, "1e9"), (T, "nan"), (T, ""), (T, "-3"),
    (SIGMA, "inf"), (SIGMA, "3.01"), (SIGMA, "NaN"), (INIT, "1"), (INIT, "Orthogonal"),
    (LAST, "yes"),
])
def test_parse_rejects_bad_values(control, raw):
    assert control.parse(raw) is None


def test_url_problem_says_what_and_what_to_do():
    assert url_problem(T, [], 30) is None
    assert url_problem(T, ["50"], 50) is None
    line = url_problem(T, ["abc"], 30)
    assert "T=abc" in line and "whole number from 1 to 100" in line and "= 30" in line
    assert "\n" not in line
    assert "more than once" in url_problem(T, ["3", "4"], 30)
    assert url_problem(T, ["x" * 500], 30).count("x") <= 45  # the echo is bounded


def test_choice_with_labels_reads_the_label_from_the_url():
    data = ChoiceControl("data", "data set", ("a", "b"), "a", labels={"a": "Alpha", "b": "Beta"})
    assert data.parse("Beta") == "b"
    assert data.parse("b") is None
    assert "Alpha, Beta" in data.describe()

"""Compact and full printing of cell values."""

import math

import pytest

from tui.numbers import format_full, format_value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.97, "0.97"),
        (1.0, "1.00"),
        (0.0, "0.00"),
        (0.12345, "0.12"),
        (1e-4, "1e-4"),
        (12.5, "12.5"),
        (99.99, "100"),
        (123456.0, "1e5"),
        (math.inf, "∞"),
        (-math.inf, "-∞"),
        (math.nan, ""),
    ],
)
def test_scores_fit_four_characters(value, expected):
    assert format_value(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7.0, "7"), (1234.0, "1234"), (12345.0, "12k"), (1_500_000.0, "1.5M")],
)
def test_counts_print_as_integers(value, expected):
    assert format_value(value, counts=True) == expected


def test_wider_cells_get_more_decimals():
    assert format_value(0.123456, 6) == "0.1235"


def test_full_precision_keeps_every_digit():
    assert format_full(0.123456789) == "0.123456789"
    assert format_full(3.0) == "3"
    assert format_full(math.nan) == "missing"

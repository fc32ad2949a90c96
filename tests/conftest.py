"""Fixtures shared by the test modules: small matrices and a ready explorer."""

from __future__ import annotations

import numpy as np
import pytest

from tui.colour_mode import ColourMode
from tui.matrix import Matrix
from tui.scale import ColourScale

DIGITS = [
    [1.00, 0.03, 0.01, 0.00, 0.00],
    [0.67, 0.97, 0.12, 0.02, 0.00],
    [0.39, 0.57, 0.94, 0.03, 0.01],
    [0.02, 0.35, 0.61, 0.99, 0.01],
    [0.00, 0.03, 0.36, 0.64, 0.00],
]
"""The figure's matrix, as `sample_data/digits_accuracy.json` holds it."""


@pytest.fixture
def sample_matrix() -> Matrix:
    """The built-in sample: digit accuracy, rows digit_b and columns digit_a."""
    labels = ("1", "2", "3", "4", "5")
    return Matrix(
        np.array(DIGITS),
        row_labels=labels,
        col_labels=labels,
        x_label="digit_a",
        y_label="digit_b",
        title="Accuracy",
        source="digits_accuracy.json",
        has_row_labels=True,
        has_col_labels=True,
    )


@pytest.fixture
def counts_matrix() -> Matrix:
    """A small confusion matrix of counts, true classes down, predictions across."""
    values = np.array([[8, 1, 1], [2, 6, 2], [0, 0, 10]], dtype=float)
    return Matrix(
        values,
        row_labels=("cat", "dog", "eel"),
        col_labels=("cat", "dog", "eel"),
        x_label="predicted",
        y_label="true",
        source="pets.csv",
        has_row_labels=True,
        has_col_labels=True,
    )


@pytest.fixture
def wide_matrix() -> Matrix:
    """A 3×9 matrix without labels or names."""
    return Matrix(np.linspace(0.0, 1.0, 27).reshape(3, 9), source="wide.csv")


@pytest.fixture
def make_app(sample_matrix):
    """Build an explorer: `make_app(matrix=None, mode="truecolor", sensitivity=1)`."""

    def build(matrix: Matrix | None = None, mode: str = "truecolor", **options):
        from tui.app import HeatlensApp

        matrix = sample_matrix if matrix is None else matrix
        return HeatlensApp(
            matrix,
            scale=ColourScale.for_values(matrix.values),
            colour_mode=ColourMode(mode, "chosen in a test"),
            **options,
        )

    return build


async def _settle(pilot) -> None:
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def settle():
    """`await settle(pilot)` waits until every worker is done and drawn."""
    return _settle

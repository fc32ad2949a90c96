"""The matrix value that every other part of heatlens reads and none mutates."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from tui.overview import ValueSummary, release_pages, summarise


def index_labels(count: int) -> tuple[str, ...]:
    """Labels for an axis that has none in the file: its 0-based positions."""
    return tuple(str(i) for i in range(count))


@dataclass(frozen=True, eq=False)
class Matrix:
    """A 2-D matrix of scores or counts with its labels and names.

    Missing cells are NaN. Row i runs along the y axis (top to bottom) and
    column j along the x axis (left to right), as stored in the file.
    """

    values: np.ndarray
    """The cells as a 2-D float array; NaN marks a missing cell."""
    row_labels: tuple[str, ...] = ()
    """One label per row; positions when the file had none."""
    col_labels: tuple[str, ...] = ()
    """One label per column; positions when the file had none."""
    x_label: str = ""
    """The name of the x axis (the columns), e.g. `digit_a`."""
    y_label: str = ""
    """The name of the y axis (the rows), e.g. `digit_b`."""
    title: str = ""
    """The figure's title, e.g. `Accuracy`."""
    source: str = ""
    """Where the matrix came from, for messages: a path or `-`."""
    has_row_labels: bool = False
    """Whether the row labels came from the input rather than positions."""
    has_col_labels: bool = False
    """Whether the column labels came from the input rather than positions."""

    def __post_init__(self) -> None:
        values = self.values
        if values.ndim != 2:
            raise ValueError(f"a matrix is 2-D, not {values.ndim}-D")
        if not np.issubdtype(values.dtype, np.floating):
            values = values.astype(np.float64)
            object.__setattr__(self, "values", values)

        rows, cols = values.shape
        if not self.row_labels:
            object.__setattr__(self, "row_labels", index_labels(rows))
        if not self.col_labels:
            object.__setattr__(self, "col_labels", index_labels(cols))
        if len(self.row_labels) != rows or len(self.col_labels) != cols:
            raise ValueError("label counts do not match the matrix's shape")

    @property
    def shape(self) -> tuple[int, int]:
        """The number of rows and columns."""
        return self.values.shape  # type: ignore[return-value]

    @property
    def n_rows(self) -> int:
        return int(self.values.shape[0])

    @property
    def n_cols(self) -> int:
        return int(self.values.shape[1])

    @property
    def is_square(self) -> bool:
        return self.n_rows == self.n_cols

    @cached_property
    def summary(self) -> ValueSummary:
        """The finite range and whether the values are counts, found in one pass.

        The pass reads a band of rows at a time, so a memory-mapped matrix
        costs no more memory than a band, and nothing as large as the matrix
        is kept.
        """
        summary = summarise(self.values)
        release_pages(self.values)
        return summary

    def finite_ends(self) -> np.ndarray:
        """The smallest and largest finite values (none when there are none).

        `ColourScale.for_values` gives the same scale for these as for the
        whole matrix, without another pass over it.
        """
        ends = (self.summary.low, self.summary.high)
        return np.array([end for end in ends if end is not None], dtype=np.float64)

    @property
    def is_counts(self) -> bool:
        """Whether every present value is a non-negative whole number.

        A matrix of counts (a confusion matrix) is shown and inspected
        differently from one of scores; a matrix with no present value is
        treated as scores.
        """
        return self.summary.is_counts

    @property
    def finite_values(self) -> np.ndarray:
        """The finite cells as a flat array, made afresh on each call.

        It is as large as the matrix, so it is never kept: callers that need
        only the range or `is_counts` read `summary` instead.
        """
        flat = np.asarray(self.values).ravel()
        return flat[np.isfinite(flat)]

    def row_label(self, row: int) -> str:
        return self.row_labels[row]

    def col_label(self, col: int) -> str:
        return self.col_labels[col]

    def value(self, row: int, col: int) -> float:
        """The value of one cell as a Python float (NaN when missing)."""
        return float(self.values[row, col])

    def transpose(self) -> Matrix:
        """The same matrix with rows and columns swapped, labels and names too."""
        return replace(
            self,
            values=np.asarray(self.values).T,
            row_labels=self.col_labels,
            col_labels=self.row_labels,
            x_label=self.y_label,
            y_label=self.x_label,
            has_row_labels=self.has_col_labels,
            has_col_labels=self.has_row_labels,
        )

    def with_names(
        self,
        *,
        title: str | None = None,
        x_label: str | None = None,
        y_label: str | None = None,
    ) -> Matrix:
        """A copy with the given title or axis names replaced."""
        changes = {
            name: value
            for name, value in (
                ("title", title),
                ("x_label", x_label),
                ("y_label", y_label),
            )
            if value is not None
        }
        return replace(self, **changes)

    def describe_cell(self, row: int, col: int) -> str:
        """The cell's position in words, e.g. `digit_b=5, digit_a=5`."""
        y_name = self.y_label or "row"
        x_name = self.x_label or "column"
        return f"{y_name}={self.row_labels[row]}, {x_name}={self.col_labels[col]}"

"""Comparing two matrices of the same things: B − A, cell by cell.

Each axis is matched on its own. When both matrices have labels from their
files on an axis, that axis is matched by label: the result keeps the union
of the labels, A's in A's order followed by those only B has, and a label
that one side lacks gives missing cells on that side and in the difference,
so nothing either file holds is hidden. Otherwise the axis is matched by
position and both must have the same number of rows (or columns).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from tui.errors import InputError
from tui.matrix import Matrix
from tui.scale import ColourScale


@dataclass(frozen=True, eq=False)
class Comparison:
    """Two matrices aligned cell for cell, and their difference."""

    a: Matrix
    """The first matrix (the baseline), aligned to the shared rows and columns."""
    b: Matrix
    """The second matrix, aligned like `a`."""
    diff: Matrix
    """B − A; missing where either side is missing."""


@dataclass(frozen=True)
class _Axis:
    """How one axis of A and of B map onto the shared axis."""

    labels: tuple[str, ...]
    from_a: np.ndarray
    """For each shared position, the position in A, or -1 where A lacks it."""
    from_b: np.ndarray
    """For each shared position, the position in B, or -1 where B lacks it."""
    from_files: bool
    """Whether the shared labels came from the files rather than positions."""


def difference(a: Matrix, b: Matrix) -> Comparison:
    """Align `a` and `b` and subtract: blue (positive) where B is higher.

    Raises:
        InputError: naming both files, when an axis can be matched neither
            by label nor by position, or when matching by label finds no
            label in common.
    """
    rows = _align(a, b, "row")
    cols = _align(a, b, "col")

    aligned_a = _aligned(a, rows, cols, rows.from_a, cols.from_a)
    aligned_b = _aligned(b, rows, cols, rows.from_b, cols.from_b)
    with np.errstate(invalid="ignore", over="ignore"):
        change = aligned_b.values - aligned_a.values

    diff = Matrix(
        change,
        row_labels=rows.labels,
        col_labels=cols.labels,
        x_label=a.x_label or b.x_label,
        y_label=a.y_label or b.y_label,
        title=f"Change: {_name(b, 'B')} − {_name(a, 'A')}",
        source=b.source,
        has_row_labels=rows.from_files,
        has_col_labels=cols.from_files,
    )
    return Comparison(aligned_a, aligned_b, diff)


def diff_scale(diff: Matrix) -> ColourScale:
    """A scale centred on 0 and symmetric: ± the largest finite change.

    When nothing changed (or no change is finite) the range is ±1, so an
    all-gray matrix still has a legend.
    """
    finite = diff.finite_values
    largest = float(np.abs(finite).max()) if finite.size else 0.0
    if largest == 0.0:
        largest = 1.0
    return ColourScale(-largest, largest, center=0.0)


def _name(matrix: Matrix, fallback: str) -> str:
    """A short name for a matrix in a title: its file's name, else its title."""
    if matrix.source and matrix.source != "-":
        return os.path.basename(matrix.source)
    return matrix.title or fallback


def _align(a: Matrix, b: Matrix, axis: str) -> _Axis:
    """Match one axis of `a` and `b` by label when both have labels, else by place."""
    labels_a = a.row_labels if axis == "row" else a.col_labels
    labels_b = b.row_labels if axis == "row" else b.col_labels
    labelled_a = a.has_row_labels if axis == "row" else a.has_col_labels
    labelled_b = b.has_row_labels if axis == "row" else b.has_col_labels
    noun = "rows" if axis == "row" else "columns"

    if labelled_a and labelled_b and labels_a != labels_b:
        return _align_by_label(a, b, labels_a, labels_b, noun)

    if len(labels_a) != len(labels_b):
        problem = (
            f"has {len(labels_b)} {noun} but {_source(a)} has {len(labels_a)}, "
            f"and without labels in both files the {noun} cannot be matched"
        )
        raise InputError(_source(b), problem)

    labels = labels_a if labelled_a or not labelled_b else labels_b
    places = np.arange(len(labels), dtype=np.intp)
    return _Axis(labels, places, places.copy(), labelled_a or labelled_b)


def _align_by_label(
    a: Matrix,
    b: Matrix,
    labels_a: tuple[str, ...],
    labels_b: tuple[str, ...],
    noun: str,
) -> _Axis:
    for matrix, labels in ((a, labels_a), (b, labels_b)):
        repeated = _first_repeat(labels)
        if repeated is not None:
            problem = (
                f"the {noun} cannot be matched by label: "
                f"{repeated!r} names more than one of them"
            )
            raise InputError(_source(matrix), problem)

    if not set(labels_a) & set(labels_b):
        problem = f"no {noun[:-1]} label in common with {_source(a)}"
        raise InputError(_source(b), problem)

    only_b = [label for label in labels_b if label not in set(labels_a)]
    labels = (*labels_a, *only_b)
    place_a = {label: i for i, label in enumerate(labels_a)}
    place_b = {label: i for i, label in enumerate(labels_b)}
    from_a = np.array([place_a.get(label, -1) for label in labels], dtype=np.intp)
    from_b = np.array([place_b.get(label, -1) for label in labels], dtype=np.intp)
    return _Axis(labels, from_a, from_b, True)


def _first_repeat(labels: tuple[str, ...]) -> str | None:
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            return label
        seen.add(label)
    return None


def _source(matrix: Matrix) -> str:
    return matrix.source or "the matrix"


def _aligned(
    matrix: Matrix,
    rows: _Axis,
    cols: _Axis,
    row_from: np.ndarray,
    col_from: np.ndarray,
) -> Matrix:
    """`matrix` laid out on the shared axes; cells it lacks are missing."""
    values = np.full((row_from.size, col_from.size), np.nan)
    row_have = row_from >= 0
    col_have = col_from >= 0
    source = np.asarray(matrix.values, dtype=np.float64)
    picked = source[np.ix_(row_from[row_have], col_from[col_have])]
    values[np.ix_(row_have, col_have)] = picked

    return Matrix(
        values,
        row_labels=rows.labels,
        col_labels=cols.labels,
        x_label=matrix.x_label,
        y_label=matrix.y_label,
        title=matrix.title,
        source=matrix.source,
        has_row_labels=rows.from_files,
        has_col_labels=cols.from_files,
    )

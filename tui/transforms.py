"""New views of a matrix: shares of its counts, its margins, other orders, search.

Every function here takes a `Matrix` and returns a new one (or figures about
it); nothing is changed in place. Reordering also returns the permutations it
applied, so a caller can map a cursor between the stored and the shown order:
shown row `i` is stored row `row_order[i]`.
"""

from __future__ import annotations

import math
import re
from collections import deque
from dataclasses import dataclass, replace

import numpy as np

from tui.matrix import Matrix
from tui.text import safe_text
from tui.view_choices import NORMALISATIONS, ORDERS

_TITLE_SUFFIX = {"row": "by row", "column": "by column", "total": "of total"}


def normalise(matrix: Matrix, how: str) -> Matrix:
    """The matrix as shares of its row sums, column sums or grand total.

    By row, each cell is the share of its row (recall, for a confusion matrix
    with true classes as rows); by column, the share of its column
    (precision); by total, the share of everything. Missing cells count as
    zero in the sums and stay missing; a sum that is zero or not finite
    leaves its cells missing instead of dividing by it.

    Args:
        matrix: the matrix to divide, normally one of counts.
        how: one of `NORMALISATIONS`; `"none"` returns `matrix` itself.

    Raises:
        ValueError: for a `how` not in `NORMALISATIONS`.
    """
    if how not in NORMALISATIONS:
        raise ValueError(f"unknown normalisation {how!r}")
    if how == "none":
        return matrix

    values = np.asarray(matrix.values, dtype=np.float64)
    if how == "row":
        sums = _sum(values, axis=1, keepdims=True)
    elif how == "column":
        sums = _sum(values, axis=0, keepdims=True)
    else:
        sums = np.array(_sum(values))

    usable = np.isfinite(sums) & (sums != 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(usable, values / np.where(usable, sums, 1.0), np.nan)
    return replace(matrix, values=shares, title=_suffixed(matrix.title, how))


def _suffixed(title: str, how: str) -> str:
    suffix = _TITLE_SUFFIX[how]
    return f"{title} ({suffix})" if title else f"Share {suffix}"


@dataclass(frozen=True, eq=False)
class Margins:
    """Totals of a matrix and, when it is square, per-class figures.

    The per-class figures read the matrix as a confusion matrix with the
    true class on the rows and the predicted class on the columns. A matrix
    that is not square has no diagonal, so those figures are `None`.
    """

    row_totals: np.ndarray
    """The sum of each row; NaN for a row with no present cell."""
    col_totals: np.ndarray
    """The sum of each column; NaN for a column with no present cell."""
    total: float
    """The sum of every present cell; NaN when no cell is present."""
    recall: np.ndarray | None
    """Per row: the diagonal cell over the row's total (NaN when it is 0)."""
    precision: np.ndarray | None
    """Per column: the diagonal cell over the column's total (NaN when 0)."""
    accuracy: float | None
    """The diagonal's sum over the total (NaN when the total is 0)."""


def margins(matrix: Matrix) -> Margins:
    """Row and column totals, and recall, precision and accuracy if square."""
    values = np.asarray(matrix.values, dtype=np.float64)
    present = ~np.isnan(values)
    row_totals = _totals(values, present, axis=1)
    col_totals = _totals(values, present, axis=0)
    total = float(_sum(values)) if present.any() else math.nan

    if not matrix.is_square:
        return Margins(row_totals, col_totals, total, None, None, None)

    diagonal = np.diagonal(values)
    recall = _ratio(diagonal, row_totals)
    precision = _ratio(diagonal, col_totals)
    accuracy = float(_ratio(np.array(_sum(diagonal)), np.array(total)))
    return Margins(row_totals, col_totals, total, recall, precision, accuracy)


def _sum(values: np.ndarray, **options: int | bool) -> np.ndarray:
    """The sum of the present values, quietly infinite when it overflows.

    Counts near the float limit add up to infinity, which is shown as it is
    (and leaves shares of it missing); the overflow is no news to warn about.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return np.nansum(values, **options)


def _totals(values: np.ndarray, present: np.ndarray, axis: int) -> np.ndarray:
    sums = _sum(values, axis=axis)
    return np.where(present.any(axis=axis), sums, np.nan)


def _ratio(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """`part / whole`, NaN where `whole` is zero, missing or not finite."""
    usable = np.isfinite(whole) & (whole != 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(usable, part / np.where(usable, whole, 1.0), np.nan)


def reorder(matrix: Matrix, how: str) -> tuple[Matrix, np.ndarray, np.ndarray]:
    """The matrix with its rows and columns in another order.

    Args:
        matrix: the matrix in its stored order.
        how: one of `ORDERS`. `"stored"` keeps the file's order; `"label"`
            sorts each axis by its labels naturally (`class_2` before
            `class_10`, numbers by value); `"diagonal"` puts the highest
            diagonal cells first (square) or the highest row and column
            means first (otherwise); `"similarity"` puts classes that are
            confused with each other, or behave alike, next to each other
            (see `similarity_order`).

    Returns:
        The reordered matrix, the row order and the column order: shown row
        `i` is stored row `row_order[i]`, and likewise for columns.

    Raises:
        ValueError: for a `how` not in `ORDERS`.
    """
    if how not in ORDERS:
        raise ValueError(f"unknown order {how!r}")

    if how == "stored":
        rows, cols = np.arange(matrix.n_rows), np.arange(matrix.n_cols)
    elif how == "label":
        rows, cols = label_order(matrix.row_labels), label_order(matrix.col_labels)
    elif how == "diagonal":
        rows, cols = _diagonal_orders(matrix)
    else:
        rows, cols = similarity_orders(matrix)
    return apply_order(matrix, rows, cols), rows, cols


def apply_order(matrix: Matrix, rows: np.ndarray, cols: np.ndarray) -> Matrix:
    """The matrix with stored rows `rows` and columns `cols`, in that order."""
    values = np.asarray(matrix.values)[np.ix_(rows, cols)]
    return replace(
        matrix,
        values=values,
        row_labels=tuple(matrix.row_labels[i] for i in rows),
        col_labels=tuple(matrix.col_labels[j] for j in cols),
    )


def inverse_order(order: np.ndarray) -> np.ndarray:
    """Where each stored position is shown: `inverse[order[i]] == i`."""
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    return inverse


_CHUNKS = re.compile(r"(\d+)")


def natural_key(label: str) -> tuple:
    """A sort key that orders numbers by value and digits inside text by value.

    Labels that are whole numbers (`-3`, `0.5`, `1e-4`) come first, by value;
    other labels are compared piece by piece, text without regard to case
    and runs of digits as numbers, so `class_2` sorts before `class_10`.
    """
    try:
        number = float(label)
    except ValueError:
        number = math.nan
    if math.isfinite(number):
        return (0, number, ())

    pieces = tuple(
        (0, int(piece), "") if piece.isdecimal() else (1, 0, piece.casefold())
        for piece in _CHUNKS.split(label)
        if piece
    )
    return (1, 0.0, pieces)


def label_order(labels: tuple[str, ...]) -> np.ndarray:
    """Positions of `labels` in natural order; equal keys keep stored order."""
    ranked = sorted(range(len(labels)), key=lambda i: natural_key(labels[i]))
    return np.array(ranked, dtype=np.intp)


def _descending(scores: np.ndarray) -> np.ndarray:
    """Positions from the highest score down; missing scores last, stably."""
    return np.argsort(-scores, kind="stable")


def _diagonal_orders(matrix: Matrix) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(matrix.values, dtype=np.float64)
    if matrix.is_square:
        order = _descending(np.diagonal(values))
        return order, order.copy()
    return _descending(_nanmean(values, 1)), _descending(_nanmean(values, 0))


def _nanmean(values: np.ndarray, axis: int) -> np.ndarray:
    """The mean of the present cells along `axis`; NaN where none is present."""
    present = ~np.isnan(values)
    counts = present.sum(axis=axis)
    sums = np.where(present, values, 0.0).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def similarity_orders(matrix: Matrix) -> tuple[np.ndarray, np.ndarray]:
    """Row and column orders that put related classes next to each other.

    A square matrix with no negative value is read as a confusion matrix:
    two classes are related by how often each is mistaken for the other (the
    off-diagonal shares of their rows, added both ways), and rows and columns
    share one order so the diagonal stays the diagonal. Any other square
    matrix relates classes by how alike their row and column profiles are,
    again with one shared order. A matrix that is not square orders its rows
    by how alike the rows are and its columns by how alike the columns are.
    """
    values = np.asarray(matrix.values, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if matrix.is_square:
        if finite.size and finite.min() < 0:
            features = np.hstack([values, values.T])
            order = similarity_order(_profile_affinity(features))
        else:
            order = similarity_order(_confusion_affinity(values))
        return order, order.copy()

    rows = similarity_order(_profile_affinity(values))
    cols = similarity_order(_profile_affinity(values.T))
    return rows, cols


def _confusion_affinity(values: np.ndarray) -> np.ndarray:
    """How much each pair of classes is confused, in row shares, both ways."""
    counts = np.where(np.isfinite(values), values, 0.0)
    sums = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(sums > 0, counts / np.where(sums > 0, sums, 1.0), 0.0)
    affinity = shares + shares.T
    np.fill_diagonal(affinity, 0.0)
    return affinity


def _profile_affinity(features: np.ndarray) -> np.ndarray:
    """Positive correlation between the rows of `features`, 0 on the diagonal.

    Missing and infinite cells are replaced by their column's mean, so they
    neither add to nor take from a correlation.
    """
    features = np.where(np.isfinite(features), features, np.nan)
    column_means = np.nan_to_num(_nanmean(features, 0))
    filled = np.where(np.isnan(features), column_means, features)

    centred = filled - filled.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    unit = np.divide(centred, norms, out=np.zeros_like(centred), where=norms > 0)
    affinity = np.clip(unit @ unit.T, 0.0, None)
    np.fill_diagonal(affinity, 0.0)
    return affinity


def similarity_order(affinity: np.ndarray) -> np.ndarray:
    """A spectral seriation of a symmetric, non-negative affinity matrix.

    Each group of connected items is ordered by its Fiedler vector (the
    eigenvector of the second smallest eigenvalue of the normalised graph
    Laplacian), which places strongly related items close together. Groups
    follow one another from the largest down; items related to nothing keep
    their stored order at the end. The result is deterministic: the
    eigenvector's sign is chosen so the order runs as close to the stored
    one as it can, and ties keep stored order.
    """
    size = affinity.shape[0]
    linked = affinity > 0
    groups = _components(linked)
    groups.sort(key=lambda group: (-len(group), group[0]))

    ordered = [_fiedler_order(affinity, group) for group in groups if len(group) > 1]
    alone = [group[0] for group in groups if len(group) == 1]
    parts = [*ordered, np.array(sorted(alone), dtype=np.intp)]
    order = np.concatenate(parts) if parts else np.arange(size)
    return order.astype(np.intp)


def _components(linked: np.ndarray) -> list[list[int]]:
    """The connected groups of a symmetric adjacency matrix, each sorted."""
    size = linked.shape[0]
    seen = np.zeros(size, dtype=bool)
    groups = []
    for start in range(size):
        if seen[start]:
            continue

        seen[start] = True
        members = [start]
        queue = deque([start])
        while queue:
            node = queue.popleft()
            fresh = np.flatnonzero(linked[node] & ~seen)
            seen[fresh] = True
            members.extend(int(i) for i in fresh)
            queue.extend(int(i) for i in fresh)
        groups.append(sorted(members))
    return groups


def _fiedler_order(affinity: np.ndarray, group: list[int]) -> np.ndarray:
    """The items of one connected group, ordered along its Fiedler vector."""
    index = np.array(group, dtype=np.intp)
    weights = affinity[np.ix_(index, index)]
    degrees = weights.sum(axis=1)
    scale = 1.0 / np.sqrt(degrees)

    laplacian = np.eye(index.size) - scale[:, None] * weights * scale[None, :]
    _, vectors = np.linalg.eigh(laplacian)
    fiedler = vectors[:, 1] * scale

    positions = np.arange(index.size) - (index.size - 1) / 2
    if fiedler @ positions < 0:
        fiedler = -fiedler
    return index[np.argsort(fiedler, kind="stable")]


def find_label(matrix: Matrix, text: str) -> list[tuple[str, int]]:
    """Rows and columns whose label contains `text`, ignoring case.

    Labels are matched as they are shown (through `safe_text`). Exact
    matches come first, then labels that start with `text`, then the rest;
    within each group rows come before columns, in stored order.

    Returns:
        `("row", index)` and `("col", index)` pairs; empty for empty `text`.
    """
    wanted = text.casefold()
    if not wanted:
        return []

    ranked = []
    axes = (("row", matrix.row_labels), ("col", matrix.col_labels))
    for axis_rank, (axis, labels) in enumerate(axes):
        for index, label in enumerate(labels):
            shown = safe_text(label).casefold()
            if wanted not in shown:
                continue
            closeness = 0 if shown == wanted else 1 if shown.startswith(wanted) else 2
            ranked.append((closeness, axis_rank, index, axis))
    ranked.sort()
    return [(axis, index) for _, _, index, axis in ranked]

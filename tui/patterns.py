"""Candidate patterns a matrix may follow, each predicting every cell from others.

The anomaly detector does not know in advance what shape a matrix has: a
diagonal band, a fall-off with the distance from the diagonal, an
anti-diagonal, a trained corner, blocks of grouped classes or plain row and
column effects. Each function here fits one such pattern robustly (medians,
never means) and predicts each cell from the *other* cells of its group, so
an anomalous cell cannot hide itself by pulling its own prediction along.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MIN_OTHERS = 3
"""How many other cells a group needs before it predicts a cell."""
FEW_GROUPS = 4
"""Patterns with at most this many groups may take plain medians..."""
LARGE_GROUP = 200
"""...when every group holds at least this many present cells."""


@dataclass(frozen=True, eq=False)
class Fit:
    """One pattern's prediction for every cell of a matrix."""

    name: str
    """What the pattern is: `constant`, `diagonal`, `offset`, `antidiagonal`,
    `rows_columns`, `offset_rows_columns`, `blocks` or `blocks_diagonal`."""
    expected: np.ndarray
    """The predicted value of each cell; NaN where the pattern cannot say."""
    params: int
    """How many numbers the pattern fits, to prefer simple patterns on ties."""
    groups: np.ndarray | None = None
    """For group patterns, the group of each cell (-1 for none)."""
    row_cuts: tuple[int, ...] = field(default=())
    """For block patterns, the first row of every row segment."""
    col_cuts: tuple[int, ...] = field(default=())
    """For block patterns, the first column of every column segment."""


def value_order(y: np.ndarray) -> np.ndarray:
    """The flat positions of the present cells of `y`, smallest value first."""
    flat = y.ravel()
    present = np.flatnonzero(np.isfinite(flat))
    return present[np.argsort(flat[present])]


def loo_group_median(
    y: np.ndarray, groups: np.ndarray, order: np.ndarray | None = None
) -> np.ndarray:
    """The median of each cell's group, leaving the cell itself out.

    Args:
        y: values, NaN where missing.
        groups: non-negative group numbers of the same shape; -1 for none.
        order: `value_order(y)`, when already known; sorting is the slow part.

    Returns:
        An array shaped like `y`: for each present cell the median of the
        other present cells of its group, NaN when it has fewer than
        `MIN_OTHERS` of them (two cells alone would only accuse each other);
        for an absent cell, the median of its group.
    """
    flat = y.ravel()
    keys = groups.ravel()
    result = np.full(flat.shape, np.nan)
    by_value = value_order(y) if order is None else order
    by_value = by_value[keys[by_value] >= 0]
    if by_value.size == 0:
        return result.reshape(y.shape)

    chosen = keys[by_value]
    if chosen.max() < np.iinfo(np.int16).max:
        chosen = chosen.astype(np.int16)
    order = by_value[np.argsort(chosen, kind="stable")]
    sorted_keys = keys[order]
    sorted_values = flat[order]
    sizes = np.bincount(sorted_keys)
    starts = np.cumsum(sizes) - sizes

    group_start = starts[sorted_keys]
    rank = np.arange(order.size) - group_start
    others = sizes[sorted_keys] - 1
    low = np.maximum((others - 1) // 2, 0)
    high = others // 2
    low = group_start + low + (low >= rank)
    high = group_start + high + (high >= rank)
    last = order.size - 1
    median = 0.5 * (
        sorted_values[np.minimum(low, last)] + sorted_values[np.minimum(high, last)]
    )
    result[order] = np.where(others >= MIN_OTHERS, median, np.nan)

    middle = starts + (sizes - 1) // 2
    whole = 0.5 * (sorted_values[middle] + sorted_values[starts + sizes // 2])
    whole = np.where(sizes >= MIN_OTHERS, whole, np.nan)
    absent = np.flatnonzero(~np.isfinite(flat) & (keys >= 0) & (keys < sizes.size))
    result[absent] = whole[keys[absent]]
    return result.reshape(y.shape)


def _few_group_medians(y: np.ndarray, groups: np.ndarray, count: int):
    """Plain medians for a few large groups, or None when a group is small.

    Leaving one cell out of a group of hundreds moves its median by at most
    one rank, so large groups skip the sorting that leaving out needs.
    """
    present = np.isfinite(y)
    medians = np.full(count, np.nan)
    for group in range(count):
        members = y[present & (groups == group)]
        if members.size < LARGE_GROUP:
            return None
        medians[group] = np.median(members)
    return np.where(groups >= 0, medians[np.maximum(groups, 0)], np.nan)


def _group_fit(
    name: str, y: np.ndarray, groups: np.ndarray, order: np.ndarray, **extra
) -> Fit:
    count = int(groups.max()) + 1 if groups.size else 0
    expected = _few_group_medians(y, groups, count) if count <= FEW_GROUPS else None
    if expected is None:
        expected = loo_group_median(y, groups, order)
    return Fit(name, expected, params=count, groups=groups, **extra)


def _indices(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = shape
    return np.arange(rows)[:, None], np.arange(cols)[None, :]


def constant_fit(y: np.ndarray, order: np.ndarray) -> Fit:
    """Every cell predicted by the median of all the others."""
    return _group_fit("constant", y, np.zeros(y.shape, dtype=np.int64), order)


def diagonal_fit(y: np.ndarray, order: np.ndarray) -> Fit:
    """Diagonal cells predicted by the diagonal, the rest by the rest."""
    i, j = _indices(y.shape)
    groups = np.broadcast_to(i == j, y.shape).astype(np.int64)
    return _group_fit("diagonal", y, groups, order)


def offset_fit(y: np.ndarray, order: np.ndarray) -> Fit:
    """Each cell predicted by the others at the same offset `column - row`.

    This is a Toeplitz pattern: a diagonal band, or values that change with
    the distance from the diagonal, on either side differently.
    """
    i, j = _indices(y.shape)
    groups = np.broadcast_to((j - i) + (y.shape[0] - 1), y.shape).copy()
    return _group_fit("offset", y, groups, order)


def antidiagonal_fit(y: np.ndarray, order: np.ndarray) -> Fit:
    """Each cell predicted by the others with the same `row + column`.

    A Hankel pattern: an anti-diagonal band (one axis stored reversed), or
    values that change with the sum of the indices.
    """
    i, j = _indices(y.shape)
    groups = np.broadcast_to(i + j, y.shape).copy()
    return _group_fit("antidiagonal", y, groups, order)


def row_medians(y: np.ndarray) -> np.ndarray:
    """The median of each row's present cells; 0 for a row with none.

    Faster than `np.nanmedian`, which loops over rows once any cell is NaN.
    """
    ordered = np.sort(y, axis=1)
    count = np.sum(np.isfinite(y), axis=1)
    rows = np.arange(y.shape[0])
    low = ordered[rows, np.maximum((count - 1) // 2, 0)]
    high = ordered[rows, np.minimum(count // 2, y.shape[1] - 1)]
    return np.where(count > 0, 0.5 * (low + high), 0.0)


def median_polish(y: np.ndarray, rounds: int = 2) -> np.ndarray:
    """Additive row and column effects fitted by Tukey's median polish."""
    rows, cols = y.shape
    residual = y.copy()
    row_effect = np.zeros(rows)
    col_effect = np.zeros(cols)
    for _ in range(rounds):
        middle = row_medians(residual)
        residual -= middle[:, None]
        row_effect += middle

        middle = row_medians(residual.T)
        residual -= middle[None, :]
        col_effect += middle
    return row_effect[:, None] + col_effect[None, :]


def rows_columns_fit(y: np.ndarray) -> Fit:
    """Each cell predicted by its row's and its column's typical level."""
    rows, cols = y.shape
    return Fit("rows_columns", median_polish(y), params=rows + cols - 1)


def offset_rows_columns_fit(offset: Fit, y: np.ndarray) -> Fit:
    """A Toeplitz pattern whose rows and columns are shifted up or down."""
    base = offset.expected
    polish = median_polish(y - base)
    rows, cols = y.shape
    return Fit(
        "offset_rows_columns",
        base + polish,
        params=offset.params + rows + cols - 1,
        groups=offset.groups,
    )


def segment(y: np.ndarray, jump: float) -> np.ndarray:
    """Cut the rows of `y` where consecutive rows differ in several columns.

    Two neighbouring rows belong to different segments when at least 2
    columns (and 8 % of them) jump by more than `jump`. The two columns
    where a diagonal moves from one row to the next are not counted, so a
    diagonal band does not cut, and one anomalous cell cannot cut either.

    Returns:
        The segment number of every row.
    """
    rows, cols = y.shape
    if rows < 2:
        return np.zeros(rows, dtype=np.int64)
    step = np.abs(np.diff(y, axis=0))
    for column in (0, 1):
        index = np.arange(rows - 1)
        inside = index + column < cols
        step[index[inside], index[inside] + column] = np.nan
    jumps = np.sum(step > jump, axis=1)
    compared = np.sum(np.isfinite(step), axis=1)
    cut = jumps >= np.maximum(2, 0.08 * compared)
    return np.concatenate([[0], np.cumsum(cut)]).astype(np.int64)


def _cuts(segments: np.ndarray) -> tuple[int, ...]:
    return tuple(int(k) for k in np.flatnonzero(np.diff(segments, prepend=-1)))


def block_fits(y: np.ndarray, jump: float, order: np.ndarray) -> list[Fit]:
    """Contiguous blocks of rows and columns, with and without the diagonal apart.

    Grouped classes and a trained corner both make blocks: a segment of rows
    that behaves alike against each segment of columns. Blocks are only
    offered when the matrix splits into a few segments, not into many.
    """
    rows, cols = y.shape
    row_segments = segment(y, jump)
    col_segments = segment(y.T, jump)
    row_count = int(row_segments[-1]) + 1
    col_count = int(col_segments[-1]) + 1
    if row_count * col_count < 2:
        return []
    if row_count > max(3, rows // 2) or col_count > max(3, cols // 2):
        return []

    groups = row_segments[:, None] * col_count + col_segments[None, :]
    cuts = {"row_cuts": _cuts(row_segments), "col_cuts": _cuts(col_segments)}
    fits = [_group_fit("blocks", y, groups, order, **cuts)]
    i, j = _indices(y.shape)
    with_diagonal = np.where(i == j, row_count * col_count, groups)
    fits.append(_group_fit("blocks_diagonal", y, with_diagonal, order, **cuts))
    return fits


def candidate_fits(y: np.ndarray, jump: float, *, confusion: bool = False) -> list[Fit]:
    """Every pattern worth trying on a matrix of this shape.

    Args:
        y: the matrix on the detector's working scale, NaN where unusable.
        jump: how large a step between neighbouring rows counts as a block
            edge, on the same scale.
        confusion: whether `y` is a confusion matrix's row shares; its
            pattern is then built around the diagonal, and patterns that
            ignore the diagonal are not tried.
    """
    rows, cols = y.shape
    order = value_order(y)
    if min(rows, cols) < 2:
        return [constant_fit(y, order)]

    offset = offset_fit(y, order)
    if confusion:
        fits = [diagonal_fit(y, order), offset]
        return fits + (block_fits(y, jump, order) if min(rows, cols) >= 4 else [])

    fits = [constant_fit(y, order), diagonal_fit(y, order), offset]
    fits.append(antidiagonal_fit(y, order))
    if min(rows, cols) >= 3:
        fits.append(rows_columns_fit(y))
        fits.append(offset_rows_columns_fit(offset, y))
    if min(rows, cols) >= 4:
        fits += block_fits(y, jump, order)
    return fits

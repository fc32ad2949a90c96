"""Block aggregation for the zoomed-out overview of a large matrix.

In the overview each character cell of the grid stands for a block of matrix
cells, coloured by one aggregate of the block (its mean, min or max). The
reduction runs over a band of rows at a time, so a memory-mapped matrix is
read once and no temporary array as large as the matrix is ever made.
"""

from __future__ import annotations

import math
import mmap
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

AGGREGATES = ("min", "max", "mean")
"""The block aggregates the overview offers, in the order `m` cycles them."""

BAND_CELLS = 1 << 20
"""About how many matrix cells one band of the reduction reads at a time."""

_REDUCERS: dict[str, Callable[..., np.ndarray]] = {
    "min": np.nanmin,
    "max": np.nanmax,
    "mean": np.nanmean,
}


def _check(how: str, block_rows: int, block_cols: int) -> None:
    if how not in _REDUCERS:
        raise ValueError(f"aggregate must be one of {', '.join(AGGREGATES)}")
    if block_rows < 1 or block_cols < 1:
        raise ValueError("a block has at least one row and one column")


@dataclass(frozen=True)
class ValueSummary:
    """What one pass over a matrix tells about its present values."""

    low: float | None
    """The smallest finite value; None when there is none."""
    high: float | None
    """The largest finite value; None when there is none."""
    is_counts: bool
    """Whether every finite value is a non-negative whole number (and one is)."""


def summarise(values: np.ndarray) -> ValueSummary:
    """The finite range of `values` and whether they are counts, band by band.

    Agrees with `Matrix.is_counts`, without the copy of every finite value
    that it makes, so a memory-mapped matrix costs no more than a band.
    """
    rows = values.shape[0]
    band_rows = max(1, BAND_CELLS // max(1, values.shape[1]))
    low, high, counts, seen = math.inf, -math.inf, True, False
    for first in range(0, rows, band_rows):
        band = np.asarray(values[first : first + band_rows], dtype=np.float64)
        present = np.isfinite(band)
        finite = band if present.all() else band[present]
        if finite.size == 0:
            continue
        seen = True
        low = min(low, float(finite.min()))
        high = max(high, float(finite.max()))
        if counts:
            counts = bool(np.all(finite >= 0) and np.all(finite == np.floor(finite)))
    if not seen:
        return ValueSummary(None, None, False)
    return ValueSummary(low, high, counts)


def release_pages(values: np.ndarray) -> None:
    """Let the system take back the pages a pass read from a memory-mapped file.

    After a pass over the whole of a memory-mapped matrix every page of the
    file counts as the process's memory, though the file still holds them; a
    page given back is read from the file again when next needed. Arrays not
    mapped from a file are left alone (for them this would lose data).
    """
    base = values
    while isinstance(base, np.ndarray):
        base = base.base
    if isinstance(base, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
        base.madvise(mmap.MADV_DONTNEED)


def block_reduce(
    values: np.ndarray, block_rows: int, block_cols: int, how: str
) -> np.ndarray:
    """Each `block_rows`×`block_cols` block of `values` reduced to one number.

    Missing cells (NaN) are skipped; a block with no present cell is NaN.
    Edge blocks that the matrix does not fill are reduced over the cells
    they have.

    Args:
        values: a 2-D float array, possibly memory-mapped.
        block_rows: matrix rows per block.
        block_cols: matrix columns per block.
        how: one of `AGGREGATES`.

    Returns:
        A float64 array of shape (ceil(rows / block_rows), ceil(cols / block_cols)).

    Raises:
        ValueError: for an unknown aggregate or an empty block size.
    """
    _check(how, block_rows, block_cols)
    rows, cols = values.shape
    out_rows = math.ceil(rows / block_rows)
    out_cols = math.ceil(cols / block_cols)
    result = np.full((out_rows, out_cols), np.nan)
    if rows == 0 or cols == 0:
        return result

    padded_cols = out_cols * block_cols
    blocks_per_band = max(1, BAND_CELLS // max(1, block_rows * padded_cols))
    band_rows = min(blocks_per_band, out_rows) * block_rows
    reducer = _REDUCERS[how]
    band = np.empty((band_rows, padded_cols))

    for first in range(0, rows, band_rows):
        last = min(rows, first + band_rows)
        count = math.ceil((last - first) / block_rows)
        used = band[: count * block_rows]
        used[: last - first, :cols] = values[first:last]
        used[last - first :] = np.nan
        used[:, cols:] = np.nan
        blocks = used.reshape(count, block_rows, out_cols, block_cols)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            reduced = reducer(blocks, axis=(1, 3))
        start = first // block_rows
        result[start : start + count] = reduced
        release_pages(values)
    return result


def representative_cell(
    values: np.ndarray,
    block_rows: int,
    block_cols: int,
    block: tuple[int, int],
    how: str,
) -> tuple[int, int]:
    """The cell of a block that the zoom lands on: the one its aggregate shows.

    For `min` and `max` that is the cell holding the block's extreme; for
    `mean` the cell furthest from the mean, the one that pulled it most. A
    block with no present cell gives its first cell.

    Args:
        values: the full matrix.
        block_rows: matrix rows per block.
        block_cols: matrix columns per block.
        block: the block as (block row, block column).
        how: one of `AGGREGATES`.

    Returns:
        The (row, col) of the chosen cell in the full matrix.
    """
    _check(how, block_rows, block_cols)
    top, left = block[0] * block_rows, block[1] * block_cols
    cells = np.asarray(values[top : top + block_rows, left : left + block_cols])
    present = ~np.isnan(cells)
    if cells.size == 0 or not present.any():
        return top, left

    if how == "min":
        index = np.nanargmin(cells)
    elif how == "max":
        index = np.nanargmax(cells)
    else:
        finite = np.isfinite(cells)
        centre = float(cells[finite].mean()) if finite.any() else 0.0
        with np.errstate(invalid="ignore"):
            distance = np.where(present, np.abs(cells - centre), -1.0)
        distance = np.nan_to_num(distance, nan=np.inf)
        index = int(np.argmax(distance))
    row, col = np.unravel_index(index, cells.shape)
    return top + int(row), left + int(col)


def fit_block(rows: int, cols: int, width: int, height: int) -> int:
    """The smallest square block size that fits the matrix in a grid area.

    Square blocks keep the matrix's proportions, so a diagonal stays a
    diagonal.

    Args:
        rows: matrix rows.
        cols: matrix columns.
        width: blocks the area holds across.
        height: blocks the area holds down.
    """
    need_down = math.ceil(rows / max(1, height))
    need_across = math.ceil(cols / max(1, width))
    return max(1, need_down, need_across)


class BlockCache:
    """Reduced matrices of one matrix, kept per (block size, aggregate).

    Only the few most recent are kept: each is at most the size of a screen
    or a few, and switching back and forth between aggregates is common.
    """

    def __init__(self, values: np.ndarray, keep: int = 6) -> None:
        self.values = values
        self._keep = keep
        self._reduced: dict[tuple[int, str], np.ndarray] = {}

    def reduced(self, block: int, how: str) -> np.ndarray:
        """The matrix reduced in square blocks of `block` cells a side."""
        key = (block, how)
        found = self._reduced.pop(key, None)
        if found is None:
            found = block_reduce(self.values, block, block, how)
        self._reduced[key] = found
        while len(self._reduced) > self._keep:
            del self._reduced[next(iter(self._reduced))]
        return found

    def target(self, block: int, at: tuple[int, int], how: str) -> tuple[int, int]:
        """The cell to zoom to from block `at` (see `representative_cell`)."""
        return representative_cell(self.values, block, block, at, how)

"""Candidate patterns a matrix may follow, each predicting every cell from others.

The anomaly detector does not know in advance what shape a matrix has: a
diagonal band, a fall-off with the distance from the diagonal, an
anti-diagonal, a trained corner, blocks of grouped classes or plain row and
column effects. Each function here fits one such pattern robustly (medians,
never means) and predicts each cell from the *other* cells of its group, so
an anomalous cell cannot hide itself by pulling its own prediction along.
The short lines in the corners of the line patterns are predicted from the
lines beside them as well, by robust local fits across the line number.
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
NEIGHBOUR_LINES = 3
"""How many lines on each side predict a cell of a line too short for itself."""
SHORT_LINE = 5
"""A line of at most this many present cells also heeds the lines beside it."""
BISQUARE = 4.685
"""Tukey's bisquare tuning constant, in robust standard deviations."""
REWEIGHTS = 6
"""The most reweighting rounds of a robust local fit; a few cells settle fast."""


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


def offset_lines(y: np.ndarray, order: np.ndarray) -> Fit:
    """Each cell predicted by the other cells of its offset line alone.

    Cells of lines with fewer than `MIN_OTHERS` others are left NaN; this
    is the base on which row and column shifts are fitted.
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
    return _fill_short_lines(_group_fit("antidiagonal", y, groups, order), y)


def _fill_short_lines(fit: Fit, y: np.ndarray) -> Fit:
    """Predict the cells of short lines from the lines beside them too.

    The lines of a Toeplitz or Hankel pattern shrink to one cell in the
    corners, where a line's own median says nothing. Such a cell is
    predicted instead by a robust local fit of the neighbouring lines' cells
    over the line number, so a trend across the lines (a value falling with
    the sum of the indices) carries into the corner. The nearest line's
    level, a straight line and, when there are enough cells, a parabola
    each predict the cell, and it gets whichever is nearest its value: a
    curved trend lies between the first two, and the detector only accuses
    a cell that every reasonable reading of its neighbours accuses.

    A line of a few cells can predict its cells itself, but two anomalies
    among them would make the others look wrong; so the cells of a short
    line that is not the longest (not a small matrix's diagonal) also get
    the neighbouring lines' predictions, made without the line, and keep
    whichever of all is nearest.
    """
    groups = fit.groups
    present = np.isfinite(y)
    flat_groups = groups.ravel()
    flat_present = present.ravel()
    lines = np.bincount(flat_groups[flat_present], minlength=flat_groups.max() + 1)
    few = (lines <= SHORT_LINE) & (lines < lines.max())
    unpredicted = flat_present & ~np.isfinite(fit.expected.ravel())
    cells = np.flatnonzero(unpredicted | (flat_present & few[flat_groups]))
    if cells.size == 0:
        return fit

    wanted = np.zeros(lines.size + NEIGHBOUR_LINES, dtype=bool)
    for line in np.unique(flat_groups[cells]).tolist():
        wanted[max(line - NEIGHBOUR_LINES, 0) : line + NEIGHBOUR_LINES + 1] = True
    nearby = np.flatnonzero(flat_present & wanted[flat_groups])
    nearby_lines = flat_groups[nearby]
    nearby_values = y.ravel()[nearby]

    expected = fit.expected.copy()
    flat_expected = expected.reshape(-1)
    flat_y = y.ravel()
    without_line: dict[int, list[float]] = {}
    for cell in cells.tolist():
        line = int(flat_groups[cell])
        around = lines[max(line - NEIGHBOUR_LINES, 0) : line + NEIGHBOUR_LINES + 1]
        if np.count_nonzero(around) < 3:
            continue
        close = np.abs(nearby_lines - line) <= NEIGHBOUR_LINES
        if unpredicted[cell]:
            guesses = _neighbour_guesses(
                nearby_lines, nearby_values, line, close & (nearby != cell)
            )
        else:
            if line not in without_line:
                apart = close & (nearby_lines != line)
                without_line[line] = _neighbour_guesses(
                    nearby_lines, nearby_values, line, apart
                )
            guesses = [*without_line[line], float(flat_expected[cell])]
        if guesses:
            value = flat_y[cell]
            flat_expected[cell] = min(guesses, key=lambda g: abs(g - value))
    return Fit(fit.name, expected, fit.params, groups, fit.row_cuts, fit.col_cuts)


def _neighbour_guesses(
    lines: np.ndarray, values: np.ndarray, line: int, chosen: np.ndarray
) -> list[float]:
    """What the chosen cells of the lines around `line` predict for it."""
    x = (lines[chosen] - line).astype(np.float64)
    v = values[chosen]
    if x.size == 0:
        return []
    positions = _positions(x)
    start = _repeated_median(x, v) if positions >= 2 else (0.0, 0.0)
    guesses = [
        _robust_poly_at_zero(x, v, degree, start)
        for degree in (1, 2)
        if positions > degree and x.size >= 3 * (degree + 1)
    ]
    guesses = [g for g in guesses if np.isfinite(g)]
    guesses.append(float(np.median(v[np.abs(x) == np.abs(x).min()])))
    return guesses


def _robust_poly_at_zero(
    x: np.ndarray, v: np.ndarray, degree: int, start: tuple[float, float]
) -> float:
    """A polynomial fitted to `(x, v)` with bisquare weights, evaluated at 0.

    A straight line starts from `start`, Siegel's repeated-median line,
    which stands even when a whole neighbouring line of two cells is wild.
    A parabola starts from a fit to the median of each position (see
    `_curve_start`), since a straight start would throw away the cells that
    make the curve. The reweighting then lets every cell count except those far
    off the curve.
    """
    design = np.vander(x, degree + 1, increasing=True)
    if degree == 1:
        coefficients = np.array([start[1], start[0]])
    else:
        coefficients = _curve_start(x, v, degree)
    fitted = design @ coefficients

    weight = np.ones(x.size)
    for _ in range(REWEIGHTS):
        residual = v - fitted
        spread = 1.4826 * float(np.median(np.abs(residual)))
        if not spread > 1e-12:
            break
        previous = weight
        weight = np.clip(1.0 - (residual / (BISQUARE * spread)) ** 2, 0.0, None) ** 2
        if _positions(x[weight > 0]) <= degree:
            break
        weighted = design.T * weight
        try:
            coefficients = np.linalg.solve(weighted @ design, weighted @ v)
        except np.linalg.LinAlgError:
            break
        fitted = design @ coefficients
        if np.max(np.abs(weight - previous)) < 0.01:
            break
    return float(coefficients[0])


def _curve_start(x: np.ndarray, v: np.ndarray, degree: int) -> np.ndarray:
    """A curve through the median of each position, sparing one wild position.

    The curve is fitted to all the positions' medians and, when there are
    positions to spare, to all but one of them in turn; the fit whose cells
    lie closest to it (median absolute residual over the positions it
    used) wins, so one line whose few cells are all wild cannot bend it.

    Returns:
        The coefficients, constant term first.
    """
    positions, inverse = np.unique(x, return_inverse=True)
    medians = np.array([np.median(v[inverse == k]) for k in range(positions.size)])
    weights = np.sqrt(np.bincount(inverse))
    choices = [np.ones(positions.size, dtype=bool)]
    if positions.size > degree + 2:
        choices += [positions != left for left in positions]

    best, best_spread = None, np.inf
    for used in choices:
        fitted = np.polyfit(positions[used], medians[used], degree, w=weights[used])
        cells = used[inverse]
        spread = float(np.median(np.abs(v[cells] - np.polyval(fitted, x[cells]))))
        if spread < best_spread:
            best, best_spread = fitted, spread
    return best[::-1]


def _positions(x: np.ndarray) -> int:
    """How many different line offsets `x` (whole numbers, small) holds."""
    return int(np.count_nonzero(np.bincount((x + NEIGHBOUR_LINES).astype(np.int64))))


def _repeated_median(x: np.ndarray, v: np.ndarray) -> tuple[float, float]:
    """Siegel's repeated-median line through `(x, v)`: slope, intercept."""
    dx = x[None, :] - x[:, None]
    dv = v[None, :] - v[:, None]
    slopes = np.where(dx != 0, dv / np.where(dx != 0, dx, 1.0), np.nan)
    slope = float(np.median(np.nanmedian(slopes, axis=1)))
    return slope, float(np.median(v - slope * x))


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
    where a diagonal moves from one row to the next are not counted when
    both jump in opposite directions, as a moving diagonal does, so a
    diagonal band does not cut while the edge of a small corner block
    does; and one anomalous cell cannot cut either.

    Returns:
        The segment number of every row.
    """
    rows, cols = y.shape
    if rows < 2:
        return np.zeros(rows, dtype=np.int64)
    signed = np.diff(y, axis=0)
    step = np.abs(signed)
    index = np.arange(min(rows - 1, cols - 1))
    moving = signed[index, index] * signed[index, index + 1] < -(jump**2)
    for column in (0, 1):
        step[index[moving], index[moving] + column] = np.nan
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

    plain = offset_lines(y, order)
    offset = _fill_short_lines(plain, y)
    if confusion:
        fits = [diagonal_fit(y, order), offset]
        return fits + (block_fits(y, jump, order) if min(rows, cols) >= 4 else [])

    fits = [constant_fit(y, order), diagonal_fit(y, order), offset]
    fits.append(antidiagonal_fit(y, order))
    if min(rows, cols) >= 3:
        fits.append(rows_columns_fit(y))
        fits.append(offset_rows_columns_fit(plain, y))
    if min(rows, cols) >= 4:
        fits += block_fits(y, jump, order)
    return fits

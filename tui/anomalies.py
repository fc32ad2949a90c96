"""Finding the cells that break a matrix's own pattern, and saying why.

The detector works in four steps:

1. **Working scale.** Scores are centred on their median and divided by a
   robust spread, so accuracies, percentages, negative scores, tiny values
   and offsets like 1000 + x all look alike. A confusion matrix of counts
   (whole numbers, square, most of the mass on the diagonal) is turned into
   row shares and put on the arcsine-square-root scale, where binomial count
   noise has a known size: a 3 among zeros in a row of thousands is noise.
   Only patterns built around the diagonal are tried on it, and a class's
   low diagonal that its own large confusion explains is not reported twice.
   (`tui.scoring` holds this step and the next two.)
2. **Impossible values.** A matrix is taken to hold accuracies or
   probabilities when at least 90 % of its values lie in 0–1 and those values
   span at least 0.2 of that range; percentages likewise in 0–100. Counts
   are never bounded. Values outside the bounds by more than 5 % of their
   width, and infinite values among finite ones, are reported as impossible
   and left out of the fit.
3. **Patterns.** Several candidate patterns (`tui.patterns`) predict each
   cell from the other cells of its group. The best one is the one whose
   residuals, clipped so that a few anomalies weigh little, are smallest;
   patterns worse by less than two wholly missed cells also vote, and a cell
   is only as anomalous as the most lenient of them says.
4. **Scores.** A residual is divided by a robust noise scale estimated at the
   cell's level or in its group (noise near 0 and 1 is smaller than in the
   middle; a confusion matrix's diagonal varies more than its zeros), with a
   floor of 3 % of the pattern's range so near-perfect matrices do not turn
   tiny wobbles into huge scores. A cell is reported when its score reaches
   6, differs from the prediction by at least 25 % of the pattern's range
   (25 % of its row for counts), or its score reaches 2.5 and it differs by
   40 %; and no row or column neighbour departs the same way (a patch is
   structure, not an anomaly; the diagonal, a group of its own, does not
   break a patch). When the lone cells' scores of a large matrix show
   heavier tails than normal noise, the score of 6 rises with them, up to
   2.5 times. `sensitivity` divides the thresholds.
"""

from __future__ import annotations

import math
import statistics
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tui.matrix import Matrix
from tui.patterns import MIN_OTHERS, Fit
from tui.scoring import Scored, View, count_view, score, working_view
from tui.text import safe_text

THRESHOLD = 6.0
"""The robust score a cell must reach at sensitivity 1."""
MIN_EFFECT = 0.25
"""The share of the pattern's range a cell must differ by at sensitivity 1."""
LARGE_EFFECT = 0.4
"""A departure this large (share of the range, or of the row for counts)..."""
LARGE_THRESHOLD = 2.5
"""...needs only this score: few cells, like a diagonal of 8, say little
about the noise, and a class at 20 % among classes at 80–99 % is plain."""
SLACK = 0.05
"""How far outside its bounds, as a share of their width, a value is impossible."""
SHARED = 3.0
"""A neighbour departing the same way by this score makes a departure shared."""
IMPOSSIBLE_SCORE = 12.0
"""The least score of an impossible value, so they rank near the top."""
TAIL_CELLS = 20
"""How many of the most extreme cells show how heavy the noise's tails are."""
MAX_TAIL_FACTOR = 2.5
"""The most that heavy tails raise the score a cell must reach."""
_LINE_WORDS = {
    "offset": "diagonals",
    "offset_rows_columns": "diagonals",
    "antidiagonal": "anti-diagonals",
}
"""How a reason names the lines that predict a short line's cells: for
shifted offsets, whose own short lines stay unpredicted, the plain offset
pattern's neighbouring lines step in."""


@dataclass(frozen=True)
class Anomaly:
    """One cell that breaks the matrix's pattern."""

    row: int
    """The cell's row, 0-based, as stored."""
    col: int
    """The cell's column, 0-based, as stored."""
    value: float
    """The cell's value; never NaN, may be infinite."""
    expected: float | None
    """What the matrix's pattern predicts for the cell, if anything."""
    score: float
    """How anomalous the cell is; finite, comparable within one matrix."""
    kind: str
    """`collapse` (far below), `spike` (far above) or `impossible`."""
    reason: str
    """One sentence saying which pattern the cell breaks and how."""


def detect(matrix: Matrix, *, sensitivity: float = 1.0) -> list[Anomaly]:
    """The cells that break the matrix's own pattern, most anomalous first.

    Args:
        matrix: the matrix to examine; it is not changed.
        sensitivity: above 1 reports more cells, below 1 fewer.

    Raises:
        ValueError: when `sensitivity` is not a positive finite number.
    """
    if not (math.isfinite(sensitivity) and sensitivity > 0):
        raise ValueError(f"sensitivity must be positive, not {sensitivity!r}")
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        found = _detect(matrix, sensitivity)
    return sorted(found, key=lambda a: (-a.score, a.row, a.col))


def _detect(matrix: Matrix, sensitivity: float) -> list[Anomaly]:
    values = np.asarray(matrix.values, dtype=np.float64)
    finite = np.isfinite(values)
    if finite.sum() < 3:
        return []

    bounds = infer_bounds(values[finite], counts=matrix.is_counts)
    outside = _outside(values, bounds) & finite
    usable = finite & ~outside
    if usable.sum() < 3:
        return []

    view = working_view(values, usable, matrix.is_counts, bounds)
    if view is None:
        return []
    scored = score(view)
    found = _pattern_anomalies(matrix, view, scored, sensitivity)
    if view.counts:
        found = _explain_collapses(matrix, values, usable, found, sensitivity)

    found += _impossible(matrix, values, outside, bounds, view, scored)
    found += _infinite(matrix, values, finite, found)
    return found


def infer_bounds(present: np.ndarray, *, counts: bool) -> tuple[float, float] | None:
    """The range the matrix's values must lie in, when the matrix shows one.

    Accuracies and probabilities lie in 0–1, percentages in 0–100. A matrix
    is taken to be bounded when at least 90 % of its finite values lie inside
    the range, at most 5 % (or 2 values) lie clearly outside it (by more than
    `SLACK` of its width, so noise around 0 is not impossible), and the
    values inside span at least a fifth of it, so a matrix of small scores
    near 0 is not mistaken for probabilities. Counts have no upper bound.
    """
    if present.size < 5 or counts:
        return None
    for low, high in ((0.0, 1.0), (0.0, 100.0)):
        slack = SLACK * (high - low)
        inside = (present >= low - slack) & (present <= high + slack)
        outside = present.size - int(inside.sum())
        if inside.mean() < 0.9 or outside > max(2, 0.05 * present.size):
            continue
        kept = present[inside]
        if kept.max() - kept.min() >= 0.2 * (high - low):
            return low, high
    return None


def _outside(values: np.ndarray, bounds: tuple[float, float] | None) -> np.ndarray:
    if bounds is None:
        return np.zeros(values.shape, dtype=bool)
    low, high = bounds
    slack = SLACK * (high - low)
    return (values < low - slack) | (values > high + slack)


def _shared(z: np.ndarray) -> np.ndarray:
    """Cells whose departure a row or column neighbour shares.

    A lone cell breaking the pattern is an anomaly; a patch of neighbours
    departing the same way is structure the chosen pattern does not
    describe (a small block, a local trend), so it is not reported. The
    diagonal is a group of its own in most patterns, so an off-diagonal
    cell beside it looks past it to the next cell: a block that the
    diagonal cuts through is still one patch. The test does not depend on
    the sensitivity, which keeps it monotonic.
    """
    rows, cols = z.shape
    values = np.nan_to_num(z)
    sign = np.sign(values)
    apart = values.copy()
    size = min(rows, cols)
    diagonal = np.arange(size)
    apart[diagonal, diagonal] = 0.0

    padded = np.pad(apart, 1)
    strongest = np.zeros(z.shape)
    for dr, dc in ((0, 1), (2, 1), (1, 0), (1, 2)):
        neighbour = padded[dr : dr + rows, dc : dc + cols] * sign
        strongest = np.maximum(strongest, neighbour)

    for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0)):
        row, col = diagonal - dr, diagonal - dc
        far_row, far_col = diagonal + dr, diagonal + dc
        inside = (row >= 0) & (row < rows) & (col >= 0) & (col < cols)
        inside &= (far_row >= 0) & (far_row < rows) & (far_col >= 0)
        inside &= far_col < cols
        row, col = row[inside], col[inside]
        beyond = values[far_row[inside], far_col[inside]] * sign[row, col]
        strongest[row, col] = np.maximum(strongest[row, col], beyond)
    return strongest >= np.maximum(SHARED, 0.5 * np.abs(values))


def tail_factor(z: np.ndarray) -> float:
    """How much heavier than normal the tails of the scores are, at least 1.

    Scores are scaled by the median absolute residual, which says nothing
    about the tails: noise with heavy tails sends a few cells of a large
    matrix to 8 or 10 scale units without anything being wrong. The
    quantile of the scores beyond which `TAIL_CELLS` cells lie is compared
    with where a normal distribution would put it; a few anomalies among
    those cells move it little. Only cells departing alone should be given,
    so that patches the pattern misses do not pass for noise. Matrices too
    small to tell keep 1.
    """
    judged = np.abs(z[np.isfinite(z)])
    if judged.size < TAIL_CELLS / 0.05:
        return 1.0
    share = TAIL_CELLS / judged.size
    observed = float(np.partition(judged, judged.size - TAIL_CELLS)[-TAIL_CELLS])
    normal = statistics.NormalDist().inv_cdf(1.0 - share / 2)
    return float(np.clip(observed / normal, 1.0, MAX_TAIL_FACTOR))


def _hits(view: View, scored: Scored, sensitivity: float) -> np.ndarray:
    """Which cells depart from the pattern far enough, and alone, to report."""
    z = scored.z
    effect = view.effect(view.y, scored.expected, scored.span)
    alone = ~_shared(z)
    threshold = THRESHOLD * tail_factor(np.where(alone, z, np.nan))
    strong = (np.abs(z) >= threshold / sensitivity) & (
        effect >= MIN_EFFECT / sensitivity
    )
    large = (np.abs(z) >= LARGE_THRESHOLD / sensitivity) & (
        effect >= LARGE_EFFECT / sensitivity
    )
    return np.isfinite(z) & (strong | large) & alone


def _pattern_anomalies(
    matrix: Matrix, view: View, scored: Scored, sensitivity: float
) -> list[Anomaly]:
    z = scored.z
    hits = _hits(view, scored, sensitivity)
    rows, cols = np.nonzero(hits)
    flagged = set(zip(rows.tolist(), cols.tolist(), strict=True))
    expected = view.to_original(scored.expected)

    found = []
    for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
        kind = "spike" if z[row, col] > 0 else "collapse"
        found.append(
            Anomaly(
                row=row,
                col=col,
                value=float(matrix.values[row, col]),
                expected=_finite_or_none(expected[row, col]),
                score=float(min(abs(z[row, col]), 1e12)),
                kind=kind,
                reason=_reason(matrix, view, scored, row, col, flagged),
            )
        )
    return found


def _finite_or_none(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _explain_collapses(
    matrix: Matrix,
    values: np.ndarray,
    usable: np.ndarray,
    found: list[Anomaly],
    sensitivity: float,
) -> list[Anomaly]:
    """Drop a count row's collapse that only its own spike explains.

    In a confusion matrix a large confusion takes its share from the row, so
    the diagonal cell of that row looks low too. Rows are re-weighed without
    the spikes' excess (spikes of a fixed least score, so that a higher
    sensitivity never reports fewer cells), and a collapse in such a row is
    kept only if it still stands out.
    """
    strong = [a for a in found if a.kind == "spike" and a.score >= LARGE_THRESHOLD]
    if not strong or not any(a.kind == "collapse" for a in found):
        return found
    totals = np.where(usable, values, 0.0).sum(axis=1)
    for spike in strong:
        excess = spike.value - (spike.expected or 0.0)
        totals[spike.row] -= max(excess, 0.0)
    rows = {a.row for a in strong}

    view = count_view(values, usable, totals)
    rescored = score(view)
    still = _hits(view, rescored, sensitivity) & (rescored.z < 0)
    return [
        a
        for a in found
        if a.kind != "collapse" or a.row not in rows or still[a.row, a.col]
    ]


def _impossible(
    matrix: Matrix,
    values: np.ndarray,
    outside: np.ndarray,
    bounds: tuple[float, float] | None,
    view: View,
    scored: Scored,
) -> list[Anomaly]:
    if bounds is None or not outside.any():
        return []
    low, high = bounds
    expected = view.to_original(scored.expected)
    fmt = value_formatter(matrix)
    what = "accuracies or probabilities" if high == 1.0 else "percentages"

    found = []
    for row, col in np.argwhere(outside).tolist():
        value = float(values[row, col])
        guess = expected[row, col]
        guess = float(np.clip(guess, low, high)) if np.isfinite(guess) else None
        distance = (low - value if value < low else value - high) / (high - low)
        reason = (
            f"cell {_cell(matrix, row, col)} is {fmt(value)}, outside "
            f"{fmt(low)}–{fmt(high)} where every other value lies, as "
            f"{what} do"
        )
        found.append(
            Anomaly(
                row=row,
                col=col,
                value=value,
                expected=guess,
                score=IMPOSSIBLE_SCORE + min(10 * distance, 10.0),
                kind="impossible",
                reason=reason,
            )
        )
    return found


def _infinite(
    matrix: Matrix, values: np.ndarray, finite: np.ndarray, found: list[Anomaly]
) -> list[Anomaly]:
    """Infinite cells among finite ones: impossible for a measured value.

    When more than 5 % of the present cells are infinite (say, logarithms of
    zero counts) they are part of the matrix, not anomalies.
    """
    infinite = np.isinf(values)
    present = int(finite.sum() + infinite.sum())
    if not infinite.any() or infinite.sum() > 0.05 * present:
        return []
    top = max([a.score for a in found] + [IMPOSSIBLE_SCORE])
    fmt = value_formatter(matrix)
    low, high = np.min(values[finite]), np.max(values[finite])

    result = []
    for row, col in np.argwhere(infinite).tolist():
        value = float(values[row, col])
        reason = (
            f"cell {_cell(matrix, row, col)} is {'' if value > 0 else '-'}infinite; "
            f"every other value is finite, {fmt(low)}–{fmt(high)}"
        )
        result.append(Anomaly(row, col, value, None, top + 1.0, "impossible", reason))
    return result


def _cell(matrix: Matrix, row: int, col: int) -> str:
    return safe_text(matrix.describe_cell(row, col))


def value_formatter(matrix: Matrix) -> Callable[[float], str]:
    """A number format fit for the matrix: enough decimals to tell cells apart."""
    present = matrix.finite_values
    if matrix.is_counts:
        return lambda v: f"{v:.0f}" if abs(v) < 1e15 else f"{v:.3g}"
    if present.size == 0:
        return lambda v: f"{v:.3g}"
    top, bottom = np.percentile(present, [95, 5])
    span = float(top - bottom) or float(present.max() - present.min())
    largest = float(np.max(np.abs(present)))
    decimals = 2 - math.floor(math.log10(span * 5)) if span > 0 else 99
    if not (1e-3 <= largest < 1e7 and 0 <= decimals <= 6):
        return lambda v: f"{v:.3g}"

    def fmt(value: float) -> str:
        if not math.isfinite(value) or abs(value) >= 1e9:
            return f"{value:.3g}"
        return f"{value:.{decimals}f}"

    return fmt


def _reason(
    matrix: Matrix,
    view: View,
    scored: Scored,
    row: int,
    col: int,
    flagged: set[tuple[int, int]],
) -> str:
    """One sentence naming the cell, its value and the pattern it breaks."""
    fit = scored.fit
    cell = _cell(matrix, row, col)
    value = float(matrix.values[row, col])
    if view.counts:
        total = view.totals[row]
        share = value / total if total > 0 else 0.0
        head = f"cell {cell} is {value:.0f}, {share:.0%} of its row"
        peers, what = _peers(fit, row, col, flagged, view, shares=True)
        if peers is None:
            return head
        (low, high), mostly = peers
        return f"{head}; {what} hold{mostly} {low:.0%}–{high:.0%}"

    fmt = value_formatter(matrix)
    head = f"{'diagonal cell' if row == col and _is_diagonal(fit) else 'cell'} "
    head += f"{cell} is {fmt(value)}"
    expected = fmt(float(view.to_original(scored.expected[row, col : col + 1])[0]))
    lines = _short_line_words(fit, view, row, col)
    if lines:
        return f"{head}; the neighbouring {lines} predict about {expected}"
    peers, what = _peers(fit, row, col, flagged, view, shares=False)
    if peers is None:
        return f"{head}; its row and column predict about {expected}"
    (low, high), mostly = peers
    if low == high:
        return f"{head}; {what} are{mostly} {fmt(low)}"
    return f"{head}; {what} are{mostly} {fmt(low)}–{fmt(high)}"


def _short_line_words(fit: Fit, view: View, row: int, col: int) -> str:
    """What predicts a cell whose line is too short to predict it, if so.

    The corner cells of a line pattern are predicted from the lines next to
    theirs (`tui.patterns`), and the reason should say so.
    """
    if fit.groups is None or fit.name not in _LINE_WORDS:
        return ""
    line = fit.groups == fit.groups[row, col]
    if np.count_nonzero(line & np.isfinite(view.y)) > MIN_OTHERS:
        return ""
    return _LINE_WORDS[fit.name]


def _is_diagonal(fit: Fit) -> bool:
    return fit.name in ("diagonal", "offset", "offset_rows_columns", "blocks_diagonal")


def _peers(
    fit: Fit,
    row: int,
    col: int,
    flagged: set[tuple[int, int]],
    view: View,
    *,
    shares: bool,
) -> tuple[tuple[tuple[float, float], str] | None, str]:
    """The range of the other cells of the cell's group, and what they are."""
    if fit.groups is None:
        return None, ""
    group = fit.groups[row, col]
    members = np.argwhere(fit.groups == group)
    keep = [
        (r, c)
        for r, c in members.tolist()
        if (r, c) != (row, col) and (r, c) not in flagged and np.isfinite(view.y[r, c])
    ]
    if not keep:
        return None, ""
    at = tuple(np.array(keep).T)
    if shares:
        numbers = np.sin(np.clip(view.y[at], 0, np.pi / 2)) ** 2
    else:
        numbers = view.to_original(view.y)[at]
    if numbers.size > 20:
        low, high = np.percentile(numbers, [5, 95])
        mostly = " mostly"
    else:
        low, high = numbers.min(), numbers.max()
        mostly = ""
    return ((float(low), float(high)), mostly), _group_words(fit, row, col)


def _group_words(fit: Fit, row: int, col: int) -> str:
    offset = col - row
    if fit.name == "constant":
        return "the other cells"
    if fit.name in ("diagonal", "blocks_diagonal") and row == col:
        return "the other diagonal cells"
    if fit.name == "diagonal":
        return "the other off-diagonal cells"
    if fit.name in ("offset", "offset_rows_columns"):
        if offset == 0:
            return "the other diagonal cells"
        side = "above" if offset > 0 else "below"
        steps = abs(offset)
        return f"cells {steps} step{'s' * (steps > 1)} {side} the diagonal"
    if fit.name == "antidiagonal":
        return "the other cells on its anti-diagonal"
    rows = _segment_of(fit.row_cuts, row)
    cols = _segment_of(fit.col_cuts, col)
    return f"the other cells of its block (rows {rows}, columns {cols})"


def _segment_of(cuts: tuple[int, ...], index: int) -> str:
    start = max(c for c in cuts if c <= index)
    later = [c for c in cuts if c > index]
    end = (later[0] - 1) if later else None
    return f"{start}–{end}" if end is not None else f"{start} on"

"""Putting a matrix on a common working scale and scoring every cell.

Scores are centred on their median and divided by a robust spread; counts
that form a confusion matrix become row shares on the arcsine-square-root
scale, where binomial noise has a known size. Candidate patterns are then
compared by their clipped residuals on one common noise scale, and every
cell is scored by its residual over the noise seen among cells of a similar
predicted level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tui.patterns import Fit, candidate_fits

NOISE_FLOOR = 0.03
"""The smallest noise scale, as a share of the pattern's range."""
CLIP = 6.0
"""Residuals beyond this many noise scales weigh the same when choosing."""
NEARLY_AS_GOOD = 2 * CLIP**2
"""Patterns worse than the best by less than two wholly missed cells also vote."""
SAMPLE = 100_000
"""Patterns are compared on about this many cells of a large matrix."""


@dataclass(frozen=True, eq=False)
class View:
    """The matrix on the detector's working scale."""

    y: np.ndarray
    """Working values; NaN for missing, infinite and impossible cells."""
    noise: np.ndarray
    """Known noise size of each cell on the working scale (1 for scores)."""
    counts: bool
    """Whether the cells are counts turned into row shares."""
    center: float = 0.0
    spread: float = 1.0
    totals: np.ndarray | None = None
    """Row totals, for counts."""
    full: float = 0.0
    """The width of the bounds the values must lie in (working scale), if any."""

    def to_original(self, y: np.ndarray) -> np.ndarray:
        """Working values back in the matrix's own units."""
        if self.counts:
            share = np.sin(np.clip(y, 0.0, np.pi / 2)) ** 2
            return share * self.totals[:, None]
        return y * self.spread + self.center

    def effect(self, y: np.ndarray, expected: np.ndarray, span: float) -> np.ndarray:
        """How far each cell is from its prediction, as a share of the range."""
        if self.counts:
            share = np.sin(np.clip(y, 0.0, np.pi / 2)) ** 2
            predicted = np.sin(np.clip(expected, 0.0, np.pi / 2)) ** 2
            return np.abs(share - predicted)
        return np.abs(y - expected) / span


def _looks_like_confusion(values: np.ndarray, usable: np.ndarray) -> bool:
    """Whether counts form a confusion matrix: square, mass mostly on the diagonal."""
    rows, cols = values.shape
    if rows != cols or rows < 2:
        return False
    cells = np.where(usable, values, 0.0)
    total = cells.sum()
    return bool(total > 0 and np.trace(cells) >= 0.3 * total and cells.max() > 1)


def working_view(
    values: np.ndarray,
    usable: np.ndarray,
    is_counts: bool,
    bounds: tuple[float, float] | None,
) -> View | None:
    if is_counts and _looks_like_confusion(values, usable):
        return count_view(values, usable)

    present = values[usable]
    center = float(np.median(present))
    spread = _robust_spread(present)
    if spread == 0 or not math.isfinite(spread):
        return None
    y = np.where(usable, (values - center) / spread, np.nan)
    y = np.clip(y, -1e12, 1e12)
    full = 0.0 if bounds is None else (bounds[1] - bounds[0]) / spread
    return View(
        y, np.ones(values.shape), False, center=center, spread=spread, full=full
    )


def _robust_spread(present: np.ndarray) -> float:
    """A scale for the values that ignores a few extremes, 0 only if all are equal."""
    for low, high in ((25, 75), (5, 95), (1, 99), (0, 100)):
        top, bottom = np.percentile(present, [high, low])
        spread = float(top) - float(bottom)
        if spread > 0 and math.isfinite(spread):
            return spread
        if not math.isfinite(spread):
            return float(np.max(np.abs(present))) or 1.0
    return 0.0


def count_view(
    values: np.ndarray, usable: np.ndarray, totals: np.ndarray | None = None
) -> View:
    cells = np.where(usable, values, 0.0)
    if totals is None:
        totals = cells.sum(axis=1)
    share = cells / np.where(totals > 0, totals, 1.0)[:, None]
    y = np.arcsin(np.sqrt(np.clip(share, 0.0, 1.0)))
    y = np.where(usable & (totals > 0)[:, None], y, np.nan)
    noise = 0.5 / np.sqrt(np.maximum(totals, 1.0))
    noise = np.broadcast_to(noise[:, None], values.shape)
    return View(y, noise, counts=True, totals=totals)


@dataclass(frozen=True, eq=False)
class Scored:
    """The chosen pattern and every cell's score under it."""

    fit: Fit
    """The pattern that explains the matrix best."""
    expected: np.ndarray
    """The prediction used for each cell (working scale), NaN when none."""
    z: np.ndarray
    """The signed robust score of each cell; NaN when it cannot be judged."""
    span: float
    """The pattern's range on the working scale."""


def score(view: View) -> Scored:
    y = view.y
    present = np.isfinite(y)
    fits = candidate_fits(y, jump=0.3 * _span(y), confusion=view.counts)
    span = max(_span(y), max(_pattern_span(fit) for fit in fits), view.full)
    floor = NOISE_FLOOR * span / view.noise if not view.counts else 1.0

    residuals = [(y - fit.expected) / view.noise for fit in fits]
    cells = np.flatnonzero(present.ravel())
    cells = cells[:: max(1, cells.size // SAMPLE)]
    common = min(_mad(r.ravel()[cells]) for r in residuals)
    common = np.maximum(common if math.isfinite(common) else 0.0, floor)
    common = np.broadcast_to(common, y.shape).ravel()[cells]
    losses = [
        _loss(r.ravel()[cells] / common, fit, y.size)
        for r, fit in zip(residuals, fits, strict=True)
    ]
    best = int(np.argmin(losses))
    if not math.isfinite(losses[best]):
        best = 0

    z = _standardise(view, residuals[best], fits[best], floor)
    expected = fits[best].expected.copy()
    for index, loss in enumerate(losses):
        if index == best or (loss - losses[best]) * cells.size > NEARLY_AS_GOOD:
            continue
        other = _standardise(view, residuals[index], fits[index], floor)
        missing = ~np.isfinite(z) & np.isfinite(other)
        z[missing] = other[missing]
        expected[missing] = fits[index].expected[missing]
        milder = np.isfinite(other) & (np.abs(other) < np.abs(z))
        z[milder] = other[milder]
        expected[milder] = fits[index].expected[milder]
    return Scored(fits[best], expected, z, span)


def _span(y: np.ndarray) -> float:
    """The range of the working values, ignoring the top and bottom 5 %."""
    present = y[np.isfinite(y)]
    if present.size == 0:
        return 1.0
    top, bottom = np.percentile(present, [95, 5])
    span = float(top - bottom)
    if span <= 0:
        span = float(present.max() - present.min())
    return span if span > 0 and math.isfinite(span) else 1.0


def _pattern_span(fit: Fit) -> float:
    """The range of a group pattern's predictions.

    Each prediction is the median of at least three cells, so one wild cell
    cannot stretch it, while a diagonal that is 1 % of the cells still counts.
    """
    if fit.groups is None:
        return 0.0
    present = fit.expected[np.isfinite(fit.expected)]
    if present.size == 0:
        return 0.0
    span = float(present.max() - present.min())
    return span if math.isfinite(span) else 0.0


def _mad(values: np.ndarray) -> float:
    values = values[np.isfinite(values)]
    if values.size == 0:
        return float("nan")
    return 1.4826 * float(np.median(np.abs(values - np.median(values))))


def _standardise(view: View, residual: np.ndarray, fit: Fit, floor) -> np.ndarray:
    """Residuals in units of the noise seen among cells of the same level.

    For counts the noise has two parts that add up: the binomial noise of
    the cell's row, known from its total, and the spread of real rates from
    class to class, which does not shrink as rows grow. The second is what
    the robust spread of the residuals holds beyond the first.
    """
    expected, groups = fit.expected, fit.groups
    if not view.counts:
        scale = _level_scale(residual, expected, groups)
        return residual / np.maximum(scale, floor)

    raw = residual * view.noise
    binomial = view.noise**2
    typical = (
        float(np.median(binomial[np.isfinite(raw)])) if np.isfinite(raw).any() else 0
    )
    extra = np.maximum(_level_scale(raw, expected, groups) ** 2 - typical, 0.0)
    return raw / np.sqrt(binomial + np.nan_to_num(extra))


def _level_scale(
    residual: np.ndarray, expected: np.ndarray, groups: np.ndarray | None
) -> np.ndarray:
    """A robust noise scale for each cell, estimated among cells of its kind.

    A pattern of a few groups (the diagonal and the rest, a few blocks),
    each of at least 5 cells, is its own set of strata: the diagonal of a
    confusion matrix varies far more than its zeros. Otherwise cells are put
    in up to ten bins by their predicted value, with at least 50 cells in
    each, so noise that grows towards the middle of the range is not
    mistaken for anomalies there. Each stratum gets the median absolute
    residual of its cells.
    """
    judged = np.isfinite(residual) & np.isfinite(expected)
    scale = np.full(residual.shape, np.nan)
    count = int(judged.sum())
    if count == 0:
        return scale
    which = _strata(expected, judged, groups, count)
    spread = np.abs(residual[judged] - np.median(residual[judged]))
    sizes = np.bincount(which)
    by_stratum = np.split(
        spread[np.argsort(which.astype(np.int16), kind="stable")], np.cumsum(sizes)[:-1]
    )
    medians = np.array([np.median(part) if part.size else 0.0 for part in by_stratum])
    scale[judged] = 1.4826 * medians[which]
    return scale


def _strata(
    expected: np.ndarray, judged: np.ndarray, groups: np.ndarray | None, count: int
) -> np.ndarray:
    """The stratum of every judged cell, numbered from 0."""
    if groups is not None:
        labels = groups[judged]
        _, which, sizes = np.unique(labels, return_inverse=True, return_counts=True)
        if sizes.size <= 10 and sizes.min() >= 5:
            return which

    bins = int(np.clip(count // 50, 1, 10))
    levels = expected[judged]
    edges = np.quantile(levels, np.linspace(0, 1, bins + 1)[1:-1])
    return np.searchsorted(edges, levels, side="right")


def _loss(z: np.ndarray, fit: Fit, size: int) -> float:
    """How badly a pattern explains the matrix: clipped squares, plus its size.

    Args:
        z: residuals of (a regular sample of) the present cells, on a scale
            common to every pattern; NaN where the pattern cannot predict.
        fit: the pattern, for its number of fitted values.
        size: the number of cells in the matrix.

    Cells the pattern cannot predict do not count, but a pattern that
    predicts fewer than half of the cells is not a candidate.
    """
    judged = z[np.isfinite(z)]
    if judged.size < 0.5 * max(z.size, 1):
        return math.inf
    loss = float(np.minimum(judged**2, CLIP**2).mean())
    return loss * (1.0 + fit.params / max(size, 1)) + 1e-9

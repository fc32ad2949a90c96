"""What the explorer shows: the loaded matrices seen through the reader's choices.

The reader can divide counts into shares, switch between two compared
matrices and their difference, transpose, and reorder rows and columns.
`build_view` applies those choices in that order and keeps what is needed
to go back: a cell has a *content* position (in the matrix as loaded, after
the comparison's alignment; the same for A, B and the difference, and for
every normalisation) and a *shown* position (after transposing and
reordering). Anomalies are found at content positions and the cursor is
remembered by its content position, so neither is lost when the view turns.

Nothing here imports Textual; the app only asks for views and draws them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from tui.compare import Comparison, diff_scale, difference
from tui.errors import InputError
from tui.matrix import Matrix
from tui.scale import ColourScale
from tui.transforms import Margins, inverse_order, margins, normalise, reorder

if TYPE_CHECKING:
    from tui.anomalies import Anomaly

SOURCES = ("a", "b", "diff")
"""Which matrix of a comparison is shown, in the order a key cycles them."""

SOURCE_NAMES = {"a": "A", "b": "B", "diff": "B − A"}

NORMALISATION_NAMES = {
    "none": "",
    "row": "row shares (recall)",
    "column": "column shares (precision)",
    "total": "shares of the total",
}
"""How the title line names each normalisation."""

CHANGE_SHARE = 0.25
"""At sensitivity 1, a change is listed when it is at least this share of the
largest change."""
MAX_CHANGES = 50
"""The most changes the ranking lists."""

MAX_DETECT_CELLS = 25_000_000
"""The largest matrix the pattern detector takes: it needs a few hundred bytes
a cell, so a larger one is refused rather than risking the machine's memory."""

Note = tuple[str, str]
"""A name and a figure, as the inspector lists them."""


@dataclass(frozen=True)
class ViewSettings:
    """The reader's choices, each changed by one key."""

    normalisation: str = "none"
    """One of `tui.transforms.NORMALISATIONS`."""
    source: str = "a"
    """One of `SOURCES`; only `"a"` without a comparison."""
    transposed: bool = False
    order: str = "stored"
    """One of `tui.transforms.ORDERS`."""

    @property
    def content_key(self) -> tuple[str, str]:
        """The choices that change the values shown, not only their places."""
        return (self.normalisation, self.source)


@dataclass(frozen=True, eq=False)
class Inputs:
    """The matrix as loaded and, when comparing, the second one and the pair."""

    a: Matrix
    b: Matrix | None = None
    comparison: Comparison | None = None

    @classmethod
    def of(cls, a: Matrix, b: Matrix | None = None) -> Inputs:
        """Pair `a` with `b` when given.

        Raises:
            InputError: when the two cannot be aligned (see `difference`).
        """
        return cls(a, b, None if b is None else difference(a, b))

    @property
    def is_counts(self) -> bool:
        """Whether every matrix given holds counts, so shares make sense."""
        return self.a.is_counts and (self.b is None or self.b.is_counts)

    @cached_property
    def pair_scale(self) -> ColourScale | None:
        """One scale for A and B together, so their colours compare."""
        if self.comparison is None:
            return None
        ends = [self.comparison.a.finite_ends(), self.comparison.b.finite_ends()]
        return ColourScale.for_values(np.concatenate(ends))


def pair_of(inputs: Inputs, normalisation: str) -> tuple[Matrix, Matrix] | None:
    """A and B aligned and normalised alike, when comparing."""
    comparison = inputs.comparison
    if comparison is None:
        return None
    return normalise(comparison.a, normalisation), normalise(
        comparison.b, normalisation
    )


def content_of(
    inputs: Inputs, settings: ViewSettings, pair: tuple[Matrix, Matrix] | None
) -> Matrix:
    """The matrix whose values are shown, in content positions.

    Args:
        inputs: the matrices as loaded.
        settings: the view's choices; only normalisation and source count.
        pair: `pair_of(inputs, settings.normalisation)`.
    """
    if pair is None or inputs.comparison is None:
        return normalise(inputs.a, settings.normalisation)

    a, b = pair
    if settings.source == "a":
        return a
    if settings.source == "b":
        return b
    with np.errstate(invalid="ignore", over="ignore"):
        change = b.values - a.values
    return replace(inputs.comparison.diff, values=change)


def _raw_of(inputs: Inputs, source: str) -> Matrix | None:
    """The matrix of counts behind a view, when the view has a single source."""
    if not inputs.is_counts:
        return None
    if inputs.comparison is None:
        return inputs.a
    if source == "diff":
        return None
    return inputs.comparison.a if source == "a" else inputs.comparison.b


def scale_for(inputs: Inputs, settings: ViewSettings, content: Matrix) -> ColourScale:
    """The scale a view is drawn on when the command line chose none for it.

    Differences are centred on 0; shares run from 0 to 1; A and B share one
    scale so switching between them does not change what a colour means.
    """
    if settings.source == "diff":
        return diff_scale(content)
    if settings.normalisation != "none":
        return ColourScale(0.0, 1.0)
    if inputs.pair_scale is not None:
        return inputs.pair_scale
    return ColourScale.for_values(content.finite_ends())


@dataclass(frozen=True, eq=False)
class View:
    """One view: the matrix shown, its scale, and the way back to the content."""

    inputs: Inputs
    settings: ViewSettings
    content: Matrix
    """The values shown, in content positions; anomalies are found here."""
    matrix: Matrix
    """The matrix as shown: transposed and reordered."""
    rows: np.ndarray
    """Shown row `i` is row `rows[i]` of the (transposed) content."""
    cols: np.ndarray
    """Shown column `j` is column `cols[j]` of the (transposed) content."""
    scale: ColourScale
    raw: Matrix | None
    """The counts behind the view, when it has a single source of counts."""
    margins: Margins | None
    """The raw counts' totals, recall and precision, in content positions."""
    pair: tuple[Matrix, Matrix] | None
    """When comparing, A and B as the view divides them, in content positions."""

    @cached_property
    def _row_places(self) -> np.ndarray:
        return inverse_order(self.rows)

    @cached_property
    def _col_places(self) -> np.ndarray:
        return inverse_order(self.cols)

    def to_content(self, row: int, col: int) -> tuple[int, int]:
        """The content position of the shown cell (`row`, `col`)."""
        oriented = int(self.rows[row]), int(self.cols[col])
        return oriented[::-1] if self.settings.transposed else oriented

    def to_shown(self, row: int, col: int) -> tuple[int, int]:
        """The shown position of the content cell (`row`, `col`)."""
        if self.settings.transposed:
            row, col = col, row
        return int(self._row_places[row]), int(self._col_places[col])

    def shown_anomalies(self, found: list[Anomaly]) -> list[Anomaly]:
        """Anomalies found in the content, moved to their shown positions."""
        moved = []
        for anomaly in found:
            row, col = self.to_shown(anomaly.row, anomaly.col)
            moved.append(replace(anomaly, row=row, col=col))
        return moved

    def headline(self) -> list[str]:
        """The parts of the title line that name the view, e.g. its accuracy."""
        settings = self.settings
        parts = []
        if self.inputs.comparison is not None:
            parts.append(f"showing {SOURCE_NAMES[settings.source]}")
        parts += self._accuracy_parts()
        if settings.normalisation != "none":
            parts.append(NORMALISATION_NAMES[settings.normalisation])
        if settings.order != "stored":
            parts.append(f"order: {settings.order}")
        if settings.transposed:
            parts.append("transposed")
        return parts

    def _accuracy_parts(self) -> list[str]:
        inputs = self.inputs
        if self.margins is not None and self.margins.accuracy is not None:
            return [f"accuracy {_percent(self.margins.accuracy)}"]
        comparison = inputs.comparison
        if comparison is None or not inputs.is_counts or not comparison.a.is_square:
            return []
        before = margins(comparison.a).accuracy
        after = margins(comparison.b).accuracy
        if before is None or after is None:
            return []
        return [f"accuracy {_percent(before)} → {_percent(after)}"]

    def cell_notes(self, row: int, col: int) -> list[Note]:
        """Figures about a shown cell beyond its value: count, A, B, change."""
        r, c = self.to_content(row, col)
        notes: list[Note] = []
        if self.raw is not None and self.settings.normalisation != "none":
            notes.append(("count", self._count_text(r, c)))

        if self.pair is not None:
            a, b = (side.value(r, c) for side in self.pair)
            notes += [("A", _figure(a)), ("B", _figure(b))]
            notes.append(("B − A", _signed(b - a)))
        return notes

    def _count_text(self, row: int, col: int) -> str:
        """The count and the total its share is of, e.g. `2 of 53 for true = 2`.

        The total is named by its label, since after a transposition the
        row it was summed over is shown as a column.
        """
        if self.raw is None or self.margins is None:
            return "—"
        raw = self.raw
        count = _figure(raw.value(row, col))
        how = self.settings.normalisation
        if how == "row":
            whole = self.margins.row_totals[row]
            where = f"for {raw.y_label or 'row'} = {raw.row_labels[row]}"
        elif how == "column":
            whole = self.margins.col_totals[col]
            where = f"for {raw.x_label or 'column'} = {raw.col_labels[col]}"
        else:
            whole, where = self.margins.total, "in all"
        return f"{count} of {_figure(float(whole))} {where}"

    def row_notes(self, row: int) -> list[Note]:
        """Recall of the shown row's class (precision once transposed)."""
        return self._line_notes(int(self.rows[row]), along_rows=True)

    def col_notes(self, col: int) -> list[Note]:
        """Precision of the shown column's class (recall once transposed)."""
        return self._line_notes(int(self.cols[col]), along_rows=False)

    def class_figures(self) -> list[tuple[str, float, float]] | None:
        """Each class's label, recall and precision, in shown row order.

        None unless the view is of a single square matrix of counts.
        """
        figures = self.margins
        if figures is None or figures.recall is None or figures.precision is None:
            return None
        labels = self.matrix.row_labels
        return [
            (labels[i], float(figures.recall[k]), float(figures.precision[k]))
            for i, k in enumerate(self.rows.tolist())
        ]

    def _line_notes(self, index: int, *, along_rows: bool) -> list[Note]:
        figures = self.margins
        if figures is None or figures.recall is None or figures.precision is None:
            return []
        is_content_row = along_rows != self.settings.transposed
        if is_content_row:
            return [("recall", _percent(float(figures.recall[index])))]
        return [("precision", _percent(float(figures.precision[index])))]


def _figure(value: float) -> str:
    """A figure for reading, not for copying: whole numbers whole, else 4 digits."""
    if math.isnan(value):
        return "—"
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.4g}"


def _percent(share: float) -> str:
    return "—" if math.isnan(share) else f"{100 * share:.1f}%"


def _signed(change: float) -> str:
    if math.isnan(change):
        return "—"
    text = _figure(abs(change))
    return f"+{text}" if change > 0 else f"−{text}" if change < 0 else text


def build_view(
    inputs: Inputs, settings: ViewSettings, scale: ColourScale | None = None
) -> View:
    """The view `settings` ask for; `scale` overrides the one it would get."""
    pair = pair_of(inputs, settings.normalisation)
    content = content_of(inputs, settings, pair)
    oriented = content.transpose() if settings.transposed else content
    if settings.order == "stored":
        # Keep the values themselves (perhaps a memory map): the identity
        # order needs no copy.
        shown = oriented
        rows, cols = np.arange(oriented.n_rows), np.arange(oriented.n_cols)
    else:
        shown, rows, cols = reorder(oriented, settings.order)

    raw = _raw_of(inputs, settings.source)
    return View(
        inputs=inputs,
        settings=settings,
        content=content,
        matrix=shown,
        rows=rows,
        cols=cols,
        scale=scale or scale_for(inputs, settings, content),
        raw=raw,
        margins=None if raw is None else margins(raw),
        pair=pair,
    )


def largest_changes(
    pair: tuple[Matrix, Matrix], diff: Matrix, sensitivity: float = 1.0
) -> list[Anomaly]:
    """The cells that changed most from A to B, largest first, as anomalies.

    A cell is listed when its change is at least `CHANGE_SHARE` of the
    largest change, divided by `sensitivity`; at most `MAX_CHANGES` are.
    A rise is a `spike`, a fall a `collapse`; the expected value is 0 (no
    change) and the score runs from 10 for the largest change down.

    Args:
        pair: A and B aligned (and divided) as `diff` was made from them.
        diff: B − A in content positions.
        sensitivity: above 1 lists smaller changes too.
    """
    values = np.asarray(diff.values, dtype=np.float64)
    size = np.where(np.isfinite(values), np.abs(values), 0.0).ravel()
    largest = float(size.max()) if size.size else 0.0
    if largest == 0.0:
        return []

    from tui.anomalies import Anomaly  # the detector loads only when used

    threshold = largest * CHANGE_SHARE / sensitivity
    flat = np.flatnonzero(size >= threshold)
    ranked = flat[np.argsort(-size[flat], kind="stable")][:MAX_CHANGES]
    found = []
    for index in ranked.tolist():
        row, col = divmod(index, values.shape[1])
        change = float(values[row, col])
        before, after = (side.value(row, col) for side in pair)
        verb = "rose" if change > 0 else "fell"
        reason = (
            f"{diff.describe_cell(row, col)} {verb} by {_figure(abs(change))} "
            f"from A to B ({_figure(before)} → {_figure(after)})"
        )
        found.append(
            Anomaly(
                row=row,
                col=col,
                value=change,
                expected=0.0,
                score=10.0 * abs(change) / largest,
                kind="spike" if change > 0 else "collapse",
                reason=reason,
            )
        )
    return found


def find_anomalies(view: View, sensitivity: float = 1.0) -> list[Anomaly]:
    """What the anomaly list shows for a view, at content positions.

    A difference ranks its largest changes (`largest_changes`): the question
    there is what moved, not what breaks a pattern. Any other view runs the
    detector on the values it shows.
    """
    if view.settings.source == "diff" and view.pair is not None:
        return largest_changes(view.pair, view.content, sensitivity)
    cells = view.content.values.size
    if cells > MAX_DETECT_CELLS:
        raise InputError(
            view.content.source or "-",
            f"too large for anomaly detection: {cells:,} cells "
            f"(at most {MAX_DETECT_CELLS:,})",
        )
    from tui.anomalies import detect  # the detector loads only when used

    return list(detect(view.content, sensitivity=sensitivity))

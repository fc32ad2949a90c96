"""The inspector: everything about the cell under the cursor, beside the grid."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from tui.matrix import Matrix
from tui.numbers import format_full, format_value
from tui.text import safe_text

EAGER_RANK_CELLS = 1_000_000
"""Matrices up to this many cells sort their values at once; larger ones in a thread."""


@dataclass(frozen=True)
class LineSummary:
    """Mean, extremes and total of one row or column, missing cells left out."""

    mean: float
    low: float
    high: float
    total: float
    present: int


@dataclass(frozen=True)
class Rank:
    """Where a value stands in the matrix, highest first."""

    place: int
    """1 for the highest value; equal values share the best place."""
    tied: int
    """How many cells hold this same value, itself included."""
    total: int
    """How many cells have a value at all."""


class CellStatistics:
    """The figures the inspector shows, computed once per matrix or lazily.

    The sorted copy of the values is made once, so a rank costs one binary
    search per cursor move; a row's or column's summary is computed the first
    time it is asked for and kept.
    """

    def __init__(self, matrix: Matrix) -> None:
        self.matrix = matrix
        self._sorted: np.ndarray | None = None
        self._rows: dict[int, LineSummary] = {}
        self._cols: dict[int, LineSummary] = {}

    @property
    def is_ranked(self) -> bool:
        """Whether the sorted copy for ranks exists yet."""
        return self._sorted is not None

    def prepare_ranks(self) -> None:
        """Sort the present values once; safe to call from a worker thread."""
        if self._sorted is None:
            flat = np.asarray(self.matrix.values).ravel()
            self._sorted = np.sort(flat[~np.isnan(flat)])

    def rank(self, value: float) -> Rank | None:
        """The rank of `value`, or None when it is missing or not yet ranked."""
        if math.isnan(value) or self._sorted is None:
            return None

        ordered = self._sorted
        above = ordered.size - int(np.searchsorted(ordered, value, side="right"))
        below = int(np.searchsorted(ordered, value, side="left"))
        tied = ordered.size - above - below
        return Rank(place=above + 1, tied=tied, total=int(ordered.size))

    def row(self, row: int) -> LineSummary:
        """The summary of one row."""
        if row not in self._rows:
            self._rows[row] = _summarise(self.matrix.values[row, :])
        return self._rows[row]

    def col(self, col: int) -> LineSummary:
        """The summary of one column."""
        if col not in self._cols:
            self._cols[col] = _summarise(self.matrix.values[:, col])
        return self._cols[col]


def _summarise(line: np.ndarray) -> LineSummary:
    values = np.asarray(line, dtype=np.float64)
    values = values[~np.isnan(values)]
    if values.size == 0:
        nan = float("nan")
        return LineSummary(nan, nan, nan, nan, 0)

    with np.errstate(invalid="ignore", over="ignore"):
        total = float(values.sum())
        mean = float(values.mean())
    return LineSummary(
        mean, float(values.min()), float(values.max()), total, values.size
    )


def _figure(value: float | None, counts: bool = False) -> str:
    """A statistic in at most about six characters, without trailing zeros."""
    if value is None or math.isnan(value):
        return "—"
    text = format_value(value, 6, counts=counts)
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _share(part: float, whole: float) -> str:
    if math.isnan(part) or math.isnan(whole) or whole == 0:
        return "—"
    return f"{100 * part / whole:.1f}%"


class CellNotes(Protocol):
    """Figures a view adds to the inspector, as (name, figure) pairs.

    A view of shares adds the count behind a share, a comparison the values
    of both matrices, a confusion matrix its classes' recall and precision.
    """

    def cell_notes(self, row: int, col: int) -> list[tuple[str, str]]: ...

    def row_notes(self, row: int) -> list[tuple[str, str]]: ...

    def col_notes(self, col: int) -> list[tuple[str, str]]: ...


class Inspector(Widget):
    """Shows the labels, value, rank and context of the cell under the cursor.

    The inspector draws line by line and, when the cursor moves, repaints
    only the lines whose text changed, never asking the screen for a layout;
    an arrow key so costs a few short lines of output, not the whole panel.
    """

    DEFAULT_CSS = """
    Inspector {
        height: 1fr;
        padding: 0 1;
    }
    """

    def __init__(self, matrix: Matrix, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cell: tuple[int, int] = (0, 0)
        """The cell shown, as (row, col)."""
        self._anomalies: dict[tuple[int, int], Any] = {}
        self._notes: CellNotes | None = None
        self._lines: list[Content] = []
        self._set_statistics(matrix)

    def _set_statistics(self, matrix: Matrix) -> None:
        self.matrix = matrix
        self.statistics = CellStatistics(matrix)
        if matrix.values.size <= EAGER_RANK_CELLS:
            self.statistics.prepare_ranks()

    def on_mount(self) -> None:
        if not self.statistics.is_ranked:
            self._rank_in_background()

    def _rank_in_background(self) -> None:
        statistics = self.statistics

        def prepare() -> None:
            statistics.prepare_ranks()
            self.app.call_from_thread(self.show_cell, *self.cell)

        self.run_worker(prepare, thread=True, exclusive=True, group="rank")

    def set_matrix(self, matrix: Matrix, notes: CellNotes | None = None) -> None:
        """Inspect a new matrix; the anomalies of the old one are dropped.

        Args:
            matrix: the matrix as shown.
            notes: figures to add for each cell, row and column, if any.
        """
        self._anomalies = {}
        self._notes = notes
        self._set_statistics(matrix)
        if self.is_mounted and not self.statistics.is_ranked:
            self._rank_in_background()
        rows, cols = matrix.shape
        self.show_cell(min(self.cell[0], rows - 1), min(self.cell[1], cols - 1))

    def set_anomalies(self, anomalies: dict[tuple[int, int], Any]) -> None:
        """The anomalous cells, keyed by (row, col), each with expected and reason."""
        self._anomalies = dict(anomalies)
        self.show_cell(*self.cell)

    def show_cell(self, row: int, col: int) -> None:
        """Show one cell, repainting only the lines that differ from the last."""
        self.cell = (row, col)
        old = self._lines
        self._lines = self._wrap(self.content_size.width)

        width = self.size.width
        for y in range(max(len(old), len(self._lines))):
            before = old[y] if y < len(old) else None
            after = self._lines[y] if y < len(self._lines) else None
            if before is None or after is None or not before.is_same(after):
                self.refresh(Region(0, y, width, 1))

    def on_resize(self) -> None:
        self._lines = self._wrap(self.content_size.width)
        self.refresh()

    def _wrap(self, width: int) -> list[Content]:
        if width <= 0:
            return []
        return self.describe(*self.cell).wrap(width)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        base = self.rich_style
        if y >= len(self._lines):
            return Strip.blank(width, base)
        segments = self._lines[y].render_segments(self.visual_style)
        return Strip(segments).adjust_cell_length(width, base)

    def describe(self, row: int, col: int) -> Content:
        """The inspector's text for one cell."""
        matrix = self.matrix
        value = matrix.value(row, col)
        y_name = safe_text(matrix.y_label or "row")
        x_name = safe_text(matrix.x_label or "column")
        row_label = safe_text(matrix.row_labels[row])
        col_label = safe_text(matrix.col_labels[col])

        lines: list[Content] = [
            Content.assemble((y_name, "bold"), " = ", row_label),
            Content.assemble((x_name, "bold"), " = ", col_label),
            Content.assemble(("value    ", "dim"), format_full(value)),
            Content.assemble(("rank     ", "dim"), self._rank_text(value)),
        ]
        if self._notes is not None:
            lines += [
                Content.assemble((f"{name:<8} ", "dim"), figure)
                for name, figure in self._notes.cell_notes(row, col)
            ]
        anomaly = self._anomalies.get((row, col))
        if anomaly is not None:
            lines.append(
                Content.assemble(
                    ("expected ", "dim"),
                    (_figure(anomaly.expected), "bold"),
                    f"  ({safe_text(anomaly.kind)})",
                )
            )

        lines.append(Content(""))
        lines += self._line_text(
            f"row {y_name} = {row_label}", self.statistics.row(row), value, row
        )
        lines += self._line_notes(self._notes.row_notes(row) if self._notes else [])
        lines += self._line_text(
            f"column {x_name} = {col_label}", self.statistics.col(col), value, col
        )
        lines += self._line_notes(self._notes.col_notes(col) if self._notes else [])
        if anomaly is not None:
            lines += [Content(""), Content(safe_text(anomaly.reason))]
        return Content("\n").join(lines)

    @staticmethod
    def _line_notes(notes: list[tuple[str, str]]) -> list[Content]:
        return [
            Content.assemble((f"  {name} ", "dim"), figure) for name, figure in notes
        ]

    def _rank_text(self, value: float) -> str:
        if math.isnan(value):
            return "—"
        rank = self.statistics.rank(value)
        if rank is None:
            return "…"
        text = f"{rank.place} of {rank.total}"
        if rank.tied > 1:
            text += f" ({rank.tied} tied)"
        return text

    def _line_text(
        self, heading: str, summary: LineSummary, value: float, index: int
    ) -> list[Content]:
        """A row's or column's block: its figures, diagonal cell and total."""
        matrix = self.matrix
        counts = matrix.is_counts
        lines = [
            Content.styled(heading, "bold"),
            Content.assemble(
                ("  mean ", "dim"),
                _figure(summary.mean),
                ("  min ", "dim"),
                _figure(summary.low, counts),
                ("  max ", "dim"),
                _figure(summary.high, counts),
            ),
        ]
        if matrix.is_square:
            diagonal = _figure(matrix.value(index, index), counts)
            lines.append(Content.assemble(("  diagonal ", "dim"), diagonal))
        if counts:
            lines.append(
                Content.assemble(
                    ("  total ", "dim"),
                    _figure(summary.total, True),
                    ("  share ", "dim"),
                    _share(value, summary.total),
                )
            )
        return lines

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

from tui.matrix import Matrix, release_pages
from tui.numbers import format_full, format_value
from tui.overview import BAND_CELLS
from tui.text import char_width, safe_text

COLUMN_BAND_BYTES = 16 << 20
"""About how many bytes of rows a column is read through at a time."""

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
        """Sort the present values once; safe to call from a worker thread.

        The values are gathered a band of rows at a time into one array that
        is then sorted in place, so the sorted copy is the only thing as
        large as the matrix that is made; a memory-mapped matrix gives its
        pages back as each band is copied.
        """
        if self._sorted is not None:
            return
        values = self.matrix.values
        rows, cols = values.shape
        gathered = np.empty(rows * cols, dtype=np.float64)
        count = 0
        band_rows = max(1, BAND_CELLS // max(1, cols))
        for first in range(0, rows, band_rows):
            band = np.asarray(values[first : first + band_rows], dtype=np.float64)
            present = band[~np.isnan(band)]
            gathered[count : count + present.size] = present
            count += present.size
            release_pages(values)
        ordered = gathered[:count]
        ordered.sort()
        self._sorted = ordered

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
            self._cols[col] = _summarise(_column(self.matrix.values, col))
        return self._cols[col]


def _column(values: np.ndarray, col: int) -> np.ndarray:
    """One column as a new array, read a band of rows at a time.

    Reading a column of a memory-mapped matrix maps in the pages around
    every row's cell, nearly the whole file; each band's pages are given
    back before the next band is read, so that stays the size of a band.
    """
    rows = values.shape[0]
    column = np.empty(rows, dtype=np.float64)
    band_rows = max(1, COLUMN_BAND_BYTES // max(1, abs(values.strides[0])))
    for first in range(0, rows, band_rows):
        column[first : first + band_rows] = values[first : first + band_rows, col]
        release_pages(values)
    return column


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

    def __init__(
        self, matrix: Matrix, *, notes: CellNotes | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.cell: tuple[int, int] = (0, 0)
        """The cell shown, as (row, col)."""
        self._anomalies: dict[tuple[int, int], Any] = {}
        self._notes = notes
        self._lines: list[Content] = []
        self._width = 0
        """The width `_lines` were wrapped to; 0 before the first layout."""
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
        """Show one cell, repainting only what differs from the last one shown.

        Each line that changed is repainted from its left edge up to its
        last changed cell and no further, since the terminal is sent every
        cell from the left edge of a repainted region to its right edge.
        """
        self.cell = (row, col)
        if self._width <= 0:
            return

        old = self._lines
        self._lines = self._wrap(self._width)
        for y in range(max(len(old), len(self._lines))):
            before = old[y] if y < len(old) else None
            after = self._lines[y] if y < len(self._lines) else None
            end = self._changed_end(before, after)
            if end:
                self.refresh(Region(0, y, end, 1))

    def _changed_end(self, before: Content | None, after: Content | None) -> int:
        """How many cells from the left a line must repaint to show `after`."""
        if before is None or after is None:
            return self._width
        if before.is_same(after):
            return 0
        old, new = self._cells(before), self._cells(after)
        length = max(len(old), len(new))
        old += [(" ", None)] * (length - len(old))
        new += [(" ", None)] * (length - len(new))
        last = length
        while last > 0 and old[last - 1] == new[last - 1]:
            last -= 1
        return min(self._width, last)

    def _cells(self, line: Content) -> list[tuple[str, Any]]:
        """A line as one (text, style) pair per terminal cell it covers."""
        cells: list[tuple[str, Any]] = []
        for segment in line.render_segments(self.visual_style):
            for char in segment.text:
                width = char_width(char)
                if width == 0 and cells:
                    text, style = cells[-1]
                    cells[-1] = (text + char, style)
                    continue
                cells.append((char, segment.style))
                cells.extend([("", segment.style)] * (width - 1))
        return cells

    def on_resize(self) -> None:
        width = self.content_size.width
        if width != self._width:
            self._width = width
            self._lines = self._wrap(width)
            self.refresh()

    def _wrap(self, width: int) -> list[Content]:
        if width <= 0:
            return []
        return self.describe(*self.cell).wrap(width)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if width != self._width:
            self._width = width
            self._lines = self._wrap(width)
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
            Content(f"value    {format_full(value)}"),
            Content(f"rank     {self._rank_text(value)}"),
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

        row_head = f"{y_name} = {row_label}" if matrix.y_label else row_label
        col_head = f"{x_name} = {col_label}" if matrix.x_label else col_label
        lines.append(Content(""))
        lines += self._line_text(
            f"row {row_head}", self.statistics.row(row), value, row
        )
        lines += self._line_notes(self._notes.row_notes(row) if self._notes else [])
        lines += self._line_text(
            f"column {col_head}", self.statistics.col(col), value, col
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
            Content(
                f"  mean {_figure(summary.mean)}"
                f"  min {_figure(summary.low, counts)}"
                f"  max {_figure(summary.high, counts)}"
            ),
        ]
        if matrix.is_square:
            diagonal = _figure(matrix.value(index, index), counts)
            lines.append(Content(f"  diagonal {diagonal}"))
        if counts:
            total, share = _figure(summary.total, True), _share(value, summary.total)
            lines.append(Content(f"  total {total}  share {share}"))
        return lines

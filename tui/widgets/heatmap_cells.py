"""The heatmap's cells: how wide they are, and their characters and styles.

A cell shows a lead character (a shade when there is no colour to tell
values apart), its value right-aligned, then its anomaly mark. Cells
narrower than `NUMBERS_FROM` show shade or colour only. Styles come from the
prebuilt `CellStyles`, picked by each cell's colour level.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from rich.segment import Segment

from tui.matrix import Matrix
from tui.numbers import format_value
from tui.overview import ValueSummary, summarise
from tui.widgets.cell_styles import CellStyles
from tui.widgets.heatmap_labels import fit_text

MIN_CELL_WIDTH = 1
"""The narrowest cell, in characters."""
MAX_CELL_WIDTH = 12
"""The widest cell, in characters."""
NUMBERS_FROM = 4
"""The narrowest cell that prints its value; narrower cells are colour only."""
MISSING_MARK = "·"
"""What a cell or block without a value shows."""


def default_cell_width(matrix: Matrix, summary: ValueSummary | None = None) -> int:
    """The cell width that fits the matrix's values with a space either side.

    Args:
        matrix: the matrix on show.
        summary: its `summarise` result, when already known.
    """
    if summary is None:
        summary = summarise(matrix.values)
    if summary.low is None or summary.high is None:
        return 6
    if summary.is_counts:
        widest = len(f"{int(summary.high)}")
    else:
        extremes = (summary.low, summary.high)
        widest = max(len(format_value(value, 4)) for value in extremes)
    return min(max(widest + 2, 6), MAX_CELL_WIDTH)


def row_cells(
    values: np.ndarray,
    first: int,
    marks: Mapping[int, str],
    cursor_col: int,
    styles: CellStyles,
    width: int,
    counts: bool,
) -> list[Segment]:
    """One segment per cell of a stretch of a row.

    Args:
        values: the stretch's values, the first from column `first`.
        first: the matrix column of the first value.
        marks: anomaly glyphs of the row, by column.
        cursor_col: the column holding the cursor, or -1.
        styles: the cell styles of the colour mode.
        width: characters per cell.
        counts: whether the matrix holds counts, printed as whole numbers.
    """
    levels = styles.levels(values)
    segments = []
    for offset, level in enumerate(levels.tolist()):
        col = first + offset
        glyph = marks.get(col, "")
        on_cursor = col == cursor_col
        if level < 0:
            style = styles.missing_cursor if on_cursor else styles.missing
            text = missing_text(glyph, width)
        else:
            if on_cursor:
                style = styles.cursor[level]
            else:
                style = styles.marked[level] if glyph else styles.normal[level]
            value = float(values[offset])
            text = cell_text(value, styles.shades[level], glyph, counts, width)
        segments.append(Segment(text, style))
    return segments


def missing_text(glyph: str, width: int) -> str:
    """A missing cell's characters: the missing mark centred, then the glyph."""
    if glyph:
        return fit_text(MISSING_MARK, width - 1, "center") + glyph
    return fit_text(MISSING_MARK, width, "center")


def cell_text(value: float, shade: str, glyph: str, counts: bool, width: int) -> str:
    """A cell's characters: lead (shade or space), value, then the mark."""
    tail = glyph or " "
    if width < NUMBERS_FROM:
        return shade * (width - 1) + (glyph or shade)
    room = width - 2
    text = format_value(value, room, counts=counts)
    if len(text) <= room:
        return shade + text.rjust(room) + tail
    if len(text) == room + 1:
        return text + tail
    return shade + "…".rjust(room) + tail

"""Where everything goes in the exported figure, measured without a font engine.

Text widths are estimated from character counts (wide characters count
double), which is close enough for common sans-serif fonts to keep labels
from overlapping. Decorations (title, tick labels, axis names, colour bar)
keep fixed font sizes; the cell grid takes whatever room is left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tui.matrix import Matrix
from tui.numbers import format_value
from tui.text import shorten, text_width

CHAR_EM = 0.62
"""Estimated advance of one character cell, as a fraction of the font size."""

PAD = 12.0
TITLE_FONT = 16.0
AXIS_FONT = 13.0
TICK_FONT = 11.0
LABEL_GAP = 5.0
"""Space between the grid and its tick labels."""

LABEL_CELLS = 24
"""Tick labels longer than this many character cells are shortened."""
TITLE_CELLS = 100
AXIS_CELLS = 60

BAR_GAP = 18.0
BAR_WIDTH = 16.0
BAR_TICK = 4.0
BAR_MIN_HEIGHT = 120.0
SWATCH_HEIGHT = 12.0
MISSING_NAME = "missing"

MAX_CELL = 40.0
MIN_CELL = 1.0
AUTO_GRID = 1200.0
"""The grid's longer side, in px, once cells have shrunk below `MAX_CELL`."""
SHORT_SIDE = 240.0
"""A narrow matrix's short side is stretched towards this many px."""
SMALLEST_CELL = 0.05


def extent(text: str, font: float) -> float:
    """Estimated width in px of safe `text` at `font` px."""
    return text_width(text) * CHAR_EM * font


def auto_cell(count: int) -> float:
    """The automatic cell size along an axis of `count` cells."""
    return min(MAX_CELL, max(MIN_CELL, AUTO_GRID / max(count, 1)))


def step_for(needed: float, pitch: float) -> int:
    """Label every k-th cell so labels `needed` px apart fit cells `pitch` apart.

    k is a round number (1, 2, 5, 10, 20, 25, 50, 100, ...) so the labels
    shown on a long axis of positions read 0, 5, 10 rather than 0, 3, 6.
    """
    least = max(1, math.ceil(needed / pitch - 1e-9))
    magnitude = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            step = int(factor * magnitude)
            if step >= least and step == factor * magnitude:
                return step
        magnitude *= 10


def bar_tick_texts(ticks: list[float], counts: bool) -> list[str]:
    """The colour bar's tick labels, as short as the cells' own values."""
    return [format_value(value, 6 if counts else 4, counts=counts) for value in ticks]


@dataclass(frozen=True)
class Layout:
    """Positions and sizes of every part of the figure, in px."""

    width: float
    """The drawing's width (the viewBox)."""
    height: float
    out_width: float
    """The width written on the document, which may scale the drawing."""
    out_height: float
    grid_x: float
    grid_y: float
    cell_w: float
    cell_h: float
    rows: int
    cols: int
    row_texts: tuple[str, ...]
    """Safe, shortened row tick labels, one per row."""
    col_texts: tuple[str, ...]
    row_step: int
    """Every `row_step`-th row is labelled."""
    col_step: int
    cols_rotated: bool
    """Whether column labels read upwards instead of across."""
    col_labels_h: float
    """The height taken by the column tick labels and their gap."""
    title: str
    x_name: str
    y_name: str
    bar_x: float
    bar_y: float
    bar_h: float
    bar_texts: tuple[str, ...]
    has_missing: bool

    @property
    def grid_w(self) -> float:
        return self.cell_w * self.cols

    @property
    def grid_h(self) -> float:
        return self.cell_h * self.rows

    @property
    def col_label_y(self) -> float:
        """Top of the column tick labels."""
        return self.grid_y + self.grid_h + LABEL_GAP

    @property
    def x_name_y(self) -> float:
        """Baseline of the x axis name, below the column tick labels."""
        return self.grid_y + self.grid_h + self.col_labels_h + AXIS_FONT * 1.2


def _col_labels_height(col_extent: float, rotated: bool) -> float:
    return LABEL_GAP + (col_extent if rotated else TICK_FONT * 1.2)


def _column_steps(col_extent: float, cell_w: float) -> tuple[int, bool]:
    """The column label step and whether labels are rotated.

    Labels are rotated when that lets more of them show than lying flat.
    """
    flat = step_for(col_extent + 4.0, cell_w)
    upright = step_for(TICK_FONT * 1.2, cell_w)
    rotated = flat > 1 and upright < flat
    return (upright if rotated else flat), rotated


def plan(
    matrix: Matrix,
    bar_texts: list[str],
    *,
    width: float | None = None,
    height: float | None = None,
) -> Layout:
    """Lay the figure out for `matrix`, optionally at a given size in px.

    Args:
        matrix: the matrix drawn.
        bar_texts: the colour bar's tick labels, already formatted.
        width: the document width; None sizes the figure from the matrix.
        height: the document height; None sizes the figure from the matrix.
    """
    rows, cols = matrix.shape
    row_texts = tuple(shorten(label, LABEL_CELLS) for label in matrix.row_labels)
    col_texts = tuple(shorten(label, LABEL_CELLS) for label in matrix.col_labels)
    row_extent = max((extent(text, TICK_FONT) for text in row_texts), default=0.0)
    col_extent = max((extent(text, TICK_FONT) for text in col_texts), default=0.0)
    title = shorten(matrix.title, TITLE_CELLS)
    x_name = shorten(matrix.x_label, AXIS_CELLS)
    y_name = shorten(matrix.y_label, AXIS_CELLS)
    has_missing = bool(np.isnan(matrix.values).any())

    legend_texts = [*bar_texts, MISSING_NAME] if has_missing else bar_texts
    legend_extent = max(extent(text, TICK_FONT) for text in legend_texts)
    right = BAR_GAP + BAR_WIDTH + BAR_TICK + 3.0 + legend_extent + PAD
    left = math.ceil(
        PAD + (AXIS_FONT * 1.5 if y_name else 0.0) + row_extent + LABEL_GAP
    )
    top = math.ceil(PAD + (TITLE_FONT * 1.8 if title else TICK_FONT / 2))
    below_labels = (AXIS_FONT * 1.8 if x_name else 0.0) + PAD

    auto_w, auto_h = _auto_cells(rows, cols)
    cell_w, cell_h = auto_w, auto_h
    if width is not None:
        cell_w = (width - left - right) / cols
        cell_h = cell_w * auto_h / auto_w
    for _ in range(2):
        col_step, rotated = _column_steps(col_extent, max(cell_w, SMALLEST_CELL))
        bottom = _col_labels_height(col_extent, rotated) + below_labels
        if height is not None:
            cell_h = (height - top - bottom) / rows
            if width is None:
                cell_w = cell_h * auto_w / auto_h
    cell_w = max(round(cell_w, 2), SMALLEST_CELL)
    cell_h = max(round(cell_h, 2), SMALLEST_CELL)
    col_step, rotated = _column_steps(col_extent, cell_w)
    bottom = _col_labels_height(col_extent, rotated) + below_labels
    row_step = step_for(TICK_FONT * 1.2, cell_h)

    grid_w, grid_h = cell_w * cols, cell_h * rows
    bar_h = max(grid_h, BAR_MIN_HEIGHT)
    legend_h = bar_h + (SWATCH_HEIGHT + TICK_FONT if has_missing else 0.0)
    drawn_w = max(left + grid_w + right, extent(title, TITLE_FONT) + 2 * PAD)
    drawn_h = top + max(grid_h + bottom, legend_h + TICK_FONT / 2 + PAD)
    x_name = _fit_centred(x_name, left + grid_w / 2, drawn_w)
    y_name = _fit_centred(y_name, top + grid_h / 2, drawn_h)
    out_w, out_h = _document_size(drawn_w, drawn_h, width, height)
    return Layout(
        width=drawn_w,
        height=drawn_h,
        out_width=out_w,
        out_height=out_h,
        grid_x=left,
        grid_y=top,
        cell_w=cell_w,
        cell_h=cell_h,
        rows=rows,
        cols=cols,
        row_texts=row_texts,
        col_texts=col_texts,
        row_step=row_step,
        col_step=col_step,
        cols_rotated=rotated,
        col_labels_h=_col_labels_height(col_extent, rotated),
        title=title,
        x_name=x_name,
        y_name=y_name,
        bar_x=left + grid_w + BAR_GAP,
        bar_y=top,
        bar_h=bar_h,
        bar_texts=tuple(bar_texts),
        has_missing=has_missing,
    )


def _fit_centred(name: str, middle: float, length: float) -> str:
    """An axis name centred at `middle`, shortened to stay inside the figure."""
    room = 2 * min(middle - PAD, length - PAD - middle)
    return shorten(name, max(int(room / (CHAR_EM * AXIS_FONT)), 3))


def _auto_cells(rows: int, cols: int) -> tuple[float, float]:
    """Square cells sized for the longer side; a narrow matrix's short side grows.

    A 2×500 matrix would otherwise be a sliver a few px high.
    """
    cell = auto_cell(max(rows, cols))
    cell_w = min(auto_cell(cols), max(cell, SHORT_SIDE / cols))
    cell_h = min(auto_cell(rows), max(cell, SHORT_SIDE / rows))
    return cell_w, cell_h


def _document_size(
    drawn_w: float, drawn_h: float, width: float | None, height: float | None
) -> tuple[float, float]:
    """The size written on the document: the requested one, the other kept in
    proportion to the drawing."""
    if width is not None and height is not None:
        return width, height
    if width is not None:
        return width, drawn_h * width / drawn_w
    if height is not None:
        return drawn_w * height / drawn_h, height
    return drawn_w, drawn_h

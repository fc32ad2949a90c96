"""The heatmap's overview: the whole matrix in blocks, two to a character.

Each character of the overview stands for a square block of matrix cells,
coloured by one aggregate of the block (min, max or mean). With colour, a
half-block glyph shows two block rows per line, its text colour the upper
block and its background the lower; without colour, one shade character
shows one block. The cursor stays on a matrix cell, the one the colour of
its block comes from, so zooming back in lands where the eye was.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from rich.segment import Segment
from textual.geometry import Region, Size
from textual.strip import Strip

from tui.overview import AGGREGATES, BlockCache
from tui.widgets.cell_styles import CURSOR_LEVEL, CellStyles
from tui.widgets.heatmap_cells import MISSING_MARK
from tui.widgets.heatmap_labels import (
    LabelStyles,
    corner,
    finish,
    row_label,
    title_line,
)

if TYPE_CHECKING:
    from tui.widgets.heatmap import Heatmap

HALF_BLOCK = "▀"
"""The overview glyph: its text colour is the upper block, its background the lower."""
COLUMN_MARK = "▼"
"""Marks the cursor's block column on the overview's tick line."""


class Overview:
    """The overview mode of one heatmap: its state, its moves and its drawing.

    The heatmap owns one and hands it the work while the overview is on. It
    reads the heatmap's view size, cursor and cell styles, and keeps its
    rendered lines in the heatmap's line cache, the two being one widget.
    """

    def __init__(self, heatmap: Heatmap) -> None:
        self._heatmap = heatmap
        self.is_on = False
        """Whether the heatmap shows the overview rather than cells."""
        self.aggregate = "min"
        """What a block shows of its cells: min, max or mean."""
        self._blocks = BlockCache(np.empty((0, 0)))
        self._levels: tuple[tuple, np.ndarray] = ((), np.empty((0, 0)))

    def show_values(self, values: np.ndarray, is_counts: bool) -> None:
        """Take a new matrix's values; counts show their blocks' max first."""
        self._blocks = BlockCache(values)
        self.aggregate = "max" if is_counts else "min"

    @property
    def rows_per_line(self) -> int:
        """Block rows per line: two half blocks, or one shade character."""
        return 1 if self._heatmap.colour_mode == "none" else 2

    def shape(self) -> tuple[int, int]:
        """Block rows and block columns at the view's block size."""
        rows, cols = self._heatmap.matrix.shape
        block = self._heatmap.block_size
        return math.ceil(rows / block), math.ceil(cols / block)

    def virtual_size(self) -> Size:
        """The heatmap's virtual size while the overview is on."""
        heatmap = self._heatmap
        block_rows, block_cols = self.shape()
        lines = math.ceil(block_rows / self.rows_per_line)
        return Size(heatmap.label_width + block_cols, heatmap.header_height + lines)

    def cycle_aggregate(self) -> None:
        """Switch to the next aggregate: min, max, mean, then min again."""
        at = AGGREGATES.index(self.aggregate)
        self.aggregate = AGGREGATES[(at + 1) % len(AGGREGATES)]

    def cell_for(self, row: int, col: int) -> tuple[int, int]:
        """The cell that the colour of the block holding (row, col) comes from."""
        block = self._heatmap.block_size
        return self._blocks.target(block, (row // block, col // block), self.aggregate)

    def cell_after_move(self, rows: int, cols: int) -> tuple[int, int]:
        """The cursor's cell after a move by blocks, kept inside the matrix."""
        heatmap = self._heatmap
        row, col = heatmap.cursor
        block = heatmap.block_size
        last_row = (heatmap.matrix.n_rows - 1) // block
        last_col = (heatmap.matrix.n_cols - 1) // block
        block_row = min(max(row // block + rows, 0), last_row)
        block_col = min(max(col // block + cols, 0), last_col)
        return self._blocks.target(block, (block_row, block_col), self.aggregate)

    def cell_at(self, x: int, y: int) -> tuple[int, int] | None:
        """The cell a click at (x, y) moves to (the upper block of a pair)."""
        heatmap = self._heatmap
        block = heatmap.block_size
        block_row = (y - heatmap.header_height) * self.rows_per_line
        block_col = x - heatmap.label_width
        if y < heatmap.header_height or block_col < 0:
            return None
        if block_row * block < heatmap.matrix.n_rows and block_col * block < (
            heatmap.matrix.n_cols
        ):
            return self._blocks.target(block, (block_row, block_col), self.aggregate)
        return None

    def regions(self, row: int, col: int) -> list[Region]:
        """Heatmap regions showing the block of a cell and its labels."""
        heatmap = self._heatmap
        block = heatmap.block_size
        x = heatmap.label_width + col // block
        y = heatmap.header_height + row // block // self.rows_per_line
        visible = heatmap.size.region
        regions = (
            Region(x, y, 1, 1),
            Region(0, y, heatmap.label_width - 1, 1),
            Region(x, heatmap.header_height - 1, 1, 1),
        )
        return [region.intersection(visible) for region in regions]

    def render_line(self, y: int) -> Strip:
        """Line `y` of the overview, from the heatmap's line cache when it can."""
        heatmap = self._heatmap
        width = heatmap.size.width
        block = heatmap.block_size
        block_row, block_col = heatmap.block_cursor
        per_line = self.rows_per_line
        if y < heatmap.header_height:
            on = block_col
        else:
            top = (y - heatmap.header_height) * per_line
            on = block_col if top <= block_row < top + per_line else -1
        key = ("overview", y, width, block, self.aggregate, on)
        return heatmap._cached_line(key, self._draw_line, y, block, on)

    def _draw_line(self, y: int, block: int, on: int) -> Strip:
        """Draw line `y`; `on` is the cursor's block column on it, else -1."""
        heatmap = self._heatmap
        width = heatmap.size.width
        styles = LabelStyles.of(heatmap)
        if y < heatmap.header_height - 1:
            indicator = heatmap.position_text()
            segments = title_line(
                heatmap.matrix.x_label,
                indicator,
                heatmap.label_width,
                width - heatmap.label_width,
                styles,
                name_cap=self.shape()[1],
            )
            return finish(segments, width, styles.base)
        if y < heatmap.header_height:
            return self._draw_tick_line(on, width, styles)
        return self._draw_block_row(y - heatmap.header_height, block, on, styles)

    def _draw_tick_line(self, block_col: int, width: int, styles: LabelStyles) -> Strip:
        """The y-axis name, then a mark over the cursor's block column."""
        heatmap = self._heatmap
        room = max(0, width - heatmap.label_width)
        segments = corner(heatmap.matrix.y_label, heatmap.label_width - 1, styles)
        if block_col < room:
            segments += [
                Segment(" " * block_col, styles.base),
                Segment(COLUMN_MARK, styles.cursor),
            ]
        return finish(segments, width, styles.base)

    def _block_levels(self, block: int, cell_styles: CellStyles) -> np.ndarray:
        """Style levels of every block, for the view's block size and aggregate.

        The reduced matrix is no larger than the view, so its levels are
        computed whole, once per block size, aggregate and colour mode.
        """
        key = (block, self.aggregate, id(cell_styles))
        if self._levels[0] != key:
            reduced = self._blocks.reduced(block, self.aggregate)
            self._levels = (key, cell_styles.levels(reduced))
        return self._levels[1]

    def _draw_block_row(
        self, line: int, block: int, cursor_col: int, styles: LabelStyles
    ) -> Strip:
        """One overview line: one or two block rows of the reduced matrix."""
        heatmap = self._heatmap
        width = heatmap.size.width
        cell_styles = heatmap._styles
        levels = self._block_levels(block, cell_styles)
        per_line = self.rows_per_line
        top = line * per_line
        block_rows, block_cols = levels.shape
        if top >= block_rows:
            return Strip.blank(width, styles.base)

        label = heatmap.matrix.row_labels[top * block]
        label_style = styles.label if cursor_col < 0 else styles.cursor
        segments = row_label(label, heatmap.label_width - 1, label_style, styles.base)
        count = max(0, min(width - heatmap.label_width, block_cols))
        cursor_half = heatmap.block_cursor[0] - top if cursor_col >= 0 else -1
        upper = levels[top, :count].tolist()
        if per_line == 1:
            segments += self._shade_cells(upper, cursor_col, cell_styles)
            return finish(segments, width, styles.base)

        if top + 1 < block_rows:
            lower = levels[top + 1, :count].tolist()
        else:
            lower = [None] * count
        if cursor_half == 0 and cursor_col < count:
            upper[cursor_col] = CURSOR_LEVEL
        elif cursor_half == 1 and cursor_col < count:
            lower[cursor_col] = CURSOR_LEVEL
        background = styles.base.bgcolor
        half_block = cell_styles.half_block
        segments += [
            Segment(HALF_BLOCK, half_block(high, low, background))
            for high, low in zip(upper, lower, strict=True)
        ]
        return finish(segments, width, styles.base)

    @staticmethod
    def _shade_cells(
        levels: list[int], cursor_col: int, cell_styles: CellStyles
    ) -> list[Segment]:
        """Blocks without colour: a shade character per block."""
        segments = []
        for col, level in enumerate(levels):
            on_cursor = col == cursor_col
            if level < 0:
                style = cell_styles.missing_cursor if on_cursor else cell_styles.missing
                segments.append(Segment(MISSING_MARK, style))
            else:
                style = (
                    cell_styles.cursor[level]
                    if on_cursor
                    else cell_styles.normal[level]
                )
                segments.append(Segment(cell_styles.shades[level], style))
        return segments

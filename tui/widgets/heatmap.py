"""The heatmap grid: a scrolling Line API widget with a cell cursor.

Each screen line is built from the visible columns only, reading the matrix
by index, so the cost of drawing follows the screen and not the matrix. Row
tick labels stay pinned at the left and column tick labels at the top while
the cells scroll. A cursor move repaints only the two cells and the labels it
changes.

For a matrix larger than the view, `z` switches to an overview (drawn by
`heatmap_overview`): each character shows blocks of cells by one aggregate,
cycled with `m`, so the whole matrix fits; the cursor then walks blocks and
`z` or Enter zooms back in on the cell the block's colour comes from. The
labels around the cells are laid out by `heatmap_labels`, the characters of
the cells by `heatmap_cells`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.matrix import Matrix
from tui.overview import fit_block
from tui.scale import ColourScale
from tui.widgets.cell_styles import CellStyles
from tui.widgets.heatmap_cells import (
    MAX_CELL_WIDTH,
    MIN_CELL_WIDTH,
    NUMBERS_FROM,
    default_cell_width,
    row_cells,
)
from tui.widgets.heatmap_labels import (
    LABEL_CAP,
    LabelStyles,
    axis_name_line,
    corner,
    finish,
    row_label,
    row_label_width,
    tick_labels,
    title_line,
)
from tui.widgets.heatmap_overview import Overview

__all__ = [
    "GLYPHS",
    "LABEL_CAP",
    "MAX_CELL_WIDTH",
    "MIN_CELL_WIDTH",
    "NUMBERS_FROM",
    "OTHER_GLYPH",
    "CellMessage",
    "Heatmap",
    "default_cell_width",
]


GLYPHS = {"collapse": "▼", "spike": "▲", "impossible": "!"}
"""The mark drawn in an anomalous cell, by anomaly kind."""
OTHER_GLYPH = "◆"


class CellMessage(Message):
    """A message about one cell of a heatmap."""

    def __init__(self, heatmap: Heatmap, row: int, col: int) -> None:
        super().__init__()
        self.heatmap = heatmap
        """The heatmap the cell belongs to."""
        self.row = row
        """The cell's row."""
        self.col = col
        """The cell's column."""

    @property
    def control(self) -> Heatmap:
        return self.heatmap


class Heatmap(ScrollView, can_focus=True):
    """The matrix as a grid of coloured cells, walked with a cursor."""

    DEFAULT_CSS = """
    Heatmap {
        background: $surface;
        scrollbar-size: 0 0;
    }
    Heatmap > .heatmap--label {
        color: $text-muted;
    }
    Heatmap > .heatmap--label-cursor {
        color: $text;
        background: $accent 40%;
        text-style: bold underline;
    }
    Heatmap > .heatmap--axis-name {
        color: $text;
        text-style: italic;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "heatmap--label",
        "heatmap--label-cursor",
        "heatmap--axis-name",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Cell up", show=False),
        Binding("down,j", "cursor_down", "Cell down", show=False),
        Binding("left,h", "cursor_left", "Cell left", show=False),
        Binding("right,l", "cursor_right", "Cell right", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False),
        Binding("home", "row_start", "Row start", show=False),
        Binding("end", "row_end", "Row end", show=False),
        Binding("g,ctrl+home", "first_cell", "First cell", show=False),
        Binding("G,ctrl+end", "last_cell", "Last cell", show=False),
        Binding("plus,equals_sign", "widen_cells", "Wider cells"),
        Binding("minus", "narrow_cells", "Narrower cells"),
        Binding("enter", "select_cell", "Select cell", show=False),
        Binding("z", "toggle_overview", "Overview / zoom in", show=False),
        Binding("m", "cycle_aggregate", "Block aggregate (in overview)", show=False),
    ]

    cursor: reactive[tuple[int, int]] = reactive((0, 0), repaint=False)
    """The cell under the cursor as (row, col); always inside the matrix."""

    cell_width: reactive[int] = reactive(6, repaint=False, init=False)
    """Characters per cell; below `NUMBERS_FROM` cells show colour only."""

    class CellHighlighted(CellMessage):
        """Posted whenever the cursor lands on a cell."""

    class CellSelected(CellMessage):
        """Posted when Enter is pressed on a cell."""

    def __init__(
        self,
        matrix: Matrix,
        scale: ColourScale,
        *,
        colour_mode: str = "truecolor",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._styles = CellStyles(scale, colour_mode)
        self._marks: dict[int, dict[int, str]] = {}
        self._mark_versions: dict[int, int] = {}
        """How often each row's marks changed, so its cached lines are redrawn."""
        self._generation = 0
        self._lines: LRUCache[tuple, Strip] = LRUCache(1024)
        self._overview = Overview(self)
        self._fits = True
        self._drawn_in: LabelStyles | None = None
        """The label styles the cached lines were drawn in."""
        self._take_matrix(matrix)
        self.set_reactive(Heatmap.cell_width, self._default_width)
        self._update_virtual_size()

    def _take_matrix(self, matrix: Matrix) -> None:
        """Measure a new matrix once: its values, labels and overview blocks."""
        self._matrix = matrix
        self._summary = matrix.summary
        self._default_width = default_cell_width(matrix, self._summary)
        self._overview.show_values(matrix.values, self._summary.is_counts)
        self._row_label_width = row_label_width(matrix)

    @property
    def matrix(self) -> Matrix:
        """The matrix on show."""
        return self._matrix

    @property
    def colour_mode(self) -> str:
        return self._styles.colour_mode

    @property
    def header_height(self) -> int:
        """Lines above the cells: the x-axis name and position line, and the ticks.

        The first line is there when the matrix has an x-axis name, or when
        the position in a matrix larger than the view needs showing.
        """
        if self._matrix.x_label or self._overview.is_on or not self._fits:
            return 2
        return 1

    @property
    def is_overview(self) -> bool:
        """Whether the grid shows the whole matrix in blocks."""
        return self._overview.is_on

    @property
    def aggregate(self) -> str:
        """What an overview block shows of its cells: min, max or mean."""
        return self._overview.aggregate

    @property
    def block_size(self) -> int:
        """Matrix cells per overview block side, fitted to the view."""
        width, height = self.size
        across = max(1, width - self.label_width)
        down = max(1, height - 2) * self._overview.rows_per_line
        return fit_block(self._matrix.n_rows, self._matrix.n_cols, across, down)

    @property
    def block_cursor(self) -> tuple[int, int]:
        """The overview block holding the cursor, as (block row, block column)."""
        block = self.block_size
        return self.cursor[0] // block, self.cursor[1] // block

    @property
    def label_width(self) -> int:
        """Cells left of the grid: the row tick labels and a one-cell gap."""
        return self._row_label_width + 1

    def move_cursor(self, row: int, col: int) -> None:
        """Put the cursor on a cell; out-of-range positions are clamped."""
        self.cursor = (row, col)

    def set_matrix(self, matrix: Matrix, scale: ColourScale) -> None:
        """Show another matrix, keeping the cursor inside it."""
        old_default = self._default_width
        self._take_matrix(matrix)
        self._styles = CellStyles(scale, self._styles.colour_mode)
        self._marks = {}
        if self.cell_width == old_default:
            self.set_reactive(Heatmap.cell_width, self._default_width)
        self._invalidate()

        before = self.cursor
        self.cursor = self.validate_cursor(before)
        if self.cursor == before:
            self.post_message(self.CellHighlighted(self, *self.cursor))

    def set_anomalies(self, marks: Mapping[tuple[int, int], str]) -> None:
        """Mark anomalous cells with a glyph for their kind (row, col) -> kind."""
        by_row: dict[int, dict[int, str]] = {}
        rows, cols = self._matrix.shape
        for (row, col), kind in marks.items():
            if 0 <= row < rows and 0 <= col < cols:
                by_row.setdefault(row, {})[col] = GLYPHS.get(kind, OTHER_GLYPH)
        changed = {
            row
            for row in by_row.keys() | self._marks.keys()
            if by_row.get(row) != self._marks.get(row)
        }
        self._marks = by_row
        for row in changed:
            self._mark_versions[row] = self._mark_versions.get(row, 0) + 1
        if self._overview.is_on:
            return
        scroll_y = self.scroll_offset.y
        width = self.size.width
        for row in changed:
            self.refresh(Region(0, self.header_height + row - scroll_y, width, 1))

    def set_colour_mode(self, colour_mode: str) -> None:
        """Redraw in another colour mode: truecolor, 256, 16 or none."""
        self._styles = CellStyles(self._styles.scale, colour_mode)
        self._invalidate()

    def _invalidate(self) -> None:
        """Forget every rendered line and repaint the whole widget."""
        self._forget_lines()
        self._update_virtual_size()
        self.refresh()

    def _forget_lines(self) -> None:
        self._generation += 1
        self._lines.clear()

    def _update_virtual_size(self) -> None:
        if self._fit_to_size():
            self.refresh()
        if self._overview.is_on:
            self.virtual_size = self._overview.virtual_size()
            return
        rows, cols = self._matrix.shape
        self.virtual_size = Size(
            self.label_width + cols * self.cell_width, self.header_height + rows
        )

    def validate_cursor(self, cursor: tuple[int, int]) -> tuple[int, int]:
        rows, cols = self._matrix.shape
        row, col = cursor
        return (min(max(row, 0), rows - 1), min(max(col, 0), cols - 1))

    def validate_cell_width(self, width: int) -> int:
        return min(max(width, MIN_CELL_WIDTH), MAX_CELL_WIDTH)

    def watch_cursor(self, old: tuple[int, int], new: tuple[int, int]) -> None:
        if self._overview.is_on:
            for row, col in {old, new}:
                for region in self._overview.regions(row, col):
                    self.refresh(region)
        else:
            for row, col in {old, new}:
                for region in self._cursor_regions(row, col, old, new):
                    self.refresh(region)
            self._scroll_cursor_into_view()
        self.post_message(self.CellHighlighted(self, *new))

    def watch_cell_width(self) -> None:
        self._invalidate()
        self.call_after_refresh(self._scroll_cursor_into_view)

    def on_resize(self) -> None:
        self._update_virtual_size()
        self.call_after_refresh(self._scroll_cursor_into_view)

    def _cursor_regions(
        self, row: int, col: int, old: tuple[int, int], new: tuple[int, int]
    ) -> list[Region]:
        """Widget regions that a cursor move from `old` to `new` changes at a cell.

        The cell itself, and its row and column labels only when the move
        changes row or column: every region sent costs bytes on the wire.
        """
        scroll_x, scroll_y = self.scroll_offset
        width = self.cell_width
        x = self.label_width + col * width - scroll_x
        y = self.header_height + row - scroll_y
        visible = self.size.region
        regions = [Region(x, y, width, 1)]
        if old[0] != new[0]:
            regions.append(Region(0, y, self._row_label_width, 1))
        if old[1] != new[1]:
            regions.append(Region(x, self.header_height - 1, width, 1))
        return [region.intersection(visible) for region in regions]

    def _scroll_cursor_into_view(self) -> None:
        """Scroll when the cursor cell is out of view, centring it.

        Centring rather than scrolling a line at a time means a run of arrow
        keys redraws the whole grid at most once every half page of moves.
        """
        if self._overview.is_on:
            return
        row, col = self.cursor
        width = self.cell_width
        region = Region(
            self.label_width + col * width, self.header_height + row, width, 1
        )
        scroll_x, scroll_y = self.scroll_offset
        view_width, view_height = self.scrollable_content_region.size
        window = Region(
            scroll_x + self.label_width,
            scroll_y + self.header_height,
            view_width - self.label_width,
            view_height - self.header_height,
        )
        if window.contains_region(region):
            return
        spacing = Spacing(self.header_height, 0, 0, self.label_width)
        self.scroll_to_region(
            region, spacing=spacing, animate=False, force=True, center=True
        )

    def _grid_size(self) -> tuple[int, int]:
        """How many whole rows and columns of cells the view shows."""
        width, height = self.size
        rows = max(1, height - self.header_height)
        cols = max(1, (width - self.label_width) // self.cell_width)
        return rows, cols

    def _move_by(self, rows: int, cols: int) -> None:
        """Move by cells, or in the overview by blocks."""
        if self._overview.is_on:
            self.cursor = self._overview.cell_after_move(rows, cols)
            return
        row, col = self.cursor
        self.cursor = (row + rows, col + cols)

    def _go(self, row: int, col: int) -> None:
        """Put the cursor on a cell, or in the overview on its block's chosen cell."""
        if self._overview.is_on:
            self.cursor = self._overview.cell_for(row, col)
            return
        self.cursor = (row, col)

    def action_cursor_up(self) -> None:
        self._move_by(-1, 0)

    def action_cursor_down(self) -> None:
        self._move_by(1, 0)

    def action_cursor_left(self) -> None:
        self._move_by(0, -1)

    def action_cursor_right(self) -> None:
        self._move_by(0, 1)

    def action_page_up(self) -> None:
        """Move a full page of rows up."""
        self._move_by(-self._grid_size()[0], 0)

    def action_page_down(self) -> None:
        """Move a full page of rows down."""
        self._move_by(self._grid_size()[0], 0)

    def action_half_page_up(self) -> None:
        """Move half a page of rows up, as ctrl+u does in vim."""
        self._move_by(-max(1, self._grid_size()[0] // 2), 0)

    def action_half_page_down(self) -> None:
        """Move half a page of rows down, as ctrl+d does in vim."""
        self._move_by(max(1, self._grid_size()[0] // 2), 0)

    def action_row_start(self) -> None:
        self._go(self.cursor[0], 0)

    def action_row_end(self) -> None:
        self._go(self.cursor[0], self._matrix.n_cols - 1)

    def action_first_cell(self) -> None:
        self._go(0, 0)

    def action_last_cell(self) -> None:
        self._go(self._matrix.n_rows - 1, self._matrix.n_cols - 1)

    def action_widen_cells(self) -> None:
        self.cell_width += 1

    def action_narrow_cells(self) -> None:
        self.cell_width -= 1

    def action_select_cell(self) -> None:
        """Select the cell under the cursor; in the overview, zoom in instead."""
        if self._overview.is_on:
            self._zoom_in()
            return
        self.post_message(self.CellSelected(self, *self.cursor))

    def action_toggle_overview(self) -> None:
        """Show the whole matrix in blocks, or zoom back in on the cursor's block."""
        if self._overview.is_on:
            self._zoom_in()
            return
        self._overview.is_on = True
        self._invalidate()
        self.scroll_to(0, 0, animate=False, force=True, immediate=True)
        self.refresh_bindings()

    def _zoom_in(self) -> None:
        """Leave the overview on the cell the cursor's block colour comes from."""
        target = self._overview.cell_for(*self.cursor)
        self._overview.is_on = False
        self._invalidate()
        self.refresh_bindings()
        self.cursor = target
        self.call_after_refresh(self._scroll_cursor_into_view)

    def action_cycle_aggregate(self) -> None:
        """Show the overview's blocks by the next aggregate: min, max, mean."""
        if not self._overview.is_on:
            return
        self._overview.cycle_aggregate()
        self._invalidate()
        self._go(*self.cursor)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out the aggregate key outside the overview, cell widths inside it."""
        if action == "cycle_aggregate":
            return True if self._overview.is_on else None
        if action in ("widen_cells", "narrow_cells") and self._overview.is_on:
            return None
        return True

    def on_click(self, event: events.Click) -> None:
        """Move the cursor to the clicked cell, or along a clicked label."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        x, y = offset
        if self._overview.is_on:
            cell = self._overview.cell_at(x, y)
            if cell is not None:
                self.cursor = cell
            return
        row, col = self.cursor
        scroll_x, scroll_y = self.scroll_offset
        on_cells = x >= self.label_width
        on_rows = y >= self.header_height
        if not (on_cells or on_rows):
            return

        if on_cells:
            col = (x - self.label_width + scroll_x) // self.cell_width
        if on_rows:
            row = y - self.header_height + scroll_y
        if row < self._matrix.n_rows and col < self._matrix.n_cols:
            self.cursor = (row, col)

    def position_text(self) -> str:
        """Where the view is, e.g. `rows 120–159 / 4000 · cols 30–48 / 4000`.

        Positions are 0-based and inclusive, like the labels of a matrix
        without any. In the overview it names the aggregate and block size.
        """
        rows, cols = self._matrix.shape
        if self._overview.is_on:
            block = self.block_size
            return f"overview · {self.aggregate} of {block}×{block} cells"
        scroll_x, scroll_y = self.scroll_offset
        view_height = self.scrollable_content_region.height - self.header_height
        first_row = min(scroll_y, rows - 1)
        last_row = min(rows, scroll_y + max(1, view_height)) - 1
        first, last, _ = self._visible_columns(scroll_x, self.size.width)
        return (
            f"rows {first_row}–{last_row} / {rows} · "
            f"cols {first}–{max(first, last - 1)} / {cols}"
        )

    def _fit_to_size(self) -> bool:
        """Note whether the whole matrix fits the grid's size; True if that changed.

        The header shows the position line only when the view is partial.
        """
        rows, cols = self._matrix.shape
        width, height = self.size
        fits = rows + 2 <= height and self.label_width + cols * self.cell_width <= width
        if fits == self._fits:
            return False
        self._fits = fits
        self._forget_lines()
        return True

    def render_lines(self, crop: Region) -> list[Strip]:
        # The first layout gives the grid its size before the Resize event
        # says so: drawing for that size now spares drawing it all again.
        self._fit_to_size()

        # Textual restyles a widget whenever its focus, hover or the theme
        # change; the cached lines are drawn again only if the styles they
        # were drawn in did change.
        labels = LabelStyles.of(self)
        if labels != self._drawn_in:
            self._drawn_in = labels
            self._forget_lines()

        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if self._overview.is_on:
            return self._overview.render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        cursor_row, cursor_col = self.cursor
        if y < self.header_height:
            key: tuple = ("header", y, scroll_x, width, cursor_col)
            if not self._fits:
                key += (scroll_y, self.size.height)
            key += (self.cell_width,)
            return self._cached_line(key, self._render_header, y, scroll_x, width)

        row = y - self.header_height + scroll_y
        on_row = cursor_col if row == cursor_row else -1
        marked = self._mark_versions.get(row, 0)
        key = ("row", row, scroll_x, width, on_row, marked, self.cell_width)
        return self._cached_line(key, self._render_row, row, scroll_x, width)

    def _cached_line(self, key: tuple, draw: Callable[..., Strip], *args: int) -> Strip:
        """The line cached under `key` in this generation, drawn when missing."""
        key += (self._generation,)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._lines[key] = draw(*args)
        return strip

    def _visible_columns(self, scroll_x: int, width: int) -> tuple[int, int, int]:
        """The first and last column in view and the cells-area width."""
        room = max(0, width - self.label_width)
        first = scroll_x // self.cell_width
        last = min(self._matrix.n_cols, (scroll_x + room - 1) // self.cell_width + 1)
        return first, last, room

    def _crop_cells(
        self, segments: list[Segment], first: int, scroll_x: int, room: int
    ) -> list[Segment]:
        """Cut the cells' segments to the part in view, padded to `room`."""
        start = scroll_x - first * self.cell_width
        strip = Strip(segments).crop_extend(start, start + room, self.rich_style)
        return list(strip)

    def _render_header(self, y: int, scroll_x: int, width: int) -> Strip:
        """A line above the cells: the x-axis name or title line, or the ticks."""
        styles = LabelStyles.of(self)
        first, last, room = self._visible_columns(scroll_x, width)
        if y < self.header_height - 1:
            if not self._fits:
                return self._render_title_line(room, width)
            shown = min(room, (self._matrix.n_cols * self.cell_width) - scroll_x)
            segments = axis_name_line(
                self._matrix.x_label, self.label_width, shown, styles
            )
            return finish(segments, width, styles.base)

        segments = corner(self._matrix.y_label, self._row_label_width, styles)
        ticks = tick_labels(
            self._matrix.col_labels,
            first,
            last,
            self.cell_width,
            self.cursor[1],
            styles,
        )
        segments += self._crop_cells(ticks, first, scroll_x, room)
        return finish(segments, width, styles.base)

    def _render_title_line(self, room: int, width: int) -> Strip:
        """The x-axis name with the position indicator at the right."""
        styles = LabelStyles.of(self)
        shows_all = self._fits and not self._overview.is_on
        indicator = "" if shows_all else self.position_text()
        segments = title_line(
            self._matrix.x_label, indicator, self.label_width, room, styles
        )
        return finish(segments, width, styles.base)

    def _render_row(self, row: int, scroll_x: int, width: int) -> Strip:
        if row >= self._matrix.n_rows:
            return Strip.blank(width, self.rich_style)
        styles = LabelStyles.of(self)
        label_style = styles.cursor if row == self.cursor[0] else styles.label
        segments = row_label(
            self._matrix.row_labels[row],
            self._row_label_width,
            label_style,
            styles.base,
        )

        first, last, room = self._visible_columns(scroll_x, width)
        if last > first:
            cells = row_cells(
                self._matrix.values[row, first:last],
                first,
                self._marks.get(row, {}),
                self.cursor[1] if row == self.cursor[0] else -1,
                self._styles,
                self.cell_width,
                self._summary.is_counts,
            )
            segments += self._crop_cells(cells, first, scroll_x, room)
        return finish(segments, width, styles.base)

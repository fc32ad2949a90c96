"""The text around the heatmap's cells: tick labels, axis names, position line.

Plain drawing functions that turn the matrix's label text and a few styles
into Rich segments, so the cell grid and its overview lay out their labels
the same way. Label text is made safe by `shorten` before it is measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from tui.matrix import Matrix
from tui.text import shorten

LABEL_CAP = 16
"""The widest the row label column grows, in cells."""


class LabelStyles(NamedTuple):
    """The styles a heatmap draws its labels in."""

    base: Style
    """The widget's own style, for gaps."""
    label: Style
    """Tick labels."""
    cursor: Style
    """The tick labels of the cursor's row and column."""
    axis: Style
    """Axis names."""

    @classmethod
    def of(cls, widget: Widget) -> LabelStyles:
        """The label styles of a heatmap, from its component classes."""
        return cls(
            widget.rich_style,
            widget.get_component_rich_style("heatmap--label"),
            widget.get_component_rich_style("heatmap--label-cursor"),
            widget.get_component_rich_style("heatmap--axis-name"),
        )


def fit_text(text: str, width: int, align: str = "left") -> str:
    """Safe text shortened and padded to exactly `width` terminal cells."""
    if width <= 0:
        return ""
    text = shorten(text, width)
    while cell_len(text) > width:
        text = text[:-1]
    gap = width - cell_len(text)
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def row_label_width(matrix: Matrix) -> int:
    """Cells the row labels and the y-axis name need, at most `LABEL_CAP`."""
    widest = max(
        (cell_len(shorten(label, LABEL_CAP)) for label in matrix.row_labels),
        default=1,
    )
    name = cell_len(shorten(matrix.y_label, LABEL_CAP))
    return max(1, min(max(widest, name), LABEL_CAP))


def finish(segments: list[Segment], width: int, base: Style) -> Strip:
    """A whole line of exactly `width` cells from its segments."""
    return Strip(segments).crop_extend(0, width, base).simplify()


def row_label(text: str, width: int, style: Style, base: Style) -> list[Segment]:
    """A row's tick label, right-aligned in `width` cells, and the gap after it."""
    return [Segment(fit_text(text, width, "right"), style), Segment(" ", base)]


def corner(y_label: str, width: int, styles: LabelStyles) -> list[Segment]:
    """The y-axis name above the row labels, on the tick line."""
    name = fit_text(y_label, width, "right")
    return [Segment(name, styles.axis), Segment(" ", styles.base)]


def axis_name_line(
    x_label: str, label_width: int, shown: int, styles: LabelStyles
) -> list[Segment]:
    """The x-axis name centred over the `shown` cells of the grid."""
    return [
        Segment(" " * label_width, styles.base),
        Segment(fit_text(x_label, max(shown, 0), "center"), styles.axis),
    ]


def title_line(
    x_label: str,
    indicator: str,
    label_width: int,
    room: int,
    styles: LabelStyles,
    name_cap: int | None = None,
) -> list[Segment]:
    """The x-axis name, then the position indicator at the right.

    Args:
        x_label: the x-axis name.
        indicator: where the view is, from `Heatmap.position_text`.
        label_width: cells left of the grid.
        room: cells of the grid area.
        styles: the heatmap's label styles.
        name_cap: the most cells the name is centred over, when the grid is
            narrower than the room left by the indicator.
    """
    name_room = max(0, room - cell_len(indicator) - 2)
    shown = name_room if name_cap is None else min(name_room, name_cap)
    return [
        Segment(" " * label_width, styles.base),
        Segment(fit_text(x_label, shown, "center"), styles.axis),
        Segment(" " * (name_room - shown + 1), styles.base),
        Segment(fit_text(indicator, room - name_room - 1, "right"), styles.label),
    ]


def tick_labels(
    labels: Sequence[str],
    first: int,
    last: int,
    cell_width: int,
    cursor_col: int,
    styles: LabelStyles,
) -> list[Segment]:
    """One segment per column tick label from `first` up to `last`.

    A label leaves a one-cell gap to the next when cells are 3 wide or more.
    """
    tick_room = cell_width - 1 if cell_width >= 3 else cell_width
    gap = " " * (cell_width - tick_room)
    return [
        Segment(
            fit_text(labels[col], tick_room, "center") + gap,
            styles.cursor if col == cursor_col else styles.label,
        )
        for col in range(first, last)
    ]

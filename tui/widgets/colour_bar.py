"""The colour bar: the scale's legend, drawn the way the grid draws its cells."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from tui.numbers import format_value
from tui.scale import ColourScale
from tui.widgets.cell_styles import CellStyles

MISSING_MARK = "·"
"""What a missing cell shows when there is no colour to mark it with."""


def bar_values(scale: ColourScale, width: int) -> np.ndarray:
    """Values spread evenly along the scale's positions, one per legend cell.

    With a centre the two halves stretch differently, so each half of the
    bar covers its own side of the range, exactly as the cells are coloured.
    """
    t = np.linspace(0.0, 1.0, max(width, 0))
    if not math.isfinite(scale.vmax - scale.vmin):
        # A range wider than the largest float: weigh the ends, never subtract.
        middle = scale.middle
        low = scale.vmin * (1 - 2 * t) + middle * (2 * t)
        high = middle * (2 - 2 * t) + scale.vmax * (2 * t - 1)
        return np.where(t <= 0.5, low, high)
    if scale.center is None:
        return scale.vmin + t * (scale.vmax - scale.vmin)
    low = scale.vmin + 2 * t * (scale.center - scale.vmin)
    high = scale.center + (2 * t - 1) * (scale.vmax - scale.center)
    return np.where(t <= 0.5, low, high)


def swatches(styles: CellStyles, width: int) -> list[tuple[str, Style]]:
    """The character and style of each legend cell, as the grid draws that value.

    True colour shows the whole gradient, `256` and `16` the grid's bands,
    and `none` its shade characters from low to high.
    """
    levels = styles.levels(bar_values(styles.scale, width))
    return [(styles.shades[level], styles.normal[level]) for level in levels]


def tick_labels(scale: ColourScale) -> list[str]:
    """The scale's ticks as text, all with the decimals the range needs.

    A range of about 1 gets two decimals (`0.00 0.50 1.00`), wider ranges
    fewer and narrower ones more; very large values use the compact form.
    """
    ticks = scale.ticks()
    span = scale.vmax - scale.vmin
    if not math.isfinite(span):
        return [format_value(tick, 6) for tick in ticks]
    decimals = 2 if span <= 0 else min(max(2 - math.floor(math.log10(span)), 0), 4)
    labels = [f"{tick:.{decimals}f}" for tick in ticks]
    if max(len(label) for label in labels) > 8:
        labels = [format_value(tick, 6) for tick in ticks]
    return labels


def tick_line(scale: ColourScale, width: int) -> str:
    """The tick labels of the scale placed under a bar `width` cells wide.

    Each label is centred on its value's place on the bar, kept inside the
    bar, and left out where it would touch the label before it.
    """
    line = [" "] * width
    if width <= 0:
        return ""

    end = -1
    for tick, text in zip(scale.ticks(), tick_labels(scale), strict=True):
        place = float(scale.positions(np.array([tick]))[0])
        centre = round(place * (width - 1))
        start = min(max(centre - len(text) // 2, 0), max(width - len(text), 0))
        if start <= end + 1 and end >= 0:
            continue
        for offset, char in enumerate(text[: width - start]):
            line[start + offset] = char
        end = start + len(text) - 1
    return "".join(line)


class ColourBar(Widget):
    """The gradient of the scale with its ticks and a swatch for missing cells."""

    DEFAULT_CSS = """
    ColourBar {
        height: 3;
        padding: 0 1;
    }
    """

    def __init__(
        self, scale: ColourScale, *, colour_mode: str = "truecolor", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.scale = scale
        self.colour_mode = colour_mode
        self._cell_styles: tuple[tuple[ColourScale, str], CellStyles] | None = None

    def set_scale(self, scale: ColourScale) -> None:
        """Show another scale."""
        self.scale = scale
        self.refresh()

    def set_colour_mode(self, colour_mode: str) -> None:
        """Draw the legend for another colour mode."""
        self.colour_mode = colour_mode
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        base = self.rich_style
        if y == 0 and width > 0:
            segments = [
                Segment(char, base + style)
                for char, style in swatches(self._styles(), width)
            ]
            return Strip(segments).simplify()
        if y == 1:
            return Strip([Segment(tick_line(self.scale, width), base)])
        if y == 2:
            return self._missing_line(base)
        return Strip.blank(width, base)

    def _styles(self) -> CellStyles:
        """The grid's styles for the current scale and mode, built once."""
        key = (self.scale, self.colour_mode)
        if self._cell_styles is None or self._cell_styles[0] != key:
            self._cell_styles = (key, CellStyles(self.scale, self.colour_mode))
        return self._cell_styles[1]

    def _missing_line(self, base: Style) -> Strip:
        style = base + self._styles().missing
        mark = MISSING_MARK * 2 if self.colour_mode == "none" else "  "
        return Strip([Segment(mark, style), Segment(" missing", base)])

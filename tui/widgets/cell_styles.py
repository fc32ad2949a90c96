"""Prebuilt Rich styles for the heatmap's cells, one set per colour mode.

A cell's look depends only on its colour level, whether it holds the cursor
and whether it is marked. Building those few styles once keeps Rich's style
caches hot and keeps colour choices out of the drawing loop.
"""

from __future__ import annotations

import numpy as np
from rich.color import Color
from rich.style import Style

from tui.scale import (
    LEVELS,
    MISSING_RGB,
    MISSING_TEXT_RGB,
    PALETTE,
    PALETTE_16,
    SHADES,
    TEXT_PALETTE,
    ColourScale,
    ReducedPalette,
    palette_256,
    text_colour,
    xterm_256_rgb,
)

COLOUR_MODES = ("truecolor", "256", "16", "none")
"""The colour modes the heatmap can draw in."""

_CURSOR = Style(reverse=True, bold=True)
_MARKED = Style(bold=True)

_BLACK_256, _WHITE_256 = 16, 231
_BLACK_16, _WHITE_16 = 0, 15

CURSOR_LEVEL = -2
"""The level that stands for the cursor's colour in an overview half block."""

_HALF_BLOCKS_KEPT = 8192
"""More overview styles than a screen of half blocks needs; past it, start over."""

# The overview cursor is a colour off the red-gray-blue scale: gold.
_CURSOR_COLOURS = {
    "truecolor": Color.from_rgb(255, 204, 0),
    "256": Color.from_ansi(220),
    "16": Color.from_ansi(11),
}


def _nearest_xterm(rgb: tuple[int, int, int]) -> int:
    """The xterm colour number (16..255) closest to `rgb`."""
    fixed = xterm_256_rgb().astype(np.int32)
    distance = ((fixed - np.array(rgb)) ** 2).sum(axis=-1)
    return 16 + int(distance.argmin())


def _rgb_colour(rgb: np.ndarray | tuple[int, int, int]) -> Color:
    red, green, blue = (int(c) for c in rgb)
    return Color.from_rgb(red, green, blue)


class CellStyles:
    """The styles of every cell look for one scale and colour mode.

    Attributes:
        colour_mode: one of `COLOUR_MODES`.
        normal: a style per level.
        cursor: the same for the cell under the cursor.
        marked: the same, bold, for an anomaly glyph.
        shades: a shade character per level (only in `none` mode, else spaces).
    """

    def __init__(self, scale: ColourScale, colour_mode: str) -> None:
        if colour_mode not in COLOUR_MODES:
            raise ValueError(f"colour mode must be one of {', '.join(COLOUR_MODES)}")
        self.scale = scale
        self.colour_mode = colour_mode
        self._bands: ReducedPalette | None = None

        pairs = self._colour_pairs()
        self.normal = tuple(Style(color=fg, bgcolor=bg) for fg, bg in pairs[:-1])
        self.cursor = tuple(style + _CURSOR for style in self.normal)
        self.marked = tuple(style + _MARKED for style in self.normal)
        fg, bg = pairs[-1]
        self.missing = Style(color=fg, bgcolor=bg, dim=colour_mode == "none")
        self.missing_cursor = Style(color=fg, bgcolor=bg) + _CURSOR

        if colour_mode == "none":
            self.shades = tuple(SHADES)
        else:
            self.shades = (" ",) * len(self.normal)
        self._half_blocks: dict[tuple[int, int | None, Color | None], Style] = {}

    def _colour_pairs(self) -> list[tuple[Color | None, Color | None]]:
        """(text, background) colours per level, then those of a missing cell."""
        mode = self.colour_mode
        if mode == "truecolor":
            pairs = [
                (_rgb_colour(TEXT_PALETTE[level]), _rgb_colour(PALETTE[level]))
                for level in range(LEVELS)
            ]
            missing = (_rgb_colour(MISSING_TEXT_RGB), _rgb_colour(MISSING_RGB))
            return [*pairs, missing]

        if mode == "none":
            return [(None, None)] * len(SHADES) + [(None, None)]

        self._bands = palette_256() if mode == "256" else PALETTE_16
        black, white = (
            (_BLACK_256, _WHITE_256) if mode == "256" else (_BLACK_16, _WHITE_16)
        )
        pairs = []
        for code, rgb in zip(self._bands.codes, self._bands.rgb, strict=True):
            text = black if text_colour(rgb) == (0, 0, 0) else white
            pairs.append((Color.from_ansi(text), Color.from_ansi(code)))
        if mode == "256":
            missing_bg = Color.from_ansi(_nearest_xterm(MISSING_RGB))
        else:
            missing_bg = Color.from_ansi(_BLACK_16)
        return [*pairs, (Color.from_ansi(white), missing_bg)]

    def levels(self, values: np.ndarray) -> np.ndarray:
        """The style index of each value; -1 marks a missing value."""
        if self.colour_mode == "truecolor":
            return self.scale.levels(values)

        positions = self.scale.positions(values)
        if self._bands is not None:
            return self._bands.band_of(positions)
        missing = np.isnan(positions)
        count = len(SHADES)
        index = np.floor(np.where(missing, 0.0, positions) * count).astype(np.int16)
        index = np.clip(index, 0, count - 1)
        index[missing] = -1
        return index

    def colour_of_level(self, level: int) -> Color | None:
        """The background colour drawn for a level, missing or the cursor."""
        if level == CURSOR_LEVEL:
            return _CURSOR_COLOURS.get(self.colour_mode)
        if level < 0:
            return self.missing.bgcolor
        return self.normal[level].bgcolor

    def half_block(
        self, upper: int, lower: int | None, background: Color | None
    ) -> Style:
        """The style of an overview `▀` showing two levels, one above the other.

        Args:
            upper: the level of the upper half (`-1` missing, `CURSOR_LEVEL`).
            lower: the same for the lower half; `None` when there is no lower
                half, which then shows `background`.
            background: the widget's own background colour.
        """
        key = (upper, lower, background)
        style = self._half_blocks.get(key)
        if style is None:
            below = background if lower is None else self.colour_of_level(lower)
            style = Style(color=self.colour_of_level(upper), bgcolor=below)
            if len(self._half_blocks) >= _HALF_BLOCKS_KEPT:
                self._half_blocks.clear()
            self._half_blocks[key] = style
        return style

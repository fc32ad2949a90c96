"""The heatmap as a standalone vector SVG figure, written without a plotting library.

The figure has a title, the cells with their values when they fit, tick
labels and axis names, a colour bar with the scale's ticks, and outlines on
anomalous cells. Cells are merged into runs of equal colour (`svg_cells`);
sizes and positions come from `svg_layout`.

All text from the matrix passes `safe_text` and XML escaping, and every
number written is finite and rounded, so the same input gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from tui.matrix import Matrix
from tui.numbers import format_value
from tui.scale import LEVELS, MISSING_RGB, PALETTE, TEXT_PALETTE, ColourScale
from tui.svg_cells import cell_shapes, colour_runs, missing_shapes, num
from tui.svg_layout import (
    AXIS_FONT,
    BAR_TICK,
    BAR_WIDTH,
    CHAR_EM,
    MISSING_NAME,
    PAD,
    SWATCH_HEIGHT,
    TICK_FONT,
    TITLE_FONT,
    Layout,
    bar_tick_texts,
    extent,
    plan,
)
from tui.text import safe_text, text_width

FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"
GRADIENT_ID = "heatlens-scale"
MISSING_ID = "heatlens-missing"
HATCH_RGB = (120, 120, 132)
GRADIENT_STEP = 3
"""Every few palette levels become a gradient stop; between them sRGB
interpolation stays within one 8-bit step of the palette."""

MIN_VALUE_FONT = 7.0
"""Below this size values are not printed unless asked for."""
MAX_VALUE_FONT = 12.0
VALUE_HEIGHT_SHARE = 0.45
VALUE_WIDTH_SHARE = 0.85
OUTLINE_MIN = 6.0
"""Anomaly outlines are at least this many px across, even on tiny cells."""

_XML_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&apos;",
        "\ufffe": "&lt;U+FFFE&gt;",
        "\uffff": "&lt;U+FFFF&gt;",
    }
)


def xml_text(text: str) -> str:
    """`text` made safe and escaped for XML content or attribute values.

    Beyond `safe_text`, the two characters XML 1.0 forbids that `safe_text`
    keeps (U+FFFE, U+FFFF) are written as visible `<U+XXXX>` stand-ins.
    """
    return safe_text(text).translate(_XML_ESCAPES)


def hex_colour(rgb: Iterable[int]) -> str:
    red, green, blue = (int(channel) for channel in rgb)
    return f"#{red:02x}{green:02x}{blue:02x}"


def render_svg(
    matrix: Matrix,
    scale: ColourScale,
    *,
    anomalies: Iterable[Any] | None = None,
    show_values: bool | None = None,
    width: float | None = None,
    height: float | None = None,
) -> str:
    """The heatmap of `matrix` as a complete SVG document.

    Args:
        matrix: the matrix to draw; row 0 at the top, column 0 at the left.
        scale: the colour scale, the same one the terminal uses.
        anomalies: records with `row`, `col`, `kind` (and `reason`) whose
            cells get an outline and a tooltip.
        show_values: True prints values in every cell, False in none, None
            only when they fit at a legible size.
        width: the document's width in px instead of the automatic one.
        height: the document's height in px instead of the automatic one.

    Raises:
        ValueError: when the matrix has no cells, or `width` or `height` is
            not a positive finite number.
    """
    if matrix.values.size == 0:
        raise ValueError("a matrix without cells has no figure")
    for name, size in (("width", width), ("height", height)):
        if size is not None and not (math.isfinite(size) and size > 0):
            raise ValueError(f"{name} must be a positive number of px")

    texts = bar_tick_texts(scale.ticks(), matrix.is_counts)
    layout = plan(matrix, texts, width=width, height=height)
    missing = np.isnan(matrix.values)
    runs = colour_runs(scale.rgb(matrix.values), missing)

    parts = [
        _header(matrix, layout),
        _defs(),
        cell_shapes(layout, runs.select(runs.colour >= 0)),
        missing_shapes(layout, runs.select(runs.colour < 0), f"url(#{MISSING_ID})"),
        _values(matrix, scale, layout, show_values),
        _row_labels(layout),
        _col_labels(layout),
        _names(layout),
        _colour_bar(scale, layout),
        _outlines(matrix, layout, anomalies or ()),
        "</svg>\n",
    ]
    return "".join(parts)


def _header(matrix: Matrix, layout: Layout) -> str:
    title = xml_text(matrix.title or "heatmap")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1"'
        f' width="{num(layout.out_width)}" height="{num(layout.out_height)}"'
        f' viewBox="0 0 {num(layout.width)} {num(layout.height)}"'
        f' font-family="{FONT_FAMILY}">\n'
        f"<title>{title}</title>\n"
        f'<rect width="{num(layout.width)}" height="{num(layout.height)}"'
        ' fill="#ffffff"/>\n'
    )


def _defs() -> str:
    """The colour bar's gradient and the hatch that marks missing cells."""
    levels = [*range(0, LEVELS - 1, GRADIENT_STEP), LEVELS - 1]
    stops = "".join(
        f'<stop offset="{num(level / (LEVELS - 1) * 100)}%"'
        f' stop-color="{hex_colour(PALETTE[level])}"/>'
        for level in levels
    )
    return (
        "<defs>\n"
        f'<linearGradient id="{GRADIENT_ID}" x1="0" y1="1" x2="0" y2="0">'
        f"{stops}</linearGradient>\n"
        f'<pattern id="{MISSING_ID}" patternUnits="userSpaceOnUse"'
        ' width="6" height="6" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{hex_colour(MISSING_RGB)}"/>'
        f'<rect width="1.5" height="6" fill="{hex_colour(HATCH_RGB)}"/>'
        "</pattern>\n</defs>\n"
    )


def _values(
    matrix: Matrix, scale: ColourScale, layout: Layout, show_values: bool | None
) -> str:
    """Each present value printed in its cell, black or white for contrast."""
    largest = min(MAX_VALUE_FONT, VALUE_HEIGHT_SHARE * layout.cell_h)
    if show_values is False or (show_values is None and largest < MIN_VALUE_FONT):
        return ""
    present = ~np.isnan(matrix.values)
    if not present.any():
        return ""

    values = matrix.values[present]
    unique, inverse = np.unique(values, return_inverse=True)
    labels = [format_value(v, 4, counts=matrix.is_counts) for v in unique.tolist()]
    longest = max(max(text_width(label) for label in labels), 1)
    font = min(largest, VALUE_WIDTH_SHARE * layout.cell_w / (CHAR_EM * longest))
    if show_values is None and font < MIN_VALUE_FONT:
        return ""
    font = max(font, 1.0)

    rows, cols = np.nonzero(present)
    xs = layout.grid_x + (cols + 0.5) * layout.cell_w
    ys = layout.grid_y + (rows + 0.5) * layout.cell_h + 0.35 * font
    white = TEXT_PALETTE[np.maximum(scale.levels(values), 0), 0] > 127
    escaped = [xml_text(label) for label in labels]
    groups = []
    for fill, chosen in (("#000000", ~white), ("#ffffff", white)):
        if not chosen.any():
            continue
        body = "\n".join(
            f'<text x="{num(x)}" y="{num(y)}">{escaped[i]}</text>'
            for x, y, i in zip(
                xs[chosen].tolist(),
                ys[chosen].tolist(),
                inverse[chosen].tolist(),
                strict=True,
            )
        )
        groups.append(
            f'<g class="values" fill="{fill}" font-size="{num(font)}"'
            f' text-anchor="middle">\n{body}\n</g>\n'
        )
    return "".join(groups)


def _row_labels(layout: Layout) -> str:
    x = num(layout.grid_x - 5.0)
    body = "\n".join(
        f'<text x="{x}" y="{num(_row_middle(layout, row) + 0.35 * TICK_FONT)}">'
        f"{xml_text(layout.row_texts[row])}</text>"
        for row in range(0, layout.rows, layout.row_step)
    )
    return (
        f'<g class="row-labels" font-size="{num(TICK_FONT)}" text-anchor="end">\n'
        f"{body}\n</g>\n"
    )


def _row_middle(layout: Layout, row: int) -> float:
    return layout.grid_y + (row + 0.5) * layout.cell_h


def _col_middle(layout: Layout, col: int) -> float:
    return layout.grid_x + (col + 0.5) * layout.cell_w


def _col_labels(layout: Layout) -> str:
    """Column tick labels: across, or reading upwards when that shows more."""
    top = layout.col_label_y
    lines = []
    for col in range(0, layout.cols, layout.col_step):
        text = xml_text(layout.col_texts[col])
        if layout.cols_rotated:
            x = num(_col_middle(layout, col) + 0.35 * TICK_FONT)
            y = num(top)
            lines.append(
                f'<text x="{x}" y="{y}" transform="rotate(-90 {x} {y})">{text}</text>'
            )
        else:
            x = num(_col_middle(layout, col))
            lines.append(
                f'<text x="{x}" y="{num(top + TICK_FONT * 0.85)}">{text}</text>'
            )
    anchor = "end" if layout.cols_rotated else "middle"
    return (
        f'<g class="col-labels" font-size="{num(TICK_FONT)}" text-anchor="{anchor}">\n'
        + "\n".join(lines)
        + "\n</g>\n"
    )


def _names(layout: Layout) -> str:
    """The title above the grid and the axis names beside it."""
    parts = []
    if layout.title:
        half = extent(layout.title, TITLE_FONT) / 2
        middle = layout.grid_x + layout.grid_w / 2
        x = min(max(middle, PAD + half), layout.width - PAD - half)
        parts.append(
            f'<text class="title" x="{num(x)}" y="{num(PAD + TITLE_FONT)}"'
            f' font-size="{num(TITLE_FONT)}" font-weight="bold"'
            f' text-anchor="middle">{xml_text(layout.title)}</text>\n'
        )
    if layout.x_name:
        x = layout.grid_x + layout.grid_w / 2
        parts.append(
            f'<text class="x-name" x="{num(x)}" y="{num(layout.x_name_y)}"'
            f' font-size="{num(AXIS_FONT)}" text-anchor="middle">'
            f"{xml_text(layout.x_name)}</text>\n"
        )
    if layout.y_name:
        x = num(PAD + AXIS_FONT)
        y = num(layout.grid_y + layout.grid_h / 2)
        parts.append(
            f'<text class="y-name" x="{x}" y="{y}" transform="rotate(-90 {x} {y})"'
            f' font-size="{num(AXIS_FONT)}" text-anchor="middle">'
            f"{xml_text(layout.y_name)}</text>\n"
        )
    return "".join(parts)


def _colour_bar(scale: ColourScale, layout: Layout) -> str:
    """The gradient with a tick per `scale.ticks()`, and the missing swatch."""
    left, top, height = layout.bar_x, layout.bar_y, layout.bar_h
    tick_x = left + BAR_WIDTH
    label_x = num(tick_x + BAR_TICK + 3.0)
    positions = np.nan_to_num(scale.positions(np.array(scale.ticks())), nan=0.5)
    parts = [
        f'<g class="colour-bar" font-size="{num(TICK_FONT)}">\n'
        f'<rect x="{num(left)}" y="{num(top)}" width="{num(BAR_WIDTH)}"'
        f' height="{num(height)}" fill="url(#{GRADIENT_ID})"/>\n'
    ]
    for position, text in zip(positions.tolist(), layout.bar_texts, strict=True):
        y = top + height * (1.0 - position)
        parts.append(
            f'<line x1="{num(tick_x)}" y1="{num(y)}" x2="{num(tick_x + BAR_TICK)}"'
            f' y2="{num(y)}" stroke="#000000"/>'
            f'<text x="{label_x}" y="{num(y + 0.35 * TICK_FONT)}">'
            f"{xml_text(text)}</text>\n"
        )
    if layout.has_missing:
        y = top + height + TICK_FONT / 2
        parts.append(
            f'<rect x="{num(left)}" y="{num(y)}" width="{num(BAR_WIDTH)}"'
            f' height="{num(SWATCH_HEIGHT)}" fill="url(#{MISSING_ID})"/>'
            f'<text x="{label_x}" y="{num(y + SWATCH_HEIGHT / 2 + 0.35 * TICK_FONT)}">'
            f"{MISSING_NAME}</text>\n"
        )
    parts.append("</g>\n")
    return "".join(parts)


def _outlines(matrix: Matrix, layout: Layout, anomalies: Iterable[Any]) -> str:
    """A black-white-black outline and a tooltip on each anomalous cell."""
    width = max(layout.cell_w, OUTLINE_MIN)
    height = max(layout.cell_h, OUTLINE_MIN)
    parts = []
    for anomaly in anomalies:
        row, col = int(anomaly.row), int(anomaly.col)
        if not (0 <= row < layout.rows and 0 <= col < layout.cols):
            continue
        tip = f"{matrix.describe_cell(row, col)}: {anomaly.kind}"
        reason = getattr(anomaly, "reason", "")
        if reason:
            tip = f"{tip}: {reason}"
        box = (
            f' x="{num(_col_middle(layout, col) - width / 2)}"'
            f' y="{num(_row_middle(layout, row) - height / 2)}"'
            f' width="{num(width)}" height="{num(height)}"'
        )
        parts.append(
            f'<g class="anomaly"><title>{xml_text(tip)}</title>'
            f'<rect{box} stroke="#000000" stroke-width="3"/>'
            f'<rect{box} stroke="#ffffff" stroke-width="1"/></g>\n'
        )
    if not parts:
        return ""
    return '<g class="anomalies" fill="none">\n' + "".join(parts) + "</g>\n"

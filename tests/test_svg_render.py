"""The exported SVG as a real renderer paints it (cairosvg, a test extra)."""

from __future__ import annotations

import io

import pytest

from tui.scale import ColourScale
from tui.svg import render_svg
from tui.svg_layout import plan

try:
    import cairosvg
    from PIL import Image
except (ImportError, OSError) as error:
    pytest.skip(f"cairosvg cannot run here: {error}", allow_module_level=True)


def test_cairosvg_paints_the_cells_in_the_scale_colours(sample_matrix):
    scale = ColourScale.for_values(sample_matrix.values)
    svg = render_svg(sample_matrix, scale, show_values=False)
    layout = plan(sample_matrix, ["0.00", "0.50", "1.00"])

    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"))
    image = Image.open(io.BytesIO(png)).convert("RGB")

    for row, col in [(0, 0), (4, 4), (2, 1)]:
        x = layout.grid_x + (col + 0.5) * layout.cell_w
        y = layout.grid_y + (row + 0.5) * layout.cell_h
        painted = image.getpixel((int(x), int(y)))
        assert painted == scale.colour_of(sample_matrix.value(row, col))

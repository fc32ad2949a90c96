"""Cells merged into runs of equal colour, and the SVG shapes that draw them.

Horizontally adjacent cells whose 8-bit colours are identical become one
run, and identical consecutive rows become one band of runs. Up to
`RECT_LIMIT` runs, each is its own `<rect class="cell">`, easy to pick out
and edit; beyond that each colour is one `<path class="cell-runs">` of
rectangles, which costs about a third of the bytes per run.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from tui.svg_layout import Layout

RECT_LIMIT = 10_000
"""Up to this many runs, each is its own `<rect>`; beyond, one path per colour."""


def num(value: float) -> str:
    """A coordinate or size: rounded to 2 decimals, no trailing zeros.

    Raises:
        ValueError: for NaN or infinity, which must never reach the document.
    """
    if not math.isfinite(value):
        raise ValueError(f"not a finite coordinate: {value}")
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class Runs:
    """Rectangles of equal colour in cell units; `colour` -1 marks missing."""

    x: np.ndarray
    y: np.ndarray
    width: np.ndarray
    height: np.ndarray
    colour: np.ndarray
    """The colour packed as 0xRRGGBB."""

    def rows(self) -> list[tuple[int, int, int, int, int]]:
        """The runs as `(x, y, width, height, colour)` tuples of ints."""
        return list(
            zip(
                self.x.tolist(),
                self.y.tolist(),
                self.width.tolist(),
                self.height.tolist(),
                self.colour.tolist(),
                strict=True,
            )
        )

    def select(self, keep: np.ndarray) -> Runs:
        return Runs(
            self.x[keep],
            self.y[keep],
            self.width[keep],
            self.height[keep],
            self.colour[keep],
        )


def colour_runs(colours: np.ndarray, missing: np.ndarray) -> Runs:
    """Merge cells into runs of equal colour along rows, then equal rows.

    Args:
        colours: (rows, cols, 3) uint8 colours.
        missing: (rows, cols) booleans; missing cells form their own runs.
    """
    wide = colours.astype(np.int32)
    packed = (wide[..., 0] << 16) | (wide[..., 1] << 8) | wide[..., 2]
    packed[missing] = -1
    rows, cols = packed.shape

    fresh = np.ones(rows, dtype=bool)
    fresh[1:] = np.any(packed[1:] != packed[:-1], axis=1)
    band_rows = np.flatnonzero(fresh)
    band_heights = np.diff(np.append(band_rows, rows))
    bands = packed[band_rows]

    change = np.ones(bands.shape, dtype=bool)
    change[:, 1:] = bands[:, 1:] != bands[:, :-1]
    starts = np.flatnonzero(change)
    lengths = np.diff(np.append(starts, change.size))
    band, x = np.divmod(starts, cols)
    return Runs(x, band_rows[band], lengths, band_heights[band], bands.ravel()[starts])


_RECT = '<rect class="cell" x="%d" y="%d" width="%d" height="%d" fill="#%06x"/>'
_SUBPATH = "M%d %dh%dv%dh-%dz"


def cell_shapes(layout: Layout, runs: Runs) -> str:
    """The present cells, in cell units inside one scaled group."""
    head = (
        f'<g class="cells" transform="translate({num(layout.grid_x)}'
        f' {num(layout.grid_y)}) scale({num(layout.cell_w)} {num(layout.cell_h)})"'
        ' shape-rendering="crispEdges">\n'
    )
    if len(runs.x) <= RECT_LIMIT:
        return head + "\n".join(map(_RECT.__mod__, runs.rows())) + "\n</g>\n"

    ordered = runs.select(np.argsort(runs.colour, kind="stable"))
    bounds = np.flatnonzero(np.diff(ordered.colour)) + 1
    edges = [0, *bounds.tolist(), len(ordered.x)]
    x, y = ordered.x.tolist(), ordered.y.tolist()
    width, height = ordered.width.tolist(), ordered.height.tolist()
    colours = ordered.colour.tolist()
    paths = []
    for start, stop in itertools.pairwise(edges):
        run_width = width[start:stop]
        d = "".join(
            map(
                _SUBPATH.__mod__,
                zip(
                    x[start:stop],
                    y[start:stop],
                    run_width,
                    height[start:stop],
                    run_width,
                    strict=True,
                ),
            )
        )
        paths.append(f'<path class="cell-runs" fill="#{colours[start]:06x}" d="{d}"/>')
    return head + "\n".join(paths) + "\n</g>\n"


def missing_shapes(layout: Layout, runs: Runs, fill: str) -> str:
    """Missing cells in px, hatched so they never read as a value."""
    if len(runs.x) == 0:
        return ""
    cell_w, cell_h = layout.cell_w, layout.cell_h
    rects = "\n".join(
        f'<rect x="{num(layout.grid_x + x * cell_w)}"'
        f' y="{num(layout.grid_y + y * cell_h)}"'
        f' width="{num(width * cell_w)}" height="{num(height * cell_h)}"/>'
        for x, y, width, height, _ in runs.rows()
    )
    return f'<g class="missing" fill="{fill}">\n{rects}\n</g>\n'

"""Numbers at the edges, through the whole tool: file, scale, report, SVG, screen.

Each matrix is written as a CSV file and read by the loader, so the numbers
take the path a user's file takes. Then the colour scale, the anomaly report
(strict JSON), the exported SVG and the explorer must all cope: no division
by zero, no `nan` or `inf` in an SVG attribute, no `NaN` token in JSON, and
colours and legend that still make sense.
"""

from __future__ import annotations

import json
import math
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from tui.app import HeatlensApp
from tui.cli import main
from tui.colour_mode import ColourMode
from tui.loaders import load
from tui.numbers import format_full, format_value
from tui.scale import MISSING_RGB, PALETTE, ColourScale
from tui.widgets.heatmap import Heatmap
from tui.widgets.inspector import Inspector

nan, inf = math.nan, math.inf

EDGES = {
    "1x1": [[0.42]],
    "1x1 missing": [[nan]],
    "1x1 infinite": [[inf]],
    "all missing": [[nan, nan, nan]] * 3,
    "constant": [[4.0, 4.0], [4.0, 4.0]],
    "constant zero": [[0.0, -0.0], [-0.0, 0.0]],
    "infinities": [[inf, -inf, 1.0], [0.5, nan, 0.0], [0.2, 0.1, 0.9]],
    "only infinities": [[inf, -inf], [-inf, inf]],
    "huge": [[1e308, -1e308], [1.7e308, 0.0]],
    "huge positive": [[1e308, 1.7e308], [1.5e308, 1.79e308]],
    "denormals": [[5e-324, -0.0], [1e-310, 2.2e-308]],
    "one finite among missing": [[nan, nan], [nan, 3.0]],
    "huge counts": [[1e18, 3.0], [0.0, 7e15]],
    "counts with a zero row": [[0.0, 0.0, 0.0], [1.0, 5.0, 0.0], [0.0, 2.0, 8.0]],
}

NON_FINITE = re.compile(r"(?i)\b-?(nan|inf|infinity)\b")


def _cell(value: float) -> str:
    if math.isnan(value):
        return "nan"
    return repr(value)


@pytest.fixture(params=list(EDGES), ids=list(EDGES))
def edge_file(request, tmp_path) -> Path:
    """One matrix of `EDGES` written as a CSV file, plain numbers only."""
    path = tmp_path / "edge.csv"
    rows = EDGES[request.param]
    path.write_text("\n".join(",".join(_cell(v) for v in row) for row in rows) + "\n")
    return path


@pytest.fixture
def wanted(request, edge_file) -> np.ndarray:
    """The values `edge_file` holds, as the loader should read them."""
    name = request.node.callspec.params["edge_file"]
    return np.array(EDGES[name], dtype=float)


def test_the_loader_keeps_every_value_bit_for_bit(edge_file, wanted):
    values = load(edge_file).values

    np.testing.assert_array_equal(values, wanted)
    assert np.array_equal(np.signbit(values), np.signbit(wanted))


def test_the_scale_is_finite_ordered_and_colours_every_cell(edge_file):
    values = load(edge_file).values

    scale = ColourScale.for_values(values)
    positions = scale.positions(values)
    rgb = scale.rgb(values)

    assert all(math.isfinite(v) for v in (scale.vmin, scale.vmax, scale.middle))
    assert scale.vmin <= scale.middle <= scale.vmax
    finite = np.isfinite(values)
    assert np.all((positions[finite] >= 0) & (positions[finite] <= 1))
    assert np.isnan(positions[np.isnan(values)]).all()
    palette = {tuple(int(c) for c in colour) for colour in PALETTE}
    for value, colour in zip(values.ravel(), rgb.reshape(-1, 3), strict=True):
        if math.isnan(value):
            assert tuple(colour) == tuple(MISSING_RGB)
        else:
            assert tuple(int(c) for c in colour) in palette
    ticks = scale.ticks()
    assert ticks and all(math.isfinite(t) for t in ticks)
    assert ticks == sorted(ticks)


def test_infinities_take_the_ends_of_the_scale(edge_file):
    values = load(edge_file).values
    scale = ColourScale.for_values(values)

    for value in (inf, -inf):
        if value in values:
            end = tuple(PALETTE[-1] if value > 0 else PALETTE[0])
            assert scale.colour_of(value) == tuple(int(c) for c in end)


def test_cell_text_is_short_and_never_says_nan(edge_file):
    values = load(edge_file).values

    for value in values.ravel():
        compact = format_value(float(value), width=4)
        full = format_full(float(value))
        assert len(compact) <= 6
        assert full and "nan" not in full.lower().replace("missing", "")


def _strict(token: str) -> float:
    raise AssertionError(f"{token} in JSON")


def test_the_json_report_is_strict(edge_file, capsys):
    code = main(["anomalies", str(edge_file), "--json"])

    out = capsys.readouterr().out
    assert code == 0
    report = json.loads(out, parse_constant=_strict)
    for anomaly in report["anomalies"]:
        for key in ("value", "expected"):
            assert anomaly[key] is None or math.isfinite(anomaly[key])
        assert math.isfinite(anomaly["score"])


def test_the_table_report_reads_without_nan(edge_file, capsys):
    code = main(["anomalies", str(edge_file)])

    out = capsys.readouterr().out
    assert code == 0
    assert "nan" not in out.lower().replace("missing", "")


@pytest.mark.parametrize("options", [[], ["--values", "--anomalies"]], ids=str)
def test_the_figure_has_no_non_finite_attribute(edge_file, tmp_path, options):
    output = tmp_path / "figure.svg"

    code = main(["export", str(edge_file), "-o", str(output), *options])

    assert code == 0
    root = ET.fromstring(output.read_bytes())
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not NON_FINITE.search(value), (element.tag, name, value)
    legend = [t.text or "" for t in root.iter() if t.tag.endswith("text")]
    assert not any(NON_FINITE.search(text) for text in legend if "∞" not in text)


async def test_the_explorer_walks_every_cell(edge_file, settle):
    matrix = load(edge_file)
    app = HeatlensApp(
        matrix, scale=None, colour_mode=ColourMode("truecolor", "chosen in a test")
    )

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("G", "g", "right", "down", "t", "o", "percent_sign", "z")
        await settle(pilot)
        heatmap = app.query_one(Heatmap)
        inspector = app.query_one(Inspector)
        texts = [
            inspector.describe(row, col).plain
            for row in range(matrix.n_rows)
            for col in range(matrix.n_cols)
        ]
        row, col = heatmap.cursor

    assert 0 <= row < heatmap.matrix.n_rows and 0 <= col < heatmap.matrix.n_cols
    assert all("nan" not in text.lower().replace("missing", "") for text in texts)


@pytest.mark.parametrize("name", ["all missing", "only infinities", "huge"])
def test_a_screenshot_of_the_hardest_edges(tmp_path, name):
    source = tmp_path / "edge.csv"
    rows = EDGES[name]
    source.write_text("\n".join(",".join(_cell(v) for v in row) for row in rows))
    output = tmp_path / "screen.svg"

    code = main(["screenshot", str(source), "-o", str(output), "--size", "80x24"])

    assert code == 0
    ET.fromstring(output.read_bytes())


def test_a_legend_wider_than_the_largest_float():
    """Regression: a range past 1.8e308 crashed the explorer's colour bar.

    `tick_labels` took `log10(inf)` of the overflowing span, and `bar_values`
    multiplied it by zero into NaN.
    """
    from tui.widgets.colour_bar import bar_values, tick_labels, tick_line

    for center in (None, 0.0):
        scale = ColourScale(-1e308, 1.7e308, center)

        values = bar_values(scale, 9)
        line = tick_line(scale, 30)

        assert np.isfinite(values).all() and values[0] == -1e308
        assert values[-1] == 1.7e308 and np.all(np.diff(values) > 0)
        assert len(tick_labels(scale)) == len(scale.ticks())
        assert "-1e308" in line and len(line) == 30


@pytest.mark.parametrize("normalisation", ["none", "row", "column", "total"])
def test_the_commands_warn_of_nothing(edge_file, tmp_path, capfd, normalisation):
    """Sums that overflow are shown as they are, not warned about."""
    source = str(edge_file)
    shares = ["--normalize", normalisation]

    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        codes = [
            main(["anomalies", source, *shares]),
            main(["export", source, "-o", str(tmp_path / "f.svg"), *shares]),
            main(["screenshot", source, "-o", str(tmp_path / "s.svg"), *shares]),
        ]

    assert codes == [0, 0, 0]
    assert [str(warning.message) for warning in warned] == []
    assert capfd.readouterr().err == ""

"""The SVG figure writer: valid XML, the right cells and colours, safe text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.matrix import Matrix
from tui.numbers import format_value
from tui.scale import MISSING_RGB, PALETTE, ColourScale
from tui.svg import hex_colour, render_svg, xml_text
from tui.svg_cells import RECT_LIMIT, num
from tui.svg_layout import TICK_FONT, extent, plan
from tui.text import safe_text

NS = {"svg": "http://www.w3.org/2000/svg"}
SUBPATH = re.compile(r"M(\d+) (\d+)h(\d+)v(\d+)h-(\d+)z")


def draw(matrix: Matrix, **options) -> tuple[str, ET.Element]:
    scale = options.pop("scale", None) or ColourScale.for_values(matrix.values)
    svg = render_svg(matrix, scale, **options)
    return svg, ET.fromstring(svg.encode("utf-8"))


def group(root: ET.Element, name: str) -> ET.Element | None:
    return root.find(f".//svg:g[@class='{name}']", NS)


def texts(root: ET.Element, name: str) -> list[str]:
    """The text of every element in every group of class `name`."""
    found = root.findall(f".//svg:g[@class='{name}']", NS)
    return [text.text or "" for each in found for text in each]


def painted_grid(root: ET.Element, shape: tuple[int, int]) -> np.ndarray:
    """Rebuild each cell's fill from the shapes; every cell must be painted once."""
    grid = np.full(shape, "", dtype=object)
    cells = group(root, "cells")
    for rect in cells.findall("svg:rect", NS):
        x, y, w, h = (int(rect.get(k)) for k in ("x", "y", "width", "height"))
        assert (grid[y : y + h, x : x + w] == "").all()
        grid[y : y + h, x : x + w] = rect.get("fill")
    for path in cells.findall("svg:path", NS):
        assert SUBPATH.sub("", path.get("d")) == ""
        for x, y, w, h, back in SUBPATH.findall(path.get("d")):
            x, y, w, h = int(x), int(y), int(w), int(h)
            assert int(back) == w
            assert (grid[y : y + h, x : x + w] == "").all()
            grid[y : y + h, x : x + w] = path.get("fill")

    missing = group(root, "missing")
    transform = cells.get("transform")
    left, top, cell_w, cell_h = map(float, re.findall(r"[\d.]+", transform))
    for rect in [] if missing is None else missing.findall("svg:rect", NS):
        x = round((float(rect.get("x")) - left) / cell_w)
        y = round((float(rect.get("y")) - top) / cell_h)
        w = round(float(rect.get("width")) / cell_w)
        h = round(float(rect.get("height")) / cell_h)
        assert (grid[y : y + h, x : x + w] == "").all()
        grid[y : y + h, x : x + w] = "missing"
    return grid


def expected_grid(matrix: Matrix, scale: ColourScale) -> np.ndarray:
    colours = scale.rgb(matrix.values)
    grid = np.array(
        [[hex_colour(colour) for colour in row] for row in colours], dtype=object
    )
    grid[np.isnan(matrix.values)] = "missing"
    return grid


def test_sample_parses_and_names_its_parts(sample_matrix):
    _, root = draw(sample_matrix)

    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("svg:title", NS).text == "Accuracy"
    assert root.find(".//svg:text[@class='title']", NS).text == "Accuracy"
    assert root.find(".//svg:text[@class='x-name']", NS).text == "digit_a"
    assert root.find(".//svg:text[@class='y-name']", NS).text == "digit_b"
    assert texts(root, "row-labels") == ["1", "2", "3", "4", "5"]
    assert texts(root, "col-labels") == ["1", "2", "3", "4", "5"]


def test_distinct_cells_are_one_rect_each_with_the_scale_colour():
    values = np.linspace(0.0, 1.0, 12).reshape(3, 4)
    matrix = Matrix(values)
    scale = ColourScale.for_values(values)

    _, root = draw(matrix, scale=scale)
    rects = root.findall(".//svg:rect[@class='cell']", NS)

    assert len(rects) == 12
    for rect in rects:
        row, col = int(rect.get("y")), int(rect.get("x"))
        assert (rect.get("width"), rect.get("height")) == ("1", "1")
        assert rect.get("fill") == hex_colour(scale.colour_of(values[row, col]))


def test_row_zero_is_at_the_top_and_column_zero_at_the_left():
    values = np.array([[0.0, 1.0], [1.0, 1.0]])
    _, root = draw(Matrix(values))

    red = root.find(".//svg:rect[@class='cell']", NS)

    assert (red.get("x"), red.get("y")) == ("0", "0")
    assert red.get("fill") == hex_colour(PALETTE[0])


def test_equal_colours_merge_along_rows_and_down_identical_rows():
    values = np.array(
        [
            [0.1, 0.1, 0.1, 0.9],
            [0.1, 0.1, 0.1, 0.9],
            [0.5, 0.5, 0.9, 0.9],
        ]
    )
    matrix = Matrix(values)
    scale = ColourScale.for_values(values)

    _, root = draw(matrix, scale=scale)
    rects = root.findall(".//svg:rect[@class='cell']", NS)

    assert len(rects) == 4
    assert (painted_grid(root, values.shape) == expected_grid(matrix, scale)).all()


def test_large_figures_draw_one_path_per_colour_with_the_same_cells():
    rng = np.random.default_rng(7)
    values = rng.random((110, 110))
    values[rng.random(values.shape) < 0.05] = np.nan
    values[40:43] = 0.25
    matrix = Matrix(values)
    scale = ColourScale.for_values(values)

    _, root = draw(matrix, scale=scale)
    paths = root.findall(".//svg:path[@class='cell-runs']", NS)

    assert values.size > RECT_LIMIT
    assert root.find(".//svg:rect[@class='cell']", NS) is None
    assert len({path.get("fill") for path in paths}) == len(paths)
    assert (painted_grid(root, values.shape) == expected_grid(matrix, scale)).all()


def test_missing_cells_are_hatched_and_never_drawn_as_a_value():
    values = np.array([[0.2, np.nan], [np.nan, np.nan]])
    matrix = Matrix(values)
    scale = ColourScale.for_values(values)

    svg, root = draw(matrix, scale=scale, show_values=True)
    fills = {rect.get("fill") for rect in root.iter(f"{{{NS['svg']}}}rect")}

    assert (painted_grid(root, values.shape) == expected_grid(matrix, scale)).all()
    assert hex_colour(MISSING_RGB) in svg
    assert group(root, "missing").get("fill") == "url(#heatlens-missing)"
    assert "url(#heatlens-missing)" in fills
    assert texts(root, "values") == ["0.20"]


def test_values_follow_the_show_values_choice(sample_matrix, counts_matrix):
    _, shown = draw(sample_matrix)
    _, hidden = draw(sample_matrix, show_values=False)
    _, counts = draw(counts_matrix)
    _, crowded = draw(Matrix(np.random.default_rng(1).random((200, 200))))

    assert len(texts(shown, "values")) == 25
    assert "0.97" in texts(shown, "values")
    assert texts(hidden, "values") == []
    assert sorted(texts(counts, "values")) == sorted(
        format_value(v, 4, counts=True) for v in counts_matrix.values.ravel()
    )
    assert texts(crowded, "values") == []


def test_forced_values_print_even_in_tiny_cells():
    matrix = Matrix(np.random.default_rng(2).random((60, 60)))

    _, root = draw(matrix, show_values=True)

    assert len(texts(root, "values")) == 3600


def test_value_text_contrasts_with_its_cell(sample_matrix):
    _, root = draw(sample_matrix)
    fill_of = {}
    for values in root.findall(".//svg:g[@class='values']", NS):
        for text in values:
            fill_of.setdefault(text.text, values.get("fill"))

    assert fill_of["1.00"] == "#ffffff"
    assert fill_of["0.57"] == "#000000"


def test_hostile_labels_read_back_as_their_safe_text():
    hostile = ["<b>&amp;</b>", 'say "hi"', "it's", "\x1b[31mred\x07", "🎉 中文"]
    matrix = Matrix(
        np.eye(5),
        row_labels=tuple(hostile),
        col_labels=tuple(reversed(hostile)),
        title="</svg><script>alert(1)</script>",
        x_label="x & <y>",
        y_label="\x00\x9b\u202e",
    )

    svg, root = draw(matrix)

    assert "<script>" not in svg
    assert "\x1b" not in svg and "\x00" not in svg and "\x9b" not in svg
    assert texts(root, "row-labels") == [safe_text(s) for s in hostile]
    assert texts(root, "col-labels") == [safe_text(s) for s in reversed(hostile)]
    assert root.find("svg:title", NS).text == matrix.title
    assert root.find(".//svg:text[@class='x-name']", NS).text == "x & <y>"
    assert root.find(".//svg:text[@class='y-name']", NS).text == safe_text(
        matrix.y_label
    )


def _readable(text: str) -> str:
    return safe_text(text).replace("\ufffe", "<U+FFFE>").replace("\uffff", "<U+FFFF>")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_survives_escaping(text):
    document = f'<t a="{xml_text(text)}">{xml_text(text)}</t>'.encode()

    element = ET.fromstring(document)

    assert (element.text or "") == _readable(text)
    assert element.get("a") == _readable(text)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=30))
def test_any_title_survives_a_whole_figure(text):
    _, root = draw(Matrix(np.array([[0.5]]), title=text))

    assert (root.find("svg:title", NS).text or "") == _readable(text or "heatmap")


def test_same_input_gives_the_same_bytes(sample_matrix):
    big = np.random.default_rng(3).random((120, 90))
    anomalies = [SimpleNamespace(row=1, col=2, kind="dip", reason="low")]
    options = {"anomalies": anomalies, "show_values": True}

    first = render_svg(sample_matrix, ColourScale(), **options)
    again = render_svg(
        sample_matrix.with_names(title="Accuracy"), ColourScale(), **options
    )

    assert first == again
    assert render_svg(Matrix(big), ColourScale()) == render_svg(
        Matrix(big.copy()), ColourScale()
    )


EDGES = {
    "one missing": [[np.nan]],
    "all missing": [[np.nan] * 3] * 3,
    "constant": [[4.0, 4.0], [4.0, 4.0]],
    "one cell": [[0.3]],
    "infinities": [[np.inf, -np.inf], [1.0, np.nan]],
    "huge": [[1e308, -1e308], [1.7e308, 0.0]],
    "tiny": [[5e-324, -0.0], [1e-310, 2e-308]],
    "huge counts": [[1e18, 3.0], [0.0, 7e15]],
}


@pytest.mark.parametrize("name", EDGES)
@pytest.mark.parametrize("size", [None, (1.0, 1.0), (50.0, None), (None, 9000.0)])
def test_edge_numbers_never_write_nan_or_inf(name, size):
    values = np.array(EDGES[name], dtype=float)
    width, height = size or (None, None)

    svg, root = draw(Matrix(values), width=width, height=height, show_values=True)

    for element in root.iter():
        for attribute in element.attrib.values():
            assert "nan" not in attribute.lower()
            assert "inf" not in attribute.lower()
    assert svg.startswith("<?xml")


def test_a_centre_off_the_middle_keeps_the_colour_bar_in_order():
    values = np.array([[0.0, 0.2, 1.0]])
    scale = ColourScale.for_values(values, center=0.2)

    _, root = draw(Matrix(values), scale=scale)
    bar = group(root, "colour-bar")
    ys = [float(line.get("y1")) for line in bar.findall("svg:line", NS)]

    assert [t.text for t in bar.findall("svg:text", NS)] == ["0.00", "0.20", "1.00"]
    assert ys == sorted(ys, reverse=True)
    assert ys[1] == pytest.approx((ys[0] + ys[2]) / 2)


def test_colour_bar_gradient_uses_the_palette():
    _, root = draw(Matrix(np.eye(3)))

    stops = root.findall(".//svg:linearGradient/svg:stop", NS)

    assert stops[0].get("stop-color") == hex_colour(PALETTE[0])
    assert stops[-1].get("stop-color") == hex_colour(PALETTE[-1])
    assert stops[-1].get("offset") == "100%"


def test_row_labels_are_thinned_so_they_never_overlap():
    _, root = draw(Matrix(np.random.default_rng(4).random((300, 300))))
    rows = group(root, "row-labels").findall("svg:text", NS)
    ys = [float(t.get("y")) for t in rows]

    assert 3 <= len(rows) < 300
    assert min(np.diff(ys)) >= TICK_FONT
    assert rows[1].text == "5" or int(rows[1].text) % 5 == 0


def test_long_column_labels_turn_upright_and_keep_apart():
    labels = tuple(f"a rather long class name {i}" for i in range(40))
    _, root = draw(Matrix(np.eye(40), col_labels=labels, row_labels=labels))
    cols = group(root, "col-labels")
    xs = [float(t.get("x")) for t in cols.findall("svg:text", NS)]

    assert cols.get("text-anchor") == "end"
    assert all("rotate(-90" in t.get("transform") for t in cols)
    assert min(np.diff(xs)) >= TICK_FONT
    assert all(len(t.text) <= 24 and t.text.endswith("…") for t in cols)


def test_short_column_labels_lie_flat_without_touching():
    labels = tuple(f"c{i}" for i in range(20))
    matrix = Matrix(np.eye(20), col_labels=labels)
    _, root = draw(matrix)
    cols = group(root, "col-labels").findall("svg:text", NS)
    xs = [float(t.get("x")) for t in cols]
    widest = max(extent(t.text, TICK_FONT) for t in cols)

    assert all(t.get("transform") is None for t in cols)
    assert min(np.diff(xs)) > widest


def test_anomalies_get_outlines_and_tooltips(sample_matrix):
    found = [
        SimpleNamespace(row=4, col=4, kind="dip", reason="far below <diagonal>"),
        SimpleNamespace(row=9, col=0, kind="dip", reason="outside the matrix"),
    ]

    _, root = draw(sample_matrix, anomalies=found)
    outlines = root.findall(".//svg:g[@class='anomaly']", NS)

    assert len(outlines) == 1
    assert outlines[0].find("svg:title", NS).text == (
        "digit_b=5, digit_a=5: dip: far below <diagonal>"
    )
    assert len(outlines[0].findall("svg:rect", NS)) == 2


def test_requested_size_is_the_document_size(sample_matrix):
    _, both = draw(sample_matrix, width=640, height=480)
    _, wide = draw(sample_matrix, width=900)

    assert (both.get("width"), both.get("height")) == ("640", "480")
    assert wide.get("width") == "900"
    assert float(wide.get("viewBox").split()[2]) == pytest.approx(900, abs=1)


def test_size_must_be_positive_and_finite(sample_matrix):
    with pytest.raises(ValueError, match="width"):
        render_svg(sample_matrix, ColourScale(), width=float("nan"))
    with pytest.raises(ValueError, match="height"):
        render_svg(sample_matrix, ColourScale(), height=0)


def test_a_matrix_without_cells_is_refused():
    with pytest.raises(ValueError, match="without cells"):
        render_svg(Matrix(np.zeros((0, 3))), ColourScale())


def test_automatic_size_scales_with_the_matrix():
    small = plan(Matrix(np.eye(5)), ["0.00", "1.00"])
    large = plan(Matrix(np.eye(1000)), ["0.00", "1.00"])

    assert small.cell_w == 40
    assert 1 <= large.cell_w <= 2
    assert large.width < 1600


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.0, "1"), (2.499, "2.5"), (-0.001, "0"), (12.3456, "12.35"), (100.0, "100")],
)
def test_numbers_are_short_and_rounded(value, text):
    assert num(value) == text


def test_num_refuses_non_finite_numbers():
    with pytest.raises(ValueError):
        num(float("inf"))

"""The heatmap grid, driven like a user would: keys, clicks and what it draws."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from rich.cells import cell_len
from rich.color import ColorType
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.events import MouseScrollDown
from textual.geometry import Region

from tui.matrix import Matrix
from tui.scale import PALETTE, PALETTE_16, ColourScale, palette_256
from tui.widgets.heatmap import MAX_CELL_WIDTH, Heatmap

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def sample() -> Matrix:
    data = json.loads((SAMPLES / "digits_accuracy.json").read_text())
    return Matrix(
        np.array(data["values"], dtype=float),
        tuple(data["row_labels"]),
        tuple(data["col_labels"]),
        data["x_label"],
        data["y_label"],
        data["title"],
    )


def large() -> Matrix:
    """The 300×300 sample; its empty cells are missing values."""
    with (SAMPLES / "large_accuracy.csv").open(newline="") as file:
        rows = list(csv.reader(file))
    values = np.array([[float(v or "nan") for v in row[1:]] for row in rows[1:]])
    return Matrix(values, tuple(r[0] for r in rows[1:]), tuple(rows[0][1:]))


class HeatmapApp(App[None]):
    """Mounts only a heatmap and records the messages it posts."""

    def __init__(self, matrix: Matrix, colour_mode: str = "truecolor") -> None:
        super().__init__()
        self.matrix = matrix
        self.colour_mode = colour_mode
        self.highlighted: list[tuple[int, int]] = []
        self.selected: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        scale = ColourScale.for_values(self.matrix.values)
        yield Heatmap(self.matrix, scale, colour_mode=self.colour_mode)

    def on_heatmap_cell_highlighted(self, event: Heatmap.CellHighlighted) -> None:
        self.highlighted.append((event.row, event.col))

    def on_heatmap_cell_selected(self, event: Heatmap.CellSelected) -> None:
        self.selected.append((event.row, event.col))


def lines(heatmap: Heatmap) -> list[str]:
    return [heatmap.render_line(y).text for y in range(heatmap.size.height)]


def cell_segments(heatmap: Heatmap, row: int) -> list[Segment]:
    """Each visible cell of `row` as one segment: its text and its first style."""
    y = heatmap.header_height + row - heatmap.scroll_offset.y
    strip = heatmap.render_line(y)
    width = heatmap.cell_width
    cells = []
    for x in range(heatmap.label_width, heatmap.size.width - width + 1, width):
        parts = list(strip.crop(x, x + width))
        cells.append(Segment("".join(p.text for p in parts), parts[0].style))
    return cells


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["right"], (0, 1)),
        (["l"], (0, 1)),
        (["down"], (1, 0)),
        (["j"], (1, 0)),
        (["down", "down", "up"], (1, 0)),
        (["j", "j", "k"], (1, 0)),
        (["right", "right", "left"], (0, 1)),
        (["l", "l", "h"], (0, 1)),
        (["end"], (0, 4)),
        (["end", "home"], (0, 0)),
        (["G"], (4, 4)),
        (["G", "g"], (0, 0)),
        (["ctrl+end"], (4, 4)),
        (["ctrl+end", "ctrl+home"], (0, 0)),
        (["pagedown"], (4, 0)),
        (["pagedown", "pageup"], (0, 0)),
    ],
)
async def test_keys_move_the_cursor(keys, expected):
    app = HeatmapApp(sample())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*keys)

        assert app.query_one(Heatmap).cursor == expected


async def test_half_page_keys_move_half_a_page_and_pages_move_a_page():
    app = HeatmapApp(large())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)
        page = heatmap.size.height - heatmap.header_height

        await pilot.press("ctrl+d")
        assert heatmap.cursor == (page // 2, 0)
        await pilot.press("ctrl+u")
        assert heatmap.cursor == (0, 0)
        await pilot.press("pagedown")
        assert heatmap.cursor == (page, 0)


async def test_the_cursor_stops_at_every_edge():
    app = HeatmapApp(sample())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)

        await pilot.press("up", "left", "pageup", "ctrl+u")
        assert heatmap.cursor == (0, 0)
        await pilot.press("G", "down", "right", "pagedown", "ctrl+d")
        assert heatmap.cursor == (4, 4)
        heatmap.move_cursor(99, -5)
        assert heatmap.cursor == (4, 0)


async def test_each_move_posts_the_cell_it_lands_on():
    app = HeatmapApp(sample())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "down", "down")
        await pilot.pause()

        assert app.highlighted[-3:] == [(0, 1), (1, 1), (2, 1)]


async def test_enter_selects_the_cell_under_the_cursor():
    app = HeatmapApp(sample())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "right", "enter")
        await pilot.pause()

        assert app.selected == [(1, 1)]


async def test_clicks_move_the_cursor_to_cells_and_along_labels():
    app = HeatmapApp(sample())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)
        width, top = heatmap.cell_width, heatmap.header_height

        await pilot.click(Heatmap, offset=(heatmap.label_width + 2 * width, top + 3))
        assert heatmap.cursor == (3, 2)
        await pilot.click(Heatmap, offset=(0, top + 1))
        assert heatmap.cursor == (1, 2)
        await pilot.click(Heatmap, offset=(heatmap.label_width + 4 * width, top - 1))
        assert heatmap.cursor == (1, 4)


async def test_plus_and_minus_change_the_cell_width_and_the_columns_in_view():
    app = HeatmapApp(large())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)
        start = heatmap.cell_width
        in_view = heatmap._grid_size()[1]

        await pilot.press("minus", "minus")
        assert heatmap.cell_width == start - 2
        assert heatmap._grid_size()[1] > in_view
        await pilot.press(*["plus"] * 20)
        assert heatmap.cell_width == MAX_CELL_WIDTH
        await pilot.press(*["minus"] * 20)
        assert heatmap.cell_width == 1


async def test_colour_only_cells_print_no_numbers():
    app = HeatmapApp(sample())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press(*["minus"] * 10)

        text = "".join(segment.text for segment in cell_segments(heatmap, 1))

        assert not any(char.isdigit() for char in text)


async def test_the_view_follows_the_cursor_on_a_large_matrix():
    app = HeatmapApp(large())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)

        for keys in (["G"], ["pageup"], ["home"], ["g"], ["end"], ["equals_sign"]):
            await pilot.press(*keys)
            await pilot.pause()
            row, col = heatmap.cursor
            scroll_x, scroll_y = heatmap.scroll_offset
            x = heatmap.label_width + col * heatmap.cell_width - scroll_x
            y = heatmap.header_height + row - scroll_y
            cell = Region(x, y, heatmap.cell_width, 1)
            grid = Region(
                heatmap.label_width,
                heatmap.header_height,
                heatmap.size.width - heatmap.label_width,
                heatmap.size.height - heatmap.header_height,
            )
            assert grid.contains_region(cell), keys


async def test_the_view_follows_the_cursor_after_a_resize():
    app = HeatmapApp(large())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("G")
        await pilot.resize_terminal(60, 15)
        await pilot.pause()
        await pilot.pause()

        row, _ = heatmap.cursor
        top = heatmap.scroll_offset.y
        assert top <= row < top + heatmap.size.height - heatmap.header_height


async def test_a_cursor_move_repaints_only_the_cells_and_labels_it_changes():
    app = HeatmapApp(large())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("down", "right")
        await pilot.pause()
        refreshed: list[Region] = []
        original = heatmap.refresh

        def spy(*regions, **options):
            refreshed.extend(regions)
            return original(*regions, **options)

        heatmap.refresh = spy  # type: ignore[method-assign]
        await pilot.press("right")
        await pilot.pause()

        width = heatmap.cell_width
        assert refreshed
        assert all(region.height == 1 for region in refreshed)
        assert sum(region.area for region in refreshed) <= 2 * (
            2 * width + heatmap.label_width
        )


async def test_markup_and_escapes_in_labels_are_shown_literally():
    matrix = Matrix(
        np.array([[0.5, 0.25]]),
        ("[bold]x[/]",),
        ("[link=http://a]", "\x1b[31mred"),
        x_label="[i]pred",
        y_label="true\x07",
    )
    app = HeatmapApp(matrix)
    async with app.run_test(size=(120, 40)):
        heatmap = app.query_one(Heatmap)
        heatmap.cell_width = 12

        text = "\n".join(lines(heatmap))

        assert "[bold]x[/]" in text
        assert "[link=http…" in text
        assert "␛[31mred" in text
        assert "\x1b" not in text and "\x07" not in text
        assert "[i]pred" in text
        assert "true␇" in text


async def test_long_and_wide_labels_keep_every_line_the_widget_width():
    labels = ("a" * 40, "漢字ラベル漢字ラベル漢字", "🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂")
    matrix = Matrix(np.eye(3), labels, labels, x_label="x" * 300, y_label="y" * 50)
    app = HeatmapApp(matrix)
    async with app.run_test(size=(50, 12)):
        heatmap = app.query_one(Heatmap)

        for y in range(heatmap.size.height):
            assert heatmap.render_line(y).cell_length == heatmap.size.width
        assert heatmap.label_width == 17
        assert "…" in lines(heatmap)[heatmap.header_height]


@pytest.mark.parametrize("size", [(10, 4), (3, 2), (1, 1), (25, 6)])
async def test_tiny_sizes_draw_without_error(size):
    app = HeatmapApp(large())
    async with app.run_test(size=size) as pilot:
        await pilot.press("G", "minus", "right", "plus", "pageup")
        heatmap = app.query_one(Heatmap)

        for y in range(heatmap.size.height):
            assert heatmap.render_line(y).cell_length == heatmap.size.width


@pytest.mark.parametrize(
    "values",
    [
        np.array([[0.5]]),
        np.arange(27, dtype=float).reshape(3, 9),
        np.full((3, 3), np.nan),
        np.array([[np.inf, -np.inf], [np.nan, 0.0]]),
    ],
)
async def test_odd_shapes_and_values_draw_and_navigate(values):
    app = HeatmapApp(Matrix(values))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.press("G", "right", "down", "g")
        heatmap = app.query_one(Heatmap)

        assert heatmap.cursor == (0, 0)
        for y in range(heatmap.size.height):
            assert heatmap.render_line(y).cell_length == heatmap.size.width


async def test_missing_cells_look_missing_not_like_zero():
    app = HeatmapApp(Matrix(np.array([[np.nan, 0.0, 0.5]])))
    async with app.run_test(size=(60, 12)):
        heatmap = app.query_one(Heatmap)

        missing, zero = cell_segments(heatmap, 0)[:2]

        assert missing.text.strip() == "·"
        assert zero.text.strip() == "0.00"
        assert missing.style.bgcolor != zero.style.bgcolor


async def test_infinities_print_as_infinity_signs():
    app = HeatmapApp(Matrix(np.array([[np.inf, -np.inf, 0.5]])))
    async with app.run_test(size=(60, 12)):
        heatmap = app.query_one(Heatmap)

        texts = [segment.text.strip() for segment in cell_segments(heatmap, 0)[:2]]

        assert texts == ["∞", "-∞"]


async def test_true_colour_cells_use_the_scale_palette():
    app = HeatmapApp(sample())
    async with app.run_test(size=(120, 40)):
        heatmap = app.query_one(Heatmap)

        top_left, second = cell_segments(heatmap, 0)[:2]
        level = int(heatmap.matrix.values[0, 1] * 255 + 0.5)

        assert top_left.style.reverse
        assert second.style.bgcolor.triplet == tuple(int(c) for c in PALETTE[level])


async def test_256_colour_cells_use_the_palette_256_numbers():
    app = HeatmapApp(sample(), colour_mode="256")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down")
        heatmap = app.query_one(Heatmap)
        codes = set(palette_256().codes)

        row = cell_segments(heatmap, 0)[:5]

        assert all(s.style.bgcolor.type == ColorType.EIGHT_BIT for s in row)
        assert all(s.style.bgcolor.number in codes for s in row)
        assert row[0].style.bgcolor.number == palette_256().codes[-1]
        assert row[3].text.strip() == "0.00"


async def test_16_colour_cells_use_the_standard_colours():
    app = HeatmapApp(sample(), colour_mode="16")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down")
        heatmap = app.query_one(Heatmap)

        row = cell_segments(heatmap, 0)[:5]

        assert all(s.style.bgcolor.type == ColorType.STANDARD for s in row)
        assert row[0].style.bgcolor.number == PALETTE_16.codes[-1]
        assert row[4].style.bgcolor.number == PALETTE_16.codes[0]


async def test_no_colour_cells_show_numbers_and_shades_and_a_reversed_cursor():
    app = HeatmapApp(sample(), colour_mode="none")
    async with app.run_test(size=(120, 40)):
        heatmap = app.query_one(Heatmap)

        row = cell_segments(heatmap, 0)[:5]

        assert all(s.style.bgcolor is None and s.style.color is None for s in row)
        assert row[0].style.reverse and row[0].style.bold
        assert row[0].text.startswith("█") and "1.00" in row[0].text
        assert row[4].text.strip() == "0.00"


async def test_set_colour_mode_redraws_in_the_new_mode():
    app = HeatmapApp(sample())
    async with app.run_test(size=(120, 40)):
        heatmap = app.query_one(Heatmap)

        heatmap.set_colour_mode("256")

        assert cell_segments(heatmap, 1)[0].style.bgcolor.type == ColorType.EIGHT_BIT


async def test_anomaly_glyphs_appear_in_their_cells():
    app = HeatmapApp(sample(), colour_mode="none")
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)
        heatmap.set_anomalies({(4, 4): "collapse", (1, 0): "spike", (2, 2): "other"})

        assert cell_segments(heatmap, 4)[4].text.endswith("▼")
        assert cell_segments(heatmap, 1)[0].text.endswith("▲")
        assert cell_segments(heatmap, 2)[2].text.endswith("◆")
        await pilot.press(*["minus"] * 10)
        assert cell_segments(heatmap, 4)[4].text == "▼"


async def test_a_smaller_matrix_clamps_the_cursor_and_says_so():
    app = HeatmapApp(sample())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("G")
        smaller = Matrix(np.array([[0.1, 0.2], [0.3, 0.4]]))

        heatmap.set_matrix(smaller, ColourScale.for_values(smaller.values))
        await pilot.pause()

        assert heatmap.cursor == (1, 1)
        assert app.highlighted[-1] == (1, 1)
        assert heatmap.virtual_size.height == heatmap.header_height + 2


async def test_row_and_column_labels_of_the_cursor_are_picked_out():
    app = HeatmapApp(sample())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("down", "right")
        cursor_style = heatmap.get_component_rich_style("heatmap--label-cursor")
        ticks = list(heatmap.render_line(heatmap.header_height - 1))
        row_line = list(heatmap.render_line(heatmap.header_height + 1))

        assert row_line[0].style == cursor_style
        assert [s.text.strip() for s in ticks if s.style == cursor_style] == ["2"]
        assert cell_len(row_line[0].text) == heatmap._row_label_width


def one_bad_cell(rows: int = 200, cols: int = 160) -> Matrix:
    """A uniformly good matrix with one collapsed cell and one missing cell."""
    values = np.full((rows, cols), 0.9)
    values[150, 120] = 0.1
    values[10, 10] = np.nan
    return Matrix(values, x_label="predicted", y_label="true")


def overview_cells(heatmap: Heatmap, y: int) -> list[Segment]:
    """The cell segments of overview line `y`, one per character."""
    strip = heatmap.render_line(y)
    width = len(heatmap.matrix.col_labels) // heatmap.block_size + 1
    start = heatmap.label_width
    return [next(iter(strip.crop(x, x + 1))) for x in range(start, start + width)]


async def test_z_shows_the_whole_matrix_in_half_blocks_and_z_again_zooms_back():
    app = HeatmapApp(large())
    async with app.run_test(size=(80, 24)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("z")
        await pilot.pause()

        block = heatmap.block_size
        assert heatmap.is_overview
        assert (
            heatmap.render_line(0)
            .text.rstrip()
            .endswith(f"overview · min of {block}×{block} cells")
        )
        assert heatmap.scroll_offset == (0, 0)
        assert heatmap.virtual_size.width <= heatmap.size.width
        assert heatmap.virtual_size.height <= heatmap.size.height
        row_text = heatmap.render_line(heatmap.header_height).text
        assert set(row_text[heatmap.label_width :].strip()) == {"▀"}

        await pilot.press("z")
        await pilot.pause()
        assert not heatmap.is_overview
        assert "▀" not in heatmap.render_line(heatmap.header_height).text


async def test_m_cycles_the_aggregate_only_in_the_overview():
    app = HeatmapApp(large())
    async with app.run_test(size=(80, 24)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("m")
        assert heatmap.aggregate == "min"
        assert heatmap.check_action("cycle_aggregate", ()) is None

        seen = []
        await pilot.press("z")
        for _ in range(3):
            await pilot.press("m")
            seen.append(heatmap.aggregate)
        await pilot.pause()

        assert seen == ["max", "mean", "min"]
        assert heatmap.check_action("cycle_aggregate", ()) is True
        assert heatmap.check_action("widen_cells", ()) is None


async def test_a_counts_matrix_opens_its_overview_on_max():
    values = np.arange(400, dtype=float).reshape(20, 20)
    app = HeatmapApp(Matrix(values))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("z")

        assert app.query_one(Heatmap).aggregate == "max"


async def test_overview_arrows_move_a_block_at_a_time():
    app = HeatmapApp(one_bad_cell())
    async with app.run_test(size=(80, 24)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("z", "right", "right", "down")
        await pilot.pause()

        block = heatmap.block_size
        row, col = heatmap.cursor
        assert heatmap.block_cursor == (1, 2)
        assert (row // block, col // block) == (1, 2)
        assert app.highlighted[-1] == heatmap.cursor

        await pilot.press("G")
        last = ((200 - 1) // block, (160 - 1) // block)
        assert heatmap.block_cursor == last


async def test_enter_in_the_overview_zooms_in_on_the_blocks_worst_cell():
    app = HeatmapApp(one_bad_cell())
    async with app.run_test(size=(80, 24)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("z")
        block = heatmap.block_size
        await pilot.press(*["down"] * (150 // block), *["right"] * (120 // block))
        assert heatmap.cursor == (150, 120)

        await pilot.press("enter")
        await pilot.pause()

        assert not heatmap.is_overview
        assert heatmap.cursor == (150, 120)
        assert app.selected == []
        scroll_x, scroll_y = heatmap.scroll_offset
        y = heatmap.header_height + 150 - scroll_y
        x = heatmap.label_width + 120 * heatmap.cell_width - scroll_x
        assert 0 <= y < heatmap.size.height
        assert 0 <= x < heatmap.size.width
        assert "0.10" in heatmap.render_line(y).text


async def test_zoom_lands_on_the_worst_cell_of_the_cursor_block_even_unmoved():
    app = HeatmapApp(one_bad_cell())
    async with app.run_test(size=(80, 24)) as pilot:
        heatmap = app.query_one(Heatmap)
        heatmap.move_cursor(153, 121)
        await pilot.press("z")
        block = heatmap.block_size
        assert heatmap.block_cursor == (150 // block, 120 // block)

        await pilot.press("z")

        assert not heatmap.is_overview
        assert heatmap.cursor == (150, 120)


async def test_overview_half_blocks_show_the_upper_and_lower_block_colours():
    values = np.array([[0.0, 1.0], [1.0, np.nan], [0.5, 0.0]])
    app = HeatmapApp(Matrix(values))
    async with app.run_test(size=(40, 12)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("z", "right")
        await pilot.pause()

        first, second = overview_cells(heatmap, heatmap.header_height)[:2]
        third = overview_cells(heatmap, heatmap.header_height + 1)[0]

        assert heatmap.block_size == 1
        assert first.text == "▀"
        assert first.style.color.triplet == tuple(int(c) for c in PALETTE[0])
        assert first.style.bgcolor.triplet == tuple(int(c) for c in PALETTE[255])
        assert second.style.color.triplet == (255, 204, 0)
        assert third.style.color.triplet == tuple(int(c) for c in PALETTE[128])
        assert third.style.bgcolor == heatmap.rich_style.bgcolor


async def test_overview_without_colour_draws_one_block_row_a_line_in_shades():
    values = np.array([[0.0, 1.0], [1.0, np.nan], [0.5, 0.0]])
    app = HeatmapApp(Matrix(values), colour_mode="none")
    async with app.run_test(size=(40, 12)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("z")
        await pilot.pause()

        texts = [
            "".join(s.text for s in overview_cells(heatmap, heatmap.header_height + i))
            for i in range(3)
        ]

        assert [text[:2] for text in texts] == [" █", "█·", "▒ "]
        assert overview_cells(heatmap, heatmap.header_height)[0].style.reverse


async def test_an_overview_move_repaints_only_the_blocks_and_labels_it_changes():
    app = HeatmapApp(large())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("z")
        await pilot.pause()
        refreshed: list[Region] = []
        original = heatmap.refresh

        def spy(*regions, **options):
            refreshed.extend(regions)
            return original(*regions, **options)

        heatmap.refresh = spy  # type: ignore[method-assign]
        await pilot.press("down", "down", "right")
        await pilot.pause()

        assert refreshed
        assert all(region.height == 1 for region in refreshed)
        assert max(region.width for region in refreshed) <= heatmap.label_width


async def test_the_position_line_shows_where_the_view_is_in_a_large_matrix():
    app = HeatmapApp(large())
    async with app.run_test(size=(80, 24)) as pilot:
        heatmap = app.query_one(Heatmap)
        first = heatmap.render_line(0).text.rstrip()
        await pilot.press("pagedown", "pagedown", "end")
        await pilot.pause()
        moved = heatmap.render_line(0).text.rstrip()

        assert heatmap.header_height == 2
        assert first.endswith("rows 0–21 / 300 · cols 0–11 / 300")
        top = heatmap.scroll_offset.y
        assert moved.endswith(f"rows {top}–{top + 21} / 300 · cols 288–299 / 300")
        assert heatmap.position_text() in moved


async def test_a_matrix_that_fits_shows_no_position_line():
    app = HeatmapApp(sample())
    async with app.run_test(size=(120, 40)):
        heatmap = app.query_one(Heatmap)

        assert "rows" not in heatmap.render_line(0).text
        assert heatmap.render_line(0).text.strip() == heatmap.matrix.x_label


async def spy_refreshes(heatmap: Heatmap, pilot, action) -> list[Region]:
    """The regions the heatmap asks to repaint while `action` runs."""
    await pilot.pause()
    refreshed: list[Region] = []
    original = heatmap.refresh

    def spy(*regions, **options):
        refreshed.extend(regions)
        return original(*regions, **options)

    heatmap.refresh = spy  # type: ignore[method-assign]
    await action()
    await pilot.pause()
    heatmap.refresh = original  # type: ignore[method-assign]
    return refreshed


async def test_a_sideways_move_leaves_the_row_label_alone_and_a_vertical_one_the_tick():
    app = HeatmapApp(large())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)
        tick_line = heatmap.header_height - 1

        sideways = await spy_refreshes(heatmap, pilot, lambda: pilot.press("right"))
        down = await spy_refreshes(heatmap, pilot, lambda: pilot.press("down"))

        assert not [r for r in sideways if r.x == 0 and r.y >= heatmap.header_height]
        assert [r for r in sideways if r.y == tick_line]
        assert not [r for r in down if r.y == tick_line]
        assert len([r for r in down if r.x == 0]) == 2


async def test_new_anomaly_marks_repaint_only_the_rows_they_change():
    app = HeatmapApp(large())
    async with app.run_test(size=(120, 40)) as pilot:
        heatmap = app.query_one(Heatmap)
        heatmap.set_anomalies({(3, 4): "collapse"})
        await pilot.pause()

        async def mark() -> None:
            heatmap.set_anomalies({(3, 4): "collapse", (7, 2): "spike"})

        refreshed = await spy_refreshes(heatmap, pilot, mark)

        assert [r.y for r in refreshed] == [heatmap.header_height + 7]
        row_text = cell_segments(heatmap, 7)[2].text
        assert row_text.endswith("▲")


async def test_the_mouse_wheel_scrolls_a_grid_without_scrollbars():
    app = HeatmapApp(large())
    async with app.run_test(size=(80, 24)) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.pause()

        for _ in range(2):
            wheel = MouseScrollDown(heatmap, 20, 10, 0, 1, 0, False, False, False)
            heatmap.post_message(wheel)
        await pilot.pause()

        assert heatmap.scrollbar_size_vertical == 0
        assert heatmap.scroll_offset.y > 0
        assert heatmap.position_text().startswith(f"rows {heatmap.scroll_offset.y}–")

"""The explorer, used the way a reader uses it, and the widgets it is built from."""

from __future__ import annotations

import math

import numpy as np
import pytest
from textual.app import App, ComposeResult
from textual.filter import Monochrome
from textual.widgets import Input, Static

from tui.matrix import Matrix
from tui.scale import PALETTE_16, SHADES, ColourScale, palette_256
from tui.widgets.anomaly_list import AnomalyList
from tui.widgets.cell_styles import CellStyles
from tui.widgets.colour_bar import ColourBar, bar_values, swatches, tick_line
from tui.widgets.heatmap import Heatmap
from tui.widgets.help_screen import HelpScreen, key_rows
from tui.widgets.inspector import CellStatistics, Inspector
from tui.widgets.prompt import Prompt, parse_cell

# The inspector's figures.


def test_rank_counts_from_the_highest_value(sample_matrix):
    statistics = CellStatistics(sample_matrix)
    statistics.prepare_ranks()

    top = statistics.rank(1.00)
    bottom = statistics.rank(0.00)

    assert (top.place, top.tied, top.total) == (1, 1, 25)
    assert (bottom.place, bottom.tied, bottom.total) == (21, 5, 25)


def test_rank_waits_for_the_sorted_copy(sample_matrix):
    statistics = CellStatistics(sample_matrix)

    assert statistics.rank(0.5) is None
    statistics.prepare_ranks()
    assert statistics.rank(0.5) is not None


def test_row_and_column_summaries_skip_missing_cells():
    values = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan]])
    statistics = CellStatistics(Matrix(values))

    row = statistics.row(0)
    empty = statistics.row(1)
    column = statistics.col(2)

    assert (row.mean, row.low, row.high, row.total) == (2.0, 1.0, 3.0, 4.0)
    assert empty.present == 0 and math.isnan(empty.mean)
    assert column.present == 1 and column.high == 3.0


def _text(inspector: Inspector, row: int, col: int) -> str:
    return inspector.describe(row, col).plain


def test_inspector_names_both_axes_value_and_rank(sample_matrix):
    inspector = Inspector(sample_matrix)

    text = _text(inspector, 4, 4)

    assert "digit_b = 5" in text
    assert "digit_a = 5" in text
    assert "value    0" in text
    assert "rank     21 of 25 (5 tied)" in text
    assert "row digit_b = 5" in text
    assert "mean 0.206  min 0  max 0.64" in text


def test_inspector_shows_both_diagonal_cells(sample_matrix):
    inspector = Inspector(sample_matrix)

    lines = _text(inspector, 1, 0).splitlines()

    diagonals = [line.strip() for line in lines if "diagonal" in line]
    assert diagonals == ["diagonal 0.97", "diagonal 1"]


def test_inspector_gives_totals_and_shares_for_counts(counts_matrix):
    inspector = Inspector(counts_matrix)

    text = _text(inspector, 1, 0)

    assert "true = dog" in text and "predicted = cat" in text
    assert "total 10  share 20.0%" in text
    assert "total 10  share 20.0%" in text.split("column")[1]


def test_inspector_has_no_diagonal_for_a_wide_matrix(wide_matrix):
    inspector = Inspector(wide_matrix)

    text = _text(inspector, 2, 8)

    assert "diagonal" not in text
    assert "row = 2" in text and "column = 8" in text
    assert "\nrow 2\n" in text and "\ncolumn 8\n" in text
    assert "row row" not in text and "column column" not in text
    assert "rank     1 of 27" in text


def test_inspector_shows_expected_value_and_reason(sample_matrix):
    class Finding:
        expected = 0.97
        kind = "collapse"
        reason = "diagonal cell digit_b=5, digit_a=5 is 0.00"

    inspector = Inspector(sample_matrix)
    inspector._anomalies = {(4, 4): Finding()}

    text = _text(inspector, 4, 4)

    assert "expected 0.97  (collapse)" in text
    assert text.endswith("diagonal cell digit_b=5, digit_a=5 is 0.00")


def test_inspector_makes_hostile_labels_harmless():
    matrix = Matrix(
        np.zeros((1, 1)), row_labels=("\x1b[31mred",), col_labels=("[bold]b[/]",)
    )
    inspector = Inspector(matrix)

    content = inspector.describe(0, 0)

    assert "\x1b" not in content.plain
    assert "␛[31mred" in content.plain
    assert "[bold]b[/]" in content.plain


# Going to a cell.


@pytest.mark.parametrize(
    ("request_text", "cell"),
    [
        ("5 5", (4, 4)),
        ("5,5", (4, 4)),
        ("digit_b=5 digit_a=5", (4, 4)),
        ("digit_b=2, digit_a=4", (1, 3)),
        ("digit_a=4 digit_b=2", (1, 3)),
        ("row=3 col=1", (2, 0)),
        ("0 0", (0, 0)),
        ("3", (2, 1)),
    ],
)
def test_go_to_reads_labels_names_and_indices(sample_matrix, request_text, cell):
    assert parse_cell(request_text, sample_matrix, (0, 1)) == cell


def test_go_to_prefers_a_label_to_an_index():
    matrix = Matrix(np.zeros((3, 3)), row_labels=("2", "0", "1"))

    assert parse_cell("0 0", matrix, (0, 0)) == (1, 0)


@pytest.mark.parametrize(
    ("request_text", "message"),
    [
        ("", "type a row and a column"),
        ("1 2 3", "type a row and a column"),
        ("7 1", "row 7 is outside 0..4"),
        ("1 zebra", "no column is labelled 'zebra'"),
    ],
)
def test_go_to_explains_what_it_cannot_find(sample_matrix, request_text, message):
    with pytest.raises(ValueError, match=message):
        parse_cell(request_text, sample_matrix, (0, 0))


# The colour bar.


def test_ticks_sit_under_their_values():
    line = tick_line(ColourScale(0.0, 1.0), 30)

    assert line.startswith("0.00")
    assert line.endswith("1.00")
    middle = line.index("0.50")
    assert middle <= 14 < middle + 4


def test_tick_decimals_follow_the_range():
    assert tick_line(ColourScale(0.0, 1700.0), 30).split() == ["0", "850", "1700"]
    assert tick_line(ColourScale(0.0, 49.0), 30).split() == ["0.0", "24.5", "49.0"]


def test_a_centred_scale_puts_the_centre_in_the_middle_of_the_bar():
    scale = ColourScale(0.0, 10.0, center=8.0)

    values = bar_values(scale, 5)

    assert list(values) == [0.0, 4.0, 8.0, 9.0, 10.0]


def test_crowded_ticks_are_left_out_rather_than_overlapping():
    line = tick_line(ColourScale(0.0, 1.0), 10)

    assert line.split() == ["0.00", "1.00"]


def _ends(mode: str) -> list[tuple[str, object]]:
    return swatches(CellStyles(ColourScale(0.0, 1.0), mode), 2)


def test_reduced_modes_draw_the_grid_bands():
    in_256 = [style.bgcolor.number for _, style in _ends("256")]
    in_16 = [style.bgcolor.number for _, style in _ends("16")]
    shades = [char for char, _ in _ends("none")]

    assert in_256 == [palette_256().codes[0], palette_256().codes[-1]]
    assert in_16 == [PALETTE_16.codes[0], PALETTE_16.codes[-1]]
    assert shades == [SHADES[0], SHADES[-1]]


class BarApp(App):
    def compose(self) -> ComposeResult:
        yield ColourBar(ColourScale(0.0, 1.0))


async def test_colour_bar_runs_red_to_blue_with_a_missing_swatch():
    app = BarApp()
    async with app.run_test(size=(40, 5)):
        bar = app.query_one(ColourBar)
        gradient = bar.render_line(0)
        colours = [s.style.bgcolor.triplet for s in gradient if s.style.bgcolor]

        assert colours[0].red > colours[0].blue
        assert colours[-1].blue > colours[-1].red
        assert "missing" in bar.render_line(2).text


# The help screen.


def test_help_lists_each_action_once_with_all_its_keys():
    bindings = [("down,j", "move(1)", "Down"), ("q", "quit", "Quit")]

    rows = key_rows(bindings, lambda binding: binding.key)

    assert rows == [("down j", "Down"), ("q", "Quit")]


# The explorer, driven with the keyboard.


def _inspected(app) -> str:
    inspector = app.query_one(Inspector)
    return inspector.describe(*inspector.cell).plain


def _notes(app) -> list[tuple[str, str]]:
    """Record the app's notifications as (message, severity) pairs."""
    notes: list[tuple[str, str]] = []

    def record(message, *, title="", severity="information", **_):
        notes.append((message, severity))

    app.notify = record
    return notes


async def test_arrow_keys_move_the_cursor_and_the_inspector_follows(make_app):
    app = make_app()
    posted = []

    def hook(message):
        if isinstance(message, Heatmap.CellHighlighted):
            posted.append((message.row, message.col))

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        assert "digit_b = 1" in _inspected(app)

        await pilot.press("down", "down", "right", "l", "j")
        await pilot.pause()

        assert app.query_one(Heatmap).cursor == (3, 2)
        assert posted[-1] == (3, 2)
        text = _inspected(app)
        assert "digit_b = 4" in text and "digit_a = 3" in text
        assert "value    0.61" in text


async def test_go_to_moves_by_label(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("colon")
        assert isinstance(app.screen, Prompt)

        await pilot.press(*"digit_b=5 digit_a=4", "enter")
        await pilot.pause()

        assert not isinstance(app.screen, Prompt)
        assert app.query_one(Heatmap).cursor == (4, 3)


async def test_go_to_a_cell_that_does_not_exist_only_warns(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        notes = _notes(app)

        await pilot.press("colon", *"9 9", "enter")
        await pilot.pause()

        assert notes == [("row 9 is outside 0..4", "warning")]
        assert app.query_one(Heatmap).cursor == (0, 0)


async def test_help_lists_every_key_and_closes(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for description in ("Cell down", "Go to", "Next anomaly", "Export figure"):
            assert description in text

        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()

        assert app.return_code == 0
        assert not app.is_running


async def test_the_sidebar_lists_anomalies_and_n_goes_to_them(make_app, settle):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        found = app.anomalies
        assert found and (found[0].row, found[0].col) == (4, 4)

        await pilot.press("n")
        assert app.query_one(Heatmap).cursor == (4, 4)
        assert "expected" in _inspected(app)

        await pilot.press("N")
        last = found[-1]
        assert app.query_one(Heatmap).cursor == (last.row, last.col)


async def test_a_hides_and_shows_the_sidebar(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        sidebar = app.query_one(AnomalyList)
        assert sidebar.display

        await pilot.press("a")
        assert not sidebar.display

        await pilot.press("a")
        assert sidebar.display


async def test_a_narrow_terminal_shows_the_inspector_before_the_sidebar(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.query_one(AnomalyList).display
        assert app.query_one(Inspector).display

        await pilot.press("a")

        assert app.query_one(AnomalyList).display


async def test_brackets_change_the_sensitivity_live(make_app, settle):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        await pilot.press("right_square_bracket")
        await settle(pilot)

        assert app.sensitivity == 1.25
        assert app.anomalies is not None
        title = app.query_one(".anomaly-list--title").render()
        assert "sensitivity 1.25" in str(title)

        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.sensitivity == 0.8


async def test_e_and_s_write_svg_files_in_the_working_folder(
    make_app, settle, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = _notes(app)

        await pilot.press("e", "s")
        await settle(pilot)

        figure = tmp_path / "heatlens-digits_accuracy.svg"
        screen = tmp_path / "heatlens-digits_accuracy-screen.svg"
        assert figure.read_text().lstrip().startswith(("<?xml", "<svg"))
        assert "Accuracy" in screen.read_text()
        assert [severity for _, severity in notes] == ["information"] * 2
        assert str(figure) in notes[0][0] or str(figure) in notes[1][0]


async def test_an_unwritable_target_is_an_error_notification(
    make_app, settle, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        notes = _notes(app)

        await pilot.press("S")
        field = app.screen.query_one(Input)
        assert field.value == "heatlens-digits_accuracy-screen.svg"
        field.value = "missing/shot.svg"
        await pilot.press("enter")
        await settle(pilot)

        assert len(notes) == 1
        message, severity = notes[0]
        assert severity == "error" and "no such folder" in message
        assert list(tmp_path.iterdir()) == []


async def test_too_small_a_terminal_shows_one_message_until_resized(make_app):
    app = make_app()
    async with app.run_test(size=(30, 8)) as pilot:
        message = app.query_one("#too-small", Static)
        assert message.display
        assert app.query_one("#main").styles.display == "none"
        assert "Terminal too small: 30×8; heatlens needs at least 40×10" in str(
            message.render()
        )

        await pilot.resize_terminal(120, 40)
        await pilot.pause()

        assert not app.screen.has_class("-too-small")
        assert app.query_one(Heatmap).region.width > 0


async def test_any_size_keeps_the_cursor_on_a_cell(make_app, wide_matrix):
    app = make_app(wide_matrix)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("end", "down", "down", "down")
        for width, height in [(10, 4), (40, 10), (300, 100), (41, 11), (120, 40)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            await pilot.press("right", "down")

        assert app.query_one(Heatmap).cursor == (2, 8)
        assert "column = 8" in _inspected(app)


@pytest.mark.parametrize(
    ("mode", "shown"),
    [
        ("truecolor", "truecolor"),
        ("256", "256 colours · --color truecolor if your terminal can show it"),
        ("none", "no colour · --color truecolor if your terminal can show it"),
    ],
)
async def test_the_title_bar_names_the_colour_mode(make_app, mode, shown):
    app = make_app(mode=mode)
    async with app.run_test(size=(120, 40)):
        assert str(app.query_one("#title", Static).render()) == "Accuracy"
        assert str(app.query_one("#colour-mode", Static).render()) == shown


def test_sixteen_colours_reach_the_terminal_as_ansi(make_app):
    assert make_app(mode="16").native_ansi_color
    assert not make_app(mode="truecolor").native_ansi_color


def test_no_colour_mode_drops_colour_from_everything(make_app, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)

    filters = make_app(mode="none")._filters

    assert any(isinstance(f, Monochrome) for f in filters)


async def test_q_typed_into_a_prompt_is_text_not_quit(make_app):
    matrix = Matrix(np.eye(2), row_labels=("p", "q"), col_labels=("q", "r"))
    app = make_app(matrix)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("colon", "q", "space", "q", "enter")
        await pilot.pause()

        assert app.is_running
        assert app.query_one(Heatmap).cursor == (1, 0)


async def test_a_clean_matrix_gives_the_sidebar_room_back(make_app, settle):
    app = make_app(Matrix(np.eye(4)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.anomalies == []
        assert not app.query_one(AnomalyList).display

        await pilot.press("a")
        assert app.query_one(AnomalyList).display

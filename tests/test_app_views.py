"""The explorer's views, driven by keys: shares, comparison, reload, order, find."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Static

from tui.colour_mode import ColourMode
from tui.errors import InputError
from tui.loaders import load
from tui.matrix import Matrix
from tui.widgets.colour_bar import ColourBar
from tui.widgets.heatmap import Heatmap
from tui.widgets.help_screen import HelpScreen
from tui.widgets.inspector import Inspector
from tui.widgets.margins import MarginsPanel
from tui.widgets.prompt import Prompt

SIZE = (120, 40)


def _inspected(app) -> str:
    inspector = app.query_one(Inspector)
    return inspector.describe(*inspector.cell).plain


def _title(app) -> str:
    return str(app.query_one("#title", Static).render())


def _notes(app) -> list[tuple[str, str]]:
    """Record the app's notifications as (message, severity) pairs."""
    notes: list[tuple[str, str]] = []

    def record(message, *, title="", severity="information", **_):
        notes.append((message, severity))

    app.notify = record
    return notes


def _labels_at(app, row: int, col: int) -> tuple[str, str]:
    matrix = app.query_one(Heatmap).matrix
    return matrix.row_labels[row], matrix.col_labels[col]


def _cursor_labels(app) -> tuple[str, str]:
    return _labels_at(app, *app.query_one(Heatmap).cursor)


def _pets(values, source: str) -> Matrix:
    labels = ("cat", "dog", "eel")
    return Matrix(
        np.array(values, dtype=float),
        row_labels=labels,
        col_labels=labels,
        x_label="predicted",
        y_label="true",
        source=source,
        has_row_labels=True,
        has_col_labels=True,
    )


def _compare_app(a: Matrix, b: Matrix):
    from tui.app import HeatlensApp

    return HeatlensApp(
        a, colour_mode=ColourMode("truecolor", "chosen in a test"), compare_with=b
    )


@pytest.fixture
def pair():
    """A and B: B mistakes one more dog for a cat and one fewer eel for a dog."""
    a = _pets([[8, 1, 1], [2, 6, 2], [0, 0, 10]], "before.csv")
    b = _pets([[8, 1, 1], [5, 3, 2], [0, 0, 10]], "after.csv")
    return a, b


# Counts and shares.


async def test_percent_cycles_counts_through_row_column_and_total_shares(
    make_app, counts_matrix
):
    app = make_app(counts_matrix)
    async with app.run_test(size=SIZE) as pilot:
        heatmap = app.query_one(Heatmap)
        assert heatmap.matrix.value(1, 0) == 2.0

        await pilot.press("percent_sign")
        assert heatmap.matrix.value(1, 0) == pytest.approx(0.2)
        assert "row shares (recall)" in _title(app)
        colour_bar = app.query_one(ColourBar)
        assert (colour_bar.scale.vmin, colour_bar.scale.vmax) == (0.0, 1.0)

        await pilot.press("percent_sign")
        assert heatmap.matrix.value(1, 0) == pytest.approx(2 / 10)
        assert heatmap.matrix.value(0, 1) == pytest.approx(1 / 7)
        assert "column shares (precision)" in _title(app)

        await pilot.press("percent_sign")
        assert heatmap.matrix.value(1, 0) == pytest.approx(2 / 30)

        await pilot.press("percent_sign")
        assert heatmap.matrix.value(1, 0) == 2.0
        assert "shares" not in _title(app)


async def test_the_inspector_shows_the_count_behind_a_share(make_app, counts_matrix):
    app = make_app(counts_matrix, normalisation="row")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down")

        text = _inspected(app)

        assert "value    0.2" in text
        assert "count    2 of 10 for true = dog" in text


async def test_margins_give_recall_precision_and_accuracy(make_app, counts_matrix):
    app = make_app(counts_matrix)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down")

        text = _inspected(app)
        panel = app.query_one(MarginsPanel)
        table = str(panel.query_one("#margins-text", Static).render())

        assert "recall 60.0%" in text.split("column")[0]
        assert "precision 80.0%" in text.split("column")[1]
        assert "accuracy 80.0%" in _title(app)
        assert panel.display
        assert "dog" in table and "60.0%" in table


async def test_percent_on_scores_only_warns(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        notes = _notes(app)

        await pilot.press("percent_sign")

        assert notes == [
            ("Shares are for matrices of counts; this one holds scores", "warning")
        ]
        assert app.query_one(Heatmap).matrix.value(0, 0) == 1.0
        assert not app.query_one(MarginsPanel).display


# Comparing two matrices.


async def test_a_comparison_opens_on_the_change_centred_on_zero(pair, settle):
    app = _compare_app(*pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        heatmap = app.query_one(Heatmap)
        scale = app.query_one(ColourBar).scale

        assert heatmap.matrix.value(1, 0) == 3.0
        assert scale.center == 0.0 and scale.vmin == -scale.vmax == -3.0
        assert "showing B − A" in _title(app)
        assert "accuracy 80.0% → 70.0%" in _title(app)
        top = app.anomalies[0]
        assert (top.row, top.col, top.kind) in [(1, 0, "spike"), (1, 1, "collapse")]


async def test_d_cycles_a_b_and_the_change(pair):
    app = _compare_app(*pair)
    async with app.run_test(size=SIZE) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("down")

        await pilot.press("d")
        assert "showing A" in _title(app) and heatmap.matrix.value(1, 0) == 2.0
        await pilot.press("d")
        assert "showing B" in _title(app) and heatmap.matrix.value(1, 0) == 5.0
        await pilot.press("d")
        assert "showing B − A" in _title(app)

        text = _inspected(app)
        assert "A        2" in text and "B        5" in text
        assert "B − A    +3" in text


async def test_d_without_a_second_matrix_only_warns(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        notes = _notes(app)

        await pilot.press("d")

        assert len(notes) == 1 and "--compare" in notes[0][0]


def test_matrices_that_do_not_align_are_refused(pair):
    a, _ = pair
    other = Matrix(np.ones((2, 2)), source="small.csv")

    with pytest.raises(InputError, match=r"small\.csv"):
        _compare_app(a, other)


# Transposing, reordering, finding.


async def test_t_transposes_and_the_cursor_keeps_its_cell(make_app, counts_matrix):
    app = make_app(counts_matrix)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "right")
        assert _cursor_labels(app) == ("eel", "dog")

        await pilot.press("t")

        heatmap = app.query_one(Heatmap)
        assert heatmap.cursor == (1, 2)
        assert (heatmap.matrix.y_label, heatmap.matrix.x_label) == ("predicted", "true")
        assert heatmap.matrix.value(1, 2) == 0.0 and heatmap.matrix.value(0, 1) == 2.0
        assert "transposed" in _title(app)
        assert "true = eel" in _inspected(app)


async def test_o_cycles_the_orders_keeping_the_cursor_on_its_labels(make_app):
    matrix = Matrix(
        np.array([[0.1, 0.2, 0.3], [0.4, 0.9, 0.6], [0.7, 0.8, 0.5]]),
        row_labels=("c", "a", "b"),
        col_labels=("z", "x", "y"),
        has_row_labels=True,
        has_col_labels=True,
    )
    app = make_app(matrix)
    async with app.run_test(size=SIZE) as pilot:
        heatmap = app.query_one(Heatmap)
        await pilot.press("down", "right")
        assert _cursor_labels(app) == ("a", "x")

        await pilot.press("o")
        assert heatmap.matrix.row_labels == ("a", "b", "c")
        assert heatmap.matrix.col_labels == ("x", "y", "z")
        assert _cursor_labels(app) == ("a", "x")
        assert "order: label" in _title(app)

        await pilot.press("o")
        assert heatmap.matrix.row_labels[0] == "a"
        assert "order: diagonal" in _title(app)

        await pilot.press("o", "o")
        assert heatmap.matrix.row_labels == ("c", "a", "b")
        assert heatmap.cursor == (1, 1)
        assert "order" not in _title(app)


async def test_anomalies_follow_their_cells_through_t_and_o(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = {_labels_at(app, a.row, a.col) for a in app.anomalies}
        assert before

        await pilot.press("t", "o", "o")
        await settle(pilot)

        after = {_labels_at(app, a.row, a.col)[::-1] for a in app.anomalies}
        assert after == before
        first = app.anomalies[0]
        await pilot.press("n")
        assert app.query_one(Heatmap).cursor == (first.row, first.col)


async def test_slash_finds_rows_then_columns_and_enter_cycles(make_app, counts_matrix):
    app = make_app(counts_matrix)
    async with app.run_test(size=SIZE) as pilot:
        notes = _notes(app)
        heatmap = app.query_one(Heatmap)
        await pilot.press("right", "right")

        await pilot.press("slash")
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"DO", "enter")
        assert heatmap.cursor == (1, 2)

        await pilot.press("enter")
        assert heatmap.cursor == (1, 1)

        await pilot.press("slash", "enter")
        assert heatmap.cursor == (1, 1)
        assert [severity for _, severity in notes] == ["information"] * 3
        assert "column dog · match 2 of 2" in notes[1][0]
        assert "row dog · match 1 of 2" in notes[2][0]


async def test_a_label_that_is_nowhere_is_a_warning(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        notes = _notes(app)

        await pilot.press("slash", *"zebra", "enter")

        assert notes == [("No row or column label contains 'zebra'", "warning")]
        assert app.query_one(Heatmap).cursor == (0, 0)


async def test_view_keys_typed_into_the_find_prompt_are_text(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "t", "o", "d", "percent_sign")

        assert app.screen.query_one("Input").value == "tod%"
        assert "transposed" not in _title(app)


async def test_help_lists_the_view_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")

        text = str(app.screen.query_one("#help-text").render())

        assert isinstance(app.screen, HelpScreen)
        for description in (
            "Counts / shares",
            "Show A / B / B − A",
            "Transpose",
            "Order of rows and columns",
            "Find a label",
            "Next match found",
        ):
            assert description in text


# Watching a file.


def _write(path, rows) -> None:
    path.write_text("\n".join(",".join(map(str, row)) for row in rows) + "\n")


HEADER = ["true/predicted", "cat", "dog", "eel"]


async def _poll_twice(app, pilot, settle) -> None:
    """Two polls: a change is read once the file held still for one."""
    for _ in range(2):
        app._poll()
        await settle(pilot)


async def test_watch_reloads_keeps_the_cursor_and_marks_changes(
    tmp_path, make_app, settle
):
    path = tmp_path / "pets.csv"
    _write(path, [HEADER, ["cat", 8, 1, 1], ["dog", 2, 6, 2], ["eel", 0, 0, 10]])
    app = make_app(load(path), reload=load)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "right")
        assert _cursor_labels(app) == ("eel", "dog")

        rows = [["ant", 1, 0, 0], ["cat", 8, 1, 1], ["dog", 2, 6, 2], ["eel", 0, 3, 7]]
        _write(path, [HEADER, *rows])
        await _poll_twice(app, pilot, settle)

        heatmap = app.query_one(Heatmap)
        assert heatmap.matrix.n_rows == 4
        assert _cursor_labels(app) == ("eel", "dog")
        assert heatmap.matrix.value(3, 1) == 3.0
        assert "reloaded" in _title(app)
        assert app._flashed

        app._end_flash()
        assert not app._flashed


async def test_a_half_written_file_keeps_the_last_good_matrix(
    tmp_path, make_app, settle
):
    path = tmp_path / "pets.csv"
    _write(path, [HEADER, ["cat", 8, 1, 1], ["dog", 2, 6, 2], ["eel", 0, 0, 10]])
    app = make_app(load(path), reload=load)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = _notes(app)

        path.write_text("true/predicted,cat,dog,eel\ncat,8,1\n")
        await _poll_twice(app, pilot, settle)
        app._poll()
        await settle(pilot)

        assert app.query_one(Heatmap).matrix.value(2, 2) == 10.0
        assert "last good matrix" in _title(app)
        assert len(notes) == 1 and notes[0][1] == "warning"
        assert "pets.csv" in notes[0][0]

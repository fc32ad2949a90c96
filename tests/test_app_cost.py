"""What the explorer costs: copies it does not make, scans it does not start,
and lines it does not repaint."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from textual.geometry import Region

from tests.terminal import run_in_terminal
from tui import app as app_module
from tui.loaders import load
from tui.matrix import Matrix, release_pages
from tui.scale import ColourScale
from tui.view import Inputs, ViewSettings, build_view
from tui.widgets import inspector as inspector_module
from tui.widgets.anomaly_list import AnomalyList, not_scanned_content
from tui.widgets.heatmap import Heatmap
from tui.widgets.inspector import CellStatistics, Inspector

SAMPLES = Path(__file__).parent.parent / "sample_data"


@pytest.fixture
def mapped(tmp_path):
    """A 60×40 matrix with some missing cells, opened memory-mapped."""
    rng = np.random.default_rng(3)
    values = rng.normal(size=(60, 40))
    values[rng.random(values.shape) < 0.05] = np.nan
    path = tmp_path / "mapped.npy"
    np.save(path, values)
    return values, np.load(path, mmap_mode="r")


def test_released_pages_still_read_the_same_values(mapped):
    values, on_disk = mapped

    release_pages(on_disk)

    np.testing.assert_array_equal(np.asarray(on_disk), values)


def test_releasing_an_array_in_memory_leaves_it_alone():
    values = np.arange(12.0).reshape(3, 4)

    release_pages(values)
    release_pages(values.T)

    np.testing.assert_array_equal(values, np.arange(12.0).reshape(3, 4))


def test_ranks_and_columns_of_a_mapped_matrix_match_the_whole_array(
    mapped, monkeypatch
):
    values, on_disk = mapped
    monkeypatch.setattr(inspector_module, "COLUMN_BAND_BYTES", 7 * 8 * 40)
    statistics = CellStatistics(Matrix(on_disk))

    statistics.prepare_ranks()

    present = np.sort(values[~np.isnan(values)])
    value = float(present[-5])
    assert statistics.rank(value).place == 5
    assert statistics.rank(value).total == present.size
    column = values[:, 7]
    summary = statistics.col(7)
    assert summary.present == int(np.count_nonzero(~np.isnan(column)))
    assert summary.total == pytest.approx(float(np.nansum(column)))
    assert summary.high == float(np.nanmax(column))


def test_the_stored_order_shows_the_values_themselves(mapped):
    _, on_disk = mapped
    matrix = Matrix(on_disk)

    view = build_view(Inputs.of(matrix), ViewSettings())

    assert view.matrix.values is on_disk
    assert view.scale == ColourScale.for_values(np.asarray(on_disk))
    assert view.rows.tolist() == list(range(60))


async def test_a_small_matrix_is_scanned_at_once_after_the_first_frame(
    make_app, settle, monkeypatch
):
    app = make_app()
    events: list[str] = []
    display = app._display

    def record_frame(screen, renderable):
        if not app._holding_paints and renderable is not None:
            events.append("frame")
        display(screen, renderable)

    scan = app_module.find_anomalies
    monkeypatch.setattr(app, "_display", record_frame)
    monkeypatch.setattr(
        app_module, "find_anomalies", lambda *args: events.append("scan") or scan(*args)
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        assert events[0] == "frame"
        assert events.count("scan") == 1
        assert [(a.row, a.col) for a in app.anomalies] == [(4, 4)]
        assert not [w for w in app.workers if w.group == "anomalies"]
        assert app.query_one(AnomalyList).anomalies == tuple(app.anomalies)


async def test_a_large_matrix_waits_for_a_to_be_scanned(make_app, settle, monkeypatch):
    monkeypatch.setattr(app_module, "AT_ONCE_CELLS", 10)
    monkeypatch.setattr(app_module, "AUTO_SCAN_CELLS", 100)
    values = np.full((20, 20), 0.1)
    np.fill_diagonal(values, 0.95)
    values[7, 7] = 0.0
    app = make_app(Matrix(values))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sidebar = app.query_one(AnomalyList)
        assert app.anomalies is None
        assert sidebar.display
        assert sidebar._title.plain == "Not scanned: 400 cells · A scans"

        await pilot.press("A")
        await settle(pilot)

        assert (7, 7) in {(a.row, a.col) for a in app.anomalies}


def test_the_not_scanned_line_is_short():
    assert not_scanned_content(16_000_000).plain == "Not scanned: 16M cells · A scans"
    assert len(not_scanned_content(999_999).plain) <= 34


async def test_the_inspector_follows_the_cursor_at_once(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)):
        app.heatmap.move_cursor(2, 3)

        assert app.query_one(Inspector).cell == (2, 3)


async def test_a_move_repaints_only_changed_lines_up_to_their_last_change(
    make_app, monkeypatch
):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inspector = app.query_one(Inspector)
        before = [line.plain for line in inspector._lines]
        repainted: list[Region] = []
        monkeypatch.setattr(
            inspector, "refresh", lambda *regions, **_: repainted.extend(regions)
        )

        await pilot.press("right")

        after = [line.plain for line in inspector._lines]
        changed = {
            y for y, (a, b) in enumerate(zip(before, after, strict=True)) if a != b
        }
        assert {region.y for region in repainted} == changed
        width = inspector.content_size.width
        assert all(region.x == 0 and region.height == 1 for region in repainted)
        assert all(region.width <= width for region in repainted)
        assert max(region.width for region in repainted) < width


def test_the_first_screen_is_written_once():
    _, written = run_in_terminal(keys=b"q", after=b"1 anomaly")

    assert b"1 anomaly" in written
    assert written.count(b"truecolor") == 1


async def test_the_footer_is_rebuilt_only_when_its_keys_change(make_app, settle):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keys = list(app.query("FooterKey"))

        await pilot.press("right", "down")
        app.refresh_bindings()
        await settle(pilot)

        assert list(app.query("FooterKey")) == keys

        app.anomalies = []
        app.refresh_bindings()
        await settle(pilot)

        rebuilt = {key.key: key for key in app.query("FooterKey")}
        assert rebuilt["n"] not in keys
        assert rebuilt["n"].has_class("-disabled")
        assert not rebuilt["q"].has_class("-disabled")


async def test_the_footer_has_its_keys_in_the_first_layout(make_app, monkeypatch):
    app = make_app()
    keys_when_ready: list[int] = []
    ready = type(app).on_ready

    def count_keys_then_go_on(self) -> None:
        keys_when_ready.append(len(self.query("FooterKey")))
        ready(self)

    monkeypatch.setattr(type(app), "on_ready", count_keys_then_go_on)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()

    assert keys_when_ready[0] > 0


@pytest.fixture
def drawn(monkeypatch) -> list[int]:
    """The matrix rows the grid draws from now on, in order, repeats kept."""
    rows: list[int] = []
    draw_row = Heatmap._render_row
    monkeypatch.setattr(
        Heatmap,
        "_render_row",
        lambda self, row, *rest: rows.append(row) or draw_row(self, row, *rest),
    )
    return rows


@pytest.mark.parametrize("name", ["digits_accuracy.json", "large_accuracy.csv"])
async def test_each_grid_line_is_drawn_once_while_the_explorer_starts(
    make_app, settle, drawn, name
):
    app = make_app(load(str(SAMPLES / name)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        marked = {anomaly.row for anomaly in app.anomalies}
    assert marked
    drawn_again = {row for row in drawn if drawn.count(row) > 1}
    assert len(set(drawn)) > 20
    assert drawn_again <= marked


async def test_the_grid_is_drawn_again_when_the_theme_changes_not_on_focus(
    make_app, settle, drawn
):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        drawn.clear()

        await pilot.hover("#heatmap", offset=(1, 1))
        app.query_one(Inspector).focus()
        app.heatmap.focus()
        await settle(pilot)

        assert drawn == []

        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await settle(pilot)

        assert set(drawn) >= set(range(app.matrix.n_rows))

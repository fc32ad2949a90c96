"""The anomaly sidebar, driven the way a reader uses it."""

from __future__ import annotations

import numpy as np
import pytest
from textual.app import App, ComposeResult
from textual.widgets import OptionList, Static

from tui.anomalies import Anomaly
from tui.matrix import Matrix
from tui.widgets.anomaly_list import AnomalyList, entry_content, title_content

HOSTILE_LABELS = ("[bold]x[/]", "[link=http://e]y[/link]", "\x1b[31mz")


def _matrix() -> Matrix:
    values = np.array([[0.97, 0.02, 0.01], [0.03, 0.95, 0.40], [0.01, 0.02, 0.0]])
    return Matrix(
        values,
        row_labels=HOSTILE_LABELS,
        col_labels=("a", "b", "c"),
        x_label="digit_a",
        y_label="digit_b",
    )


def _anomalies() -> list[Anomaly]:
    return [
        Anomaly(
            row=2,
            col=2,
            value=0.0,
            expected=0.96,
            score=12.0,
            kind="collapse",
            reason="diagonal cell is 0.00; the other diagonal cells are 0.95–0.97",
        ),
        Anomaly(
            row=1,
            col=2,
            value=0.40,
            expected=0.02,
            score=6.0,
            kind="spike",
            reason="far above the other off-diagonal cells, which are 0.01–0.03",
        ),
        Anomaly(
            row=0,
            col=1,
            value=1.5,
            expected=float("nan"),
            score=3.0,
            kind="impossible",
            reason="an accuracy above 1",
        ),
    ]


class ListApp(App):
    """A bare app holding one sidebar, recording what it posts."""

    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[AnomalyList.AnomalySelected] = []

    def compose(self) -> ComposeResult:
        yield AnomalyList(id="anomalies")

    def on_anomaly_list_anomaly_selected(
        self, event: AnomalyList.AnomalySelected
    ) -> None:
        self.chosen.append(event)


def _screen_text(app: App) -> str:
    """Everything on screen as plain text, one line per screen row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def _title(app: App) -> str:
    return str(app.query_one(".anomaly-list--title", Static).render())


def test_entry_names_cell_value_expected_kind_and_reason() -> None:
    text = entry_content(_matrix(), _anomalies()[0], 1).plain

    assert text.startswith("1. ▼ ")
    assert "digit_b=␛[31mz, digit_a=c" in text
    assert "collapse · 0.00, expected 0.96" in text
    assert text.endswith("the other diagonal cells are 0.95–0.97")
    assert "\x1b" not in text


def test_entry_without_expected_value_leaves_it_out() -> None:
    text = entry_content(_matrix(), _anomalies()[2], 3).plain

    assert text.startswith("3. ! ")
    assert "impossible · 1.50\n" in text
    assert "expected" not in text


def test_entry_of_counts_prints_whole_counts() -> None:
    counts = Matrix(np.array([[950.0, 3.0], [41.0, 880.0]]))
    spike = Anomaly(1, 0, 41.0, 2.5, 5.0, "spike", "one large confusion")

    text = entry_content(counts, spike, 1).plain

    assert "spike · 41, expected 2.5" in text


def test_title_counts_and_names_sensitivity() -> None:
    assert title_content(3, 1.0).plain == "3 anomalies · sensitivity 1.0"
    assert title_content(1, 1.5).plain == "1 anomaly · sensitivity 1.5"
    assert title_content(0, 0.25).plain == "No anomalies · sensitivity 0.25"
    assert title_content(None, 1.0).plain == "Looking for anomalies…"


async def test_entries_render_with_labels_values_and_reasons() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 30)) as pilot:
        sidebar = app.query_one(AnomalyList)
        sidebar.show_anomalies(_matrix(), _anomalies(), 1.0)
        await pilot.pause()
        screen = _screen_text(app)
        title = _title(app)

    assert title == "3 anomalies · sensitivity 1.0"
    assert "1. ▼ digit_b=␛[31mz" in screen
    assert "2. ▲" in screen
    assert "digit_b=[link=http://e]y[/link]," in screen
    assert "3. ! digit_b=[bold]x[/]," in screen
    assert "0.40, expected 0.02" in screen
    assert "cells are 0.95–0.97" in screen


async def test_markup_in_labels_is_shown_literally() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 30)) as pilot:
        sidebar = app.query_one(AnomalyList)
        sidebar.show_anomalies(_matrix(), _anomalies(), 1.0)
        await pilot.pause()
        options = app.query_one(OptionList)
        prompts = [options.get_option_at_index(i).prompt for i in range(3)]

    plain = [prompt.plain for prompt in prompts]
    assert "[bold]x[/]" in plain[2]
    assert "[link=http://e]y[/link]" in plain[1]
    assert all("\x1b" not in text for text in plain)
    assert not any(span.style == "link http://e" for span in prompts[1].spans)


async def test_entries_wrap_inside_a_narrow_sidebar() -> None:
    app = ListApp()
    long_reason = "word " * 40
    anomaly = Anomaly(0, 0, 0.97, 0.1, 4.0, "spike", long_reason.strip())
    async with app.run_test(size=(36, 30)) as pilot:
        sidebar = app.query_one(AnomalyList)
        sidebar.show_anomalies(_matrix(), [anomaly], 1.0)
        await pilot.pause()
        screen = _screen_text(app)
        width = sidebar.size.width

    assert width <= 36
    assert screen.count("word") == 40


async def test_enter_posts_the_highlighted_anomaly() -> None:
    app = ListApp()
    found = _anomalies()
    async with app.run_test(size=(40, 30)) as pilot:
        sidebar = app.query_one(AnomalyList)
        sidebar.show_anomalies(_matrix(), found, 1.0)
        app.query_one(OptionList).focus()
        await pilot.pause()
        sidebar.select_next()
        sidebar.select_next()
        await pilot.press("enter")
        await pilot.pause()

    assert len(app.chosen) == 1
    assert app.chosen[0].anomaly is found[1]
    assert app.chosen[0].index == 1
    assert app.chosen[0].control is sidebar


async def test_click_posts_the_clicked_anomaly() -> None:
    app = ListApp()
    found = _anomalies()
    async with app.run_test(size=(40, 30)) as pilot:
        sidebar = app.query_one(AnomalyList)
        sidebar.show_anomalies(_matrix(), found, 1.0)
        await pilot.pause()
        screen = _screen_text(app).splitlines()
        row = next(y for y, line in enumerate(screen) if "3. !" in line)
        column = screen[row].index("3. !")
        await pilot.click(offset=(column + 1, row))
        await pilot.pause()

    assert [event.anomaly for event in app.chosen] == [found[2]]
    assert app.chosen[0].index == 2


async def test_select_next_and_previous_wrap_around() -> None:
    app = ListApp()
    found = _anomalies()
    async with app.run_test(size=(40, 30)) as pilot:
        sidebar = app.query_one(AnomalyList)
        sidebar.show_anomalies(_matrix(), found, 1.0)
        await pilot.pause()
        forward = [sidebar.select_next() for _ in range(4)]
        backward = [sidebar.select_previous() for _ in range(2)]
        highlighted = sidebar.highlighted

    assert forward == [found[0], found[1], found[2], found[0]]
    assert backward == [found[2], found[1]]
    assert highlighted is found[1]
    assert app.chosen == []


async def test_highlight_follows_its_cell_when_the_list_changes() -> None:
    app = ListApp()
    found = _anomalies()
    async with app.run_test(size=(40, 30)) as pilot:
        sidebar = app.query_one(AnomalyList)
        sidebar.show_anomalies(_matrix(), found, 1.0)
        sidebar.select_next()
        sidebar.select_next()
        sidebar.show_anomalies(_matrix(), found[1:], 0.5)
        await pilot.pause()
        highlighted = sidebar.highlighted
        title = _title(app)

    assert highlighted is found[1]
    assert title == "2 anomalies · sensitivity 0.5"


async def test_empty_list_says_so_and_selects_nothing() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 30)) as pilot:
        sidebar = app.query_one(AnomalyList)
        sidebar.show_anomalies(_matrix(), [], 1.0)
        await pilot.pause()
        stepped = (sidebar.select_next(), sidebar.select_previous())
        app.query_one(OptionList).focus()
        await pilot.press("enter")
        options = app.query_one(OptionList).option_count
        title = _title(app)

    assert title == "No anomalies · sensitivity 1.0"
    assert stepped == (None, None)
    assert options == 0
    assert app.chosen == []


async def test_pending_state_clears_old_entries() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 30)) as pilot:
        sidebar = app.query_one(AnomalyList)
        sidebar.show_anomalies(_matrix(), _anomalies(), 1.0)
        await pilot.pause()
        sidebar.show_pending()
        await pilot.pause()
        options = app.query_one(OptionList).option_count
        stepped = sidebar.select_next()
        title = _title(app)

    assert title == "Looking for anomalies…"
    assert options == 0
    assert stepped is None
    assert sidebar.anomalies == ()


async def test_anomalies_shown_before_mounting_appear_once_mounted() -> None:
    sidebar = AnomalyList()
    sidebar.show_anomalies(_matrix(), _anomalies(), 2.0)

    class EarlyApp(App):
        def compose(self) -> ComposeResult:
            yield sidebar

    app = EarlyApp()
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        options = app.query_one(OptionList).option_count
        title = _title(app)

    assert options == 3
    assert title == "3 anomalies · sensitivity 2.0"


@pytest.mark.parametrize("kind", ["collapse", "spike", "impossible"])
def test_each_kind_has_its_grid_glyph(kind: str) -> None:
    glyphs = {"collapse": "▼", "spike": "▲", "impossible": "!"}
    anomaly = Anomaly(0, 0, 0.5, 0.5, 1.0, kind, "reason")

    text = entry_content(_matrix(), anomaly, 1).plain

    assert text.startswith(f"1. {glyphs[kind]} ")


async def test_a_long_scan_shows_how_long_it_has_run(monkeypatch) -> None:
    import threading

    from tui import app as explorer
    from tui.colour_mode import ColourMode

    release = threading.Event()

    def slow_detection(view, sensitivity=1.0):
        release.wait(10)
        return []

    monkeypatch.setattr(explorer, "find_anomalies", slow_detection)
    monkeypatch.setattr(explorer, "SCAN_CLOCK_INTERVAL", 0.2)
    matrix = Matrix(np.linspace(0, 1, 200 * 200).reshape(200, 200))
    app = explorer.HeatlensApp(matrix, colour_mode=ColourMode("truecolor", ""))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(1.3)
        while_scanning = _title(app)

        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        after = _title(app)
        clock = app._scan_clock

    assert while_scanning == "Looking for anomalies… 1 s"
    assert after.startswith("No anomalies")
    assert clock is None

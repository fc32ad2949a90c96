"""The explorer: composes the grid, inspector, legend and sidebar, and holds the keys.

The widgets do the drawing; this module wires their messages together, runs
anomaly detection and figure export in worker threads, and writes files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.filter import Monochrome
from textual.notifications import SeverityLevel
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from tui.anomalies import Anomaly, detect
from tui.atomic import write_atomic
from tui.colour_mode import ColourMode
from tui.errors import OutputError
from tui.matrix import Matrix
from tui.scale import ColourScale
from tui.svg import render_svg
from tui.text import safe_text
from tui.widgets.anomaly_list import AnomalyList
from tui.widgets.colour_bar import ColourBar
from tui.widgets.heatmap import Heatmap
from tui.widgets.help_screen import HelpScreen
from tui.widgets.inspector import Inspector
from tui.widgets.prompt import Prompt, parse_cell

MIN_SIZE = (40, 10)
"""The smallest terminal, in columns and rows, that the explorer draws in."""

WIDE_ENOUGH_FOR_BOTH = 100
"""Below this width the sidebar, when shown, takes the inspector's place."""

SENSITIVITY_STEP = 1.25
"""How much `]` raises and `[` lowers the anomaly sensitivity."""

_MODE_NAMES = {"truecolor": "truecolor", "256": "256 colours", "16": "16 colours"}


def mode_text(mode: ColourMode) -> str:
    """The colour mode as the title bar shows it, with a hint when reduced."""
    name = _MODE_NAMES.get(mode.name, "no colour")
    return f"{name} · {mode.hint}" if mode.hint else name


def file_stem(matrix: Matrix) -> str:
    """The name output files are named after: the input's stem, or `stdin`."""
    if matrix.source in ("", "-"):
        return "stdin"
    return Path(matrix.source).stem or "matrix"


class HeatlensApp(App[int]):
    """The heatlens explorer for one matrix."""

    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", priority=True),
        Binding("question_mark", "show_help", "All keys"),
        Binding("colon", "go_to", "Go to"),
        Binding("a", "toggle_sidebar", "Anomaly list"),
        Binding("n", "next_anomaly", "Next anomaly"),
        Binding("N", "previous_anomaly", "Previous anomaly", show=False),
        Binding(
            "left_square_bracket",
            "change_sensitivity(-1)",
            "Fewer anomalies",
            show=False,
        ),
        Binding(
            "right_square_bracket",
            "change_sensitivity(1)",
            "More anomalies",
            show=False,
        ),
        Binding("e", "export_figure", "Export figure"),
        Binding("s", "save_screenshot", "Save screenshot"),
        Binding("E", "export_figure_as", "Export figure as…", show=False),
        Binding("S", "save_screenshot_as", "Save screenshot as…", show=False),
    ]

    def __init__(
        self,
        matrix: Matrix,
        *,
        scale: ColourScale,
        colour_mode: ColourMode,
        sensitivity: float = 1.0,
    ) -> None:
        # In 16-colour mode the grid's ANSI colours must reach the terminal as
        # ANSI, so the user's own palette draws them.
        super().__init__(ansi_color=True if colour_mode.name == "16" else None)
        if colour_mode.name == "none" and not self.no_color:
            self._filters.append(Monochrome())

        self.matrix = matrix
        self.scale = scale
        self.colour_mode = colour_mode
        self.sensitivity = sensitivity
        self.anomalies: list[Anomaly] | None = None
        """The anomalies found at the current sensitivity; None while looking."""
        self.show_sidebar: bool | None = None
        """Whether the user asked for the anomaly sidebar; None: when it fits."""
        self.title = self._title_text()

    def _title_text(self) -> str:
        matrix = self.matrix
        if matrix.title:
            return safe_text(matrix.title)
        if matrix.source not in ("", "-"):
            return safe_text(Path(matrix.source).name)
        return "heatlens"

    def compose(self) -> ComposeResult:
        with Horizontal(id="title-bar"):
            yield Static(Content(self.title), id="title")
            yield Static(Content(mode_text(self.colour_mode)), id="colour-mode")
        with Horizontal(id="main"):
            yield Heatmap(
                self.matrix,
                self.scale,
                colour_mode=self.colour_mode.name,
                id="heatmap",
            )
            with Vertical(id="side-panel"):
                yield Inspector(self.matrix, id="inspector")
                yield ColourBar(
                    self.scale, colour_mode=self.colour_mode.name, id="colour-bar"
                )
            yield AnomalyList(id="anomalies")
        yield Static(id="too-small")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._fit(self.size.width, self.size.height)
        self.query_one(Heatmap).focus()
        self.find_anomalies()

    @property
    def heatmap(self) -> Heatmap:
        return self.query_one("#heatmap", Heatmap)

    @property
    def inspector(self) -> Inspector:
        return self.query_one("#inspector", Inspector)

    @property
    def anomaly_list(self) -> AnomalyList:
        return self.query_one("#anomalies", AnomalyList)

    def on_heatmap_cell_highlighted(self, event: Heatmap.CellHighlighted) -> None:
        self.inspector.show_cell(event.row, event.col)

    def on_anomaly_list_anomaly_selected(
        self, event: AnomalyList.AnomalySelected
    ) -> None:
        self.heatmap.move_cursor(event.anomaly.row, event.anomaly.col)
        self.heatmap.focus()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """Choose what fits: the whole explorer, fewer panels, or a message."""
        too_small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        self.screen.set_class(too_small, "-too-small")
        if too_small:
            need = f"{MIN_SIZE[0]}×{MIN_SIZE[1]}"
            message = (
                f"Terminal too small: {width}×{height}; heatlens needs at least {need}"
            )
            self.query_one("#too-small", Static).update(message)
            return

        narrow = width < WIDE_ENOUGH_FOR_BOTH
        sidebar = self._sidebar_wanted(width)
        self.anomaly_list.display = sidebar
        self.query_one("#side-panel").display = not (sidebar and narrow)

    def find_anomalies(self) -> None:
        """Start detection at the current sensitivity; the sidebar shows it pending."""
        self.anomalies = None
        self.anomaly_list.show_pending()
        self.refresh_bindings()
        self._detect(self.matrix, self.sensitivity)

    @work(thread=True, exclusive=True, group="anomalies", exit_on_error=False)
    def _detect(
        self, matrix: Matrix, sensitivity: float
    ) -> tuple[float, list[Anomaly]]:
        return sensitivity, list(detect(matrix, sensitivity=sensitivity))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "anomalies":
            return
        if event.state == WorkerState.SUCCESS and worker.result is not None:
            sensitivity, found = worker.result
            if sensitivity == self.sensitivity:
                self._show_anomalies(found)
        elif event.state == WorkerState.ERROR:
            self._tell(
                f"Anomaly detection failed: {worker.error}",
                title="heatlens",
                severity="error",
            )

    def _show_anomalies(self, found: list[Anomaly]) -> None:
        self.anomalies = found
        self.anomaly_list.show_anomalies(self.matrix, found, self.sensitivity)
        self.heatmap.set_anomalies({(a.row, a.col): a.kind for a in found})
        self.inspector.set_anomalies({(a.row, a.col): a for a in found})
        self.refresh_bindings()
        self._fit(self.size.width, self.size.height)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Let a prompt take `q` as text; grey out anomaly keys with none to visit."""
        if action == "quit" and isinstance(self.screen, Prompt):
            return False
        if action in ("next_anomaly", "previous_anomaly"):
            return True if self.anomalies else None
        return True

    def action_show_help(self) -> None:
        sections = [
            ("Moving around the grid", Heatmap.BINDINGS),
            ("Explorer", self.BINDINGS),
            ("Anomaly list", [Binding("enter", "select", "Jump to the anomaly")]),
        ]
        self.push_screen(HelpScreen(sections))

    def action_go_to(self) -> None:
        prompt = Prompt(
            "Go to a cell: row and column, by label or 0-based index",
            placeholder=self._goto_example(),
        )
        self.push_screen(prompt, self._go_to)

    def _goto_example(self) -> str:
        matrix = self.matrix
        row, col = matrix.row_labels[-1], matrix.col_labels[-1]
        names = f"{matrix.y_label or 'row'}={row} {matrix.x_label or 'col'}={col}"
        return safe_text(f"e.g. {row} {col} or {row},{col} or {names}")

    def _go_to(self, text: str | None) -> None:
        if not text:
            return
        try:
            row, col = parse_cell(text, self.matrix, self.heatmap.cursor)
        except ValueError as error:
            self._tell(str(error), title="Go to", severity="warning")
            return
        self.heatmap.move_cursor(row, col)

    def _sidebar_wanted(self, width: int) -> bool:
        """The user's choice; by default, when it fits and has something to list.

        A clean matrix gives its room back to the grid once detection is done.
        """
        if self.show_sidebar is None:
            return width >= WIDE_ENOUGH_FOR_BOTH and self.anomalies != []
        return self.show_sidebar

    def action_toggle_sidebar(self) -> None:
        self.show_sidebar = not self._sidebar_wanted(self.size.width)
        self._fit(self.size.width, self.size.height)

    def action_next_anomaly(self) -> None:
        self._go_to_anomaly(self.anomaly_list.select_next())

    def action_previous_anomaly(self) -> None:
        self._go_to_anomaly(self.anomaly_list.select_previous())

    def _go_to_anomaly(self, anomaly: Anomaly | None) -> None:
        if anomaly is None:
            self._tell("No anomalies to go to", title="heatlens")
            return
        self.heatmap.move_cursor(anomaly.row, anomaly.col)

    def action_change_sensitivity(self, direction: int) -> None:
        factor = SENSITIVITY_STEP if direction > 0 else 1 / SENSITIVITY_STEP
        self.sensitivity = round(self.sensitivity * factor, 6)
        self.find_anomalies()

    def action_save_screenshot(self) -> None:
        self._save_screenshot(f"heatlens-{file_stem(self.matrix)}-screen.svg")

    def action_save_screenshot_as(self) -> None:
        default = f"heatlens-{file_stem(self.matrix)}-screen.svg"
        prompt = Prompt("Save a screenshot of the screen to", value=default)
        self.push_screen(prompt, self._save_screenshot)

    def _save_screenshot(self, path: str | None) -> None:
        if not path:
            return
        svg = self.export_screenshot(title=self.title)
        self._write(path, svg, "Screenshot")

    def action_export_figure(self) -> None:
        self._export_figure(f"heatlens-{file_stem(self.matrix)}.svg")

    def action_export_figure_as(self) -> None:
        default = f"heatlens-{file_stem(self.matrix)}.svg"
        prompt = Prompt("Export the heatmap figure to", value=default)
        self.push_screen(prompt, self._export_figure)

    def _export_figure(self, path: str | None) -> None:
        if path:
            self._render_and_write(path, self.anomalies)

    @work(thread=True, group="export", exit_on_error=False)
    def _render_and_write(self, path: str, anomalies: list[Anomaly] | None) -> None:
        svg = render_svg(self.matrix, self.scale, anomalies=anomalies)
        self.call_from_thread(self._write, path, svg, "Figure")

    def _tell(
        self, message: str, *, title: str, severity: SeverityLevel = "information"
    ) -> None:
        """Notify without reading markup: messages quote file names and labels."""
        self.notify(message, title=title, severity=severity, markup=False)

    def _write(self, path: str, data: str, what: str) -> None:
        """Write an output file whole and say where it went, or why it did not."""
        target = os.path.expanduser(path.strip())
        try:
            write_atomic(target, data)
        except OutputError as error:
            self._tell(
                f"Could not write {safe_text(target)}: {error.problem}",
                title=what,
                severity="error",
            )
            return
        self._tell(f"Saved to {safe_text(os.path.abspath(target))}", title=what)

"""The explorer: composes the grid, inspector, legend and sidebar, and holds the keys.

The widgets do the drawing; this module wires their messages together, runs
anomaly detection and figure export in worker threads, and writes files.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.filter import Monochrome
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from tui.app_exports import FileExports
from tui.app_loading import BackgroundLoad, PendingMatrix
from tui.app_reload import LiveReload
from tui.colour_mode import ColourMode
from tui.matrix import Matrix
from tui.scale import ColourScale
from tui.text import safe_text
from tui.transforms import NORMALISATIONS, ORDERS, find_label
from tui.view import (
    SOURCES,
    Inputs,
    View,
    ViewSettings,
    build_view,
    find_anomalies,
)
from tui.watch import FileWatcher
from tui.widgets.anomaly_list import AnomalyList
from tui.widgets.colour_bar import ColourBar
from tui.widgets.heatmap import Heatmap
from tui.widgets.help_screen import HelpScreen
from tui.widgets.inspector import Inspector
from tui.widgets.key_footer import KeyFooter
from tui.widgets.margins import MarginsPanel
from tui.widgets.prompt import Prompt, parse_cell

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.screen import Screen

    from tui.anomalies import Anomaly

MIN_SIZE = (40, 10)
"""The smallest terminal, in columns and rows, that the explorer draws in."""

WIDE_ENOUGH_FOR_BOTH = 100
"""Below this width the sidebar, when shown, takes the inspector's place."""

AUTO_SCAN_CELLS = 4_000_000
"""Above this many cells the explorer looks for anomalies only when asked.

A scan of such a matrix takes many times its memory and tens of seconds; the
sidebar says how to ask for it (`A`, or `heatlens anomalies FILE`)."""

AT_ONCE_CELLS = 10_000
"""Up to this many cells anomalies are found at once, not in a worker.

It takes a few milliseconds, and the sidebar then changes in one step
instead of saying it is looking first. The first scan still waits for the
first frame, so the matrix is on screen before any scan starts."""

PAINT_HOLD_LIMIT = 0.25
"""Seconds at most that frames are held back after the first layout."""

SCAN_CLOCK_INTERVAL = 1.0
"""Seconds between two updates of how long an anomaly scan has run."""

SENSITIVITY_STEP = 1.25
"""How much `]` raises and `[` lowers the anomaly sensitivity."""

CHANGED_MARK = "changed"
"""The mark kind the grid draws on a cell that changed on reload."""

VIEW_BINDINGS: list[BindingType] = [
    Binding("percent_sign", "cycle_normalisation", "Counts / shares", show=False),
    Binding("d", "cycle_source", "Show A / B / B − A", show=False),
    Binding("t", "transpose", "Transpose", show=False),
    Binding("o", "cycle_order", "Order of rows and columns", show=False),
    Binding("slash", "find_label", "Find a label", show=False),
]
"""The keys that change what the grid shows; listed together in the help."""

_MODE_NAMES = {"truecolor": "truecolor", "256": "256 colours", "16": "16 colours"}


def mode_text(mode: ColourMode) -> str:
    """The colour mode as the title bar shows it, with a hint when reduced."""
    name = _MODE_NAMES.get(mode.name, "no colour")
    return f"{name} · {mode.hint}" if mode.hint else name


def _after(choices: tuple[str, ...], current: str) -> str:
    """The choice after `current`, wrapping round."""
    return choices[(choices.index(current) + 1) % len(choices)]


class HeatlensApp(BackgroundLoad, LiveReload, FileExports, App[int]):
    """The heatlens explorer for one matrix, or two compared."""

    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", priority=True),
        Binding("question_mark", "show_help", "All keys"),
        Binding("colon", "go_to", "Go to"),
        Binding("a", "toggle_sidebar", "Anomaly list"),
        Binding("n", "next_anomaly", "Next anomaly"),
        Binding("N", "previous_anomaly", "Previous anomaly", show=False),
        Binding("A", "scan_anomalies", "Scan for anomalies", show=False),
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
        *VIEW_BINDINGS,
    ]

    def __init__(
        self,
        matrix: Matrix | None = None,
        *,
        pending: PendingMatrix | None = None,
        scale: ColourScale | None = None,
        colour_mode: ColourMode,
        sensitivity: float = 1.0,
        normalisation: str = "none",
        compare_with: Matrix | None = None,
        reload: Callable[[str], Matrix] | None = None,
    ) -> None:
        """Make the explorer.

        Args:
            matrix: the matrix to explore (A, when comparing).
            pending: instead of `matrix`, one still being read; the explorer
                shows the reading until it arrives.
            scale: the scale of the first view; by default one that fits it.
            colour_mode: the colours to draw with.
            sensitivity: the anomaly detector's sensitivity.
            normalisation: the first view's division of counts into shares.
            compare_with: B, to open on the difference B − A.
            reload: reads a file again; given, the explorer watches its files.

        Raises:
            InputError: when `matrix` and `compare_with` cannot be aligned.
        """
        # In 16-colour mode the grid's ANSI colours must reach the terminal as
        # ANSI, so the user's own palette draws them.
        super().__init__(ansi_color=True if colour_mode.name == "16" else None)
        if colour_mode.name == "none" and not self.no_color:
            self._filters.append(Monochrome())

        self._pending = pending
        self.load_error = None
        self._first_options = (scale, normalisation, compare_with)
        self.colour_mode = colour_mode
        self.sensitivity = sensitivity
        self.anomalies: list[Anomaly] | None = None
        """The anomalies found at the current sensitivity, at shown positions;
        None while looking."""
        self._found: list[Anomaly] = []
        """The same anomalies at content positions, kept across reorderings."""
        self._detection = 0
        self._scan_asked = False
        """Whether the reader asked for a scan of a matrix too large for one
        to start by itself; kept for the rest of the session."""
        self._scan_started = 0.0
        self._scan_clock: Timer | None = None
        self.first_frame_drawn = False
        """Whether the first frame has been drawn; until then no scan runs."""
        self._scan_waiting = False
        self.show_sidebar: bool | None = None
        """Whether the user asked for the anomaly sidebar; None: when it fits."""
        self._reload = reload
        self._watchers: list[tuple[str, FileWatcher]] = []
        self._polling = False
        self._notice = ""
        self._flashed: set[tuple[int, int]] = set()
        self._flash_timer: Timer | None = None
        self._search: tuple[str, list[tuple[str, int]], int] | None = None
        if matrix is not None:
            self._open(matrix)
        elif pending is not None:
            self.title = safe_text(pending.name)
        else:
            raise ValueError("the explorer needs a matrix, or one being read")
        self._holding_paints = True
        """Whether frames are being dropped until the first layout settles."""

    def _open(self, matrix: Matrix) -> None:
        """Take the matrix to explore and make the first view of it.

        Raises:
            InputError: when it and the matrix to compare with cannot be aligned.
        """
        scale, normalisation, compare_with = self._first_options
        self.inputs = Inputs.of(matrix, compare_with)
        source = "a" if compare_with is None else "diff"
        self.settings = ViewSettings(normalisation=normalisation, source=source)
        self._first_scale = (self.settings.content_key, scale)
        self.view = build_view(self.inputs, self.settings, scale)
        self.matrix = self.view.matrix
        self.scale = self.view.scale
        self.title = self._title_text()

    def _title_text(self) -> str:
        parts = [self._shown_name(), *self.view.headline()]
        if self._notice:
            parts.append(self._notice)
        return safe_text(" · ".join(parts))

    def _shown_name(self) -> str:
        """The name of what is shown: its title, else its file's name."""
        inputs = self.inputs
        source = self.settings.source
        if inputs.comparison is not None and source == "diff":
            return inputs.comparison.diff.title
        matrix = inputs.b if source == "b" and inputs.b is not None else inputs.a
        if matrix.title:
            return matrix.title
        if matrix.source not in ("", "-"):
            return Path(matrix.source).name
        return "heatlens"

    def compose(self) -> ComposeResult:
        """The explorer's widgets, or the reading of its matrix until it is there."""
        yield from self._compose_title_bar()
        if self.loading:
            yield from self._compose_loading()
        else:
            yield from self._compose_explorer()
        yield KeyFooter(compact=True)

    def _compose_explorer(self) -> ComposeResult:
        """The grid and its panels, each filled and shown or hidden already.

        Deciding here what each panel shows, and whether it shows, lets the
        first frame have every panel as it stays, with no panel drawn again
        as it settles.
        """
        sidebar, side_panel = self._panels_shown(self.size.width)

        with Horizontal(id="main"):
            yield Heatmap(
                self.matrix,
                self.scale,
                colour_mode=self.colour_mode.name,
                id="heatmap",
            )
            with Vertical(id="side-panel") as panel:
                panel.display = side_panel
                yield Inspector(self.matrix, notes=self.view, id="inspector")
                yield MarginsPanel(self.view.class_figures(), id="margins")
                yield ColourBar(
                    self.scale, colour_mode=self.colour_mode.name, id="colour-bar"
                )
            yield self._first_anomaly_list(sidebar)
        yield Static(id="too-small")

    def _compose_title_bar(self) -> ComposeResult:
        with Horizontal(id="title-bar"):
            yield Static(Content(self.title), id="title")
            yield Static(Content(mode_text(self.colour_mode)), id="colour-mode")

    @staticmethod
    def _first_anomaly_list(shown: bool) -> AnomalyList:
        """The sidebar, shown or hidden as the first frame needs it."""
        sidebar = AnomalyList(id="anomalies")
        sidebar.display = shown
        return sidebar

    def on_mount(self) -> None:
        if self.loading:
            self._start_loading()
        else:
            self._begin()

    def _begin(self) -> None:
        """Set the explorer going on its matrix: cursor, focus, anomalies, watch."""
        self._fit(self.size.width, self.size.height)
        self.watch(self.heatmap, "cursor", self._cursor_moved, init=False)
        self.query_one(Heatmap).focus()
        if self.anomalies is None:
            self.find_anomalies()
        else:
            self._show_anomalies()
        if self._reload is not None:
            self._start_watching()

    def on_ready(self) -> None:
        """Let the screen be drawn once its first layout has settled.

        Textual lays a new screen out, then again for the terminal's size
        and for the widgets' first sizes, writing each in full: three frames
        down the wire where one would do. Frames are dropped until the
        screen is next idle after its first layout, then the screen is drawn
        whole, once; a time limit makes sure the hold always ends.
        """
        self.call_after_refresh(self._release_paints)
        self.set_timer(PAINT_HOLD_LIMIT, self._release_paints)

    def _release_paints(self) -> None:
        """Draw the whole screen as it is now, and stop holding paints."""
        if not self._holding_paints:
            return
        self._holding_paints = False
        self.screen.refresh()

    def _display(self, screen: Screen, renderable: RenderableType | None) -> None:
        """Write a frame to the terminal, unless paints are being held.

        This is where Textual hands every frame to the terminal. Textual's
        own `batch_update` would hold back the layouts as well, and these
        would then be written as a frame of their own just before the whole
        screen; dropping frames here lets the layouts settle unseen. The
        first frame handed on is what lets the first scan start: a
        refresh's callbacks can run before anything is drawn (Textual skips
        drawing while a widget rebuilds itself).
        """
        if self._holding_paints:
            return
        super()._display(screen, renderable)
        if renderable is not None and not self.first_frame_drawn:
            self.first_frame_drawn = True
            self.call_later(self._start_waiting_scan)

    def _start_waiting_scan(self) -> None:
        """Start the first anomaly scan, now that the reader sees the matrix.

        Even a small matrix's scan takes tens of milliseconds (and its
        modules' import), and a large one's worker would compete with the
        drawing; the sidebar says it is looking meanwhile.
        """
        if self._scan_waiting:
            self._scan_waiting = False
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

    def _cursor_moved(self, cell: tuple[int, int]) -> None:
        """Show the cell in the inspector as the cursor lands on it.

        Watching the grid's cursor, rather than waiting for its message to
        bubble up, puts the inspector's change in the same frame as the
        grid's: one write to the terminal per key instead of two.
        """
        rows, cols = self.inspector.matrix.shape
        if cell[0] < rows and cell[1] < cols:
            self.inspector.show_cell(*cell)

    def on_heatmap_cell_highlighted(self, event: Heatmap.CellHighlighted) -> None:
        if self.inspector.cell != (event.row, event.col):
            self.inspector.show_cell(event.row, event.col)

    def on_heatmap_cell_selected(self, event: Heatmap.CellSelected) -> None:
        """Enter on the grid goes on to the next match of the last search."""
        if self._search is not None:
            self._step_search()

    def on_anomaly_list_anomaly_selected(
        self, event: AnomalyList.AnomalySelected
    ) -> None:
        self.heatmap.move_cursor(event.anomaly.row, event.anomaly.col)
        self.heatmap.focus()

    def on_resize(self, event: Resize) -> None:
        if not self.loading:
            self._fit(event.size.width, event.size.height)

    async def action_quit(self) -> None:
        """Quit, first stopping the reading of a matrix still on the way."""
        self._stop_loading()
        self.exit()

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

        sidebar, side_panel = self._panels_shown(width)
        self.anomaly_list.display = sidebar
        self.query_one("#side-panel").display = side_panel

    def _panels_shown(self, width: int) -> tuple[bool, bool]:
        """Whether the sidebar and the side panel show at this terminal width."""
        sidebar = self._sidebar_wanted(width)
        return sidebar, not (sidebar and width < WIDE_ENOUGH_FOR_BOTH)

    def find_anomalies(self) -> None:
        """Start detection on the values shown; the sidebar shows it pending.

        A difference view ranks the largest changes instead of fitting a
        pattern: there, the question is what moved, not what breaks a pattern.
        """
        self._detection += 1
        view = self.view
        cells = view.content.values.size
        if cells <= AT_ONCE_CELLS and self.first_frame_drawn:
            self._found = self._scan_now(view)
            self._show_anomalies()
            return

        self.anomalies = None
        if cells > AUTO_SCAN_CELLS and not self._scan_asked:
            self.anomaly_list.show_not_scanned(cells)
        else:
            self.anomaly_list.show_pending()
            if self.first_frame_drawn:
                self._start_scan_clock()
                self.call_after_refresh(
                    self._detect, self._detection, view, self.sensitivity
                )
            else:
                self._scan_waiting = True
        self.refresh_bindings()

    def _start_scan_clock(self) -> None:
        """Show in the sidebar, each second, how long the scan has run."""
        self._scan_started = time.monotonic()
        if self._scan_clock is None:
            self._scan_clock = self.set_interval(
                SCAN_CLOCK_INTERVAL, self._show_scan_time
            )

    def _show_scan_time(self) -> None:
        scanning = any(
            worker.group == "anomalies" and not worker.is_finished
            for worker in self.workers
        )
        if self.anomalies is None and scanning:
            seconds = time.monotonic() - self._scan_started
            self.anomaly_list.show_scan_time(seconds)
        elif self._scan_clock is not None:
            self._scan_clock.stop()
            self._scan_clock = None

    def _scan_now(self, view: View) -> list[Anomaly]:
        """Find a small view's anomalies at once; a failure is told, not raised."""
        try:
            return find_anomalies(view, self.sensitivity)
        except Exception as error:
            self._detection_failed(error)
            return []

    def _detection_failed(self, error: BaseException | None) -> None:
        self._tell(
            f"Anomaly detection failed: {error}", title="heatlens", severity="error"
        )

    def action_scan_anomalies(self) -> None:
        """Look for anomalies in a matrix too large for a scan to start by itself."""
        if self._scan_asked or self.view.content.values.size <= AUTO_SCAN_CELLS:
            self._tell("Anomalies are found without asking here", title="heatlens")
            return
        self._scan_asked = True
        self.find_anomalies()

    @work(thread=True, exclusive=True, group="anomalies", exit_on_error=False)
    def _detect(
        self, token: int, view: View, sensitivity: float
    ) -> tuple[int, list[Anomaly]]:
        return token, find_anomalies(view, sensitivity)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "loading":
            self._loading_worker_changed(event)
            return
        if worker.group == "watch":
            self._watch_worker_changed(event)
            return
        if worker.group != "anomalies":
            return
        if event.state == WorkerState.SUCCESS and worker.result is not None:
            token, found = worker.result
            if token == self._detection:
                self._found = found
                self._show_anomalies()
        elif event.state == WorkerState.ERROR:
            self._detection_failed(worker.error)

    def _show_anomalies(self) -> None:
        """Show the anomalies found, at the places the current view puts them."""
        found = self.view.shown_anomalies(self._found)
        self.anomalies = found
        self.anomaly_list.show_anomalies(self.matrix, found, self.sensitivity)
        self.inspector.set_anomalies({(a.row, a.col): a for a in found})
        self._mark_cells()
        self.refresh_bindings()
        self._fit(self.size.width, self.size.height)

    def _mark_cells(self) -> None:
        """Mark the anomalies, and the cells a reload just changed, on the grid."""
        marks = {(a.row, a.col): a.kind for a in self.anomalies or []}
        for cell in self._flashed:
            marks.setdefault(self.view.to_shown(*cell), CHANGED_MARK)
        self.heatmap.set_anomalies(marks)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Let a prompt take `q` as text; grey out anomaly keys with none to visit.

        While the matrix is being read, `q` is the only key.
        """
        if self.loading:
            return action == "quit"
        if action == "quit" and isinstance(self.screen, Prompt):
            return False
        if action in ("next_anomaly", "previous_anomaly"):
            return True if self.anomalies else None
        return True

    def action_show_help(self) -> None:
        views = [*VIEW_BINDINGS, Binding("enter", "next_match", "Next match found")]
        explorer = [b for b in self.BINDINGS if b not in VIEW_BINDINGS]
        sections = [
            ("Moving around the grid", Heatmap.BINDINGS),
            ("Explorer", explorer),
            ("Views of the matrix", views),
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

    def _show_view(
        self,
        settings: ViewSettings,
        *,
        cell: tuple[int, int] | None = None,
        detect_again: bool | None = None,
    ) -> None:
        """Show the view `settings` ask for, the cursor on the same cell.

        Args:
            settings: the reader's choices.
            cell: the content position to put the cursor on; by default the
                one under the cursor now.
            detect_again: whether to look for anomalies again; by default
                when the values shown change, not when they only move.
        """
        if cell is None:
            cell = self.view.to_content(*self.heatmap.cursor)
        if detect_again is None:
            detect_again = settings.content_key != self.settings.content_key

        first_key, first_scale = self._first_scale
        scale = first_scale if settings.content_key == first_key else None
        self.settings = settings
        self.view = build_view(self.inputs, settings, scale)
        self.matrix, self.scale = self.view.matrix, self.view.scale
        self._search = None

        self.inspector.set_matrix(self.matrix, self.view)
        self.heatmap.set_matrix(self.matrix, self.scale)
        self.heatmap.move_cursor(*self.view.to_shown(*cell))
        self.query_one(ColourBar).set_scale(self.scale)
        self.query_one(MarginsPanel).show_classes(self.view.class_figures())
        self._show_title()
        if detect_again:
            self.find_anomalies()
        elif self.anomalies is not None:
            self._show_anomalies()
        else:
            self._mark_cells()

    def _show_title(self) -> None:
        self.title = self._title_text()
        self.query_one("#title", Static).update(Content(self.title))

    def action_cycle_normalisation(self) -> None:
        """Divide counts by row, by column, by the total, or not at all."""
        current = self.settings.normalisation
        if current == "none" and not self.inputs.is_counts:
            self._tell(
                "Shares are for matrices of counts; this one holds scores",
                title="Counts / shares",
                severity="warning",
            )
            return
        following = _after(NORMALISATIONS, current)
        self._show_view(replace(self.settings, normalisation=following))

    def action_cycle_source(self) -> None:
        """Show A, then B, then the difference B − A."""
        if self.inputs.comparison is None:
            self._tell(
                "Nothing to compare with: start with heatlens A --compare B",
                title="Compare",
                severity="warning",
            )
            return
        following = _after(SOURCES, self.settings.source)
        self._show_view(replace(self.settings, source=following))

    def action_transpose(self) -> None:
        transposed = not self.settings.transposed
        self._show_view(replace(self.settings, transposed=transposed))

    def action_cycle_order(self) -> None:
        """Order rows and columns as stored, by label, by diagonal, by similarity."""
        following = _after(ORDERS, self.settings.order)
        self._show_view(replace(self.settings, order=following))

    def action_find_label(self) -> None:
        last = self._search[0] if self._search else ""
        prompt = Prompt(
            "Find a row or column label (again, or Enter on the grid: next match)",
            value=last,
            placeholder=safe_text(f"e.g. {self.matrix.row_labels[-1]}"),
        )
        self.push_screen(prompt, self._find_label)

    def _find_label(self, text: str | None) -> None:
        if not text:
            return
        if self._search is not None and self._search[0] == text:
            self._step_search()
            return

        matches = find_label(self.matrix, text)
        if not matches:
            self._search = None
            self._tell(
                f"No row or column label contains {safe_text(text)!r}",
                title="Find",
                severity="warning",
            )
            return
        self._search = (text, matches, 0)
        self._go_to_match()

    def _step_search(self) -> None:
        """Go to the next match of the last search, wrapping round."""
        if self._search is None:
            return
        text, matches, index = self._search
        self._search = (text, matches, (index + 1) % len(matches))
        self._go_to_match()

    def _go_to_match(self) -> None:
        if self._search is None:
            return
        _, matches, index = self._search
        axis, position = matches[index]
        row, col = self.heatmap.cursor
        if axis == "row":
            row, label, noun = position, self.matrix.row_labels[position], "row"
        else:
            col, label, noun = position, self.matrix.col_labels[position], "column"
        self.heatmap.move_cursor(row, col)
        self._tell(
            f"{noun} {safe_text(label)} · match {index + 1} of {len(matches)}",
            title="Find",
        )

    def _tell(
        self, message: str, *, title: str, severity: SeverityLevel = "information"
    ) -> None:
        """Notify without reading markup or passing controls on.

        Messages quote file names, labels and errors that may hold either.
        """
        text = safe_text(message)
        self.notify(text, title=safe_text(title), severity=severity, markup=False)

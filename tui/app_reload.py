"""Live reload for the explorer: watching the files and taking what they hold.

Kept apart from the app module so the app stays about composing and keys; the
methods here rely on the app's view, inputs and heatmap.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
from textual import work
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from tui.errors import HeatlensError
from tui.matrix import Matrix
from tui.view import Inputs, build_view
from tui.watch import FileWatcher, WatchResult, changed_cells, map_cursor

WATCH_INTERVAL = 0.5
"""Seconds between two looks at a watched file."""

FLASH_SECONDS = 2.0
"""How long the cells that changed on a reload stay marked."""

MAX_FLASHED = 20_000
"""A reload that changes more cells than this marks none; the title says so."""


def _changes(old: Matrix, new: Matrix) -> np.ndarray:
    """Which content cells a reload changed; all of them when the shape did."""
    if old.shape != new.shape:
        return np.ones(new.shape, dtype=bool)
    return changed_cells(old, new)


class LiveReload:
    """The explorer's `--watch`: poll, re-read off the loop, keep the last good."""

    _watchers: list[tuple[str, FileWatcher]]
    _polling: bool
    _flashed: set[tuple[int, int]]
    _flash_timer: Timer | None

    def _start_watching(self) -> None:
        """Poll the files the matrices came from, standard input excepted."""
        inputs = self.inputs
        for role, matrix in (("a", inputs.a), ("b", inputs.b)):
            if matrix is None or matrix.source in ("", "-") or self._reload is None:
                continue
            self._watchers.append(
                (role, FileWatcher(matrix.source, self._reload, matrix))
            )
        if self._watchers:
            self.set_interval(WATCH_INTERVAL, self._poll)

    def _poll(self) -> None:
        if not self._polling:
            self._polling = True
            self._check_files()

    @work(thread=True, group="watch", exit_on_error=False)
    def _check_files(self) -> list[tuple[str, WatchResult]]:
        """Look at every watched file; a changed one is read here, off the loop."""
        return [(role, watcher.check()) for role, watcher in self._watchers]

    def _watch_worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.SUCCESS:
            self._polling = False
            self._take_reload(event.worker.result or [])
        elif event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._polling = False
            self._tell(
                f"Watching stopped working: {event.worker.error}",
                title="Reload",
                severity="error",
            )

    def _take_reload(self, results: list[tuple[str, WatchResult]]) -> None:
        """Show what a poll read, or say why the last good matrix stays."""
        failed = [result.message for _, result in results if result.kind == "failed"]
        fresh = {role: result.matrix for role, result in results if result.matrix}
        if failed:
            self._keep_last_good("; ".join(failed))
            return
        if not fresh:
            return

        inputs = self.inputs
        try:
            self.inputs = Inputs.of(fresh.get("a", inputs.a), fresh.get("b", inputs.b))
        except HeatlensError as error:
            self._keep_last_good(str(error))
            return

        old = self.view
        row, col = old.to_content(*self.heatmap.cursor)
        settings = self.settings
        new_content = build_view(self.inputs, replace(settings, order="stored")).content
        cell = map_cursor(old.content, new_content, row, col)
        self._flash(_changes(old.content, new_content))
        self._notice = f"reloaded {time.strftime('%H:%M:%S')}"
        self._show_view(settings, cell=cell, detect_again=True)

    def _keep_last_good(self, message: str) -> None:
        """Keep showing what was read last; tell the reader once per change."""
        self._notice = "⚠ file unreadable: showing the last good matrix"
        self._show_title()
        self._tell(message, title="Reload failed", severity="warning")

    def _flash(self, changed: np.ndarray) -> None:
        """Mark the changed cells (content positions) for `FLASH_SECONDS`."""
        if self._flash_timer is not None:
            self._flash_timer.stop()
        cells = np.argwhere(changed)
        if len(cells) > MAX_FLASHED:
            self._flashed = set()
            return
        self._flashed = {(int(r), int(c)) for r, c in cells}
        self._flash_timer = self.set_timer(FLASH_SECONDS, self._end_flash)

    def _end_flash(self) -> None:
        self._flashed = set()
        self._flash_timer = None
        self._mark_cells()

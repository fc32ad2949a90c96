"""The explorer's start on a matrix still being read.

A large file is read elsewhere (see `tui.loading`); meanwhile the explorer
shows what it reads and for how long, and quits at once on `q`. When the
matrix arrives the grid and its panels take the reading's place; a file
refused on the way ends the app with the loader's message, which the command
line prints once the terminal is restored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from tui.errors import HeatlensError, InputError
from tui.widgets.loading_panel import LoadingPanel

if TYPE_CHECKING:
    from tui.matrix import Matrix

ELAPSED_INTERVAL = 0.1
"""Seconds between two updates of the time the reading has taken."""


class PendingMatrix(Protocol):
    """A matrix being read: what it is, and a way to wait for it or stop it."""

    @property
    def path(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def size(self) -> int: ...

    @property
    def elapsed(self) -> float: ...

    def wait(self) -> Matrix:
        """Block until the matrix is read; raises `HeatlensError` if it cannot be."""
        ...

    def progress(self) -> float | None:
        """The share read so far, or None when that cannot be seen."""
        ...

    def cancel(self) -> None: ...


class BackgroundLoad:
    """The explorer while its matrix is on the way.

    The app supplies `_open` (take the matrix), `_compose_explorer` (the grid
    and its panels) and `_begin` (set them going).
    """

    _pending: PendingMatrix | None
    load_error: HeatlensError | None

    @property
    def loading(self) -> bool:
        """Whether the matrix is still being read."""
        return self._pending is not None

    def _compose_loading(self) -> ComposeResult:
        pending = self._pending
        assert pending is not None
        yield LoadingPanel(pending.name, pending.size, id="loading")

    def _start_loading(self) -> None:
        self._wait_for_matrix()
        self._elapsed_timer = self.set_interval(ELAPSED_INTERVAL, self._show_elapsed)

    def _show_elapsed(self) -> None:
        pending = self._pending
        if pending is None:
            return
        for panel in self.query(LoadingPanel):
            panel.show_progress(pending.elapsed, pending.progress())

    @work(thread=True, exclusive=True, group="loading", exit_on_error=False)
    def _wait_for_matrix(self) -> Matrix:
        assert self._pending is not None
        return self._pending.wait()

    def _loading_worker_changed(self, event: Worker.StateChanged) -> None:
        """Open the matrix read, or end with the reason it could not be."""
        if self._pending is None:
            return
        if event.state == WorkerState.SUCCESS:
            self.call_next(self._show_loaded, event.worker.result)
        elif event.state == WorkerState.ERROR:
            self._fail_loading(event.worker.error)

    async def _show_loaded(self, matrix: Matrix) -> None:
        try:
            self._open(matrix)
        except HeatlensError as error:
            self._fail_loading(error)
            return

        self._pending = None
        self._elapsed_timer.stop()
        self.query_one("#title", Static).update(Content(self.title))
        await self.query_one(LoadingPanel).remove()
        await self.screen.mount_compose(
            self._compose_explorer(), before=self.query_one(Footer)
        )
        self._begin()

    def _fail_loading(self, error: BaseException | None) -> None:
        pending = self._pending
        if isinstance(error, HeatlensError):
            self.load_error = error
        else:
            source = pending.path if pending is not None else "-"
            problem = f"could not be read ({type(error).__name__})"
            self.load_error = InputError(source, problem)
        self._pending = None
        self.exit(return_code=2)

    def _stop_loading(self) -> None:
        """Stop the reading, if any; the app is quitting."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.cancel()

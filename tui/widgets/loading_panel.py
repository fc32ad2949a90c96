"""What the explorer shows while its matrix is still being read."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import ProgressBar, Static

from tui.text import safe_text


def size_text(size: int) -> str:
    """A file size the way people say it: `36 MB`, `912 KB`."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= scale:
            return f"{size / scale:.0f} {unit}"
    return f"{size} bytes"


class LoadingPanel(Vertical):
    """The file being read, how much of it is read, and the time so far.

    The bar shows the share of the file read when the reader's position can
    be seen, and otherwise only moves, to show that work goes on.
    """

    DEFAULT_CSS = """
    LoadingPanel {
        height: 1fr;
        align: center middle;
    }
    LoadingPanel > Static {
        width: auto;
        height: 1;
    }
    LoadingPanel > ProgressBar {
        width: auto;
        height: 1;
        margin: 1 0;
    }
    LoadingPanel > #loading-time {
        color: $text-muted;
    }
    """

    def __init__(self, file_name: str, size: int, **options: str) -> None:
        super().__init__(**options)
        self._file_size = size
        self._what = f"Reading {safe_text(file_name)} · {size_text(size)}"

    def compose(self) -> ComposeResult:
        yield Static(Content(self._what), id="loading-what")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False)
        yield Static(Content("0.0 s · q quits"), id="loading-time")

    def show_progress(self, seconds: float, share: float | None) -> None:
        """Show how long the reading has taken and, when known, how far it got.

        Nothing changes once the panel's lines are gone: a timer may still
        ask while the explorer is being taken down.
        """
        try:
            bar = self.query_one(ProgressBar)
            time_line = self.query_one("#loading-time", Static)
        except NoMatches:
            return

        line = f"{seconds:.1f} s · q quits"
        if share is not None:
            bar.update(total=1.0, progress=share)
            line = f"{size_text(int(share * self._file_size))} read · {line}"
        time_line.update(Content(line))

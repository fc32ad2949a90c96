"""Writing the explorer's SVG files: screenshots of the screen, heatmap figures."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from tui.atomic import write_atomic
from tui.errors import OutputError
from tui.matrix import Matrix
from tui.text import safe_text
from tui.widgets.prompt import Prompt

if TYPE_CHECKING:
    from tui.anomalies import Anomaly


def file_stem(matrix: Matrix) -> str:
    """The name output files are named after: the input's stem, or `stdin`."""
    if matrix.source in ("", "-"):
        return "stdin"
    return Path(matrix.source).stem or "matrix"


def default_name(matrix: Matrix, kind: str = "") -> str:
    """The file an export goes to unless told: `heatlens-<stem><kind>.svg`."""
    return f"heatlens-{file_stem(matrix)}{kind}.svg"


class FileExports:
    """The explorer's `s`, `S`, `e` and `E`: SVG files written whole, then told."""

    def action_save_screenshot(self) -> None:
        self._save_screenshot(default_name(self.matrix, "-screen"))

    def action_save_screenshot_as(self) -> None:
        default = default_name(self.matrix, "-screen")
        prompt = Prompt("Save a screenshot of the screen to", value=default)
        self.push_screen(prompt, self._save_screenshot)

    def _save_screenshot(self, path: str | None) -> None:
        if not path:
            return
        svg = self.export_screenshot(title=self.title)
        self._write(path, svg, "Screenshot")

    def action_export_figure(self) -> None:
        self._export_figure(default_name(self.matrix))

    def action_export_figure_as(self) -> None:
        default = default_name(self.matrix)
        prompt = Prompt("Export the heatmap figure to", value=default)
        self.push_screen(prompt, self._export_figure)

    def _export_figure(self, path: str | None) -> None:
        if path:
            self._render_and_write(path, self.anomalies)

    @work(thread=True, group="export", exit_on_error=False)
    def _render_and_write(self, path: str, anomalies: list[Anomaly] | None) -> None:
        from tui.svg import render_svg  # only when a figure is asked for

        svg = render_svg(self.matrix, self.scale, anomalies=anomalies)
        self.call_from_thread(self._write, path, svg, "Figure")

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

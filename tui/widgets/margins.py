"""The margins panel: each class's recall and precision, for a confusion matrix.

It is drawn once per view, not per cursor move, and shows only when the
matrix holds counts and is square (so its diagonal names the hits).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.text import shorten, text_width

ClassFigures = tuple[str, float, float]
"""A class's label, recall and precision."""

LABEL_ROOM = 14
"""The widest a class label prints in the panel."""


def _percent(share: float) -> str:
    return "—" if math.isnan(share) else f"{100 * share:.1f}%"


def margins_text(classes: Sequence[ClassFigures]) -> Content:
    """A small table: one line per class with its recall and precision."""
    room = min(LABEL_ROOM, max((text_width(c[0]) for c in classes), default=5))
    room = max(room, 5)
    lines = [
        Content.styled(f"{'class':<{room}}  recall  precision", "bold"),
    ]
    for label, recall, precision in classes:
        name = shorten(label, room)
        gap = " " * (room - text_width(name))
        lines.append(
            Content(f"{name}{gap}  {_percent(recall):>6}  {_percent(precision):>9}")
        )
    return Content("\n").join(lines)


class MarginsPanel(VerticalScroll, can_focus=False):
    """Per-class recall and precision, in the order the grid shows the classes."""

    DEFAULT_CSS = """
    MarginsPanel {
        height: auto;
        max-height: 12;
        padding: 0 1;
        margin-bottom: 1;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(
        self, figures: Sequence[ClassFigures] | None = None, **kwargs: Any
    ) -> None:
        """Make the panel, already showing `figures` (hidden when there are none).

        Filling it here rather than after mounting lets the first frame
        show it as it stays.
        """
        super().__init__(**kwargs)
        self._figures = figures
        self.display = bool(figures)

    def compose(self) -> ComposeResult:
        text = margins_text(self._figures) if self._figures else ""
        yield Static(text, id="margins-text", markup=False)

    def show_classes(self, classes: Sequence[ClassFigures] | None) -> None:
        """Show the table, or hide the panel when there is nothing to show."""
        self._figures = classes
        self.display = bool(classes)
        if classes:
            self.query_one("#margins-text", Static).update(margins_text(classes))

"""A one-line prompt (go to a cell, name a file) and the go-to parser behind it."""

from __future__ import annotations

import re
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tui.matrix import Matrix
from tui.text import safe_text

_ROW_NAMES = ("row", "r", "y")
_COL_NAMES = ("column", "col", "c", "x")


def _find(labels: tuple[str, ...], text: str, axis: str) -> int:
    """The position of `text` on an axis: a label first, else a 0-based index."""
    if text in labels:
        return labels.index(text)

    folded = text.casefold()
    matches = [i for i, label in enumerate(labels) if label.casefold() == folded]
    if len(matches) == 1:
        return matches[0]

    if re.fullmatch(r"[+-]?\d+", text):
        index = int(text)
        if 0 <= index < len(labels):
            return index
        raise ValueError(f"{axis} {index} is outside 0..{len(labels) - 1}")
    raise ValueError(f"no {axis} is labelled {safe_text(text)!r}")


def _split(text: str) -> list[str]:
    """The parts of a go-to request: comma separated, else whitespace separated."""
    if "," in text:
        return [part.strip() for part in text.split(",") if part.strip()]
    return text.split()


def parse_cell(text: str, matrix: Matrix, current: tuple[int, int]) -> tuple[int, int]:
    """The cell a go-to request names, as (row, col).

    Accepts `ROW COL`, `ROW,COL` and `NAME=VALUE` parts named by the axis
    names (`digit_b=5 digit_a=5`) or by `row=` / `col=`. Each value is a label
    or a 0-based index; a label wins when it could be both. A single part
    moves to that row and keeps the current column.

    Raises:
        ValueError: with a message for the user when the request names no cell.
    """
    parts = _split(text.strip())
    if not parts or len(parts) > 2:
        raise ValueError("type a row and a column, e.g. 3 4 or 3,4")

    row, col = current
    y_name = matrix.y_label.casefold()
    x_name = matrix.x_label.casefold()
    positional = ["row", "column"]
    for part in parts:
        name, equals, value = (piece.strip() for piece in part.partition("="))
        name = name.casefold()
        if equals and (name in _ROW_NAMES or (name == y_name and "row" in positional)):
            axis = "row"
        elif equals and (name in _COL_NAMES or name == x_name):
            axis = "column"
        elif positional:
            axis, value = positional[0], part
        else:
            raise ValueError("type a row and a column, e.g. 3 4 or 3,4")

        if axis in positional:
            positional.remove(axis)
        if axis == "row":
            row = _find(matrix.row_labels, value, "row")
        else:
            col = _find(matrix.col_labels, value, "column")
    return row, col


class Prompt(ModalScreen[str | None]):
    """Asks for one line of text; Enter returns it, escape returns None."""

    DEFAULT_CSS = """
    Prompt {
        align: center middle;
    }
    Prompt > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    Prompt Label {
        width: 100%;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
    ]

    def __init__(self, question: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            yield Input(self.value, placeholder=self.placeholder)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""The anomaly sidebar: the detector's findings, ranked, one entry per cell.

Each entry names the cell by its labels, shows its value beside the value
the matrix's pattern predicts, and gives the detector's reason in words.
Enter or a click on an entry asks the app to move the cursor there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import OptionList, Static

from tui.numbers import format_value
from tui.text import safe_text
from tui.widgets.heatmap import GLYPHS, OTHER_GLYPH

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from tui.anomalies import Anomaly
    from tui.matrix import Matrix


def format_sensitivity(sensitivity: float) -> str:
    """The sensitivity as people type it: `1.0`, `1.5`, `0.25`."""
    return str(round(float(sensitivity), 2))


def _format_number(value: float | None, counts: bool) -> str:
    """A value as the grid prints it, with room for whole counts up to 999999."""
    if value is None:
        return ""
    whole = counts and math.isfinite(value) and value == int(value)
    return format_value(value, 6 if whole else 4, counts=counts)


def entry_content(matrix: Matrix, anomaly: Anomaly, rank: int) -> Content:
    """One sidebar entry: rank, kind, cell, value against expected, reason.

    Every piece of text that came from the file (labels, axis names, and the
    reason that quotes them) is made safe and kept as plain text, so nothing
    in a label is read as markup or reaches the terminal as a control code.
    """
    glyph = GLYPHS.get(anomaly.kind, OTHER_GLYPH)
    cell = safe_text(matrix.describe_cell(anomaly.row, anomaly.col))
    value = _format_number(anomaly.value, matrix.is_counts) or "missing"
    expected = anomaly.expected
    has_expected = expected is not None and not math.isnan(expected)

    parts: list[str | tuple[str, str]] = [
        (f"{rank}. {glyph} ", "bold"),
        (cell, "bold"),
        "\n",
        (safe_text(anomaly.kind), "italic"),
        f" · {value}",
    ]
    if has_expected:
        parts.append(f", expected {_format_number(expected, matrix.is_counts)}")
    parts += ["\n", (safe_text(anomaly.reason), "dim")]
    return Content.assemble(*parts)


def title_content(count: int | None, sensitivity: float) -> Content:
    """The line above the list: how many were found, at which sensitivity."""
    if count is None:
        return Content("Looking for anomalies…")

    setting = f"sensitivity {format_sensitivity(sensitivity)}"
    if count == 0:
        return Content(f"No anomalies · {setting}")
    noun = "anomaly" if count == 1 else "anomalies"
    return Content(f"{count} {noun} · {setting}")


def not_scanned_content(cells: int) -> Content:
    """The title of a sidebar whose matrix is too large to scan unasked.

    One line: how large the matrix is, and the key that scans it anyway.
    """
    if cells >= 1_000_000:
        size = f"{cells / 1e6:.0f}M"
    elif cells >= 10_000:
        size = f"{cells / 1e3:.0f}k"
    else:
        size = f"{cells:,}"
    return Content(f"Not scanned: {size} cells · A scans")


class AnomalyList(Vertical):
    """The ranked anomalies of a matrix, with a title line that counts them."""

    DEFAULT_CSS = """
    AnomalyList {
        width: 36;
        height: 1fr;
    }
    AnomalyList > .anomaly-list--title {
        height: auto;
        padding: 0 1;
        text-style: bold;
        color: $text-accent;
    }
    AnomalyList > OptionList, AnomalyList > OptionList:focus {
        height: 1fr;
        max-height: 100%;
        border: none;
        padding: 0 1;
        background: transparent;
    }
    """

    class AnomalySelected(Message):
        """Posted when an entry is chosen with Enter or a click."""

        def __init__(self, anomaly_list: AnomalyList, anomaly: Anomaly, index: int):
            super().__init__()
            self.anomaly_list = anomaly_list
            """The list that posted the message."""
            self.anomaly = anomaly
            """The chosen anomaly."""
            self.index = index
            """Its position in the list, 0 for the highest score."""

        @property
        def control(self) -> AnomalyList:
            return self.anomaly_list

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._anomalies: tuple[Anomaly, ...] = ()
        self._entries: list[Content] = []
        self._title = title_content(None, 1.0)

    @property
    def anomalies(self) -> tuple[Anomaly, ...]:
        """The anomalies shown, highest score first; empty while pending."""
        return self._anomalies

    @property
    def highlighted(self) -> Anomaly | None:
        """The anomaly under the list's highlight, if any."""
        index = self._option_list().highlighted if self._is_built() else None
        return None if index is None else self._anomalies[index]

    def compose(self) -> ComposeResult:
        yield Static(self._title, classes="anomaly-list--title", markup=False)
        yield OptionList(markup=False)

    def on_mount(self) -> None:
        self._apply(keep=None)

    def show_pending(self) -> None:
        """Show that detection is running; the old entries are cleared."""
        self._anomalies = ()
        self._entries = []
        self._title = title_content(None, 1.0)
        self._apply(keep=None)

    def show_scan_time(self, seconds: float) -> None:
        """Say how long the running detection has taken so far."""
        if self._anomalies:
            return
        self._title = Content(f"Looking for anomalies… {seconds:.0f} s")
        try:
            self.query_one(".anomaly-list--title", Static).update(self._title)
        except NoMatches:
            return

    def show_not_scanned(self, cells: int) -> None:
        """Say that a matrix of `cells` cells was not scanned, and how to scan it."""
        self._anomalies = ()
        self._entries = []
        self._title = not_scanned_content(cells)
        self._apply(keep=None)

    def show_anomalies(
        self, matrix: Matrix, anomalies: Sequence[Anomaly], sensitivity: float
    ) -> None:
        """Show the detector's findings for `matrix`, in the order given.

        When the cell that was highlighted is still listed it stays
        highlighted, so changing the sensitivity does not lose the reader's
        place.
        """
        kept = self.highlighted
        keep = None if kept is None else (kept.row, kept.col)

        self._anomalies = tuple(anomalies)
        self._entries = [
            entry_content(matrix, anomaly, rank)
            for rank, anomaly in enumerate(self._anomalies, start=1)
        ]
        self._title = title_content(len(self._anomalies), sensitivity)
        self._apply(keep=keep)

    def select_next(self) -> Anomaly | None:
        """Highlight the next entry, wrapping to the first; None when empty."""
        return self._step(1)

    def select_previous(self) -> Anomaly | None:
        """Highlight the previous entry, wrapping to the last; None when empty."""
        return self._step(-1)

    def _step(self, direction: int) -> Anomaly | None:
        if not self._anomalies or not self._is_built():
            return None

        options = self._option_list()
        current = options.highlighted
        if current is None:
            index = 0 if direction > 0 else len(self._anomalies) - 1
        else:
            index = (current + direction) % len(self._anomalies)
        options.highlighted = index
        return self._anomalies[index]

    def _is_built(self) -> bool:
        try:
            self._option_list()
        except NoMatches:
            return False
        return True

    def _option_list(self) -> OptionList:
        return self.query_one(OptionList)

    def _apply(self, keep: tuple[int, int] | None) -> None:
        """Put the current title and entries on screen, once composed."""
        try:
            title = self.query_one(".anomaly-list--title", Static)
            options = self._option_list()
        except NoMatches:
            return

        title.update(self._title)
        options.clear_options()
        options.add_options(self._entries_with_dividers())
        cells = [(anomaly.row, anomaly.col) for anomaly in self._anomalies]
        options.highlighted = cells.index(keep) if keep in cells else None

    def _entries_with_dividers(self) -> list[Content | None]:
        """The entries with a divider line between each pair (`None`)."""
        spaced: list[Content | None] = []
        for entry in self._entries:
            if spaced:
                spaced.append(None)
            spaced.append(entry)
        return spaced

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        anomaly = self._anomalies[event.option_index]
        self.post_message(self.AnomalySelected(self, anomaly, event.option_index))

"""The help screen: every key the explorer answers to, grouped by where it acts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

HelpSection = tuple[str, Sequence[BindingType]]
"""A heading and the bindings listed under it."""


def key_rows(
    bindings: Iterable[BindingType], display: Callable[[Binding], str]
) -> list[tuple[str, str]]:
    """One (keys, description) row per action, its keys joined in binding order.

    Args:
        bindings: The bindings as a widget declares them.
        display: Turns one `Binding` into the text that names its key.
    """
    rows: dict[tuple[str, str], list[str]] = {}
    for binding in Binding.make_bindings(bindings):
        description = binding.tooltip or binding.description or binding.action
        keys = rows.setdefault((binding.action, description), [])
        shown = display(binding)
        if shown not in keys:
            keys.append(shown)
    return [(" ".join(keys), description) for (_, description), keys in rows.items()]


class HelpScreen(ModalScreen[None]):
    """Lists every key, with what it does; any of escape, `?` or F1 closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-align: center;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1", "close", "Close help", show=False),
    ]

    def __init__(self, sections: Sequence[HelpSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll() as body:
            body.border_title = "heatlens keys"
            yield Static(self._text(), id="help-text")

    def _text(self) -> Content:
        lines: list[Content] = []
        for heading, bindings in self.sections:
            if lines:
                lines.append(Content(""))
            lines.append(Content.styled(heading, "bold $accent"))
            for keys, description in key_rows(bindings, self.app.get_key_display):
                lines.append(
                    Content.assemble((f"{keys:>16}", "bold"), "  ", description)
                )
        lines.append(Content(""))
        lines.append(Content("A click on a cell moves the cursor there; a click on"))
        lines.append(Content("an anomaly in the list jumps to it."))
        lines.append(Content.styled("escape, ? or F1 closes this screen", "dim"))
        return Content("\n").join(lines)

    def action_close(self) -> None:
        self.dismiss(None)

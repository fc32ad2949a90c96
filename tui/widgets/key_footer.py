"""The footer of key hints, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class KeyFooter(Footer):
    """Textual's footer, rebuilt only when the keys it would show have changed.

    Textual's footer rebuilds every key each time any binding may have
    changed: four times while the explorer starts, some 9 ms each, though
    the same keys mostly come back, enabled as they were.
    """

    def __init__(self, **options: bool | str) -> None:
        super().__init__(**options)
        self._keys_drawn: tuple | None = None

    async def recompose(self) -> None:
        keys = self._keys_shown()
        if self.children and keys == self._keys_drawn:
            return
        self._keys_drawn = keys
        await super().recompose()

    def _keys_shown(self) -> tuple:
        """Each shown key's binding, whether it is enabled, and its tooltip."""
        return tuple(
            (key, active.binding, active.enabled, active.tooltip)
            for key, active in self.screen.active_bindings.items()
            if active.binding.show
        )

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild as soon as the keys may have changed, not after a refresh.

        Textual's footer waits for the next refresh, so the explorer's first
        layout had no keys in its footer and the screen was laid out again
        for them before it could be drawn.
        """
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_next(self.recompose)

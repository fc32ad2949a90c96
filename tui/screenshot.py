"""Headless screenshots: the explorer run without a terminal, its screen as SVG.

The app runs in Textual's headless test mode at a fixed size, waits for
anomaly detection to finish, presses the keys it was given, and exports
what the screen shows. No terminal is opened or needed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from textual.keys import REPLACED_KEYS, Keys, key_to_character

from tui.errors import InputError

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from tui.app import HeatlensApp
    from tui.colour_mode import ColourMode
    from tui.matrix import Matrix
    from tui.scale import ColourScale

SCREENSHOT_TITLE = "heatlens"
"""The title written into every screenshot's window frame."""

FIRST_FRAME_PAUSES = 100
"""Pauses of 10 ms at most to wait for the explorer's first frame."""

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(key.value.rpartition("+")[2] for key in Keys)


def _is_key_name(name: str) -> bool:
    """Whether Textual knows `name` as a key without modifiers."""
    if len(name) == 1:
        return name.isprintable()
    if name in _NAMED_KEYS:
        return True
    return key_to_character(REPLACED_KEYS.get(name, name)) is not None


def key_name(key: str) -> str:
    """The Textual name of a key given as a name or as a single character.

    Names are read case-insensitively (`Down` is `down`); a single
    character is kept as it is, so `N` is a capital N.

    Raises:
        InputError: if no key has that name.
    """
    if len(key) == 1:
        if key.isprintable():
            return key
        raise InputError("--press", f"unknown key {key!r}")

    name = key.lower()
    *modifiers, base = name.split("+")
    if all(m in _MODIFIERS for m in modifiers) and _is_key_name(base):
        return "+".join([*modifiers, base])
    raise InputError("--press", f"unknown key {key!r}")


def key_names(keys: Iterable[str]) -> list[str]:
    """Every key checked and named before the app starts, so a typo costs nothing.

    Raises:
        InputError: naming the first unknown key.
    """
    return [key_name(key) for key in keys]


async def _run(app: HeatlensApp, size: tuple[int, int], keys: Sequence[str]) -> str:
    async with app.run_test(size=size) as pilot:
        await _settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(app, pilot)
        return app.export_screenshot(title=SCREENSHOT_TITLE)


async def _settle(app: HeatlensApp, pilot: Pilot) -> None:
    """Wait until every worker (detection above all) is done and drawn.

    The first scan starts only once the first frame is drawn, so that comes
    first (within a limit: a screen that never draws is shot as it is).
    """
    for _ in range(FIRST_FRAME_PAUSES):
        if app.first_frame_drawn:
            break
        await pilot.pause(0.01)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def take_screenshot(
    matrix: Matrix,
    *,
    scale: ColourScale,
    colour_mode: ColourMode,
    size: tuple[int, int] = (120, 40),
    press: Sequence[str] = (),
    sensitivity: float = 1.0,
) -> str:
    """The explorer showing `matrix`, as SVG text, after pressing `press`.

    Args:
        matrix: The matrix to show.
        scale: The colour scale the grid uses.
        colour_mode: The colours the app draws with.
        size: The screen size in cells, columns by rows.
        press: Keys to press once detection has finished, as Textual key
            names (`down`, `question_mark`, `ctrl+s`) or single characters.
        sensitivity: The anomaly detector's sensitivity.

    Returns:
        The screen as an SVG document titled `heatlens`.

    Raises:
        InputError: if a key in `press` has no name Textual knows.
    """
    keys = key_names(press)
    from tui.app import HeatlensApp

    app = HeatlensApp(
        matrix, scale=scale, colour_mode=colour_mode, sensitivity=sensitivity
    )
    return asyncio.run(_run(app, size, keys))

"""The explorer under stress: long random runs of keys, clicks and resizes.

Each run is seeded, so a failure replays exactly. After every step the app
must still be running (the Pilot raises any exception the app met) and the
grid's cursor must lie inside the matrix the grid shows.
"""

from __future__ import annotations

import contextlib
import os
import random
from pathlib import Path

import numpy as np
import pytest
from textual import events
from textual.keys import _character_to_key
from textual.pilot import OutOfBounds

from tui.app import HeatlensApp
from tui.colour_mode import ColourMode
from tui.loaders import load
from tui.matrix import Matrix
from tui.watch import file_signature
from tui.widgets.heatmap import Heatmap
from tui.widgets.help_screen import HelpScreen
from tui.widgets.prompt import Prompt

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"

STEPS = 150
"""Random steps per matrix: enough to visit every key many times, kept short."""

PROMPT_KEYS = ("colon", "slash", "S", "E")
"""Keys that open a prompt; the run types into it and then accepts or cancels."""

TYPED = "0123456789 ,=abcdxyz_-/.[]\x1b"
"""Characters typed into prompts; the last one stands for escape mid-word."""

SIZES = [(10, 4), (12, 5), (39, 9), (40, 10), (60, 20), (99, 30), (120, 40)]
SIZES += [(160, 50), (300, 100)]


def bound_keys() -> list[str]:
    """Every key bound in the explorer, the grid, the help and the prompts, but q."""
    keys: set[str] = set()
    for owner in (HeatlensApp, Heatmap, HelpScreen, Prompt):
        for binding in owner.BINDINGS:
            keys.update(key.strip() for key in binding.key.split(","))
    keys.discard("q")
    return sorted(keys)


KEYS = bound_keys()


def explorer(matrix: Matrix, **options) -> HeatlensApp:
    """The explorer as `heatlens FILE` builds it, without scale options."""
    return HeatlensApp(
        matrix,
        scale=None,
        colour_mode=ColourMode("truecolor", "chosen in a test"),
        sensitivity=1.0,
        **options,
    )


def assert_cursor_valid(heatmap: Heatmap, done: object = None) -> None:
    """The cursor lies inside the matrix the grid shows; `done` explains a miss."""
    row, col = heatmap.cursor
    n_rows, n_cols = heatmap.matrix.shape
    assert 0 <= row < n_rows and 0 <= col < n_cols, (heatmap.cursor, done)


async def press(pilot, key: str) -> None:
    """Send one key the way the terminal driver does, then let the app take it.

    `Pilot.press` waits for the process to look idle, about 40 ms a key; this
    waits only until the screen's queues are empty, so a run can be long.
    """
    app = pilot.app
    char = key if len(key) == 1 else None
    if char is not None and not char.isalnum():
        key = _character_to_key(char)
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)
    await pilot._wait_for_screen()
    await pilot._wait_for_screen()


class RestlessReader:
    """A seeded reader who presses keys, answers prompts, clicks and resizes."""

    def __init__(self, seed: str) -> None:
        self.rng = random.Random(seed)
        self.deck: list[str] = []
        self.done: list[str] = []
        """What was done so far, for the message of a failed check."""

    def next_key(self) -> str:
        """A bound key, dealt from a shuffled deck so that every key comes up."""
        if not self.deck:
            self.deck = self.rng.sample(KEYS, len(KEYS))
        return self.deck.pop()

    async def step(self, pilot) -> str:
        """One thing to do: a key, a prompt, a click or a resize."""
        rng = self.rng
        choice = rng.random()
        if choice < 0.8:
            key = self.next_key()
            await press(pilot, key)
            return key
        if choice < 0.9:
            opener = rng.choice(PROMPT_KEYS)
            typed = rng.choices(TYPED, k=rng.randrange(1, 6))
            closer = rng.choice(("enter", "enter", "escape"))
            for key in (opener, *typed, closer):
                await press(pilot, "escape" if key == "\x1b" else key)
            return f"{opener} {''.join(typed)!r} {closer}"
        if choice < 0.95:
            # The footer's last line is left alone: clicking its `q` quits.
            width, height = pilot.app.screen.size
            offset = (rng.randrange(width), rng.randrange(max(1, height - 1)))
            with contextlib.suppress(OutOfBounds):
                await pilot.click(offset=offset, times=rng.choice((1, 1, 2)))
            return f"click {offset}"
        size = rng.choice(SIZES)
        await pilot.resize_terminal(*size)
        await pilot._wait_for_screen()
        return f"resize {size}"

    async def wander(self, pilot, heatmap: Heatmap, steps: int) -> None:
        """Take `steps` steps, checking after each that the app runs and the cursor."""
        for _ in range(steps):
            self.done.append(await self.step(pilot))
            assert pilot.app.is_running, self.done[-5:]
            assert_cursor_valid(heatmap, self.done[-5:])


def hostile_matrix() -> Matrix:
    labels = (
        "\x1b[31mred\x1b[0m",
        "[bold]b[/]",
        "\x1b]0;pwned\x07",
        "表" * 40,
        "\u202eevil",
        "e\u0301" * 30 + "👩‍👩‍👧",
    )
    values = np.linspace(0.0, 1.0, 36).reshape(6, 6)
    return Matrix(
        values,
        row_labels=labels,
        col_labels=tuple(reversed(labels)),
        x_label="[link=http://x]y[/link]",
        y_label="\x9b2J",
        title="</text><script>alert(1)</script>" + "x" * 10_000,
        source="hostile\x1b[2J.csv",
        has_row_labels=True,
        has_col_labels=True,
    )


def matrices() -> dict[str, Matrix]:
    return {
        "sample": load(SAMPLES / "digits_accuracy.json"),
        "3x9": Matrix(np.linspace(0.0, 1.0, 27).reshape(3, 9), source="wide.csv"),
        "1x1": Matrix(np.array([[0.5]]), source="one.csv"),
        "all missing": Matrix(np.full((4, 4), np.nan), source="gone.csv"),
        "counts": load(SAMPLES / "digits_confusion.csv"),
        "300x300": load(SAMPLES / "large_accuracy.csv"),
        "hostile": hostile_matrix(),
    }


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """`s`, `e` and the save prompts write into the current folder."""
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("name", list(matrices()))
async def test_random_keys_clicks_and_resizes_never_break_it(name):
    app = explorer(matrices()[name])
    reader = RestlessReader(name)

    async with app.run_test(size=(100, 30)) as pilot:
        heatmap = app.query_one(Heatmap)
        await reader.wander(pilot, heatmap, STEPS)
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert_cursor_valid(heatmap)
        assert app.is_running


RELOADS = [
    "a/b,x,y,z\nr,1,2,3\ns,4,5,6\nt,7,8,9\n",
    "x,y\n0.5,0.25\n",
    "a/b,x,y,z\nr,1,2\n",
    "",
    "\x00\x01binary\x02",
    "1\n",
    ",".join(str(i) for i in range(40)) + "\n" + ",".join("1" * 40) + "\n",
    "a/b,x,y\nr,nan,inf\ns,-inf,1e308\n",
]
"""What the watched file becomes between bursts: other shapes, and nonsense."""


async def test_random_use_while_the_file_changes_underneath(tmp_path):
    path = tmp_path / "live.csv"
    path.write_text(RELOADS[0])
    app = explorer(load(path), reload=load)
    reader = RestlessReader("reload")

    shapes = set()
    stamp = 1_700_000_000_000_000_000
    async with app.run_test(size=(100, 30)) as pilot:
        heatmap = app.query_one(Heatmap)
        watcher = app._watchers[0][1]
        for content in reader.rng.choices(RELOADS, k=8):
            await reader.wander(pilot, heatmap, 20)
            path.write_text(content)
            stamp += 1_000_000_000
            os.utime(path, ns=(stamp, stamp))
            for _ in range(20):
                app._poll()
                await app.workers.wait_for_complete()
                await pilot._wait_for_screen()
                if watcher._seen == file_signature(str(path)) and not app._polling:
                    break
            assert_cursor_valid(heatmap, content)
            shapes.add(app.inputs.a.shape)
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert_cursor_valid(heatmap)
        assert app.is_running
    assert len(shapes) >= 3

"""What the explorer's screen shows, compared with SVG snapshots a person checked.

Run `pytest tests/test_snapshots.py --snapshot-update` after a deliberate
change to the look, then open the new files under `__snapshots__/` and look
at them before committing.
"""

from __future__ import annotations

import pytest

SIZE = (120, 40)


async def _detection_done(pilot) -> None:
    """Wait for anomaly detection, so the sidebar and markers are final."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_first_screen_of_the_sample(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_detection_done)


def test_moved_cursor(snap_compare, make_app):
    assert snap_compare(
        make_app(),
        terminal_size=SIZE,
        press=["down", "down", "right", "right", "right"],
        run_before=_detection_done,
    )


@pytest.mark.parametrize("mode", ["256", "none"])
def test_reduced_colour_mode(snap_compare, make_app, mode):
    assert snap_compare(
        make_app(mode=mode), terminal_size=SIZE, run_before=_detection_done
    )


def test_counts_on_the_last_cell(snap_compare, make_app, counts_matrix):
    assert snap_compare(
        make_app(counts_matrix),
        terminal_size=SIZE,
        press=["G"],
        run_before=_detection_done,
    )


def test_help_screen(snap_compare, make_app):
    assert snap_compare(
        make_app(),
        terminal_size=SIZE,
        press=["question_mark"],
        run_before=_detection_done,
    )


def test_too_small_message(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(30, 8), run_before=_detection_done)

"""Choosing the colour mode from the flag, the environment and the terminal."""

import pytest

from tui.colour_mode import resolve_colour_mode


@pytest.mark.parametrize(
    ("requested", "environ", "expected"),
    [
        ("256", {"COLORTERM": "truecolor"}, "256"),
        (None, {"HEATLENS_COLOR": "16", "COLORTERM": "truecolor"}, "16"),
        (None, {"NO_COLOR": "1", "COLORTERM": "truecolor"}, "none"),
        ("truecolor", {"NO_COLOR": "1"}, "truecolor"),
        (None, {"COLORTERM": "truecolor", "TERM": "xterm-256color"}, "truecolor"),
        (None, {"TERM": "xterm-kitty"}, "truecolor"),
        (None, {"TERM": "xterm-256color"}, "256"),
        (None, {"TERM": "xterm-256color", "SSH_CONNECTION": "1 2 3 4"}, "256"),
        (None, {"TERM": "linux"}, "16"),
        (None, {"TERM": "dumb"}, "none"),
        (None, {}, "none"),
    ],
)
def test_mode_is_resolved_in_order(requested, environ, expected):
    assert resolve_colour_mode(requested, environ).name == expected


def test_ssh_without_colorterm_says_why():
    mode = resolve_colour_mode(None, {"TERM": "xterm-256color", "SSH_TTY": "/x"})

    assert "ssh" in mode.reason
    assert mode.is_reduced and "--color truecolor" in mode.hint


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        resolve_colour_mode(None, {"HEATLENS_COLOR": "sepia"})

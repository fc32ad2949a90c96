"""Choosing how many colours the terminal gets, before Textual is imported."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MODES = ("auto", "truecolor", "256", "16", "none")
"""The values `--color` and `HEATLENS_COLOR` accept."""

_TRUECOLOR_PROGRAMS = ("iterm.app", "wezterm", "vscode", "ghostty", "hyper")
_TRUECOLOR_TERMS = ("xterm-kitty", "alacritty", "wezterm", "foot", "xterm-ghostty")


@dataclass(frozen=True)
class ColourMode:
    """The colour mode in force and why it was chosen."""

    name: str
    """One of `truecolor`, `256`, `16`, `none`."""
    reason: str
    """Why, in a few words, shown beside the mode in the explorer."""

    @property
    def is_reduced(self) -> bool:
        return self.name != "truecolor"

    @property
    def hint(self) -> str:
        """What a user can do when the mode is reduced, or nothing."""
        if self.name == "truecolor":
            return ""
        return "--color truecolor if your terminal can show it"


def resolve_colour_mode(
    requested: str | None, environ: Mapping[str, str]
) -> ColourMode:
    """Decide the colour mode from `--color`, the environment and the terminal.

    An explicit choice wins, then `HEATLENS_COLOR`, then `NO_COLOR`; otherwise
    the terminal is judged from `COLORTERM`, `TERM_PROGRAM` and `TERM`. ssh
    does not pass `COLORTERM`, so a remote session without it is assumed to
    have 256 colours and says so.
    """
    choice = (requested or environ.get("HEATLENS_COLOR") or "auto").lower()
    if choice not in MODES:
        raise ValueError(f"colour mode must be one of {', '.join(MODES)}")
    if requested and choice != "auto":
        return ColourMode(choice, "chosen with --color")
    if choice != "auto":
        return ColourMode(choice, "chosen with HEATLENS_COLOR")
    if environ.get("NO_COLOR"):
        return ColourMode("none", "NO_COLOR is set")

    colorterm = environ.get("COLORTERM", "").lower()
    program = environ.get("TERM_PROGRAM", "").lower()
    term = environ.get("TERM", "").lower()
    if colorterm in ("truecolor", "24bit"):
        return ColourMode("truecolor", "COLORTERM says so")
    if program in _TRUECOLOR_PROGRAMS or term.startswith(_TRUECOLOR_TERMS):
        return ColourMode("truecolor", f"{program or term} shows true colour")
    if term in ("", "dumb"):
        return ColourMode("none", f"TERM is {term or 'not set'}")
    if "256color" in term:
        if environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"):
            return ColourMode("256", "over ssh, COLORTERM is not passed")
        return ColourMode("256", f"TERM is {term}")
    if term in ("linux", "vt100", "vt220", "ansi", "xterm", "screen", "tmux"):
        return ColourMode("16", f"TERM is {term}")
    return ColourMode("256", f"TERM is {term}")


def textual_colour_system(mode: ColourMode) -> str:
    """The value Textual's colour system should take for this mode."""
    return {"truecolor": "truecolor", "256": "256", "16": "standard"}.get(
        mode.name, "standard"
    )

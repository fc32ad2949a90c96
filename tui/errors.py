"""The exceptions the core raises; the command line turns them into exit codes."""

from __future__ import annotations


class HeatlensError(Exception):
    """Something heatlens refuses or cannot do, with a message fit for a user."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        """The file (or `-` for standard input) the problem is about."""
        self.problem = problem
        """What is wrong, in one line, without the file name."""


class InputError(HeatlensError):
    """An input file that cannot be read as a matrix."""


class OutputError(HeatlensError):
    """An output file that cannot be written."""

"""The command line run in a real pseudo-terminal, as a user's shell runs it."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_in_terminal(
    *arguments: str,
    keys: bytes = b"",
    after: bytes = b"Reading",
    size: tuple[int, int] = (120, 40),
    timeout: float = 30,
) -> tuple[int, bytes]:
    """Run `heatlens ARGUMENTS` in a true-colour terminal of `size` (columns,
    rows); press `keys` once `after` has been written.

    Textual draws on standard error, so that goes to the terminal too.

    Returns:
        The exit code and everything written to the terminal.
    """
    main_side, terminal = pty.openpty()
    cols, rows = size
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    for name in ("NO_COLOR", "HEATLENS_COLOR"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", *arguments],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=ROOT,
        env=env,
    )
    os.close(terminal)

    written = b""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([main_side], [], [], 0.1)
        if ready:
            try:
                written += os.read(main_side, 65536)
            except OSError:
                break
            if keys and after in written:
                os.write(main_side, keys)
                keys = b""
    if process.poll() is None:
        process.kill()
    process.wait()

    written += drain(main_side)
    os.close(main_side)
    return process.returncode, written


def drain(terminal: int) -> bytes:
    """What the terminal still holds after the process ended."""
    rest = b""
    while select.select([terminal], [], [], 0.05)[0]:
        try:
            chunk = os.read(terminal, 65536)
        except OSError:
            break
        if not chunk:
            break
        rest += chunk
    return rest

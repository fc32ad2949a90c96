"""Refusals that `test_refusals.py` leaves out: the explorer command, and pickles.

The explorer (`heatlens FILE`, no sub-command) must refuse bad input before
it takes the screen over: exit 2, one line naming the file, and not a single
escape sequence written. Pickled arrays must be refused without ever being
unpickled, proven by a pickle whose unpickling would leave a marker file.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from test_refusals import REFUSED, assert_refused, options_for, run_cli

from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("make", REFUSED.values(), ids=REFUSED.keys())
def test_the_explorer_refuses_every_bad_input(tmp_path, capsys, make):
    path = make(tmp_path)

    code = main([str(path), *options_for(make)])

    captured = capsys.readouterr()
    assert_refused(code, captured.out, captured.err, path)


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
@pytest.mark.parametrize("command", [[], ["anomalies"], ["--watch"]], ids=str)
def test_devices_are_refused_at_once(capsys, device, command):
    started = time.monotonic()

    code = main([*command, device])

    captured = capsys.readouterr()
    assert_refused(code, captured.out, captured.err, Path(device))
    assert time.monotonic() - started < 5


def test_unreadable_file_through_a_failing_open(tmp_path, capsys, monkeypatch):
    """As root nothing is unreadable, so the refusal of `os.open` is simulated."""
    path = tmp_path / "locked.csv"
    path.write_text("1,2\n3,4\n")
    real_open = os.open

    def refusing_open(file, *args, **kwargs):
        if os.fspath(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)

    code = main(["anomalies", str(path)])

    captured = capsys.readouterr()
    assert_refused(code, captured.out, captured.err, path)
    assert "permission" in captured.err.lower()


# Pickles.


class LeavesAMark:
    """Unpickling this creates a file: the proof that a pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def pickled_npy(folder: Path, marker: Path) -> Path:
    array = np.empty((2, 2), dtype=object)
    array[:] = 0.5
    array[0, 0] = LeavesAMark(marker)
    path = folder / "bad.npy"
    np.save(path, array, allow_pickle=True)
    return path


def pickled_npz(folder: Path, marker: Path) -> Path:
    array = np.empty((2, 2), dtype=object)
    array[:] = 0.5
    array[1, 1] = LeavesAMark(marker)
    path = folder / "bad.npz"
    np.savez(path, fine=np.eye(2), values=array)
    return path


@pytest.mark.parametrize("make", [pickled_npy, pickled_npz])
@pytest.mark.parametrize("command", [["anomalies"], [], ["export", "-o", "x.svg"]])
def test_pickles_are_refused_and_never_unpickled(tmp_path, make, command):
    marker = tmp_path / "unpickled"
    path = make(tmp_path, marker)
    key = ["--key", "values"] if path.suffix == ".npz" else []
    name, *rest = command or [None]
    arguments = [name, str(path), *rest] if name else [str(path)]

    result = run_cli(*arguments, *key)

    err = result.stderr.decode()
    assert_refused(result.returncode, result.stdout.decode(), err, path)
    assert "pickled data is never loaded" in err
    assert not marker.exists()
    assert not (ROOT / "x.svg").exists()


def test_the_marker_would_be_made_by_unpickling(tmp_path):
    """Guards the proof above: loading the same file with pickles allowed marks."""
    marker = tmp_path / "unpickled"

    np.load(pickled_npy(tmp_path, marker), allow_pickle=True)

    assert marker.exists()


# The explorer in a real terminal.


def run_in_terminal(*arguments: str, timeout: float = 20) -> tuple[int, bytes, bytes]:
    """Run `heatlens ARGUMENTS` with a pseudo-terminal as its input and output.

    Returns:
        The exit code, everything written to the terminal, and standard error.
    """
    main_side, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", *arguments],
        stdin=terminal,
        stdout=terminal,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    os.close(terminal)
    written = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main_side], [], [], 0.1)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            written += os.read(main_side, 65536)
        except OSError:
            break
    try:
        process.wait(timeout=max(deadline - time.monotonic(), 1))
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"the explorer did not exit; it wrote {written[:200]!r}")
    os.close(main_side)
    err = process.stderr.read()
    process.stderr.close()
    return process.returncode, written, err


TERMINAL_CASES = ["ragged", "binary", "directory", "missing", "json deep"]


@pytest.mark.parametrize("case", TERMINAL_CASES)
def test_the_explorer_refuses_before_taking_the_terminal(tmp_path, case):
    path = REFUSED[case](tmp_path)

    code, written, err = run_in_terminal(str(path))

    assert code == 2
    assert b"\x1b" not in written and written.strip() == b""
    assert err.count(b"\n") == 1 and err.startswith(b"heatlens: ")
    assert str(path).encode() in err
    assert b"Traceback" not in err


def test_the_explorer_refuses_a_fifo_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)

    code, written, err = run_in_terminal(str(fifo), "--watch", timeout=10)

    assert code == 2
    assert b"\x1b" not in written
    assert b"named pipe" in err


def test_the_explorer_refuses_with_output_not_a_terminal(tmp_path):
    path = REFUSED["ragged"](tmp_path)

    result = run_cli(str(path))

    assert_refused(
        result.returncode, result.stdout.decode(), result.stderr.decode(), path
    )
    assert b"\x1b" not in result.stdout + result.stderr

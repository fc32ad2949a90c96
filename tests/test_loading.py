"""Reading a large file in a second process, and the explorer waiting for it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from tests.terminal import run_in_terminal
from tui import loading
from tui.colour_mode import ColourMode
from tui.errors import InputError
from tui.loaders import load
from tui.loading import LoadingProcess, LoadRequest
from tui.matrix import Matrix

ROOT = Path(__file__).resolve().parent.parent
TRUECOLOR = ColourMode("truecolor", "")


def labelled_csv(folder: Path) -> Path:
    path = folder / "scores.csv"
    path.write_text(
        "true/predicted,cat,dog,eel\n"
        "cat,0.9,,0.05\n"
        "dog,0.1,0.8,0.1\n"
        'eel,0,0.25,"1e-3"\n'
    )
    return path


# Which files are worth a second process.


def test_only_large_text_files_are_read_elsewhere(tmp_path, monkeypatch):
    small = labelled_csv(tmp_path)
    array = tmp_path / "big.npy"
    np.save(array, np.zeros((40, 40)))
    monkeypatch.setattr(loading, "BACKGROUND_BYTES", 10)

    assert LoadRequest(str(small)).worth_a_process()
    assert LoadRequest(str(small), format="csv").worth_a_process()
    assert not LoadRequest(str(array)).worth_a_process()
    assert not LoadRequest(str(small), format="npy").worth_a_process()
    assert not LoadRequest("-").worth_a_process()
    assert not LoadRequest(str(tmp_path / "missing.csv")).worth_a_process()


def test_a_small_file_is_read_here(tmp_path):
    assert not LoadRequest(str(labelled_csv(tmp_path))).worth_a_process()


# The second process.


def read_elsewhere(request: LoadRequest) -> Matrix:
    process = LoadingProcess.start(request)
    assert process is not None
    return process.wait()


def test_the_matrix_read_elsewhere_is_the_one_read_here(tmp_path):
    path = labelled_csv(tmp_path)
    options = {"transpose": True, "title": "Pets", "x_label": "guess"}

    there = read_elsewhere(LoadRequest(str(path), **options))
    here = load(str(path), **options)

    assert np.array_equal(there.values, here.values, equal_nan=True)
    for name in ("row_labels", "col_labels", "x_label", "y_label", "title"):
        assert getattr(there, name) == getattr(here, name)
    assert (there.source, there.has_row_labels) == (here.source, here.has_row_labels)


def test_the_reading_process_runs_this_package_from_anywhere(tmp_path, monkeypatch):
    path = labelled_csv(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTHONPATH", raising=False)

    matrix = read_elsewhere(LoadRequest(path.name))

    assert matrix.values.shape == (3, 3) and matrix.source == path.name


def test_a_refusal_elsewhere_is_the_loaders_own(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("1,2\n3\n")

    with pytest.raises(InputError) as refused:
        read_elsewhere(LoadRequest(str(path)))

    with pytest.raises(InputError) as here:
        load(str(path))
    assert str(refused.value) == str(here.value)


def test_a_process_that_dies_is_reported_as_the_files_problem(tmp_path):
    path = labelled_csv(tmp_path)
    process = LoadingProcess.start(LoadRequest(str(path)))
    assert process is not None
    process._process.kill()

    with pytest.raises(InputError) as failed:
        process.wait()

    assert failed.value.path == str(path)
    assert "ended with code" in failed.value.problem


def test_cancel_ends_the_process(tmp_path):
    process = LoadingProcess.start(LoadRequest(str(labelled_csv(tmp_path))))
    assert process is not None

    process.cancel()

    assert process._process.returncode is not None


@pytest.mark.parametrize("writable", [True, False])
def test_the_values_come_in_a_file_or_else_after_the_header(tmp_path, writable):
    path = labelled_csv(tmp_path)
    values_path = tmp_path / "values"
    values_path.write_bytes(b"")
    request = json.dumps({"path": str(path)})

    with values_path.open("r+b" if writable else "rb") as values_file:
        descriptor = values_file.fileno()
        done = subprocess.run(
            [sys.executable, "-m", "tui.loading", request, str(descriptor)],
            capture_output=True,
            cwd=ROOT,
            check=True,
            pass_fds=(descriptor,),
        )

    header, _, rest = done.stdout.partition(b"\n")
    fields = json.loads(header)
    assert fields["shape"] == [3, 3] and fields["values_in_file"] is writable
    written = values_path.read_bytes() if writable else rest
    expected = load(str(path)).values
    assert np.array_equal(
        np.frombuffer(written, dtype=np.float64).reshape(3, 3), expected, equal_nan=True
    )
    assert rest == b"" if writable else values_path.read_bytes() == b""


def test_the_values_file_has_no_name_and_is_closed_after(tmp_path):
    path = labelled_csv(tmp_path)
    read = LoadingProcess.start(LoadRequest(str(path)))
    stopped = LoadingProcess.start(LoadRequest(str(path)))
    assert read is not None and stopped is not None
    names = [
        process._values_file.name
        for process in (read, stopped)
        if process._values_file is not None
    ]

    matrix = read.wait()
    stopped.cancel()

    assert matrix.values.shape == (3, 3)
    assert all(isinstance(name, int) for name in names)
    assert all(
        process._values_file is None or process._values_file.closed
        for process in (read, stopped)
    )


@pytest.mark.skipif(
    not os.path.isdir("/proc/self/fdinfo"), reason="file positions not visible"
)
def test_progress_is_where_the_other_process_is_in_the_file(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"0" * 1000)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import time; f = open({str(path)!r}, 'rb', buffering=0);"
            " f.read(250); print(flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
    )
    process = LoadingProcess(LoadRequest(str(path)), reader, None)
    try:
        reader.stdout.readline()

        share = process.progress()
    finally:
        process.cancel()
        reader.stdout.close()

    assert share == 0.25
    assert process.progress() is None


# The explorer while the matrix is on the way.


class Pending:
    """A matrix that arrives when the test says so."""

    path = "big.csv"
    name = "big.csv"
    size = 36_000_000

    def __init__(self, matrix: Matrix | None = None, error: Exception | None = None):
        self.matrix = matrix
        self.error = error
        self.arrive = threading.Event()
        self.cancelled = False

    @property
    def elapsed(self) -> float:
        return 1.5

    def progress(self) -> float | None:
        return 0.5

    def wait(self) -> Matrix:
        self.arrive.wait(10)
        if self.error is not None:
            raise self.error
        assert self.matrix is not None
        return self.matrix

    def cancel(self) -> None:
        self.cancelled = True
        self.arrive.set()


async def wait_until(pilot, condition, limit: float = 5.0) -> None:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        await pilot.pause(0.02)


async def test_the_explorer_shows_the_reading_then_the_matrix(sample_matrix):
    from tui.app import HeatlensApp
    from tui.widgets.heatmap import Heatmap
    from tui.widgets.loading_panel import LoadingPanel

    pending = Pending(sample_matrix)
    app = HeatlensApp(pending=pending, colour_mode=TRUECOLOR)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        shown = "\n".join(str(s.render()) for s in app.query("LoadingPanel Static"))

        assert app.loading and app.query(LoadingPanel)
        assert "Reading big.csv · 36 MB" in shown
        assert "18 MB read · 1.5 s" in shown
        assert app.query_one("LoadingPanel ProgressBar").percentage == 0.5
        await pilot.press("down", "t", "%", "e", "a", "question_mark", "colon")
        assert app.loading and not app.query(Heatmap)

        pending.arrive.set()
        await wait_until(pilot, lambda: bool(app.query(Heatmap)))

        assert not app.loading and not app.query(LoadingPanel)
        assert app.title == "Accuracy"
        await pilot.press("down")
        assert app.query_one(Heatmap).cursor == (1, 0)
        assert app.anomalies and app.anomalies[0].row == 4


async def test_a_refusal_on_the_way_ends_the_explorer_with_it():
    from tui.app import HeatlensApp

    refusal = InputError("big.csv", "line 9 has 3 values, expected 4")
    pending = Pending(error=refusal)
    app = HeatlensApp(pending=pending, colour_mode=TRUECOLOR)
    async with app.run_test(size=(80, 24)) as pilot:
        pending.arrive.set()
        await wait_until(pilot, lambda: app.load_error is not None)

    assert app.load_error is refusal
    assert app.return_code == 2


async def test_an_unexpected_failure_on_the_way_is_named_in_one_line():
    from tui.app import HeatlensApp

    pending = Pending(error=MemoryError())
    app = HeatlensApp(pending=pending, colour_mode=TRUECOLOR)
    async with app.run_test(size=(80, 24)) as pilot:
        pending.arrive.set()
        await wait_until(pilot, lambda: app.load_error is not None)

    assert str(app.load_error) == "big.csv: could not be read (MemoryError)"


async def test_q_while_reading_quits_and_stops_the_reading():
    from tui.app import HeatlensApp

    pending = Pending()
    app = HeatlensApp(pending=pending, colour_mode=TRUECOLOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await wait_until(pilot, lambda: pending.cancelled)

    assert pending.cancelled
    assert app.load_error is None


async def test_a_tiny_terminal_while_reading_does_not_crash():
    from tui.app import HeatlensApp

    pending = Pending()
    app = HeatlensApp(pending=pending, colour_mode=TRUECOLOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.resize_terminal(12, 3)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.loading
        pending.cancel()


async def test_the_reading_time_can_be_told_while_the_panel_is_taken_down():
    from tui.app import HeatlensApp
    from tui.widgets.loading_panel import LoadingPanel

    pending = Pending()
    app = HeatlensApp(pending=pending, colour_mode=TRUECOLOR)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(LoadingPanel)
        await panel.remove_children()

        app._show_elapsed()
        await panel.remove()
        app._show_elapsed()
        await pilot.pause()

        assert app.loading and app.return_code is None
        pending.cancel()


# The command line, in a real terminal.


def big_csv(folder: Path, last: str = "0.5", size: int = 1) -> Path:
    """A CSV `size` times the size read elsewhere; `last` starts its last line."""
    rows = int(size * loading.BACKGROUND_BYTES // (1000 * 9)) + 1
    line = ",".join(["0.123456"] * 1000)
    path = folder / "big.csv"
    with path.open("w") as out:
        out.write((line + "\n") * (rows - 1))
        out.write(last + line[len("0.123456") :] + "\n")
    assert path.stat().st_size >= size * loading.BACKGROUND_BYTES
    return path


def last_line(written: bytes) -> bytes:
    """What the terminal shows last, once the screen has been given back."""
    after_screen = written.rsplit(b"\x1b[?1049l", 1)[-1]
    return re.sub(rb"\x1b\[[0-9;?<>=]*[A-Za-z]", b"", after_screen).strip()


def test_a_large_file_refused_on_the_way_exits_2_with_one_line(tmp_path):
    path = big_csv(tmp_path, last="0.5,1")

    code, written = run_in_terminal(str(path))

    shown = last_line(written)
    assert code == 2
    assert shown.startswith(b"heatlens: ") and b"\n" not in shown
    assert f"{path}: line 933 has 1001 values, expected 1000".encode() in shown
    assert b"Traceback" not in written


def test_q_quits_while_a_large_file_is_read(tmp_path):
    # Text in the last row's first cell sends the file to the exact reader,
    # which takes long enough for the key to arrive while it reads.
    path = big_csv(tmp_path, last="late", size=3)

    code, written = run_in_terminal(str(path), keys=b"q")

    assert b"Reading big.csv" in written
    assert code == 0
    assert b"rows 0" not in written


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="no memory-only files")
def test_the_values_file_is_kept_in_memory_where_it_can_be(tmp_path):
    process = LoadingProcess.start(LoadRequest(str(labelled_csv(tmp_path))))
    assert process is not None and process._values_file is not None

    where = os.readlink(f"/proc/self/fd/{process._values_file.fileno()}")
    process.wait()

    assert where.startswith("/memfd:heatlens-values")

"""What the explorer costs in a real terminal: time, bytes and memory.

Runs `python -m tui FILE` in a pseudo-terminal of 120×40 with true colour,
as a user over SSH would see it, sends keys as the terminal would and reads
everything the app writes. Every ratio is measured within one run, so the
machine's speed cancels out. Data files are generated in a temporary folder.

    python benchmarks/bench_terminal.py [--quick] [--large-csv N]

Prints one table: figure, value, target, and whether the target is met.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 40)
DOWN, UP, RIGHT, LEFT = b"\x1b[B", b"\x1b[A", b"\x1b[C", b"\x1b[D"
END = b"\x1b[F"
QUIET = 0.25
"""Seconds without output after which a screen counts as settled."""
IDLE_CPU = 0.05
"""CPU seconds per second below which the app counts as idle (its scan done)."""
LARGE_WRITE = 10_000
"""A move whose output exceeds this many bytes redrew the grid (a scroll)."""

MINIMAL_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        def compose(self):
            yield Static("minimal-ready")

    Minimal().run()
    """
)


MINIMAL_WITH_NUMPY = "import numpy\n" + MINIMAL_APP
"""The minimal app importing numpy first, as the explorer must."""


HEATMAP_ONLY = textwrap.dedent(
    """
    import sys

    import numpy as np
    from textual.app import App

    from tui.matrix import Matrix
    from tui.scale import ColourScale
    from tui.widgets.heatmap import Heatmap

    class HeatmapOnly(App):
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self):
            values = np.load(sys.argv[1], mmap_mode="r")
            yield Heatmap(Matrix(values), ColourScale(0.0, 1.0))

    HeatmapOnly().run()
    """
)


@dataclass
class Session:
    """A program running in a pseudo-terminal, and what it has written."""

    pid: int
    fd: int
    started: float
    output: bytearray = field(default_factory=bytearray)

    @classmethod
    def start(cls, argv: list[str], size: tuple[int, int] = SIZE) -> Session:
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
        paths = [str(ROOT), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(path for path in paths if path)
        env.pop("NO_COLOR", None)
        env.pop("TEXTUAL", None)
        started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            cols, rows = size
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.chdir(ROOT)
            os.execvpe(argv[0], argv, env)
        return cls(pid, fd, started)

    def read(self, timeout: float) -> bytes:
        """Whatever arrives within `timeout` seconds of the first byte's wait."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            return b""
        self.output += chunk
        return chunk

    def wait_for(self, marker: bytes, timeout: float = 60.0) -> float:
        """Seconds from start until `marker` has been written.

        `marker` may hold several markers separated by `|`: the first of them.
        """
        markers = marker.split(b"|")
        deadline = time.perf_counter() + timeout
        while not any(one in self.output for one in markers):
            if time.perf_counter() > deadline:
                ended, status = os.waitpid(self.pid, os.WNOHANG)
                state = f"ended with status {status}" if ended else "still running"
                tail = bytes(self.output[-400:])
                raise TimeoutError(
                    f"no {marker!r} within {timeout} s; the process {state};"
                    f" its last output: {tail!r}"
                )
            self.read(0.05)
        return time.perf_counter() - self.started

    def settle(self, quiet: float = QUIET, limit: float = 120.0) -> tuple[int, float]:
        """Read until `quiet` seconds pass without output.

        Returns:
            The bytes read and the seconds until the last of them arrived.
        """
        begin = time.perf_counter()
        last, count = begin, 0
        while time.perf_counter() - begin < limit:
            chunk = self.read(quiet)
            if not chunk:
                break
            count += len(chunk)
            last = time.perf_counter()
        return count, last - begin

    def press(self, key: bytes, quiet: float = 0.08) -> tuple[int, float]:
        """Send a key; the bytes it caused and the time until the last of them."""
        os.write(self.fd, key)
        return self.settle(quiet)

    def cpu_seconds(self) -> float:
        """User and system CPU time the process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, limit: float = 900.0) -> float:
        """Seconds until the process stops using CPU (background work finished)."""
        begin = time.perf_counter()
        used = self.cpu_seconds()
        while time.perf_counter() - begin < limit:
            mark = time.perf_counter()
            while time.perf_counter() - mark < 1.0:
                self.read(0.1)
            now = self.cpu_seconds()
            if now - used < IDLE_CPU:
                return time.perf_counter() - begin - 1.0
            used = now
        raise TimeoutError(f"still busy after {limit} s")

    def memory(self) -> dict[str, int]:
        """VmRSS and VmHWM of the process, in bytes."""
        found = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found[name] = int(value.split()[0]) * 1024
        return found

    def quit(self) -> None:
        """Press `q` and wait for the process; kill it if it does not end."""
        with contextlib.suppress(OSError):
            os.write(self.fd, b"q")
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            self.read(0.1)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def heatlens(path: Path | None) -> list[str]:
    return [sys.executable, "-m", "tui", *([str(path)] if path else [])]


def make_data(folder: Path) -> dict[str, Path]:
    """The generated inputs: a huge .npy, a 2000×2000 CSV with and without gaps.

    The CSV holds values like `0.123456` (about 36 MB); the second copy has
    about 1% of its cells empty, which `numpy.loadtxt` cannot read at all.
    """
    rng = np.random.default_rng(0)
    files = {}
    big = np.lib.format.open_memmap(
        folder / "big.npy", mode="w+", dtype=np.float64, shape=(4000, 4000)
    )
    for first in range(0, 4000, 500):
        big[first : first + 500] = rng.random((500, 4000))
    big.flush()
    del big
    files["npy"] = folder / "big.npy"

    values = rng.random((2000, 2000))
    full = folder / "full.csv"
    np.savetxt(full, values, delimiter=",", fmt="%.6f")
    files["csv"] = full
    gaps = folder / "gaps.csv"
    with full.open() as source, gaps.open("w") as target:
        for number, line in enumerate(source):
            cells = line.rstrip("\n").split(",")
            for col in range(number % 97, len(cells), 97):
                cells[col] = ""
            target.write(",".join(cells) + "\n")
    files["gaps"] = gaps
    minimal = folder / "minimal.py"
    minimal.write_text(MINIMAL_APP)
    files["minimal"] = minimal
    with_numpy = folder / "minimal_numpy.py"
    with_numpy.write_text(MINIMAL_WITH_NUMPY)
    files["minimal_numpy"] = with_numpy
    heatmap_only = folder / "heatmap_only.py"
    heatmap_only.write_text(HEATMAP_ONLY)
    files["heatmap_only"] = heatmap_only
    return files


def first_frame(argv: list[str], marker: bytes) -> tuple[float, int, Session]:
    """Seconds to the first frame and the bytes until the screen settles."""
    session = Session.start(argv)
    seconds = session.wait_for(marker)
    session.settle(0.5)
    return seconds, len(session.output), session


def median_first_frame(argv: list[str], marker: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        seconds, _, session = first_frame(argv, marker)
        session.quit()
        times.append(seconds)
    return statistics.median(times)


def moves(session: Session, pattern: list[bytes], count: int) -> list[tuple]:
    """Press keys from `pattern` in turn; (bytes, seconds) per press."""
    return [session.press(pattern[i % len(pattern)]) for i in range(count)]


def loadtxt_seconds(path: Path) -> tuple[float, float]:
    """`numpy.loadtxt` of a file: wall time of a fresh process, and in-process."""
    code = (
        "import time, numpy; t = time.perf_counter(); "
        f"numpy.loadtxt({str(path)!r}, delimiter=','); "
        "print(time.perf_counter() - t)"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return time.perf_counter() - started, float(done.stdout)


def reading_process_seconds(path: Path, *, other_core_busy: bool) -> float:
    """Seconds for the explorer's reading process to hand over `path`'s matrix.

    Run from here, without the explorer; with `other_core_busy`, a second
    process spins meanwhile, as the explorer's own start does beside it.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tui.loading import LoadingProcess, LoadRequest

    spinner = None
    if other_core_busy:
        spin = "import time\nend = time.time() + 30\nwhile time.time() < end: pass"
        spinner = subprocess.Popen([sys.executable, "-c", spin])
        time.sleep(0.2)
    try:
        started = time.perf_counter()
        process = LoadingProcess.start(LoadRequest(path=str(path)))
        assert process is not None
        process.wait()
        return time.perf_counter() - started
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()


def row(name: str, value: float, unit: str, target: str, met: bool | None) -> list:
    verdict = "n/a" if met is None else ("yes" if met else "NO")
    return [name, f"{value:,.2f} {unit}".strip(), target, verdict]


SIDEWAYS = [RIGHT] * 4 + [LEFT] * 4
UP_AND_DOWN = [DOWN] * 4 + [UP] * 4


def mean_bytes(results: list[tuple[int, float]]) -> float:
    return statistics.mean(count for count, _ in results)


def mean_time(results: list[tuple[int, float]]) -> float:
    return statistics.mean(seconds for _, seconds in results)


def byte_rows(label: str, results: list[tuple[int, float]]) -> list[list]:
    per_move = mean_bytes(results)
    return [row(label, per_move / 1000, "KB", "≤ 2", per_move <= 2000)]


def measure_startup(files: dict[str, Path], runs: int) -> list[list]:
    """First frame of the sample against a minimal Textual app.

    The three starts take turns, so a change in the machine's load touches
    them alike. The minimal app importing numpy shows how much of the
    floor's headroom numpy's import takes alone.
    """
    starts = {
        "minimal": ([sys.executable, str(files["minimal"])], b"minimal-ready"),
        "numpy": ([sys.executable, str(files["minimal_numpy"])], b"minimal-ready"),
        "sample": (heatlens(None), b"digit_a"),
    }
    times: dict[str, list[float]] = {name: [] for name in starts}
    for _ in range(max(runs, 5)):
        for name, (argv, marker) in starts.items():
            seconds, _, session = first_frame(argv, marker)
            session.quit()
            times[name].append(seconds)
    floor, numpy_floor, sample = (
        statistics.median(times[name]) for name in ("minimal", "numpy", "sample")
    )
    return [
        row("first frame, sample", sample, "s", "", None),
        row("first frame, minimal Textual app", floor, "s", "", None),
        row("  sample / minimal", sample / floor, "×", "≤ 1.3", sample <= 1.3 * floor),
        row("first frame, minimal app importing numpy", numpy_floor, "s", "", None),
        row("  / minimal", numpy_floor / floor, "×", "", None),
        row("  sample / it", sample / numpy_floor, "×", "", None),
    ]


def measure_sample() -> tuple[list[list], list[tuple[int, float]]]:
    """First-screen bytes and arrow moves on the 5×5 sample."""
    _, first_bytes, session = first_frame(heatlens(None), b"digit_a")
    session.wait_idle()
    sideways = moves(session, SIDEWAYS, 48)
    up_and_down = moves(session, UP_AND_DOWN, 48)
    session.quit()
    table = [
        row(
            "first screen bytes, sample",
            first_bytes / 1000,
            "KB",
            "≤ 45",
            first_bytes <= 45_000,
        ),
        *byte_rows("bytes per ←/→ move, sample", sideways),
        *byte_rows("bytes per ↑/↓ move, sample", up_and_down),
    ]
    return table, sideways


def measure_big(path: Path, small: list[tuple[int, float]]) -> list[list]:
    """The 4000×4000 .npy: first frame, memory, keys during and after the scan."""
    array_bytes = path.stat().st_size
    seconds, first_bytes, session = first_frame(heatlens(path), b"rows 0")
    at_first_frame = session.memory()
    during_scan = [session.press(key, quiet=0.5) for key in SIDEWAYS * 3]
    scan = session.wait_idle()
    after_scan = session.memory()

    sideways = moves(session, SIDEWAYS, 48)
    up_and_down = moves(session, UP_AND_DOWN, 48)
    session.press(b"G", quiet=0.3)
    session.press(b"g", quiet=0.3)
    session.press(b"$", quiet=0.1)
    session.press(b"\x1b[F", quiet=0.3)
    right_sideways = moves(session, [LEFT] * 4 + [RIGHT] * 4, 48)
    right_up_and_down = moves(session, UP_AND_DOWN, 48)
    scrolling = moves(session, [DOWN], 100)
    overview_bytes, overview_time = session.press(b"z", quiet=0.3)
    overview_moves = moves(session, SIDEWAYS, 16)
    finally_ = session.memory()
    session.quit()

    small_time, big_time = mean_time(small), mean_time(sideways)
    answered = sum(1 for count, _ in during_scan if count)
    large = sum(1 for count, _ in scrolling if count > LARGE_WRITE)
    allowed = len(scrolling) / ((SIZE[1] - 6) / 2)
    plain = [item for item in scrolling if item[0] <= LARGE_WRITE]
    table = [
        row("first frame, 4000×4000 .npy", seconds, "s", "< 1", seconds < 1.0),
        row(
            "first screen bytes, 4000×4000",
            first_bytes / 1000,
            "KB",
            "≤ 45",
            first_bytes <= 45_000,
        ),
        row("busy (anomaly scan) after first frame", scan, "s", "", None),
        row("key time, sample", small_time * 1000, "ms", "", None),
        row("key time, 4000×4000", big_time * 1000, "ms", "", None),
        row(
            "  4000×4000 / sample",
            big_time / small_time,
            "×",
            "≤ 1.5",
            big_time <= 1.5 * small_time,
        ),
        row(
            "keys answered within 0.5 s during the scan",
            answered,
            f"of {len(during_scan)}",
            "all",
            answered == len(during_scan),
        ),
        *byte_rows("bytes per ←/→ move, 4000×4000, left", sideways),
        *byte_rows("bytes per ↑/↓ move, 4000×4000, left", up_and_down),
        *byte_rows("bytes per ←/→ move, 4000×4000, right", right_sideways),
        *byte_rows("bytes per ↑/↓ move, 4000×4000, right", right_up_and_down),
        row(
            "grid redraws in 100 ↓ moves",
            large,
            "",
            f"≤ {allowed:.0f}",
            large <= allowed,
        ),
        *byte_rows("  bytes per other ↓ move", plain),
        row("overview (z), 4000×4000", overview_time * 1000, "ms", "", None),
        row("  its bytes", overview_bytes / 1000, "KB", "", None),
        row(
            "  bytes per move in the overview",
            mean_bytes(overview_moves) / 1000,
            "KB",
            "",
            None,
        ),
    ]
    stages = (
        ("first frame", at_first_frame),
        ("scan done", after_scan),
        ("at the end", finally_),
    )
    for name, value in stages:
        table += memory_rows(f"RSS / array, {name}", value, array_bytes)
    return table


def memory_rows(label: str, status: dict, array_bytes: int) -> list[list]:
    """Resident and peak memory from `/proc` status, as shares of the array."""
    rss, peak = status["VmRSS"], status["VmHWM"]
    return [
        row(label, rss / array_bytes, "×", "≤ 2", rss <= 2 * array_bytes),
        row(
            "  peak RSS / array",
            peak / array_bytes,
            "×",
            "≤ 2",
            peak <= 2 * array_bytes,
        ),
    ]


def measure_heatmap_only(files: dict[str, Path]) -> list[list]:
    """The grid widget alone on the 4000×4000 .npy: its own time and memory."""
    array_bytes = files["npy"].stat().st_size
    argv = [sys.executable, str(files["heatmap_only"]), str(files["npy"])]
    seconds, _, session = first_frame(argv, b"rows 0")
    shown = session.memory()
    sideways = moves(session, SIDEWAYS, 48)
    _, overview_time = session.press(b"z", quiet=0.3)
    overview = session.memory()
    session.quit()
    table = [
        row("heatmap alone: first frame, 4000×4000", seconds, "s", "< 1", seconds < 1),
        row("  key time", mean_time(sideways) * 1000, "ms", "", None),
        *byte_rows("  bytes per ←/→ move", sideways),
        row("  overview (z)", overview_time * 1000, "ms", "", None),
    ]
    for name, value in (("shown", shown), ("after overview", overview)):
        table += memory_rows(f"  RSS / array, {name}", value, array_bytes)
    return table


def measure_csv(files: dict[str, Path], runs: int) -> list[list]:
    """First frame of a 2000×2000 CSV against `numpy.loadtxt` of it.

    The explorer reads a file this large in a second process and shows that
    it is reading at once; both times are printed (the first screen is the
    reading one, or the matrix itself when that came first). The reading
    process is also timed on its own, alone and beside a busy core, to show
    how much of the gap is the explorer's start competing with it.
    """
    timings = [loadtxt_seconds(files["csv"]) for _ in range(runs)]
    plain_wall = statistics.median(wall for wall, _ in timings)
    plain_inside = statistics.median(inside for _, inside in timings)
    table = [
        row("numpy.loadtxt 2000×2000, new process", plain_wall, "s", "", None),
        row("  of which loadtxt itself", plain_inside, "s", "", None),
    ]
    for busy, label in ((False, "alone"), (True, "beside a busy core")):
        seconds = statistics.median(
            reading_process_seconds(files["csv"], other_core_busy=busy)
            for _ in range(runs)
        )
        ratio = seconds / plain_wall
        table.append(row(f"reading process {label}", seconds, "s", "", None))
        table.append(row("  / loadtxt (new process)", ratio, "×", "", None))
    for key, label in (("csv", "2000×2000 CSV"), ("gaps", "  with missing cells")):
        anything = b"Reading|rows 0"
        reading = median_first_frame(heatlens(files[key]), anything, runs)
        seconds = median_first_frame(heatlens(files[key]), b"rows 0", runs)
        table.append(row(f"reading shown, {label}", reading, "s", "", None))
        table.append(row(f"first frame, {label}", seconds, "s", "", None))
        table.append(
            row(
                "  / loadtxt (new process)",
                seconds / plain_wall,
                "×",
                "≤ 1.2",
                seconds <= 1.2 * plain_wall,
            )
        )
    return table


def measure_large_csv(folder: Path, size: int, runs: int) -> list[list]:
    """First frame of a `size`×`size` CSV against `numpy.loadtxt` of it.

    The 1.2× bar assumed a `loadtxt` of about 1.5 s; on a machine where the
    2000×2000 file takes a quarter of a second, a larger file shows how the
    ratio goes as reading outweighs the explorer's fixed start.
    """
    path = folder / f"large_{size}.csv"
    rng = np.random.default_rng(1)
    with path.open("w") as target:
        for first in range(0, size, 500):
            block = rng.random((min(500, size - first), size))
            np.savetxt(target, block, delimiter=",", fmt="%.6f")
    plain = statistics.median(loadtxt_seconds(path)[0] for _ in range(runs))
    seconds = median_first_frame(heatlens(path), b"rows 0", runs)
    name = f"{size}×{size} CSV"
    return [
        row(f"numpy.loadtxt {name}, new process", plain, "s", "", None),
        row(f"first frame, {name}", seconds, "s", "", None),
        row("  / loadtxt (new process)", seconds / plain, "×", "", None),
    ]


def print_table(table: list[list]) -> None:
    header = ["figure", "value", "target", "met"]
    widths = [max(len(str(line[i])) for line in [header, *table]) for i in range(4)]
    for line in [header, ["-" * w for w in widths], *table]:
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))


def compile_package() -> None:
    """Give the package its bytecode, as `pip install` does.

    Where `PYTHONDONTWRITEBYTECODE` is set (as on some shared machines), a
    source checkout would otherwise compile every module at every start:
    about 35 ms that no installed copy spends.
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "tui")], check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run per timing")
    parser.add_argument(
        "--large-csv",
        type=int,
        metavar="N",
        help="also time an N×N CSV against numpy.loadtxt (5000: 225 MB)",
    )
    args = parser.parse_args()
    runs = 1 if args.quick else 3

    compile_package()
    with tempfile.TemporaryDirectory() as folder:
        files = make_data(Path(folder))
        table = measure_startup(files, runs)
        sample_rows, small = measure_sample()
        table += sample_rows
        table += measure_big(files["npy"], small)
        table += measure_heatmap_only(files)
        table += measure_csv(files, runs)
        if args.large_csv:
            table += measure_large_csv(Path(folder), args.large_csv, runs)
    print_table(table)


if __name__ == "__main__":
    main()

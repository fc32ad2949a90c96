"""Reading a large file in a second process while the explorer starts.

Parsing a big text table is one long numpy call that holds the interpreter's
lock: in this process it would freeze the screen, and it would have to finish
before Textual even starts. In a second process it runs on another core while
this one starts the terminal interface, and the screen answers keys and shows
that work is going on. The matrix comes back as one line of JSON with
everything but the values, on a pipe; the values, raw float64, go to an
unnamed temporary file that both processes hold open and that this one maps
into memory (no copy, no reading hundreds of megabytes through a pipe in a
thread that must take the interpreter's lock for every 64 KB, and nothing
left on disk however either process ends). Where open files cannot be handed
to a child (not POSIX), or the file cannot be written, the values follow the
JSON line on the pipe instead.

This module imports neither numpy nor the loaders at the top, so the command
line can start the process before paying for those imports itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import IO, TYPE_CHECKING

from tui.errors import HeatlensError, InputError

if TYPE_CHECKING:
    import numpy as np

    from tui.matrix import Matrix

BACKGROUND_BYTES = 8 << 20
"""Files at least this large are read in a second process."""

_TEXT_KINDS = {"csv", "tsv", "txt", "json"}
_MAPPED_SUFFIXES = {".npy", ".npz"}


@dataclass(frozen=True)
class LoadRequest:
    """What to read and the options that shape the matrix read."""

    path: str
    format: str | None = None
    key: str | None = None
    transpose: bool = False
    title: str | None = None
    x_label: str | None = None
    y_label: str | None = None

    def read(self) -> Matrix:
        """Read the file here, with every option applied.

        Raises:
            InputError: for anything the contract refuses.
        """
        from tui.loaders import load

        return load(
            self.path,
            format=self.format,
            key=self.key,
            transpose=self.transpose,
            title=self.title,
            x_label=self.x_label,
            y_label=self.y_label,
        )

    def worth_a_process(self) -> bool:
        """Whether reading this file takes long enough to do elsewhere.

        Only large text and JSON files: `.npy` files are memory-mapped at
        once, standard input is already being read, and a file that cannot
        be looked at is left to the ordinary path, which names the problem.
        """
        if self.path == "-":
            return False
        if self.format is not None and self.format not in _TEXT_KINDS:
            return False
        if self.format is None and Path(self.path).suffix.lower() in _MAPPED_SUFFIXES:
            return False
        try:
            return os.stat(self.path).st_size >= BACKGROUND_BYTES
        except (OSError, ValueError):
            return False


class LoadingProcess:
    """A file being read by a second Python process."""

    def __init__(
        self,
        request: LoadRequest,
        process: subprocess.Popen[bytes],
        values_file: IO[bytes] | None,
    ) -> None:
        self.request = request
        self.started = time.monotonic()
        self._process = process
        self._values_file = values_file

    @classmethod
    def start(cls, request: LoadRequest) -> LoadingProcess | None:
        """Start reading `request`'s file; None when no process can be started."""
        values_file = _unnamed_file()
        handed = () if values_file is None else (values_file.fileno(),)
        command = [*_child_command(), json.dumps(asdict(request))]
        try:
            process = subprocess.Popen(
                [*command, *map(str, handed)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                pass_fds=handed,
            )
        except OSError:
            if values_file is not None:
                values_file.close()
            return None
        return cls(request, process, values_file)

    @property
    def path(self) -> str:
        """The file being read, as it was given."""
        return self.request.path

    @property
    def name(self) -> str:
        """The file's name, as the loading screen shows it."""
        return Path(self.request.path).name

    @property
    def size(self) -> int:
        """The file's size in bytes, or 0 when it cannot be looked at."""
        try:
            return os.stat(self.request.path).st_size
        except OSError:
            return 0

    @property
    def elapsed(self) -> float:
        """Seconds since reading started."""
        return time.monotonic() - self.started

    def progress(self) -> float | None:
        """The share of the file the other process has read so far.

        Seen from outside, as the position of its open file, where the
        system shows it (`/proc` on Linux); None elsewhere, or before the
        file is open and after it is closed. Large text tables are read
        block by block as they are parsed, so this follows the parsing;
        smaller files are read at once and then parsed.
        """
        size = self.size
        folder = f"/proc/{self._process.pid}"
        if size <= 0 or not os.path.isdir(f"{folder}/fdinfo"):
            return None
        target = os.path.realpath(self.request.path)
        try:
            descriptors = os.listdir(f"{folder}/fd")
        except OSError:
            return None
        for descriptor in descriptors:
            try:
                if os.readlink(f"{folder}/fd/{descriptor}") != target:
                    continue
                with open(f"{folder}/fdinfo/{descriptor}") as info:
                    position = next(
                        int(line.split()[1]) for line in info if line.startswith("pos:")
                    )
            except (OSError, StopIteration, ValueError, IndexError):
                continue
            return min(position / size, 1.0)
        return None

    def wait(self) -> Matrix:
        """The matrix, once the other process has read it.

        Raises:
            InputError: what the loader refused, or that the process failed.
        """
        stream = self._process.stdout
        assert stream is not None
        try:
            header = stream.readline()
            if not header:
                code = self._process.wait()
                raise InputError(
                    self.request.path,
                    f"could not be read: the reading process ended with code {code}",
                )
            fields_read = json.loads(header)
            if "problem" in fields_read:
                raise InputError(fields_read["path"], fields_read["problem"])
            return self._matrix_from(fields_read, stream)
        finally:
            stream.close()
            self._process.wait()
            self._close_values_file()

    def cancel(self) -> None:
        """Stop reading; the process is ended and reaped, its file closed."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._close_values_file()

    def _close_values_file(self) -> None:
        if self._values_file is not None:
            self._values_file.close()

    def _matrix_from(self, header: dict, stream: IO[bytes]) -> Matrix:
        """The matrix the header describes, its values from the file or the pipe."""
        from tui.matrix import Matrix

        shape = tuple(header.pop("shape"))
        if header.pop("values_in_file") and self._values_file is not None:
            values = _map_values(self._values_file, shape)
        else:
            values = _read_values(stream, shape, self.request.path)
        for name in ("row_labels", "col_labels"):
            header[name] = tuple(header[name])
        return Matrix(values=values, **header)


def _child_command() -> list[str]:
    """The command that runs `main` in a new interpreter, with this very package.

    The folder holding `tui` is put first on the child's path only when it
    is not on that path already: an installed package's folder is, and put
    in front of the standard library it could let other packages shadow it.
    """
    root = str(Path(__file__).resolve().parent.parent)
    bootstrap = (
        "import os, sys\n"
        f"root = {root!r}\n"
        "if root not in {os.path.realpath(entry or '.') for entry in sys.path}:\n"
        "    sys.path.insert(0, root)\n"
        "from tui.loading import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    return [sys.executable, "-c", bootstrap]


def _unnamed_file() -> IO[bytes] | None:
    """A file with no name to hand to the reading process; None where open
    files cannot be handed to a child, or no such file can be made.

    Where the system offers one, the file lives in memory only: a temporary
    file on disk would have the system write the values out as well, which
    now and then held the reading process up by tens of milliseconds.
    """
    if os.name != "posix":
        return None
    if hasattr(os, "memfd_create"):
        try:
            return open(os.memfd_create("heatlens-values"), "w+b")
        except OSError:
            pass
    try:
        return tempfile.TemporaryFile(prefix="heatlens-")
    except OSError:
        return None


def _map_values(values_file: IO[bytes], shape: tuple[int, ...]) -> np.ndarray:
    """The values the reading process wrote to `values_file`, mapped into memory."""
    import numpy as np

    return np.memmap(values_file, dtype=np.float64, mode="r", shape=shape)


def _read_values(stream: IO[bytes], shape: tuple[int, ...], path: str) -> np.ndarray:
    """The values that follow the header on the pipe, read into a new array."""
    import numpy as np

    values = np.empty(shape, dtype=np.float64)
    buffer = memoryview(values).cast("B")
    filled = 0
    while filled < len(buffer):
        count = stream.readinto(buffer[filled:])
        if not count:
            raise InputError(path, "could not be read: the reading process stopped")
        filled += count
    return values


def _send(stream: IO[bytes], header: dict) -> None:
    stream.write(json.dumps(header).encode("ascii") + b"\n")


def _read_and_send(
    request: LoadRequest, stream: IO[bytes], values_fd: int | None
) -> None:
    """Load the file as the explorer would and hand the matrix over.

    The values go to the open file `values_fd` when given and writable,
    else after the header on `stream`.
    """
    import numpy as np

    try:
        matrix = request.read()
    except HeatlensError as error:
        _send(stream, {"path": error.path, "problem": error.problem})
        return
    except MemoryError:
        _send(stream, {"path": request.path, "problem": "is too large for memory"})
        return

    values = np.ascontiguousarray(matrix.values, dtype=np.float64)
    header = {
        field.name: getattr(matrix, field.name)
        for field in fields(matrix)
        if field.name != "values"
    }
    in_file = values_fd is not None and _write_values(values, values_fd)
    _send(stream, {"shape": list(values.shape), "values_in_file": in_file, **header})
    if not in_file:
        stream.write(memoryview(values).cast("B"))
    stream.flush()


def _write_values(values: np.ndarray, descriptor: int) -> bool:
    """Write the raw values to the open file `descriptor`; False if that fails."""
    try:
        with open(descriptor, "wb") as handle:
            handle.write(memoryview(values).cast("B"))
    except OSError:
        return False
    return True


def main(argv: list[str]) -> int:
    """Run as the reading process: a JSON request (and an open file for the
    values) in, one matrix out."""
    request = LoadRequest(**json.loads(argv[0]))
    values_fd = int(argv[1]) if len(argv) > 1 else None
    stream = sys.stdout.buffer
    try:
        _read_and_send(request, stream, values_fd)
    except BrokenPipeError:
        return 1
    except Exception as error:
        problem = f"could not be read ({type(error).__name__})"
        _send(stream, {"path": request.path, "problem": problem})
    stream.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

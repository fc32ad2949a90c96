"""Loading a matrix from a file or standard input, whatever its format.

`load` is the one entry point. It refuses anything that is not a regular
file or standard input before opening it, picks the format from the name
(or the first bytes), and raises `InputError` naming the file and the
problem for every input the contract refuses. Text tables are read by
`tui.delimited`; NumPy and JSON files here.

JSON booleans are refused as values: the contract's JSON holds numbers and
nulls only. NumPy boolean arrays are read as 0 and 1, as the contract allows.
"""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import sys
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

import numpy as np

from tui.cells import MAX_CELLS, Table, quote_snippet
from tui.delimited import read_table, read_table_stream
from tui.errors import InputError
from tui.matrix import Matrix

__all__ = ["FORMATS", "InputError", "load", "sniff_format"]

FORMATS = ("csv", "tsv", "txt", "npy", "npz", "json")
"""The formats `load` reads; `format=` takes one of these names."""

MAX_TEXT_BYTES = 1 << 30
"""The largest text table (or standard input) read, in bytes."""

STREAM_TEXT_BYTES = 1 << 22
"""Text files from this size on are first tried block by block, never held whole."""

MAX_JSON_BYTES = 1 << 28
"""The largest JSON file read, in bytes; parsing JSON takes many times its size."""

_EXTENSIONS = {f".{name}": name for name in FORMATS}
_NUMERIC_KINDS = frozenset("biuf")
_BOM = b"\xef\xbb\xbf"


def load(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    key: str | None = None,
    transpose: bool = False,
    title: str | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
) -> Matrix:
    """Load a matrix from a file, or from standard input when `path` is `-`.

    Args:
        path: The file, or `-` for standard input.
        format: One of `FORMATS` to override the file name and the sniffing.
        key: Which array of an `.npz` file to load; the first by default.
            Other formats ignore it.
        transpose: Swap rows and columns, labels and axis names with them,
            after everything else.
        title: The title, instead of the file's.
        x_label: The name of the file's column axis, instead of the file's.
        y_label: The name of the file's row axis, instead of the file's.

    Raises:
        InputError: for anything that cannot be read as a matrix.
    """
    source = os.fspath(path)
    if format is not None and format not in FORMATS:
        raise InputError(source, f"unknown format {format!r}")

    if source == "-":
        raw = _read_stdin(source)
        matrix = _from_bytes(raw, format or sniff_format(raw), source, key)
    else:
        matrix = _from_file(source, format, key)

    matrix = matrix.with_names(title=title, x_label=x_label, y_label=y_label)
    return matrix.transpose() if transpose else matrix


def sniff_format(head: bytes) -> str:
    """The format the first bytes of an input suggest: npy, npz, json or txt."""
    if head.startswith(b"\x93NUMPY"):
        return "npy"
    if head.startswith(b"PK\x03\x04"):
        return "npz"
    text_start = head[3:] if head.startswith(_BOM) else head
    if text_start.lstrip()[:1] in (b"[", b"{"):
        return "json"
    return "txt"


# Opening files -------------------------------------------------------------------


def _read_stdin(source: str) -> bytes:
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise InputError(source, "there is no standard input to read")
    try:
        if stream.isatty():
            raise InputError(
                source, "standard input is a terminal; pipe a matrix file into it"
            )
        raw = stream.read(MAX_TEXT_BYTES + 1)
    except OSError as error:
        raise InputError(source, _os_problem(error)) from None
    if len(raw) > MAX_TEXT_BYTES:
        raise InputError(source, f"is too large: over {_size(MAX_TEXT_BYTES)}")
    return raw


def _os_problem(error: OSError) -> str:
    """An operating-system error in a few words."""
    problems = {
        errno.ENOENT: "no such file",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ELOOP: "symbolic link loop (too many levels of links)",
        errno.ENOTDIR: "a part of the path is not a folder",
        errno.ENAMETOOLONG: "the file name is too long",
        errno.EISDIR: "is a directory, not a file",
    }
    return problems.get(error.errno, (error.strerror or str(error)).lower())


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO); only regular files and - are read"
    if stat.S_ISSOCK(mode):
        return "is a socket; only regular files and - are read"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device; only regular files and - are read"
    return "is not a regular file"


def _open_regular(source: str) -> tuple[IO[bytes], int]:
    """Open a regular file for reading without ever blocking on anything else.

    The path is checked with `stat` first, so a FIFO or device is refused
    without being opened; it is opened non-blocking and checked again, in
    case it changed in between.

    Returns:
        The open file and its size in bytes.
    """
    try:
        status = os.stat(source)
    except (OSError, ValueError) as error:
        problem = _os_problem(error) if isinstance(error, OSError) else str(error)
        raise InputError(source, problem) from None
    if (problem := _kind_of(status.st_mode)) is not None:
        raise InputError(source, problem)

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(source, flags)
    except OSError as error:
        raise InputError(source, _os_problem(error)) from None
    status = os.fstat(descriptor)
    if (problem := _kind_of(status.st_mode)) is not None:
        os.close(descriptor)
        raise InputError(source, problem)
    return os.fdopen(descriptor, "rb"), status.st_size


def _size(count: int) -> str:
    return f"{count / (1 << 20):,.0f} MiB"


def _from_file(source: str, format: str | None, key: str | None) -> Matrix:
    stream, size = _open_regular(source)
    with stream:
        try:
            kind = format or _EXTENSIONS.get(Path(source).suffix.lower())
            if kind is None:
                kind = sniff_format(stream.read(64))
                stream.seek(0)
            if kind == "npy":
                return _from_npy(stream, source)
            if kind == "npz":
                return _from_npz(stream, source, key)
            limit = MAX_JSON_BYTES if kind == "json" else MAX_TEXT_BYTES
            if size > limit:
                raise InputError(
                    source, f"is too large: {_size(size)}, over {_size(limit)}"
                )
            if kind != "json" and size >= STREAM_TEXT_BYTES:
                table = read_table_stream(stream, size, kind)
                if table is not None:
                    return _from_table(table, source)
                stream.seek(0)
            raw = stream.read()
        except OSError as error:
            raise InputError(source, _os_problem(error)) from None
    return _from_bytes(raw, kind, source, key)


def _from_bytes(raw: bytes, kind: str, source: str, key: str | None) -> Matrix:
    """Read an input already in memory (standard input, or a text or JSON file)."""
    if kind == "npy":
        return _from_npy(io.BytesIO(raw), source)
    if kind == "npz":
        return _from_npz(io.BytesIO(raw), source, key)
    if kind == "json":
        if len(raw) > MAX_JSON_BYTES:
            raise InputError(source, f"is too large: over {_size(MAX_JSON_BYTES)}")
        return _from_json(raw, source)
    return _from_table(read_table(raw, source, kind), source)


def _from_table(table: Table, source: str) -> Matrix:
    """The matrix of a text table read from `source`."""
    return Matrix(
        values=table.values,
        row_labels=table.row_labels or (),
        col_labels=table.col_labels or (),
        x_label=table.x_label,
        y_label=table.y_label,
        source=source,
        has_row_labels=table.row_labels is not None,
        has_col_labels=table.col_labels is not None,
    )


# NumPy ---------------------------------------------------------------------------


def _check_array(dtype: np.dtype, shape: tuple[int, ...], source: str, what: str):
    """Refuse an array that is not a 2-D numeric matrix of a sane size."""
    if dtype.hasobject:
        raise InputError(
            source, f"{what} holds Python objects; pickled data is never loaded"
        )
    if dtype.names is not None:
        raise InputError(source, f"{what} is a structured array, not plain numbers")
    if dtype.kind == "c":
        raise InputError(source, f"{what} holds complex numbers, not real ones")
    if dtype.kind in "SUa":
        raise InputError(source, f"{what} holds strings, not numbers")
    if dtype.kind not in _NUMERIC_KINDS:
        raise InputError(source, f"{what} holds {dtype.name} values, not numbers")
    if len(shape) != 2:
        dims = "a single number (0-D)" if not shape else f"{len(shape)}-D"
        raise InputError(
            source, f"{what} is {dims} with shape {shape}; a matrix is 2-D"
        )
    cells = shape[0] * shape[1]
    if cells == 0:
        raise InputError(source, f"{what} holds no values (shape {shape})")
    if cells > MAX_CELLS:
        raise InputError(
            source, f"{what} is too large: {cells:,} cells, over {MAX_CELLS:,}"
        )


def _read_header(stream: IO[bytes], source: str, what: str):
    """The dtype, shape and order of an `.npy` stream, read without its data."""
    fmt = np.lib.format
    try:
        version = fmt.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = fmt.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran, dtype = fmt.read_array_header_2_0(stream)
        else:
            raise InputError(source, f"{what} uses unsupported .npy version {version}")
    except (ValueError, EOFError, OSError, SyntaxError) as error:
        raise InputError(
            source, f"{what} is not a valid .npy array ({_first_line(error)})"
        ) from None
    _check_array(dtype, shape, source, what)
    return dtype, shape, fortran


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return quote_snippet(text[0], 80).strip("'") if text else type(error).__name__


def _as_float(array: np.ndarray) -> np.ndarray:
    """Native float64 as it is (a memory map stays one); anything else converted."""
    if array.dtype == np.float64 and array.dtype.isnative:
        return array
    return array.astype(np.float64)


def _from_npy(stream: IO[bytes], source: str) -> Matrix:
    """Read an `.npy` array; a file on disk is memory-mapped, never unpickled."""
    dtype, shape, fortran = _read_header(stream, source, "the array")
    offset = stream.tell()
    count = shape[0] * shape[1]
    order = "F" if fortran else "C"

    if isinstance(stream, io.BytesIO):
        buffer = stream.getbuffer()
        if len(buffer) - offset < count * dtype.itemsize:
            raise InputError(source, "is truncated: the array's data is incomplete")
        flat = np.frombuffer(buffer, dtype=dtype, count=count, offset=offset)
        values = flat.reshape(shape, order=order)
    else:
        try:
            values = np.memmap(
                stream, dtype=dtype, mode="r", offset=offset, shape=shape, order=order
            )
        except (ValueError, OSError):
            raise InputError(
                source, "is truncated: the array's data is incomplete"
            ) from None
    return Matrix(values=_as_float(values), source=source)


def _from_npz(stream: IO[bytes], source: str, key: str | None) -> Matrix:
    """Read one array of an `.npz` archive: the first, or the one named `key`."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InputError(
            source, f"is not a valid .npz archive ({_first_line(error)})"
        ) from None

    with archive:
        members = {
            name.removesuffix(".npy"): name
            for name in archive.namelist()
            if not name.endswith("/")
        }
        if not members:
            raise InputError(source, "is an .npz archive with no arrays")
        if key is None:
            key = next(iter(members))
        elif key not in members:
            names = ", ".join(quote_snippet(name) for name in members)
            raise InputError(
                source, f"has no array named {quote_snippet(key)}; it has {names}"
            )

        what = f"array {quote_snippet(key)}"
        try:
            with archive.open(members[key]) as member:
                _read_header(member, source, what)
            with archive.open(members[key]) as member:
                values = np.lib.format.read_array(member, allow_pickle=False)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
            raise InputError(
                source, f"{what} cannot be read ({_first_line(error)})"
            ) from None
    return Matrix(values=_as_float(values), source=source)


# JSON ----------------------------------------------------------------------------

_JSON_KEYS = ("values", "title", "x_label", "y_label", "col_labels", "row_labels")


def _from_json(raw: bytes, source: str) -> Matrix:
    """Read the bare 2-D list form or the object form of the contract."""
    if raw.startswith(_BOM):
        raw = raw[3:]
    if not raw.strip():
        raise InputError(source, "is empty" if not raw else "contains only whitespace")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")

    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            source,
            f"is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})",
        ) from None
    except RecursionError:
        raise InputError(source, "is nested too deeply to be a matrix") from None

    if isinstance(document, list):
        fields: dict[str, Any] = {"values": document}
    elif isinstance(document, dict):
        fields = document
        if "values" not in fields:
            raise InputError(source, 'has no "values" list')
    else:
        raise InputError(
            source, 'must be a 2-D list of numbers or an object with "values"'
        )

    values = _json_values(fields["values"], source)
    rows, cols = values.shape
    row_labels = _json_labels(fields.get("row_labels"), "row_labels", rows, source)
    col_labels = _json_labels(fields.get("col_labels"), "col_labels", cols, source)
    return Matrix(
        values=values,
        row_labels=row_labels or (),
        col_labels=col_labels or (),
        x_label=_json_text(fields.get("x_label"), "x_label", source),
        y_label=_json_text(fields.get("y_label"), "y_label", source),
        title=_json_text(fields.get("title"), "title", source),
        source=source,
        has_row_labels=row_labels is not None,
        has_col_labels=col_labels is not None,
    )


def _json_values(rows: Any, source: str) -> np.ndarray:
    """Check that the values are a 2-D list of numbers and nulls; make an array."""
    if not isinstance(rows, list) or not rows:
        raise InputError(source, "values must be a non-empty list of rows")
    if not all(isinstance(row, list) for row in rows):
        raise InputError(source, "values are 1-D; a matrix is a list of rows")
    width = len(rows[0])
    if width == 0:
        raise InputError(source, "values hold no numbers (the first row is empty)")
    if len(rows) * width > MAX_CELLS:
        raise InputError(source, f"is too large: over {MAX_CELLS:,} cells")

    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise InputError(
                source, f"values row {number} has {len(row)} values, expected {width}"
            )
        for column, cell in enumerate(row, start=1):
            if type(cell) is float or cell is None:
                continue
            where = f"values row {number}, column {column}"
            if type(cell) is int:
                if abs(cell) >= 1 << 1024:
                    raise InputError(source, f"{where}: the number is too large")
                continue
            raise InputError(source, f"{where}: {_json_cell_problem(cell)}")
    return np.array(rows, dtype=np.float64)


def _json_cell_problem(cell: Any) -> str:
    if isinstance(cell, bool):
        return f"{str(cell).lower()} is not a number"
    if isinstance(cell, str):
        return f"{quote_snippet(cell)} is a string, not a number"
    if isinstance(cell, list):
        return "is a list: the values are nested deeper than 2-D"
    return "an object is not a number"


def _json_labels(
    labels: Any, name: str, expected: int, source: str
) -> tuple[str, ...] | None:
    if labels is None:
        return None
    if not isinstance(labels, list) or not all(
        isinstance(label, str) or type(label) is int for label in labels
    ):
        raise InputError(source, f"{name} must be a list of strings")
    if len(labels) != expected:
        raise InputError(
            source, f"has {len(labels)} {name} but the values have {expected}"
        )
    return tuple(str(label) for label in labels)


def _json_text(value: Any, name: str, source: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(source, f"{name} must be a string")
    return value

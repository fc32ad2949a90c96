"""The fast text reader: a whole table in one `numpy.loadtxt` call.

It takes only tables it can read exactly as `tui.delimited`'s exact reader
would, and answers None for everything else (irregular rows, text where
numbers belong, quotes in the middle of fields), which the exact reader then
reads or refuses with a precise message. Empty cells and `NA` tokens are
filled with `nan` on the raw bytes first, with numpy, so a table with holes
is still one `loadtxt` call.
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

import numpy as np

from tui.cells import (
    MAX_CELLS,
    TEXT,
    Table,
    assemble,
    cell_kind,
    decide_labels,
    is_blank,
    split_whitespace,
)
from tui.errors import InputError

_BLOCK = 1 << 18
"""Bytes scanned per step when looking for empty cells, to stay in the cache."""


def _first_records(sample: str, separator: str | None) -> list[tuple[int, list[str]]]:
    """The first two non-blank records of a sample, with where each one ends."""
    found: list[tuple[int, list[str]]] = []
    if separator is None:
        position = 0
        for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", sample):
            position = match.end()
            line = match.group()
            if line.strip():
                try:
                    found.append((position, split_whitespace(line, 0, "")))
                except InputError:
                    return []
            if len(found) == 2 or position >= len(sample):
                break
        return found

    stream = io.StringIO(sample, newline="")
    reader = csv.reader(stream, delimiter=separator, strict=True)
    try:
        for fields in reader:
            if is_blank(fields):
                continue
            found.append((stream.tell(), fields))
            if len(found) == 2:
                break
    except csv.Error:
        return []
    return found


def read_fast(
    raw: bytes, encoding: str, sample: str, separator: str | None, *, complete: bool
) -> Table | None:
    """Read the table with one `numpy.loadtxt` call, or None to use the exact reader.

    None means only "not here": text where numbers belong, ragged rows,
    quotes in the middle of fields and every other irregularity are left to
    the exact reader, which reads or refuses them.
    """
    records = _first_records(sample, separator)
    if len(records) < 2 or (records[1][0] >= len(sample) and not complete):
        return None
    (end_of_first, first_row), (_, second_row) = records
    second_has_text = cell_kind(second_row[0]) == TEXT
    header, labels, names = decide_labels(first_row, second_has_text)
    if labels and len(first_row) < 2:
        return None

    offset = len(sample[:end_of_first].encode(encoding)) if header else 0
    quotes = None
    if raw.find(b'"', offset) >= 0:
        if separator is None:
            return None
        quotes = _plain_quotes(raw, offset, separator)
        if quotes is None:
            return None
    quoted = quotes is not None
    row_size = max(len(_encoded(second_row, separator)), 1)
    if len(first_row) * ((len(raw) - offset) // row_size) > MAX_CELLS:
        return None

    lines = io.BytesIO(raw)
    lines.seek(offset)
    parsed = _loadtxt(lines, encoding, separator, labels, quoted=quoted)
    if parsed is None:
        filled = fill_missing(raw, offset, separator, skip_first=labels, quotes=quotes)
        if filled is None:
            return None
        parsed = _loadtxt(filled, encoding, separator, labels, quoted=quoted)
        if parsed is None:
            return None

    values, row_labels = parsed
    if values.shape[1] != len(first_row) or values.size == 0:
        return None
    if labels and not second_has_text:
        col_has_text = any(cell_kind(label) == TEXT for label in row_labels)
        if decide_labels(first_row, col_has_text) != (header, labels, names):
            return None
    if labels:
        values = values[:, 1:]
    return assemble(first_row, header, labels, names, values, row_labels)


def _encoded(fields: list[str], separator: str | None) -> bytes:
    """A record's approximate size in bytes, to estimate the number of rows."""
    return (separator or " ").join(fields).encode("utf-8", "replace") + b"\n"


def _plain_quotes(raw: bytes, offset: int, separator: str) -> np.ndarray | None:
    """Where the double quotes are, if every one opens a field, closes one, or is
    doubled; None otherwise.

    Then `numpy.loadtxt` splits the fields exactly as the `csv` module does;
    a quote in the middle of a field (`a"b`, `"a"b`) is left to the exact
    reader.
    """
    data = np.frombuffer(raw, dtype=np.uint8, offset=offset)
    quotes = np.flatnonzero(data == 34)
    before = data[np.maximum(quotes - 1, 0)]
    after = data[np.minimum(quotes + 1, data.size - 1)]
    opens = (quotes == 0) | _is_boundary(before, separator) | (before == 34)
    closes = (quotes == data.size - 1) | _is_boundary(after, separator) | (after == 34)
    return quotes if bool(np.all(opens | closes)) else None


def _loadtxt(
    lines: Iterable[bytes],
    encoding: str,
    separator: str | None,
    labels: bool,
    *,
    quoted: bool,
) -> tuple[np.ndarray, list[str]] | None:
    """Parse lines of bytes with `numpy.loadtxt`, or None where it fails."""
    collected: list[str] = []

    def keep_label(field: str) -> float:
        collected.append(field)
        return 0.0

    try:
        values = np.loadtxt(
            lines,
            delimiter=separator,
            comments=None,
            converters={0: keep_label} if labels else None,
            ndmin=2,
            dtype=np.float64,
            encoding=encoding,
            quotechar='"' if quoted else None,
        )
    except (ValueError, UnicodeDecodeError):
        return None
    return values, collected


def fill_missing(
    raw: bytes,
    offset: int,
    separator: str | None,
    *,
    skip_first: bool,
    quotes: np.ndarray | None = None,
) -> Iterator[bytes] | None:
    """The data from `offset` on with every empty, `NA` or `N/A` cell as `nan`.

    Works on the bytes with numpy, so millions of cells take a few passes
    rather than a Python loop per cell. Cells of the first column are left
    alone when they are labels (`skip_first`), and so is everything between
    double quotes (`quotes`, their positions from `offset` on).

    Returns:
        The new data line by line, or None when there was nothing to fill.
    """
    data = np.frombuffer(raw, dtype=np.uint8, offset=offset)
    if data.size == 0:
        return None

    starts = _empty_cells(data, separator)
    ends = starts
    if raw.find(b"A", offset) >= 0:
        token_starts, token_ends = _na_tokens(data, separator)
        starts = np.concatenate([starts, token_starts])
        ends = np.concatenate([ends, token_ends])
        order = np.argsort(starts, kind="stable")
        starts, ends = starts[order], ends[order]
    if quotes is not None and starts.size:
        outside = np.searchsorted(quotes, starts) % 2 == 0
        starts, ends = starts[outside], ends[outside]
    if skip_first and starts.size:
        keep = starts > 0
        keep[keep] = ~_is_line_end(data[starts[keep] - 1])
        starts, ends = starts[keep], ends[keep]
    if starts.size == 0:
        return None

    return _filled_lines(
        raw, offset, (starts + offset).tolist(), (ends + offset).tolist()
    )


def _filled_lines(
    raw: bytes, offset: int, starts: list[int], ends: list[int]
) -> Iterator[bytes]:
    """The lines from `offset` on, each with its spans `starts`..`ends` as `nan`.

    Line by line, because that is how `numpy.loadtxt` takes an iterable
    anyway, and no second copy of the whole file is ever held.
    """
    view = memoryview(raw)
    position = offset
    done = 0
    while position < len(raw):
        newline = raw.find(b"\n", position)
        end = len(raw) if newline < 0 else newline + 1
        last = len(starts) if newline < 0 else bisect_right(starts, newline, done)
        if last == done:
            yield raw[position:end]
        else:
            cuts = zip(
                [position, *ends[done:last]], [*starts[done:last], end], strict=True
            )
            yield b"nan".join([view[left:right] for left, right in cuts])
        position, done = end, last


def _is_line_end(codes: np.ndarray) -> np.ndarray:
    return (codes == 10) | (codes == 13)


def _is_boundary(codes: np.ndarray, separator: str | None) -> np.ndarray:
    if separator is None:
        return _is_line_end(codes) | (codes == 32) | (codes == 9)
    return _is_line_end(codes) | (codes == ord(separator))


def _empty_cells(data: np.ndarray, separator: str | None) -> np.ndarray:
    """Where empty cells are: positions with a boundary on either side.

    One cheap comparison per block finds candidates (for commas, every byte
    up to `,`, which in a numeric body is little more than separators and
    line ends); the few candidates are then checked exactly.
    """
    if separator is None:
        return np.empty(0, dtype=np.intp)
    found = np.concatenate(
        [
            _candidates(data[start : start + _BLOCK + 1], separator) + start + 1
            for start in range(0, max(data.size - 1, 1), _BLOCK)
        ]
    )
    left, right = data[found - 1], data[found]
    exact = _is_boundary(left, separator) & _is_boundary(right, separator)
    exact &= ~(_is_line_end(left) & _is_line_end(right))
    found = found[exact]

    sep = ord(separator)
    edges = [0] if data[0] == sep else []
    tail = [data.size] if data[-1] == sep else []
    return np.concatenate([edges, found, tail]).astype(np.intp)


def _candidates(block: np.ndarray, separator: str) -> np.ndarray:
    """Positions in a block whose byte and the next may both be boundaries."""
    if separator == ",":
        candidate = block <= 0x2C
    elif separator == "\t":
        candidate = block <= 0x0D
    else:
        candidate = (block == ord(separator)) | (block <= 0x0D)
    return np.flatnonzero(candidate[:-1] & candidate[1:])


def _na_tokens(
    data: np.ndarray, separator: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """The spans of `NA` and `N/A` cells that fill the whole cell."""
    ends = np.flatnonzero(data == ord("A")) + 1

    def byte(shift: int) -> np.ndarray:
        """The byte `shift` places after each `A`'s end; a line end off the edges."""
        where = ends + shift
        inside = (where >= 0) & (where < data.size)
        return np.where(inside, data[np.clip(where, 0, data.size - 1)], 10)

    closed = _is_boundary(byte(0), separator)
    short = closed & (byte(-2) == ord("N")) & _is_boundary(byte(-3), separator)
    slashed = (
        closed
        & (byte(-2) == ord("/"))
        & (byte(-3) == ord("N"))
        & _is_boundary(byte(-4), separator)
    )
    starts = np.where(short, ends - 2, ends - 3)
    found = short | slashed
    return starts[found], ends[found]

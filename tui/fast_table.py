"""The fast text reader: a whole table in one `numpy.loadtxt` call.

It takes only tables it can read exactly as `tui.delimited`'s exact reader
would, and answers None for everything else (irregular rows, text where
numbers belong, quotes in the middle of fields), which the exact reader then
reads or refuses with a precise message. Empty cells and `NA` tokens are
filled with `nan` on the raw bytes first, with numpy, so a table with holes
is still one `loadtxt` call. `tui.block_reader` feeds the same call from a
large file read block by block, with the layout, hole finding and parsing
kept here.
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

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

SCAN_BLOCK = 1 << 18
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


@dataclass(frozen=True)
class Layout:
    """What the first two records say about a table's header, labels and width."""

    first_row: list[str]
    end_of_first: int
    header: bool
    labels: bool
    names: tuple[str, str] | None
    second_has_text: bool
    row_size: int


def table_layout(sample: str, separator: str | None, complete: bool) -> Layout | None:
    """The table's layout judged from a sample, or None if the sample cannot tell."""
    records = _first_records(sample, separator)
    if len(records) < 2 or (records[1][0] >= len(sample) and not complete):
        return None
    (end_of_first, first_row), (_, second_row) = records
    second_has_text = cell_kind(second_row[0]) == TEXT
    header, labels, names = decide_labels(first_row, second_has_text)
    if labels and len(first_row) < 2:
        return None
    row_size = max(len(_encoded(second_row, separator)), 1)
    return Layout(
        first_row, end_of_first, header, labels, names, second_has_text, row_size
    )


def too_large(layout: Layout, data_bytes: int) -> bool:
    """Whether the table would hold over `MAX_CELLS` cells, estimated from its size."""
    return len(layout.first_row) * (data_bytes // layout.row_size) > MAX_CELLS


def finish_table(
    layout: Layout, values: np.ndarray, row_labels: list[str]
) -> Table | None:
    """The table from what `numpy.loadtxt` parsed, or None if it does not fit."""
    first_row, header, labels = layout.first_row, layout.header, layout.labels
    if values.shape[1] != len(first_row) or values.size == 0:
        return None
    if labels and not layout.second_has_text:
        col_has_text = any(cell_kind(label) == TEXT for label in row_labels)
        if decide_labels(first_row, col_has_text) != (header, labels, layout.names):
            return None
    if labels:
        values = values[:, 1:]
    return assemble(first_row, header, labels, layout.names, values, row_labels)


def read_fast(
    raw: bytes, encoding: str, sample: str, separator: str | None, *, complete: bool
) -> Table | None:
    """Read the table with one `numpy.loadtxt` call, or None to use the exact reader.

    None means only "not here": text where numbers belong, ragged rows,
    quotes in the middle of fields and every other irregularity are left to
    the exact reader, which reads or refuses them.
    """
    layout = table_layout(sample, separator, complete)
    if layout is None:
        return None
    offset = 0
    if layout.header:
        offset = len(sample[: layout.end_of_first].encode(encoding))

    quotes = None
    if raw.find(b'"', offset) >= 0:
        if separator is None:
            return None
        quotes = _plain_quotes(raw, offset, separator)
        if quotes is None:
            return None
    quoted = quotes is not None
    if too_large(layout, len(raw) - offset):
        return None

    lines = io.BytesIO(raw)
    lines.seek(offset)
    labels = layout.labels
    parsed = parse_lines(lines, encoding, separator, labels, quoted=quoted)
    if parsed is None:
        filled = fill_missing(raw, offset, separator, skip_first=labels, quotes=quotes)
        if filled is None:
            return None
        parsed = parse_lines(filled, encoding, separator, labels, quoted=quoted)
        if parsed is None:
            return None
    return finish_table(layout, *parsed)


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


def parse_lines(
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

    tokens = raw.find(b"A", offset) >= 0
    starts, ends = find_holes(data, separator, skip_first, tokens=tokens, quotes=quotes)
    if starts.size == 0:
        return None

    return _filled_lines(
        raw, offset, (starts + offset).tolist(), (ends + offset).tolist()
    )


def find_holes(
    data: np.ndarray,
    separator: str | None,
    skip_first: bool,
    *,
    tokens: bool,
    quotes: np.ndarray | None = None,
    scratch: Scratch | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Where the empty, `NA` and `N/A` cells of some whole lines start and end.

    Args:
        data: Whole lines of bytes; the first starts a line.
        separator: The table's separator, None for whitespace.
        skip_first: Leave the first cell of each line alone (row labels).
        tokens: Look for `NA` and `N/A` too (there is an `A` in the data).
        quotes: The positions of double quotes, whose insides are left alone.
        scratch: Arrays to reuse, for a reader that calls this block by block.
    """
    starts = _empty_cells(data, separator, scratch)
    ends = starts
    if tokens:
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
    return starts, ends


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


def _empty_cells(
    data: np.ndarray, separator: str | None, scratch: Scratch | None = None
) -> np.ndarray:
    """Where empty cells are: positions with a boundary on either side.

    One cheap comparison per block finds candidates (for commas, every pair
    of bytes up to `,`, which in a numeric body is little more than a line
    end after a separator); the few candidates are then checked exactly.
    """
    if separator is None or data.size == 0:
        return np.empty(0, dtype=np.intp)
    if scratch is None:
        scratch = Scratch(min(data.size, SCAN_BLOCK))
    if data.size <= SCAN_BLOCK + 1:
        found = scratch.candidates(data, separator) + 1
    else:
        found = np.concatenate(
            [
                scratch.candidates(data[start : start + SCAN_BLOCK + 1], separator)
                + (start + 1)
                for start in range(0, data.size - 1, SCAN_BLOCK)
            ]
        )
    found = found[_hole_pairs(separator)[data[found - 1], data[found]]]

    sep = ord(separator)
    if data[0] != sep and data[-1] != sep:
        return found
    edges = [0] if data[0] == sep else []
    tail = [data.size] if data[-1] == sep else []
    return np.concatenate([edges, found, tail]).astype(np.intp)


@cache
def _hole_pairs(separator: str) -> np.ndarray:
    """Which pairs of bytes enclose an empty cell, as a 256 x 256 table.

    Both must be boundaries (the separator or a line end), but not both line
    ends: that is a line break or a blank line, not a cell.
    """
    codes = np.arange(256)
    line_end = _is_line_end(codes)
    boundary = line_end | (codes == ord(separator))
    pairs = boundary[:, np.newaxis] & boundary[np.newaxis, :]
    pairs &= ~(line_end[:, np.newaxis] & line_end[np.newaxis, :])
    pairs.flags.writeable = False
    return pairs


class Scratch:
    """Arrays reused from block to block while looking for empty cells."""

    def __init__(self, size: int) -> None:
        self._words = np.zeros(-(-size // 8), dtype=np.uint64)
        self._larger = self._words.view(np.uint8)
        self._marks = self._words.view(np.bool_)

    def candidates(self, block: np.ndarray, separator: str) -> np.ndarray:
        """Positions in a block whose byte and the next may both be boundaries.

        For commas and tabs every boundary byte is at most the separator, so
        a pair qualifies when the larger of its two bytes does. The marks
        are searched eight at a time, as 64-bit words, because they are few.
        """
        pairs = block.size - 1
        marks = self._marks[:pairs]
        if separator in (",", "\t"):
            larger = np.maximum(block[:-1], block[1:], out=self._larger[:pairs])
            limit = 0x2C if separator == "," else 0x0D
            np.less_equal(larger, limit, out=marks)
        else:
            candidate = (block == ord(separator)) | (block <= 0x0D)
            np.logical_and(candidate[:-1], candidate[1:], out=marks)
        self._marks[pairs:] = False

        words = np.flatnonzero(self._words[: -(-pairs // 8)] != 0)
        if words.size == 0:
            return words
        marked = np.flatnonzero(self._marks.reshape(-1, 8)[words])
        return words[marked >> 3] * 8 + (marked & 7)


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

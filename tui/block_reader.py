"""The block reader: a large text table read in blocks into one reused buffer.

A file of tens of megabytes read whole costs a fresh buffer of its size (and
the page faults of filling it) before any parsing starts. Here the file is
read a block at a time into one buffer; each block is checked and its empty
cells filled while it is in the cache, and its lines go on to the single
`numpy.loadtxt` call of `tui.fast_table`. Anything unusual (control or
non-ASCII bytes, double quotes, a table `loadtxt` cannot read) is left to
the whole-file readers, which give the same answers and messages.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from functools import cache
from typing import BinaryIO

import numpy as np

from tui.cells import Table
from tui.fast_table import (
    SCAN_BLOCK,
    Scratch,
    find_holes,
    finish_table,
    parse_lines,
    table_layout,
    too_large,
)

STREAM_BLOCK = 1 << 18
"""Bytes read per step when a large file is read block by block."""


def read_fast_stream(
    stream: BinaryIO,
    buffer: bytearray,
    start: int,
    end: int,
    size: int,
    sample: str,
    separator: str | None,
) -> Table | None:
    """Read a large ASCII table block by block with one `numpy.loadtxt` call.

    The file is never held whole: `buffer` is read into again and again, and
    each block's empty cells are filled before its lines go to `loadtxt`.
    None means the whole-file reader must decide: the file holds something
    this reader leaves alone (control or non-ASCII bytes, double quotes) or
    `loadtxt` could not read it.

    Args:
        stream: The file, positioned just after the first `end` bytes.
        buffer: The buffer to read into; its first `end` bytes are read.
        start: Where the table starts in the buffer (after a byte-order mark).
        end: How many bytes of the buffer hold data.
        size: The file's size in bytes, to refuse a huge table early.
        sample: The first characters of the table, as the separator was
            sniffed from; all of them ASCII.
        separator: The sniffed separator.
    """
    layout = table_layout(sample, separator, complete=False)
    if layout is None:
        return None
    offset = start + (layout.end_of_first if layout.header else 0)
    if too_large(layout, size - offset):
        return None

    lines = _BlockLines(stream, buffer, offset, end, separator, layout.labels)
    if not lines.has_lines:
        return None
    parsed = parse_lines(lines, "ascii", separator, layout.labels, quoted=False)
    if parsed is None or lines.unusual:
        return None
    return finish_table(layout, *parsed)


def fill_buffer(stream: BinaryIO, view: memoryview, end: int) -> int:
    """Read into `view` from `end` on until it is full or the file ends.

    Returns:
        How many bytes of `view` hold data; fewer than its length at the end
        of the file.
    """
    while end < len(view):
        count = stream.readinto(view[end:])
        if not count:
            break
        end += count
    return end


_DELETE = 1
"""The byte a filled `NA` or `N/A` token is overwritten with, then removed."""

_FIRST_PLAIN = 8
"""Bytes below this (and non-ASCII ones) send a file to the whole-file reader;
the few just above NUL are free to mark the holes with."""


class _BlockLines:
    """The lines of a file read block by block into one buffer, cells filled.

    Holes are filled without splicing bytes one hole at a time: the boundary
    byte after each hole is overwritten, in the buffer, with a marker byte,
    and one `bytes.replace` per marker puts `nan` back in front of the
    boundary. A line longer than the buffer makes the buffer grow. Iterating
    stops early, with `unusual` set, at anything the whole-file reader must
    judge instead: control or non-ASCII bytes, or double quotes.
    """

    def __init__(
        self,
        stream: BinaryIO,
        buffer: bytearray,
        start: int,
        end: int,
        separator: str | None,
        skip_first: bool,
    ) -> None:
        self._stream = stream
        self._buffer = buffer
        self._start = start
        self._end = end
        self._separator = separator
        self._skip_first = skip_first
        self._scratch = Scratch(SCAN_BLOCK)
        self._markers, self._fills = _markers(separator)
        self.unusual = False
        """Whether reading stopped at something only the whole-file reader takes."""

        blocks = self._read_blocks()
        first = next(blocks, None)
        self.has_lines = first is not None
        """Whether the first block is read and filled (it is read at once, so
        that `numpy.loadtxt` is never handed a file it would find empty)."""
        self._blocks = itertools.chain([first] if first is not None else [], blocks)

    def __iter__(self) -> Iterator[bytes]:
        for block in self._blocks:
            yield from io.BytesIO(block)

    def _read_blocks(self) -> Iterator[bytes]:
        """The filled blocks of whole lines, read one after another."""
        buffer = self._buffer
        view = memoryview(buffer)
        start, end = self._start, self._end
        while True:
            end = fill_buffer(self._stream, view, end)
            at_end = end < len(view)
            stop = end if at_end else buffer.rfind(b"\n", start, end) + 1
            if stop <= start and not at_end:
                buffer = bytearray(2 * len(view))
                buffer[: end - start] = view[start:end]
                view = memoryview(buffer)
                start, end = 0, end - start
                continue

            if stop > start:
                block = self._filled(buffer, start, stop)
                if block is None:
                    self.unusual = True
                    return
                yield block
            if at_end:
                return

            rest = view[stop:end].tobytes()
            view[: len(rest)] = rest
            start, end = 0, len(rest)

    def _filled(self, buffer: bytearray, start: int, stop: int) -> bytes | None:
        """Whole lines `start`..`stop` of `buffer` with their holes as `nan`."""
        data = np.frombuffer(buffer, dtype=np.uint8, count=stop - start, offset=start)
        if data.view(np.int8).min() < _FIRST_PLAIN:
            return None
        if buffer.find(b'"', start, stop) >= 0:
            return None

        tokens = buffer.find(b"A", start, stop) >= 0
        starts, ends = find_holes(
            data,
            self._separator,
            self._skip_first,
            tokens=tokens,
            scratch=self._scratch,
        )
        if tokens:
            data[_spans(starts, ends)] = _DELETE
        tail = ends.size > 0 and ends[-1] == data.size
        if tail:
            ends = ends[:-1]
        markers = self._markers[data[ends]]
        data[ends] = markers
        used = np.bincount(markers, minlength=_FIRST_PLAIN).tolist()

        block = memoryview(buffer)[start:stop].tobytes()
        for marker, fill in self._fills:
            if used[marker]:
                block = block.replace(bytes([marker]), fill)
        if tokens:
            block = block.replace(bytes([_DELETE]), b"")
        return block + b"nan" if tail else block


@cache
def _markers(separator: str | None) -> tuple[np.ndarray, list[tuple[int, bytes]]]:
    """The marker byte for each boundary byte, and what each marker stands for.

    Returns:
        A table from byte to byte that maps each boundary (the separator or
        whitespace, and the line ends) to its own marker, and each marker
        with `nan` followed by its boundary.
    """
    boundaries = [" ", "\t"] if separator is None else [separator]
    boundaries += ["\n", "\r"]
    table = np.arange(256, dtype=np.uint8)
    fills = []
    for marker, boundary in enumerate(boundaries, start=_DELETE + 1):
        table[ord(boundary)] = marker
        fills.append((marker, b"nan" + boundary.encode()))
    table.flags.writeable = False
    return table, fills


def _spans(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Every position inside the spans `starts`..`ends`, in one array."""
    lengths = ends - starts
    firsts = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return firsts + np.arange(int(lengths.sum()))

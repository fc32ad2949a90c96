"""Reading a matrix from delimited text: CSV, TSV, semicolon or whitespace tables.

`read_table` sniffs the separator, then tries the fast reader
(`tui.fast_table`, one `numpy.loadtxt` call) and falls back to the exact
reader here, which walks the records with the `csv` module and is the one
that finds and words every refusal. Both judge cells by `tui.cells`, and
whatever the fast reader returns, the exact one would return too. A large
file is first offered to `read_table_stream`, which reads plain tables
block by block and leaves everything else to `read_table`.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator
from typing import AnyStr, BinaryIO

import numpy as np

from tui.block_reader import STREAM_BLOCK, fill_buffer, read_fast_stream
from tui.cells import (
    AMBIGUOUS,
    DECIMAL_COMMA,
    MAX_CELLS,
    MISSING,
    NUMBER,
    TEXT,
    THOUSANDS,
    Table,
    assemble,
    cell_kind,
    decide_labels,
    is_blank,
    quote_snippet,
    split_whitespace,
)
from tui.errors import InputError
from tui.fast_table import read_fast

SEPARATORS = ("\t", ";", ",")
"""The single-character separators, in the order sniffing prefers them."""

_SEPARATOR_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", None: "spaces"}
_QUOTED_SPAN = re.compile(r'"(?:[^"]|"")*"')
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SNIFF_CHARS = 1 << 16
_SNIFF_LINES = 20


def read_table(raw: bytes, source: str, kind: str | None = None) -> Table:
    """Parse delimited text into a table of floats with its labels.

    Args:
        raw: The file's bytes.
        source: The path as given (or `-`), for messages.
        kind: `csv`, `tsv` or `txt` to choose the separator rules, or None
            to sniff them.

    Raises:
        InputError: for anything the contract refuses, naming the line and
            column where there is one.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(source, "is UTF-16 text; heatlens reads UTF-8")
    if b"\x00" in raw:
        raise InputError(source, "looks like binary data (it contains NUL bytes)")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw or raw.isspace():
        problem = "is empty" if not raw else "contains only whitespace"
        raise InputError(source, problem)

    if raw.isascii():
        encoding, text = "ascii", None
        sample_end = sample_size(raw, b"\n")
        sample = raw[:sample_end].decode("ascii")
        complete = sample_end >= len(raw)
    else:
        encoding, text = _decode(raw)
        sample_end = sample_size(text, "\n")
        sample = text[:sample_end]
        complete = sample_end >= len(text)
    separator = sniff_separator(sample, kind, source, complete=complete)

    table = read_fast(raw, encoding, sample, separator, complete=complete)
    if table is not None:
        return table
    if text is None:
        text = raw.decode("ascii")
    return read_exact(text, separator, source)


def read_table_stream(
    stream: BinaryIO, size: int, kind: str | None, *, block: int = STREAM_BLOCK
) -> Table | None:
    """Read a large file's table block by block, or None to read the file whole.

    Only a plain ASCII table that the fast reader takes is read this way;
    for everything else (and every refusal) the caller reads the whole file
    with `read_table`, which gives exactly the same answers and messages.

    Args:
        stream: The open file, at its start.
        size: The file's size in bytes.
        kind: `csv`, `tsv` or `txt`, or None to sniff the separator rules.
        block: How many bytes to read at a time; at least twice the sample
            the separator is sniffed from is read first.
    """
    buffer = bytearray(max(block, 2 * _SNIFF_CHARS))
    end = fill_buffer(stream, memoryview(buffer), 0)
    start = 3 if buffer.startswith(b"\xef\xbb\xbf") else 0
    head = bytes(buffer[start:end])
    head = head[: sample_size(head, b"\n")]
    if end - start <= len(head) or not head.isascii() or b"\x00" in head:
        return None

    sample = head.decode("ascii")
    try:
        separator = sniff_separator(sample, kind, "", complete=False)
    except InputError:
        return None
    return read_fast_stream(stream, buffer, start, end, size, sample, separator)


def sample_size(data: AnyStr, newline: AnyStr) -> int:
    """How much of the start of `data` to judge the table's layout from.

    At least `_SNIFF_CHARS`, and always the first three lines whole and a
    character more: the fast readers need two complete records to decide
    on labels, and a matrix with thousands of columns has lines longer
    than the usual sample. All of `data` when it has fewer lines.
    """
    end = -1
    for _ in range(3):
        end = data.find(newline, end + 1)
        if end < 0:
            return len(data)
    return min(len(data), max(_SNIFF_CHARS, end + 2))


def _decode(raw: bytes) -> tuple[str, str]:
    try:
        return "utf-8", raw.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1", raw.decode("latin-1")


def sniff_separator(
    sample: str, kind: str | None, source: str, *, complete: bool = True
) -> str | None:
    """The separator of a table: `,`, `;`, a tab, or None for runs of whitespace.

    `.tsv` means tabs; `.csv` means commas unless every line has the same
    number of semicolons (then commas are decimal commas, to be refused);
    anything else is judged from the first lines, where columns aligned with
    a varying number of tabs count as whitespace.

    Raises:
        InputError: when lines use different separators.
    """
    if kind == "tsv":
        return "\t"

    lines = [line for line in _LINE_BREAK.split(sample) if line.strip()]
    if not complete and len(lines) > 1:
        lines.pop()
    lines = [_QUOTED_SPAN.sub("", line) for line in lines[:_SNIFF_LINES]]
    counts = {sep: [line.count(sep) for line in lines] for sep in SEPARATORS}

    def consistent(sep: str) -> bool:
        return bool(counts[sep]) and counts[sep][0] > 0 and len(set(counts[sep])) == 1

    if kind == "csv":
        return ";" if consistent(";") else ","
    for sep in SEPARATORS:
        if consistent(sep):
            return sep
    present = [sep for sep in SEPARATORS if any(counts[sep])]
    if not present:
        return None
    if present == ["\t"] and len({len(line.split()) for line in lines}) == 1:
        return None
    chosen = max(present, key=lambda sep: sum(1 for n in counts[sep] if n))
    for other in present:
        missing = [i for i, n in enumerate(counts[chosen]) if not n]
        if other != chosen and any(counts[other][i] for i in missing):
            raise InputError(
                source,
                f"mixes separators: some lines use {_SEPARATOR_NAMES[chosen]}, "
                f"others {_SEPARATOR_NAMES[other]}",
            )
    return chosen


def _records(
    text: str, separator: str | None, source: str
) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank record with the line it starts on (1-based)."""
    if separator is None:
        for number, line in enumerate(_LINE_BREAK.split(text), start=1):
            if line.strip():
                yield number, split_whitespace(line, number, source)
        return

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    line = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(source, f"line {line}: {_csv_problem(error)}") from None
        if not is_blank(fields):
            yield line, fields
        line = reader.line_num + 1


def _csv_problem(error: csv.Error) -> str:
    message = str(error)
    if "field larger than field limit" in message:
        return f"a field is longer than {csv.field_size_limit():,} characters"
    return f"bad quoting ({message})"


def read_exact(text: str, separator: str | None, source: str) -> Table:
    """Read the table record by record, refusing the first thing that is wrong."""
    records = _records(text, separator, source)
    first = next(records, None)
    if first is None:
        raise InputError(source, "contains no values")
    first_line, first_row = first
    width = len(first_row)
    kinds = [cell_kind(field) for field in first_row]
    if AMBIGUOUS in kinds and TEXT not in kinds:
        _parse_cells(first_row, first_line, 1, separator, source)

    first_col: list[str] = []
    first_col_lines: list[int] = []
    rows: list[np.ndarray] = []
    for line, fields in records:
        if len(fields) != width:
            raise InputError(source, _ragged(line, fields, width, separator))
        first_col.append(fields[0])
        first_col_lines.append(line)
        try:
            rows.append(_parse_cells(fields[1:], line, 2, separator, source))
        except InputError:
            _refuse_first_column(first_col, first_col_lines, separator, source)
            raise
        if (len(rows) + 1) * width > MAX_CELLS:
            raise InputError(source, f"is too large: over {MAX_CELLS:,} cells")

    col_text = any(cell_kind(field) == TEXT for field in first_col)
    header, labels, names = decide_labels(first_row, col_text)
    if header and not rows:
        raise InputError(source, "has a header row but no data rows")
    if labels and width < 2:
        raise InputError(source, "has labels but no values")

    body = np.array(rows, dtype=np.float64).reshape(len(rows), width - 1)
    if not labels:
        column = _parse_cells(first_col, None, 1, separator, source, first_col_lines)
        body = np.column_stack([column, body])
    if not header:
        start = 1 if labels else 0
        top = _parse_cells(first_row[start:], first_line, start + 1, separator, source)
        body = np.vstack([top[np.newaxis, :], body])
        first_col.insert(0, first_row[0])
    return assemble(first_row, header, labels, names, body, first_col)


def _refuse_first_column(
    column: list[str], lines: list[int], separator: str | None, source: str
) -> None:
    """Refuse an earlier ambiguous number in a first column that holds no text.

    Errors are reported in file order, but the first column is only parsed
    once the whole file has shown whether it holds labels.
    """
    kinds = [cell_kind(field) for field in column]
    if TEXT not in kinds and AMBIGUOUS in kinds:
        _parse_cells(column, None, 1, separator, source, lines)


def _parse_cells(
    fields: list[str],
    line: int | None,
    first_column: int,
    separator: str | None,
    source: str,
    lines: list[int] | None = None,
) -> np.ndarray:
    """Parse the numbers of one row (or one column, with a line per field)."""
    joined = "".join(fields)
    if joined.isascii() and "_" not in joined:
        try:
            return np.array([float(field) for field in fields], dtype=np.float64)
        except ValueError:
            pass

    parsed = np.empty(len(fields), dtype=np.float64)
    for index, field in enumerate(fields):
        kind = cell_kind(field)
        if kind == NUMBER:
            parsed[index] = float(field)
        elif kind == MISSING:
            parsed[index] = np.nan
        else:
            where = (
                f"line {lines[index]}, column {first_column}"
                if lines is not None
                else f"line {line}, column {first_column + index}"
            )
            raise InputError(source, f"{where}: {_cell_problem(field, separator)}")
    return parsed


def _cell_problem(field: str, separator: str | None) -> str:
    stripped = field.strip()
    snippet = quote_snippet(stripped)
    if THOUSANDS.fullmatch(stripped):
        return f"{snippet} looks like a thousands separator"
    if DECIMAL_COMMA.fullmatch(stripped):
        return f"{snippet} looks like a decimal comma"
    for other in SEPARATORS:
        if other != separator and other in stripped:
            parts = stripped.split(other)
            if all(cell_kind(part) in (NUMBER, MISSING) for part in parts):
                return (
                    f"{snippet} mixes separators: the file is separated by "
                    f"{_SEPARATOR_NAMES[separator]}"
                )
    return f"{snippet} is not a number"


def _ragged(line: int, fields: list[str], width: int, separator: str | None) -> str:
    noun = "value" if len(fields) == 1 else "values"
    problem = f"line {line} has {len(fields)} {noun}, expected {width}"
    for left, right in itertools.pairwise(fields if len(fields) > width else []):
        if re.fullmatch(r"[+-]?\d{1,3}", left.strip()) and re.fullmatch(
            r"\d{3}(?:\.\d*)?", right.strip()
        ):
            pair = f"{left.strip()},{right.strip()}"
            return f"{problem} ('{pair}' looks like a thousands separator)"
    for other in SEPARATORS:
        if other != separator and any(other in field for field in fields):
            return (
                f"{problem} (it uses {_SEPARATOR_NAMES[other]}; the file is "
                f"separated by {_SEPARATOR_NAMES[separator]})"
            )
    return problem

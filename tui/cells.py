"""What the cells of a text table mean: numbers, missing values, labels, axis names.

Both text readers (`tui.fast_table` and `tui.delimited`) judge cells and the
first row and column by these rules, so they always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from tui.errors import InputError
from tui.text import safe_text, shorten

MAX_CELLS = 100_000_000
"""The most cells a matrix may have; beyond it a file is refused, not loaded."""

_MISSING = frozenset({"", "NA", "N/A"})
_NUMBER = re.compile(
    r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)",
    re.IGNORECASE | re.ASCII,
)
THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?", re.ASCII)
DECIMAL_COMMA = re.compile(
    r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d*),\d+(?:[eE][+-]?\d+)?", re.ASCII
)
NUMBER, MISSING, AMBIGUOUS, TEXT = "number", "missing", "ambiguous", "text"


@dataclass(frozen=True)
class Table:
    """What a text file holds: values, and labels and axis names if it has them."""

    values: np.ndarray
    row_labels: tuple[str, ...] | None
    col_labels: tuple[str, ...] | None
    x_label: str = ""
    y_label: str = ""


def cell_kind(field: str) -> str:
    """Whether a field is a number, a missing value, an ambiguous number or text."""
    stripped = field.strip()
    if stripped in _MISSING:
        return MISSING
    if _NUMBER.fullmatch(stripped):
        return NUMBER
    if THOUSANDS.fullmatch(stripped) or DECIMAL_COMMA.fullmatch(stripped):
        return AMBIGUOUS
    return TEXT


def quote_snippet(text: str, width: int = 40) -> str:
    """File text fit for a message: controls made visible, long text shortened."""
    return "'" + shorten(safe_text(text), width) + "'"


def axis_names(corner: str) -> tuple[str, str] | None:
    """The `(y_label, x_label)` a corner cell such as `digit_b/digit_a` names.

    A single backslash splits the names; without one, a single slash does.
    Anything else is not a pair of axis names.
    """
    if corner.count("\\") == 1:
        y_name, x_name = corner.split("\\")
    elif "\\" not in corner and corner.count("/") == 1:
        y_name, x_name = corner.split("/")
    else:
        return None
    return y_name.strip(), x_name.strip()


def decide_labels(
    first_row: list[str], first_col_has_text: bool
) -> tuple[bool, bool, tuple[str, str] | None]:
    """Whether the first row holds column labels and the first column row labels.

    A row or column is labels when it holds text; the corner cell settles
    the cases that leaves open (an empty corner above a label column is the
    usual mark of a table written with its index).

    Returns:
        `(has_header, has_row_labels, axis_names_or_None)`.
    """
    corner = first_row[0]
    if len(first_row) == 1:
        return cell_kind(corner) == TEXT and not first_col_has_text, False, None
    names = axis_names(corner) if cell_kind(corner) == TEXT else None
    if names is not None:
        return True, True, names

    row_text = any(cell_kind(field) == TEXT for field in first_row[1:])
    corner_text = cell_kind(corner) == TEXT
    corner_empty = corner == ""
    header = (
        row_text
        or (corner_text and not first_col_has_text)
        or (corner_empty and first_col_has_text)
    )
    labels = (
        first_col_has_text
        or (corner_text and not row_text)
        or (corner_empty and row_text)
    )
    return header, labels, None


def assemble(
    first_row: list[str],
    header: bool,
    labels: bool,
    names: tuple[str, str] | None,
    values: np.ndarray,
    row_labels: list[str] | None,
) -> Table:
    y_label, x_label = names if names is not None else ("", "")
    col_labels = None
    if header:
        col_labels = tuple(first_row[1:] if labels else first_row)
    return Table(
        values=values,
        row_labels=tuple(row_labels) if labels and row_labels is not None else None,
        col_labels=col_labels,
        x_label=x_label,
        y_label=y_label,
    )


def is_blank(fields: list[str]) -> bool:
    return not fields or (len(fields) == 1 and not fields[0].strip())


_QUOTED_TOKEN = re.compile(r'"((?:[^"]|"")*)"(?=\s|$)')
_BARE_TOKEN = re.compile(r"\S+")
_SPACES = re.compile(r"\s*")


def split_whitespace(line: str, number: int, source: str) -> list[str]:
    """Split a line on runs of whitespace; double quotes keep a field together."""
    fields = []
    position = _SPACES.match(line).end()
    while position < len(line):
        if line[position] == '"':
            match = _QUOTED_TOKEN.match(line, position)
            if match is None:
                raise InputError(source, f"line {number}: a quoted field is not closed")
            fields.append(match.group(1).replace('""', '"'))
        else:
            match = _BARE_TOKEN.match(line, position)
            fields.append(match.group())
        position = _SPACES.match(line, match.end()).end()
    return fields

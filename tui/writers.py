"""Saving a matrix in the formats heatlens reads, so that it loads back the same.

CSV keeps the values, the labels and the axis names (in the corner cell);
JSON keeps the title too; `.npy` keeps only the values. Every file is
written whole or not at all, through `tui.atomic.write_atomic`.

What does not survive a CSV round trip, by design: the title, surrounding
spaces of axis names (the reader strips them), and whether labels came from
the file (a matrix with labels or axis names is written with both label
rows, positions standing in for missing labels).
"""

from __future__ import annotations

import io
import json
import math
import os

import numpy as np

from tui.atomic import write_atomic
from tui.errors import OutputError
from tui.matrix import Matrix


def save_csv(matrix: Matrix, path: str | os.PathLike[str]) -> None:
    """Write the matrix as CSV with its labels and axis names.

    Raises:
        OutputError: when the file cannot be written, or the text cannot be
            held by a CSV file (NUL characters, a backslash in an axis name,
            text that is not valid Unicode).
    """
    target = os.fspath(path)
    labelled = (
        matrix.has_row_labels
        or matrix.has_col_labels
        or bool(matrix.x_label)
        or bool(matrix.y_label)
    )

    lines = []
    if labelled:
        header = [_corner(matrix, target), *matrix.col_labels]
        lines.append(",".join(_csv_field(text) for text in header))
        for label, row in zip(matrix.row_labels, _value_rows(matrix), strict=True):
            lines.append(",".join([_csv_field(label), *row]))
    else:
        lines.extend(",".join(row) for row in _value_rows(matrix))

    text = "\n".join(lines) + "\n"
    if "\x00" in text:
        raise OutputError(target, "labels with NUL characters cannot be saved as CSV")
    write_atomic(target, _encode(text, target))


def save_json(matrix: Matrix, path: str | os.PathLike[str]) -> None:
    """Write the matrix as a JSON object: values, labels, axis names and title.

    Missing values are `null`; infinite ones `1e999` and `-1e999`, which are
    valid JSON numbers that read back as infinity.
    """
    target = os.fspath(path)
    fields: dict[str, object] = {
        "title": matrix.title,
        "x_label": matrix.x_label,
        "y_label": matrix.y_label,
    }
    if matrix.has_col_labels:
        fields["col_labels"] = list(matrix.col_labels)
    if matrix.has_row_labels:
        fields["row_labels"] = list(matrix.row_labels)

    head = json.dumps(fields, ensure_ascii=False, indent=2)
    rows = ",\n".join(
        "    [" + ", ".join(_json_number(value) for value in row) + "]"
        for row in np.asarray(matrix.values).tolist()
    )
    text = head[:-2] + f',\n  "values": [\n{rows}\n  ]\n}}\n'
    try:
        payload = text.encode("utf-8")
    except UnicodeEncodeError:
        head = json.dumps(fields, ensure_ascii=True, indent=2)
        payload = (head[:-2] + f',\n  "values": [\n{rows}\n  ]\n}}\n').encode()
    write_atomic(target, payload)


def save_npy(matrix: Matrix, path: str | os.PathLike[str]) -> None:
    """Write the values alone as a float64 `.npy` array."""
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(matrix.values, dtype=np.float64), allow_pickle=False)
    write_atomic(os.fspath(path), buffer.getvalue())


def _value_rows(matrix: Matrix):
    """Each row's values as text that reads back to the same float."""
    for row in np.asarray(matrix.values).tolist():
        yield [repr(value) for value in row]


def _csv_field(text: str) -> str:
    """A label as a CSV field, quoted when it holds a comma, quote or line break."""
    if any(char in text for char in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _corner(matrix: Matrix, target: str) -> str:
    """The corner cell naming both axes: `y/x`, or `y\\x` if a name has a slash."""
    names = matrix.y_label + matrix.x_label
    if "\\" in names:
        raise OutputError(
            target, "axis names with a backslash cannot be saved as CSV; use JSON"
        )
    separator = "\\" if "/" in names else "/"
    return f"{matrix.y_label}{separator}{matrix.x_label}"


def _encode(text: str, target: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise OutputError(
            target, "the labels hold text that is not valid Unicode"
        ) from None


def _json_number(value: float) -> str:
    if math.isnan(value):
        return "null"
    if math.isinf(value):
        return "1e999" if value > 0 else "-1e999"
    return repr(value)

"""The anomaly report as text: strict JSON for scripts, a table for people."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from tui.anomalies import Anomaly, value_formatter
from tui.matrix import Matrix
from tui.text import safe_text, shorten, text_width

LABEL_WIDTH = 16
"""The widest a row or column label may print in the table."""


def _number(value: float | None) -> float | int | None:
    """A value fit for strict JSON: missing or infinite becomes null."""
    if value is None or not math.isfinite(value):
        return None
    if value == int(value) and abs(value) < 2**53:
        return int(value)
    return float(value)


def _prediction(value: float | None) -> float | None:
    """A predicted value without the float noise of its arithmetic (0.98, not
    0.9800000000000001); twelve significant digits are far beyond its accuracy."""
    if value is None or not math.isfinite(value):
        return value
    return float(f"{value:.12g}")


def anomalies_json(anomalies: Sequence[Anomaly]) -> str:
    """One strict JSON object listing the anomalies, highest score first.

    Whole numbers print as integers, a missing or infinite value as `null`,
    never `NaN`; reasons are made safe for a terminal.
    """
    ranked = sorted(anomalies, key=lambda a: (-a.score, a.row, a.col))
    records = [
        {
            "row": int(a.row),
            "col": int(a.col),
            "value": _number(a.value),
            "expected": _number(_prediction(a.expected)),
            "score": _number(round(a.score, 6)) if math.isfinite(a.score) else None,
            "kind": a.kind,
            "reason": safe_text(a.reason),
        }
        for a in ranked
    ]
    return json.dumps({"anomalies": records}, allow_nan=False, ensure_ascii=False)


def _shape(matrix: Matrix) -> str:
    return f"{matrix.n_rows}×{matrix.n_cols}"


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(width - text_width(text), 0)
    return gap + text if right else text + gap


def anomalies_table(matrix: Matrix, anomalies: Sequence[Anomaly]) -> str:
    """A plain-text table of the anomalies, one line each, highest score first.

    Columns: rank, row label, column label, value, expected value, kind and
    reason. Labels are made safe and shortened; an empty report says so in
    one line naming the matrix.
    """
    source = safe_text(matrix.source or matrix.title or "the matrix")
    if not anomalies:
        return f"No anomalies found in {source} ({_shape(matrix)}).\n"

    ranked = sorted(anomalies, key=lambda a: (-a.score, a.row, a.col))
    fmt = value_formatter(matrix)
    names = (matrix.y_label or "row", matrix.x_label or "column")
    header = ["#", *(shorten(name, LABEL_WIDTH) for name in names)]
    header += ["value", "expected", "kind", "reason"]
    lines = [
        [
            str(rank),
            shorten(matrix.row_labels[a.row], LABEL_WIDTH),
            shorten(matrix.col_labels[a.col], LABEL_WIDTH),
            fmt(a.value),
            "" if a.expected is None else fmt(a.expected),
            a.kind,
            safe_text(a.reason),
        ]
        for rank, a in enumerate(ranked, start=1)
    ]

    widths = [max(text_width(row[k]) for row in [header, *lines]) for k in range(6)]
    numeric = {0, 3, 4}
    noun = "anomaly" if len(ranked) == 1 else "anomalies"
    out = [f"{len(ranked)} {noun} in {source} ({_shape(matrix)}):"]
    for row in [header, *lines]:
        cells = [_pad(row[k], widths[k], right=k in numeric) for k in range(6)]
        out.append("  ".join([*cells, row[6]]).rstrip())
    return "\n".join(out) + "\n"

"""Printing cell values compactly, the same way in the terminal and the SVG."""

from __future__ import annotations

import math

_SUFFIXES = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))


def format_value(value: float, width: int = 4, *, counts: bool = False) -> str:
    """The value as short text, at most `width` characters where possible.

    Counts print as integers (`1234`, then `12k`, `1.2M`); scores print with
    as many decimals as fit (`0.97`), and in a compact exponent form when
    very large or very small (`1e-4`). A missing value prints as nothing.
    """
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if counts and value == int(value):
        return _format_count(value, width)
    return _format_score(value, width)


def _format_count(value: float, width: int) -> str:
    magnitude = abs(value)
    if magnitude >= 1e15:
        return _format_exponent(value)
    text = f"{int(value)}"
    if len(text) <= width:
        return text

    sign = "-" if value < 0 else ""
    for size, suffix in _SUFFIXES:
        if magnitude >= size:
            scaled = magnitude / size
            short = f"{sign}{scaled:.1f}{suffix}"
            if len(short) <= width and scaled < 9.95:
                return short
            return f"{sign}{scaled:.0f}{suffix}"
    return text


def _format_score(value: float, width: int) -> str:
    if value == 0:
        return f"{0:.{max(width - 2, 0)}f}"

    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e6:
        for decimals in range(max(width - 2, 0), -1, -1):
            text = f"{value:.{decimals}f}"
            if len(text) <= width and float(text) != 0:
                return text
    return _format_exponent(value)


def _format_exponent(value: float) -> str:
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def format_full(value: float) -> str:
    """The value at full precision, for the inspector and reports."""
    if math.isnan(value):
        return "missing"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value)}"
    return repr(float(value))

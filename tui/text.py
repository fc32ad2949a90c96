"""Making text from files safe to show, and measuring it in terminal cells.

Labels, titles and axis names are data. Before they reach a terminal, an SVG
or a message they pass through `safe_text`, which turns every control
character into a visible stand-in so nothing in a file can drive a terminal.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _visible(char: str) -> str:
    """The stand-in shown for one control, bidi or unencodable character."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"<U+{code:04X}>"


def _needs_escape(char: str) -> bool:
    code = ord(char)
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or code in (0xFFFE, 0xFFFF)
        or char in _BIDI_CONTROLS
    )


def safe_text(text: str) -> str:
    """Return `text` with control characters made visible and harmless.

    C0 controls become their Unicode control pictures (ESC shows as `␛`),
    DEL and C1 controls and bidirectional overrides become `<U+XXXX>`, and
    lone surrogates become the replacement character. Everything else,
    including wide and combining characters, is kept.
    """
    if text.isprintable() and text.isascii():
        return text
    return "".join(_visible(c) if _needs_escape(c) else c for c in text)


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """How many terminal cells one character takes: 0, 1 or 2."""
    if unicodedata.combining(char) or char in "\u200b\u200c\u200d\ufe0e\ufe0f":
        return 0
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    return 1


def text_width(text: str) -> int:
    """How many terminal cells `text` takes once made safe."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(char_width(c) for c in safe_text(text))


def shorten(text: str, width: int) -> str:
    """Cut safe text to at most `width` cells, marking a cut with `…`."""
    text = safe_text(text)
    if text_width(text) <= width:
        return text
    if width <= 0:
        return ""

    kept: list[str] = []
    used = 0
    for char in text:
        size = char_width(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept) + "…"

"""Making file text safe to show, and measuring it."""

from hypothesis import given
from hypothesis import strategies as st

from tui.text import safe_text, shorten, text_width


def test_escape_sequences_become_visible():
    shown = safe_text("a\x1b[31mred\x1b]8;;http://x\x07b")

    assert "\x1b" not in shown and "\x07" not in shown
    assert shown == "a␛[31mred␛]8;;http://x␇b"


def test_c1_controls_and_bidi_overrides_are_named():
    assert safe_text("x\x9by") == "x<U+009B>y"
    assert safe_text("\u202eabc") == "<U+202E>abc"


def test_xml_forbidden_noncharacters_are_named():
    assert safe_text("a\ufffeb\uffff") == "a<U+FFFE>b<U+FFFF>"


def test_lone_surrogates_become_replacement_characters():
    assert safe_text("a\ud800b") == "a\ufffdb"


def test_ordinary_unicode_is_kept():
    text = "日本語 é 👍 مرحبا"

    assert safe_text(text) == text


def test_width_counts_wide_and_combining_characters():
    assert text_width("abc") == 3
    assert text_width("日本") == 4
    assert text_width("e\u0301") == 1


def test_shorten_marks_the_cut_and_respects_wide_characters():
    assert shorten("digit_b", 10) == "digit_b"
    assert shorten("abcdefgh", 5) == "abcd…"
    assert shorten("日本語テキスト", 6) == "日本…"
    assert text_width(shorten("日本語テキスト", 6)) <= 6


@given(st.text())
def test_safe_text_never_leaves_a_control_character(text):
    shown = safe_text(text)

    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    shown.encode("utf-8")


@given(st.text(), st.integers(min_value=1, max_value=40))
def test_shorten_never_exceeds_the_width(text, width):
    assert text_width(shorten(text, width)) <= width

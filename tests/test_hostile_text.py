"""Hostile text end to end: labels, titles, axis names and file names from a file.

A matrix file is written by someone else. Whatever its text holds (escape
sequences, control characters, Rich or Textual markup, XML, bidi overrides,
huge or unusual Unicode), heatlens must show it as visible harmless text on
the screen, escape it in SVG and JSON, and keep its layout.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from tui.app import HeatlensApp
from tui.cli import main
from tui.colour_mode import ColourMode
from tui.loaders import load
from tui.text import safe_text
from tui.widgets.heatmap import LABEL_CAP, Heatmap

HOSTILE = [
    "\x1b[31mred\x1b[0m",
    "\x1b]0;pwned\x07",
    "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[2J\x1b[H\x1bc",
    "nul\x00bel\x07bs\x08cr\rlf\nff\x0c",
    "c1\x85\x9b2J\x9d0;t\x9c",
    "[bold]b[/]",
    "[link=http://x]y[/link]",
    "[/]",
    "[@click=app.quit]quit[/]",
    "</text><script>alert(1)</script>",
    "]]><!--",
    "&amp;&lt;",
    "x" * 10_000,
    "\u202eevil\u202c",
    "\u2067עברית العربية\u2069",
    "e\u0301\u0302\u0303\u0304 Z\u0334\u0321\u0322\u0347",
    "👩\u200d👩\u200d👧\u200d👦 🏳\ufe0f\u200d🌈",
    "表格中文漢字かなカナ한글",
    "\ufeffbom\u200bzero\u200dwidth",
    "lone\ud800surrogate",
]
"""One label of each kind; the matrix is as large as this list is long."""

HOSTILE_NAME = "evil\x1b]0;pwned\x07\x9b[bold]\u202e"
"""Used as a title, axis name and file name."""

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""A character that must never reach a terminal raw."""

XML_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""A character that must never be in an SVG: controls other than XML's spaces."""

TEXTUAL_SEQUENCE = re.compile(r"\x1b\[[0-9;:?]*[A-Za-z]")
"""The CSI sequences Textual itself writes: colours, cursor moves, modes."""


def hostile_values() -> np.ndarray:
    """A diagonal matrix with one cell far off the pattern, so anomalies exist."""
    size = len(HOSTILE)
    values = np.full((size, size), 0.02)
    np.fill_diagonal(values, 0.95)
    values[3, 9] = 0.9
    return values


def write_hostile(folder: Path, name: str = "hostile.json") -> Path:
    """A JSON matrix whose every label, title and axis name is hostile."""
    document = {
        "values": hostile_values().tolist(),
        "title": HOSTILE_NAME + "x" * 10_000,
        "x_label": "[link=http://x]pred[/link]\x1b[1m",
        "y_label": HOSTILE_NAME,
        "row_labels": HOSTILE,
        "col_labels": list(reversed(HOSTILE)),
    }
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def assert_harmless(text: str) -> None:
    assert not CONTROL.search(text), repr(CONTROL.search(text))
    assert not re.search("[\ud800-\udfff]", text)


def parse_svg(text: str) -> ET.Element:
    root = ET.fromstring(text.encode())
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert "script" not in tags and "foreignObject" not in tags
    return root


def svg_strings(root: ET.Element) -> str:
    """Every text and attribute value of an SVG, checked for stray controls."""
    parts = [element.text or "" for element in root.iter()]
    parts += [value for element in root.iter() for value in element.attrib.values()]
    strings = "\n".join(parts)
    assert not XML_CONTROL.search(strings), repr(XML_CONTROL.search(strings))
    assert not re.search("[\ud800-\udfff]", strings)
    return strings


# The screen.


def explorer(path: Path, **options) -> HeatlensApp:
    return HeatlensApp(
        load(path),
        scale=None,
        colour_mode=ColourMode("truecolor", "chosen in a test"),
        **options,
    )


def screen_text(app: HeatlensApp) -> list[str]:
    """Every line of the screen as plain text, checking each segment on the way."""
    width = app.size.width
    lines = []
    for strip in app.screen._compositor.render_strips():
        assert strip.cell_length == width
        for segment in strip:
            assert not segment.control
            assert_harmless(segment.text)
            style = segment.style
            assert style is None or style.link in (None, "")
        lines.append("".join(segment.text for segment in strip))
    return lines


def terminal_output(app: HeatlensApp) -> str:
    """What the app writes to the terminal for a full repaint, less its own CSI."""
    update = app.screen._compositor.render_update(full=True)
    return TEXTUAL_SEQUENCE.sub("", update.render_segments(app.console))


@pytest.mark.parametrize("size", [(120, 40), (60, 15), (300, 100)])
async def test_the_screen_shows_hostile_text_as_visible_text(tmp_path, settle, size):
    app = explorer(write_hostile(tmp_path))

    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for keys in ([], ["j"] * 13, ["l"] * 20, ["G"], ["a", "n"]):
            await pilot.press(*keys)
            await settle(pilot)
            lines = screen_text(app)
            raw = terminal_output(app)

            assert app.is_running
            assert "\x1b" not in raw and not CONTROL.search(raw.replace("\n", ""))
            assert app.query_one(Heatmap).label_width <= LABEL_CAP + 1

    shown = "\n".join(lines)
    if size[0] >= 120:
        assert "[bold]b[/]" in shown
        assert "␛[31mred␛[0m" in shown
        assert "&amp;&lt;" in shown


async def test_the_inspector_shows_a_huge_label_on_bounded_lines(tmp_path, settle):
    app = explorer(write_hostile(tmp_path))

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*["j"] * HOSTILE.index("x" * 10_000))
        await settle(pilot)

        lines = screen_text(app)

    assert len(lines) == 40
    assert any("xxxxxxxx" in line for line in lines)
    assert not any("x" * 120 in line for line in lines)


async def test_typed_markup_in_a_prompt_is_quoted_not_interpreted(tmp_path, settle):
    app = explorer(write_hostile(tmp_path))
    notes = []
    app.notify = lambda message, **options: notes.append((message, options))

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"[red]zz[/]", "enter")
        await settle(pilot)

    assert notes and "[red]zz[/]" in notes[-1][0]
    assert notes[-1][1].get("markup") is False


async def test_a_reload_failure_names_a_hostile_file_harmlessly(tmp_path, settle):
    """Regression: a failed reload put the file name's ESC raw into a notification."""
    path = write_hostile(tmp_path, HOSTILE_NAME + ".json")
    app = explorer(path, reload=load)

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        path.write_text("[[1, 2], [3]]")
        for _ in range(2):
            app._poll()
            await settle(pilot)
        notes = [(note.title, note.message) for note in app._notifications]
        raw = terminal_output(app)

    assert notes, "the failed reload was not told"
    for text in (*(part for note in notes for part in note), app.title, raw):
        assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text
    assert "pwned" in notes[-1][1]
    assert "pwned" in raw


async def test_screenshot_of_the_screen_is_escaped_svg(tmp_path, settle):
    app = explorer(write_hostile(tmp_path))

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        svg = app.export_screenshot(title=app.title)

    strings = svg_strings(parse_svg(svg))
    assert "␛]0;pwned␇" in strings


# The command line: figures, reports, screenshots and messages.


def test_exported_figure_escapes_every_label(tmp_path, capsys):
    source = write_hostile(tmp_path)
    output = tmp_path / "figure.svg"

    code = main(["export", str(source), "-o", str(output), "--anomalies"])

    assert code == 0, capsys.readouterr().err
    svg = output.read_text(encoding="utf-8")
    root = parse_svg(svg)
    strings = svg_strings(root)
    assert "<script>" not in svg and "]]><!--" not in svg.replace("]]&gt;", "")
    assert "</text><script>alert(1)…" in strings
    assert "[bold]b[/]" in strings
    assert safe_text(HOSTILE[0]) in strings
    assert "nul␀bel␇bs␈cr␍lf␊ff␌" in strings


def test_anomaly_json_parses_back_and_holds_no_control_characters(tmp_path, capsys):
    source = write_hostile(tmp_path)

    code = main(["anomalies", str(source), "--json"])

    out = capsys.readouterr().out
    assert code == 0
    assert_harmless(out.rstrip("\n"))
    report = json.loads(out)
    assert report["anomalies"], "the planted anomaly was not found"
    assert all(isinstance(a["reason"], str) for a in report["anomalies"])


def test_anomaly_table_holds_no_control_characters(tmp_path, capsys):
    source = write_hostile(tmp_path)

    code = main(["anomalies", str(source)])

    out = capsys.readouterr().out
    assert code == 0
    assert_harmless(out.replace("\n", ""))
    assert len(out.splitlines()) >= 2


def test_screenshot_command_on_a_hostile_file(tmp_path, capsys):
    source = write_hostile(tmp_path, HOSTILE_NAME + ".json")
    output = tmp_path / "screen.svg"

    code = main(["screenshot", str(source), "-o", str(output), "--size", "100x30"])

    assert code == 0, capsys.readouterr().err
    strings = svg_strings(parse_svg(output.read_text(encoding="utf-8")))
    assert "pwned" in strings


HOSTILE_FILE_NAMES = [
    "bad\x1b[2J.csv",
    "bad\nsecond line.csv",
    "bad\r\x1b[1A.csv",
    "bad\x9b31m.csv",
    "bad\u202etxt.csv",
    "bad[bold]x[red].csv",
    "bad\x1b]8;;http:x\x1b\\.csv",
]


@pytest.mark.parametrize("name", HOSTILE_FILE_NAMES, ids=ascii)
@pytest.mark.parametrize("exists", [True, False], ids=["ragged", "missing"])
def test_an_error_line_names_a_hostile_file_harmlessly(tmp_path, capsys, name, exists):
    path = tmp_path / name
    if exists:
        path.write_text("a,b\n1,2,3\n")

    code = main(["anomalies", str(path)])

    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.endswith("\n")
    assert_harmless(captured.err[:-1])
    assert safe_text(name) in captured.err


def test_export_to_a_hostile_output_name_that_fails_is_one_line(tmp_path, capsys):
    source = write_hostile(tmp_path)
    output = tmp_path / "no\x1b[2Jsuch\nfolder" / "out.svg"

    code = main(["export", str(source), "-o", str(output)])

    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1
    assert_harmless(err[:-1])

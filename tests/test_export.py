"""`heatlens export`: the figure written whole, or nothing written at all."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tui import cli

pytest.importorskip("tui.loaders")

NS = {"svg": "http://www.w3.org/2000/svg"}
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_writes_the_sample_figure(capsys, tmp_path):
    target = tmp_path / "accuracy.svg"

    code, out, err = run(
        capsys, "export", str(SAMPLE / "digits_accuracy.csv"), "-o", str(target)
    )
    root = ET.parse(target).getroot()
    cells = root.findall(".//svg:rect[@class='cell']", NS)
    values = [t.text for g in root.findall(".//svg:g[@class='values']", NS) for t in g]

    assert (code, out, err) == (0, "", "")
    assert os.listdir(tmp_path) == ["accuracy.svg"]
    assert root.find(".//svg:text[@class='x-name']", NS).text == "digit_a"
    assert root.find(".//svg:text[@class='y-name']", NS).text == "digit_b"
    assert 0 < len(cells) <= 25
    assert len(values) == 25


def test_export_options_reach_the_figure(capsys, tmp_path):
    target = tmp_path / "out.svg"

    code, _, _ = run(
        capsys,
        "export",
        str(SAMPLE / "digits_accuracy.csv"),
        "-o",
        str(target),
        "--no-values",
        "--width",
        "500",
        "--height",
        "400",
        "--title",
        "Digits <v2>",
    )
    root = ET.parse(target).getroot()

    assert code == 0
    assert (root.get("width"), root.get("height")) == ("500", "400")
    assert root.find(".//svg:g[@class='values']", NS) is None
    assert root.find(".//svg:text[@class='title']", NS).text == "Digits <v2>"


def test_export_outlines_anomalies_when_asked(capsys, tmp_path):
    pytest.importorskip("tui.anomalies")
    target = tmp_path / "out.svg"

    code, _, _ = run(
        capsys,
        "export",
        str(SAMPLE / "digits_accuracy.csv"),
        "-o",
        str(target),
        "--anomalies",
    )
    outlines = ET.parse(target).getroot().findall(".//svg:g[@class='anomaly']", NS)

    assert code == 0
    assert any("5" in g.find("svg:title", NS).text for g in outlines)


def test_the_same_input_exports_the_same_bytes(capsys, tmp_path):
    source = str(SAMPLE / "digits_confusion.csv")

    run(capsys, "export", source, "-o", str(tmp_path / "a.svg"))
    run(capsys, "export", source, "-o", str(tmp_path / "b.svg"))

    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_a_missing_folder_is_one_line_and_no_file(capsys, tmp_path):
    target = tmp_path / "no" / "such" / "out.svg"

    code, out, err = run(
        capsys, "export", str(SAMPLE / "digits_accuracy.csv"), "-o", str(target)
    )

    assert code != 0
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "out.svg" in err
    assert not target.exists()
    assert os.listdir(tmp_path) == []


def test_a_file_in_place_of_a_folder_is_refused(capsys, tmp_path):
    blocker = tmp_path / "plain.txt"
    blocker.write_text("not a folder")

    code, _, err = run(
        capsys,
        "export",
        str(SAMPLE / "digits_accuracy.csv"),
        "-o",
        str(blocker / "out.svg"),
    )

    assert code != 0
    assert len(err.strip().splitlines()) == 1
    assert os.listdir(tmp_path) == ["plain.txt"]


def test_bad_input_leaves_an_existing_output_untouched(capsys, tmp_path):
    source = tmp_path / "ragged.csv"
    source.write_text("1,2,3\n4,5\n")
    target = tmp_path / "out.svg"
    target.write_bytes(b"an older figure")

    code, out, err = run(capsys, "export", str(source), "-o", str(target))

    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "ragged.csv" in err
    assert target.read_bytes() == b"an older figure"
    assert sorted(os.listdir(tmp_path)) == ["out.svg", "ragged.csv"]


def test_a_good_export_replaces_an_older_figure_whole(capsys, tmp_path):
    target = tmp_path / "out.svg"
    target.write_bytes(b"an older figure")

    code, _, _ = run(
        capsys, "export", str(SAMPLE / "digits_accuracy.csv"), "-o", str(target)
    )

    assert code == 0
    assert ET.parse(target).getroot().tag.endswith("svg")
    assert os.listdir(tmp_path) == ["out.svg"]


def test_export_needs_no_terminal_library(tmp_path):
    """The export path imports only the core: no Textual, no Rich."""
    import subprocess
    import sys

    target = tmp_path / "out.svg"
    script = (
        "import sys\n"
        "from tui.cli import main\n"
        f"code = main(['export', {str(SAMPLE / 'digits_accuracy.csv')!r},"
        f" '-o', {str(target)!r}])\n"
        "loaded = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        "print(code, loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )

    assert result.stdout.strip() == "0 []"
    assert target.is_file()

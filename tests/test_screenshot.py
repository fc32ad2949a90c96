"""`heatlens screenshot`: the explorer run headless and saved as SVG."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tui.cli import main
from tui.errors import InputError
from tui.screenshot import key_name, key_names

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "sample_data" / "digits_accuracy.json")
CSV_SAMPLE = str(ROOT / "sample_data" / "digits_accuracy.csv")


def _shot(tmp_path: Path, *extra: str) -> str:
    out = tmp_path / "shot.svg"
    code = main(["screenshot", SAMPLE, "-o", str(out), "--size", "100x30", *extra])
    assert code == 0
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def first_shot(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _shot(tmp_path_factory.mktemp("first"))


def test_screenshot_is_an_svg_of_the_explorer(first_shot: str) -> None:
    root = ET.fromstring(first_shot)

    assert root.tag.endswith("svg")
    assert "Accuracy" in first_shot
    assert "digit_b=5" in first_shot.replace("&#160;", " ")


def test_screenshot_window_is_titled_heatlens(first_shot: str) -> None:
    titles = [
        element.text
        for element in ET.fromstring(first_shot).iter()
        if element.tag.endswith("text") and element.text == "heatlens"
    ]

    assert titles == ["heatlens"]


def test_a_matrix_scanned_in_a_worker_is_shot_with_its_findings(
    tmp_path: Path,
) -> None:
    out = tmp_path / "large.svg"
    large = str(ROOT / "sample_data" / "large_accuracy.csv")

    code = main(["screenshot", large, "-o", str(out), "--size", "120x36"])

    shown = out.read_text(encoding="utf-8").replace("&#160;", " ")
    assert code == 0
    assert "2 anomalies" in shown
    assert "Looking for anomalies" not in shown


def test_same_input_gives_the_same_screenshot(tmp_path: Path, first_shot: str) -> None:
    assert _shot(tmp_path) == first_shot


def test_pressed_keys_change_the_screenshot(tmp_path: Path, first_shot: str) -> None:
    moved = _shot(tmp_path, "--press", "down,right")

    assert moved != first_shot
    ET.fromstring(moved)


def test_unknown_key_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "shot.svg"

    code = main(["screenshot", SAMPLE, "-o", str(out), "--press", "down,xyz"])

    err = capsys.readouterr().err
    assert code == 2
    assert err == "heatlens: --press: unknown key 'xyz'\n"
    assert not out.exists()


def test_unwritable_output_is_one_line_and_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing-folder" / "shot.svg"

    code = main(["screenshot", SAMPLE, "-o", str(out), "--size", "40x12"])

    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1
    assert err.startswith("heatlens: cannot write")
    assert not out.parent.exists()


def test_screenshot_needs_no_terminal(tmp_path: Path) -> None:
    out = tmp_path / "shot.svg"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TERM", None)

    finished = subprocess.run(
        [sys.executable, "-m", "tui", "screenshot", CSV_SAMPLE, "-o", str(out)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
        start_new_session=True,
    )

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == b""
    ET.parse(out)


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ("down", "down"),
        ("Down", "down"),
        ("question_mark", "question_mark"),
        ("?", "?"),
        ("N", "N"),
        ("ctrl+s", "ctrl+s"),
        ("minus", "minus"),
        ("f5", "f5"),
    ],
)
def test_key_names_and_characters_are_accepted(given: str, named: str) -> None:
    assert key_name(given) == named


@pytest.mark.parametrize("given", ["xyz", "dwon", "ctrl+xyz", "hyper+", "\x1b"])
def test_unknown_keys_are_refused(given: str) -> None:
    with pytest.raises(InputError, match="unknown key"):
        key_names(["down", given])

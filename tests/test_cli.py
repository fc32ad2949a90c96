"""The command line: parsing, shared options and the one error path."""

import subprocess
import sys

import pytest

from tui import cli


def run(capsys, *argv):
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_subcommands_and_explorer_are_told_apart():
    assert cli.parse(["anomalies", "m.csv", "--json"])[0] == "anomalies"
    assert cli.parse(["m.csv", "--transpose"])[0] == "explore"
    assert cli.parse([])[1].file is None


def test_shared_options_reach_every_command():
    for command in ("export", "screenshot"):
        _, args = cli.parse(
            [command, "m.csv", "-o", "x.svg", "--vmin", "0.1", "--center", "0.5"]
        )
        assert (args.vmin, args.center) == (0.1, 0.5)


def test_size_is_columns_by_rows():
    _, args = cli.parse(["screenshot", "m.csv", "-o", "x.svg", "--size", "100x30"])

    assert args.size == (100, 30)


@pytest.mark.parametrize(
    "argv",
    [
        ["--no-such-option"],
        ["export", "m.csv"],
        ["screenshot", "m.csv", "-o", "x.svg", "--size", "big"],
        ["m.csv", "--vmin", "nan"],
        ["m.csv", "--color", "sepia"],
        ["anomalies", "m.csv", "--sensitivity", "-1"],
    ],
)
def test_usage_errors_are_one_line_and_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)

    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("heatlens: error:")


def test_vmin_above_vmax_is_a_usage_error(capsys, tmp_path):
    target = tmp_path / "out.svg"

    code, _, err = run(
        capsys,
        "export",
        "sample_data/digits_accuracy.csv",
        "-o",
        str(target),
        "--vmin",
        "2",
        "--vmax",
        "1",
    )

    assert code == 2
    assert "vmin" in err and len(err.strip().splitlines()) == 1
    assert not target.exists()


def test_missing_file_names_the_file(capsys):
    code, out, err = run(capsys, "anomalies", "no/such/matrix.csv")

    assert code == 2
    assert out == ""
    assert "no/such/matrix.csv" in err
    assert len(err.strip().splitlines()) == 1


def test_python_m_tui_behaves_like_heatlens():
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--version"],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0
    assert result.stdout.strip() == cli.__version__


def test_the_built_in_sample_is_found():
    assert cli.sample_path().is_file()


def test_a_matrix_too_large_for_detection_is_refused_in_one_line(capsys, tmp_path):
    """Detection needs a few hundred bytes a cell: past the limit it says so."""
    import numpy as np

    from tui.view import MAX_DETECT_CELLS

    side = int(MAX_DETECT_CELLS**0.5) + 1
    path = tmp_path / "huge.npy"
    np.lib.format.open_memmap(path, mode="w+", dtype=np.float64, shape=(side, side))

    code, out, err = run(capsys, "anomalies", str(path))

    assert code == 2
    assert out == ""
    assert "too large for anomaly detection" in err
    assert len(err.strip().splitlines()) == 1

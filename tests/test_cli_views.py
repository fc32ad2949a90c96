"""The command line's view options: --normalize, --compare and --watch."""

from __future__ import annotations

import json

import pytest

from tui import cli

CONFUSION = "sample_data/digits_confusion.csv"


def run(capsys, *argv):
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _write(path, rows) -> str:
    path.write_text("\n".join(",".join(map(str, row)) for row in rows) + "\n")
    return str(path)


@pytest.fixture
def before_after(tmp_path):
    """Two small confusion matrices; in B two more dogs are taken for cats."""
    header = ["true/predicted", "cat", "dog", "eel"]
    a = _write(
        tmp_path / "a.csv",
        [header, ["cat", 8, 1, 1], ["dog", 2, 6, 2], ["eel", 0, 0, 10]],
    )
    b = _write(
        tmp_path / "b.csv",
        [header, ["cat", 8, 1, 1], ["dog", 4, 4, 2], ["eel", 0, 0, 10]],
    )
    return a, b


def test_normalize_is_a_shared_option():
    for argv in (["m.csv"], ["anomalies", "m.csv"], ["export", "m.csv", "-o", "x"]):
        command, args = cli.parse([*argv, "--normalize", "row"])
        assert args.normalize == "row", command
    assert cli.parse(["m.csv"])[1].normalize == "none"


def test_anomalies_run_on_the_shares(capsys):
    code, out, _ = run(capsys, "anomalies", CONFUSION, "--normalize", "row", "--json")

    assert code == 0
    report = json.loads(out)["anomalies"]
    assert all(0.0 <= a["value"] <= 1.0 for a in report)


def test_export_draws_the_shares(capsys, tmp_path):
    target = tmp_path / "shares.svg"

    code, _, err = run(
        capsys, "export", CONFUSION, "-o", str(target), "--normalize", "column"
    )

    assert code == 0, err
    svg = target.read_text()
    assert "Share by column" in svg
    assert "0.96" in svg


def test_compare_ranks_the_largest_changes(capsys, before_after):
    a, b = before_after

    code, out, _ = run(capsys, "anomalies", a, "--compare", b, "--json")

    assert code == 0
    report = json.loads(out)["anomalies"]
    cells = [(x["row"], x["col"], x["value"], x["kind"]) for x in report]
    assert cells == [(1, 0, 2, "spike"), (1, 1, -2, "collapse")]


def test_export_of_a_comparison_draws_the_change(capsys, before_after, tmp_path):
    a, b = before_after
    target = tmp_path / "change.svg"

    code, _, err = run(capsys, "export", a, "--compare", b, "-o", str(target))

    assert code == 0, err
    assert "Change: b.csv − a.csv" in target.read_text()


@pytest.mark.parametrize("command", [[], ["anomalies"]])
def test_matrices_that_do_not_align_exit_2(capsys, tmp_path, before_after, command):
    a, _ = before_after
    small = _write(tmp_path / "small.csv", [[1, 2], [3, 4]])

    code, out, err = run(capsys, *command, small, "--compare", a)

    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "small.csv" in err or "a.csv" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["-", "--watch"],
        [CONFUSION, "--compare", "-", "--watch"],
        ["-", "--compare", "-"],
    ],
)
def test_standard_input_cannot_be_watched_or_read_twice(capsys, argv):
    code, out, err = run(capsys, *argv)

    assert code == 2
    assert out == ""
    assert err.startswith("heatlens: error:")
    assert len(err.strip().splitlines()) == 1

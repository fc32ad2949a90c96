"""The anomaly report: strict JSON and the readable table, and the command."""

import json
import math

import numpy as np
import pytest

from tui.anomalies import Anomaly
from tui.cli import main
from tui.matrix import Matrix
from tui.report import anomalies_json, anomalies_table

SAMPLE = "sample_data/digits_accuracy.csv"


def matrix() -> Matrix:
    labels = ("one", "two", "three")
    return Matrix(
        np.array([[0.9, 0.1, 0.0], [0.1, 0.2, 0.1], [0.0, 0.1, 1.4]]),
        labels,
        labels,
        x_label="predicted",
        y_label="true",
        source="scores.csv",
    )


def anomaly(score: float, **changes) -> Anomaly:
    fields = {
        "row": 1,
        "col": 1,
        "value": 0.2,
        "expected": 0.9,
        "score": score,
        "kind": "collapse",
        "reason": "diagonal cell true=two, predicted=two is 0.20",
    }
    fields.update(changes)
    return Anomaly(**fields)


def test_json_is_one_strict_object_sorted_by_score():
    found = [anomaly(3.0), anomaly(9.0, row=2, col=2, value=1.4, kind="impossible")]

    data = json.loads(anomalies_json(found))

    assert list(data) == ["anomalies"]
    assert [a["score"] for a in data["anomalies"]] == [9, 3]
    assert set(data["anomalies"][0]) == {
        "row",
        "col",
        "value",
        "expected",
        "score",
        "kind",
        "reason",
    }
    assert data["anomalies"][0]["kind"] == "impossible"


def test_json_turns_infinite_and_missing_into_null_and_keeps_ints():
    found = [anomaly(5.0, value=math.inf, expected=None), anomaly(4.0, value=3.0)]

    text = anomalies_json(found)
    records = json.loads(text)["anomalies"]

    assert "NaN" not in text and "Infinity" not in text
    assert records[0]["value"] is None and records[0]["expected"] is None
    assert records[1]["value"] == 3 and isinstance(records[1]["value"], int)
    assert isinstance(records[1]["row"], int)


def test_json_of_nothing():
    assert json.loads(anomalies_json([])) == {"anomalies": []}


def test_json_reason_is_made_safe():
    text = anomalies_json([anomaly(1.0, reason="cell x\x1b[2J is 0")])

    assert "\x1b" not in json.loads(text)["anomalies"][0]["reason"]


def test_table_lists_rank_labels_values_kind_and_reason():
    found = [anomaly(3.0), anomaly(9.0, row=2, col=2, value=1.4, kind="impossible")]

    lines = anomalies_table(matrix(), found).splitlines()

    assert lines[0] == "2 anomalies in scores.csv (3×3):"
    assert lines[1].split()[:7] == [
        "#",
        "true",
        "predicted",
        "value",
        "expected",
        "kind",
        "reason",
    ]
    assert lines[2].split()[:6] == ["1", "three", "three", "1.40", "0.90", "impossible"]
    assert lines[3].split()[:6] == ["2", "two", "two", "0.20", "0.90", "collapse"]
    assert lines[3].endswith("is 0.20")


def test_table_when_nothing_is_found():
    text = anomalies_table(matrix(), [])

    assert text == "No anomalies found in scores.csv (3×3).\n"


def test_table_labels_are_safe_and_shortened():
    labels = ("a" * 40, "b\x1b[31m", "c")
    unsafe = Matrix(np.eye(3), labels, labels, source="m\x07.csv")
    found = [anomaly(2.0, row=0, col=1)]

    text = anomalies_table(unsafe, found)

    assert "\x1b" not in text and "\x07" not in text
    assert "a" * 40 not in text
    assert "…" in text


def test_command_prints_a_table_for_the_sample(capsys):
    pytest.importorskip("tui.loaders")

    code = main(["anomalies", SAMPLE])
    out = capsys.readouterr().out

    assert code == 0
    assert out.startswith("1 anomaly in ")
    assert "the other diagonal cells are 0.94–1.00" in out


def test_command_prints_strict_json_for_the_sample(capsys):
    pytest.importorskip("tui.loaders")

    code = main(["anomalies", SAMPLE, "--json"])
    data = json.loads(capsys.readouterr().out)

    assert code == 0
    assert len(data["anomalies"]) == 1
    top = data["anomalies"][0]
    assert (top["row"], top["col"], top["kind"]) == (4, 4, "collapse")
    assert top["reason"].startswith("diagonal cell digit_b=5, digit_a=5 is 0.00")


def test_expected_values_print_without_float_noise():
    """Regression: the sample's prediction printed as 0.9800000000000001."""
    noisy = Anomaly(4, 4, 0.0, 0.1 * 9.8, 25.0, "collapse", "a reason")

    loaded = json.loads(anomalies_json([noisy]))

    assert loaded["anomalies"][0]["expected"] == 0.98

"""Whatever heatlens writes, it loads back the same."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tui.errors import OutputError
from tui.loaders import load
from tui.matrix import Matrix
from tui.writers import save_csv, save_json, save_npy

FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 5e-324, 1e308, -1e308, float("nan")]),
)
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)
"""Any text a CSV file can hold: everything but NUL and lone surrogates."""
NAMES = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\\"),
    max_size=12,
).map(str.strip)
"""Axis names as the CSV corner cell keeps them: no backslash, no outer spaces."""


@st.composite
def matrices(draw, text=TEXT, names=NAMES) -> Matrix:
    shape = draw(st.tuples(st.integers(1, 6), st.integers(1, 6)))
    values = draw(arrays(np.float64, shape, elements=FLOATS))
    has_rows, has_cols = draw(st.booleans()), draw(st.booleans())
    rows = tuple(draw(st.lists(text, min_size=shape[0], max_size=shape[0])))
    cols = tuple(draw(st.lists(text, min_size=shape[1], max_size=shape[1])))
    return Matrix(
        values,
        row_labels=rows if has_rows else (),
        col_labels=cols if has_cols else (),
        x_label=draw(names),
        y_label=draw(names),
        title=draw(text),
        has_row_labels=has_rows,
        has_col_labels=has_cols,
    )


def assert_same_values(loaded: np.ndarray, original: np.ndarray) -> None:
    assert loaded.shape == original.shape
    assert np.array_equal(loaded, original, equal_nan=True)
    present = ~np.isnan(original)
    assert np.array_equal(np.signbit(loaded[present]), np.signbit(original[present]))


def assert_same_names(loaded: Matrix, original: Matrix) -> None:
    assert loaded.row_labels == original.row_labels
    assert loaded.col_labels == original.col_labels
    assert (loaded.x_label, loaded.y_label) == (original.x_label, original.y_label)


ROUND_TRIP = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@ROUND_TRIP
@given(matrix=matrices())
def test_csv_round_trip(tmp_path, matrix):
    path = tmp_path / "m.csv"

    save_csv(matrix, path)
    loaded = load(path)

    assert_same_values(loaded.values, matrix.values)
    assert_same_names(loaded, matrix)


@ROUND_TRIP
@given(
    matrix=matrices(
        text=st.text(max_size=12),
        names=st.text(max_size=12),
    )
)
def test_json_round_trip(tmp_path, matrix):
    path = tmp_path / "m.json"

    save_json(matrix, path)
    loaded = load(path)

    assert_same_values(loaded.values, matrix.values)
    assert_same_names(loaded, matrix)
    assert loaded.title == matrix.title
    assert (loaded.has_row_labels, loaded.has_col_labels) == (
        matrix.has_row_labels,
        matrix.has_col_labels,
    )


@ROUND_TRIP
@given(values=arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6))))
def test_npy_round_trip(tmp_path, values):
    path = tmp_path / "m.npy"

    save_npy(Matrix(values), path)

    assert_same_values(np.asarray(load(path).values), values)


def test_csv_has_the_corner_cell_and_quotes_labels(tmp_path):
    matrix = Matrix(
        np.array([[1.0, np.nan]]),
        row_labels=("a,b",),
        col_labels=("x", 'say "hi"'),
        x_label="digit_a",
        y_label="digit_b",
        has_row_labels=True,
        has_col_labels=True,
    )
    path = tmp_path / "m.csv"

    save_csv(matrix, path)

    assert path.read_text() == 'digit_b/digit_a,x,"say ""hi"""\n"a,b",1.0,nan\n'


def test_csv_without_labels_is_plain_numbers(tmp_path):
    path = tmp_path / "m.csv"

    save_csv(Matrix(np.array([[1.0, -0.5], [np.inf, 2.0]])), path)

    assert path.read_text() == "1.0,-0.5\ninf,2.0\n"


def test_csv_slash_in_an_axis_name_uses_a_backslash(tmp_path):
    matrix = Matrix(np.eye(2), x_label="a/b", y_label="c")
    path = tmp_path / "m.csv"

    save_csv(matrix, path)

    assert path.read_text().startswith("c\\a/b,")
    assert load(path).x_label == "a/b"


@pytest.mark.parametrize(
    ("matrix", "problem"),
    [
        (Matrix(np.eye(1), x_label="a\\b"), "backslash"),
        (Matrix(np.eye(1), row_labels=("a\x00",), has_row_labels=True), "NUL"),
        (Matrix(np.eye(1), row_labels=("\ud800",), has_row_labels=True), "Unicode"),
    ],
)
def test_csv_refuses_text_it_cannot_hold(tmp_path, matrix, problem):
    path = tmp_path / "m.csv"

    with pytest.raises(OutputError, match=problem):
        save_csv(matrix, path)

    assert not path.exists()


def test_json_is_strict_json(tmp_path):
    import json

    path = tmp_path / "m.json"
    save_json(Matrix(np.array([[np.nan, np.inf, -np.inf]])), path)

    def refuse(token: str) -> None:
        raise ValueError(token)

    document = json.loads(path.read_text(), parse_constant=refuse)
    assert document["values"] == [[None, float("inf"), float("-inf")]]


def test_writer_failure_leaves_an_existing_file(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("old")

    with pytest.raises(OutputError):
        save_csv(Matrix(np.eye(1), x_label="a\\b"), path)

    assert path.read_text() == "old"


def test_unwritable_place_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="no such folder"):
        save_json(Matrix(np.eye(2)), tmp_path / "absent" / "m.json")

"""The matrix model: shape, labels, counts and transposition."""

import numpy as np
import pytest

from tui.matrix import Matrix


def make(values, **names):
    return Matrix(np.asarray(values, dtype=float), **names)


def test_labels_default_to_positions():
    matrix = make([[1, 2, 3], [4, 5, 6]])

    assert matrix.row_labels == ("0", "1")
    assert matrix.col_labels == ("0", "1", "2")
    assert not matrix.has_row_labels


def test_integer_input_becomes_float():
    matrix = Matrix(np.array([[1, 2], [3, 4]], dtype=np.int32))

    assert matrix.values.dtype == np.float64


def test_label_count_must_match_shape():
    with pytest.raises(ValueError):
        make([[1, 2]], row_labels=("a", "b"))


def test_one_dimensional_values_are_refused():
    with pytest.raises(ValueError):
        Matrix(np.array([1.0, 2.0]))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([[3, 0], [1, 7]], True),
        ([[0.5, 0.2], [0.1, 0.9]], False),
        ([[3, -1], [1, 7]], False),
        ([[3, np.nan], [1, 7]], True),
        ([[np.nan, np.nan]], False),
        ([[3, np.inf]], True),
    ],
)
def test_counts_are_non_negative_whole_numbers(values, expected):
    assert make(values).is_counts is expected


def test_transpose_keeps_labels_and_names_with_their_axes():
    matrix = make(
        [[1, 2, 3], [4, 5, 6]],
        row_labels=("r0", "r1"),
        col_labels=("c0", "c1", "c2"),
        x_label="digit_a",
        y_label="digit_b",
        title="Accuracy",
        has_row_labels=True,
    )

    flipped = matrix.transpose()

    assert flipped.shape == (3, 2)
    assert flipped.value(2, 1) == 6
    assert flipped.row_labels == ("c0", "c1", "c2")
    assert flipped.col_labels == ("r0", "r1")
    assert (flipped.x_label, flipped.y_label) == ("digit_b", "digit_a")
    assert flipped.title == "Accuracy"
    assert flipped.has_col_labels and not flipped.has_row_labels
    assert flipped.transpose().values.tolist() == matrix.values.tolist()


def test_with_names_replaces_only_what_is_given():
    matrix = make([[1]], title="Old", x_label="x")

    renamed = matrix.with_names(title="New")

    assert renamed.title == "New"
    assert renamed.x_label == "x"
    assert matrix.title == "Old"


def test_describe_cell_names_both_axes():
    matrix = make(
        [[1, 2], [3, 4]],
        row_labels=("1", "2"),
        col_labels=("1", "2"),
        x_label="digit_a",
        y_label="digit_b",
    )

    assert matrix.describe_cell(1, 0) == "digit_b=2, digit_a=1"
    assert make([[1]]).describe_cell(0, 0) == "row=0, column=0"


def test_the_summary_keeps_no_copy_of_the_values():
    matrix = make([[3, np.nan], [np.inf, 7]])

    assert matrix.is_counts
    assert (matrix.summary.low, matrix.summary.high) == (3.0, 7.0)
    assert "finite_values" not in vars(matrix)
    assert matrix.finite_ends().tolist() == [3.0, 7.0]


def test_a_matrix_with_nothing_present_has_no_ends():
    matrix = make([[np.nan, np.inf]])

    assert matrix.finite_ends().size == 0
    assert not matrix.is_counts

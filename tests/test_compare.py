"""The difference of two matrices, aligned by position or by label."""

import numpy as np
import pytest

from tui.compare import diff_scale, difference
from tui.errors import InputError
from tui.matrix import Matrix

nan = np.nan


def make(values, rows=(), cols=(), source="a.csv", **names):
    return Matrix(
        np.asarray(values, dtype=float),
        row_labels=tuple(rows),
        col_labels=tuple(cols),
        has_row_labels=bool(rows),
        has_col_labels=bool(cols),
        source=source,
        **names,
    )


def test_difference_is_b_minus_a():
    a = make([[0.5, 0.2], [0.1, 0.9]])
    b = make([[0.7, 0.2], [0.0, 0.9]], source="b.csv")

    found = difference(a, b)

    np.testing.assert_allclose(found.diff.values, [[0.2, 0.0], [-0.1, 0.0]])
    np.testing.assert_array_equal(found.a.values, a.values)
    np.testing.assert_array_equal(found.b.values, b.values)


def test_difference_title_names_both_files():
    a = make([[1.0]], source="runs/epoch1.csv")
    b = make([[2.0]], source="runs/epoch2.csv")

    assert difference(a, b).diff.title == "Change: epoch2.csv − epoch1.csv"


def test_difference_of_standard_input_uses_titles():
    a = make([[1.0]], source="-", title="Before")
    b = make([[2.0]], source="-")

    assert difference(a, b).diff.title == "Change: B − Before"


def test_missing_on_either_side_is_missing_in_the_difference():
    a = make([[nan, 1], [2, 3]])
    b = make([[1, nan], [2, np.inf]], source="b.csv")

    diff = difference(a, b).diff.values

    assert np.isnan(diff[0, 0])
    assert np.isnan(diff[0, 1])
    assert diff[1, 0] == 0
    assert diff[1, 1] == np.inf


def test_same_labels_in_the_same_order_align_by_position():
    a = make([[1, 2], [3, 4]], rows=("x", "y"), cols=("p", "q"))
    b = make([[2, 2], [3, 5]], rows=("x", "y"), cols=("p", "q"), source="b.csv")

    found = difference(a, b)

    assert found.diff.row_labels == ("x", "y")
    assert found.diff.has_row_labels
    np.testing.assert_array_equal(found.diff.values, [[1, 0], [0, 1]])


def test_labels_in_another_order_are_matched_by_label():
    a = make([[1, 2], [3, 4]], rows=("x", "y"), cols=("p", "q"))
    b = make([[40, 30], [20, 10]], rows=("y", "x"), cols=("q", "p"), source="b.csv")

    found = difference(a, b)

    assert found.diff.row_labels == ("x", "y")
    assert found.diff.col_labels == ("p", "q")
    np.testing.assert_array_equal(found.b.values, [[10, 20], [30, 40]])
    np.testing.assert_array_equal(found.diff.values, [[9, 18], [27, 36]])


def test_label_alignment_keeps_the_union_with_missing_cells():
    a = make([[1, 2], [3, 4]], rows=("cat", "dog"), cols=("cat", "dog"))
    b = make([[5, 6], [7, 8]], rows=("dog", "fox"), cols=("dog", "fox"), source="b.csv")

    found = difference(a, b)

    assert found.diff.row_labels == ("cat", "dog", "fox")
    assert found.diff.col_labels == ("cat", "dog", "fox")
    assert found.a.shape == found.b.shape == found.diff.shape == (3, 3)
    assert found.diff.value(1, 1) == 5 - 4
    assert np.isnan(found.a.value(2, 2))
    assert found.b.value(2, 2) == 8
    assert np.isnan(found.diff.value(2, 2))
    assert np.isnan(found.b.value(0, 0))
    assert found.a.value(0, 0) == 1


def test_each_axis_is_matched_on_its_own():
    a = make([[1, 2, 3]], cols=("p", "q", "r"))
    b = make([[30, 10, 20]], cols=("r", "p", "q"), source="b.csv")

    found = difference(a, b)

    np.testing.assert_array_equal(found.diff.values, [[9, 18, 27]])


def test_shapes_that_differ_without_labels_name_both_files():
    a = make(np.zeros((3, 3)), source="run1.csv")
    b = make(np.zeros((4, 3)), source="run2.csv")

    with pytest.raises(InputError) as caught:
        difference(a, b)

    assert caught.value.path == "run2.csv"
    assert "run1.csv" in caught.value.problem
    assert "4 rows" in caught.value.problem
    assert "\n" not in str(caught.value)


def test_labels_on_one_side_only_do_not_rescue_a_shape_mismatch():
    a = make(np.zeros((2, 2)), rows=("x", "y"), cols=("p", "q"))
    b = make(np.zeros((2, 3)), source="b.csv")

    with pytest.raises(InputError, match="3 columns"):
        difference(a, b)


def test_labels_on_one_side_are_kept_when_shapes_match():
    a = make(np.zeros((2, 2)), source="a.csv")
    b = make(np.ones((2, 2)), rows=("x", "y"), cols=("p", "q"), source="b.csv")

    found = difference(a, b)

    assert found.diff.row_labels == ("x", "y")
    assert found.a.row_labels == ("x", "y")
    assert found.diff.has_row_labels


def test_no_label_in_common_is_an_error():
    a = make([[1]], rows=("x",), cols=("p",))
    b = make([[1]], rows=("y",), cols=("p",), source="b.csv")

    with pytest.raises(InputError, match=r"no row label in common with a\.csv"):
        difference(a, b)


def test_repeated_labels_cannot_be_matched():
    a = make(np.zeros((2, 1)), rows=("x", "x"), cols=("p",))
    b = make(np.zeros((2, 1)), rows=("x", "y"), cols=("p",), source="b.csv")

    with pytest.raises(InputError) as caught:
        difference(a, b)

    assert caught.value.path == "a.csv"
    assert "'x'" in caught.value.problem


def test_one_cell_matrices():
    found = difference(make([[0.25]]), make([[1.0]], source="b.csv"))

    assert found.diff.value(0, 0) == 0.75


def test_diff_scale_is_symmetric_around_zero():
    diff = make([[0.2, -0.5], [nan, np.inf]])

    scale = diff_scale(diff)

    assert (scale.vmin, scale.vmax, scale.center) == (-0.5, 0.5, 0.0)
    assert scale.colour_of(0.5)[2] > scale.colour_of(0.5)[0]
    assert scale.colour_of(-0.5)[0] > scale.colour_of(-0.5)[2]


def test_diff_scale_of_no_change_is_plus_minus_one():
    for values in ([[0.0, 0.0]], [[nan]]):
        scale = diff_scale(make(values))

        assert (scale.vmin, scale.vmax) == (-1.0, 1.0)
        assert scale.middle == 0.0

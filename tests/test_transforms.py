"""Normalisation, margins, reordering and label search."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.matrix import Matrix
from tui.transforms import (
    NORMALISATIONS,
    ORDERS,
    apply_order,
    find_label,
    inverse_order,
    label_order,
    margins,
    normalise,
    reorder,
    similarity_order,
)

nan = np.nan


def make(values, rows=(), cols=(), **names):
    return Matrix(
        np.asarray(values, dtype=float),
        row_labels=tuple(rows),
        col_labels=tuple(cols),
        has_row_labels=bool(rows),
        has_col_labels=bool(cols),
        **names,
    )


@pytest.fixture
def counts():
    return make([[8, 2, 0], [1, 6, 3], [0, 0, 10]], title="Digits")


def test_normalise_by_row_gives_recall_shares(counts):
    shares = normalise(counts, "row")

    np.testing.assert_allclose(shares.values[0], [0.8, 0.2, 0.0])
    np.testing.assert_allclose(np.nansum(shares.values, axis=1), 1.0)
    assert shares.title == "Digits (by row)"


def test_normalise_by_column_gives_precision_shares(counts):
    shares = normalise(counts, "column")

    np.testing.assert_allclose(shares.values[:, 0], [8 / 9, 1 / 9, 0.0])
    np.testing.assert_allclose(np.nansum(shares.values, axis=0), 1.0)
    assert shares.title == "Digits (by column)"


def test_normalise_by_total(counts):
    shares = normalise(counts, "total")

    assert shares.values[2, 2] == pytest.approx(10 / 30)
    assert np.nansum(shares.values) == pytest.approx(1.0)
    assert shares.title == "Digits (of total)"


def test_normalise_none_is_the_matrix_itself(counts):
    assert normalise(counts, "none") is counts


def test_normalise_keeps_labels_and_leaves_the_original_alone(counts):
    before = counts.values.copy()

    shares = normalise(counts, "row")

    assert shares.row_labels == counts.row_labels
    np.testing.assert_array_equal(counts.values, before)


def test_untitled_matrix_gets_a_title_naming_the_share():
    assert normalise(make([[1, 1]]), "row").title == "Share by row"


def test_all_zero_row_gives_missing_shares_without_a_warning():
    matrix = make([[0, 0], [1, 3]])

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shares = normalise(matrix, "row")

    assert np.isnan(shares.values[0]).all()
    np.testing.assert_allclose(shares.values[1], [0.25, 0.75])


def test_all_zero_matrix_by_total_is_all_missing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shares = normalise(make([[0, 0], [0, 0]]), "total")

    assert np.isnan(shares.values).all()


def test_missing_cells_stay_missing_and_count_as_zero():
    shares = normalise(make([[nan, 2], [1, 3]]), "row")

    assert np.isnan(shares.values[0, 0])
    assert shares.values[0, 1] == pytest.approx(1.0)


def test_unknown_normalisation_is_refused(counts):
    with pytest.raises(ValueError, match="unknown normalisation"):
        normalise(counts, "diagonal")


def test_normalisations_start_with_none():
    assert NORMALISATIONS == ("none", "row", "column", "total")


def test_margins_of_a_confusion_matrix(counts):
    found = margins(counts)

    np.testing.assert_allclose(found.row_totals, [10, 10, 10])
    np.testing.assert_allclose(found.col_totals, [9, 8, 13])
    assert found.total == 30
    np.testing.assert_allclose(found.recall, [0.8, 0.6, 1.0])
    np.testing.assert_allclose(found.precision, [8 / 9, 6 / 8, 10 / 13])
    assert found.accuracy == pytest.approx(24 / 30)


def test_margins_of_a_non_square_matrix_have_no_diagonal_figures():
    found = margins(make([[1, 2, 3], [4, 5, 6]]))

    np.testing.assert_allclose(found.row_totals, [6, 15])
    np.testing.assert_allclose(found.col_totals, [5, 7, 9])
    assert found.recall is None
    assert found.precision is None
    assert found.accuracy is None


def test_margins_of_an_empty_class_are_missing_not_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = margins(make([[5, 0], [0, 0]]))

    assert found.recall[0] == 1.0
    assert np.isnan(found.recall[1])
    assert np.isnan(found.precision[1])
    assert found.accuracy == 1.0


def test_margins_with_a_row_of_missing_cells():
    found = margins(make([[nan, nan], [1, 3]]))

    assert np.isnan(found.row_totals[0])
    assert found.row_totals[1] == 4
    assert found.total == 4
    assert found.accuracy == pytest.approx(0.75)


def test_margins_of_one_cell():
    found = margins(make([[7]]))

    assert found.total == 7
    assert found.accuracy == 1.0
    np.testing.assert_allclose(found.recall, [1.0])


def test_margins_of_an_all_missing_matrix():
    found = margins(make([[nan]]))

    assert np.isnan(found.total)
    assert np.isnan(found.accuracy)


def test_stored_order_is_the_identity(counts):
    shown, rows, cols = reorder(counts, "stored")

    np.testing.assert_array_equal(rows, [0, 1, 2])
    np.testing.assert_array_equal(cols, [0, 1, 2])
    np.testing.assert_array_equal(shown.values, counts.values)


def test_label_order_is_natural():
    labels = ("class_10", "class_2", "Cat", "bird", "10", "-1", "2.5", "class_1")

    order = label_order(labels)

    assert [labels[i] for i in order] == [
        "-1",
        "2.5",
        "10",
        "bird",
        "Cat",
        "class_1",
        "class_2",
        "class_10",
    ]


def test_label_order_keeps_duplicates_in_stored_order():
    np.testing.assert_array_equal(label_order(("b", "a", "b", "a")), [1, 3, 0, 2])


def test_label_order_copes_with_odd_digits_and_number_words():
    labels = ("x²", "nan", "inf", "x1")

    order = label_order(labels)

    assert sorted(order.tolist()) == [0, 1, 2, 3]
    assert [labels[i] for i in order][:2] == ["inf", "nan"]


def test_reorder_by_label_moves_values_with_their_labels():
    matrix = make([[1, 2, 3], [4, 5, 6]], rows=("r10", "r9"), cols=("c3", "c1", "c2"))

    shown, rows, cols = reorder(matrix, "label")

    assert shown.row_labels == ("r9", "r10")
    assert shown.col_labels == ("c1", "c2", "c3")
    np.testing.assert_array_equal(shown.values, [[5, 6, 4], [2, 3, 1]])
    np.testing.assert_array_equal(rows, [1, 0])
    np.testing.assert_array_equal(cols, [1, 2, 0])


def test_reorder_by_diagonal_puts_the_best_class_first(counts):
    shown, rows, cols = reorder(counts, "diagonal")

    np.testing.assert_array_equal(rows, [2, 0, 1])
    np.testing.assert_array_equal(cols, rows)
    np.testing.assert_array_equal(np.diagonal(shown.values), [10, 8, 6])


def test_diagonal_order_puts_missing_last():
    _, rows, _ = reorder(make([[nan, 0], [0, 1]]), "diagonal")

    np.testing.assert_array_equal(rows, [1, 0])


def test_diagonal_order_of_a_non_square_matrix_uses_means():
    matrix = make([[1, 1, 9], [5, nan, 5]])

    _, rows, cols = reorder(matrix, "diagonal")

    np.testing.assert_array_equal(rows, [1, 0])
    np.testing.assert_array_equal(cols, [2, 0, 1])


def block_confusion(seed, blocks=3, size=4):
    """A confusion matrix whose classes are confused within hidden groups."""
    rng = np.random.default_rng(seed)
    n = blocks * size
    values = np.eye(n) * 50
    for block in range(blocks):
        group = np.arange(block * size, (block + 1) * size)
        values[np.ix_(group, group)] += rng.integers(5, 15, (size, size))
    shuffle = rng.permutation(n)
    group_of = shuffle // size
    return values[np.ix_(shuffle, shuffle)], group_of


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_similarity_order_puts_confused_classes_together(seed):
    values, group_of = block_confusion(seed)

    _, rows, cols = reorder(make(values), "similarity")

    np.testing.assert_array_equal(rows, cols)
    groups = group_of[rows]
    changes = int(np.count_nonzero(groups[1:] != groups[:-1]))
    assert changes == 2


def test_similarity_order_is_deterministic():
    values, _ = block_confusion(5)

    first = reorder(make(values), "similarity")[1]
    second = reorder(make(values), "similarity")[1]

    np.testing.assert_array_equal(first, second)


def test_similarity_order_of_a_diagonal_matrix_keeps_stored_order():
    _, rows, _ = reorder(make(np.eye(4) * 5), "similarity")

    np.testing.assert_array_equal(rows, [0, 1, 2, 3])


def test_similarity_order_handles_zeros_missing_and_one_cell():
    for values in ([[0.0, 0.0], [0.0, 0.0]], [[nan, 1], [nan, nan]], [[3.0]]):
        _, rows, cols = reorder(make(values), "similarity")

        assert sorted(rows.tolist()) == list(range(len(values)))
        np.testing.assert_array_equal(rows, cols)


def test_similarity_order_of_a_non_square_matrix_groups_alike_rows():
    pattern = np.array([1.0, 0.0, 1.0, 0.0])
    values = np.array([pattern, 1 - pattern, pattern + 0.1, 1 - pattern + 0.2])

    shown, rows, cols = reorder(make(values), "similarity")

    alike = {frozenset({0, 2}), frozenset({1, 3})}
    assert frozenset(rows[:2].tolist()) in alike
    assert sorted(cols.tolist()) == [0, 1, 2, 3]
    assert shown.shape == (4, 4)


def test_similarity_order_of_a_signed_square_matrix_is_shared():
    values = np.array([[1.0, -1, 1], [-1, 1, -1], [1, -1, 1.2]])

    _, rows, cols = reorder(make(values), "similarity")

    np.testing.assert_array_equal(rows, cols)
    assert sorted(rows.tolist()) == [0, 1, 2]


def test_similarity_order_of_a_thousand_classes_is_a_permutation():
    rng = np.random.default_rng(7)
    values = rng.poisson(0.5, (1000, 1000)).astype(float) + np.eye(1000) * 90

    _, rows, cols = reorder(make(values), "similarity")

    assert sorted(rows.tolist()) == list(range(1000))
    np.testing.assert_array_equal(rows, cols)


def test_similarity_order_of_two_disconnected_pairs():
    affinity = np.zeros((4, 4))
    affinity[0, 3] = affinity[3, 0] = 1.0
    affinity[1, 2] = affinity[2, 1] = 1.0

    order = similarity_order(affinity)

    assert order.tolist() == [0, 3, 1, 2]


def test_unknown_order_is_refused(counts):
    with pytest.raises(ValueError, match="unknown order"):
        reorder(counts, "random")


def test_orders_start_with_stored():
    assert ORDERS[0] == "stored"
    assert set(ORDERS) == {"stored", "label", "diagonal", "similarity"}


def test_inverse_order_maps_stored_positions_to_shown_ones():
    order = np.array([2, 0, 1])

    inverse = inverse_order(order)

    np.testing.assert_array_equal(inverse[order], [0, 1, 2])
    np.testing.assert_array_equal(inverse, [1, 2, 0])


def test_apply_order_with_duplicate_labels_keeps_each_with_its_values():
    matrix = make([[1, 2], [3, 4]], rows=("a", "a"), cols=("x", "y"))

    shown = apply_order(matrix, np.array([1, 0]), np.array([0, 1]))

    assert shown.row_labels == ("a", "a")
    np.testing.assert_array_equal(shown.values, [[3, 4], [1, 2]])


def test_find_label_puts_exact_matches_first():
    matrix = make(
        np.zeros((3, 2)), rows=("cat", "Category", "dog"), cols=("bobcat", "CAT")
    )

    assert find_label(matrix, "cat") == [
        ("row", 0),
        ("col", 1),
        ("row", 1),
        ("col", 0),
    ]


def test_find_label_without_a_match_or_text_is_empty(counts):
    assert find_label(counts, "zebra") == []
    assert find_label(counts, "") == []


def test_find_label_matches_labels_as_shown():
    matrix = make(np.zeros((1, 1)), rows=("a\x1bb",), cols=("c",))

    assert find_label(matrix, "a␛b") == [("row", 0)]


cells = st.one_of(
    st.floats(min_value=-5, max_value=50, allow_nan=False),
    st.just(nan),
    st.just(0.0),
    st.just(np.inf),
)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda rows: st.integers(1, 6).flatmap(
            lambda cols: st.lists(
                st.lists(cells, min_size=cols, max_size=cols),
                min_size=rows,
                max_size=rows,
            )
        )
    ),
    st.sampled_from(ORDERS),
)
def test_every_order_is_a_permutation_that_moves_cells_with_labels(values, how):
    matrix = make(values)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shown, rows, cols = reorder(matrix, how)

    assert sorted(rows.tolist()) == list(range(matrix.n_rows))
    assert sorted(cols.tolist()) == list(range(matrix.n_cols))
    expected = matrix.values[np.ix_(rows, cols)]
    np.testing.assert_array_equal(shown.values, expected)
    assert shown.row_labels == tuple(matrix.row_labels[i] for i in rows)
